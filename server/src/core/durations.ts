// How the durations of a contact record add up, as data: each row with where it comes from
// and what real records showed. `duration-mismatch` (warning) reports a record that breaks a
// row by more than TIMESTAMP_TOLERANCE_MS: contact records carry whole seconds, so a second
// of rounding is not a fault. The message shows the arithmetic.
import { ORDER_SOURCES, recordTimeAt } from './ordering';
import { findingOn, pathLabel, relatedOn, valueAt } from './recordPaths';
import { TIMESTAMP_TOLERANCE_MS } from './time';
import type { Dump, DumpRecord, Finding, JsonPath } from './types';

export const DURATION_SOURCES = ORDER_SOURCES;

/**
 * `sum`: start time + the durations = end time. `difference`: the duration = end - start.
 * `atMost`: part <= whole. `zeroWhenNone`: when `count` is 0, `duration` is 0.
 */
export type DurationRule =
  | { kind: 'sum'; start: JsonPath; durations: JsonPath[]; end: JsonPath }
  | { kind: 'difference'; duration: JsonPath; start: JsonPath; end: JsonPath }
  | { kind: 'atMost'; part: JsonPath; whole: JsonPath }
  | { kind: 'zeroWhenNone'; count: JsonPath; duration: JsonPath };

export interface DurationRow {
  rule: DurationRule;
  source: keyof typeof DURATION_SOURCES;
  /** The documentation's words, and what the real records showed. */
  note: string;
  /** The row is not checked on records where this says so, and why. */
  skip?: { when: (record: unknown) => boolean; why: string };
}

const positive = (v: unknown): boolean => typeof v === 'number' && v > 0;

/** A paused task: AgentInteractionDuration leaves the pause out (data model) and no real paused record was found to say how the rest adds up. */
function paused(record: unknown): boolean {
  return (
    positive(valueAt(record, ['Agent', 'AgentPauseDuration'])) ||
    positive(valueAt(record, ['TotalPauseDurationInSeconds'])) ||
    positive(valueAt(record, ['TotalPauseCount']))
  );
}

export const DURATIONS: readonly DurationRow[] = [
  {
    rule: {
      kind: 'sum',
      start: ['Agent', 'ConnectedToAgentTimestamp'],
      durations: [
        ['Agent', 'AgentInteractionDuration'],
        ['Agent', 'CustomerHoldDuration'],
      ],
      end: ['Agent', 'AfterContactWorkStartTimestamp'],
    },
    source: 'real-records',
    note: 'Exact in every real record checked: a plain call, a call with a 1021 s hold transferred to a queue (ACW start 24 s after DisconnectTimestamp: the sum ends at ACW start, not at the disconnect), and an external transfer (ACW start = TransferCompletedTimestamp, the customer still connected).',
    skip: { when: paused, why: 'the contact was paused (AgentPauseDuration, TotalPauseDurationInSeconds): AgentInteractionDuration excludes the pause' },
  },
  {
    rule: {
      kind: 'difference',
      duration: ['Agent', 'AfterContactWorkDuration'],
      start: ['Agent', 'AfterContactWorkStartTimestamp'],
      end: ['Agent', 'AfterContactWorkEndTimestamp'],
    },
    source: 'ctr-data-model',
    note: '"The difference in time, in whole seconds, between AfterContactWorkStartTimestamp and AfterContactWorkEndTimestamp." Exact in every real record checked.',
  },
  {
    rule: { kind: 'difference', duration: ['Queue', 'Duration'], start: ['Queue', 'EnqueueTimestamp'], end: ['Queue', 'DequeueTimestamp'] },
    source: 'ctr-data-model',
    note: '"The difference in time, in whole seconds, between EnqueueTimestamp and DequeueTimestamp." Exact in every real record checked (5 s to 753 s).',
  },
  {
    rule: { kind: 'atMost', part: ['Agent', 'LongestHoldDuration'], whole: ['Agent', 'CustomerHoldDuration'] },
    source: 'ctr-data-model',
    note: 'Data model: CustomerHoldDuration is the time the customer spent on hold, LongestHoldDuration the longest single hold, so the longest is one of the holds the total adds up. Real records: 204 of 221 s over 2 holds; 1021 of 1021 s over 1 hold; 0 of 0.',
  },
  {
    rule: { kind: 'zeroWhenNone', count: ['Agent', 'NumberOfHolds'], duration: ['Agent', 'CustomerHoldDuration'] },
    source: 'ctr-data-model',
    note: 'No hold, no hold time. Only this direction: a hold shorter than a second counts in NumberOfHolds but rounds to 0 s, so "CustomerHoldDuration 0 means no hold" is not checked.',
  },
];

