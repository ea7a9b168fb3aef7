// The records every cross-record rule reads, gathered in one pass over the dumps, with
// duplicates resolved: contact records arrive at least once and an update re-delivers the
// whole record (the newest LastUpdateTimestamp wins); agent events can be delivered twice.
// `duplicate-id` reports only copies that disagree without one superseding the other.
import { locate } from './positions';
import { isObject, JsonObject, str } from './records';
import type { Dump, DumpRecord, Finding, FindingCode, JsonPath, RelatedLocation, Severity } from './types';

export interface RecordRef {
  dump: Dump;
  record: DumpRecord;
  value: JsonObject;
  /** Position over all dumps in the order given (dump, then record): the tie-breaker. */
  order: number;
}

export interface ContactRef extends RecordRef {
  id: string;
  /** Parsed LastUpdateTimestamp (ms), when present and valid. */
  lastUpdate: number | undefined;
}

export interface EventRef extends RecordRef {
  agent: string | undefined;
  /** Parsed EventTimestamp (ms), when present and valid. */
  time: number | undefined;
  eventId: string | undefined;
  eventType: string | undefined;
}

export interface Workspace {
  /** Every contact record with a ContactId, in order. */
  contactRecords: ContactRef[];
  /** Copies per ContactId, in order. */
  copies: Map<string, ContactRef[]>;
  /** The copy that stands for each ContactId: the newest LastUpdateTimestamp, later copies winning ties. */
  contacts: Map<string, ContactRef>;
  /** Every agent event, in order. */
  allEvents: EventRef[];
  /** Agent events with a repeated EventId dropped (the first copy stays). */
  events: EventRef[];
}

/** A finding and the document it sits in. */
export interface Located {
  uri: string;
  finding: Finding;
}

import { parseTimestamp as parseTime } from './time';
export { parseTime };
export { TIMESTAMP_TOLERANCE_MS } from './time';

/** The value at a path of a parsed record, or undefined. */
export function at(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[seg];
    } else {
      if (!isObject(v)) return undefined;
      v = v[seg];
    }
  }
  return v;
}

/** A non-empty string at the path, or undefined. */
export function idAt(value: unknown, path: JsonPath): string | undefined {
  const s = str(at(value, path));
  return s && s.length > 0 ? s : undefined;
}

export function relatedAt(ref: RecordRef, path: JsonPath, message: string): RelatedLocation {
  const span = locate(ref.dump, ref.record, path);
  return { uri: ref.dump.uri, start: span.start, end: span.end, message };
}

export function findingAt(
  ref: RecordRef, path: JsonPath, code: FindingCode, severity: Severity, message: string,
  related?: RelatedLocation[], fix?: Finding['fix'],
): Located {
  const span = locate(ref.dump, ref.record, path);
  const finding: Finding = { code, severity, message, start: span.start, end: span.end };
  if (related && related.length > 0) finding.related = related;
  if (fix) finding.fix = fix;
  return { uri: ref.dump.uri, finding };
}

export function collectWorkspace(dumps: readonly Dump[]): Workspace {
  const contactRecords: ContactRef[] = [];
  const copies = new Map<string, ContactRef[]>();
  const contacts = new Map<string, ContactRef>();
  const allEvents: EventRef[] = [];
  const events: EventRef[] = [];
  const seenEventIds = new Set<string>();
  let order = 0;
  for (const dump of dumps) {
    for (const record of dump.records) {
      const value = record.value;
      if (!isObject(value)) continue;
      if (record.kind === 'contactRecord') {
        const id = idAt(value, ['ContactId']);
        if (!id) continue;
        const ref: ContactRef = { dump, record, value, order: order++, id, lastUpdate: parseTime(value.LastUpdateTimestamp) };
        contactRecords.push(ref);
        const list = copies.get(id);
        if (list) list.push(ref);
        else copies.set(id, [ref]);
        const best = contacts.get(id);
        if (!best || supersedesOrTies(ref, best)) contacts.set(id, ref);
      } else if (record.kind === 'agentEvent') {
        const eventId = idAt(value, ['EventId']);
        const ref: EventRef = {
          dump, record, value, order: order++,
          agent: idAt(value, ['AgentARN']),
          time: parseTime(value.EventTimestamp),
          eventId,
          eventType: str(value.EventType),
        };
        allEvents.push(ref);
        if (eventId !== undefined) {
          if (seenEventIds.has(eventId)) continue;
          seenEventIds.add(eventId);
        }
        events.push(ref);
      }
    }
  }
  return { contactRecords, copies, contacts, allEvents, events };
}

