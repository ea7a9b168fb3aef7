// `state-transition`: a contact's State in the agent event stream moving in a way the state
// machine (states.ts) cannot reach. Checked inside one event (PreviousAgentSnapshot ->
// CurrentAgentSnapshot) and along one agent's events ordered by EventTimestamp. The two
// checks look at different pairs of values (see contactTracks), so one step is reported once.
import { at, str } from './json';
import { findingAt, Located, relatedAt } from './located';
import type { AgentEventRef as EventRef, ContactModel, Sighting as Observation } from './model';
import { ContactProfile, isContactState, judgeTransition, unusedStates } from './states';
import { parseTimestamp as parseTime, TIMESTAMP_TOLERANCE_MS } from './time';

export type { Observation };

/** The sightings of one contact by one agent, in event order. */
export interface ContactTrack {
  agent: string;
  contactId: string;
  observations: Observation[];
  /** Its steps, made on first use (trackSteps): the transition and StateStartTimestamp rules both walk them. */
  steps?: readonly Step[];
}

/** Each agent's events sorted by EventTimestamp; equal times keep their text order. Events without a valid time are left out. */
export function agentTimelines(events: readonly EventRef[]): Map<string, EventRef[]> {
  const byAgent = new Map<string, EventRef[]>();
  for (const ev of events) {
    if (ev.agent === undefined || ev.time === undefined) continue;
    const list = byAgent.get(ev.agent);
    if (list) list.push(ev);
    else byAgent.set(ev.agent, [ev]);
  }
  // Array.prototype.sort is stable, and the lists are built in text order.
  for (const list of byAgent.values()) list.sort((a, b) => a.time! - b.time!);
  return byAgent;
}

/**
 * Per (agent, contact), the sightings in order: for each event, the contact in the
 * PreviousAgentSnapshot, then in the CurrentAgentSnapshot. Consecutive sightings in the
 * same event are the in-event step; a CurrentAgentSnapshot sighting followed by a later
 * event's sighting is the step between events.
 */
export function contactTracks(timelines: Map<string, EventRef[]>): ContactTrack[] {
  const out: ContactTrack[] = [];
  for (const [agent, events] of timelines) {
    // One agent's tracks are made together: keyed by ContactId alone, listed in order of their first sighting.
    const tracks = new Map<string, ContactTrack>();
    const push = (obs: Observation) => {
      let t = tracks.get(obs.contactId);
      if (!t) {
        tracks.set(obs.contactId, (t = { agent, contactId: obs.contactId, observations: [] }));
        out.push(t);
      }
      t.observations.push(obs);
    };
    for (const ev of events) {
      for (const obs of ev.previous) push(obs);
      for (const obs of ev.current) push(obs);
    }
  }
  return out;
}

export function statePath(o: Observation): (string | number)[] {
  return [o.snapshot, 'Contacts', o.index, 'State'];
}

function profileOf(o: Observation, fallback?: Observation): ContactProfile {
  return {
    channel: str(o.contact.Channel) ?? (fallback ? str(fallback.contact.Channel) : undefined),
    initiationMethod: str(o.contact.InitiationMethod) ?? (fallback ? str(fallback.contact.InitiationMethod) : undefined),
  };
}

