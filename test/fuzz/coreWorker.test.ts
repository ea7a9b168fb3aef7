// The fuzzer's core oracle counts what the CLI and the server report. Seed 1126 input 2507
// (a Lambda Kinesis event followed by bare contact records in one stream) showed two
// link-missing findings more in the core than in the CLI: the oracle ran the cross-record
// rules over the file's own records only, not over the records decoded out of its envelope,
// so a bare record's InitialContactId / PreviousContactId naming a contact record inside the
// envelope looked unresolved. The contact record is in the file: the CLI is right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus';
import { runJob } from './coreWorker';
import { CLI } from './fuzz';

// samples/envelopes/lambda-kinesis-event.json holds the three legs of samples/transfer-chain.jsonl
// (1b6feeaa… -> 94900a4f… -> 665db55d…) as base64 in Records[].kinesis.data.
const envelope = readFileSync(join(ROOT, 'samples/envelopes/lambda-kinesis-event.json'), 'utf8');
const [, , lastLeg] = readFileSync(join(ROOT, 'samples/transfer-chain.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
// A fourth leg, bare, after the envelope (invented ID; times after the third leg's). It names
// the third leg as its previous one, which names no next: a link-reciprocal finding, on both
// sides of the count.
const fourthLeg = {
  ...lastLeg,
  ContactId: '00000000-0000-4000-8000-0000000c0004',
  InitialContactId: '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b',
  PreviousContactId: '665db55d-690b-4b10-b56a-007346369638',
  InitiationTimestamp: '2026-11-24T09:21:03Z',
  ConnectedToSystemTimestamp: '2026-11-24T09:21:03Z',
  DisconnectTimestamp: '2026-11-24T09:25:00Z',
  LastUpdateTimestamp: '2026-11-24T09:26:00Z',
  Agent: null,
  Queue: null,
  AgentConnectionAttempts: 0,
};
const TEXT = `${envelope.trim()}\n${JSON.stringify(fourthLeg, null, 2)}\n`;

test('a bare record linking into an envelope of the same file: the fuzz core counts what the CLI reports, and no link-missing', { timeout: 60_000 }, () => {
  const result = runJob({ n: 0, seed: 0, uri: 'file:///fuzz/core/mixed.json', text: TEXT, withBaseDump: false, extras: true });
  assert.deepEqual(result.failures, []);
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-core-'));
  try {
    const file = join(dir, 'mixed.json');
    writeFileSync(file, TEXT);
    let out: string;
    try {
      out = execFileSync(process.execPath, [CLI, 'check', '--format', 'json', file], { encoding: 'utf8' });
    } catch (e) {
      out = (e as { stdout: string }).stdout; // exit code 1: findings at the failing level
    }
    const diagnostics: { code: string; message: string }[] = JSON.parse(out).files[0].diagnostics;
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'link-missing').map((d) => d.message),
      [],
      'the fourth leg links to contact records that are in the file (inside the envelope)',
    );
    assert.equal(result.findings + result.crossFindings, diagnostics.length, JSON.stringify(diagnostics.map((d) => d.code)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
