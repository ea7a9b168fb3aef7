// Explains one contact and its chain: how each leg came to be, where the time went
// (IVR, queue, ringing, talk, hold, pause, ACW, external), how each offer to an agent
// ended, who hung up, and what the dumps do not tell. One implementation for the CLI, the
// hover and the timeline. It reads the records through ExplainInput (the workspace's
// contact model), times through core/time.ts, and the facts through explainRules.ts.

import { contactStateChanges } from './contactStates';
import { isContactState, type ContactState } from './states';
import { contactRecordTimes, type RecordTime } from './ordering';
import { parseTimestamp, TIMESTAMP_TOLERANCE_MS } from './time';
import { idAt, JsonObject, numberAt, objectAt } from './json';
import { shownId } from './contactIdLength';
import { AGENT_STARTED_METHODS, disconnectBy, FLOW_FIRST_METHODS, labelLeg, LegFields, OFFERED_STATES, OFFER_OUTCOME_OF_STATE } from './explainRules';
import type { ChainLeg, Disconnect, Explanation, ExplanationRefs, Offer, OfferOutcome, Phase, PhaseKind, RecordRef, Totals } from './explainTypes';

/** A record as explain reads it: its parsed value and where it is. */
export interface ExplainRecord {
  value: JsonObject;
  ref: RecordRef;
}

/** An agent event that shows the contact, and the contact as each of its snapshots shows it (model.ts sightings). */
export interface ExplainAgentEvent extends ExplainRecord {
  /** The contact in CurrentAgentSnapshot.Contacts: its state after the event; absent when it left the snapshot. */
  current?: JsonObject;
  /** The contact in PreviousAgentSnapshot.Contacts: its state before the event. */
  previous?: JsonObject;
}

/** What explain needs of the contact model. */
export interface ExplainInput {
  /** Whether any record mentions the ID at all. */
  mentioned(contactId: string): boolean;
  /** The copy of the contact record that stands for the contact. */
  record(contactId: string): ExplainRecord | undefined;
  /** The agent events that show the contact in either snapshot, in any order. */
  agentEvents(contactId: string): ExplainAgentEvent[];
  /** The contact's flow log entries (one per block run), in time order. */
  flowLogs(contactId: string): ExplainRecord[];
  /**
   * The contact's chain: every contact linked to it by PreviousContactId, NextContactId or
   * InitialContactId, either way (not RelatedContactId), itself first; at most `max`.
   */
  chain(contactId: string, max: number): { ids: string[]; truncated: boolean };
}

export interface ExplainResult {
  explanation: Explanation;
  refs: ExplanationRefs;
}

/** Legs followed at most: a safety cap against hostile or looping dumps. */
export const MAX_EXPLAINED_LEGS = 50;

// ---- small readers --------------------------------------------------------------------

/** A time as written in a record, and in ms. */
type Time = RecordTime;

function timeOf(value: unknown): Time | undefined {
  const ms = parseTimestamp(value);
  return ms === undefined ? undefined : { ms, text: value as string };
}

function seconds(fromMs: number, toMs: number): number {
  return Math.round(toMs - fromMs) / 1000;
}

// ---- legs -----------------------------------------------------------------------------

interface Leg {
  id: string;
  order: number;
  record?: ExplainRecord;
  events: ExplainAgentEvent[];
  /** Its flow log entries, in time order. */
  flows: ExplainRecord[];
  /** The contact as the agent events describe it (channel, method, queue), when there is no record. */
  snapshotContact?: JsonObject;
  startMs: number;
}

function collectLegs(contactId: string, input: ExplainInput, gaps: string[]): Leg[] {
  const { ids, truncated } = input.chain(contactId, MAX_EXPLAINED_LEGS);
  if (truncated) gaps.push(`The chain has more than ${MAX_EXPLAINED_LEGS} linked contacts; only the first are explained.`);
  const legs: Leg[] = [];
  for (const id of ids) {
    const record = input.record(id);
    const events = input.agentEvents(id);
    if (!record && events.length === 0) {
      gaps.push(
        id === contactId
          ? `Contact ${id} has no contact record or agent event in the dumps: its phases, offers and totals are read from those (the timeline draws what its contact events and flow logs carry).`
          : `Contact ${id} is linked from the chain but has no contact record or agent event in the dumps.`,
      );
      continue;
    }
    let snapshotContact: JsonObject | undefined;
    for (const e of events) snapshotContact ??= e.current ?? e.previous;
    let firstEvent = Infinity;
    for (const e of events) firstEvent = Math.min(firstEvent, parseTimestamp(e.value.EventTimestamp) ?? Infinity);
    const startMs = parseTimestamp(record?.value.InitiationTimestamp) ?? firstEvent;
    legs.push({ id, order: legs.length, record, events, flows: input.flowLogs(id), snapshotContact, startMs });
  }
  legs.sort((a, b) => a.startMs - b.startMs || a.order - b.order);
  return legs;
}

