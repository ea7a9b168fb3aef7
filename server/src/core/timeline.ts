// Builds the timeline model of one contact and its chain from the contact model of the
// open dumps. Pure: no vscode / LSP imports. Times come only from the records: a piece the
// dumps do not give is drawn as `missing` between the nearest known times, never guessed.
// The pieces: the chain (chain.ts), leg lanes (timelineLegs.ts), agent lanes
// (timelineAgents.ts), link markers (timelineMarkers.ts), the zone (timeZone.ts) and the
// other rules' findings (timelineFindings.ts).
import { ChainMember, walkChain } from './chain';
import { shownId } from './contactIdLength';
import { idAt } from './json';
import { AgentEventRef, byEventTime, ContactEventRef, contactModel, ContactRecordRef } from './model';
import { agentKey, agentStatesForContact, agentStatusSegments, agentStream, agentTitle, eventsForStates, statusWindow } from './timelineAgents';
import { attachFindings } from './timelineFindings';
import {
  contactFromEvents,
  kindsOnlyNote,
  LegFacts,
  LegSegments,
  legSegmentsFromContactEvents,
  legSegmentsFromEvents,
  legSegmentsFromRecord,
} from './timelineLegs';
import { withKindLanes } from './timelineKinds';
import { linkMarkers, MarkedLeg } from './timelineMarkers';
import { iso, maxOf, minOf, SegmentFactory, sourceOf, sum } from './timelineSegments';
import { collectStamps, timeZoneOf } from './timeZone';
import type { Dump, Finding } from './types';
import type { TimelineFinding, TimelineLane, TimelineModel, TimelineSegment, TimelineSummary } from '../shared/timeline';

export interface BuildTimelineOptions {
  /** Findings of the other rules, per document URI; attached to the bars of the records they fall in. */
  findings?: ReadonlyMap<string, readonly Finding[]>;
  /** Safety cap on the number of legs followed through links (default 50). */
  maxLegs?: number;
}

interface LegBuild extends MarkedLeg {
  lane: TimelineLane;
  member: ChainMember;
  ctr?: ContactRecordRef;
  facts: LegFacts;
  /** The contact events the leg is drawn from, when it has no contact record or agent event. */
  drawnFrom?: readonly ContactEventRef[];
}

/**
 * The timeline of a contact and its chain across all the given dumps, or undefined when
 * no record in them mentions the contact.
 */
