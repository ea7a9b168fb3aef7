// The checks that need one record and nothing else, through the document analysis
// (analyzeText): timestamp-order inside a contact record, duration-mismatch, redacted,
// arn-format, phone-format. Fixtures: test/fixtures/precision (shaped like real published
// records, values invented) and the rules fixtures (shaped like the AWS data models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import type { Finding } from '../../server/src/core/types';
import { agentFourRecords, ctrTime, jsonl, transferChainRecords } from '../fixtures/rules/connect';

type Rec = Record<string, any>;
const precision = (name: string): Rec => JSON.parse(readFileSync(join(__dirname, '../fixtures/precision', name), 'utf8'));
const aws = (name: string): Rec => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));

interface Seen {
  code: string;
  severity: string;
  text: string;
  related: string[];
  message: string;
}

function check(records: readonly unknown[] | string): Seen[] {
  const text = typeof records === 'string' ? records : jsonl(records);
  return analyzeText('file:///t.jsonl', text).findings.map((f: Finding) => ({
    code: f.code,
    severity: f.severity,
    message: f.message,
    text: text.slice(f.start, f.end),
    related: (f.related ?? []).map((r) => text.slice(r.start, r.end)),
  }));
}
const codes = (records: readonly unknown[] | string) => check(records).map((s) => s.code);
const q = (v: unknown) => JSON.stringify(v);

// ---------------------------------------------------------------- timestamp-order

test('no finding on real-shaped records: an external transfer (ACW ends before the customer disconnects) and a transfer whose ACW starts after the disconnect', () => {
  // Before: "DisconnectTimestamp <= AfterContactWorkEndTimestamp" flagged the external transfer.
  assert.deepEqual(check([precision('external-transfer.json')]), []);
  assert.deepEqual(check([precision('transfer-acw-after-disconnect.json')]), []);
});

test('no finding on the AWS-model fixtures: the transfer chain, a callback, a chat and a paused task', () => {
  // The builder writes MediaStreams [{Type: "TASK"}] for the task, a type the data model does
  // not list: that is a warning, the only finding.
  assert.deepEqual(
    check([...transferChainRecords(), ...agentFourRecords()]).map((s) => [s.code, s.text]),
    [['unknown-value', q('TASK')]],
  );
});

test('timestamp-order: DisconnectTimestamp before InitiationTimestamp, on the disconnect, against the latest earlier time', () => {
  const [leg1] = transferChainRecords() as Rec[];
  leg1.DisconnectTimestamp = ctrTime('08:59:00');
  const [f, ...rest] = check([leg1]);
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'timestamp-order');
  assert.equal(f.severity, 'warning');
  assert.equal(f.text, q(ctrTime('08:59:00')));
  // Initiation 09:00:00 and Dequeue 09:01:02 both come first: the latest is named.
  assert.deepEqual(f.related, [q(leg1.Queue.DequeueTimestamp)]);
  assert.match(f.message, /DisconnectTimestamp 2025-03-10T08:59:00Z is before Queue\.DequeueTimestamp 2025-03-10T09:01:02Z in contact record e1000000-/);
});

test('timestamp-order: enqueued before initiated, dequeued before enqueued, ACW ending before it started, ACW before the agent connected', () => {
  const [, leg2] = transferChainRecords() as Rec[];
  leg2.Queue.EnqueueTimestamp = ctrTime('09:04:00'); // initiation 09:04:10
  leg2.Queue.DequeueTimestamp = ctrTime('09:03:50');
  leg2.Agent.AfterContactWorkEndTimestamp = ctrTime('09:08:00'); // ACW start 09:08:02
  const found = check([leg2])
    .filter((s) => s.code === 'timestamp-order')
    .map((s) => [s.text, s.related[0]]);
  assert.deepEqual(
    found.sort(),
    [
      [q(ctrTime('09:03:50')), q(ctrTime('09:04:00'))],
      [q(ctrTime('09:04:00')), q(ctrTime('09:04:10'))],
      [q(ctrTime('09:08:00')), q(ctrTime('09:08:02'))],
    ].sort(),
  );
  const [, leg2b] = transferChainRecords() as Rec[];
  leg2b.Agent.ConnectedToAgentTimestamp = ctrTime('09:09:00');
  assert.ok(check([leg2b]).some((s) => s.code === 'timestamp-order' && s.text === q(leg2b.Agent.AfterContactWorkStartTimestamp)));
});

