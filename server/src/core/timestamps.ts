// `timestamp-order`: a contact's StateStartTimestamp along one agent's events that goes
// backwards (inside one contact record: ordering.ts). `heartbeat-gap`: a logged-in agent with
// no event for much longer than the heartbeat interval. Times are compared parsed, never as strings.
import { isObject, str } from './json';
import { findingAt, Located, relatedAt } from './located';
import type { AgentEventRef as EventRef } from './model';
import { parseTimestamp as parseTime, TIMESTAMP_TOLERANCE_MS } from './time';
import type { JsonPath } from './types';
import { agentName, ContactTrack, Observation, trackSteps } from './transitions';

/** "HEART_BEAT: published every 120 seconds if there are no other events published during that interval." (agent event streams data model) */
export const HEARTBEAT_INTERVAL_MS = 120_000;

/** How many heartbeat intervals without any event count as a gap (missed beats and delivery jitter are normal). */
export const HEARTBEAT_GAP_FACTOR = 2.5;

export const HEARTBEAT_GAP_MS = HEARTBEAT_INTERVAL_MS * HEARTBEAT_GAP_FACTOR;

function stateStartPath(o: Observation): JsonPath {
  return [o.snapshot, 'Contacts', o.index, 'StateStartTimestamp'];
}

/**
 * Along one agent's sightings of a contact: when the state changes, the new state cannot
 * have started before the previous one. CONNECTED_ONHOLD is skipped as a later state: its
 * StateStartTimestamp keeps the time the contact was CONNECTED (API reference,
 * AgentContactReference), which is earlier than a resume in between. Sightings in `skip`
 * already have a state-transition finding for the same step.
 */
export function stateStartOrderFindings(tracks: readonly ContactTrack[], skip: ReadonlySet<Observation> = new Set()): Located[] {
  const out: Located[] = [];
  for (const track of tracks) {
    for (const step of trackSteps(track)) {
      const { from, to } = step;
      if (from.state === to.state || to.state === 'CONNECTED_ONHOLD' || skip.has(to)) continue;
      const a = parseTime(from.contact.StateStartTimestamp);
      const b = parseTime(to.contact.StateStartTimestamp);
      if (a === undefined || b === undefined || b >= a - TIMESTAMP_TOLERANCE_MS) continue;
      out.push(
        findingAt(
          to.event,
          stateStartPath(to),
          'timestamp-order',
          'warning',
          `Contact ${track.contactId} entered ${to.state} at ${str(to.contact.StateStartTimestamp)}, before it entered the earlier state ${from.state} at ${str(from.contact.StateStartTimestamp)} (agent ${agentName(to.event)}).`,
          [relatedAt(from.event, stateStartPath(from), `${from.state} started at ${str(from.contact.StateStartTimestamp)}.`)],
        ),
      );
    }
  }
  return out;
}

/** Whether an event shows the agent logged in, logged out, or does not say. */
function loginState(ev: EventRef): boolean | undefined {
  if (ev.eventType === 'LOGIN') return true;
  if (ev.eventType === 'LOGOUT') return false;
  // Read directly (this runs for every event): at(ev.value, ['CurrentAgentSnapshot', 'AgentStatus']).
  const current = ev.value.CurrentAgentSnapshot;
  const status = isObject(current) ? current.AgentStatus : undefined;
  const type = isObject(status) ? str(status.Type) : undefined;
  const name = isObject(status) ? str(status.Name) : undefined;
  if (type !== undefined) return type !== 'OFFLINE';
  if (name !== undefined) return name !== 'Offline';
  return undefined;
}

function formatGap(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * `heartbeat-gap` (information): a logged-in agent (after a LOGIN, or an event whose status
 * is not Offline, until a LOGOUT or an Offline status) with no event for more than
 * HEARTBEAT_GAP_MS. Reported on the event after the gap; a LOGIN after the gap is a new
 * session and not reported.
 */
export function heartbeatGapFindings(timelines: Map<string, EventRef[]>): Located[] {
  const out: Located[] = [];
  for (const events of timelines.values()) {
    let loggedIn = false;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (i > 0 && loggedIn && ev.eventType !== 'LOGIN') {
        const before = events[i - 1];
        const gap = ev.time! - before.time!;
        if (gap > HEARTBEAT_GAP_MS) {
          out.push(
            findingAt(
              ev,
              ['EventTimestamp'],
              'heartbeat-gap',
              'information',
              `No event from agent ${agentName(ev)} for ${formatGap(gap)} while logged in; a heartbeat comes every ${HEARTBEAT_INTERVAL_MS / 1000} s, so events are missing from the dumps or the agent's connection dropped.`,
              [relatedAt(before, ['EventTimestamp'], `The agent's previous event (${before.eventType ?? 'event'}).`)],
            ),
          );
        }
      }
      loggedIn = loginState(ev) ?? loggedIn;
    }
  }
  return out;
}