function legFields(leg: Leg): LegFields {
  const v = leg.record?.value;
  const agent = objectAt(v, ['Agent']);
  const times = contactRecordTimes(v);
  return {
    contactId: leg.id,
    initiationMethod: idAt(v, ['InitiationMethod']) ?? idAt(leg.snapshotContact, ['InitiationMethod']),
    instanceArn: idAt(v, ['InstanceARN']),
    previousContactId: idAt(v, ['PreviousContactId']),
    initialContactId: idAt(v, ['InitialContactId']) ?? idAt(leg.snapshotContact, ['InitialContactId']),
    hasAgent: agent !== undefined,
    acwStart: times.acwStart?.ms,
    transferCompleted: times.transferCompleted?.ms,
    disconnect: times.disconnect?.ms,
    interactionSeconds: numberAt(agent, ['AgentInteractionDuration']),
    holdSeconds: numberAt(agent, ['CustomerHoldDuration']),
    externalInteractionSeconds: numberAt(v, ['ExternalThirdParty', 'ExternalThirdPartyInteractionDuration']),
  };
}

function agentNameOfRecord(v: JsonObject | undefined): string | undefined {
  const agent = objectAt(v, ['Agent']);
  return idAt(agent, ['Username']) ?? idAt(agent, ['ARN']);
}

function agentNameOfEvent(event: JsonObject): string {
  return (
    idAt(event, ['CurrentAgentSnapshot', 'Configuration', 'Username']) ??
    idAt(event, ['PreviousAgentSnapshot', 'Configuration', 'Username']) ??
    idAt(event, ['AgentARN']) ??
    '(agent not named)'
  );
}

// ---- one agent's view of one leg, from agent events -----------------------------------

interface Change {
  state: ContactState | 'gone';
  raw: string;
  at: Time;
  ref: RecordRef;
  /** The contact as the snapshot showing this state has it (none for 'gone'). */
  contact?: JsonObject;
  /** Seen only in the PreviousAgentSnapshot: the event that moved the contact into this state is not in the dumps. */
  fromPrevious?: boolean;
  /** The time of the event whose snapshot shows the state. */
  eventAt: Time;
}

/**
 * The contact's state changes in one agent's events: the shared reading (contactStates.ts),
 * states the state table does not know left out (nothing to explain from them).
 */
function stateChanges(events: ExplainAgentEvent[]): Change[] {
  const sorted = events
    .map((e) => ({ e, t: timeOf(e.value.EventTimestamp) }))
    .filter((x): x is { e: ExplainAgentEvent; t: Time } => x.t !== undefined)
    .sort((a, b) => a.t.ms - b.t.ms || (a.e.ref.uri < b.e.ref.uri ? -1 : a.e.ref.uri > b.e.ref.uri ? 1 : a.e.ref.start - b.e.ref.start));
  const snapshots = sorted.map(({ e, t }) => ({ ev: { ref: e.ref, at: t }, time: t.ms, current: e.current, previous: e.previous }));
  const knownState = (contact: JsonObject): string | undefined => {
    const raw = idAt(contact, ['State']);
    return raw !== undefined && isContactState(raw) ? raw : undefined;
  };
  return contactStateChanges(snapshots, knownState).map((c) => ({
    state: c.state as ContactState | 'gone',
    raw: c.state,
    at: c.startTold ? { ms: c.start, text: c.contact!.StateStartTimestamp as string } : c.ev.at,
    ref: c.ev.ref,
    contact: c.contact,
    eventAt: c.ev.at,
    ...(c.fromPrevious ? { fromPrevious: true } : {}),
  }));
}

interface LegTimes {
  disconnect?: Time;
}

