import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/core/analyze';
import { parseDump } from '../../server/src/core/dump';

const ev = (id: string) => JSON.stringify({ EventType: 'HEART_BEAT', EventId: id, AgentARN: 'arn:aws:connect:us-east-1:111122223333:instance/x/agent/y' });
const texts = (text: string) => parseDump('u', text).records.map((r) => text.slice(r.start, r.end));

test('a single object is one record', () => {
  const d = parseDump('u', ev('a'));
  assert.equal(d.format, 'object');
  assert.equal(d.records.length, 1);
  assert.equal(d.records[0].kind, 'agentEvent');
  assert.deepEqual(d.syntaxFindings, []);
});

test('an empty or whitespace-only file has no records and no findings', () => {
  for (const t of ['', '  \n\r\n', '\ufeff']) {
    const d = parseDump('u', t);
    assert.equal(d.format, 'empty');
    assert.equal(d.records.length, 0);
    assert.equal(d.syntaxFindings.length, 0);
  }
});

test('JSON Lines, with CRLF, a BOM and blank lines', () => {
  const text = '\ufeff' + ev('a') + '\r\n\r\n' + ev('b') + '\r\n';
  const d = parseDump('u', text);
  assert.equal(d.format, 'jsonl');
  assert.deepEqual(texts(text), [ev('a'), ev('b')]);
  assert.deepEqual(d.syntaxFindings, []);
});

test('a top-level array: each element is a record, pretty-printed or not', () => {
  const text = `[\n  ${ev('a')},\n  ${ev('b')}\n]\n`;
  const d = parseDump('u', text);
  assert.equal(d.format, 'array');
  assert.deepEqual(texts(text), [ev('a'), ev('b')]);
  assert.equal(d.syntaxFindings.length, 0);
  const pretty = JSON.stringify([JSON.parse(ev('a')), JSON.parse(ev('b'))], null, 2);
  assert.equal(parseDump('u', pretty).records.length, 2);
});

test('Firehose: objects back to back with no separator, strings with braces and escaped quotes', () => {
  const tricky = JSON.stringify({ ContactId: 'c', Channel: 'CHAT', Attributes: { note: 'a } { " \\ ]' } });
  const text = ev('a') + ev('b') + tricky;
  const d = parseDump('u', text);
  assert.equal(d.format, 'concatenated');
  assert.deepEqual(texts(text), [ev('a'), ev('b'), tricky]);
  assert.equal(d.records[2].kind, 'contactRecord');
  assert.equal(d.syntaxFindings.length, 0);
});

test('a truncated JSONL line is reported on its line and the records after it are still read', () => {
  const broken = ev('b').slice(0, 30);
  const text = [ev('a'), broken, ev('c')].join('\n') + '\n';
  const d = parseDump('u', text);
  assert.equal(d.records.length, 3);
  assert.equal(d.records[1].value, undefined);
  assert.equal(d.records[2].kind, 'agentEvent');
  assert.equal(d.syntaxFindings.length, 1);
  const f = d.syntaxFindings[0];
  assert.equal(f.code, 'json-syntax');
  const line1 = ev('a').length + 1;
  assert.ok(f.start >= line1 && f.end <= line1 + broken.length + 1, `finding ${f.start}-${f.end} outside the broken line`);
});

test('Firehose: a record cut short is one json-syntax finding on it; the records after it are read and checked', () => {
  // A producer that wrote half a record: in objects back to back the cut string swallows the
  // next record's opening brace. Before, every record after the cut was lost without a word.
  const bad = JSON.stringify({ EventType: 'HEART_BEAT', EventId: 'd', AgentARN: 'arn:aws:connect:us-east-1:111122223333:instance/x/agent/y', Version: 12 });
  const cut = ev('b').slice(0, ev('b').indexOf('arn:') + 4);
  const text = ev('a') + cut + ev('c') + bad;
  const d = parseDump('u', text);
  assert.deepEqual(texts(text), [ev('a'), cut, ev('c'), bad]);
  assert.equal(d.syntaxFindings.length, 1);
  assert.match(d.syntaxFindings[0].message, /string is not closed/);
  assert.ok(d.syntaxFindings[0].start >= ev('a').length && d.syntaxFindings[0].end <= ev('a').length + cut.length);
  // The record after the cut is checked like any other: its Version is not a string.
  assert.ok(analyzeText('u', text).findings.some((f) => f.code === 'schema' && f.start > text.indexOf(bad)));
});

