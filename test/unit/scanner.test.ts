// The record scanner (core/scanner.ts), the one owner of record boundaries: fed in chunks of
// any size it finds what it finds in the whole text, so the streamed analysis and parseDump
// cannot drift apart (they did once: a lone CR after garbage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/lineIndex';
import { RecordScanner, ScanFinding } from '../../server/src/core/scanner';
import { StreamAnalyzer, StreamFinding } from '../../server/src/core/stream';

function whole(text: string): { spans: number[]; findings: ScanFinding[]; mode: string; lines: boolean } {
  const s = new RecordScanner();
  s.scan(text, 0, true);
  return { spans: s.spans, findings: s.findings, mode: s.mode, lines: s.allOnOwnLines };
}

/** Feeds `text` in chunks, dropping what the scanner no longer needs after each. */
function chunked(text: string, chunk: number): ReturnType<typeof whole> {
  const s = new RecordScanner();
  let held = '',
    base = 0;
  const spans: number[] = [];
  const findings: ScanFinding[] = [];
  for (let i = 0; i <= text.length; i += chunk) {
    const final = i + chunk > text.length;
    held += text.slice(i, i + chunk);
    s.scan(held, base, final);
    spans.push(...s.spans.splice(0));
    findings.push(...s.findings.splice(0));
    const keep = s.needFrom;
    assert.ok(keep >= base, `needFrom ${keep} before the held text ${base}`);
    held = held.slice(keep - base);
    base = keep;
    if (final) break;
  }
  return { spans, findings, mode: s.mode, lines: s.allOnOwnLines };
}

let seed = 1126;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
const pieces = [
  '{"a":1}',
  '{"s":"x\\"}{\\\\"}',
  '{"a":[1,{"b":"]"}]}',
  '{"cut":"',
  'garbage',
  '12',
  '"str"',
  'null',
  '[1,2]',
  '}',
  ']',
  ',',
  '\ufeff',
  '\u0000',
  'é😀',
  '{"a":\n',
  '{',
];
const separators = ['\n', '\r\n', '\r', '', ' ', ',', '\n\n', '\r\r\n'];

test('chunked scanning finds what scanning the whole text finds', () => {
  for (let k = 0; k < 1500; k++) {
    const parts: string[] = [];
    for (let n = 1 + Math.floor(rnd() * 12); n > 0; n--) parts.push(pick(pieces), pick(separators));
    let text = parts.join('');
    if (rnd() < 0.3) text = '[' + text + pick([']', '', '] x\n']);
    const expected = whole(text);
    for (const chunk of [1, 2, 3, 5, 17]) assert.deepEqual(chunked(text, chunk), expected, `${JSON.stringify(text)} chunk ${chunk}`);
  }
});

test('a lone CR after garbage: the streamed analysis and analyzeText read the same records', () => {
  const ev = JSON.stringify({ EventType: 'HEART_BEAT', EventId: 'e', AgentARN: 'arn:aws:connect:us-east-1:111122223333:instance/x/agent/y', Channel: 'VIDEO' });
  const text = `garbage line\r${ev}\rmore garbage\r\n${ev}\r`;
  const full = analyzeText('u', text);
  assert.equal(full.dump.records.length, 2);
  const index = new LineIndex(text);
  const expected = full.findings.map((f) => [f.code, index.positionAt(f.start), index.positionAt(f.end)]);
  for (const chunk of [1, 2, 13, 1000]) {
    const got: StreamFinding[] = [];
    const a = new StreamAnalyzer({ uri: 'u', crossRecord: false, sliceChars: 1, onFinding: (f) => got.push(f) });
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += chunk) a.write(bytes.subarray(i, i + chunk));
    assert.equal(a.end().records, 2);
    assert.deepEqual(
      got.map((f) => [f.code, f.range.start, f.range.end]),
      expected,
      `chunk ${chunk}`,
    );
  }
});