interface AgentRun {
  phases: { phase: Phase; refs: RecordRef[] }[];
  offers: { offer: Offer; refs: RecordRef[] }[];
  gaps: string[];
  /** A talk phase was seen and the after-contact work ended (the contact left the snapshot). */
  handledCompletely: boolean;
}

type Mode = 'talk' | 'hold' | 'paused' | 'acw';

function runOfAgent(leg: Leg, agent: string, changes: Change[], times: LegTimes, agentStarted: boolean): AgentRun {
  const run: AgentRun = { phases: [], offers: [], gaps: [], handledCompletely: false };
  let offer: { start: Change; seen: string[] } | undefined;
  let mode: { kind: Mode; start: Change } | undefined;
  let talked = false;
  const phase = (kind: PhaseKind, from: Change, to: Change) => {
    run.phases.push({
      phase: { contactId: leg.id, kind, start: from.at.text, end: to.at.text, seconds: Math.max(0, seconds(from.at.ms, to.at.ms)), source: 'agentEvent' },
      refs: uniqueRefs([from.ref, to.ref]),
    });
  };
  const closeMode = (at: Change) => {
    if (!mode) return;
    phase(mode.kind, mode.start, at);
    mode = undefined;
  };
  const closeOffer = (at: Change) => {
    if (!offer) return;
    const start = offer.start;
    phase('ringing', start, at);
    const ring = Math.max(0, seconds(start.at.ms, at.at.ms));
    const path = [...offer.seen, at.raw === 'gone' ? 'left the snapshot' : at.raw].join(' -> ');
    const evidence = [`${path} (${start.at.text} -> ${at.at.text})`];
    let outcome: OfferOutcome | undefined = at.state === 'gone' || at.state === 'ENDED' ? undefined : OFFER_OUTCOME_OF_STATE[at.state];
    const d = times.disconnect;
    const customerLeftWhileRinging = d !== undefined && d.ms >= start.at.ms - TIMESTAMP_TOLERANCE_MS && d.ms <= at.at.ms + TIMESTAMP_TOLERANCE_MS;
    if (outcome !== 'accepted' && customerLeftWhileRinging) {
      outcome = 'abandoned';
      evidence.push(`DisconnectTimestamp ${d.text} falls within the ring`);
    }
    offer = undefined;
    if (!outcome) {
      run.gaps.push(`The offer of contact ${leg.id} to ${agent} at ${start.at.text} ended (${path}) with no outcome the dumps can tell.`);
      return;
    }
    run.offers.push({ offer: { contactId: leg.id, agent, outcome, ringSeconds: ring, evidence }, refs: uniqueRefs([start.ref, at.ref]) });
  };

  /**
   * MISSED, REJECTED or ERROR with no offered state before it in the dumps (the offer and its
   * end fell between two events) and no connection: still an offer to this agent that ended so.
   */
  const unseenOffer = (c: Change) => {
    const outcome = c.state === 'gone' ? undefined : OFFER_OUTCOME_OF_STATE[c.state];
    if (!outcome || agentStarted || talked || idAt(c.contact, ['ConnectedToAgentTimestamp']) !== undefined) return;
    const queued = idAt(c.contact, ['QueueTimestamp']);
    run.offers.push({
      offer: {
        contactId: leg.id,
        agent,
        outcome,
        ringSeconds: null,
        evidence: [
          `${c.raw} from ${c.at.text} in the ${c.fromPrevious ? 'PreviousAgentSnapshot' : 'CurrentAgentSnapshot'} of the event at ${c.eventAt.text}`,
          ...(queued ? [`QueueTimestamp ${queued}`] : []),
          'ConnectedToAgentTimestamp null',
        ],
      },
      refs: [c.ref],
    });
    run.gaps.push(
      `No offered state (${[...OFFERED_STATES].join(', ')}) of contact ${leg.id} to ${agent} is in the dumps: when that offer started and how long it rang are not known.`,
    );
  };

  for (const c of changes) {
    if (c.state !== 'gone' && OFFERED_STATES.has(c.state)) {
      closeMode(c);
      if (agentStarted) continue; // the agent is dialling out: not an offer
      if (offer) offer.seen.push(c.raw);
      else offer = { start: c, seen: [c.raw] };
      continue;
    }
    const offerOpen = offer !== undefined;
    closeOffer(c);
    if (!offerOpen) unseenOffer(c);
    switch (c.state) {
      case 'CONNECTED':
        if (mode?.kind !== 'talk') {
          closeMode(c);
          mode = { kind: 'talk', start: c };
          talked = true;
        }
        break;
      case 'CONNECTED_ONHOLD':
        closeMode(c);
        mode = { kind: 'hold', start: c };
        break;
      case 'PAUSED':
        closeMode(c);
        mode = { kind: 'paused', start: c };
        break;
      case 'ENDED':
        closeMode(c);
        mode = { kind: 'acw', start: c };
        break;
      case 'gone':
        if (mode?.kind === 'acw' && talked) run.handledCompletely = true;
        closeMode(c);
        break;
      default: // MISSED, REJECTED, ERROR end whatever the agent had
        closeMode(c);
        break;
    }
  }
  if (offer)
    run.gaps.push(
      `The offer of contact ${leg.id} to ${agent} at ${offer.start.at.text} has no outcome in the dumps (its last state is ${offer.seen[offer.seen.length - 1]}).`,
    );
  if (mode)
    run.gaps.push(
      `${agent}'s ${mode.kind === 'acw' ? 'after-contact work' : mode.kind} on contact ${leg.id} from ${mode.start.at.text} has no end in the dumps.`,
    );
  return run;
}

