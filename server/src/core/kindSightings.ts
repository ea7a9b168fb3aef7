// Contact events and flow log entries as sightings of their contact: who (contactId), when
// (the moment each reports), and where (dump, record) for findings and navigation. What the
// cross-record rules, hover, navigation and the timeline read about the newer kinds.
import { isObject, str, type JsonObject } from './records';
import { contactEventDetail, EVENT_OWN_TIME } from './recordKinds';
import { flowBlockFailure } from './kindRules';
import { parseTimestamp } from './time';
import type { Dump, DumpRecord, JsonPath } from './types';

export interface KindRef {
  dump: Dump;
  record: DumpRecord;
  value: JsonObject;
  /** Position over all dumps in the order given: the tie-breaker. */
  order: number;
}

export interface EventSighting extends KindRef {
  detail: JsonObject;
  /** Path of `detail` in the record: ['detail'] in an envelope, [] for a bare detail. */
  detailPath: JsonPath;
  contactId: string;
  /** The EventBridge envelope `id` (absent for a bare detail). */
  eventId: string | undefined;
  eventType: string | undefined;
  /** The moment the event reports (EVENT_OWN_TIME), in ms; undefined when it carries none. */
  time: number | undefined;
  /** Path of that time in the record. */
  timePath: JsonPath | undefined;
}

export interface FlowSighting extends KindRef {
  contactId: string;
  time: number | undefined;
  /** Why the block failed (a `flow-error`), when it did. */
  failure: string | undefined;
}

/**
 * A detail field by its camelCase path, also found under PascalCase keys (as some doc samples
 * print them). Returns the value and the path it was found at, relative to the detail.
 */
export function detailAt(detail: JsonObject, path: readonly string[]): { value: unknown; path: string[] } | undefined {
  let node: unknown = detail;
  const found: string[] = [];
  for (const seg of path) {
    if (!isObject(node)) return undefined;
    const pascal = seg.charAt(0).toUpperCase() + seg.slice(1);
    const key = seg in node ? seg : pascal in node ? pascal : undefined;
    if (key === undefined) return undefined;
    found.push(key);
    node = node[key];
  }
  return { value: node, path: found };
}

export function eventSighting(dump: Dump, record: DumpRecord, order: number): EventSighting | undefined {
  if (record.kind !== 'contactEvent' || !isObject(record.value)) return undefined;
  const found = contactEventDetail(record.value);
  if (!found) return undefined;
  const contactId = str(detailAt(found.detail, ['contactId'])?.value);
  if (!contactId) return undefined;
  const eventType = str(detailAt(found.detail, ['eventType'])?.value);
  // The latest of the listed times: COMPLETED reports the end of after-contact work, or the
  // disconnect when the customer stayed on after the agent left (external transfer).
  let time: number | undefined;
  let timePath: JsonPath | undefined;
  for (const p of (eventType && EVENT_OWN_TIME[eventType]) || []) {
    const at = detailAt(found.detail, p);
    const t = parseTimestamp(at?.value);
    if (t !== undefined && (time === undefined || t > time)) {
      time = t;
      timePath = [...found.path, ...at!.path];
    }
  }
  return {
    dump, record, value: record.value, order, detail: found.detail, detailPath: found.path, contactId,
    eventId: str(record.value.id), eventType, time, timePath,
  };
}

export function flowSighting(dump: Dump, record: DumpRecord, order: number): FlowSighting | undefined {
  if (record.kind !== 'flowLog' || !isObject(record.value)) return undefined;
  const contactId = str(record.value.ContactId);
  if (!contactId) return undefined;
  return {
    dump, record, value: record.value, order, contactId,
    time: parseTimestamp(record.value.Timestamp), failure: flowBlockFailure(record.value)?.reason,
  };
}

export interface KindSightings {
  /** Every contact event in order, re-deliveries included. */
  allEvents: EventSighting[];
  /** Per contact, its events with re-deliveries (same `id`) dropped, the first copy kept. */
  events: Map<string, EventSighting[]>;
  /** Per contact, its flow log entries in time order (entries without a time last). */
  flowLogs: Map<string, FlowSighting[]>;
}

export function collectKindSightings(dumps: readonly Dump[]): KindSightings {
  const allEvents: EventSighting[] = [];
  const events = new Map<string, EventSighting[]>();
  const flowLogs = new Map<string, FlowSighting[]>();
  const seenIds = new Set<string>();
  let order = 0;
  const push = <T>(map: Map<string, T[]>, key: string, v: T) => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  for (const dump of dumps) {
    for (const record of dump.records) {
      if (record.kind === 'contactEvent') {
        const e = eventSighting(dump, record, order++);
        if (!e) continue;
        allEvents.push(e);
        if (e.eventId !== undefined) {
          if (seenIds.has(e.eventId)) continue;
          seenIds.add(e.eventId);
        }
        push(events, e.contactId, e);
      } else if (record.kind === 'flowLog') {
        const f = flowSighting(dump, record, order++);
        if (f) push(flowLogs, f.contactId, f);
      }
    }
  }
  const byTime = (a: { time: number | undefined; order: number }, b: { time: number | undefined; order: number }) =>
    (a.time ?? Infinity) - (b.time ?? Infinity) || a.order - b.order;
  for (const list of flowLogs.values()) list.sort(byTime);
  for (const list of events.values()) list.sort(byTime);
  return { allEvents, events, flowLogs };
}