export function buildTimeline(contactId: string, dumps: readonly Dump[], options: BuildTimelineOptions = {}): TimelineModel | undefined {
  const model = contactModel(dumps);
  const known = (id: string) =>
    model.record(id) !== undefined || model.sightings(id).length > 0 || model.contactEventsOf(id).length > 0 || model.flowLogsOf(id).length > 0;
  if (!known(contactId)) return undefined;

  const maxLegs = options.maxLegs ?? 50;
  const { members, edges, truncated } = walkChain(model, contactId, maxLegs);
  const modelFindings: TimelineFinding[] = [];
  if (truncated) {
    modelFindings.push({
      code: 'timeline-truncated',
      severity: 'information',
      message: `The chain of ${contactId} has more than ${maxLegs} linked contacts; only the first are shown.`,
    });
  }

  // Legs: one lane per chain member that some record mentions.
  const legs: LegBuild[] = [];
  const agentEvents = new Map<string, AgentEventRef[]>(); // agent -> its events that show a leg
  for (const member of members) {
    const ctr = model.record(member.id);
    const events = model.eventsOfContact(member.id);
    if (!known(member.id)) {
      const linkedFrom = edges.find((e) => e.from === member.id || e.to === member.id);
      const writer = linkedFrom && (model.record(linkedFrom.writtenBy) ?? model.contactEventsOf(linkedFrom.writtenBy)[0]);
      modelFindings.push({
        code: 'link-missing',
        severity: 'information',
        message: `Contact ${member.id} is linked from the chain but is not in the open dumps.`,
        source: writer ? sourceOf(writer) : undefined,
      });
      continue;
    }
    for (const ev of events) {
      const list = agentEvents.get(agentKey(ev));
      if (list) list.push(ev);
      else agentEvents.set(agentKey(ev), [ev]);
    }
    const laneId = `leg:${member.id}`;
    const f = new SegmentFactory(laneId);
    const facts: LegFacts = {};
    const notes: string[] = [];
    const snapshotContact = model.snapshotContact(member.id);
    const contactEvents = model.contactEventsOf(member.id);
    const timed = events.filter((e) => e.time !== undefined).sort(byEventTime);
    let legSegments: LegSegments;
    let drawnFrom: readonly ContactEventRef[] | undefined;
    if (ctr) legSegments = legSegmentsFromRecord(ctr, f, facts, notes);
    else if (events.length > 0) legSegments = legSegmentsFromEvents(member.id, snapshotContact, timed, f, notes);
    else {
      // Known only from EventBridge contact events and / or flow logs: drawn from what they carry, and said so.
      notes.push(kindsOnlyNote(contactEvents.length, model.flowLogsOf(member.id).length));
      legSegments = legSegmentsFromContactEvents(contactEvents, f, facts);
      drawnFrom = contactEvents;
    }
    const { segments, holds, pauses } = legSegments;
    const described = ctr ? undefined : (snapshotContact ?? contactFromEvents(member.id, contactEvents));
    const channel = idAt(ctr?.value, ['Channel']) ?? idAt(described, ['Channel']);
    const method = idAt(ctr?.value, ['InitiationMethod']) ?? idAt(described, ['InitiationMethod']);
    const queueName = idAt(ctr?.value, ['Queue', 'Name']);
    const flowTimes = model.flowLogsOf(member.id).map((e) => e.time ?? Infinity);
    const startMs = Math.min(minOf(segments.map((s) => Date.parse(s.start))), minOf(timed.map((e) => e.time!)), minOf(flowTimes));
    const lane: TimelineLane = {
      id: laneId,
      kind: 'leg',
      title: method ?? 'Contact', // numbered once the legs are ordered
      subtitle: [member.id, channel, queueName].filter(Boolean).join(' · '),
      contactId: member.id,
      relation: member.relation,
      segments,
    };
    if (holds) lane.holds = holds;
    if (pauses) lane.pauses = pauses;
    if (notes.length > 0) lane.notes = notes;
    legs.push({
      lane,
      laneId,
      startMs: Number.isFinite(startMs) ? startMs : Infinity,
      member,
      ctr,
      facts,
      record: ctr?.value,
      described,
      drawnFrom,
    });
  }

  // Chain legs in time order, related contacts after them.
  legs.sort(
    (a, b) => Number(a.member.relation === 'related') - Number(b.member.relation === 'related') || a.startMs - b.startMs || a.member.order - b.member.order,
  );
  legs.forEach((leg, i) => {
    leg.lane.title = `${leg.member.relation === 'related' ? 'Related' : 'Leg'} ${i + 1} · ${leg.lane.title}`;
  });

  // Agent lanes: the states of every leg the agent handled, over the agent's status.
  const agentLanes: TimelineLane[] = [];
  const legHold = new Map<string, { ms: number; count: number }>();
  const legPause = new Map<string, { ms: number; count: number }>();
  const agentOrder = [...agentEvents.entries()].map(([key, evs]) => ({ key, first: evs.reduce((m, e) => Math.min(m, e.time ?? Infinity), Infinity) }));
  agentOrder.sort((a, b) => (Number.isFinite(a.first) ? a.first : 0) - (Number.isFinite(b.first) ? b.first : 0));
  for (const { key } of agentOrder) {
    const laneId = `agent:${key}`;
    const f = new SegmentFactory(laneId);
    const stream = agentStream(model, key);
    const segments: TimelineSegment[] = [];
    for (const leg of legs) {
      const run = agentStatesForContact(eventsForStates(model, key, leg.member.id, stream), leg.member.id, f);
      segments.push(...run.segments);
      if (run.holdCount > 0) {
        const h = legHold.get(leg.member.id) ?? { ms: 0, count: 0 };
        legHold.set(leg.member.id, { ms: h.ms + run.holdMs, count: h.count + run.holdCount });
      }
      if (run.pauseCount > 0) {
        const p = legPause.get(leg.member.id) ?? { ms: 0, count: 0 };
        legPause.set(leg.member.id, { ms: p.ms + run.pauseMs, count: p.count + run.pauseCount });
      }
    }
    if (segments.length === 0) continue;
    segments.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const { lo, hi } = statusWindow(segments);
    const { title, subtitle } = agentTitle(stream, key);
    agentLanes.push({
      id: laneId,
      kind: 'agent',
      title,
      subtitle,
      agentArn: key,
      segments,
      background: agentStatusSegments(stream, lo, hi, f),
    });
  }

  // Holds and pauses drawn from events replace the record's counts for that leg.
  for (const leg of legs) {
    const h = legHold.get(leg.member.id);
    if (h) leg.lane.holds = { from: 'agent-events', count: h.count, totalMs: h.ms };
    const p = legPause.get(leg.member.id);
    if (p) leg.lane.pauses = { from: 'agent-events', count: p.count, totalMs: p.ms };
  }

  const markers = linkMarkers(model, edges, new Map(legs.map((l) => [l.member.id, l])));

  const lanes = withKindLanes([...legs.map((l) => l.lane), ...agentLanes], markers, model);
  const allSegments = lanes.flatMap((l) => l.segments);
  attachFindings(allSegments, options.findings);
  for (const seg of allSegments) {
    for (const fd of seg.findings ?? []) {
      if (!modelFindings.some((m) => m.code === fd.code && m.message === fd.message)) modelFindings.push(fd);
    }
  }

  const summary = summarize(contactId, legs, agentLanes.length, allSegments, agentEvents, legHold, legPause);
  const result: TimelineModel = { contactId, summary, lanes, markers, findings: modelFindings };
  if (summary.channel) result.channel = summary.channel;
  return result;
}