function uniqueRefs(refs: RecordRef[]): RecordRef[] {
  const out: RecordRef[] = [];
  for (const r of refs) if (!out.some((o) => o.uri === r.uri && o.start === r.start && o.end === r.end)) out.push(r);
  return out;
}

// ---- one leg --------------------------------------------------------------------------

interface LegExplained {
  phases: { phase: Phase; refs: RecordRef[] }[];
  offers: { offer: Offer; refs: RecordRef[] }[];
  gaps: string[];
  /** Totals this leg's data can tell (a contact record tells them all, zero included). */
  tells: Set<keyof Totals>;
}

const RECORD_TELLS: (keyof Totals)[] = ['ivrSeconds', 'queueSeconds', 'talkSeconds', 'holdSeconds', 'acwSeconds', 'externalSeconds'];

function explainLeg(leg: Leg): LegExplained {
  const out: LegExplained = { phases: [], offers: [], gaps: [], tells: new Set() };
  const v = leg.record?.value;
  const recordRefs = leg.record ? [leg.record.ref] : [];
  const method = idAt(v, ['InitiationMethod']) ?? idAt(leg.snapshotContact, ['InitiationMethod']);
  const agentStarted = method !== undefined && AGENT_STARTED_METHODS.has(method);
  const recordTimes = contactRecordTimes(v);
  const times: LegTimes = { disconnect: recordTimes.disconnect };

  // Agent events, agent by agent.
  const byAgent = new Map<string, ExplainRecord[]>();
  for (const e of leg.events) {
    const arn = idAt(e.value, ['AgentARN']) ?? '(agent ARN missing)';
    const list = byAgent.get(arn);
    if (list) list.push(e);
    else byAgent.set(arn, [e]);
  }
  const runs = [...byAgent.values()].map((events) =>
    runOfAgent(leg, agentNameOfEvent(events[events.length - 1].value), stateChanges(events), times, agentStarted),
  );
  const eventsHandled = runs.some((r) => r.handledCompletely);
  for (const r of runs) {
    out.offers.push(...r.offers);
    out.gaps.push(...r.gaps);
    for (const p of r.phases) {
      // Handling phases from events stand only when the events cover the whole handling.
      if (p.phase.kind === 'ringing' || eventsHandled) out.phases.push(p);
    }
  }
  if (eventsHandled) for (const k of ['talkSeconds', 'holdSeconds', 'acwSeconds'] as const) out.tells.add(k);

  if (!v) {
    out.phases.sort(byStart);
    out.gaps.push(`No contact record for contact ${leg.id}: its IVR, queue, external and disconnect times are not in the dumps.`);
    if (!eventsHandled && runs.length > 0)
      out.gaps.push(`The agent events of contact ${leg.id} do not cover its whole handling (connected to cleared): its talk, hold and ACW totals are unknown.`);
    return out;
  }
  for (const k of RECORD_TELLS) out.tells.add(k);
  const rec = (kind: PhaseKind, from: Time | undefined, to: Time | undefined, total?: number): void => {
    if (from && to) {
      if (to.ms < from.ms) {
        out.gaps.push(`Contact ${leg.id}: the ${kind} phase would end (${to.text}) before it starts (${from.text}); it is left out.`);
        return;
      }
      out.phases.push({
        phase: { contactId: leg.id, kind, start: from.text, end: to.text, seconds: seconds(from.ms, to.ms), source: 'contactRecord' },
        refs: recordRefs,
      });
    } else if (total !== undefined && total > 0) {
      out.phases.push({ phase: { contactId: leg.id, kind, start: null, end: null, seconds: total, source: 'contactRecord' }, refs: recordRefs });
    }
  };
  const queue = objectAt(v, ['Queue']);
  const agent = objectAt(v, ['Agent']);
  const {
    initiation: tInit,
    enqueue: tEnq,
    dequeue: tDeq,
    connectedToAgent: tConn,
    acwStart: tAcwS,
    acwEnd: tAcwE,
    transferCompleted: tXfer,
    disconnect: tDisc,
  } = recordTimes;

  // Before the queue: a callback's initial delay, or flow (IVR) time: from the contact's flow
  // logs when the dumps have them (first to last block run before the queue), else from
  // initiation until it was queued.
  if (method === 'CALLBACK') rec('callback-wait', tInit, tEnq);
  else if (method !== undefined && FLOW_FIRST_METHODS.has(method)) {
    const ivr = ivrFromFlowLogs(leg, tEnq ?? (agent ? tConn : tDisc));
    if (ivr) out.phases.push(ivr);
    else rec('ivr', tInit, tEnq ?? (agent ? undefined : tDisc));
  }
  rec('queue', tEnq, tDeq, tEnq && tDeq ? undefined : numberAt(queue, ['Duration']));
  if (queue && tEnq && !tDeq) out.gaps.push(`Contact ${leg.id}: Queue.DequeueTimestamp is not in the contact record; the queue time is unknown.`);

  const attempts = numberAt(v, ['AgentConnectionAttempts']);
  if (!runs.some((r) => r.offers.length > 0 || r.phases.some((p) => p.phase.kind === 'ringing'))) {
    if (!agentStarted && tDeq && tConn && tConn.ms >= tDeq.ms) rec('ringing', tDeq, tConn);
  }
  const agentName = agentNameOfRecord(v);
  if (agent && tConn && agentName && !agentStarted && !out.offers.some((o) => o.offer.outcome === 'accepted')) {
    out.offers.push({
      offer: {
        contactId: leg.id,
        agent: agentName,
        outcome: 'accepted',
        ringSeconds: null,
        evidence: [`Agent.ConnectedToAgentTimestamp ${tConn.text}`, ...(attempts !== undefined ? [`AgentConnectionAttempts ${attempts}`] : [])],
      },
      refs: recordRefs,
    });
  }
  if (!agentStarted && attempts !== undefined && attempts !== out.offers.length) {
    out.gaps.push(
      attempts > out.offers.length
        ? `Contact ${leg.id}: AgentConnectionAttempts is ${attempts} but the dumps show ${out.offers.length} offer(s); the agent events of the other attempt(s) are not in the dumps.`
        : `Contact ${leg.id}: the agent events show ${out.offers.length} offers but AgentConnectionAttempts is ${attempts}.`,
    );
  }

  if (!eventsHandled && agent) {
    const holdS = numberAt(agent, ['CustomerHoldDuration']) ?? 0;
    const pauseS = numberAt(agent, ['AgentPauseDuration']) ?? 0;
    const talkEnd = tAcwS ?? tDisc;
    const interaction = numberAt(agent, ['AgentInteractionDuration']);
    // Times only when they agree with the record's own duration (whole seconds, 1 s slack).
    const agrees = tConn && talkEnd && (interaction === undefined || Math.abs(seconds(tConn.ms, talkEnd.ms) - interaction) * 1000 <= TIMESTAMP_TOLERANCE_MS);
    if (tConn && talkEnd && holdS === 0 && pauseS === 0 && agrees) {
      rec('talk', tConn, talkEnd);
    } else {
      rec('talk', undefined, undefined, interaction);
      rec('hold', undefined, undefined, holdS);
      rec('paused', undefined, undefined, pauseS);
      if (!tConn) out.gaps.push(`Contact ${leg.id}: Agent.ConnectedToAgentTimestamp is not in the contact record.`);
    }
    rec('acw', tAcwS, tAcwE, tAcwS && tAcwE ? undefined : numberAt(agent, ['AfterContactWorkDuration']));
    if (tAcwS && !tAcwE && numberAt(agent, ['AfterContactWorkDuration']) === undefined)
      out.gaps.push(`Contact ${leg.id}: Agent.AfterContactWorkEndTimestamp is not in the contact record; the ACW time is unknown.`);
    if (leg.events.length === 0) out.gaps.push(`No agent events for contact ${leg.id}: its offers and ring times come from the contact record alone.`);
  }
  const endpoint = objectAt(v, ['TransferredToEndpoint']);
  if (endpoint && tXfer && tDisc && tDisc.ms > tXfer.ms) rec('external', tXfer, tDisc);
  out.phases.sort(byStart);
  return out;
}

