// Masked values: people share dumps in bug reports with account IDs, ARNs, IDs, names and
// phone numbers masked (`**********`, `XXXX`, `<redacted>`, `[REDACTED]`, ARNs such as
// `arn:aws:connect:us-east-1::**********::instance/...`; DOMAIN.md, "Masked dumps"), and
// with short hand masks (`"ContactId": "xx-xx"`, `"ContactFlowId": "xx"`: a flow log entry
// published as course notes, test/fixtures/real/flow-log.masked-set-attributes.json). A
// masked value is not a fault: the document gets one `redacted` finding, and no check
// reports a finding whose only cause is the mask (schema pattern, ARN or phone format, ...).
import { visitStrings } from './recordPaths';
import type { JsonPath } from './types';

/**
 * What a mask looks like inside any string. Runs of three or more `*` and four or more `X`/`x`
 * (no ID, ARN, timestamp or phone number AWS writes contains either), and the usual
 * placeholder words in brackets, or alone.
 */
const BRACKETED = /[<[{(]\s*(?:redacted|masked|removed|hidden|omitted)\s*[>\]})]/i;
const WORD = /^\s*(?:redacted|masked)\s*$/i;

/** A short hand mask: only `x`/`X` and separators (`x`, `xx`, `xx-xx`, `XXX-XXX`). */
const SHORT_MASK = /^[xX][xX\-_:./ ]*$/;

/**
 * The fields where a short mask cannot be a real value, so `xx` there is a mask. Each
 * holds, by its data model, something no run of x's can spell:
 * - contact IDs (UUIDs): ContactId, InitialContactId, PreviousContactId, NextContactId,
 *   RelatedContactId (contact records data model; agent event Contacts; flow log entries;
 *   EventBridge `detail` in camelCase), `Id` (describe-contact: Contact.Id, QueueInfo.Id,
 *   AgentInfo.Id), agent event `EventId` and the EventBridge envelope `id` (UUIDs);
 * - ARNs: every key ending in ARN/Arn (AgentARN, InstanceARN, Queue.ARN, instanceArn,
 *   queueArn, agentArn, ...) and a flow log's ContactFlowId (the flow's ARN);
 * - the 12-digit account: AWSAccountId, the EventBridge envelope `account`;
 * - Endpoint `Address` (an E.164 phone number, or for other endpoint types an address or
 *   ARN: contact records data model, Endpoint);
 * - every `...Timestamp` (ISO 8601).
 * Not here, because "XX" can be real there: names and labels (Username, FirstName,
 * LastName, Name, GroupName, ContactFlowName, a flow log's Identifier, which may be a block
 * label), enums, and user data (below).
 */
const ID_FIELDS: ReadonlySet<string> = new Set([
  'ContactId',
  'InitialContactId',
  'PreviousContactId',
  'NextContactId',
  'RelatedContactId',
  'contactId',
  'initialContactId',
  'previousContactId',
  'relatedContactId',
  'Id',
  'EventId',
  'id',
  'ContactFlowId',
  'AWSAccountId',
  'account',
  'Address',
]);

/** User data: keys and values chosen by the customer (attributes, block parameters, a Lambda's answer, tags), never judged as short masks. */
const USER_DATA: ReadonlySet<string> = new Set([
  'Attributes',
  'attributes',
  'Parameters',
  'ExternalResults',
  'Events',
  'Tags',
  'tags',
  'ContactDetails',
  'SegmentAttributes',
  'segmentAttributes',
  'References',
]);

function idField(key: string | number): boolean {
  return typeof key === 'string' && (ID_FIELDS.has(key) || key.endsWith('ARN') || key.endsWith('Arn') || key.endsWith('Timestamp'));
}

/** Whether a short mask at `path` is a mask: the field cannot hold x's, and no enclosing object is user data. */
function shortMaskAt(s: string, path: readonly (string | number)[]): boolean {
  if (!SHORT_MASK.test(s) || path.length === 0 || !idField(path[path.length - 1])) return false;
  for (let i = 0; i < path.length - 1; i++) if (typeof path[i] === 'string' && USER_DATA.has(path[i] as string)) return false;
  return true;
}

/** A Connect ARN with a segment of two or more x's only (`arn:aws:connect:us-east-1:xx:instance/xx`): no real segment is. */
const ARN_SEGMENT_MASK = /[:/][xX]{2,}(?=[:/]|$)/;

function maskedString(s: string, path?: readonly (string | number)[]): boolean {
  // Plain substring tests first: this runs on every string of every record.
  if (s.includes('***') || s.includes('XXXX') || s.includes('xxxx')) return true;
  if (s.length <= 12 && WORD.test(s)) return true;
  if (path && shortMaskAt(s, path)) return true;
  if (s.startsWith('arn:') && s.includes(':connect:') && ARN_SEGMENT_MASK.test(s)) return true;
  return (s.includes('<') || s.includes('[') || s.includes('(') || s.includes('{')) && BRACKETED.test(s);
}

/**
 * Whether a record's own text may hold a mask: when not, no string in it is masked (a string
 * without a backslash is its text verbatim), and the record need not be walked.
 */
export function mayHoldMasks(text: string): boolean {
  return text.includes('\\') || MASK_HINT.test(text) || (SHORT_MASK_HINT.test(text) && SHORT_MASK_TEXT.test(text));
}

const MASK_HINT = /\*\*\*|XXXX|xxxx|redacted|masked|removed|hidden|omitted/i;
// A string value of x's and separators only, or an ARN segment of x's. The cheap one-character
// test first: one regex with all of it runs four times slower on a dump without masks.
const SHORT_MASK_HINT = /["/:][xX]/;
const SHORT_MASK_TEXT = /"x[-x_:./ ]*"|[:/]xx+[:/"]/i;

/**
 * Whether a value is masked. `path` (where the value sits in its record) lets short masks
 * (`xx`) count where the field cannot hold them; without it only the unmistakable masks do.
 */
export function isMasked(value: unknown, path?: readonly (string | number)[]): boolean {
  return typeof value === 'string' && maskedString(value, path);
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
    if (!maskedString(s, path)) return;
    count++;
    if (first) return;
    first = [...path];
    sample = s;
  });
  return first ? { count, first, sample } : { count };
}