/** `09:01:05Z`-style: the time of day is what a reader compares. A duration of 1e300 s lands past any date. */
function shortTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'a time past any date' : d.toISOString().replace('.000Z', 'Z');
}

function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return 'unboundedly';
  const s = Math.round(ms / 100) / 10;
  return `${s} s`;
}

const label = pathLabel;

/** `duration-mismatch` findings of one contact record. */
export function durationFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (record.kind !== 'contactRecord') return [];
  const value = record.value;
  const num = (path: JsonPath): number | undefined => {
    const v = valueAt(value, path);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const time = (path: JsonPath) => recordTimeAt(value, path)?.ms;
  const raw = (path: JsonPath): string => String(valueAt(value, path));
  const out: Finding[] = [];
  for (const row of DURATIONS) {
    if (row.skip?.when(value)) continue;
    const r = row.rule;
    switch (r.kind) {
      case 'sum': {
        const start = time(r.start);
        const end = time(r.end);
        const parts = r.durations.map(num);
        if (start === undefined || end === undefined || parts.some((p) => p === undefined)) break;
        const expected = start + (parts as number[]).reduce((a, b) => a + b, 0) * 1000;
        const off = end - expected;
        if (Math.abs(off) <= TIMESTAMP_TOLERANCE_MS) break;
        const terms = r.durations.map((p, i) => `${label(p)} ${parts[i]} s`).join(' + ');
        out.push(
          findingOn(
            dump,
            record,
            r.durations[0],
            'duration-mismatch',
            'warning',
            `${label(r.start)} ${raw(r.start)} + ${terms} = ${shortTime(expected)}, but ${label(r.end)} is ${raw(r.end)} (${seconds(Math.abs(off))} ${off > 0 ? 'later' : 'earlier'}).`,
            [relatedOn(dump, record, r.start, `${label(r.start)} ${raw(r.start)}.`), relatedOn(dump, record, r.end, `${label(r.end)} ${raw(r.end)}.`)],
          ),
        );
        break;
      }
      case 'difference': {
        const d = num(r.duration);
        const start = time(r.start);
        const end = time(r.end);
        if (d === undefined || start === undefined || end === undefined) break;
        const off = d * 1000 - (end - start);
        if (Math.abs(off) <= TIMESTAMP_TOLERANCE_MS) break;
        out.push(
          findingOn(
            dump,
            record,
            r.duration,
            'duration-mismatch',
            'warning',
            `${label(r.duration)} is ${d} s, but ${label(r.end)} ${raw(r.end)} - ${label(r.start)} ${raw(r.start)} = ${seconds(end - start)}.`,
            [relatedOn(dump, record, r.start, `${label(r.start)} ${raw(r.start)}.`), relatedOn(dump, record, r.end, `${label(r.end)} ${raw(r.end)}.`)],
          ),
        );
        break;
      }
      case 'atMost': {
        const part = num(r.part);
        const whole = num(r.whole);
        if (part === undefined || whole === undefined || part * 1000 <= whole * 1000 + TIMESTAMP_TOLERANCE_MS) break;
        out.push(
          findingOn(
            dump,
            record,
            r.part,
            'duration-mismatch',
            'warning',
            `${label(r.part)} ${part} s is longer than ${label(r.whole)} ${whole} s, the total it is part of.`,
            [relatedOn(dump, record, r.whole, `${label(r.whole)} ${whole} s.`)],
          ),
        );
        break;
      }
      case 'zeroWhenNone': {
        const count = num(r.count);
        const d = num(r.duration);
        if (count !== 0 || d === undefined || d * 1000 <= TIMESTAMP_TOLERANCE_MS) break;
        out.push(
          findingOn(
            dump,
            record,
            r.duration,
            'duration-mismatch',
            'warning',
            `${label(r.duration)} is ${d} s, but ${label(r.count)} is 0: hold time without a hold.`,
            [relatedOn(dump, record, r.count, `${label(r.count)} 0.`)],
          ),
        );
        break;
      }
    }
  }
  return out;
}
