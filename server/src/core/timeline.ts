// Builds the timeline model of one contact and its chain from the records of the open
// dumps. Pure: no vscode / LSP imports. Times come only from the records: a piece the
// dumps do not give is drawn as `missing` between the nearest known times, never guessed.

import { parseTimestamp, timestampZone } from './time';
import { collectWorkspace } from './duplicates';
import { collectKindSightings } from './kindSightings';
import { addKindLanes } from './timelineKinds';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Dump, DumpRecord, Finding } from './types';
import type {
  DurationTally,
  SegmentKind,
  SourceRef,
  TimeZoneInfo,
  TimelineFinding,
  TimelineLane,
  TimelineMarker,
  TimelineModel,
  TimelineSegment,
  TimelineSummary,
} from '../shared/timeline';

export interface BuildTimelineOptions {
  /** Findings of the other rules, per document URI; attached to the bars of the records they fall in. */
  findings?: ReadonlyMap<string, readonly Finding[]>;
  /** Safety cap on the number of legs followed through links (default 50). */
  maxLegs?: number;
}

type Obj = Record<string, unknown>;

interface CtrRef {
  dump: Dump;
  record: DumpRecord;
  value: Obj;
}

interface EventRef {
  dump: Dump;
  record: DumpRecord;
  value: Obj;
  /** EventTimestamp in ms; NaN when absent or unreadable (such events are skipped). */
  time: number;
  agentArn: string;
}

interface DumpIndex {
  records: DumpRecord[];
  text: string;
  ctrs: Map<string, CtrRef[]>;
  eventsByContact: Map<string, EventRef[]>;
  eventsByAgent: Map<string, EventRef[]>;
  /** Reverse links: contact ID -> contact records that name it in a link field. */
  referencedBy: Map<string, CtrRef[]>;
}

