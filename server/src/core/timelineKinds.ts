// The newer kinds on the timeline: under each leg a flow lane with the blocks its flow log
// entries ran (failed blocks marked, each clickable to its log line), the leg's EventBridge
// contact events as markers on it, and the span a customer stays on with an external party
// after the agent's transfer to a number (TransferCompletedTimestamp -> DisconnectTimestamp).
import type { RecordRef } from './duplicates';
import { isObject, str, type JsonObject } from './records';
import type { EventSighting, FlowSighting, KindSightings } from './kindSightings';
import { flowName } from './kindRules';
import { parseTimestamp } from './time';
import type { Finding } from './types';
import type { SourceRef, TimelineFinding, TimelineLane, TimelineMarker, TimelineModel, TimelineSegment } from '../shared/timeline';

/** A block's bar runs to the contact's next block in the same flow, unless the next one is further than this (a later flow run). */
const BLOCK_MAX_SPAN_MS = 5 * 60_000;
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

const iso = (t: number) => new Date(t).toISOString();
const sourceOf = (ref: { dump: { uri: string }; record: { start: number; end: number } }): SourceRef => ({ uri: ref.dump.uri, start: ref.record.start, end: ref.record.end });

function findingsOf(ref: { dump: { uri: string }; record: { start: number; end: number } }, findings: ReadonlyMap<string, readonly Finding[]> | undefined): TimelineFinding[] {
  const list = findings?.get(ref.dump.uri) ?? [];
  return list
    .filter((f) => f.start >= ref.record.start && f.end <= ref.record.end)
    .map((f) => ({ code: f.code, message: f.message, severity: f.severity, source: sourceOf(ref) }));
}

/** The name a block goes by on its bar: its label, or its type when the identifier is a bare ID. */
export function blockLabel(entry: JsonObject): string {
  const id = str(entry.Identifier);
  const type = str(entry.ContactFlowModuleType) ?? 'Block';
  return id && !UUID_LIKE.test(id) ? id : type;
}

function flowLane(legLane: TimelineLane, entries: readonly FlowSighting[], findings: ReadonlyMap<string, readonly Finding[]> | undefined): TimelineLane | undefined {
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
      name && `Flow ${name}`, type && `Block type ${type}`, str(e.value.Identifier) && `Identifier ${str(e.value.Identifier)}`,
      e.value.Results !== undefined && `Results ${JSON.stringify(e.value.Results).slice(0, 200)}`,
      isObject(e.value.Parameters) && str(e.value.Parameters.FunctionArn) && `Lambda ${str(e.value.Parameters.FunctionArn)}`,
      e.failure && `Failed: ${e.failure}`,
    ].filter((d): d is string => typeof d === 'string' && d.length > 0);
    const seg: TimelineSegment = {
      id: `${laneId}#${i}`, kind: e.failure ? 'flow-failed' : 'flow-block', label: blockLabel(e.value), state: type,
      start: iso(e.time!), end: iso(end), durationMs: end - e.time!, contactId: e.contactId, details, source: sourceOf(e),
    };
    const fs = findingsOf(e, findings);
    if (fs.length) seg.findings = fs;
    return seg;
  });
  const names = [...new Set(timed.map((e) => flowName(e.value)).filter((n): n is string => !!n))];
  const failed = timed.filter((e) => e.failure).length;
  // Short enough for the lane heading: "Flows · leg 2" under "Leg 2 · TRANSFER".
  const legNumber = /^Leg (\d+)/.exec(legLane.title)?.[1];
  return {
    id: laneId, kind: 'flow', title: legNumber ? `Flows · leg ${legNumber}` : 'Flows', contactId: legLane.contactId,
    subtitle: [names.join(' → '), `${timed.length} block${timed.length === 1 ? '' : 's'}`, failed ? `${failed} failed` : ''].filter(Boolean).join(' · '),
    segments,
  };
}

function eventMarker(lane: TimelineLane, e: EventSighting): TimelineMarker | undefined {
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
    id: `event:${e.dump.uri}:${e.record.start}`, kind: 'event', label: e.eventType ?? 'Contact event', at: iso(at),
    fromLaneId: lane.id, toLaneId: lane.id, details, source: sourceOf(e),
  };
}

/** After a transfer to an external number the customer stays on until the disconnect (DOMAIN.md, "The agent can leave before the customer"). */
function externalSegment(lane: TimelineLane, contact: RecordRef): TimelineSegment | undefined {
  const v = contact.value;
  const endpoint = v.TransferredToEndpoint;
  const address = isObject(endpoint) ? str(endpoint.Address) : str(endpoint);
  const from = parseTimestamp(v.TransferCompletedTimestamp);
  const to = parseTimestamp(v.DisconnectTimestamp);
  if (!address || from === undefined || to === undefined || to <= from) return undefined;
  return {
    id: `${lane.id}#external`, kind: 'external', label: `External: ${address}`, start: iso(from), end: iso(to), durationMs: to - from,
    contactId: lane.contactId,
    details: ['The agent transferred the call to an external number and left; the customer stayed on with that party until the disconnect.', `TransferredToEndpoint ${address}`],
    source: sourceOf(contact),
  };
}

/** Adds flow lanes, contact event markers and external transfer spans to a built timeline. */
export function addKindLanes(
  model: TimelineModel, kinds: KindSightings, contactRecord: (contactId: string) => RecordRef | undefined,
  findings?: ReadonlyMap<string, readonly Finding[]>,
): TimelineModel {
  const lanes: TimelineLane[] = [];
  for (const lane of model.lanes) {
    lanes.push(lane);
    if (lane.kind !== 'leg' || !lane.contactId) continue;
    const contact = contactRecord(lane.contactId);
    const external = contact && externalSegment(lane, contact);
    if (external && !lane.segments.some((s) => s.kind === 'external')) lane.segments.push(external);
    for (const e of kinds.events.get(lane.contactId) ?? []) {
      const marker = eventMarker(lane, e);
      if (marker) model.markers.push(marker);
    }
    const flows = flowLane(lane, kinds.flowLogs.get(lane.contactId) ?? [], findings);
    if (flows) lanes.push(flows);
  }
  model.lanes = lanes;
  return model;
}