test('timestamp-order: times compared parsed, null and missing skipped, differences up to 1 s tolerated', () => {
  const [leg1] = transferChainRecords() as Rec[];
  leg1.Queue.EnqueueTimestamp = '2025-03-10T09:00:20Z';
  leg1.Queue.DequeueTimestamp = '2025-03-10T09:00:20.5Z'; // "20.5Z" < "20Z" as strings
  leg1.Queue.Duration = 0;
  leg1.Agent.AfterContactWorkStartTimestamp = null;
  assert.deepEqual(codes([leg1]), []);
  const [leg1b] = transferChainRecords() as Rec[];
  leg1b.DisconnectTimestamp = '2025-03-10T09:01:01.500Z'; // 0.5 s before the dequeue at 09:01:02
  assert.ok(!codes([leg1b]).includes('timestamp-order'));
});

test('an edit re-checks only what changed, and the findings of a record that moved point at its values', () => {
  const [leg1] = transferChainRecords() as Rec[];
  leg1.DisconnectTimestamp = ctrTime('08:59:00');
  const clean = transferChainRecords()[2];
  const first = analyzeText('file:///e.jsonl', jsonl([leg1]));
  const text2 = jsonl([clean, leg1]); // a record inserted before: leg1 is taken over, shifted
  const second = analyzeText('file:///e.jsonl', text2, first);
  const [f] = second.findings;
  assert.equal(text2.slice(f.start, f.end), q(ctrTime('08:59:00')));
  assert.equal(text2.slice(f.related![0].start, f.related![0].end), q(leg1.Queue.DequeueTimestamp));
});

// ---------------------------------------------------------------- duration-mismatch

test('duration-mismatch: connected + interaction + hold != ACW start, with the arithmetic', () => {
  const r = precision('external-transfer.json');
  r.Agent.AgentInteractionDuration = 200; // 39 s short
  const [f, ...rest] = check([r]);
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'duration-mismatch');
  assert.equal(f.severity, 'warning');
  assert.equal(f.text, '200');
  assert.equal(
    f.message,
    'Agent.ConnectedToAgentTimestamp 2025-03-10T17:20:32Z + Agent.AgentInteractionDuration 200 s + Agent.CustomerHoldDuration 221 s = 2025-03-10T17:27:33Z, but Agent.AfterContactWorkStartTimestamp is 2025-03-10T17:28:12Z (39 s later).',
  );
  assert.deepEqual(f.related, [q('2025-03-10T17:20:32Z'), q('2025-03-10T17:28:12Z')]);
});

test('duration-mismatch: a duration past any date is a finding, not a crash (found by the fuzzer)', () => {
  for (const hold of [1e300, 1e308, 8.64e12]) {
    const r = precision('external-transfer.json');
    r.Agent.CustomerHoldDuration = hold;
    const found = check([r]).filter((f) => f.code === 'duration-mismatch');
    assert.equal(found.length, 1, String(hold));
    assert.match(
      found[0].message,
      /= a time past any date, but Agent\.AfterContactWorkStartTimestamp is 2025-03-10T17:28:12Z \((unboundedly|[\d.e+]+ s) earlier\)\.$/,
    );
  }
});

test('duration-mismatch: ACW and queue durations against their timestamps', () => {
  const r = precision('transfer-acw-after-disconnect.json');
  r.Agent.AfterContactWorkDuration = 60;
  r.Queue.Duration = 700;
  const found = check([r]);
  assert.deepEqual(
    found.map((s) => [s.code, s.text]),
    [
      ['duration-mismatch', '60'],
      ['duration-mismatch', '700'],
    ],
  );
  assert.match(
    found[0].message,
    /Agent\.AfterContactWorkDuration is 60 s, but Agent\.AfterContactWorkEndTimestamp 2025-03-10T19:11:57Z - Agent\.AfterContactWorkStartTimestamp 2025-03-10T19:10:01Z = 116 s/,
  );
  assert.match(found[1].message, /Queue\.Duration is 700 s, but .* = 753 s/);
});

test('duration-mismatch: the longest hold longer than all holds; hold time with no hold', () => {
  const r = precision('external-transfer.json');
  r.Agent.LongestHoldDuration = 300;
  assert.deepEqual(
    check([r]).map((s) => [s.code, s.text, s.related[0]]),
    [['duration-mismatch', '300', '221']],
  );
  const none = precision('transfer-acw-after-disconnect.json');
  none.Agent.NumberOfHolds = 0;
  const [f] = check([none]);
  assert.deepEqual([f.code, f.text, f.related[0]], ['duration-mismatch', '1021', '0']);
  assert.match(f.message, /hold time without a hold/);
});