// ---- small readers over untyped JSON ---------------------------------------------------

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function obj(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}
function str(o: Obj | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
function num(o: Obj | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function arr(o: Obj | undefined, key: string): Obj[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Milliseconds of a timestamp, by the core's one policy (core/time.ts). */
function parseTime(s: string | undefined): number | undefined {
  return parseTimestamp(s);
}
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sourceOf(dump: Dump, record: DumpRecord): SourceRef {
  return { uri: dump.uri, start: record.start, end: record.end };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function contactsOf(event: Obj, snapshot: 'CurrentAgentSnapshot' | 'PreviousAgentSnapshot'): Obj[] {
  return arr(obj(event, snapshot), 'Contacts');
}

// ---- per-dump index (cached: the panel asks again on every cursor move) ---------------

const indexCache = new WeakMap<Dump, DumpIndex>();

function indexOf(dump: Dump): DumpIndex {
  const cached = indexCache.get(dump);
  if (cached && cached.records === dump.records && cached.text === dump.text) return cached;
  const index: DumpIndex = {
    records: dump.records,
    text: dump.text,
    ctrs: new Map(),
    eventsByContact: new Map(),
    eventsByAgent: new Map(),
    referencedBy: new Map(),
  };
  for (const record of dump.records) {
    const value = record.value;
    if (!isObj(value)) continue;
    if (record.kind === 'contactRecord') {
      const id = str(value, 'ContactId');
      if (!id) continue;
      const ref: CtrRef = { dump, record, value };
      push(index.ctrs, id, ref);
      for (const key of ['PreviousContactId', 'NextContactId', 'RelatedContactId', 'InitialContactId']) {
        const other = str(value, key);
        if (other && other !== id) push(index.referencedBy, other, ref);
      }
    } else if (record.kind === 'agentEvent') {
      const agentArn = str(value, 'AgentARN') ?? '(agent ARN missing)';
      const time = parseTime(str(value, 'EventTimestamp')) ?? NaN;
      const ref: EventRef = { dump, record, value, time, agentArn };
      push(index.eventsByAgent, agentArn, ref);
      const ids = new Set<string>();
      for (const c of [...contactsOf(value, 'CurrentAgentSnapshot'), ...contactsOf(value, 'PreviousAgentSnapshot')]) {
        const id = str(c, 'ContactId');
        if (id) ids.add(id);
      }
      for (const id of ids) push(index.eventsByContact, id, ref);
    }
  }
  indexCache.set(dump, index);
  return index;
}

/** All dumps' indexes, read together. */
class Corpus {
  private readonly indexes: DumpIndex[];
  constructor(dumps: readonly Dump[]) {
    this.indexes = dumps.map(indexOf);
  }
  /** The contact record of a contact; with several copies, the latest LastUpdateTimestamp wins. */
  ctr(id: string): CtrRef | undefined {
    let best: CtrRef | undefined;
    let bestTime = -Infinity;
    for (const ix of this.indexes) {
      for (const ref of ix.ctrs.get(id) ?? []) {
        const t = parseTime(str(ref.value, 'LastUpdateTimestamp')) ?? -Infinity;
        if (!best || t > bestTime) {
          best = ref;
          bestTime = t;
        }
      }
    }
    return best;
  }
  referencedBy(id: string): CtrRef[] {
    return this.indexes.flatMap((ix) => ix.referencedBy.get(id) ?? []);
  }
  eventsOfContact(id: string): EventRef[] {
    return this.indexes.flatMap((ix) => ix.eventsByContact.get(id) ?? []);
  }
  eventsOfAgent(arn: string): EventRef[] {
    return this.indexes.flatMap((ix) => ix.eventsByAgent.get(arn) ?? []);
  }
  /** The agent-event view of a contact (Channel, InitiationMethod, InitialContactId, ...). */
  contactObject(id: string): Obj | undefined {
    for (const ev of this.eventsOfContact(id)) {
      const c = [...contactsOf(ev.value, 'CurrentAgentSnapshot'), ...contactsOf(ev.value, 'PreviousAgentSnapshot')].find(
        (x) => str(x, 'ContactId') === id,
      );
      if (c) return c;
    }
    return undefined;
  }
}

/** Sort by EventTimestamp, then by position in the dump: the stream gives no order guarantee. */
function byEventTime(a: EventRef, b: EventRef): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.dump.uri !== b.dump.uri) return a.dump.uri < b.dump.uri ? -1 : 1;
  return a.record.start - b.record.start;
}

// ---- the chain ------------------------------------------------------------------------

interface ChainMember {
  id: string;
  relation: 'self' | 'chain' | 'related';
  /** Order in which the walk reached it (tie-breaker after time). */
  order: number;
}

interface ChainEdge {
  from: string;
  to: string;
  kind: 'chain' | 'related';
  source: SourceRef;
}

function walkChain(
  corpus: Corpus,
  contactId: string,
  maxLegs: number,
): { members: ChainMember[]; edges: ChainEdge[]; truncated: boolean } {
  const members = new Map<string, ChainMember>();
  const edges = new Map<string, ChainEdge>();
  const queue: string[] = [contactId];
  members.set(contactId, { id: contactId, relation: 'self', order: 0 });
  let truncated = false;

  const addEdge = (from: string, to: string, kind: ChainEdge['kind'], source: SourceRef): void => {
    const key = `${from}\u0000${to}`;
    if (from !== to && !edges.has(key) && !edges.has(`${to}\u0000${from}`)) edges.set(key, { from, to, kind, source });
  };
  const visit = (id: string, relation: ChainMember['relation'], expand: boolean): void => {
    if (members.has(id)) return;
    if (members.size >= maxLegs) {
      truncated = true;
      return;
    }
    members.set(id, { id, relation, order: members.size });
    if (expand) queue.push(id);
  };

  while (queue.length > 0) {
    const id = queue.shift()!;
    const ctr = corpus.ctr(id);
    if (ctr) {
      const src = sourceOf(ctr.dump, ctr.record);
      const prev = str(ctr.value, 'PreviousContactId');
      const next = str(ctr.value, 'NextContactId');
      const initial = str(ctr.value, 'InitialContactId');
      const related = str(ctr.value, 'RelatedContactId');
      if (prev) {
        addEdge(prev, id, 'chain', src);
        visit(prev, 'chain', true);
      }
      if (next) {
        addEdge(id, next, 'chain', src);
        visit(next, 'chain', true);
      }
      if (initial && initial !== id) visit(initial, 'chain', true);
      if (related && members.get(id)?.relation !== 'related') {
        addEdge(id, related, 'related', src);
        visit(related, 'related', false);
      }
    } else {
      const initial = str(corpus.contactObject(id), 'InitialContactId');
      if (initial && initial !== id) visit(initial, 'chain', true);
    }
    // Contacts that name this one: later legs of the chain (or tasks related to it).
    if (members.get(id)?.relation === 'related') continue;
    for (const ref of corpus.referencedBy(id)) {
      const other = str(ref.value, 'ContactId')!;
      const src = sourceOf(ref.dump, ref.record);
      if (str(ref.value, 'PreviousContactId') === id) addEdge(id, other, 'chain', src);
      if (str(ref.value, 'NextContactId') === id) addEdge(other, id, 'chain', src);
      if (str(ref.value, 'RelatedContactId') === id) {
        addEdge(id, other, 'related', src);
        visit(other, 'related', false);
      } else {
        visit(other, 'chain', true);
      }
    }
  }
  return { members: [...members.values()], edges: [...edges.values()], truncated };
}

// ---- segments -------------------------------------------------------------------------

/** Per-leg facts gathered while building, for the summary. */
interface LegFacts {
  queueMs?: number;
  talkMs?: number;
  holdMsFromRecord?: number;
  acwMs?: number;
  pauseMsFromRecord?: number;
  connectedMs?: number;
}

class SegmentFactory {
  private counter = 0;
  constructor(private readonly laneId: string) {}

  make(
    kind: SegmentKind,
    label: string,
    startMs: number,
    endMs: number,
    source: SourceRef,
    extra: Partial<TimelineSegment> = {},
  ): TimelineSegment {
    const findings: TimelineFinding[] = [...(extra.findings ?? [])];
    if (endMs < startMs) {
      // Keep the known start; the backwards end is reported, not drawn.
      findings.push({
        code: 'timestamp-order',
        severity: 'warning',
        message: `${label}: ends at ${iso(endMs)}, before it starts at ${iso(startMs)}`,
        source,
      });
      endMs = startMs;
    }
    const seg: TimelineSegment = {
      ...extra,
      id: `${this.laneId}#${this.counter++}`,
      kind,
      label,
      start: iso(startMs),
      end: iso(endMs),
      durationMs: endMs - startMs,
      source,
    };
    if (findings.length > 0) seg.findings = findings;
    else delete seg.findings;
    return seg;
  }
}

/** The first of the given times that is not before `after`. */
function nextKnown(after: number, ...candidates: (number | undefined)[]): number | undefined {
  for (const c of candidates) if (c !== undefined && c >= after) return c;
  return undefined;
}

const SECOND = 1000;

function legSegmentsFromRecord(
  ctr: CtrRef,
  f: SegmentFactory,
  facts: LegFacts,
  notes: string[],
): { segments: TimelineSegment[]; holds?: DurationTally; pauses?: DurationTally } {
  const v = ctr.value;
  const src = sourceOf(ctr.dump, ctr.record);
  const queue = obj(v, 'Queue');
  const agent = obj(v, 'Agent');
  const tInit = parseTime(str(v, 'InitiationTimestamp'));
  const tEnq = parseTime(str(queue, 'EnqueueTimestamp'));
  const tDeq = parseTime(str(queue, 'DequeueTimestamp'));
  const tConn = parseTime(str(agent, 'ConnectedToAgentTimestamp'));
  const tAcwS = parseTime(str(agent, 'AfterContactWorkStartTimestamp'));
  const tAcwE = parseTime(str(agent, 'AfterContactWorkEndTimestamp'));
  const tDisc = parseTime(str(v, 'DisconnectTimestamp'));
  const method = str(v, 'InitiationMethod');
  const segments: TimelineSegment[] = [];

  if (tInit !== undefined) {
    const end = nextKnown(tInit, tEnq, tDeq, tConn, tDisc);
    segments.push(
      f.make('initiation', method ? `Initiated (${method})` : 'Initiated', tInit, end ?? tInit, src, {
        details: [`InitiationTimestamp ${str(v, 'InitiationTimestamp')}`],
      }),
    );
  } else {
    notes.push('InitiationTimestamp is missing from the contact record.');
  }

  const queueName = str(queue, 'Name');
  const queueDetails = queueName ? [`Queue ${queueName}`] : [];
  if (tEnq !== undefined && tDeq !== undefined) {
    segments.push(f.make('queue', 'In queue', tEnq, tDeq, src, { details: queueDetails }));
  } else if (tEnq !== undefined) {
    const end = nextKnown(tEnq, tConn, tAcwS, tDisc);
    segments.push(
      f.make('missing', 'In queue; dequeue time missing', tEnq, end ?? tEnq, src, {
        state: 'Queue.DequeueTimestamp',
        openEnd: end === undefined,
        details: [...queueDetails, 'Queue.DequeueTimestamp is not in the contact record.'],
      }),
    );
  } else if (tDeq !== undefined) {
    const start = tInit !== undefined && tInit <= tDeq ? tInit : tDeq;
    segments.push(
      f.make('missing', 'Enqueue time missing', start, tDeq, src, {
        state: 'Queue.EnqueueTimestamp',
        details: [...queueDetails, 'Queue.EnqueueTimestamp is not in the contact record.'],
      }),
    );
  }
  const queueDuration = num(queue, 'Duration');
  // A zero Duration next to a missing DequeueTimestamp is "unknown", not "no wait".
  if (queueDuration !== undefined && (tDeq !== undefined || queueDuration > 0)) facts.queueMs = queueDuration * SECOND;
  else if (tEnq !== undefined && tDeq !== undefined && tDeq >= tEnq) facts.queueMs = tDeq - tEnq;

  if (tDeq !== undefined && tConn !== undefined && tConn > tDeq) {
    segments.push(f.make('connecting', 'Connecting', tDeq, tConn, src));
  }

  if (tConn !== undefined) {
    const end = nextKnown(tConn, tAcwS, tDisc);
    segments.push(
      f.make('connected', 'Connected', tConn, end ?? tConn, src, {
        openEnd: end === undefined,
        details: end === undefined ? ['Neither AfterContactWorkStartTimestamp nor DisconnectTimestamp is present.'] : undefined,
      }),
    );
    if (end !== undefined) facts.connectedMs = end - tConn;
  } else if (agent && (tAcwS !== undefined || str(agent, 'ARN'))) {
    // An agent handled the leg but the record does not say when they were connected.
    const start = tDeq ?? tEnq;
    const end = start === undefined ? undefined : nextKnown(start, tAcwS, tDisc);
    if (start !== undefined && end !== undefined && end > start && tEnq !== undefined && tDeq !== undefined) {
      segments.push(
        f.make('missing', 'Connected time missing', start, end, src, {
          state: 'Agent.ConnectedToAgentTimestamp',
          details: ['Agent.ConnectedToAgentTimestamp is not in the contact record.'],
        }),
      );
    }
  }
  const interaction = num(agent, 'AgentInteractionDuration');
  if (interaction !== undefined) facts.talkMs = interaction * SECOND;

  if (tAcwS !== undefined && tAcwE !== undefined) {
    segments.push(f.make('acw', 'After-contact work', tAcwS, tAcwE, src));
  } else if (tAcwS !== undefined) {
    segments.push(
      f.make('missing', 'ACW end missing', tAcwS, tAcwS, src, {
        state: 'Agent.AfterContactWorkEndTimestamp',
        openEnd: true,
        details: ['Agent.AfterContactWorkEndTimestamp is not in the contact record.'],
      }),
    );
  }
  const acw = num(agent, 'AfterContactWorkDuration');
  if (acw !== undefined) facts.acwMs = acw * SECOND;
  else if (tAcwS !== undefined && tAcwE !== undefined && tAcwE >= tAcwS) facts.acwMs = tAcwE - tAcwS;

  if (tDisc !== undefined) {
    const reason = str(v, 'DisconnectReason');
    segments.push(
      f.make('disconnect', reason ? `Disconnected: ${reason}` : 'Disconnected', tDisc, tDisc, src, {
        state: reason,
        details: reason ? [`DisconnectReason ${reason}`] : ['No DisconnectReason in the contact record.'],
      }),
    );
  } else {
    notes.push('DisconnectTimestamp is missing from the contact record.');
  }

  let holds: DurationTally | undefined;
  const holdCount = num(agent, 'NumberOfHolds');
  const holdTotal = num(agent, 'CustomerHoldDuration');
  const holdLongest = num(agent, 'LongestHoldDuration');
  if (holdCount !== undefined || holdTotal !== undefined) {
    holds = {
      from: 'contact-record',
      count: holdCount,
      totalMs: holdTotal === undefined ? undefined : holdTotal * SECOND,
      longestMs: holdLongest === undefined ? undefined : holdLongest * SECOND,
    };
    facts.holdMsFromRecord = holds.totalMs;
  }
  let pauses: DurationTally | undefined;
  const pauseCount = num(v, 'TotalPauseCount');
  const pauseTotal = num(v, 'TotalPauseDurationInSeconds') ?? num(agent, 'AgentPauseDuration');
  if (pauseCount !== undefined || pauseTotal !== undefined) {
    pauses = { from: 'contact-record', count: pauseCount, totalMs: pauseTotal === undefined ? undefined : pauseTotal * SECOND };
    facts.pauseMsFromRecord = pauses.totalMs;
  }
  return { segments, holds, pauses };
}

// Maps, not object literals: a State of "toString" or "__proto__" must not find anything.
const STATE_KIND = new Map<string, SegmentKind>([
  ['INCOMING', 'incoming'],
  ['PENDING', 'pending'],
  ['CONNECTING', 'connecting'],
  ['CONNECTED', 'connected'],
  ['CONNECTED_ONHOLD', 'hold'],
  ['PAUSED', 'paused'],
  ['ENDED', 'acw'],
  ['MISSED', 'missed'],
  ['REJECTED', 'rejected'],
  ['ERROR', 'error'],
]);

// Which state can directly follow which, for spotting events missing from a dump. A jump
// outside this table means at least one event between the two was not in the dumps.
const DIRECT_NEXT = new Map<string, readonly string[]>([
  ['INCOMING', ['PENDING', 'CONNECTING', 'CONNECTED', 'MISSED', 'REJECTED', 'ERROR', 'ENDED']],
  ['PENDING', ['INCOMING', 'CONNECTING', 'CONNECTED', 'MISSED', 'REJECTED', 'ERROR', 'ENDED']],
  ['CONNECTING', ['CONNECTED', 'MISSED', 'REJECTED', 'ERROR']],
  ['CONNECTED', ['CONNECTED_ONHOLD', 'PAUSED', 'ENDED', 'ERROR']],
  ['CONNECTED_ONHOLD', ['CONNECTED', 'ENDED', 'ERROR']],
  ['PAUSED', ['CONNECTED', 'ENDED', 'ERROR']],
  ['ENDED', []],
  ['MISSED', []],
  ['REJECTED', []],
  ['ERROR', []],
]);

function isDirectNext(from: string, to: string): boolean {
  const next = DIRECT_NEXT.get(from);
  // States this table does not know say nothing about missing events.
  return next === undefined || !DIRECT_NEXT.has(to) || next.includes(to);
}

interface AgentContactRun {
  segments: TimelineSegment[];
  firstOffered?: number;
  holdMs: number;
  holdCount: number;
  pauseMs: number;
  pauseCount: number;
}

/** One agent's states for one contact, from that agent's events sorted by EventTimestamp. */
function agentStatesForContact(events: EventRef[], contactId: string, f: SegmentFactory): AgentContactRun {
  const out: AgentContactRun = { segments: [], holdMs: 0, holdCount: 0, pauseMs: 0, pauseCount: 0 };
  let cur: { state: string; start: number; lastSeen: number; ev: EventRef; contact: Obj } | undefined;

  const close = (end: number, openEnd: boolean): void => {
    if (!cur) return;
    const kind = STATE_KIND.get(cur.state) ?? 'other';
    const details = [`StateStartTimestamp ${str(cur.contact, 'StateStartTimestamp') ?? '(absent)'}`];
    if (openEnd) details.push('No later event for this contact in the open dumps.');
    const seg = f.make(kind, cur.state, cur.start, end, sourceOf(cur.ev.dump, cur.ev.record), {
      state: cur.state,
      contactId,
      openEnd: openEnd || undefined,
      details,
    });
    out.segments.push(seg);
    if (kind === 'hold') {
      out.holdMs += seg.durationMs;
      out.holdCount++;
    } else if (kind === 'paused') {
      out.pauseMs += seg.durationMs;
      out.pauseCount++;
    }
    cur = undefined;
  };

  for (const ev of events) {
    if (!Number.isFinite(ev.time)) continue;
    const c = contactsOf(ev.value, 'CurrentAgentSnapshot').find((x) => str(x, 'ContactId') === contactId);
    if (!c) {
      // The contact left the agent's snapshot: whatever state it was in ends here.
      if (cur) close(ev.time, false);
      continue;
    }
    const state = str(c, 'State') ?? '(no State)';
    const stateStart = parseTime(str(c, 'StateStartTimestamp'));
    if (cur && cur.state === state) {
      cur.lastSeen = ev.time;
      continue;
    }
    let start = ev.time;
    // StateStartTimestamp is the exact change time, except for CONNECTED_ONHOLD, where it
    // keeps the time the contact was connected; only trust it inside the known window.
    const lowerBound = cur ? cur.start : -Infinity;
    if (state !== 'CONNECTED_ONHOLD' && stateStart !== undefined && stateStart <= ev.time && stateStart >= lowerBound) {
      start = stateStart;
    }
    if (cur) {
      if (!isDirectNext(cur.state, state)) {
        const from = cur.state;
        const lastSeen = cur.lastSeen;
        const src = sourceOf(ev.dump, ev.record);
        close(lastSeen, false);
        out.segments.push(
          f.make('missing', `Events missing (${from} → ${state})`, lastSeen, start, src, {
            contactId,
            details: [`${from} is not followed directly by ${state}: at least one event is not in the open dumps.`],
          }),
        );
      } else {
        close(start, false);
      }
    }
    if (out.firstOffered === undefined) out.firstOffered = start;
    cur = { state, start, lastSeen: ev.time, ev, contact: c };
  }
  if (cur) close(cur.lastSeen, true);
  return out;
}

/**
 * The agent's events that mention the contact, in time order, plus the agent's next event
 * after them (where the contact is gone): enough to draw the states without walking the
 * agent's whole stream once per leg. A contact ID never leaves an agent and comes back.
 */
function eventsForStates(corpus: Corpus, arn: string, contactId: string, agentEvents: EventRef[]): EventRef[] {
  const mine = corpus.eventsOfContact(contactId).filter((e) => e.agentArn === arn && Number.isFinite(e.time));
  mine.sort(byEventTime);
  const last = mine[mine.length - 1];
  if (!last) return mine;
  const seen = new Set(mine);
  let lo = 0;
  let hi = agentEvents.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byEventTime(agentEvents[mid], last) <= 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < agentEvents.length; i++) {
    if (!seen.has(agentEvents[i]) && Number.isFinite(agentEvents[i].time)) {
      mine.push(agentEvents[i]);
      break;
    }
  }
  return mine;
}

/** The agent's own status (Available, custom, Offline) over the given window. */
function agentStatusSegments(events: EventRef[], windowStart: number, windowEnd: number, f: SegmentFactory): TimelineSegment[] {
  interface Run {
    name: string;
    type?: string;
    start: number;
    lastSeen: number;
    ev: EventRef;
  }
  const runs: { run: Run; end: number; openEnd: boolean }[] = [];
  let cur: Run | undefined;
  for (const ev of events) {
    if (!Number.isFinite(ev.time)) continue;
    const status = obj(obj(ev.value, 'CurrentAgentSnapshot'), 'AgentStatus');
    if (!status) continue;
    const name = str(status, 'Name') ?? '(no Name)';
    const statusStart = parseTime(str(status, 'StartTimestamp'));
    if (cur && cur.name === name && (statusStart === undefined || statusStart <= cur.start)) {
      cur.lastSeen = ev.time;
      continue;
    }
    const start = statusStart !== undefined && statusStart <= ev.time ? statusStart : ev.time;
    if (cur) runs.push({ run: cur, end: Math.max(cur.start, start), openEnd: false });
    cur = { name, type: str(status, 'Type'), start, lastSeen: ev.time, ev };
  }
  if (cur) runs.push({ run: cur, end: cur.lastSeen, openEnd: true });
  return runs
    .filter(({ run, end }) => end >= windowStart && run.start <= windowEnd)
    .map(({ run, end, openEnd }) =>
      f.make('agent-status', run.name, run.start, end, sourceOf(run.ev.dump, run.ev.record), {
        state: run.name,
        statusType: run.type,
        openEnd: openEnd || undefined,
        details: run.type ? [`Status type ${run.type}`] : undefined,
      }),
    );
}

function agentTitle(events: EventRef[], arn: string): { title: string; subtitle: string } {
  for (let i = events.length - 1; i >= 0; i--) {
    const conf = obj(obj(events[i].value, 'CurrentAgentSnapshot'), 'Configuration');
    if (!conf) continue;
    const user = str(conf, 'Username');
    const name = [str(conf, 'FirstName'), str(conf, 'LastName')].filter(Boolean).join(' ');
    if (user || name) return { title: user ?? name, subtitle: user && name ? `${name} · ${arn}` : arn };
  }
  const tail = arn.split('/').pop() ?? arn;
  return { title: `Agent ${tail}`, subtitle: arn };
}

// ---- time zone ------------------------------------------------------------------------

function timeZoneOf(stamps: string[]): TimeZoneInfo {
  const zones = new Set<string>();
  let unzoned = 0;
  for (const s of stamps) {
    const zone = timestampZone(s);
    if (zone === null) unzoned++;
    else if (zone !== undefined) zones.add(zone);
  }
  if (zones.size === 1 && unzoned === 0) {
    const z = [...zones][0];
    if (z === 'Z' || z === '+00:00' || z === '-00:00') {
      return { label: 'UTC', offsetMinutes: 0, note: 'All timestamps in the dumps are UTC.' };
    }
    const sign = z.startsWith('-') ? -1 : 1;
    const [h, m] = z.slice(1).split(':').map(Number);
    return { label: `UTC${z}`, offsetMinutes: sign * (h * 60 + m), note: `All timestamps in the dumps are UTC${z}.` };
  }
  if (zones.size === 0 && unzoned === 0) return { label: 'UTC', offsetMinutes: 0, note: 'Times shown in UTC.' };
  const parts: string[] = [];
  if (zones.size > 1) parts.push('the dumps mix time zones');
  if (unzoned > 0) parts.push(`${unzoned} timestamp(s) have no zone and are read as UTC`);
  return { label: 'UTC', offsetMinutes: 0, note: `Times shown in UTC: ${parts.join('; ')}.` };
}

function collectStamps(value: unknown, out: string[], depth = 0): void {
  if (depth > 6) return;
  if (typeof value === 'string') {
    if (timestampZone(value) !== undefined) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectStamps(v, out, depth + 1);
  } else if (isObj(value)) {
    for (const v of Object.values(value)) collectStamps(v, out, depth + 1);
  }
}

// ---- findings from the other rules ----------------------------------------------------

function attachFindings(segments: Iterable<TimelineSegment>, findings: ReadonlyMap<string, readonly Finding[]> | undefined): void {
  if (!findings) return;
  for (const seg of segments) {
    const list = findings.get(seg.source.uri);
    if (!list) continue;
    for (const fd of list) {
      if (fd.start < seg.source.start || fd.start > seg.source.end) continue;
      const tf: TimelineFinding = { code: fd.code, message: fd.message, severity: fd.severity, source: seg.source };
      const existing = seg.findings ?? (seg.findings = []);
      if (!existing.some((e) => e.code === tf.code && e.message === tf.message)) existing.push(tf);
    }
  }
}

// ---- the model ------------------------------------------------------------------------

interface LegBuild {
  lane: TimelineLane;
  startMs: number;
  member: ChainMember;
  ctr?: CtrRef;
  facts: LegFacts;
  contactObj?: Obj;
}

// Loops rather than Math.min(...xs): a contact with very many events must not overflow the argument stack.
function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}
function maxOf(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function sum(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}

/**
 * The timeline of a contact and its chain across all the given dumps, or undefined when
 * no record in them mentions the contact.
 */
export function buildTimeline(contactId: string, dumps: readonly Dump[], options: BuildTimelineOptions = {}): TimelineModel | undefined {
  const corpus = new Corpus(dumps);
  if (!corpus.ctr(contactId) && corpus.eventsOfContact(contactId).length === 0) return undefined;

  const { members, edges, truncated } = walkChain(corpus, contactId, options.maxLegs ?? 50);
  const modelFindings: TimelineFinding[] = [];
  if (truncated) {
    modelFindings.push({
      code: 'timeline-truncated',
      severity: 'information',
      message: `The chain of ${contactId} has more than ${options.maxLegs ?? 50} linked contacts; only the first are shown.`,
    });
  }

  // Legs: one lane per chain member that some record mentions.
  const legs: LegBuild[] = [];
  const agentEvents = new Map<string, EventRef[]>(); // agent ARN -> its events that mention a leg
  for (const member of members) {
    const ctr = corpus.ctr(member.id);
    const events = corpus.eventsOfContact(member.id);
    if (!ctr && events.length === 0) {
      const linkedFrom = edges.find((e) => e.from === member.id || e.to === member.id);
      modelFindings.push({
        code: 'link-missing',
        severity: 'information',
        message: `Contact ${member.id} is linked from the chain but is not in the open dumps.`,
        source: linkedFrom?.source,
      });
      continue;
    }
    for (const ev of events) push(agentEvents, ev.agentArn, ev);
    const laneId = `leg:${member.id}`;
    const f = new SegmentFactory(laneId);
    const facts: LegFacts = {};
    const notes: string[] = [];
    const contactObj = corpus.contactObject(member.id);
    let segments: TimelineSegment[] = [];
    let holds: DurationTally | undefined;
    let pauses: DurationTally | undefined;
    if (ctr) {
      ({ segments, holds, pauses } = legSegmentsFromRecord(ctr, f, facts, notes));
    } else {
      notes.push('No contact record for this contact in the open dumps; the leg is drawn from agent events only.');
      const queued = parseTime(str(contactObj, 'QueueTimestamp'));
      const firstEvent = events.slice().sort(byEventTime)[0];
      if (queued !== undefined && firstEvent) {
        // In queue until the first agent event that shows the contact offered to an agent.
        const offered = events
          .flatMap((ev) => contactsOf(ev.value, 'CurrentAgentSnapshot').filter((c) => str(c, 'ContactId') === member.id))
          .map((c) => parseTime(str(c, 'StateStartTimestamp')))
          .filter((t): t is number => t !== undefined && t >= queued)
          .sort((a, b) => a - b)[0];
        segments.push(
          f.make(offered === undefined ? 'missing' : 'queue', 'In queue', queued, offered ?? queued, sourceOf(firstEvent.dump, firstEvent.record), {
            openEnd: offered === undefined || undefined,
            details: ['From the agent event: QueueTimestamp until the contact was offered to the agent.'],
          }),
        );
      }
    }
    const channel = str(ctr?.value, 'Channel') ?? str(contactObj, 'Channel');
    const method = str(ctr?.value, 'InitiationMethod') ?? str(contactObj, 'InitiationMethod');
    const queueName = str(obj(ctr?.value, 'Queue'), 'Name');
    const startMs = Math.min(minOf(segments.map((s) => Date.parse(s.start))), minOf(events.map((e) => e.time)));
    const lane: TimelineLane = {
      id: laneId,
      kind: 'leg',
      title: '', // numbered once the legs are ordered
      subtitle: [member.id, channel, queueName].filter(Boolean).join(' · '),
      contactId: member.id,
      relation: member.relation,
      segments,
    };
    if (holds) lane.holds = holds;
    if (pauses) lane.pauses = pauses;
    if (notes.length > 0) lane.notes = notes;
    legs.push({ lane, startMs: Number.isFinite(startMs) ? startMs : Infinity, member, ctr, facts, contactObj });
    lane.title = method ?? 'Contact';
  }

  // Chain legs in time order, related contacts after them.
  legs.sort(
    (a, b) =>
      Number(a.member.relation === 'related') - Number(b.member.relation === 'related') ||
      a.startMs - b.startMs ||
      a.member.order - b.member.order,
  );
  legs.forEach((leg, i) => {
    leg.lane.title = `${leg.member.relation === 'related' ? 'Related' : 'Leg'} ${i + 1} · ${leg.lane.title}`;
  });

  // Agent lanes: the states of every leg the agent handled, over the agent's status.
  const agentLanes: TimelineLane[] = [];
  const legHold = new Map<string, { ms: number; count: number }>();
  const legPause = new Map<string, { ms: number; count: number }>();
  const agentOrder = [...agentEvents.entries()].map(([arn, evs]) => ({ arn, evs: evs.slice().sort(byEventTime) }));
  agentOrder.sort((a, b) => (a.evs[0]?.time ?? 0) - (b.evs[0]?.time ?? 0));
  for (const { arn } of agentOrder) {
    const laneId = `agent:${arn}`;
    const f = new SegmentFactory(laneId);
    const allEvents = corpus.eventsOfAgent(arn).filter((e) => Number.isFinite(e.time)).sort(byEventTime);
    const segments: TimelineSegment[] = [];
    for (const leg of legs) {
      const run = agentStatesForContact(eventsForStates(corpus, arn, leg.member.id, allEvents), leg.member.id, f);
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
    const lo = minOf(segments.map((s) => Date.parse(s.start)));
    const hi = maxOf(segments.map((s) => Date.parse(s.end)));
    const { title, subtitle } = agentTitle(allEvents, arn);
    agentLanes.push({
      id: laneId,
      kind: 'agent',
      title,
      subtitle,
      agentArn: arn,
      segments,
      background: agentStatusSegments(allEvents, lo, hi, f),
    });
  }

  // Holds and pauses drawn from events replace the record's counts for that leg.
  for (const leg of legs) {
    const h = legHold.get(leg.member.id);
    if (h) leg.lane.holds = { from: 'agent-events', count: h.count, totalMs: h.ms };
    const p = legPause.get(leg.member.id);
    if (p) leg.lane.pauses = { from: 'agent-events', count: p.count, totalMs: p.ms };
  }

  // Markers for links between legs.
  const markers: TimelineMarker[] = [];
  const legById = new Map(legs.map((l) => [l.member.id, l]));
  for (const edge of edges) {
    const from = legById.get(edge.from);
    const to = legById.get(edge.to);
    if (!from || !to) continue;
    const toMethod = str(to.ctr?.value, 'InitiationMethod') ?? str(to.contactObj, 'InitiationMethod');
    const kind: TimelineMarker['kind'] =
      edge.kind === 'related' ? 'related' : toMethod === 'CALLBACK' ? 'callback' : toMethod === 'TRANSFER' || toMethod === 'QUEUE_TRANSFER' ? 'transfer' : 'link';
    const at =
      (edge.kind === 'chain' ? parseTime(str(from.ctr?.value, 'TransferCompletedTimestamp')) : undefined) ??
      parseTime(str(to.ctr?.value, 'InitiationTimestamp')) ??
      (Number.isFinite(to.startMs) ? to.startMs : undefined);
    if (at === undefined) continue;
    const label =
      kind === 'callback'
        ? 'Queued callback'
        : kind === 'transfer'
          ? `Transfer (${toMethod})`
          : kind === 'related'
            ? 'Related contact'
            : `Next contact${toMethod ? ` (${toMethod})` : ''}`;
    markers.push({
      id: `marker:${edge.from}->${edge.to}`,
      kind,
      label,
      at: iso(at),
      fromLaneId: from.lane.id,
      toLaneId: to.lane.id,
      source: edge.source,
    });
  }
  markers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const lanes = [...legs.map((l) => l.lane), ...agentLanes];
  const allSegments = lanes.flatMap((l) => l.segments);
  attachFindings(allSegments, options.findings);
  for (const seg of allSegments) {
    for (const fd of seg.findings ?? []) {
      if (!modelFindings.some((m) => m.code === fd.code && m.message === fd.message)) modelFindings.push(fd);
    }
  }

  // Summary.
  const stamps: string[] = [];
  for (const leg of legs) if (leg.ctr) collectStamps(leg.ctr.value, stamps);
  for (const evs of agentEvents.values()) for (const ev of evs) collectStamps(ev.value, stamps);
  const t0 = allSegments.length ? minOf(allSegments.map((s) => Date.parse(s.start))) : undefined;
  const t1 = allSegments.length ? maxOf(allSegments.map((s) => Date.parse(s.end))) : undefined;
  const self = legs.find((l) => l.member.relation === 'self');
  const chainLegs = legs.filter((l) => l.member.relation !== 'related');
  const holdMs = sum(chainLegs.map((l) => legHold.get(l.member.id)?.ms ?? l.facts.holdMsFromRecord));
  const channel = str(self?.ctr?.value, 'Channel') ?? str(self?.contactObj, 'Channel');
  const summary: TimelineSummary = {
    contactId,
    initialContactId: str(self?.ctr?.value, 'InitialContactId') ?? str(self?.contactObj, 'InitialContactId'),
    channel,
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
    holdMs,
    acwMs: sum(chainLegs.map((l) => l.facts.acwMs)),
    pauseMs: sum(chainLegs.map((l) => legPause.get(l.member.id)?.ms ?? l.facts.pauseMsFromRecord)),
    legs: chainLegs.length,
    agents: agentLanes.length,
    timeZone: timeZoneOf(stamps),
  };
  for (const key of Object.keys(summary) as (keyof TimelineSummary)[]) {
    if (summary[key] === undefined) delete summary[key];
  }

  const model: TimelineModel = { contactId, summary, lanes, markers, findings: modelFindings };
  if (channel) model.channel = channel;
  const contacts = collectWorkspace(dumps).contacts;
  return addKindLanes(model, collectKindSightings(dumps), (id) => contacts.get(id), options.findings);
}

// ---- which contact is under the cursor ------------------------------------------------

function recordAt(dump: Dump, offset: number): DumpRecord | undefined {
  const rs = dump.records;
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rs[mid];
    if (offset < r.start) hi = mid - 1;
    else if (offset > r.end) lo = mid + 1; // `end` is exclusive; the cursor just after a record still counts
    else return r;
  }
  return undefined;
}

/**
 * The contact the record at `offset` is about: a contact record's ContactId, or for an
 * agent event the contact whose object contains the offset (else the first of the
 * current snapshot, else of the previous one).
 */
export function contactIdAt(dump: Dump, offset: number): string | undefined {
  const record = recordAt(dump, offset);
  if (!record || !isObj(record.value)) return undefined;
  const value = record.value;
  if (record.kind === 'agentEvent') {
    const current = contactsOf(value, 'CurrentAgentSnapshot');
    const previous = contactsOf(value, 'PreviousAgentSnapshot');
    if (current.length + previous.length > 1) {
      let root: ReturnType<typeof parseTree>;
      try {
        root = parseTree(dump.text.slice(record.start, record.end));
      } catch {
        root = undefined; // absurdly deep nesting overflows the recursive parser: fall back to the first contact
      }
      const rel = offset - record.start;
      for (const snapshot of ['CurrentAgentSnapshot', 'PreviousAgentSnapshot']) {
        const raw = obj(value, snapshot)?.Contacts;
        const list = root && findNodeAtLocation(root, [snapshot, 'Contacts']);
        if (!Array.isArray(raw) || !list?.children) continue;
        for (const [i, node] of list.children.entries()) {
          if (rel >= node.offset && rel <= node.offset + node.length) {
            const id = isObj(raw[i]) ? str(raw[i] as Obj, 'ContactId') : undefined;
            if (id) return id;
          }
        }
      }
    }
    return str(current[0], 'ContactId') ?? str(previous[0], 'ContactId');
  }
  return str(value, 'ContactId');
}