/**
 * The IVR phase from the leg's flow log entries: the first block it ran to the last one run
 * before `until` (the enqueue; with no queue, the agent's connection or the disconnect). Flow
 * logs carry milliseconds, contact records whole seconds: a block up to the tolerance after
 * `until` (the TransferToQueue that queued it) still counts. Later blocks (a disconnect flow,
 * a later transfer) are not IVR time. Undefined when no block ran before `until`.
 */
function ivrFromFlowLogs(leg: Leg, until: Time | undefined): { phase: Phase; refs: RecordRef[] } | undefined {
  if (!until) return undefined;
  const before = leg.flows
    .map((e) => ({ e, t: timeOf(e.value.Timestamp) }))
    .filter((x): x is { e: ExplainRecord; t: Time } => x.t !== undefined && x.t.ms <= until.ms + TIMESTAMP_TOLERANCE_MS);
  if (before.length === 0) return undefined;
  const first = before[0];
  const last = before[before.length - 1];
  return {
    phase: { contactId: leg.id, kind: 'ivr', start: first.t.text, end: last.t.text, seconds: seconds(first.t.ms, last.t.ms), source: 'flowLog' },
    refs: uniqueRefs([first.e.ref, last.e.ref]),
  };
}

const KIND_ORDER: PhaseKind[] = ['callback-wait', 'ivr', 'queue', 'ringing', 'talk', 'hold', 'paused', 'acw', 'external'];

