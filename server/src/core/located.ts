// A finding and the document it sits in, anchored on a value of a record of the model.
import { locate } from './positions';
import type { RecordRef } from './model';
import type { Finding, FindingCode, JsonPath, RelatedLocation, Severity } from './types';

export interface Located {
  uri: string;
  finding: Finding;
}

export function relatedAt(ref: RecordRef, path: JsonPath, message: string): RelatedLocation {
  const span = locate(ref.dump, ref.record, path);
  return { uri: ref.dump.uri, start: span.start, end: span.end, message };
}

export function findingAt(
  ref: RecordRef,
  path: JsonPath,
  code: FindingCode,
  severity: Severity,
  message: string,
  related?: RelatedLocation[],
  fix?: Finding['fix'],
): Located {
  const span = locate(ref.dump, ref.record, path);
  const finding: Finding = { code, severity, message, start: span.start, end: span.end };
  if (related && related.length > 0) finding.related = related;
  if (fix) finding.fix = fix;
  return { uri: ref.dump.uri, finding };
}
