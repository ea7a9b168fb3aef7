// The reading layer: every envelope recognised by its shape and decoded, findings inside
// encoded records on the encoded value, each kind of bad input an `envelope-decode` finding,
// gzip (several members, NUL separators, damage, the size limit), in the analysis core, the
// streamed path and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeText } from '../../server/src/core/analyze';
import { parseDump } from '../../server/src/core/dump';
import { gunzipText } from '../../server/src/core/envelopes';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyzeFileStream, StreamFinding } from '../../server/src/core/stream';
import type { Finding } from '../../server/src/core/types';
import { decodedUriOf, originalUriOf } from '../../server/src/shared/decodedUri';

const CLI = resolve(__dirname, '../../dist/cli.js');
const SAMPLES = resolve(__dirname, '../../samples/envelopes');
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const ctr = fixture('contact-record.voice-inbound.json');
const event = fixture('sample-agent-event.json');
const b64 = (s: string) => Buffer.from(s).toString('base64');
let n = 0;
const contact = (extra: Record<string, unknown> = {}) => ({ ...ctr, ContactId: `00000000-0000-4000-a000-${String(++n).padStart(12, '0')}`, ...extra });
const getRecords = (payloads: string[]) =>
  JSON.stringify(
    {
      Records: payloads.map((p, i) => ({
        SequenceNumber: String(i),
        ApproximateArrivalTimestamp: '2026-11-24T10:00:00.000Z',
        Data: b64(p),
        PartitionKey: 'p',
      })),
      NextShardIterator: 'AAAA',
      MillisBehindLatest: 0,
    },
    null,
    2,
  );
const codes = (fs: Finding[]) => fs.map((f) => f.code);
const at = (text: string, f: Finding) => text.slice(f.start, f.end);

