// One leg's own lane: the segments a contact record gives (initiation, queue, connecting,
// connected, after-contact work, disconnect, hold and pause totals), or, with no contact
// record, what the agent events tell (the time in queue until the agent was offered it).
import { at, idAt, numberAt, objectAt } from './json';
import type { AgentEventRef, ContactRecordRef } from './model';
import { parseTimestamp } from './time';
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
  const tInit = parseTimestamp(v.InitiationTimestamp);
  const tEnq = parseTimestamp(queue?.EnqueueTimestamp);
  const tDeq = parseTimestamp(queue?.DequeueTimestamp);
  const tConn = parseTimestamp(agent?.ConnectedToAgentTimestamp);
  const tAcwS = parseTimestamp(agent?.AfterContactWorkStartTimestamp);
  const tAcwE = parseTimestamp(agent?.AfterContactWorkEndTimestamp);
  const tDisc = parseTimestamp(v.DisconnectTimestamp);
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
    let offered: number | undefined;
    for (const ev of events) {
      for (const s of ev.current) {
        if (s.contactId !== contactId) continue;
        const t = parseTimestamp(s.contact.StateStartTimestamp);
        if (t !== undefined && t >= queued && (offered === undefined || t < offered)) offered = t;
      }
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