/** Phases in time order; totals without times after the timed ones. */
function byStart(a: { phase: Phase }, b: { phase: Phase }): number {
  const ta = parseTimestamp(a.phase.start) ?? Infinity;
  const tb = parseTimestamp(b.phase.start) ?? Infinity;
  return ta - tb || KIND_ORDER.indexOf(a.phase.kind) - KIND_ORDER.indexOf(b.phase.kind);
}

// ---- the whole explanation ------------------------------------------------------------

const PHASE_TOTAL: Partial<Record<PhaseKind, keyof Totals>> = {
  ivr: 'ivrSeconds',
  queue: 'queueSeconds',
  talk: 'talkSeconds',
  hold: 'holdSeconds',
  acw: 'acwSeconds',
  external: 'externalSeconds',
};

/** The explanation of a contact and its chain, or undefined when no record mentions the ID. */
export function explainContact(contactId: string, input: ExplainInput): ExplainResult | undefined {
  if (!input.mentioned(contactId)) return undefined;
  const gaps: string[] = [];
  const legs = collectLegs(contactId, input, gaps);
  const fields = new Map(legs.map((l) => [l.id, legFields(l)]));
  const chain: ChainLeg[] = [];
  const refs: ExplanationRefs = { chain: [], phases: [], offers: [], disconnect: [] };
  const phases: Phase[] = [];
  const offers: Offer[] = [];
  const tells = new Set<keyof Totals>();

  for (const leg of legs) {
    const f = fields.get(leg.id)!;
    // A record naming itself as previous is a link-cycle finding of its own, not a chain step.
    const previous = f.previousContactId && f.previousContactId !== leg.id ? fields.get(f.previousContactId) : undefined;
    if (f.previousContactId && !previous)
      gaps.push(
        `Contact ${leg.id} names ${shownId(f.previousContactId)} as its previous contact, which is not in the dumps: its label rests on its own fields.`,
      );
    const { label, evidence, rule } = labelLeg(f, previous);
    if (rule.source === 'inferred' && label === 'transfer')
      gaps.push(
        `How contact ${leg.id} (InitiationMethod ${f.initiationMethod ?? 'unknown'}) follows the previous leg is not told by the dumps: it is labelled "transfer" from its link alone.`,
      );
    const queue = objectAt(leg.record?.value, ['Queue']) ?? objectAt(leg.snapshotContact, ['Queue']);
    const explained = explainLeg(leg);
    const accepted = explained.offers.find((o) => o.offer.outcome === 'accepted');
    chain.push({
      contactId: leg.id,
      initiationMethod: f.initiationMethod ?? null,
      label,
      agent: agentNameOfRecord(leg.record?.value) ?? accepted?.offer.agent ?? null,
      queue: idAt(queue, ['Name']) ?? idAt(queue, ['ARN']) ?? null,
      evidence,
    });
    refs.chain.push(leg.record ? [leg.record.ref] : leg.events.slice(0, 1).map((e) => e.ref));
    for (const p of explained.phases) {
      phases.push(p.phase);
      refs.phases.push(p.refs);
    }
    for (const o of explained.offers) {
      offers.push(o.offer);
      refs.offers.push(o.refs);
    }
    gaps.push(...explained.gaps);
    explained.tells.forEach((k) => tells.add(k));
  }
  // The sentence stands for the legs whose IVR time had no flow log to come from.
  if (phases.some((p) => p.kind === 'ivr' && p.source !== 'flowLog'))
    gaps.push('No contact flow logs are read here: the ivr phase is the time from initiation until the contact was queued, not the flow blocks it ran.');

  // The customer's contact ended in the chain leg that disconnected last.
  let ended: Leg | undefined;
  for (const leg of legs) {
    const d = fields.get(leg.id)!.disconnect;
    if (d === undefined || chain.find((c) => c.contactId === leg.id)?.label === 'monitor') continue;
    if (!ended || d >= fields.get(ended.id)!.disconnect!) ended = leg;
  }
  const endedRecord = (ended ?? legs.find((l) => l.id === contactId))?.record?.value;
  const reason = idAt(endedRecord, ['DisconnectReason']);
  const disconnect: Disconnect = {
    contactId: ended?.id ?? contactId,
    reason: reason ?? null,
    timestamp: ended ? (idAt(endedRecord, ['DisconnectTimestamp']) ?? null) : null,
    by: disconnectBy(reason),
  };
  if (ended?.record) refs.disconnect.push(ended.record.ref);
  if (!ended) gaps.push('No DisconnectTimestamp in the dumps: when and how the contact ended is not known.');
  else if (!reason) gaps.push(`Contact ${ended.id} has no DisconnectReason: who ended it is not known.`);

  const totals: Totals = {
    ivrSeconds: null,
    queueSeconds: null,
    talkSeconds: null,
    holdSeconds: null,
    acwSeconds: null,
    handleSeconds: null,
    externalSeconds: null,
  };
  for (const k of tells) totals[k] = 0;
  for (const p of phases) {
    const k = PHASE_TOTAL[p.kind];
    if (k && totals[k] !== null) totals[k] = round(totals[k] + p.seconds);
  }
  const handle = [totals.talkSeconds, totals.holdSeconds, totals.acwSeconds].filter((x): x is number => x !== null);
  totals.handleSeconds = handle.length ? round(handle.reduce((a, b) => a + b, 0)) : null;

  const self = legs.find((l) => l.id === contactId);
  const selfFields = fields.get(contactId);
  const explanation: Explanation = {
    contactId,
    channel: idAt(self?.record?.value, ['Channel']) ?? idAt(self?.snapshotContact, ['Channel']) ?? null,
    initiationMethod: selfFields?.initiationMethod ?? null,
    chain,
    phases,
    offers,
    disconnect,
    totals,
    gaps: [...new Set(gaps)],
  };
  return { explanation, refs };
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

// ---- closest IDs (for a contact ID that is nowhere) -----------------------------------

function editDistance(a: string, b: string, row: Uint16Array): number {
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The `count` known IDs closest to `id` by edit distance (ties in the order given). */
export function closestContactIds(id: string, known: Iterable<string>, count = 3): string[] {
  const probe = id.toLowerCase().slice(0, 256);
  const scored: { id: string; d: number; i: number }[] = [];
  let i = 0;
  for (const k of known) {
    const row = new Uint16Array(Math.min(k.length, 256) + 1);
    scored.push({ id: k, d: editDistance(probe, k.toLowerCase().slice(0, 256), row), i: i++ });
  }
  scored.sort((a, b) => a.d - b.d || a.i - b.i);
  return scored.slice(0, count).map((s) => s.id);
}
