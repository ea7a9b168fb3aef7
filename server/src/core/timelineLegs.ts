// One leg's own lane: the segments a contact record gives (initiation, queue, connecting,
// connected, after-contact work, disconnect, hold and pause totals), or, with no contact
// record, what the agent events tell (the time in queue until the agent was offered it), or,
// with neither, the times the contact's EventBridge contact events carry.
import { at, idAt, numberAt, objectAt, str, type JsonObject } from './json';
import type { AgentEventRef, ContactEventRef, ContactRecordRef } from './model';
import { contactRecordTimes } from './ordering';
import { detailAt } from './recordKinds';
import { parseTimestamp } from './time';
import { contactStatesOnAgents } from './timelineAgents';
import { nextKnown, SECOND, SegmentFactory, sourceOf } from './timelineSegments';
import type { DurationTally, TimelineSegment } from '../shared/timeline';

/** Per-leg facts gathered while building, for the summary. */
export interface LegFacts {
  queueMs?: number;
  talkMs?: number;
  holdMsFromRecord?: number;
  acwMs?: number;
  pauseMsFromRecord?: number;
  connectedMs?: number;
}

export interface LegSegments {
  segments: TimelineSegment[];
  holds?: DurationTally;
  pauses?: DurationTally;
}

export function legSegmentsFromRecord(ctr: ContactRecordRef, f: SegmentFactory, facts: LegFacts, notes: string[]): LegSegments {
  const v = ctr.value;
  const src = sourceOf(ctr);
  const queue = objectAt(v, ['Queue']);
  const agent = objectAt(v, ['Agent']);
  const times = contactRecordTimes(v);
  const tInit = times.initiation?.ms;
  const tEnq = times.enqueue?.ms;
  const tDeq = times.dequeue?.ms;
  const tConn = times.connectedToAgent?.ms;
  const tAcwS = times.acwStart?.ms;
  const tAcwE = times.acwEnd?.ms;
  const tDisc = times.disconnect?.ms;
  const method = idAt(v, ['InitiationMethod']);
  const segments: TimelineSegment[] = [];

  if (tInit !== undefined) {
    const end = nextKnown(tInit, tEnq, tDeq, tConn, tDisc);
    segments.push(
      f.make('initiation', method ? `Initiated (${method})` : 'Initiated', tInit, end ?? tInit, src, {
        details: [`InitiationTimestamp ${idAt(v, ['InitiationTimestamp'])}`],
      }),
    );
  } else {
    notes.push('InitiationTimestamp is missing from the contact record.');
  }

  const queueName = idAt(queue, ['Name']);
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
  const queueDuration = numberAt(queue, ['Duration']);
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
  } else if (agent && (tAcwS !== undefined || idAt(agent, ['ARN']))) {
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
  const interaction = numberAt(agent, ['AgentInteractionDuration']);
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
  const acw = numberAt(agent, ['AfterContactWorkDuration']);
  if (acw !== undefined) facts.acwMs = acw * SECOND;
  else if (tAcwS !== undefined && tAcwE !== undefined && tAcwE >= tAcwS) facts.acwMs = tAcwE - tAcwS;

  if (tDisc !== undefined) {
    const reason = idAt(v, ['DisconnectReason']);
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
  const holdCount = numberAt(agent, ['NumberOfHolds']);
  const holdTotal = numberAt(agent, ['CustomerHoldDuration']);
  const holdLongest = numberAt(agent, ['LongestHoldDuration']);
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
  const pauseCount = numberAt(v, ['TotalPauseCount']);
  const pauseTotal = numberAt(v, ['TotalPauseDurationInSeconds']) ?? numberAt(agent, ['AgentPauseDuration']);
  if (pauseCount !== undefined || pauseTotal !== undefined) {
    pauses = { from: 'contact-record', count: pauseCount, totalMs: pauseTotal === undefined ? undefined : pauseTotal * SECOND };
    facts.pauseMsFromRecord = pauses.totalMs;
  }
  return { segments, holds, pauses };
}

/**
 * A leg with no contact record: in queue from the snapshot's QueueTimestamp until the first
 * agent event that shows the contact offered to an agent (`events` in time order).
 */
export function legSegmentsFromEvents(
  contactId: string,
  snapshotContact: unknown,
  events: readonly AgentEventRef[],
  f: SegmentFactory,
  notes: string[],
): LegSegments {
  notes.push('No contact record for this contact in the open dumps; the leg is drawn from agent events only.');
  const segments: TimelineSegment[] = [];
  const queued = parseTimestamp(at(snapshotContact, ['QueueTimestamp']));
  const firstEvent = events[0];
  if (queued !== undefined && firstEvent) {
    // Offered at the first state an agent's events show it in (a PreviousAgentSnapshot's too), after the queue.
    let offered: number | undefined;
    for (const c of contactStatesOnAgents(events, contactId)) {
      if (c.start >= queued && (offered === undefined || c.start < offered)) offered = c.start;
    }
    segments.push(
      f.make(offered === undefined ? 'missing' : 'queue', 'In queue', queued, offered ?? queued, sourceOf(firstEvent), {
        openEnd: offered === undefined || undefined,
        details: ['From the agent event: QueueTimestamp until the contact was offered to the agent.'],
      }),
    );
  }
  return { segments };
}

/** A time one of the contact's events carries, and the event that carries it. */
interface EventTime {
  ms: number;
  text: string;
  event: ContactEventRef;
}

/**
 * The first set time at `path` in the contact's events (by the time each reports). Every
 * event of a contact repeats the times known so far, so the first one that carries a time
 * is where it was first told; a "not set" value (1970-01-01T00:00:00.001Z) is no time.
 */
function eventTime(events: readonly ContactEventRef[], path: readonly string[]): EventTime | undefined {
  for (const event of events) {
    const found = detailAt(event.detail, path);
    const ms = parseTimestamp(found?.value);
    if (ms !== undefined) return { ms, text: found!.value as string, event };
  }
  return undefined;
}

/**
 * The contact as its contact events describe it, under the contact record's field names, for
 * a leg with no contact record or agent event: the first event that names each fact.
 */
export function contactFromEvents(contactId: string, events: readonly ContactEventRef[]): JsonObject | undefined {
  if (events.length === 0) return undefined;
  const out: JsonObject = {};
  for (const [key, field] of [
    ['channel', 'Channel'],
    ['initiationMethod', 'InitiationMethod'],
    ['initialContactId', 'InitialContactId'],
  ] as const) {
    for (const e of events) {
      const value = str(detailAt(e.detail, [key])?.value);
      if (value && value !== contactId) {
        out[field] = value;
        break;
      }
    }
  }
  return out;
}

/** Says what a leg without a contact record or agent event is drawn from. */
export function kindsOnlyNote(events: number, flowEntries: number): string {
  const from = [events > 0 && 'EventBridge contact events', flowEntries > 0 && 'contact flow logs'].filter(Boolean).join(' and ');
  return (
    `Built from ${from} only: no contact record or agent event of this contact is in the open dumps. ` +
    (events > 0
      ? 'Its bars span the times the events carry; contact events give no dequeue, hold or pause times.'
      : 'The flow lane shows the blocks it ran; its queue, agent and disconnect times are not in the dumps.')
  );
}

/**
 * A leg known only from its EventBridge contact events (admin guide, "Contact events data
 * model"): initiation, queue (from enqueueTimestamp until the agent was connected: events
 * carry no dequeue time, so the bar includes the ring), connected, after-contact work
 * (COMPLETED's agentInfo) and the disconnect, each bar pointing at the event that carries
 * its start. Nothing the events do not carry is drawn.
 */
export function legSegmentsFromContactEvents(events: readonly ContactEventRef[], f: SegmentFactory, facts: LegFacts): LegSegments {
  const segments: TimelineSegment[] = [];
  const tInit = eventTime(events, ['initiationTimestamp']);
  const tEnq = eventTime(events, ['queueInfo', 'enqueueTimestamp']);
  const tConn = eventTime(events, ['agentInfo', 'connectedToAgentTimestamp']);
  const tAcwS = eventTime(events, ['agentInfo', 'afterContactWorkStartTimestamp']);
  const tAcwE = eventTime(events, ['agentInfo', 'afterContactWorkEndTimestamp']);
  const tDisc = eventTime(events, ['disconnectTimestamp']);
  const told = (t: EventTime, field: string) => `${field} ${t.text} (contact event ${t.event.eventType ?? 'of unknown type'})`;

  if (tInit) {
    const method = str(detailAt(tInit.event.detail, ['initiationMethod'])?.value);
    const end = nextKnown(tInit.ms, tEnq?.ms, tConn?.ms, tDisc?.ms);
    segments.push(
      f.make('initiation', method ? `Initiated (${method})` : 'Initiated', tInit.ms, end ?? tInit.ms, sourceOf(tInit.event), {
        details: [told(tInit, 'initiationTimestamp')],
      }),
    );
  }
  if (tEnq) {
    const end = nextKnown(tEnq.ms, tConn?.ms, tDisc?.ms);
    const queue = str(detailAt(tEnq.event.detail, ['queueInfo', 'queueArn'])?.value);
    segments.push(
      f.make('queue', 'In queue', tEnq.ms, end ?? tEnq.ms, sourceOf(tEnq.event), {
        openEnd: end === undefined || undefined,
        details: [
          ...(queue ? [`Queue ${queue}`] : []),
          told(tEnq, 'queueInfo.enqueueTimestamp'),
          'Contact events carry no dequeue time: the bar runs until the agent was connected (or the disconnect), ringing included.',
        ],
      }),
    );
  }
  if (tConn) {
    const end = nextKnown(tConn.ms, tAcwS?.ms, tDisc?.ms);
    const agent = str(detailAt(tConn.event.detail, ['agentInfo', 'agentArn'])?.value);
    segments.push(
      f.make('connected', 'Connected', tConn.ms, end ?? tConn.ms, sourceOf(tConn.event), {
        openEnd: end === undefined || undefined,
        details: [...(agent ? [`Agent ${agent}`] : []), told(tConn, 'agentInfo.connectedToAgentTimestamp')],
      }),
    );
  }
  if (tAcwS && tAcwE) {
    segments.push(
      f.make('acw', 'After-contact work', tAcwS.ms, tAcwE.ms, sourceOf(tAcwS.event), { details: [told(tAcwE, 'agentInfo.afterContactWorkEndTimestamp')] }),
    );
    if (tAcwE.ms >= tAcwS.ms) facts.acwMs = tAcwE.ms - tAcwS.ms;
  }
  if (tDisc) {
    const reason = str(detailAt(tDisc.event.detail, ['disconnectReason'])?.value);
    segments.push(
      f.make('disconnect', reason ? `Disconnected: ${reason}` : 'Disconnected', tDisc.ms, tDisc.ms, sourceOf(tDisc.event), {
        state: reason,
        details: [told(tDisc, 'disconnectTimestamp')],
      }),
    );
  }
  return { segments };
}
