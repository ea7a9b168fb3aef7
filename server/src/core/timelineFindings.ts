// The findings of the other rules, attached to the bars of the records they fall in.
import type { Finding } from './types';
import type { TimelineFinding, TimelineSegment } from '../shared/timeline';

export function attachFindings(segments: Iterable<TimelineSegment>, findings: ReadonlyMap<string, readonly Finding[]> | undefined): void {
  if (!findings) return;
  for (const seg of segments) {
    const list = findings.get(seg.source.uri);
    if (!list) continue;
    for (const fd of list) {
      if (fd.start < seg.source.start || fd.start > seg.source.end) continue;
      const tf: TimelineFinding = { code: fd.code, message: fd.message, severity: fd.severity, source: seg.source };
      const existing = seg.findings ?? (seg.findings = []);
      if (!existing.some((e) => e.code === tf.code && e.message === tf.message)) existing.push(tf);
    }
  }
}
