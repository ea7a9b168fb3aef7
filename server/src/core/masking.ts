// Masked values: people share dumps in bug reports with account IDs, ARNs, IDs, names and
// phone numbers masked (`**********`, `XXXX`, `<redacted>`, `[REDACTED]`, ARNs such as
// `arn:aws:connect:us-east-1::**********::instance/...`; DOMAIN.md, "Masked dumps"). A masked
// value is not a fault: the document gets one `redacted` finding, and no check reports a
// finding whose only cause is the mask (schema pattern, ARN or phone format, ...).
import { visitStrings } from './recordPaths';
import type { JsonPath } from './types';

/**
 * What a mask looks like inside a string. Runs of three or more `*` and four or more `X`/`x`
 * (no ID, ARN, timestamp or phone number AWS writes contains either), and the usual
 * placeholder words in brackets, or alone.
 */
const BRACKETED = /[<[{(]\s*(?:redacted|masked|removed|hidden|omitted)\s*[>\]})]/i;
const WORD = /^\s*(?:redacted|masked)\s*$/i;

function maskedString(s: string): boolean {
  // Plain substring tests first: this runs on every string of every record.
  if (s.includes('***') || s.includes('XXXX') || s.includes('xxxx')) return true;
  if (s.length <= 12 && WORD.test(s)) return true;
  return (s.includes('<') || s.includes('[') || s.includes('(') || s.includes('{')) && BRACKETED.test(s);
}

/**
 * Whether a record's own text may hold a mask: when not, no string in it is masked (a string
 * without a backslash is its text verbatim), and the record need not be walked.
 */
export function mayHoldMasks(text: string): boolean {
  return text.includes('\\') || MASK_HINT.test(text);
}

const MASK_HINT = /\*\*\*|XXXX|xxxx|redacted|masked|removed|hidden|omitted/i;

export function isMasked(value: unknown): boolean {
  return typeof value === 'string' && maskedString(value);
}

/** The masked strings of a record: how many, and the path of the first (in document order). */
export interface MaskedValues {
  count: number;
  first?: JsonPath;
  /** The first masked value itself. */
  sample?: string;
}

export function maskedValues(value: unknown): MaskedValues {
  let count = 0;
  let first: JsonPath | undefined;
  let sample: string | undefined;
  visitStrings(value, (path, s) => {
    if (!maskedString(s)) return;
    count++;
    if (first) return;
    first = [...path];
    sample = s;
  });
  return first ? { count, first, sample } : { count };
}
