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
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  let zone = m[3] ?? 'Z';
  // Date.parse wants `+hh:mm`; AWS sometimes writes `+hhmm`.
  if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isFinite(t) ? t : undefined;
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
