// The building blocks of timeline segments: one factory that numbers a lane's segments and
// reports an end before its start instead of drawing it, and small helpers over times.
import type { RecordRef } from './model';
import type { SegmentKind, SourceRef, TimelineFinding, TimelineSegment } from '../shared/timeline';

export const SECOND = 1000;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The record's text span: what a click on a bar reveals. */
export function sourceOf(ref: RecordRef): SourceRef {
  return { uri: ref.dump.uri, start: ref.record.start, end: ref.record.end };
}

export class SegmentFactory {
  private counter = 0;
  constructor(private readonly laneId: string) {}

  make(kind: SegmentKind, label: string, startMs: number, endMs: number, source: SourceRef, extra: Partial<TimelineSegment> = {}): TimelineSegment {
    const findings: TimelineFinding[] = [...(extra.findings ?? [])];
    if (endMs < startMs) {
      // Keep the known start; the backwards end is reported, not drawn.
      findings.push({
        code: 'timestamp-order',
        severity: 'warning',
        message: `${label}: ends at ${iso(endMs)}, before it starts at ${iso(startMs)}`,
        source,
      });
      endMs = startMs;
    }
    const seg: TimelineSegment = {
      ...extra,
      id: `${this.laneId}#${this.counter++}`,
      kind,
      label,
      start: iso(startMs),
      end: iso(endMs),
      durationMs: endMs - startMs,
      source,
    };
    if (findings.length > 0) seg.findings = findings;
    else delete seg.findings;
    return seg;
  }
}

/** The first of the given times that is not before `after`. */
export function nextKnown(after: number, ...candidates: (number | undefined)[]): number | undefined {
  for (const c of candidates) if (c !== undefined && c >= after) return c;
  return undefined;
}

// Loops rather than Math.min(...xs): a contact with very many events must not overflow the argument stack.
export function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}
export function maxOf(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

export function sum(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}
