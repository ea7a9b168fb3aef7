// The bundled server against hostile documents: the finding cap per document (with its one
// summary diagnostic), and garbage (binary, NUL, lone surrogates, deep nesting, one huge
// line) that must get diagnostics, leave the server alive and answering hovers, and log
// no error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { Rng } from '../fuzz/rng';
import { Diagnostic, LspClient } from './lspClient';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const ctr = fixture('contact-record.voice-inbound.json');
const event = fixture('determine-acw-time.1.json'); // STATE_CHANGE, contact ENDED
// Invented IDs, unique to this file (all documents of one server share the cross-record rules).
const id = (n: number) => `00000000-0000-4000-8000-7${String(n).padStart(11, '0')}`;

/** A server whose window/logMessage errors are collected. */
async function startServer(configuration: unknown = {}): Promise<{ client: LspClient; errors: string[] }> {
  const client = new LspClient();
  client.configuration = configuration;
  const errors: string[] = [];
  client.on('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  client.on('window/showMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  await client.initialize();
  return { client, errors };
}

function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 1 };
}

/** 5,000 contact records, each breaking the schema once (Channel a number). */
function manyErrors(): { text: string; total: number } {
  const text = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ ...ctr, ContactId: id(i), Channel: 7 })).join('\n') + '\n';
  const analysis = analyzeText('file:///cap/many.jsonl', text);
  const total = analysis.findings.length + [...runWorkspaceRules([analysis.dump]).values()].flat().length;
  return { text, total };
}

let server: { client: LspClient; errors: string[] };
before(async () => {
  server = await startServer();
});
after(() => server.client.shutdown());

test('a dump with 5,000 schema errors publishes maxFindingsPerDocument diagnostics plus one that counts the rest', { timeout: 120_000 }, async () => {
  const { text, total } = manyErrors();
  assert.ok(total >= 5_000, `the core finds ${total} findings`);
  const uri = 'file:///cap/many.jsonl';
  server.client.open(uri, 'jsonl', text);
  const diags = await server.client.waitForDiagnostics(uri, () => true, 60_000);
  assert.equal(diags.length, 1_000 + 1, 'the default cap is 1000, plus the summary');
  const summary = diags[diags.length - 1];
  assert.equal(summary.code, 'too-many-findings');
  assert.match(summary.message, new RegExp(`\\b${total - 1_000} more findings`));
  assert.equal(diags.filter((d) => d.code === 'too-many-findings').length, 1);
  assert.equal(diags.filter((d) => d.code === 'schema').length, 1_000);
  server.client.notify('textDocument/didClose', { textDocument: { uri } });
});

test('the cap follows connectInspector.maxFindingsPerDocument', { timeout: 120_000 }, async () => {
  const capped = await startServer({ maxFindingsPerDocument: 50 });
  try {
    const { text, total } = manyErrors();
    const uri = 'file:///cap/fifty.jsonl';
    capped.client.open(uri, 'jsonl', text);
    const diags = await capped.client.waitForDiagnostics(uri, (d) => d.diagnostics.length <= 51, 60_000);
    assert.equal(diags.length, 51);
    assert.equal(diags[50].code, 'too-many-findings');
    assert.match(diags[50].message, new RegExp(`\\b${total - 50} more findings.*maxFindingsPerDocument is 50`));
    assert.deepEqual(capped.errors, []);
  } finally {
    await capped.client.shutdown();
  }
});

// ---- garbage ------------------------------------------------------------------------------------------

function binary(rng: Rng, size: number): string {
  // Bytes 0-255 as the editor would show a binary file decoded as Latin-1, plus invalid UTF-16.
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(rng.bool(0.02) ? rng.int(0xd800, 0xdfff) : rng.int(0, 255));
  return s;
}

