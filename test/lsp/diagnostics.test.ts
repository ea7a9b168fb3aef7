// The bundled server over stdio: published findings (code, range, severity), hover,
// quick fixes, settings, edits, and silence on JSON that is not a dump.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from './lspClient';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const event = fixture('determine-acw-time.1.json'); // STATE_CHANGE, contact in ENDED
const ctr = fixture('contact-record.voice-inbound.json');
const line = (v: unknown) => JSON.stringify(v);
// Every test opens its own contacts: all documents share one server, and links/duplicates span documents.
let nextId = 0;
const contact = (extra: Record<string, unknown> = {}) => ({ ...ctr, ContactId: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`, ...extra });

let client: LspClient;
before(async () => {
  client = new LspClient();
  const init = await client.initialize();
  assert.equal(init.capabilities.hoverProvider, true);
});
after(() => client.shutdown());

/** Where `needle` is in `text`, as an LSP range (single line). */
function rangeOf(text: string, needle: string, from = 0) {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

test('a JSON Lines dump gets each finding on its value with source, code and severity', async () => {
  const uri = 'file:///ws/bad.jsonl';
  const text = [line(contact()), line(contact({ Channel: 'VIDEO', AgentConnectionAttempts: 'two' })), '{"EventType": "HEART_BE'].join('\n');
  client.open(uri, 'jsonl', text);
  const diags = await client.waitForDiagnostics(uri);
  const schema = diags.find((d) => d.code === 'schema');
  assert.ok(schema, JSON.stringify(diags));
  assert.deepEqual(schema.range, rangeOf(text, '"two"'));
  const unknown = diags.find((d) => d.code === 'unknown-value');
  assert.ok(unknown, JSON.stringify(diags));
  assert.deepEqual(unknown.range, rangeOf(text, '"VIDEO"'));
  assert.equal(unknown.severity, 2);
  assert.equal(schema.severity, 1);
  assert.equal(schema.source, 'connect-inspector');
  const syntax = diags.find((d) => d.code === 'json-syntax');
  assert.ok(syntax);
  assert.equal(syntax.range.start.line, 2);
  assert.equal(syntax.severity, 1);
  assert.equal(diags.filter((d) => d.code === 'schema').length, 1, 'the records before the broken one are checked once');
});

test('a package.json and other unrelated JSON get no findings', async () => {
  const uri = 'file:///ws/package.json';
  client.open(uri, 'json', JSON.stringify({ name: 'x', version: '1.0.0', scripts: { test: 'node' } }, null, 2));
  assert.deepEqual(await client.waitForDiagnostics(uri), []);
});

test('hover on a contact state explains it; hover on a field shows its description', async () => {
  const uri = 'file:///ws/events.json';
  const text = JSON.stringify([event], null, 2);
  client.open(uri, 'json', text);
  await client.waitForDiagnostics(uri);
  const stateRange = rangeOf(text, '"ENDED"');
  const hover = await client.request('textDocument/hover', {
    textDocument: { uri },
    position: { ...stateRange.start, character: stateRange.start.character + 2 },
  });
  assert.match(hover.contents.value, /ENDED/);
  assert.match(hover.contents.value, /after-contact work/);
  assert.deepEqual(hover.range, stateRange);
  const keyRange = rangeOf(text, '"EventTimestamp"');
  const fieldHover = await client.request('textDocument/hover', { textDocument: { uri }, position: keyRange.start });
  assert.match(fieldHover.contents.value, /EventTimestamp/);
});

test('the CONNECTED_ ONHOLD misprint comes with a quick fix that replaces the value', async () => {
  const uri = 'file:///ws/misprint.jsonl';
  const bad = structuredClone(event);
  bad.CurrentAgentSnapshot.Contacts[0].State = 'CONNECTED_ ONHOLD';
  const text = line(bad);
  client.open(uri, 'jsonl', text);
  const diags = await client.waitForDiagnostics(uri);
  const d = diags.find((x) => x.code === 'schema');
  assert.ok(d);
  const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  assert.equal(actions.length, 1);
  assert.deepEqual(actions[0].edit.changes[uri], [{ range: rangeOf(text, '"CONNECTED_ ONHOLD"'), newText: '"CONNECTED_ONHOLD"' }]);
});

test('an edit is followed by fresh diagnostics for the new version', async () => {
  const uri = 'file:///ws/edit.jsonl';
  const text = line(contact());
  client.open(uri, 'jsonl', text);
  assert.deepEqual(await client.waitForDiagnostics(uri), []);
  const r = rangeOf(text, '"VOICE"');
  client.change(uri, 2, [{ range: r, text: '"PIGEON"' }]);
  const diags = await client.waitForDiagnostics(uri, (p) => p.version === 2);
  assert.equal(diags.length, 1);
  assert.match(diags[0].message, /"PIGEON" is not one of the Channel values documented as of/);
  client.change(uri, 3, [{ range: { start: r.start, end: { ...r.end, character: r.start.character + '"PIGEON"'.length } }, text: '"VOICE"' }]);
  assert.deepEqual(await client.waitForDiagnostics(uri, (p) => p.version === 3), []);
});

test('a rule set to off or to another severity in settings is obeyed', async () => {
  const uri = 'file:///ws/settings.jsonl';
  client.configuration = { rules: { schema: 'hint' } };
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: { rules: { schema: 'hint' } } } });
  client.open(uri, 'jsonl', line(contact({ Channel: 7 })));
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0 && p.diagnostics[0].severity === 4);
  assert.equal(diags[0].severity, 4);
  client.configuration = { rules: { schema: 'off' } };
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: { rules: { schema: 'off' } } } });
  assert.deepEqual(await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0), []);
  client.configuration = {};
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: {} } });
});

test('a masked dump gives one redacted (information) and no schema error', async () => {
  // test/fixtures/precision/masked.json: a real-shaped record with its account, ARNs, name and numbers masked.
  const masked = JSON.parse(readFileSync(join(__dirname, '../fixtures/precision/masked.json'), 'utf8'));
  const uri = 'file:///ws/masked.json';
  const text = JSON.stringify([masked], null, 2);
  client.open(uri, 'json', text);
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity]),
    [['redacted', 3]],
  );
  assert.deepEqual(diags[0].range, rangeOf(text, '"**********"'));
  assert.match(diags[0].message, /12 values are masked/);
});

test('findings past the cap become one summary finding', async () => {
  const uri = 'file:///ws/many.jsonl';
  client.configuration = { maxFindingsPerDocument: 5 };
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: { maxFindingsPerDocument: 5 } } });
  const text = Array.from({ length: 12 }, () => line(contact({ Channel: 'VIDEO' }))).join('\n');
  client.open(uri, 'jsonl', text);
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 6);
  assert.equal(diags[5].code, 'too-many-findings');
  assert.match(diags[5].message, /^7 more findings/);
  client.configuration = {};
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: {} } });
});
