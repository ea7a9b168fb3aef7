// Which states a contact had on one agent, from that agent's events: the one reading that
// explain (explain.ts) and the timeline's agent lanes (timelineAgents.ts) share. Each event
// tells the contact twice: its PreviousAgentSnapshot (the state before the event) and its
// CurrentAgentSnapshot (after). A state seen only in a PreviousAgentSnapshot (the event that
// entered it is not in the dumps, as in a real 2019 event whose offer failed within a second)
// is a state of the contact too, when its time is told or it ended an offer.
import { OFFER_OUTCOME_OF_STATE } from './explainRules';
import type { JsonObject } from './json';
import { isContactState } from './states';
import { parseTimestamp, TIMESTAMP_TOLERANCE_MS } from './time';

/** The state of a contact that left the agent's CurrentAgentSnapshot. */
export const GONE = 'gone';

/** One agent event and the contact as each of its snapshots shows it (model.ts sightings). */
export interface ContactSnapshots<E> {
  ev: E;
  /** Its EventTimestamp, in ms. */
  time: number;
  /** The contact in CurrentAgentSnapshot.Contacts; absent when it is not there (left the snapshot). */
  current?: JsonObject;
  /** The contact in PreviousAgentSnapshot.Contacts. */
  previous?: JsonObject;
}

/** A state the contact entered. */
export interface StateChange<E> {
  /** What the reader's `stateOf` made of the snapshot's contact, or GONE. */
  state: string;
  /** The contact as the snapshot showing the state has it (none for GONE). */
  contact?: JsonObject;
  /** When the contact entered the state: its StateStartTimestamp when believable, else the event's time. */
  start: number;
  /** Whether `start` is the snapshot's StateStartTimestamp (else the event's time). */
  startTold: boolean;
  /** The event whose snapshot shows the state, and its time. */
  ev: E;
  eventTime: number;
  /** Seen only in that event's PreviousAgentSnapshot. */
  fromPrevious: boolean;
  /** The latest event that shows the contact in this state in its CurrentAgentSnapshot (`eventTime` when none does). */
  lastSeen: number;
}

/** A state the reader does not count (undefined): skipped, as if that snapshot did not show the contact. */
export type StateOf = (contact: JsonObject) => string | undefined;

/**
 * The contact's state changes in one agent's events (given in time order), repeats
 * (heartbeats) collapsed. An event whose CurrentAgentSnapshot lacks the contact is GONE.
 */
export function contactStateChanges<E>(events: readonly ContactSnapshots<E>[], stateOf: StateOf): StateChange<E>[] {
  const changes: StateChange<E>[] = [];
  const add = (contact: JsonObject | undefined, e: ContactSnapshots<E>, fromPrevious: boolean): void => {
    const state = contact ? stateOf(contact) : GONE;
    if (state === undefined) return;
    const last = changes[changes.length - 1];
    if (last && last.state === state) {
      if (!fromPrevious) last.lastSeen = e.time;
      return;
    }
    if (fromPrevious && state === GONE) return;
    const told = toldStart(contact, state, last, e.time);
    // A state seen only before the event counts when its start is told, or when it ended an offer.
    if (fromPrevious && told === undefined && !(isContactState(state) && OFFER_OUTCOME_OF_STATE[state])) return;
    changes.push({
      state,
      contact,
      start: told ?? e.time,
      startTold: told !== undefined,
      ev: e.ev,
      eventTime: e.time,
      fromPrevious,
      lastSeen: e.time,
    });
  };
  for (const e of events) {
    if (e.previous) add(e.previous, e, true);
    add(e.current, e, false);
  }
  return changes;
}

/**
 * When the contact entered `state`, if the snapshot's StateStartTimestamp is believable (a
 * heartbeat can be the first event to show a state): not after the event, not before the
 * previous state's start (within the tolerance). On hold, StateStartTimestamp keeps the time
 * the contact was CONNECTED (agent event model), so going on and off hold is timed by the event.
 */
function toldStart(contact: JsonObject | undefined, state: string, last: StateChange<unknown> | undefined, eventTime: number): number | undefined {
  if (state === GONE || state === 'CONNECTED_ONHOLD' || (state === 'CONNECTED' && last?.state === 'CONNECTED_ONHOLD')) return undefined;
  const started = parseTimestamp(contact?.StateStartTimestamp);
  if (started === undefined || started > eventTime + TIMESTAMP_TOLERANCE_MS) return undefined;
  if (last && started < last.start - TIMESTAMP_TOLERANCE_MS) return undefined;
  return started;
}
