// The record scanner (core/scanner.ts), the one owner of record boundaries: fed in chunks of
// any size it finds what it finds in the whole text, so the streamed analysis and parseDump
// cannot drift apart (they did once: a lone CR after garbage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
