// The one timestamp policy of the core: how a time in a dump becomes milliseconds, and how
// close two times must be to count as equal. Rules, the model, the timeline and the CLI all
// read times through here.

/**
 * Slack when comparing two times. Contact records carry whole seconds (`17:20:32Z`) while
 * agent events and EventBridge events carry milliseconds: a difference this small between
 * kinds, or between parts of the service, is not worth a finding (DOMAIN.md, "Timestamps").
 */
export const TIMESTAMP_TOLERANCE_MS = 1000;

/**
 * EventBridge contact events write `1970-01-01T00:00:00.001Z` for a time that is not set
 * (admin guide, "Contact events"); it is never a real time in any Connect record.
 */
export const UNSET_TIMESTAMP = '1970-01-01T00:00:00.001Z';

/**
 * ISO 8601 date-time as AWS writes it (`T` or a space, optional seconds and fraction). The
 * zone may be missing: Connect writes UTC everywhere and exporters such as Athena drop the
 * `Z`, so a missing zone is UTC, never the reader's local time.
 */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Milliseconds since the epoch of a timestamp string, or undefined when the value is not
 * an ISO 8601 date-time (anything else is the schema's business: `Date.parse` would read
 * "12/03/2024 08:15:00" as 3 December in local time) or is the "not set" marker.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === UNSET_TIMESTAMP) return undefined;
  const fast = canonicalUtc(value);
  if (fast !== undefined) return fast;
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  let zone = m[3] ?? 'Z';
  // Date.parse wants `+hh:mm`; AWS sometimes writes `+hhmm`.
  if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The shapes Connect writes, `2019-05-25T18:43:59Z` and `2019-05-25T18:43:59.049Z`, read
 * without a regex or a string built for Date.parse (this runs for every time of every record).
 * Same result as the general path; anything else (out-of-range fields included) is left to it.
 */
function canonicalUtc(s: string): number | undefined {
  const n = s.length;
  if (n !== 20 && n !== 24) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined; // - - T : :
  if (s.charCodeAt(n - 1) !== 90 || (n === 24 && s.charCodeAt(19) !== 46)) return undefined; // Z .
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = n === 24 ? digits(s, 20, 3) : 0;
  // Date.UTC reads years 0-99 as 1900-1999, and Date.parse rejects what is out of range here.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || ms < 0) return undefined;
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The decimal number of `length` digits at `from`, or -1 when one of them is not a digit. */
export function digits(s: string, from: number, length: number): number {
  let v = 0;
  for (let i = from; i < from + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The zone a timestamp string names, normalised (`Z` or `+hh:mm`); null when it names none
 * (read as UTC); undefined when the value is not a timestamp at all.
 */
export function timestampZone(value: unknown): string | null | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const zone = m[3];
  if (zone === undefined) return null;
  if (zone === 'z' || zone === 'Z') return 'Z';
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}