export function agentName(ev: EventRef): string {
  const user =
    str(at(ev.value, ['CurrentAgentSnapshot', 'Configuration', 'Username'])) ?? str(at(ev.value, ['PreviousAgentSnapshot', 'Configuration', 'Username']));
  if (user) return user;
  const arn = ev.agent ?? '(no AgentARN)';
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

function describe(o: Observation): string {
  const inWhich = o.snapshot === 'PreviousAgentSnapshot' ? 'PreviousAgentSnapshot' : 'CurrentAgentSnapshot';
  const ts = str(o.event.value.EventTimestamp) ?? '(no EventTimestamp)';
  return `${o.state} in the ${inWhich} of the ${o.event.eventType ?? 'agent'} event at ${ts}`;
}

const CONNECTED_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED']);

/** One step between two sightings of a contact, as the rules see it. */
export interface Step {
  track: ContactTrack;
  from: Observation;
  to: Observation;
  /** From an earlier event to a later one (otherwise inside one event). */
  acrossEvents: boolean;
  /** The agent had the contact connected before `to`. */
  connectedBefore: boolean;
}

/**
 * The steps worth judging along a track: pairs of consecutive sightings with a State each.
 * Between two events with the same EventTimestamp the order is unknown, so no step is made.
 */
export function trackSteps(track: ContactTrack): readonly Step[] {
  return (track.steps ??= makeSteps(track));
}

function makeSteps(track: ContactTrack): Step[] {
  const steps: Step[] = [];
  let last: Observation | undefined;
  let connectedBefore = false;
  for (const o of track.observations) {
    if (o.state === undefined) continue;
    if (last) {
      const acrossEvents = last.event !== o.event;
      const tie = acrossEvents && last.event.time === o.event.time;
      if (!tie) steps.push({ track, from: last, to: o, acrossEvents, connectedBefore });
    }
    if (CONNECTED_STATES.has(o.state)) connectedBefore = true;
    last = o;
  }
  return steps;
}

/** Why the contact cannot have been offered again between the two sightings, if it cannot. */
function noReoffer(step: Step): string | undefined {
  if (!step.acrossEvents) return 'both states are in one event';
  if (step.connectedBefore) return 'the agent already had this contact connected, and a connected contact is not offered to the same agent again';
  const a = parseTime(step.from.contact.StateStartTimestamp);
  const b = parseTime(step.to.contact.StateStartTimestamp);
  if (a !== undefined && b !== undefined && b < a - TIMESTAMP_TOLERANCE_MS) {
    return `its StateStartTimestamp ${str(step.to.contact.StateStartTimestamp)} is before the ${step.from.state} one, ${str(step.from.contact.StateStartTimestamp)}`;
  }
  return undefined;
}

function judgeStep(step: Step): Located | undefined {
  const { from, to, track } = step;
  if (!isContactState(from.state) || !isContactState(to.state) || from.state === to.state) return undefined;
  const why = noReoffer(step);
  const verdict = judgeTransition(from.state, to.state, profileOf(to, from), {
    acrossEvents: step.acrossEvents,
    reoffer: why === undefined,
    noReoffer: why,
  });
  if (verdict.ok) return undefined;
  const who = agentName(to.event);
  let message: string;
  if (!step.acrossEvents) {
    message = `Contact ${track.contactId} moves from ${from.state} to ${to.state} in one event for agent ${who}: ${verdict.reason}.`;
  } else if (to.snapshot === 'PreviousAgentSnapshot') {
    message = `The PreviousAgentSnapshot of this event has contact ${track.contactId} ${to.state}, but agent ${who}'s earlier event left it ${from.state}: ${verdict.reason}.`;
  } else {
    message = `Contact ${track.contactId} is ${to.state} for agent ${who} after being ${from.state} in an earlier event: ${verdict.reason}.`;
  }
  return findingAt(to.event, statePath(to), 'state-transition', 'warning', message, [
    relatedAt(from.event, statePath(from), `The previous state: ${describe(from)}.`),
  ]);
}

/** Checks the in-event step of events that have no valid EventTimestamp or AgentARN (they are in no timeline). */
function untimedFindings(events: readonly EventRef[]): Located[] {
  const out: Located[] = [];
  for (const ev of events) {
    if (ev.agent !== undefined && ev.time !== undefined) continue;
    for (const to of ev.current) {
      const id = to.contactId;
      const from = ev.previous.find((o) => o.contactId === id);
      if (!from || from.state === undefined || to.state === undefined) continue;
      const track: ContactTrack = { agent: ev.agent ?? '', contactId: id, observations: [from, to] };
      const found = judgeStep({ track, from, to, acrossEvents: false, connectedBefore: false });
      if (found) out.push(found);
    }
  }
  return out;
}

/**
 * The first sighting of a contact in a state its channel never uses (an INBOUND voice call
 * INCOMING, a chat PAUSED): the move into it from outside the snapshot is not in the table.
 * Later moves out of that state are not judged again (see judgeTransition).
 */
function entryFinding(track: ContactTrack): Located | undefined {
  const first = track.observations.find((o) => o.state !== undefined);
  if (!first || !isContactState(first.state)) return undefined;
  const reason = unusedStates(profileOf(first)).get(first.state);
  if (!reason) return undefined;
  return findingAt(
    first.event,
    statePath(first),
    'state-transition',
    'warning',
    `Contact ${track.contactId} appears as ${first.state} for agent ${agentName(first.event)}: ${reason}.`,
  );
}

export interface TransitionResult {
  findings: Located[];
  /** Sightings that got a state-transition finding (other rules leave them alone). */
  flagged: Set<Observation>;
}

export function transitionFindings(ws: ContactModel, tracks: readonly ContactTrack[]): TransitionResult {
  const findings: Located[] = [];
  const flagged = new Set<Observation>();
  for (const track of tracks) {
    const entry = entryFinding(track);
    if (entry) findings.push(entry);
    for (const step of trackSteps(track)) {
      const found = judgeStep(step);
      if (!found) continue;
      findings.push(found);
      flagged.add(step.to);
    }
  }
  findings.push(...untimedFindings(ws.events));
  return { findings, flagged };
}
