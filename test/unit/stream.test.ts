// The streaming analysis (core/stream.ts) against the whole-text analysis: same findings at
// the same lines/characters, whatever the chunking; cross-record rules over windows; cancel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/lineIndex';
import { runWorkspaceRules } from '../../server/src/core/rules';
import {
  analyzeFileStream,
  analyzeFileSync,
  endsInsideCharacter,
  StreamAnalyzer,
  StreamFinding,
  StreamOptions,
  StreamSummary,
} from '../../server/src/core/stream';
import type { Finding } from '../../server/src/core/types';

const ROOT = resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return filesUnder(full);
      return /\.(md|mjs)$/.test(name) ? [] : [full];
    });
}

// Every sample, and the AWS fixtures (the .verbatim copies carry comments: syntax findings).
const CORPUS = [...filesUnder(join(ROOT, 'samples')), ...filesUnder(join(ROOT, 'test/fixtures/aws')).filter((f) => f.endsWith('.json'))];

type Row = { code: string; message: string; start: string; end: string; related?: string[] };

/** analyzeText's findings in the streamed order: the per-document `redacted` summary comes last, once all records are read. */
const perRecord = (findings: readonly Finding[]) => [...findings.filter((f) => f.code !== 'redacted'), ...findings.filter((f) => f.code === 'redacted')];
const at = (p: { line: number; character: number }) => `${p.line}:${p.character}`;

function expectedRows(text: string, findings: readonly Finding[]): Row[] {
  const index = new LineIndex(text);
  return findings.map((f) => ({
    code: f.code,
    message: f.message,
    start: at(index.positionAt(f.start)),
    end: at(index.positionAt(f.end)),
    ...(f.related ? { related: f.related.map((r) => `${at(index.positionAt(r.start))}-${at(index.positionAt(r.end))} ${r.message}`) } : {}),
  }));
}

function rows(findings: readonly StreamFinding[]): Row[] {
  return findings.map((f) => ({
    code: f.code,
    message: f.message,
    start: at(f.range.start),
    end: at(f.range.end),
    ...(f.related ? { related: f.related.map((r) => `${at(r.range.start)}-${at(r.range.end)} ${r.message}`) } : {}),
  }));
}

/** Streams `bytes` in chunks of `chunk` bytes. */
function stream(bytes: Buffer, chunk: number, options: Omit<StreamOptions, 'onFinding'> = {}): { findings: StreamFinding[]; summary: StreamSummary } {
  const findings: StreamFinding[] = [];
  const analyzer = new StreamAnalyzer({ uri: 'u', ...options, onFinding: (f) => findings.push(f) });
  for (let i = 0; i < bytes.length; i += chunk) analyzer.write(bytes.subarray(i, i + chunk));
  return { findings, summary: analyzer.end() };
}

test('per-record findings equal analyzeText for every sample, in chunks of 1, 7 and 4096 bytes', () => {
  assert.ok(CORPUS.length >= 15, `corpus: ${CORPUS.length} files`);
  for (const file of CORPUS) {
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    const full = analyzeText(file, text);
    const expected = expectedRows(text, perRecord(full.findings));
    for (const chunk of [1, 7, 4096]) {
      // sliceChars 1 cuts the text at every record start; the default parses 64 K characters at a time.
      for (const sliceChars of [1, undefined]) {
        const { findings, summary } = stream(bytes, chunk, { crossRecord: false, sliceChars });
        const what = `${file} chunk ${chunk} slice ${sliceChars ?? 'default'}`;
        assert.deepEqual(rows(findings), expected, what);
        // An envelope counts by its decoded records, as the CLI counts them.
        const records = full.dump.records.length - (full.decoded?.envelopeRecords.size ?? 0) + (full.decoded?.dump.records.length ?? 0);
        assert.equal(summary.records, records, what);
        assert.equal(summary.bytes, bytes.length, what);
      }
    }
  }
});

test('with every record in one window, the cross-record findings are the full analysis too, in the same order', () => {
  for (const file of CORPUS) {
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    const full = analyzeText(file, text);
    const cross = runWorkspaceRules([full.dump]).get(file) ?? [];
    // The CLI's merge: per-record findings, then cross-record ones, sorted stably by place.
    const redacted = full.findings.filter((f) => f.code === 'redacted');
    const all = [...full.findings.filter((f) => f.code !== 'redacted'), ...cross].sort((a, b) => a.start - b.start || a.end - b.end).concat(redacted);
    const { findings } = stream(bytes, 7, { sliceChars: 1 });
    assert.deepEqual(rows(findings), expectedRows(text, all), file);
  }
});

