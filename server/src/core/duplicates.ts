// `duplicate-id`: copies of one EventId, or of one ContactId, that disagree without one
// superseding the other. Which copy stands is the model's rule (model.ts, `supersedes`);
// this rule only reports the copies that rule cannot settle.
import { isObject, str } from './json';
import { findingAt, Located, relatedAt } from './located';
import type { AgentEventRef, ContactModel, ContactRecordRef, RecordRef } from './model';

// Identical copies are usually byte-identical; otherwise compare with keys sorted, so a
// pretty-printed copy in one file equals a JSON Lines copy in another.
function canonical(ref: RecordRef): string {
  try {
    return JSON.stringify(sortKeys(ref.value));
  } catch {
    return ref.dump.text.slice(ref.record.start, ref.record.end); // pathological nesting
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  // No prototype: a "__proto__" key from the dump stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

/** Two copies with the same content (byte-identical, or equal with keys sorted; a pathological nesting compares as text). */
export function sameContent(a: RecordRef, b: RecordRef, cache: Map<RecordRef, string>): boolean {
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
export function duplicateFindings(ws: ContactModel): Located[] {
  const out: Located[] = [];
  const cache = new Map<RecordRef, string>();

  // Contact records: copies with the same LastUpdateTimestamp (or none) must be identical;
  // a copy with a different LastUpdateTimestamp is an update, the newer one wins.
  for (const [id, list] of ws.copies) {
    if (list.length < 2) continue;
    const firstByStamp = new Map<string, ContactRecordRef>();
    for (const ref of list) {
      const stamp = ref.lastUpdate === undefined ? 'none' : String(ref.lastUpdate);
      const first = firstByStamp.get(stamp);
      if (!first) {
        firstByStamp.set(stamp, ref);
        continue;
      }
      if (sameContent(first, ref, cache)) continue;
      const stampText =
        ref.lastUpdate === undefined ? 'neither has a LastUpdateTimestamp' : `both have LastUpdateTimestamp ${str(ref.value.LastUpdateTimestamp)}`;
      out.push(
        findingAt(
          ref,
          ['ContactId'],
          'duplicate-id',
          'warning',
          `Contact record ${id} appears twice with different content and neither copy supersedes the other (${stampText}).`,
          [relatedAt(first, ['ContactId'], `The other copy of contact ${id} (${where(first)}).`)],
        ),
      );
    }
  }

  // Agent events: an EventId names one event; a second copy must be identical.
  const firstByEventId = new Map<string, AgentEventRef>();
  for (const ref of ws.allEvents) {
    if (ref.eventId === undefined) continue;
    const first = firstByEventId.get(ref.eventId);
    if (!first) {
      firstByEventId.set(ref.eventId, ref);
      continue;
    }
    if (sameContent(first, ref, cache)) continue;
    out.push(
      findingAt(ref, ['EventId'], 'duplicate-id', 'warning', `Agent event ${ref.eventId} appears twice with different content; an EventId names one event.`, [
        relatedAt(first, ['EventId'], `The other event with EventId ${ref.eventId} (${where(first)}).`),
      ]),
    );
  }
  return out;
}