function tmp(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cei-env-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('every envelope sample is recognised by its shape and its records decoded, with no finding', async () => {
  const expected: Record<string, [string, number]> = {
    'kinesis-get-records.json': ['kinesis-get-records', 4],
    'kinesis-records.jsonl': ['kinesis-get-records', 4],
    'lambda-kinesis-event.json': ['lambda-kinesis', 3],
    'firehose-transform-event.json': ['firehose-transform', 13],
    'firehose-transform-response.json': ['firehose-response', 13],
    'firehose-processing-failed.jsonl': ['firehose-error', 2],
    'cloudwatch-filter-log-events.json': ['cloudwatch-logs', 3],
    'cloudwatch-subscription.json': ['cloudwatch-subscription', 3],
    'lambda-cloudwatch-logs-event.json': ['cloudwatch-subscription', 3],
  };
  for (const [file, [kind, records]] of Object.entries(expected)) {
    // Named after nothing: recognised by shape, not by file name.
    const a = analyzeText('file:///x/unnamed', readFileSync(join(SAMPLES, file), 'utf8'));
    assert.equal(a.decoded?.kind, kind, file);
    assert.equal(a.decoded?.dump.records.length, records, file);
    assert.ok(
      a.decoded.dump.records.every((r) => r.kind === 'agentEvent' || r.kind === 'contactRecord'),
      file,
    );
    assert.deepEqual(
      a.findings.map((f) => f.message),
      [],
      file,
    );
  }
  const gz = await gunzipText(readFileSync(join(SAMPLES, 'chat-2026-11-24-10.gz')));
  assert.equal(gz.damage, undefined);
  const a = analyzeText('file:///x/chat.gz', gz.text);
  assert.equal(a.dump.records.length, 13, 'two gzip members, NUL between records');
  assert.deepEqual(a.findings, []);
});

test('a finding inside an encoded record sits on the whole encoded value and names the decoded field and value', () => {
  const bad = JSON.stringify(contact({ Channel: 'VIDEO' }));
  const text = getRecords([JSON.stringify(contact()), bad]);
  const a = analyzeText('file:///x/g.json', text);
  assert.deepEqual(codes(a.findings), ['unknown-value']);
  assert.equal(at(text, a.findings[0]), JSON.stringify(b64(bad)));
  assert.match(a.findings[0].message, /^Data → "VIDEO" is not one of the Channel values documented as of \d{4}-\d\d-\d\d \(VOICE, CHAT, TASK, EMAIL\)/);
  // The decoded view holds the record on line 2, where the finding sits on the value itself.
  const view = a.decoded!;
  assert.equal(view.dump.uri, decodedUriOf('file:///x/g.json'));
  assert.equal(originalUriOf(view.dump.uri), 'file:///x/g.json');
  assert.equal(view.dump.text.split('\n')[1], bad);
  assert.equal(at(view.dump.text, view.findings[0]), '"VIDEO"');
});

test('Lambda, Firehose and CloudWatch wrappers put their findings on data, rawData, message and awslogs.data', () => {
  const bad = JSON.stringify(contact({ Channel: 'VIDEO' }));
  const cases: [string, string, string][] = [
    [
      JSON.stringify({ Records: [{ kinesis: { data: b64(bad), partitionKey: 'p' }, eventSource: 'aws:kinesis' }] }),
      JSON.stringify(b64(bad)),
      'kinesis.data → ',
    ],
    [JSON.stringify({ invocationId: 'i', records: [{ recordId: 'r', data: b64(bad) }] }), JSON.stringify(b64(bad)), 'data → '],
    [JSON.stringify({ records: [{ recordId: 'r', result: 'Ok', data: b64(bad) }] }), JSON.stringify(b64(bad)), 'data → '],
    [JSON.stringify({ attemptsMade: 4, errorCode: 'Lambda.FunctionError', rawData: b64(bad) }), JSON.stringify(b64(bad)), 'rawData → '],
    [
      JSON.stringify({
        events: [
          { timestamp: 1, message: 'START RequestId: x' },
          { timestamp: 2, message: bad },
        ],
      }),
      JSON.stringify(bad),
      'message → ',
    ],
  ];
  const sub = {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: 'g',
    logStream: 's',
    subscriptionFilters: ['f'],
    logEvents: [{ id: '1', timestamp: 1, message: bad }],
  };
  const awslogs = gzipSync(JSON.stringify(sub)).toString('base64');
  cases.push([JSON.stringify({ awslogs: { data: awslogs } }), JSON.stringify(awslogs), 'awslogs.data → message → ']);
  for (const [text, value, prefix] of cases) {
    const a = analyzeText('file:///x/w.json', text);
    assert.deepEqual(codes(a.findings), ['unknown-value'], text.slice(0, 60));
    assert.equal(at(text, a.findings[0]), value);
    assert.ok(a.findings[0].message.startsWith(prefix + '"VIDEO"'), a.findings[0].message);
  }
});

test('a CloudWatch message that is not an agent event or contact record is not a finding', () => {
  const text = JSON.stringify({
    events: [
      { timestamp: 1, message: 'START RequestId: 1 Version: $LATEST' },
      { timestamp: 2, message: '{"level":"info","msg":"a JSON log line of the Lambda itself"}' },
      { timestamp: 3, message: JSON.stringify(event) },
    ],
    nextToken: 't',
  });
  const a = analyzeText('file:///x/cw.json', text);
  assert.deepEqual(a.findings, []);
  assert.equal(a.decoded?.dump.records.length, 1);
});

test('bad input: each is envelope-decode (error) on the exact envelope value', () => {
  const good = JSON.stringify(contact());
  const cases: [string, string, RegExp][] = [];
  const kinesis = (data: string) => JSON.stringify({ Records: [{ SequenceNumber: '1', Data: data, PartitionKey: 'p' }], NextShardIterator: 'A' });
  cases.push([kinesis('not base64!'), '"not base64!"', /Data is not base64/]);
  cases.push([kinesis(b64('hello, world')), JSON.stringify(b64('hello, world')), /Data decodes to text that is not JSON/]);
  cases.push([kinesis(b64(good.slice(0, 200))), JSON.stringify(b64(good.slice(0, 200))), /Data decodes to broken JSON/]);
  const broken = '{"ContactId": "x", "Channel": ';
  cases.push([JSON.stringify({ events: [{ timestamp: 1, message: broken }] }), JSON.stringify(broken), /message is JSON text that is broken/]);
  cases.push([JSON.stringify({ awslogs: { data: b64('not gzip') } }), JSON.stringify(b64('not gzip')), /awslogs.data is base64 of a damaged gzip stream/]);
  for (const [text, value, message] of cases) {
    const a = analyzeText('file:///x/bad.json', text);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.severity]),
      [['envelope-decode', 'error']],
      text,
    );
    assert.equal(at(text, a.findings[0]), value, text);
    assert.match(a.findings[0].message, message);
  }
});

test('an envelope with zero records (a caught-up shard, an empty page) is said as information on its empty array', () => {
  for (const [text, message] of [
    [JSON.stringify({ Records: [], NextShardIterator: 'A', MillisBehindLatest: 0 }), /"Records" is an empty array.*caught-up shard/],
    [JSON.stringify({ invocationId: 'i', records: [] }), /"records" is an empty array/],
  ] as const) {
    const a = analyzeText('file:///x/empty.json', text);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.severity]),
      [['envelope-decode', 'information']],
      text,
    );
    assert.equal(at(text, a.findings[0]), '[]', text);
    assert.match(a.findings[0].message, message);
  }
});