/** `a` (seen later) replaces `b` as the copy that stands for the contact. */
function supersedesOrTies(a: ContactRef, b: ContactRef): boolean {
  if (a.lastUpdate === undefined) return b.lastUpdate === undefined;
  if (b.lastUpdate === undefined) return true;
  return a.lastUpdate >= b.lastUpdate;
}

// Identical copies are usually byte-identical; otherwise compare with keys sorted, so a
// pretty-printed copy in one file equals a JSON Lines copy in another.
function canonical(ref: RecordRef): string {
  try {
    return JSON.stringify(sortKeys(ref.value));
  } catch {
    return ref.dump.text.slice(ref.record.start, ref.record.end); // pathological nesting
  }
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  // No prototype: a "__proto__" key from the dump stays a plain key.
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function sameContent(a: RecordRef, b: RecordRef, cache: Map<RecordRef, string>): boolean {
  const ta = a.dump.text.slice(a.record.start, a.record.end);
  const tb = b.dump.text.slice(b.record.start, b.record.end);
  if (ta === tb) return true;
  let ca = cache.get(a);
  if (ca === undefined) cache.set(a, (ca = canonical(a)));
  let cb = cache.get(b);
  if (cb === undefined) cache.set(b, (cb = canonical(b)));
  return ca === cb;
}

function where(ref: RecordRef): string {
  return `record ${ref.record.index + 1}`;
}

/** `duplicate-id`: copies of one EventId, or of one ContactId, that disagree. */
export function duplicateFindings(ws: Workspace): Located[] {
  const out: Located[] = [];
  const cache = new Map<RecordRef, string>();

  // Contact records: copies with the same LastUpdateTimestamp (or none) must be identical;
  // a copy with a different LastUpdateTimestamp is an update, the newer one wins.
  for (const [id, list] of ws.copies) {
    if (list.length < 2) continue;
    const firstByStamp = new Map<string, ContactRef>();
    for (const ref of list) {
      const stamp = ref.lastUpdate === undefined ? 'none' : String(ref.lastUpdate);
      const first = firstByStamp.get(stamp);
      if (!first) {
        firstByStamp.set(stamp, ref);
        continue;
      }
      if (sameContent(first, ref, cache)) continue;
      const stampText = ref.lastUpdate === undefined ? 'neither has a LastUpdateTimestamp'
        : `both have LastUpdateTimestamp ${str(ref.value.LastUpdateTimestamp)}`;
      out.push(findingAt(ref, ['ContactId'], 'duplicate-id', 'warning',
        `Contact record ${id} appears twice with different content and neither copy supersedes the other (${stampText}).`,
        [relatedAt(first, ['ContactId'], `The other copy of contact ${id} (${where(first)}).`)]));
    }
  }

  // Agent events: an EventId names one event; a second copy must be identical.
  const firstByEventId = new Map<string, EventRef>();
  for (const ref of ws.allEvents) {
    if (ref.eventId === undefined) continue;
    const first = firstByEventId.get(ref.eventId);
    if (!first) {
      firstByEventId.set(ref.eventId, ref);
      continue;
    }
    if (sameContent(first, ref, cache)) continue;
    out.push(findingAt(ref, ['EventId'], 'duplicate-id', 'warning',
      `Agent event ${ref.eventId} appears twice with different content; an EventId names one event.`,
      [relatedAt(first, ['EventId'], `The other event with EventId ${ref.eventId} (${where(first)}).`)]));
  }
  return out;
}
