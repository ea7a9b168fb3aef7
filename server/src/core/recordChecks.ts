// Every check that needs one record and nothing else: validateRecord (the schema, the order of
// its times, how its durations add up, its ARNs and phone numbers) and what in it is masked.
// They run per record in the document analysis (and are cached with the record there), so an
// edit re-checks only the records it changed. The masks of a document add up to one
// `redacted` finding.
import { maskedValues, mayHoldMasks } from './masking';
import { locate } from './positions';
import { describeValue } from './records';
import { validateRecord } from './schema';
import { ownTextOf } from './sharedParts';
import type { Dump, DumpRecord, Finding, Span } from './types';

export interface RecordCheck {
  findings: Finding[];
  /** How many string values of the record are masked, and where the first one is. */
  masked: { count: number; first?: Span; sample?: string };
}

export function checkRecord(dump: Dump, record: DumpRecord): RecordCheck {
  const findings = validateRecord(dump, record);
  if (record.kind === undefined || record.kind === 'unknown') return { findings, masked: { count: 0 } };
  // Snapshot Configurations shared with other records hold no masked value (sharedParts.ts): their text is left out.
  const m = ownTextOf(dump.text, record).some(mayHoldMasks) ? maskedValues(record.value) : { count: 0 };
  return { findings, masked: m.first ? { count: m.count, first: locate(dump, record, m.first), sample: m.sample } : { count: 0 } };
}

/** The one `redacted` finding of a document, on its first masked value; none when nothing is masked. */
export function redactedFinding(checks: Iterable<RecordCheck['masked']>): Finding | undefined {
  let count = 0;
  let first: RecordCheck['masked'] | undefined;
  for (const m of checks) {
    count += m.count;
    if (m.first && (!first?.first || m.first.start < first.first.start)) first = m;
  }
  if (!first?.first) return undefined;
  return {
    code: 'redacted',
    severity: 'information',
    start: first.first.start,
    end: first.first.end,
    message: `This dump is redacted: ${count} value${count === 1 ? ' is' : 's are'} masked, starting with ${describeValue(first.sample)}. Findings that only a mask would cause (schema patterns, ARN and phone formats) are not reported.`,
  };
}