test('a gzipped payload bigger than the limit is a finding, not a memory blow-up', () => {
  const big = JSON.stringify({ ...contact(), Attributes: { pad: 'x'.repeat(2 * 1024 * 1024) } });
  const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message: big }] })).toString('base64');
  const a = analyzeText('file:///x/bomb.json', JSON.stringify({ awslogs: { data } }), undefined, { limits: { maxDecompressedBytes: 1024 * 1024 } });
  assert.deepEqual(codes(a.findings), ['envelope-decode']);
  assert.match(a.findings[0].message, /more than 1 MB \(connectInspector.maxDecompressedSizeMB\)/);
});

test('NUL bytes between records are separators, in the scanner and the streamed path alike', async () => {
  const text = [JSON.stringify(contact()), JSON.stringify(contact()), JSON.stringify(event)].join('\0\0');
  const dump = parseDump('file:///x/nul', text);
  assert.equal(dump.records.length, 3);
  assert.deepEqual(dump.syntaxFindings, []);
  const dir = tmp({ 'nul.firehose': text });
  const found: StreamFinding[] = [];
  const summary = await analyzeFileStream(join(dir, 'nul.firehose'), { onFinding: (f) => found.push(f) });
  assert.equal(summary.records, 3);
  assert.deepEqual(found, []);
});

test('gzip: several members back to back; damage keeps the records before it and says so', async () => {
  // Incompressible attributes: each member spans several of the reader's slices.
  const noise = () => randomBytes(12 * 1024).toString('base64');
  const records = [contact(), contact({ Channel: 'VIDEO' }), contact(), contact()].map((r) => JSON.stringify({ ...r, Attributes: { noise: noise() } }));
  const first = gzipSync(records.slice(0, 2).join(''));
  const whole = Buffer.concat([first, gzipSync(records.slice(2).join('\n'))]);
  const ok = await gunzipText(whole);
  assert.equal(ok.damage, undefined);
  assert.equal(parseDump('x', ok.text).records.length, 4);

  const cut = await gunzipText(whole.subarray(0, whole.length - 40));
  assert.equal(cut.damage?.kind, 'damaged');
  assert.match(cut.damage.message, /cut short/);
  assert.ok(cut.text.startsWith(records[0] + records[1]), 'the first member is read whole');

  const corrupt = Buffer.from(whole);
  for (let i = first.length + 40; i < first.length + 80; i++) corrupt[i] ^= 0x5a;
  const damaged = await gunzipText(corrupt);
  assert.equal(damaged.damage?.kind, 'damaged');
  assert.ok(damaged.text.startsWith(records[0] + records[1]), 'the records before the damage are kept');

  const bomb = await gunzipText(gzipSync(Buffer.alloc(3 * 1024 * 1024)), { maxDecompressedBytes: 1024 * 1024 });
  assert.equal(bomb.damage?.kind, 'too-large');
  assert.equal(bomb.text.length, 1024 * 1024);
});

test('the streamed path (Analyze Dump File...) reads envelopes and .gz with the findings of the whole-text analysis', async () => {
  const bad = JSON.stringify(contact({ Channel: 'VIDEO' }));
  const text = getRecords([JSON.stringify(contact()), bad]);
  const records = [contact({ Channel: 'VIDEO' }), contact()].map((r) => JSON.stringify(r));
  const gz = gzipSync(records.join('\0'));
  const dir = tmp({ 'env.json': text, 'cut.gz': gz.subarray(0, gz.length - 12), 'ok.gz': gz });
  const found: StreamFinding[] = [];
  const summary = await analyzeFileStream(join(dir, 'env.json'), { onFinding: (f) => found.push(f) });
  assert.equal(summary.envelope, 'kinesis-get-records');
  assert.equal(summary.records, 2);
  const whole = analyzeText('file:///x', text).findings;
  const lines = new LineIndex(text);
  assert.deepEqual(
    found.map((f) => [f.code, f.message, f.range.start]),
    whole.map((f) => [f.code, f.message, lines.positionAt(f.start)]),
  );

  const gzFound: StreamFinding[] = [];
  const gzSummary = await analyzeFileStream(join(dir, 'ok.gz'), { onFinding: (f) => gzFound.push(f) });
  assert.equal(gzSummary.envelope, 'gzip');
  assert.equal(gzSummary.records, 2);
  assert.deepEqual(
    gzFound.map((f) => f.code),
    ['unknown-value'],
  );

  const cutFound: StreamFinding[] = [];
  await analyzeFileStream(join(dir, 'cut.gz'), { onFinding: (f) => cutFound.push(f) });
  assert.ok(
    cutFound.some((f) => f.code === 'envelope-decode' && /cut short/.test(f.message)),
    JSON.stringify(cutFound),
  );
  assert.ok(
    cutFound.some((f) => f.code === 'unknown-value'),
    'the record before the damage is checked',
  );
});

