// `connect-inspect explain` as users run it: `node dist/cli.js explain ...` (built by the test script).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const L2 = '94900a4f-4639-4ad4-89bc-12f495f8effd';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('explain --format json prints exactly one object, the explanation of the contact', () => {
  const r = run(['explain', L2, '--format', 'json', 'samples/transfer-chain.jsonl', 'samples/transfer-chain-agent-events.jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['contactId', 'channel', 'initiationMethod', 'chain', 'phases', 'offers', 'disconnect', 'totals', 'gaps']);
  assert.equal(out.contactId, L2);
  assert.deepEqual(
    out.chain.map((l: { label: string }) => l.label),
    ['initial', 'transfer', 'transfer'],
  );
  assert.equal(out.totals.holdSeconds, 135.597);
  assert.equal(r.stderr, '');
});

test('explain prints a narrative by default, and reads directories like check', () => {
  const r = run(['explain', L2, 'samples']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Contact ${L2} \\(VOICE, TRANSFER\\): leg 2 of a chain of 3\\.$`, 'm'));
  assert.match(r.stdout, /^- Leg 2, 94900a4f-4639-4ad4-89bc-12f495f8effd, transfer .*2 min 16 s on hold \(2 times\), ACW 43 s\.$/m);
  assert.match(r.stdout, /^The contact ended at 2026-11-24T09:21:05Z in leg 3: DisconnectReason CUSTOMER_DISCONNECT, so the customer ended it\.$/m);
  // samples/ holds the chain's flow logs: the IVR time comes from them, and nothing is left untold.
  assert.match(r.stdout, /, queue Billing: 0\.6 s in IVR, /);
  assert.doesNotMatch(r.stdout, /^Not in the dumps:$/m);
});

test('explain exits 1 for an ID in none of the dumps and names the closest IDs on stderr', () => {
  const r = run(['explain', '94900a4f-4639-4ad4-89bc-12f495f8effe', 'samples/transfer-chain.jsonl']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /contact 94900a4f-4639-4ad4-89bc-12f495f8effe is in none of the dumps \(1 file\(s\) read\)/);
  const listed = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim());
  assert.equal(listed[0], L2);
  assert.equal(listed.length, 3);
});

test('explain exits 2 on usage errors', () => {
  for (const args of [
    ['explain'],
    ['explain', L2],
    ['explain', L2, '--format', 'sarif', 'samples'],
    ['explain', L2, '--fail-on', 'error', 'samples'],
    ['explain', L2, 'no/such/file.jsonl'],
    ['explain', '--format'],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^connect-inspect: /);
    assert.equal(r.stdout, '');
  }
});

test('explain of a dump with broken lines still explains what it can read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-explain-'));
  const file = join(dir, 'broken.jsonl');
  writeFileSync(
    file,
    '{"ContactId": "x", "Channel": \n' +
      '{"AWSContactTraceRecordFormatVersion":"2017-03-10","ContactId":"only-one","Channel":"CHAT","InitiationMethod":"API","InitiationTimestamp":"2026-11-25T10:00:00Z","DisconnectTimestamp":"2026-11-25T10:01:00Z","Agent":null,"Queue":null}\n',
  );
  const r = run(['explain', 'only-one', '--format=json', file]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // No queue, no agent: the whole minute was in the flow.
  assert.deepEqual(out.phases, [
    { contactId: 'only-one', kind: 'ivr', start: '2026-11-25T10:00:00Z', end: '2026-11-25T10:01:00Z', seconds: 60, source: 'contactRecord' },
  ]);
  assert.deepEqual(out.disconnect, { contactId: 'only-one', reason: null, timestamp: '2026-11-25T10:01:00Z', by: 'unknown' });
  assert.ok(out.gaps.includes('Contact only-one has no DisconnectReason: who ended it is not known.'));
});

test('the README examples are the CLI output on the samples', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const text = run(['explain', L2, 'samples/transfer-chain.jsonl', 'samples/transfer-chain-agent-events.jsonl']);
  assert.ok(readme.includes(`samples/transfer-chain-agent-events.jsonl\n${text.stdout}\`\`\``), 'the text example is current');
  const json = run(['explain', 'cd43450f-5e1e-4da6-90d2-3e954215895f', '--format', 'json', 'samples/queued-callback.jsonl']);
  assert.ok(readme.includes(`\`\`\`json\n${json.stdout}\`\`\``), 'the JSON example is current');
});

test('the explain fixtures are clean dumps: check finds nothing in them', () => {
  const r = run(['check', '--fail-on', 'warning', 'test/fixtures/explain']);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^7 file\(s\), 32 record\(s\), 0 finding\(s\)$/m);
});

test('explain reads envelopes like check: a gzip file and a Kinesis get-records page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-explain-env-'));
  const text = readFileSync(join(ROOT, 'test/fixtures/explain/missed-then-accepted.jsonl'), 'utf8');
  writeFileSync(join(dir, 'dump.jsonl.gz'), gzipSync(text));
  const page = {
    Records: text
      .trim()
      .split('\n')
      .map((l, i) => ({ SequenceNumber: String(i), Data: Buffer.from(l).toString('base64'), PartitionKey: 'k' })),
  };
  writeFileSync(join(dir, 'page.json'), JSON.stringify(page));
  for (const file of ['dump.jsonl.gz', 'page.json']) {
    const r = run(['explain', '53b8ee6b-8696-441d-9d7e-13a02cdabd67', '--format', 'json', join(dir, file)]);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.offers.map((o: { agent: string; outcome: string }) => [o.agent, o.outcome]),
      [
        ['asilva', 'missed'],
        ['hsato', 'accepted'],
      ],
      file,
    );
    assert.equal(out.totals.handleSeconds, 276.734, file);
  }
});
