// Time and duration text for the timeline. Times are shown in the dump's own zone (the
// model says which); the webview never uses the machine's local zone.

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "850 ms", "4.2 s", "42 s", "4 min 12 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const neg = ms < 0 ? '-' : '';
  ms = Math.abs(ms);
  if (ms === 0) return '0 s';
  if (ms < SEC) return `${neg}${Math.round(ms)} ms`;
  if (ms < 10 * SEC) {
    const s = Math.round(ms / 100) / 10;
    return `${neg}${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  }
  if (ms < MIN) return `${neg}${Math.round(ms / SEC)} s`;
  const totalSec = Math.round(ms / SEC);
  if (ms < HOUR) {
    const m = Math.floor(totalSec / 60);
    const s = totalSec % 60;
    return s === 0 ? `${neg}${m} min` : `${neg}${m} min ${s} s`;
  }
  const totalMin = Math.round(ms / MIN);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return m === 0 ? `${neg}${h} h` : `${neg}${h} h ${pad(m)} min`;
}

/** The wall-clock fields of `ms` in a zone `offsetMinutes` east of UTC. */
function fields(ms: number, offsetMinutes: number): Date {
  return new Date(ms + offsetMinutes * MIN);
}

export function formatDate(ms: number, offsetMinutes: number): string {
  const d = fields(ms, offsetMinutes);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "09:05:30", with milliseconds when `withMs`. */
export function formatClock(ms: number, offsetMinutes: number, withMs = false): string {
  const d = fields(ms, offsetMinutes);
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

/** Full timestamp for tooltips: "2024-03-14 09:05:30.000 UTC". */
export function formatFull(ms: number, offsetMinutes: number, zoneLabel: string): string {
  return `${formatDate(ms, offsetMinutes)} ${formatClock(ms, offsetMinutes, true)} ${zoneLabel}`;
}

const STEPS = [
  100,
  200,
  500,
  SEC,
  2 * SEC,
  5 * SEC,
  10 * SEC,
  15 * SEC,
  30 * SEC,
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

export interface Tick {
  ms: number;
  label: string;
  /** Set on the first tick and where the day changes. */
  date?: string;
}

/** Ticks for [t0, t1] at roughly one per `minPx` pixels, aligned to the zone's wall clock. */
export function ticks(t0: number, t1: number, widthPx: number, offsetMinutes: number, minPx = 90): Tick[] {
  const span = Math.max(1, t1 - t0);
  const wanted = Math.max(1, Math.floor(widthPx / minPx));
  const step = STEPS.find((s) => span / s <= wanted) ?? STEPS[STEPS.length - 1];
  const offset = offsetMinutes * MIN;
  // Align to multiples of the step in wall-clock time.
  const first = Math.ceil((t0 + offset) / step) * step - offset;
  const out: Tick[] = [];
  let lastDate = '';
  const withSeconds = step < MIN;
  const withMs = step < SEC;
  for (let t = first; t <= t1 && out.length < 500; t += step) {
    let label = formatClock(t, offsetMinutes, withMs);
    if (!withSeconds) label = label.slice(0, 5);
    const date = formatDate(t, offsetMinutes);
    const tick: Tick = { ms: t, label };
    if (date !== lastDate) tick.date = date;
    lastDate = date;
    out.push(tick);
  }
  return out;
}
