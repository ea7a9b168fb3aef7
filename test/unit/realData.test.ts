// Real Amazon Connect data, and data shaped exactly like it (test/fixtures/real/SOURCES.md
// says which is which and where each came from): every file gets exactly the findings a
// Connect engineer would call right, at the right line, and nothing else. A new false alarm
// on real data fails here; so does a real fault we stop catching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, workspaceDumps, type DocumentAnalysis } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/lineIndex';
import { runWorkspaceRules } from '../../server/src/core/rules';
import type { Finding } from '../../server/src/core/types';

const dir = join(__dirname, '..', 'fixtures', 'real');
const FILES = readdirSync(dir)
  .filter((f) => f !== 'SOURCES.md')
  .sort();

/** `code@line` (1-based) of every finding, as the CLI reports them: per document, then across the documents given. */
function findingsOf(files: readonly string[]): Map<string, string[]> {
  const analyses = new Map<string, { analysis: DocumentAnalysis; text: string }>();
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    analyses.set(`file:///real/${f}`, { analysis: analyzeText(`file:///real/${f}`, text), text });
  }
  const cross = runWorkspaceRules([...analyses.values()].flatMap(({ analysis }) => workspaceDumps(analysis)));
  const out = new Map<string, string[]>();
  for (const [uri, { analysis, text }] of analyses) {
    const decoded = analysis.decoded;
    const all: Finding[] = [
      ...analysis.findings,
      ...(cross.get(uri) ?? []),
      ...(decoded ? (cross.get(decoded.dump.uri) ?? []).map((x) => decoded.toOriginal(x)) : []),
    ];
    const lines = new LineIndex(text);
    out.set(uri.slice('file:///real/'.length), all.map((x) => `${x.code}@${lines.positionAt(x.start).line + 1}`).sort());
  }
  return out;
}

/**
 * Every file's findings, alone, as `code@line`; each with why a Connect engineer calls it right.
 * A file with no entry here fails the test: a new fixture must be triaged before it lands.
 */
const EXPECTED: Record<string, string[]> = {
  // 16 masked values (`**********`, `example.*****`): one notice, and no ARN or schema finding caused by a mask.
  'agent-event.masked-2018.json': ['redacted@2'],
  // A missed inbound call in 2019 data: the contact is in ERROR in the previous snapshot and gone from the current one; the agent queue ARN `queue/agent/<id>` with Name null is how Connect writes it.
  'agent-event.missed-contact-error-2019.json': [],
  // The admin guide's bare detail: instanceArn, agentArn and queueArn all read `arn:aws::connect:...` (a colon too many).
  'contact-event.admin-guide.connected-to-agent-detail.json': ['arn-format@14', 'arn-format@5', 'arn-format@9'],
  // The admin guide's DISCONNECTED sample: `arn:aws::connect` instanceArn (line 20); it reports enqueue (17:29:04) and connected-to-agent (17:29:09) after its own disconnect (17:18:37) (line 24); its initial/previous contact is not in the file (information).
  'contact-event.admin-guide.disconnected.json': ['arn-format@20', 'event-order@24', 'link-missing@17', 'link-missing@18'],
  // As printed: a trailing comma after greetingEndTimestamp, so the `}` on line 37 is where JSON breaks.
  'contact-event.admin-guide.disconnected.verbatim.json': ['json-syntax@37'],
  // The admin guide's routing-step-expired sample: only its instanceArn is damaged (`arn:aws::connect`); the placeholders ("the event ID", "your-region") are left alone.
  'contact-event.admin-guide.routing-step-expired.json': ['arn-format@18'],
  // Real shapes, invented values: all durations add up (15:00:49 + 33 s = ACW start = disconnect; queue 7 s).
  'ctr.inbound-short-call.json': [],
  // A MongoDB export: `_id: {$oid}` and `createdAt` added, no DisconnectReason (2020): none of it is a fault.
  'ctr.mongodb-export-2020.json': [],
  // Six deliveries of one contact: each twice, identical, three LastUpdateTimestamps as attributes arrived: at-least-once delivery, not a duplicate-id.
  // Its CustomerEndpoint.Address "+120655501010" (the author's hand masking) has 11 digits after +1, where a NANP number has 10: phone-format in each delivery.
  'ctr.redelivered-twice-each.json': ['phone-format@2', 'phone-format@3', 'phone-format@4', 'phone-format@5', 'phone-format@6', 'phone-format@7'],
  // The same six deliveries as Firehose writes them to S3: back to back, no separator, no final newline (so all on line 1).
  'ctr.redelivered.firehose': Array<string>(6).fill('phone-format@1'),
  // Masked by hand with short `xx`: ContactId "xx-xx" and ContactFlowId "xx" cannot be real there (a UUID, a flow ARN), so one notice on line 2; the Identifier "xx" may be a block label and is left alone.
  'flow-log.masked-set-attributes.json': ['redacted@2'],
  // The README trimmed both entries: no Timestamp, which every flow log entry carries.
  'flow-log.wisdom-session-trimmed.jsonl': ['schema@1', 'schema@2'],
  // The event a flow sends a Lambda function (the Lambda guide's sample): real Connect data but no exported record; named for what it is, as information.
  'lambda-invocation-event.lambda-guide.json': ['unknown-record@2'],
  // The short call inside a Lambda Kinesis event: nothing to report inside or outside the envelope.
  'kinesis-lambda.ctr-inbound-short-call.json': [],
};