test('multi-byte characters and CRLF split across chunks at every byte keep UTF-16 positions', () => {
  const ctr = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/aws/contact-record.voice-inbound.json'), 'utf8')) as Record<string, unknown>;
  const bad = (note: string) => JSON.stringify({ Attributes: { note }, ...ctr, Channel: 'VIDEO' });
  const text = '\ufeff' + bad('😀 emoji, € euro, é') + '\r\n' + bad('𝄞𝄞') + '\r\n' + '{"ContactId":"x","Channel":"VOICE","note":"é\r\n' + bad('ü') + '\r\n';
  const bytes = Buffer.from(text, 'utf8');
  const expected = expectedRows(text, analyzeText('u', text).findings);
  assert.ok(expected.some((r) => r.code === 'json-syntax') && expected.filter((r) => /VIDEO/.test(r.message)).length === 3);
  // The VIDEO on line 1 sits after an emoji (2 UTF-16 units), a euro and an é (1 each).
  const line0 = expected.find((r) => /VIDEO/.test(r.message))!;
  assert.equal(line0.start, `0:${text.split('\r\n')[0].indexOf('"VIDEO"')}`);
  for (let chunk = 1; chunk <= 13; chunk++) {
    for (const sliceChars of [1, 1 << 20]) {
      assert.deepEqual(rows(stream(bytes, chunk, { crossRecord: false, sliceChars }).findings), expected, `chunk ${chunk}`);
    }
  }
});