test('a truncated last record and an unclosed array are reported, not thrown', () => {
  const d = parseDump('u', ev('a') + '\n' + '{"EventType":"LOG');
  assert.equal(d.records.length, 2);
  assert.equal(d.syntaxFindings.length, 1);
  const a = parseDump('u', '[' + ev('a') + ',');
  assert.equal(a.records.length, 1);
  assert.ok(a.syntaxFindings.some((f) => /not closed/.test(f.message)));
});

test('text that is not JSON gives one finding per garbage run, confined to its line', () => {
  const text = 'hello world\nmore junk\n' + ev('a');
  const d = parseDump('u', text);
  assert.equal(d.records.length, 1);
  assert.equal(d.syntaxFindings.length, 1);
  assert.equal(d.syntaxFindings[0].start, 0);
  assert.equal(d.syntaxFindings[0].end, 'hello world'.length);
});

test('binary bytes and NULs do not throw', () => {
  const bin = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const d = parseDump('u', bin);
  assert.ok(d.syntaxFindings.length >= 1);
});

test('nesting 100,000 deep is a finding or a record, never a stack overflow', () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const d = parseDump('u', '{"a":' + deep + '}');
  assert.equal(d.records.length, 1);
  const cut = parseDump('u', '{"a":' + '['.repeat(100000));
  assert.equal(cut.syntaxFindings.length, 1);
});

test('a 50 MB single line is one record', () => {
  const big = JSON.stringify({ ContactId: 'c', Channel: 'VOICE', Attributes: { blob: 'x'.repeat(50 * 1024 * 1024) } });
  const d = parseDump('u', big);
  assert.equal(d.records.length, 1);
  assert.equal(d.records[0].kind, 'contactRecord');
});

test('an array with a scalar and a missing comma', () => {
  const d = parseDump('u', '[1, "x" ' + ev('a') + ']');
  assert.equal(d.records.length, 3);
  assert.equal(d.records[0].kind, 'unknown');
  assert.ok(d.syntaxFindings.some((f) => /"," is missing/.test(f.message)));
});

test('a syntax finding never runs past the end of the text', () => {
  for (const text of ['{', '[', '{"a":', 'x']) {
    for (const f of parseDump('u', text).syntaxFindings) assert.ok(f.start >= 0 && f.end <= text.length && f.start < f.end, `${text}: ${f.start}-${f.end}`);
  }
});

test('lone CR line ends separate records and confine garbage to its line, as in LSP', async () => {
  const { LineIndex } = await import('../../server/src/core/lineIndex');
  const text = 'ab\rcd\r' + ev('a') + '\r' + ev('b');
  const d = parseDump('u', text);
  assert.equal(d.records.length, 2);
  assert.equal(d.syntaxFindings.length, 1);
  assert.equal(text.slice(d.syntaxFindings[0].start, d.syntaxFindings[0].end), 'ab');
  const index = new LineIndex(text);
  assert.deepEqual(index.positionAt(d.records[0].start), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(d.records[1].start), { line: 3, character: 0 });
  assert.equal(index.offsetAt({ line: 3, character: 0 }), d.records[1].start);
  assert.equal(new LineIndex('a\r\nb').offsetAt({ line: 0, character: 99 }), 1);
});

test('strings skipped quote to quote: escapes, a backslash before the closing quote, braces inside', () => {
  const tricky = [
    { ContactId: 'c1', Channel: 'CHAT', Attributes: { a: 'ends with backslash \\', b: '} ] { [', c: 'say \\"hi\\"' } },
    { ContactId: 'c2', Channel: 'CHAT', Attributes: { a: '"', b: '\\\\"' } },
  ];
  for (const text of [tricky.map((t) => JSON.stringify(t)).join(''), JSON.stringify(tricky, null, 2), tricky.map((t) => JSON.stringify(t)).join('\n')]) {
    const d = parseDump('u', text);
    assert.deepEqual(d.syntaxFindings, []);
    assert.deepEqual(
      d.records.map((r) => r.value),
      tricky,
    );
  }
});
