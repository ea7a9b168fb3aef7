// The newer kinds on the timeline: under each leg a flow lane with the blocks its flow log
// entries ran (failed blocks marked, each clickable to its log line), the leg's EventBridge
// contact events as markers on it, and the span a customer stays on with an external party
// after the agent's transfer to a number (TransferCompletedTimestamp -> DisconnectTimestamp).
import { isObject, str, type JsonObject } from './json';
import type { ContactEventRef, ContactModel, ContactRecordRef, FlowLogRef } from './model';
import { flowName } from './recordKinds';
import { describeValue } from './records';
import { parseTimestamp } from './time';
import { iso, sourceOf } from './timelineSegments';
import type { TimelineLane, TimelineMarker, TimelineSegment } from '../shared/timeline';

/** A block's bar runs to the contact's next block in the same flow, unless the next one is further than this (a later flow run). */
const BLOCK_MAX_SPAN_MS = 5 * 60_000;
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** The name a block goes by on its bar: its label, or its type when the identifier is a bare ID. */
export function blockLabel(entry: JsonObject): string {
  const id = str(entry.Identifier);
  const type = str(entry.ContactFlowModuleType) ?? 'Block';
  return id && !UUID_LIKE.test(id) ? id : type;
}

function flowLane(legLane: TimelineLane, entries: readonly FlowLogRef[]): TimelineLane | undefined {
  const timed = entries.filter((e) => e.time !== undefined);
  if (!timed.length) return undefined;
  const laneId = `flow:${legLane.contactId}`;
  const segments: TimelineSegment[] = timed.map((e, i) => {
    const next = timed[i + 1];
    const sameRun = next && next.value.ContactFlowId === e.value.ContactFlowId && next.time! - e.time! <= BLOCK_MAX_SPAN_MS;
    const end = sameRun ? next.time! : e.time!;
    const name = flowName(e.value);
    const type = str(e.value.ContactFlowModuleType);
    const details = [
      name && `Flow ${name}`,
      type && `Block type ${type}`,
      str(e.value.Identifier) && `Identifier ${str(e.value.Identifier)}`,
      // Never stringify a whole value from the dump: it may be huge or nested past the stack.
      e.value.Results !== undefined && `Results ${typeof e.value.Results === 'string' ? e.value.Results.slice(0, 200) : describeValue(e.value.Results)}`,
      isObject(e.value.Parameters) && str(e.value.Parameters.FunctionArn) && `Lambda ${str(e.value.Parameters.FunctionArn)}`,
      e.failure && `Failed: ${e.failure}`,
    ].filter((d): d is string => typeof d === 'string' && d.length > 0);
    return {
      id: `${laneId}#${i}`,
      kind: e.failure ? 'flow-failed' : 'flow-block',
      label: blockLabel(e.value),
      state: type,
      start: iso(e.time!),
      end: iso(end),
      durationMs: end - e.time!,
      contactId: e.contactId,
      details,
      source: sourceOf(e),
    } satisfies TimelineSegment;
  });
  const names = [...new Set(timed.map((e) => flowName(e.value)).filter((n): n is string => !!n))];
  const failed = timed.filter((e) => e.failure).length;
  // Short enough for the lane heading: "Flows · leg 2" under "Leg 2 · TRANSFER".
  const legNumber = /^Leg (\d+)/.exec(legLane.title)?.[1];
  return {
    id: laneId,
    kind: 'flow',
    title: legNumber ? `Flows · leg ${legNumber}` : 'Flows',
    contactId: legLane.contactId,
    subtitle: [names.join(' → '), `${timed.length} block${timed.length === 1 ? '' : 's'}`, failed ? `${failed} failed` : ''].filter(Boolean).join(' · '),
    segments,
  };
}

function eventMarker(lane: TimelineLane, e: ContactEventRef): TimelineMarker | undefined {
  // Types with no time of their own (PAUSED, CONTACT_DATA_UPDATED, ...) stand at the envelope's `time`.
  const at = e.time ?? parseTimestamp(e.value.time);
  if (at === undefined) return undefined;
  const details: string[] = [];
  const queue = isObject(e.detail.queueInfo) ? str(e.detail.queueInfo.queueArn) : undefined;
  const agent = isObject(e.detail.agentInfo) ? str(e.detail.agentInfo.agentArn) : undefined;
  if (queue) details.push(`Queue ${queue}`);
  if (agent) details.push(`Agent ${agent}`);
  if (str(e.detail.disconnectReason)) details.push(`Disconnect reason ${str(e.detail.disconnectReason)}`);
  if (e.eventId) details.push(`Event id ${e.eventId}`);
  if (e.time === undefined) details.push('Drawn at the time EventBridge received it (the event carries no time of its own).');
  return {
    id: `event:${e.dump.uri}:${e.record.start}`,
    kind: 'event',
    label: e.eventType ?? 'Contact event',
    at: iso(at),
    fromLaneId: lane.id,
    toLaneId: lane.id,
    details,
    source: sourceOf(e),
  };
}

/** After a transfer to an external number the customer stays on until the disconnect (DOMAIN.md, "The agent can leave before the customer"). */
function externalSegment(lane: TimelineLane, contact: ContactRecordRef): TimelineSegment | undefined {
  const v = contact.value;
  const endpoint = v.TransferredToEndpoint;
  const address = isObject(endpoint) ? str(endpoint.Address) : str(endpoint);
  const from = parseTimestamp(v.TransferCompletedTimestamp);
  const to = parseTimestamp(v.DisconnectTimestamp);
  if (!address || from === undefined || to === undefined || to <= from) return undefined;
  return {
    id: `${lane.id}#external`,
    kind: 'external',
    label: `External: ${address}`,
    start: iso(from),
    end: iso(to),
    durationMs: to - from,
    contactId: lane.contactId,
    details: [
      'The agent transferred the call to an external number and left; the customer stayed on with that party until the disconnect.',
      `TransferredToEndpoint ${address}`,
    ],
    source: sourceOf(contact),
  };
}

/**
 * The lanes with a flow lane after each leg that has flow log entries; adds the legs'
 * contact events to `markers` and the external party's span to the legs' segments.
 */
export function withKindLanes(lanes: readonly TimelineLane[], markers: TimelineMarker[], model: ContactModel): TimelineLane[] {
  const out: TimelineLane[] = [];
  for (const lane of lanes) {
    out.push(lane);
    if (lane.kind !== 'leg' || !lane.contactId) continue;
    const contact = model.record(lane.contactId);
    const external = contact && externalSegment(lane, contact);
    if (external) lane.segments.push(external);
    for (const e of model.contactEventsOf(lane.contactId)) {
      const marker = eventMarker(lane, e);
      if (marker) markers.push(marker);
    }
    const flows = flowLane(lane, model.flowLogsOf(lane.contactId));
    if (flows) out.push(flows);
  }
  return out;
}