test('byte offsets point at the findings in the file', () => {
  const text = readFileSync(join(ROOT, 'samples/faults/schema-errors.jsonl'), 'utf8').replace(/"2026-/, '"2026-😀') + '{"a":"é€"}\n';
  const bytes = Buffer.from(text, 'utf8');
  const index = new LineIndex(text);
  const full = analyzeText('u', text);
  const { findings } = stream(bytes, 5, { crossRecord: false, sliceChars: 1 });
  assert.equal(findings.length, full.findings.length);
  full.findings.forEach((f, i) => {
    const s = findings[i];
    assert.deepEqual(s.range.start, index.positionAt(f.start));
    assert.equal(s.source.byte, Buffer.byteLength(text.slice(0, f.start)), s.message);
    const record = full.dump.records.find((r) => r.start <= f.start && f.start <= r.end)!;
    assert.equal(s.source.record?.byteStart, Buffer.byteLength(text.slice(0, record.start)));
    assert.equal(s.source.record?.byteEnd, Buffer.byteLength(text.slice(0, record.end)));
    assert.equal(s.source.record?.index, record.index);
  });
});

test('broken and odd inputs: random texts give the same findings as analyzeText in any chunking', () => {
  let seed = 20261124;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  const ev = () =>
    JSON.stringify({
      EventType: 'HEART_BEAT',
      EventId: `e${Math.floor(rnd() * 1e6)}`,
      AgentARN: 'arn:aws:connect:us-east-1:111122223333:instance/x/agent/y',
      n: pick(['a } { " \\ ]', 'é€😀', 'x']),
    });
  const ctr = () =>
    JSON.stringify({
      ContactId: `c${Math.floor(rnd() * 1e6)}`,
      Channel: pick(['VOICE', 'VIDEO']),
      InitiationMethod: 'INBOUND',
      Attributes: { s: pick(['😀😀', '€', 'plain']) },
    });
  const fragments: (() => string)[] = [
    ev,
    ctr,
    () => ev().slice(0, Math.floor(rnd() * 40)),
    () => 'garbage text é',
    () => '123',
    () => '"str"',
    () => '[1,2]',
    () => 'null',
    () => '{"a": "x\\',
    () => '{"a": "x\\\n{"b":1}',
    () => '{"a":\n{"b":1}}',
    () => ctr().replace(/,/g, ',\n  '),
    () => '}',
    () => ']',
    () => ',',
    () => '\ufeff',
    () => '{"a":"\n',
    () => '  {"x":1}',
    () => '{"x":[1,{"y":"}"}]}',
    () => '"a\nb"',
  ];
  const separators = ['\n', '\r\n', '', ' ', ',', '\n\n', ',\n', '\n,'];
  for (let k = 0; k < 600; k++) {
    const parts: string[] = [];
    for (let n = 1 + Math.floor(rnd() * 10); n > 0; n--) parts.push(pick(fragments)(), pick(separators));
    let text = parts.join('');
    if (rnd() < 0.3) text = '[' + pick(['', '\n', ' ']) + text + pick([']', '', ']\n', '] junk']);
    const full = analyzeText('u', text);
    const chunk = pick([1, 2, 3, 7, 64, 4096]);
    const sliceChars = pick([1, 2, 10, 4096]);
    const { findings, summary } = stream(Buffer.from(text, 'utf8'), chunk, { crossRecord: false, sliceChars });
    const what = `${JSON.stringify(text)} chunk ${chunk} slice ${sliceChars}`;
    assert.deepEqual(rows(findings), expectedRows(text, perRecord(full.findings)), what);
    assert.equal(summary.records, full.dump.records.length, what);
  }
});

test('small windows: agent rules carry across windows, links never report a contact that is in the file', () => {
  for (const name of [
    'faults/illegal-transition.jsonl',
    'transfer-chain-agent-events.jsonl',
    'queued-callback.jsonl',
    'faults/broken-links.jsonl',
    'task-paused.json',
  ]) {
    const file = join(ROOT, 'samples', name);
    const bytes = readFileSync(file);
    const whole = stream(bytes, 4096, { sliceChars: 1 });
    // One record per slice, one slice per window: every neighbour is in another window.
    const split = stream(bytes, 4096, { sliceChars: 1, windowChars: 1 });
    const wholeKeys = new Set(rows(whole.findings).map((r) => JSON.stringify(r)));
    for (const r of rows(split.findings)) assert.ok(wholeKeys.has(JSON.stringify(r)), `${name}: not in the full analysis: ${JSON.stringify(r)}`);
    const codes = (fs: StreamFinding[], code: string) =>
      rows(fs.filter((f) => f.code === code))
        .map((r) => JSON.stringify(r))
        .sort();
    assert.deepEqual(codes(split.findings, 'state-transition'), codes(whole.findings, 'state-transition'), name);
    assert.deepEqual(codes(split.findings, 'heartbeat-gap'), codes(whole.findings, 'heartbeat-gap'), name);
    assert.deepEqual(codes(split.findings, 'link-missing'), codes(whole.findings, 'link-missing'), name);
  }
  // The second illegal transition is only visible along the agent's events (lines 11 -> 12).
  const transitions = stream(readFileSync(join(ROOT, 'samples/faults/illegal-transition.jsonl')), 4096, { sliceChars: 1, windowChars: 1 })
    .findings.filter((f) => f.code === 'state-transition')
    .map((f) => f.range.start.line + 1);
  assert.deepEqual(transitions, [7, 12]);
});

test('link-missing waits for the end of the file: a link to a later record is not missing, a dangling one is', () => {
  const legs = readFileSync(join(ROOT, 'samples/transfer-chain.jsonl'), 'utf8').trim().split('\n');
  const filler = legs.map((l) =>
    l
      .replace(/"ContactId":"[^"]+"/, '"ContactId":"00000000-0000-4000-8000-00000000f111"')
      .replace(/"(Next|Previous|Initial)ContactId":"[^"]+"/g, '"$1ContactId":null'),
  );
  // Leg 1 first, then filler, then legs 2 and 3: the chain spans windows. Then a leg whose previous contact is nowhere.
  const orphan = legs[2]
    .replace(/"ContactId":"[^"]+"/, '"ContactId":"00000000-0000-4000-8000-0000000000aa"')
    .replace(/"PreviousContactId":"[^"]+"/, '"PreviousContactId":"00000000-0000-4000-8000-0000000000bb"')
    .replace(/"NextContactId":"[^"]+"/, '"NextContactId":null');
  const text = [legs[0], ...filler, legs[1], legs[2], orphan].join('\n') + '\n';
  const { findings } = stream(Buffer.from(text), 4096, { sliceChars: 1, windowChars: 1 });
  const missing = findings.filter((f) => f.code === 'link-missing');
  assert.ok(
    missing.every((f) => f.range.start.line === 6),
    JSON.stringify(missing.map((f) => f.message)),
  );
  assert.ok(missing.some((f) => /PreviousContactId 00000000-0000-4000-8000-0000000000bb/.test(f.message)));
  // A contact known from elsewhere (another file) is not missing either.
  const known = stream(Buffer.from(text), 4096, { sliceChars: 1, windowChars: 1, isKnownContact: (id) => id === '00000000-0000-4000-8000-0000000000bb' });
  assert.ok(!known.findings.some((f) => f.code === 'link-missing' && /0000000000bb/.test(f.message)));
});

test('a record longer than the limit is reported and skipped; the records after it are still read', () => {
  const ev = JSON.stringify({ EventType: 'LOGIN', AgentARN: 'a' });
  const huge = JSON.stringify({ ContactId: 'c', Channel: 'VOICE', blob: 'x'.repeat(5000) });
  const text = [ev, huge, ev, '{"x": 1}'].join('\n') + '\n';
  const { findings, summary } = stream(Buffer.from(text), 100, { crossRecord: false, sliceChars: 1, maxRecordChars: 1000 });
  const long = findings.filter((f) => /longer than/.test(f.message));
  assert.equal(long.length, 1);
  assert.equal(long[0].range.start.line, 1);
  assert.equal(summary.records, 4);
  assert.ok(
    findings.some((f) => f.code === 'unknown-record' && f.range.start.line === 3),
    'the record after the long one is analysed',
  );
});

test('files: the sync and async readers agree; cancelling stops reading and reports nothing more', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-stream-'));
  try {
    const lines = readFileSync(join(ROOT, 'samples/faults/schema-errors.jsonl'), 'utf8').trim().split('\n');
    let text = '';
    while (text.length < 6 * 1024 * 1024) text += lines.join('\n') + '\n';
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);

    const asyncFindings: StreamFinding[] = [];
    const a = await analyzeFileStream(file, { chunkBytes: 64 * 1024, onFinding: (f) => asyncFindings.push(f) });
    const syncFindings: StreamFinding[] = [];
    const s = analyzeFileSync(file, { chunkBytes: 100_000, onFinding: (f) => syncFindings.push(f) });
    assert.equal(a.bytes, size);
    assert.equal(a.cancelled, false);
    assert.deepEqual(rows(asyncFindings), rows(syncFindings));
    assert.equal(a.records, s.records);
    assert.ok(asyncFindings.length > 1000);

    const controller = new AbortController();
    let atAbort = -1;
    const seen: StreamFinding[] = [];
    const cancelled = await analyzeFileStream(file, {
      chunkBytes: 64 * 1024,
      signal: controller.signal,
      onFinding: (f) => seen.push(f),
      onProgress: (bytes) => {
        if (bytes >= 256 * 1024 && atAbort < 0) {
          atAbort = seen.length;
          controller.abort();
        }
      },
    });
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.bytes < size / 4, `read ${cancelled.bytes} of ${size}`);
    assert.equal(seen.length, atAbort, 'no finding after the abort');
    assert.ok(cancelled.records < a.records);

    const before = new AbortController();
    before.abort();
    const none = await analyzeFileStream(file, { signal: before.signal, onFinding: () => assert.fail('nothing is read') });
    assert.equal(none.cancelled, true);
    assert.equal(none.bytes, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI streams big files with the same output, and settles links between a streamed file and the others', () => {
  const cli = join(ROOT, 'dist/cli.js');
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env }, timeout: 60000 });
  for (const format of ['text', 'json', 'sarif']) {
    const whole = run(['check', '--format', format, 'samples']);
    const streamed = run(['check', '--format', format, 'samples'], { CONNECT_INSPECT_STREAM_MB: '0' });
    assert.equal(streamed.status, whole.status, format);
    assert.equal(streamed.stdout, whole.stdout, format);
  }
  // Leg 1 in a small file (read whole), legs 2 and 3 in a "big" one (streamed): no link is missing.
  const dir = mkdtempSync(join(tmpdir(), 'cei-stream-cli-'));
  try {
    const legs = readFileSync(join(ROOT, 'samples/transfer-chain.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'a.jsonl'), legs[0] + '\n');
    writeFileSync(join(dir, 'b.jsonl'), legs.slice(1).join('\n') + '\n' + ' '.repeat(20_000) + '\n');
    const env = { CONNECT_INSPECT_STREAM_MB: String(10_000 / (1024 * 1024)) };
    const r = run(['check', '--format', 'json', dir], env);
    const out = JSON.parse(r.stdout) as { files: { path: string; records: number; diagnostics: { code: string }[] }[] };
    assert.deepEqual(
      out.files.map((f) => [f.path.endsWith('a.jsonl'), f.records]),
      [
        [true, 1],
        [false, 2],
      ],
    );
    assert.deepEqual(
      out.files.flatMap((f) => f.diagnostics.map((d) => d.code)),
      [],
    );
    // Without the small file, legs 2 and 3 name a previous/initial contact that is not there.
    const alone = JSON.parse(run(['check', '--format', 'json', join(dir, 'b.jsonl')], env).stdout) as typeof out;
    assert.ok(alone.files[0].diagnostics.some((d) => d.code === 'link-missing'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('invalid UTF-8 decodes as readFileSync decodes it (U+FFFD), in any chunking', () => {
  const good = JSON.stringify({ ContactId: 'c', Channel: 'VIDEO', InitiationMethod: 'INBOUND', Attributes: { n: 'x' } });
  const [head, tail] = good.split('"x"');
  const bytes = Buffer.concat([
    Buffer.from(head + '"'),
    Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf]),
    Buffer.from('"' + tail + '\n' + good + '\n'),
  ]);
  const text = bytes.toString('utf8');
  const expected = expectedRows(text, perRecord(analyzeText('u', text).findings));
  assert.ok(expected.length >= 2);
  for (const chunk of [1, 2, 3, 5, 1000]) assert.deepEqual(rows(stream(bytes, chunk, { crossRecord: false }).findings), expected, `chunk ${chunk}`);
});

test('ASCII chunks skip the UTF-8 decoder without losing a character split between chunks', () => {
  // Mostly ASCII, as real dumps are, with characters of 2, 3 and 4 bytes placed so that chunk
  // edges fall inside them, right after them and between ASCII runs.
  const rng = (() => {
    let s = 7;
    return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  })();
  const wide = ['é', '€', '😀', 'ü', '𝄞'];
  const records: string[] = [];
  for (let i = 0; i < 60; i++) {
    const note = Array.from({ length: 1 + Math.floor(rng() * 12) }, () => (rng() < 0.2 ? wide[Math.floor(rng() * wide.length)] : 'a')).join('');
    records.push(JSON.stringify({ ContactId: `sel-${i}`, note }));
  }
  const text = records.join('\n') + '\n';
  const bytes = Buffer.from(text, 'utf8');
  for (let trial = 0; trial < 40; trial++) {
    const seen: string[] = [];
    const analyzer = new StreamAnalyzer({
      uri: 'u',
      crossRecord: false,
      onFinding: () => undefined,
      select: { ids: ['sel-'], onRecord: (r) => seen.push(r.text) },
    });
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(rng() * (trial % 2 ? 9 : 200));
      analyzer.write(bytes.subarray(at, at + n));
      at += n;
    }
    analyzer.end();
    assert.deepEqual(seen, records, `trial ${trial}`);
  }
});

test('endsInsideCharacter: true exactly when the bytes end before a character is complete', () => {
  for (const ch of ['a', 'é', '€', '😀']) {
    const b = Buffer.from('xy' + ch, 'utf8');
    for (let cut = 1; cut <= b.length; cut++) assert.equal(endsInsideCharacter(b.subarray(0, cut)), cut > 2 && cut < b.length, `${ch} cut ${cut}`);
  }
  assert.equal(endsInsideCharacter(Buffer.from([0x80, 0x80, 0x80, 0x80])), true, 'unsure counts as yes');
});

test('objects back to back: the json-syntax finding of a record cut anywhere names that record, not the next', () => {
  // A record's end is the next one's start: the earlier record holds the offset (it held the
  // next record 8 times in 425 before).
  const lines = readFileSync(join(ROOT, 'samples/transfer-chain-agent-events.jsonl'), 'utf8').trim().split('\n');
  for (let k = 1; k < 6; k++) {
    for (let p = 10; p < lines[1].length; p += 37) {
      const text = [lines[0], lines[1].slice(0, p), ...lines.slice(2, 2 + k)].join('');
      const syntax = stream(Buffer.from(text), 1 << 16, { crossRecord: false }).findings.find((f) => f.code === 'json-syntax');
      assert.equal(syntax?.source.record?.index, 1, `cut at ${p}, ${k} records after it`);
      assert.equal(syntax.source.record.byteStart, Buffer.byteLength(lines[0]));
    }
  }
});