function summarize(
  contactId: string,
  legs: readonly LegBuild[],
  agents: number,
  allSegments: readonly TimelineSegment[],
  agentEvents: ReadonlyMap<string, readonly AgentEventRef[]>,
  legHold: ReadonlyMap<string, { ms: number }>,
  legPause: ReadonlyMap<string, { ms: number }>,
): TimelineSummary {
  const stamps: string[] = [];
  for (const leg of legs) if (leg.ctr) collectStamps(leg.ctr.value, stamps);
  // A leg drawn from contact events: their times count for the zone too.
  for (const leg of legs) for (const e of leg.drawnFrom ?? []) collectStamps(e.detail, stamps);
  for (const evs of agentEvents.values()) for (const ev of evs) collectStamps(ev.value, stamps);
  const t0 = allSegments.length ? minOf(allSegments.map((s) => Date.parse(s.start))) : undefined;
  const t1 = allSegments.length ? maxOf(allSegments.map((s) => Date.parse(s.end))) : undefined;
  const self = legs.find((l) => l.member.relation === 'self');
  const chainLegs = legs.filter((l) => l.member.relation !== 'related');
  const fromSelf = (field: string): string | undefined => idAt(self?.record, [field]) ?? idAt(self?.described, [field]);
  const initial = fromSelf('InitialContactId');
  const summary: TimelineSummary = {
    contactId,
    initialContactId: initial && shownId(initial), // shown in the header, not followed
    channel: fromSelf('Channel'),
    start: t0 === undefined ? undefined : iso(t0),
    end: t1 === undefined ? undefined : iso(t1),
    totalMs: t0 === undefined || t1 === undefined ? undefined : t1 - t0,
    queueMs: sum(chainLegs.map((l) => l.facts.queueMs)),
    talkMs: sum(
      chainLegs.map((l) => {
        if (l.facts.talkMs !== undefined) return l.facts.talkMs;
        if (l.facts.connectedMs === undefined) return undefined;
        const hold = legHold.get(l.member.id)?.ms ?? l.facts.holdMsFromRecord ?? 0;
        return Math.max(0, l.facts.connectedMs - hold);
      }),
    ),
    holdMs: sum(chainLegs.map((l) => legHold.get(l.member.id)?.ms ?? l.facts.holdMsFromRecord)),
    acwMs: sum(chainLegs.map((l) => l.facts.acwMs)),
    pauseMs: sum(chainLegs.map((l) => legPause.get(l.member.id)?.ms ?? l.facts.pauseMsFromRecord)),
    legs: chainLegs.length,
    agents,
    timeZone: timeZoneOf(stamps),
  };
  for (const key of Object.keys(summary) as (keyof TimelineSummary)[]) {
    if (summary[key] === undefined) delete summary[key];
  }
  return summary;
}