const rng = new Rng(7);
const line = (v: unknown) => JSON.stringify(v);
// What each document must get: 'some' diagnostics (garbage in a dump is reported), or 'none'
// (a .json/.jsonl with no Connect record is not a dump; BOMs and CRLFs are not errors).
// Files in the connect-firehose language are dumps whatever they hold.
const GARBAGE: [string, string, string, 'some' | 'none'][] = [
  ['binary.json', 'json', binary(rng, 65_536), 'none'],
  ['binary.firehose', 'connect-firehose', binary(rng, 65_536), 'some'],
  // NUL bytes separate records in real Firehose output: a file of nothing else is an empty dump.
  ['nul.firehose', 'connect-firehose', '\u0000'.repeat(10_000), 'none'],
  ['binary-lines.jsonl', 'jsonl', `${binary(rng, 10_000)}\n${line({ ...ctr, ContactId: id(90_001) })}\n${binary(rng, 10_000)}`, 'some'],
  ['nul.jsonl', 'jsonl', '\u0000'.repeat(10_000), 'none'],
  [
    'nul-in-record.jsonl',
    'jsonl',
    `${line({ ...ctr, ContactId: id(90_002) }).replace('"VOICE"', '"VO\u0000ICE"')}\n${line({ ...ctr, ContactId: id(90_003), Channel: 'VO\u0000ICE' })}\n`,
    'some',
  ],
  [
    'surrogates.jsonl',
    'jsonl',
    `\ud800${line({ ...ctr, ContactId: id(90_004) }).replace('"VOICE"', '"VO\udc00ICE"')}\n${line({ ...ctr, ContactId: `\ud83d${id(90_005)}`, Channel: 'VOICE\udfff' })}\n\udbff`,
    'some',
  ],
  ['escaped-surrogates.jsonl', 'jsonl', `${line({ ...ctr, ContactId: id(90_006) }).replace('"VOICE"', '"\\ud800"')}\n`, 'some'],
  ['bom-crlf.firehose', 'connect-firehose', `\ufeff${line({ ...ctr, ContactId: id(90_007) })}\r\n\ufeff${line(event)}\r\n\r`, 'none'],
  ['deep.jsonl', 'jsonl', `${line({ ...ctr, ContactId: id(90_008) })}\n${'['.repeat(100_000)}${']'.repeat(100_000)}\n${'{"a":'.repeat(100_000)}\n`, 'some'],
  ['deep.firehose', 'connect-firehose', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}${'['.repeat(100_000)}`, 'some'],
  ['huge-line.jsonl', 'jsonl', `{"ContactId":"${'\u00e9'.repeat(5_000_000)}\n${line({ ...ctr, ContactId: id(90_009) })}\n`, 'some'],
];

test('garbage gets diagnostics, no error in the log, and the server keeps answering hovers', { timeout: 120_000 }, async () => {
  const { client, errors } = server;
  for (const [name, language, text, expected] of GARBAGE) {
    const uri = `file:///garbage/${name}`;
    client.open(uri, language, text);
    let diags: Diagnostic[];
    try {
      diags = await client.waitForDiagnostics(uri, () => true, 30_000);
    } catch (e) {
      assert.fail(`${name}: ${(e as Error).message.slice(0, 500)}; logged errors: ${errors.join(' | ').slice(0, 1000)}`);
    }
    assert.ok(Array.isArray(diags), name);
    if (expected === 'some') assert.ok(diags.length > 0, `${name}: the garbage is reported`);
    // The AWS ACW sample in some of these prints the agent's names as "(Removed)": one `redacted` information.
    if (expected === 'none')
      assert.deepEqual(
        diags.filter((d) => d.code !== 'redacted').map((d) => d.message),
        [],
        name,
      );
    for (const d of diags) {
      assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line, `${name}: ${JSON.stringify(d.range)}`);
      assert.ok(d.message.length < 20_000, `${name}: a message of ${d.message.length} characters`);
    }
    // Hovers anywhere in the garbage answer (null is an answer).
    for (const position of [
      { line: 0, character: 0 },
      { line: 0, character: 5 },
      { line: 1, character: 3 },
      { line: 2, character: 100 },
    ]) {
      await client.request('textDocument/hover', { textDocument: { uri }, position });
    }
    client.notify('textDocument/didClose', { textDocument: { uri } });
  }
  assert.deepEqual(errors, [], 'no handler failed');

  // A good document after all that: diagnostics and the state hover as usual.
  const uri = 'file:///garbage/after.json';
  const text = JSON.stringify([event], null, 2);
  client.open(uri, 'json', text);
  await client.waitForDiagnostics(uri);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '"ENDED"') });
  assert.match(hover?.contents?.value ?? '', /ENDED/);
});

test('a record whose field is nested 100,000 deep gets a diagnostic and the server survives it', { timeout: 60_000 }, async () => {
  // Its own server: if this input kills the server, the other tests still run.
  const own = await startServer();
  try {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `${line({ ...ctr, ContactId: id(90_010), Channel: '__DEEP__' }).replace('"__DEEP__"', deep)}\n`;
    const uri = 'file:///garbage/deep-field.jsonl';
    own.client.open(uri, 'jsonl', text);
    let diags: Diagnostic[] = [];
    try {
      diags = await own.client.waitForDiagnostics(uri, () => true, 15_000);
    } catch (e) {
      assert.fail(`no diagnostics: ${own.errors.join(' | ').slice(0, 800) || (e as Error).message.slice(0, 800)}`);
    }
    assert.ok(
      diags.some((d) => d.code === 'schema' && /Channel/.test(d.message)),
      JSON.stringify(diags.map((d) => d.message)),
    );
    const good = 'file:///garbage/deep-field-after.json';
    const goodText = JSON.stringify([event], null, 2);
    own.client.open(good, 'json', goodText);
    await own.client.waitForDiagnostics(good, () => true, 15_000);
    const hover = await own.client.request('textDocument/hover', { textDocument: { uri: good }, position: positionOf(goodText, '"ENDED"') });
    assert.match(hover?.contents?.value ?? '', /ENDED/);
    assert.deepEqual(own.errors, []);
  } finally {
    await own.client.shutdown();
  }
});
