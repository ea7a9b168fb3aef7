// Agent lanes: each agent's states for each leg they handled, from their agent events, over
// their own status (Available, custom, Offline). A jump the state table (states.ts) does not
// allow directly is drawn as events missing from the dumps, never as a guessed state.
import { idAt, objectAt } from './json';
import { AgentEventRef, byEventTime, ContactModel } from './model';
import { followsDirectly } from './states';
import { parseTimestamp } from './time';
import { SegmentFactory, sourceOf } from './timelineSegments';
import type { SegmentKind, TimelineSegment } from '../shared/timeline';

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

/** One agent's states for one contact, from that agent's events sorted by EventTimestamp. */
export function agentStatesForContact(events: readonly AgentEventRef[], contactId: string, f: SegmentFactory): AgentContactRun {
  const out: AgentContactRun = { segments: [], holdMs: 0, holdCount: 0, pauseMs: 0, pauseCount: 0 };
  let cur: { state: string; start: number; lastSeen: number; ev: AgentEventRef; contact: Record<string, unknown> } | undefined;

  const close = (end: number, openEnd: boolean): void => {
    if (!cur) return;
    const kind = STATE_KIND.get(cur.state) ?? 'other';
    const details = [`StateStartTimestamp ${idAt(cur.contact, ['StateStartTimestamp']) ?? '(absent)'}`];
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

  for (const ev of events) {
    const time = ev.time;
    if (time === undefined) continue;
    const c = ev.current.find((s) => s.contactId === contactId)?.contact;
    if (!c) {
      // The contact left the agent's snapshot: whatever state it was in ends here.
      if (cur) close(time, false);
      continue;
    }
    const state = idAt(c, ['State']) ?? '(no State)';
    const stateStart = parseTimestamp(c.StateStartTimestamp);
    if (cur && cur.state === state) {
      cur.lastSeen = time;
      continue;
    }
    let start = time;
    // StateStartTimestamp is the exact change time, except for CONNECTED_ONHOLD, where it
    // keeps the time the contact was connected; only trust it inside the known window.
    const lowerBound = cur ? cur.start : -Infinity;
    if (state !== 'CONNECTED_ONHOLD' && stateStart !== undefined && stateStart <= time && stateStart >= lowerBound) {
      start = stateStart;
    }
    if (cur) {
      const profile = { channel: idAt(c, ['Channel']), initiationMethod: idAt(c, ['InitiationMethod']) };
      if (!followsDirectly(cur.state, state, profile)) {
        const from = cur.state;
        const lastSeen = cur.lastSeen;
        close(lastSeen, false);
        out.segments.push(
          f.make('missing', `Events missing (${from} → ${state})`, lastSeen, start, sourceOf(ev), {
            contactId,
            details: [`${from} is not followed directly by ${state}: at least one event is not in the open dumps.`],
          }),
        );
      } else {
        close(start, false);
      }
    }
    if (out.firstOffered === undefined) out.firstOffered = start;
    cur = { state, start, lastSeen: time, ev, contact: c };
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

/** The agent's own status (Available, custom, Offline) over the given window. */
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
    const status = objectAt(ev.value, ['CurrentAgentSnapshot', 'AgentStatus']);
    if (!status) continue;
    const name = idAt(status, ['Name']) ?? '(no Name)';
    const statusStart = parseTimestamp(status.StartTimestamp);
    if (cur && cur.name === name && (statusStart === undefined || statusStart <= cur.start)) {
      cur.lastSeen = time;
      continue;
    }
    const start = statusStart !== undefined && statusStart <= time ? statusStart : time;
    if (cur) runs.push({ run: cur, end: Math.max(cur.start, start), openEnd: false });
    cur = { name, type: idAt(status, ['Type']), start, lastSeen: time, ev };
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