test('no duration-mismatch: 1 s of rounding, a sub-second hold (1 hold, 0 s), a paused task, missing values', () => {
  const r = precision('external-transfer.json');
  r.Agent.AgentInteractionDuration = 240; // 1 s over: whole seconds round
  r.Queue.Duration = 345;
  assert.deepEqual(check([r]), []);
  const brief = precision('transfer-acw-after-disconnect.json');
  brief.Agent.NumberOfHolds = 2; // one more hold, shorter than a second
  assert.deepEqual(check([brief]), []);
  const zero = precision('external-transfer.json');
  Object.assign(zero.Agent, { NumberOfHolds: 1, CustomerHoldDuration: 0, LongestHoldDuration: 0, AgentInteractionDuration: 460 });
  assert.deepEqual(check([zero]), []);
  // The task in agentFourRecords was paused 420 s; AgentInteractionDuration leaves a pause out.
  const task = (agentFourRecords() as Rec[]).find((x) => x.Channel === 'TASK')!;
  task.Agent.AgentInteractionDuration -= 420;
  task.MediaStreams = [];
  assert.deepEqual(check([task]), []);
  const gone = precision('external-transfer.json');
  delete gone.Agent.CustomerHoldDuration;
  gone.Queue.Duration = null;
  assert.deepEqual(check([gone]), []);
});

// ---------------------------------------------------------------- redacted

test('a masked dump: one redacted (information) on the first masked value, and no schema, arn-format or phone-format finding', () => {
  const found = check([precision('masked.json')]);
  // Before: AWSAccountId "**********" broke the schema's 12-digit pattern (an error).
  assert.deepEqual(
    found.map((s) => [s.code, s.severity, s.text]),
    [['redacted', 'information', q('**********')]],
  );
  assert.match(found[0].message, /12 values are masked, starting with "\*\*\*\*\*\*\*\*\*\*"/);
  // Two masked records: still one finding for the document, counting both.
  const two = precision('masked.json');
  two.ContactId = 'e7000000-0000-4000-8000-000000000005';
  const both = check([precision('masked.json'), two]);
  assert.deepEqual(
    both.map((s) => s.code),
    ['redacted'],
  );
  assert.match(both[0].message, /24 values are masked/);
});

test('a mask hides only what it masks: a real fault next to it is still reported', () => {
  const r = precision('masked.json');
  r.Queue.Duration = 10;
  r.Channel = 42;
  assert.deepEqual(codes([r]).sort(), ['duration-mismatch', 'redacted', 'schema']);
});

// ---------------------------------------------------------------- unknown-value

test('unknown-value: new values in open enums are warnings naming the schema date; masked enum values say nothing', () => {
  const r = precision('external-transfer.json');
  r.InitiationMethod = 'SOME_NEW_METHOD'; // invented
  r.DisconnectReason = 'SOME_NEW_REASON'; // invented
  r.CustomerEndpoint.Type = 'SOME_NEW_TYPE'; // invented
  r.MediaStreams[0].Type = 'SOME_NEW_MEDIA'; // invented
  const found = check([r]);
  assert.deepEqual(
    found.map((s) => [s.code, s.severity, s.text]),
    [
      ['unknown-value', 'warning', q('SOME_NEW_TYPE')],
      ['unknown-value', 'warning', q('SOME_NEW_REASON')],
      ['unknown-value', 'warning', q('SOME_NEW_METHOD')],
      ['unknown-value', 'warning', q('SOME_NEW_MEDIA')],
    ],
  );
  for (const s of found) assert.match(s.message, /documented as of 2026-11-24/);
  const masked = precision('external-transfer.json');
  masked.DisconnectReason = '**********';
  assert.deepEqual(codes([masked]), ['redacted']);
});

// ---------------------------------------------------------------- arn-format