test('every file of test/fixtures/real has its expected findings, no more and no fewer, at the right lines', () => {
  assert.deepEqual(FILES, Object.keys(EXPECTED).sort(), 'each fixture in test/fixtures/real is listed in EXPECTED (and SOURCES.md)');
  for (const f of FILES) assert.deepEqual(findingsOf([f]).get(f), [...EXPECTED[f]].sort(), f);
});

test('read all together, the real files add only the finding two AWS samples sharing a placeholder contact ID cause', () => {
  const together = findingsOf(FILES);
  for (const f of FILES) {
    // The admin guide prints contact 11111111-1111-1111-1111-111111111111 in both samples: the
    // CONNECTED_TO_AGENT detail (17:29:09) then comes after that contact's DISCONNECTED (17:18:37).
    const extra = f === 'contact-event.admin-guide.disconnected.json' ? ['event-order@24'] : [];
    assert.deepEqual(together.get(f), [...EXPECTED[f], ...extra].sort(), f);
  }
});

test('every fixture of test/fixtures/real is described in its SOURCES.md', () => {
  const sources = readFileSync(join(dir, 'SOURCES.md'), 'utf8');
  for (const f of FILES) assert.ok(sources.includes(`\`${f}\``), `${f} is in SOURCES.md`);
});

test('a contact event ARN that is masked, or fixed, gets no arn-format (modified copies of a real sample)', () => {
  const text = readFileSync(join(dir, 'contact-event.admin-guide.routing-step-expired.json'), 'utf8');
  const damaged = 'arn:aws::connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012';
  assert.ok(text.includes(damaged));
  const codes = (t: string) => analyzeText('file:///real/modified.json', t).findings.map((x) => x.code);
  // Changed here: the damaged instanceArn masked the way people mask dumps...
  assert.deepEqual(codes(text.replace(damaged, 'arn:aws:connect:us-west-2:**********:instance/**********')), ['redacted']);
  // ... or written as Connect writes it.
  assert.deepEqual(codes(text.replace(damaged, damaged.replace('aws::connect', 'aws:connect'))), []);
});

test("the same doubled colon in a contact record's InstanceARN is an arn-format finding on it (a modified copy of a real-shaped record)", () => {
  const text = readFileSync(join(dir, 'ctr.inbound-short-call.json'), 'utf8');
  // Changed here: "arn:aws:connect:" -> "arn:aws::connect:" in InstanceARN only.
  const damaged = text.replace('"InstanceARN": "arn:aws:connect:', '"InstanceARN": "arn:aws::connect:');
  assert.notEqual(damaged, text);
  const found = analyzeText('file:///real/modified.json', damaged).findings;
  const lines = new LineIndex(damaged);
  assert.deepEqual(
    found.map((x) => `${x.code}@${lines.positionAt(x.start).line + 1}`),
    [`arn-format@${damaged.split('\n').findIndex((l) => l.includes('"InstanceARN"')) + 1}`],
  );
});

test('the Lambda invocation event of a flow is named for what it is: information, with its contact ID, not a generic unknown record', () => {
  const text = readFileSync(join(dir, 'lambda-invocation-event.lambda-guide.json'), 'utf8');
  const [f, ...rest] = analyzeText('file:///real/lambda.json', text).findings;
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'unknown-record');
  assert.equal(f.severity, 'information');
  assert.match(
    f.message,
    /^This is the event Amazon Connect sends a Lambda function invoked from a flow \(Name "ContactFlowEvent", Details\.ContactData of contact "4a573372-1f28-4e26-b97b-XXXXXXXXXXX", Details\.Parameters\)/,
  );
  assert.match(f.message, /it is not checked, and its contact is not linked/);
  // Changed here: without Details.ContactData it is no Lambda event, and the generic warning stands.
  const other = analyzeText('file:///real/other.json', text.replace('"ContactData"', '"SomethingElse"')).findings;
  assert.deepEqual(
    other.map((x) => [x.code, x.severity]),
    [['unknown-record', 'warning']],
  );
  assert.match(other[0].message, /^This record is neither an agent event/);
});
