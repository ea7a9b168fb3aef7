// Agent lanes: each agent's states for each leg they handled, from their agent events, over
// their own status (Available, custom, Offline). A jump the state table (states.ts) does not
// allow directly is drawn as events missing from the dumps, never as a guessed state.
import { contactStateChanges, GONE, type ContactSnapshots, type StateChange } from './contactStates';
import { idAt, idIn, isObject, JsonObject, objectAt } from './json';
import { AgentEventRef, byEventTime, ContactModel } from './model';
import { classifyRecord } from './records';
import { followsDirectly } from './states';
import { parseTimestamp } from './time';
import { maxOf, minOf, SegmentFactory, sourceOf } from './timelineSegments';
import type { SegmentKind, TimelineModel, TimelineSegment } from '../shared/timeline';

/** The lane key of agent events that have no AgentARN. */
export const MISSING_AGENT = '(agent ARN missing)';

export function agentKey(ev: AgentEventRef): string {
  return ev.agent ?? MISSING_AGENT;
}

/** One agent's timed events, in time order. */
export function agentStream(model: ContactModel, key: string): AgentEventRef[] {
  const events = key === MISSING_AGENT ? model.events.filter((e) => e.agent === undefined) : model.eventsOfAgent(key);
  return events.filter((e) => e.time !== undefined).sort(byEventTime);
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

export interface AgentContactRun {
  segments: TimelineSegment[];
  firstOffered?: number;
  holdMs: number;
  holdCount: number;
  pauseMs: number;
  pauseCount: number;
}

/** The raw State a snapshot shows, all drawn (unknown ones as 'other'). */
const drawnState = (contact: JsonObject): string => idAt(contact, ['State']) ?? '(no State)';

/** The contact as each timed event's snapshots show it (the model's sightings). */
function snapshotsOf(events: readonly AgentEventRef[], contactId: string): ContactSnapshots<AgentEventRef>[] {
  return events
    .filter((ev) => ev.time !== undefined)
    .map((ev) => ({
      ev,
      time: ev.time!,
      current: ev.current.find((s) => s.contactId === contactId)?.contact,
      previous: ev.previous.find((s) => s.contactId === contactId)?.contact,
    }));
}

/** The contact's states on each agent that shows it (`events` in time order), as agentStatesForContact reads them. */
export function contactStatesOnAgents(events: readonly AgentEventRef[], contactId: string): StateChange<AgentEventRef>[] {
  const byAgent = new Map<string, AgentEventRef[]>();
  for (const ev of events) {
    const list = byAgent.get(agentKey(ev));
    if (list) list.push(ev);
    else byAgent.set(agentKey(ev), [ev]);
  }
  return [...byAgent.values()].flatMap((evs) => contactStateChanges(snapshotsOf(evs, contactId), drawnState)).filter((c) => c.state !== GONE);
}

/**
 * One agent's states for one contact, from that agent's events sorted by EventTimestamp, as
 * contactStates.ts reads them (with explain): a state seen only in a PreviousAgentSnapshot is
 * drawn from the event whose snapshot showed it.
 */
export function agentStatesForContact(events: readonly AgentEventRef[], contactId: string, f: SegmentFactory): AgentContactRun {
  const out: AgentContactRun = { segments: [], holdMs: 0, holdCount: 0, pauseMs: 0, pauseCount: 0 };
  let cur: StateChange<AgentEventRef> | undefined;

  const close = (end: number, openEnd: boolean): void => {
    if (!cur) return;
    const kind = STATE_KIND.get(cur.state) ?? 'other';
    const details = [`StateStartTimestamp ${idAt(cur.contact, ['StateStartTimestamp']) ?? '(absent)'}`];
    if (cur.fromPrevious) details.push('Seen only in the PreviousAgentSnapshot of this event: the event that entered it is not in the open dumps.');
    if (openEnd) details.push('No later event for this contact in the open dumps.');
    const seg = f.make(kind, cur.state, cur.start, end, sourceOf(cur.ev), {
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

  for (const change of contactStateChanges(snapshotsOf(events, contactId), drawnState)) {
    if (change.state === GONE) {
      // The contact left the agent's snapshot: whatever state it was in ends here.
      close(change.start, false);
      continue;
    }
    const c = change.contact!;
    if (cur) {
      const profile = { channel: idAt(c, ['Channel']), initiationMethod: idAt(c, ['InitiationMethod']) };
      if (!followsDirectly(cur.state, change.state, profile)) {
        const from = cur.state;
        const lastSeen = cur.lastSeen;
        close(lastSeen, false);
        out.segments.push(
          f.make('missing', `Events missing (${from} → ${change.state})`, lastSeen, change.start, sourceOf(change.ev), {
            contactId,
            details: [`${from} is not followed directly by ${change.state}: at least one event is not in the open dumps.`],
          }),
        );
      } else {
        close(change.start, false);
      }
    }
    if (out.firstOffered === undefined) out.firstOffered = change.start;
    cur = change;
  }
  if (cur) close(cur.lastSeen, true);
  return out;
}

/**
 * The agent's events that show the contact, in time order, plus the agent's next event
 * after them (where the contact is gone): enough to draw the states without walking the
 * agent's whole stream once per leg. A contact ID never leaves an agent and comes back.
 */
export function eventsForStates(model: ContactModel, key: string, contactId: string, agentEvents: readonly AgentEventRef[]): AgentEventRef[] {
  const mine = model.eventsOfContact(contactId).filter((e) => agentKey(e) === key && e.time !== undefined);
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
    if (!seen.has(agentEvents[i])) {
      mine.push(agentEvents[i]);
      break;
    }
  }
  return mine;
}

/** An agent event's own status: its name, type, and when it started (StartTimestamp when it is not after the event). */
interface AgentStatusAt {
  name: string;
  type?: string;
  /** StartTimestamp, when present and valid. */
  statusStart?: number;
  start: number;
}

function agentStatusAt(value: unknown, time: number): AgentStatusAt | undefined {
  const status = objectAt(value, ['CurrentAgentSnapshot', 'AgentStatus']);
  if (!status) return undefined;
  const statusStart = parseTimestamp(status.StartTimestamp);
  return {
    name: idAt(status, ['Name']) ?? '(no Name)',
    type: idAt(status, ['Type']),
    statusStart,
    start: statusStart !== undefined && statusStart <= time ? statusStart : time,
  };
}

/** The span of an agent lane's own status: that of the agent's contact states in the lane. */
export function statusWindow(segments: readonly TimelineSegment[]): { lo: number; hi: number } {
  return { lo: minOf(segments.map((s) => Date.parse(s.start))), hi: maxOf(segments.map((s) => Date.parse(s.end))) };
}

/**
 * The agent's own status (Available, custom, Offline) over the given window: every status
 * run the window touches, whole. A run ends where the agent's next status starts (its next
 * event with another status, or a new StartTimestamp), else at its last event (open end).
 */
export function agentStatusSegments(events: readonly AgentEventRef[], windowStart: number, windowEnd: number, f: SegmentFactory): TimelineSegment[] {
  interface Run {
    name: string;
    type?: string;
    start: number;
    lastSeen: number;
    ev: AgentEventRef;
  }
  const runs: { run: Run; end: number; openEnd: boolean }[] = [];
  let cur: Run | undefined;
  for (const ev of events) {
    const time = ev.time;
    if (time === undefined) continue;
    const status = agentStatusAt(ev.value, time);
    if (!status) continue;
    if (cur && cur.name === status.name && (status.statusStart === undefined || status.statusStart <= cur.start)) {
      cur.lastSeen = time;
      continue;
    }
    if (cur) runs.push({ run: cur, end: Math.max(cur.start, status.start), openEnd: false });
    cur = { name: status.name, type: status.type, start: status.start, lastSeen: time, ev };
  }
  if (cur) runs.push({ run: cur, end: cur.lastSeen, openEnd: true });
  return runs
    .filter(({ run, end }) => end >= windowStart && run.start <= windowEnd)
    .map(({ run, end, openEnd }) =>
      f.make('agent-status', run.name, run.start, end, sourceOf(run.ev), {
        state: run.name,
        statusType: run.type,
        openEnd: openEnd || undefined,
        details: run.type ? [`Status type ${run.type}`] : undefined,
      }),
    );
}

/** What an agent lane drawn from part of a file needs from the agent's other events there. */
export interface AgentLaneNeeds {
  agent: string;
  /** The lane's status window (`statusWindow`). */
  lo: number;
  hi: number;
  /** Ends of the lane's contact states that no later event closed (their last sighting). */
  openEnds: number[];
}

/** The needs of a model's agent lanes (not the lane of events without an AgentARN: no ARN to look for). */
export function agentLaneNeeds(model: TimelineModel): AgentLaneNeeds[] {
  const out: AgentLaneNeeds[] = [];
  for (const lane of model.lanes) {
    if (lane.kind !== 'agent' || !lane.agentArn || lane.agentArn === MISSING_AGENT || lane.segments.length === 0) continue;
    const openEnds = lane.segments.filter((s) => s.openEnd && s.contactId !== undefined).map((s) => Date.parse(s.end));
    out.push({ agent: lane.agentArn, ...statusWindow(lane.segments), openEnds });
  }
  return out;
}

interface Offered<T> {
  item: T;
  time: number;
  /** Place in the file: the tie-breaker at equal times, as the model's order is. */
  order: number;
}

function earlier<T>(a: Offered<T>, b: Offered<T> | undefined): boolean {
  return !b || a.time < b.time || (a.time === b.time && a.order < b.order);
}

/** A status run, known by its first event. */
interface StatusRun<T> {
  name: string;
  start: number;
  first: Offered<T>;
}

/** Per agent: the events its lane needs, of those offered so far. */
class AgentNeeds<T> {
  /** The run under way at the window's start: the latest status that started by then. */
  before?: StatusRun<T>;
  /** Runs that start inside the window, by name and start. */
  readonly inside = new Map<string, StatusRun<T>>();
  /** The first run that starts after the window: where the window's last run ends. */
  after?: StatusRun<T>;
  /** The latest event with a status: the last run's last sighting when no run follows. */
  latest?: Offered<T>;
  /** Per open end, the agent's first event after it: it ends that contact state. */
  readonly next: (Offered<T> | undefined)[];

  constructor(readonly needs: AgentLaneNeeds) {
    this.next = needs.openEnds.map(() => undefined);
  }

  offer(o: Offered<T>, value: unknown): void {
    this.needs.openEnds.forEach((end, i) => {
      if (o.time > end && earlier(o, this.next[i])) this.next[i] = o;
    });
    const status = agentStatusAt(value, o.time);
    if (!status) return;
    if (!this.latest || earlier(this.latest, o)) this.latest = o;
    const run: StatusRun<T> = { name: status.name, start: status.start, first: o };
    const same = (r: StatusRun<T> | undefined) => r !== undefined && r.start === run.start && r.name === run.name;
    if (run.start <= this.needs.lo) {
      if (same(this.before)) {
        if (earlier(o, this.before!.first)) this.before!.first = o;
      } else if (!this.before || run.start > this.before.start) this.before = run;
    } else if (run.start <= this.needs.hi) {
      const key = `${run.start} ${run.name}`;
      const known = this.inside.get(key);
      if (!known || earlier(o, known.first)) this.inside.set(key, run);
    } else if (same(this.after)) {
      if (earlier(o, this.after!.first)) this.after!.first = o;
    } else if (!this.after || run.start < this.after.start) this.after = run;
  }

  kept(): T[] {
    // The latest event ends the last run only when no run follows the window's.
    const all = [this.before?.first, ...[...this.inside.values()].map((r) => r.first), this.after?.first ?? this.latest, ...this.next];
    return all.filter((o): o is Offered<T> => o !== undefined).map((o) => o.item);
  }
}

/**
 * Keeps, from an agent's events offered in any order (a file read once, front to back), only
 * those its lane needs to be drawn as from all of them: the first event of each status run
 * the window touches and of the run after it (where the last one ends), the agent's latest
 * event with a status (where a last run without a successor ends), and the first event after
 * each open contact state. A status run's events are taken to be contiguous in time (one
 * name and StartTimestamp per stretch), as the agent event stream sends them.
 */
export class AgentEventsNeeded<T> {
  private readonly agents = new Map<string, AgentNeeds<T>>();

  constructor(needs: readonly AgentLaneNeeds[]) {
    for (const n of needs) this.agents.set(n.agent, new AgentNeeds(n));
  }

  /** The AgentARNs whose events to offer. */
  get ids(): string[] {
    return [...this.agents.keys()];
  }

  /** A record of the file (`order`: its place there); anything but an agent event of a wanted agent is ignored. */
  offer(value: unknown, item: T, order: number): void {
    if (!isObject(value) || classifyRecord(value) !== 'agentEvent') return;
    const agent = idIn(value, 'AgentARN');
    const needs = agent === undefined ? undefined : this.agents.get(agent);
    const time = parseTimestamp(value.EventTimestamp);
    if (!needs || time === undefined) return;
    needs.offer({ item, time, order }, value);
  }

  /** The events kept, each once. */
  kept(): T[] {
    return [...new Set([...this.agents.values()].flatMap((a) => a.kept()))];
  }
}

export function agentTitle(events: readonly AgentEventRef[], arn: string): { title: string; subtitle: string } {
  for (let i = events.length - 1; i >= 0; i--) {
    const conf = objectAt(events[i].value, ['CurrentAgentSnapshot', 'Configuration']);
    if (!conf) continue;
    const user = idAt(conf, ['Username']);
    const name = [idAt(conf, ['FirstName']), idAt(conf, ['LastName'])].filter(Boolean).join(' ');
    if (user || name) return { title: user ?? name, subtitle: user && name ? `${name} · ${arn}` : arn };
  }
  const tail = arn.split('/').pop() ?? arn;
  return { title: `Agent ${tail}`, subtitle: arn };
}