test('CLI: envelope per file, skipped files with their reason, a counting line, cross-record rules inside envelopes', () => {
  const a = contact();
  const b = contact({ PreviousContactId: a.ContactId, InitiationMethod: 'TRANSFER' });
  // A (updated after B, a TRANSFER, began) names no next contact: one-sided link, found across
  // two decoded records. (A NextContactId naming a third contact is no finding: links.ts nextLinkMissing.)
  const env = getRecords([JSON.stringify({ ...a, NextContactId: null }), JSON.stringify(b)]);
  const dir = tmp({
    'env.json': env,
    'plain.jsonl': JSON.stringify(contact()) + '\n',
    'package.json': '{"name":"x"}',
    'notes.jsonl': 'hello\nworld\n',
    'records.gz': gzipSync(JSON.stringify(contact())),
    'cut.gz': gzipSync(JSON.stringify(contact()) + JSON.stringify(contact())).subarray(0, 60),
  });
  const out = JSON.parse(cli(['check', '--format', 'json', '--fail-on', 'never', dir]).stdout);
  const byName = Object.fromEntries(out.files.map((f: { path: string }) => [f.path.slice(dir.length + 1), f]));
  assert.equal(byName['env.json'].envelope, 'kinesis-get-records');
  assert.equal(byName['env.json'].records, 2);
  assert.equal(byName['plain.jsonl'].envelope, null);
  assert.equal(byName['records.gz'].envelope, 'gzip');
  assert.ok(byName['cut.gz'].diagnostics.some((d: { code: string }) => d.code === 'envelope-decode'));
  const link = byName['env.json'].diagnostics.find((d: { code: string }) => d.code === 'link-reciprocal');
  assert.ok(link, JSON.stringify(byName['env.json'].diagnostics));
  assert.match(link.message, /^Data → /);
  assert.deepEqual(out.skipped.map((s: { path: string; reason: string }) => [s.path.slice(dir.length + 1), s.reason]).sort(), [
    ['notes.jsonl', 'not JSON'],
    ['package.json', 'no Connect record'],
  ]);
  const text = cli(['check', '--fail-on', 'never', dir]).stdout.trim().split('\n');
  assert.equal(text[text.length - 1], '2 file(s) skipped: 1 not JSON, 1 no Connect record');
});

test('CLI: --max-decompressed-mb caps a gzip bomb with a finding; a bad value is a usage error', () => {
  const records = Array.from({ length: 400 }, () => JSON.stringify({ ...contact(), Attributes: { pad: 'y'.repeat(4000) } })).join('\n');
  const dir = tmp({ 'bomb.gz': gzipSync(records) });
  const r = cli(['check', '--format', 'json', '--max-decompressed-mb', '0.5', join(dir, 'bomb.gz')]);
  const file = JSON.parse(r.stdout).files[0];
  const decode = file.diagnostics.filter((d: { code: string }) => d.code === 'envelope-decode');
  assert.equal(decode.length, 1);
  assert.match(decode[0].message, /decompresses to more than 0\.5 MB/);
  assert.ok(file.records > 0 && file.records < 400, 'the records before the limit are checked');
  assert.equal(cli(['check', '--max-decompressed-mb', 'lots', dir]).code, 2);
});

test('CLI: a walked gzip bomb that holds nothing before the limit is skipped as too large', () => {
  const dir = tmp({ 'zeros.gz': gzipSync(Buffer.alloc(3 * 1024 * 1024)), 'ok.jsonl': JSON.stringify(contact()) + '\n' });
  const out = JSON.parse(cli(['check', '--format', 'json', '--max-decompressed-mb', '1', dir]).stdout);
  assert.deepEqual(
    out.skipped.map((s: { path: string; reason: string }) => [s.path.slice(dir.length + 1), s.reason]),
    [['zeros.gz', 'too large']],
  );
  // Named on the command line, the same file is checked: the limit is a finding.
  const named = JSON.parse(cli(['check', '--format', 'json', '--fail-on', 'never', '--max-decompressed-mb', '1', join(dir, 'zeros.gz')]).stdout);
  assert.deepEqual(
    named.files[0].diagnostics.map((d: { code: string }) => d.code),
    ['envelope-decode'],
  );
});
