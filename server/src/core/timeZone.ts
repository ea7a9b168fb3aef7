// Which zone the timeline shows times in: the one zone every timestamp of the dumps names,
// else UTC with a note saying why (mixed zones, timestamps with no zone).
import { isObject } from './json';
import { timestampZone } from './time';
import type { TimeZoneInfo } from '../shared/timeline';

export function timeZoneOf(stamps: string[]): TimeZoneInfo {
  const zones = new Set<string>();
  let unzoned = 0;
  for (const s of stamps) {
    const zone = timestampZone(s);
    if (zone === null) unzoned++;
    else if (zone !== undefined) zones.add(zone);
  }
  if (zones.size === 1 && unzoned === 0) {
    const z = [...zones][0];
    if (z === 'Z' || z === '+00:00' || z === '-00:00') {
      return { label: 'UTC', offsetMinutes: 0, note: 'All timestamps in the dumps are UTC.' };
    }
    const sign = z.startsWith('-') ? -1 : 1;
    const [h, m] = z.slice(1).split(':').map(Number);
    return { label: `UTC${z}`, offsetMinutes: sign * (h * 60 + m), note: `All timestamps in the dumps are UTC${z}.` };
  }
  if (zones.size === 0 && unzoned === 0) return { label: 'UTC', offsetMinutes: 0, note: 'Times shown in UTC.' };
  const parts: string[] = [];
  if (zones.size > 1) parts.push('the dumps mix time zones');
  if (unzoned > 0) parts.push(`${unzoned} timestamp(s) have no zone and are read as UTC`);
  return { label: 'UTC', offsetMinutes: 0, note: `Times shown in UTC: ${parts.join('; ')}.` };
}

/** Every timestamp string inside a record (bounded depth: a record is not a tree of timestamps). */
export function collectStamps(value: unknown, out: string[], depth = 0): void {
  if (depth > 6) return;
  if (typeof value === 'string') {
    if (timestampZone(value) !== undefined) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectStamps(v, out, depth + 1);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) collectStamps(v, out, depth + 1);
  }
}