test('arn-format: an escaped "/" (instance\\2f) and a doubled "::" where the account goes', () => {
  const r = precision('external-transfer.json');
  r.InstanceARN = r.InstanceARN.replace('instance/', 'instance\\2f');
  r.Queue.ARN = r.Queue.ARN.replace(':111122223333:', '::');
  const found = check([r]);
  assert.deepEqual(
    found.map((s) => [s.code, s.severity, s.text]),
    [
      ['arn-format', 'warning', q(r.InstanceARN)],
      ['arn-format', 'warning', q(r.Queue.ARN)],
    ],
  );
  assert.match(found[0].message, /InstanceARN .* is not a well-formed ARN: the resource holds a backslash/);
  assert.match(found[1].message, /Queue\.ARN .* is not a well-formed ARN: the account ID is empty \(a doubled "::"/);
});

test("arn-format: an ARN of another instance, Region or account than the record's InstanceARN and AWSAccountId", () => {
  const r = precision('external-transfer.json');
  r.Agent.ARN = r.Agent.ARN.replace('0000aaaa-1111-4222-8333-444455556666', '9999aaaa-1111-4222-8333-444455556666');
  r.Queue.ARN = r.Queue.ARN.replace('us-east-1', 'us-west-2');
  r.AWSAccountId = '444455556666';
  const found = check([r]).filter((s) => s.code === 'arn-format');
  const by = new Map(found.map((s) => [s.text, s]));
  assert.match(
    by.get(q(r.Agent.ARN))!.message,
    /instance 9999aaaa-1111-4222-8333-444455556666 where it is 0000aaaa-1111-4222-8333-444455556666 in the record's InstanceARN/,
  );
  assert.deepEqual(by.get(q(r.Queue.ARN))!.related, [q(r.InstanceARN), q('444455556666')]);
  assert.match(by.get(q(r.InstanceARN))!.message, /its account 111122223333 is not the record's AWSAccountId 444455556666/);
  assert.equal(found.length, 5, found.map((s) => s.text).join('\n')); // every Connect ARN of the record names account 111122223333
});

test('no arn-format: placeholders of the AWS samples, ARNs of other services, ARNs in attributes, agent events', () => {
  assert.deepEqual(codes([aws('contact-record.voice-inbound.json'), aws('sample-agent-event.json')]), []);
  const r = precision('external-transfer.json');
  r.Attributes = { flow: 'arn:aws:connect:eu-west-2:999999999999:instance/x/contact-flow/y', lambda: 'arn:aws:lambda:us-east-1:999999999999:function:f' };
  r.Campaign = { CampaignId: null, CampaignArn: 'arn:aws:connect-campaigns:us-east-1:111122223333:campaign/abc' };
  r.Recording.Location = 'arn:aws:s3:::amzn-s3-demo-bucket/x.wav';
  assert.deepEqual(codes([r]), []);
  const ev = aws('determine-acw-time.1.json');
  ev.AgentARN = ev.AgentARN.replace(':012345678901:', '::');
  assert.deepEqual(
    codes([ev]).filter((c) => c !== 'redacted'),
    ['arn-format'],
  );
});

// ---------------------------------------------------------------- phone-format

test('phone-format: a space where the "+" was, a number without "+", dashes', () => {
  const r = precision('external-transfer.json');
  r.CustomerEndpoint.Address = ' 12065550123';
  r.SystemEndpoint.Address = '12065550100';
  r.TransferredToEndpoint.Address = '+1-206-555-0199';
  const found = check([r]);
  assert.deepEqual(
    found.map((s) => [s.code, s.severity, s.text]),
    [
      ['phone-format', 'warning', q(' 12065550123')],
      ['phone-format', 'warning', q('12065550100')],
      ['phone-format', 'warning', q('+1-206-555-0199')],
    ],
  );
  assert.match(found[0].message, /CustomerEndpoint\.Address " 12065550123" is not an E\.164 phone number .* A space where the "\+" was/);
});

test('no phone-format: E.164, "Softphone" (documented for callbacks), masks, other endpoint types, 16 digits is too many', () => {
  const r = precision('external-transfer.json');
  r.SystemEndpoint.Address = 'Softphone';
  r.CustomerEndpoint.Address = '+1206555****';
  r.TransferredToEndpoint = { Address: 'someone@example.com', Type: 'EMAIL_ADDRESS' };
  assert.deepEqual(codes([r]), ['redacted']);
  const long = precision('external-transfer.json');
  long.CustomerEndpoint.Address = '+1234567890123456';
  assert.deepEqual(codes([long]), ['phone-format']);
});

test('phone-format: a +1 number takes exactly 10 digits after the country code (NANP), other codes only the E.164 limit', () => {
  // The real re-delivered record carries "+120655501010" (hand-masked by its author: 11 digits after +1).
  const r = precision('external-transfer.json');
  r.CustomerEndpoint.Address = '+120655501010';
  r.SystemEndpoint.Address = '+1206555010'; // 9 digits
  r.TransferredToEndpoint.Address = '+12065550199'; // 10: fine
  const found = check([r]);
  assert.deepEqual(
    found.map((s) => [s.code, s.severity, s.text]),
    [
      ['phone-format', 'warning', q('+120655501010')],
      ['phone-format', 'warning', q('+1206555010')],
    ],
  );
  assert.equal(
    found[0].message,
    'CustomerEndpoint.Address "+120655501010" has 11 digits after +1; numbers of the North American Numbering Plan (+1) have exactly 10 (3-digit area code, 3-digit office code, 4-digit line number).',
  );
  // Other country codes: no length is cited, so any E.164 length passes; masked +1 numbers stay masks.
  const other = precision('external-transfer.json');
  other.CustomerEndpoint.Address = '+442071838750'; // invented, +44 with 10 digits
  other.SystemEndpoint.Address = '+4930123'; // invented, short
  other.TransferredToEndpoint.Address = '+1555XXXXXXX';
  assert.deepEqual(codes([other]), ['redacted']);
  // Escaped text takes the walk instead of the text fast path, with the same verdict.
  const escaped = JSON.stringify(r).replace('"+120655501010"', '"\\u002b120655501010"');
  assert.deepEqual(
    check(escaped + '\n').map((s) => s.code),
    ['phone-format', 'phone-format'],
  );
});

// ---------------------------------------------------------------- the text fast paths
// arn.ts and phone.ts first read the record's text (one regex scan) and walk it only when the
// text may hold a finding: these edges must still be found, escaped or not.

test('arn-format through the text fast path: "//" under the instance, a longer instance ID, regex characters in the InstanceARN, escaped text', () => {
  const r = precision('external-transfer.json');
  const own = r.InstanceARN as string;
  r.Queue.ARN = `${own}//queue/q1`; // invented
  r.Agent.ARN = `${own}0/agent/a1`; // invented: another instance whose ID starts like ours
  assert.deepEqual(
    check([r]).map((s) => [s.code, s.text]),
    [
      ['arn-format', q(r.Agent.ARN)],
      ['arn-format', q(r.Queue.ARN)],
    ],
  );
  // A "." in the instance ID must not match any character (invented IDs).
  const ownId = own.slice(own.lastIndexOf('/') + 1);
  const dotted: Rec = JSON.parse(JSON.stringify(precision('external-transfer.json')).split(ownId).join('abc.def'));
  dotted.Queue.ARN = dotted.Queue.ARN.replace('abc.def', 'abcXdef');
  assert.deepEqual(
    check([dotted]).map((s) => [s.code, s.text]),
    [['arn-format', q(dotted.Queue.ARN)]],
  );
  // The same record written with every "/" escaped as \u002f: the same findings, on the same values.
  const text = jsonl([r]).replace(/\//g, '\\u002f');
  assert.deepEqual(
    check(text).map((s) => s.code),
    ['arn-format', 'arn-format'],
  );
  // Clean, escaped or not: nothing.
  assert.deepEqual(check(jsonl([precision('external-transfer.json')]).replace(/\//g, '\\u002f')), []);
});

test('phone-format through the text fast path: spaces around the colon, escaped characters, addresses that are not strings', () => {
  const r = precision('external-transfer.json');
  r.CustomerEndpoint.Address = '12065550123';
  const spaced = jsonl([r]).replace('"Address":"12065550123"', '"Address" :  "12065550123"');
  assert.deepEqual(
    check(spaced).map((s) => [s.code, s.text]),
    [['phone-format', q('12065550123')]],
  );
  // "+" escaped is still E.164; a space escaped is still the damage.
  const good = precision('external-transfer.json');
  good.CustomerEndpoint.Address = '+12065550123';
  assert.deepEqual(check(jsonl([good]).replace('"+12065550123"', '"\\u002B12065550123"')), []);
  assert.deepEqual(
    check(jsonl([good]).replace('"+12065550123"', '"\\u002012065550123"')).map((s) => s.code),
    ['phone-format'],
  );
  const none = precision('external-transfer.json');
  none.CustomerEndpoint.Address = null;
  assert.deepEqual(
    codes([none]).filter((c) => c === 'phone-format'),
    [],
  );
});