test('a record longer than the limit is skipped whole; the scanner keeps no more than the limit', () => {
  const long = '{"a":"' + 'x'.repeat(500) + '"}';
  const text = `{"b":1}\n${long}\n{"c":2}\n`;
  const s = new RecordScanner(100);
  let held = '',
    base = 0,
    most = 0;
  for (let i = 0; i < text.length; i += 10) {
    held += text.slice(i, i + 10);
    s.scan(held, base, i + 10 >= text.length);
    const keep = s.needFrom;
    held = held.slice(keep - base);
    base = keep;
    most = Math.max(most, held.length);
  }
  assert.deepEqual(s.tooLong, [{ start: 8, end: 8 + long.length }]);
  assert.deepEqual(s.spans, [0, 7, 0, 9 + long.length, 16 + long.length, 0]);
  assert.ok(most <= 120, `held ${most} characters`);
});

/** The records the scanner reads whole (not broken) from a text, as their texts. */
function intact(text: string): string[] {
  const { spans } = whole(text);
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 3) if (spans[k + 2] === 0) out.push(text.slice(spans[k], spans[k + 1]));
  return out;
}

test('objects back to back: a record cut anywhere loses at most the record after it, never the rest of the file', () => {
  // Firehose writes records back to back with no separator; a producer that writes half a
  // record made the one after it (and, before, every record to the end of the file) vanish.
  const records = readFileSync(join(__dirname, '../../samples/transfer-chain-agent-events.jsonl'), 'utf8').trim().split('\n').slice(0, 5);
  assert.equal(records.length, 5);
  const cut = records[1];
  for (let p = 1; p < cut.length; p++) {
    const text = records[0] + cut.slice(0, p) + records.slice(2).join('');
    const read = intact(text);
    const what = `cut at ${p}: ${JSON.stringify(cut.slice(Math.max(0, p - 12), p))}`;
    assert.equal(read[0], records[0], what);
    assert.deepEqual(read.slice(-2), records.slice(3), what);
    // The record right after the cut survives unless the cut left a value expected (after ":", "," or "["): then it nests into the cut one.
    const head = cut.slice(0, p);
    const inString = (head.replace(/\\./g, '').match(/"/g) ?? []).length % 2 === 1;
    const expectsValue = !inString && /[:,[]\s*$/.test(head);
    assert.equal(read.length, expectsValue ? 3 : 4, what);
    assert.deepEqual(chunked(text, 7), whole(text), what);
  }
});

test('valid JSON values back to back are read exactly as they are, whatever their strings hold', () => {
  const leaf = () => pick<unknown>([1, -2.5e3, true, false, null, '{"x":', '}{"', 'a\\"b', '[', '\n'.replace('\n', 'line'), 'é😀', '']);
  const value = (depth: number): unknown => {
    if (depth > 3 || rnd() < 0.3) return leaf();
    if (rnd() < 0.5) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [pick(['a', '{"', 'k' + i, '"}']) + i, value(depth + 1)]));
  };
  for (let k = 0; k < 400; k++) {
    const values = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => JSON.stringify({ v: value(0) }, null, rnd() < 0.2 ? 1 : undefined));
    const text = values.join(pick(['', '', ' ', '\n', '\u0000']));
    const { spans } = whole(text);
    const read: string[] = [];
    for (let j = 0; j < spans.length; j += 3) {
      assert.equal(spans[j + 2], 0, JSON.stringify(text));
      read.push(text.slice(spans[j], spans[j + 1]));
    }
    assert.deepEqual(read, values, JSON.stringify(text));
  }
});

test('broken values stay cheap and few: one record per run of braces, no search back through the text', { timeout: 60_000 }, () => {
  // Found by the fuzzer: a search for the swallowed `{"` ran back to the start of the text at
  // each broken value (50,000 of them: minutes), and each brace of `{{{{` became a record.
  const lines = Array.from({ length: 50_000 }, (_, i) => `{ "a": ${i} x "b": 2 }`).join('\n');
  assert.equal(whole(lines).spans.length / 3, 50_000);
  const braces = '{"a":1,' + '{'.repeat(100_000) + '\n' + '{"b":2}';
  const read = whole(braces);
  assert.equal(read.spans.length / 3, 2);
  assert.deepEqual(chunked(braces, 4096), read);
});
