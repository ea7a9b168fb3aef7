// explain over LSP: the contact hover's two lines (totals, offers), the
// connectInspector/explain request behind the Explain Contact command, and the timeline's
// Explain part. Fixture: test/fixtures/explain/missed-then-accepted.jsonl (invented values).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExplainRequest, TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from './lspClient';

const M = '53b8ee6b-8696-441d-9d7e-13a02cdabd67';
const text = readFileSync(join(__dirname, '../fixtures/explain/missed-then-accepted.jsonl'), 'utf8');
const uri = 'file:///ws/missed-then-accepted.jsonl';
const lines = text.split('\n');
const recordLine = lines.findIndex((l) => l.includes('"AWSContactTraceRecordFormatVersion"'));
/** Inside the contact record's ContactId value. */
const onContactId = { line: recordLine, character: lines[recordLine].indexOf(`"ContactId":"${M}"`) + 16 };

let client: LspClient;
before(async () => {
  client = new LspClient();
  await client.initialize();
  client.open(uri, 'jsonl', text);
  await client.waitForDiagnostics(uri);
});
after(() => client.shutdown());

test('the contact hover gains the totals and the outcome of each offer, in two lines', async () => {
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: onContactId });
  const value: string = hover.contents.value;
  // Figures: see test/unit/explain.test.ts (missed, then accepted).
  assert.ok(value.includes('- Time: IVR 18 s, queue 46 s, talk 4 min 6 s, hold 0 s, ACW 30 s, handle 4 min 37 s\n'), value);
  assert.ok(value.includes('- Offers: asilva missed \\(20 s\\); hsato accepted \\(5.5 s\\)'), value);
  // The summary is still first; the two lines sit in its list, before the field documentation.
  assert.ok(value.indexOf('**Contact**') < value.indexOf('- Time:'));
  assert.ok(value.indexOf('- Offers:') < value.indexOf('---'));
});

test('the explain request answers with the narrative as Markdown and as text', async () => {
  const result = await client.request(ExplainRequest.method, { uri, position: onContactId });
  assert.equal(result.kind, 'explained');
  assert.equal(result.contactId, M);
  assert.ok(result.markdown.startsWith(`**Contact ${M}**`), result.markdown);
  assert.match(result.markdown, /offered to asilva: missed after 20 s, offered to hsato: accepted after 5\.5 s/);
  assert.match(result.text, /^Totals: IVR 18 s, queue 46 s, talk 4 min 6 s, hold 0 s, ACW 30 s, handle time 4 min 37 s\.$/m);
  const none = await client.request(ExplainRequest.method, { uri, position: onContactId, contactId: 'not-a-contact' });
  assert.deepEqual(none, { kind: 'empty', reason: 'not-found', contactId: 'not-a-contact' });
  const nowhere = await client.request(ExplainRequest.method, { uri: 'file:///ws/not-open.jsonl', position: { line: 0, character: 0 } });
  assert.deepEqual(nowhere, { kind: 'empty', reason: 'no-contact' });
});

test('the timeline model carries the Explain part and the chain labels of its legs', async () => {
  const result = await client.request(TimelineRequest.method, { uri, position: onContactId });
  assert.equal(result.kind, 'model');
  const { explain, lanes } = result.model;
  assert.deepEqual(
    explain.sentences.map((s: { kind: string }) => s.kind),
    ['overview', 'leg', 'disconnect', 'totals', 'gap'],
  );
  const leg = explain.sentences[1];
  assert.equal(leg.contactId, M);
  // The leg sentence links the contact record and the agent events it is read from, all in this document.
  assert.equal(leg.sources.length, 7);
  assert.ok(leg.sources.every((s: { uri: string }) => s.uri === uri));
  assert.deepEqual(
    lanes.filter((l: { kind: string }) => l.kind === 'leg').map((l: { chainLabel: string }) => l.chainLabel),
    ['initial'],
  );
});
