// The timeline over LSP: CodeLenses that open it, and the connectInspector/timeline request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../server/src/shared/ids';
import { TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from './lspClient';

const sample = (name: string) => readFileSync(join(__dirname, '../../samples', name), 'utf8');
let client: LspClient;
before(async () => {
  client = new LspClient();
  await client.initialize();
});
after(() => client.shutdown());

const chain = sample('transfer-chain.jsonl');
const legs = chain
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

test('a CodeLens above each contact record and above the first event of each contact', async () => {
  const uri = 'file:///ws/transfer-chain.jsonl';
  client.open(uri, 'jsonl', chain);
  await client.waitForDiagnostics(uri);
  const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(
    lenses.map((l: any) => [l.range.start.line, l.command.command, l.command.arguments[1]]),
    legs.map((leg, i) => [i, COMMANDS.showTimeline, leg.ContactId]),
  );

  const eventsUri = 'file:///ws/agent-events.jsonl';
  const events = sample('transfer-chain-agent-events.jsonl');
  client.open(eventsUri, 'jsonl', events);
  await client.waitForDiagnostics(eventsUri);
  const eventLenses = await client.request('textDocument/codeLens', { textDocument: { uri: eventsUri } });
  const ids = eventLenses.map((l: any) => l.command.arguments[1]);
  assert.deepEqual([...new Set(ids)].sort(), legs.map((l) => l.ContactId).sort(), 'one lens per contact, not per event');
  assert.equal(ids.length, 3);
});

test('the timeline request answers for the contact under the cursor, with the whole chain', async () => {
  const uri = 'file:///ws/transfer-chain.jsonl';
  const result = await client.request(TimelineRequest.type, { uri, position: { line: 1, character: 5 } });
  assert.equal(result.kind, 'model');
  assert.equal(result.model.contactId, legs[1].ContactId);
  const legLanes = result.model.lanes.filter((l: any) => l.kind === 'leg');
  assert.deepEqual(
    legLanes.map((l: any) => l.contactId),
    legs.map((l) => l.ContactId),
  );
  // Every bar points back at a record of an open document.
  for (const lane of result.model.lanes) for (const s of lane.segments) assert.match(s.source.uri, /^file:\/\/\/ws\//);
});

test('the timeline request says why when there is nothing to draw', async () => {
  const uri = 'file:///ws/not-a-dump.json';
  client.open(uri, 'json', '{"name": "x"}');
  await client.waitForDiagnostics(uri);
  assert.deepEqual(await client.request(TimelineRequest.type, { uri, position: { line: 0, character: 2 } }), { kind: 'empty', reason: 'no-contact' });
  const none = await client.request(TimelineRequest.type, {
    uri: 'file:///ws/transfer-chain.jsonl',
    position: { line: 0, character: 0 },
    contactId: 'not-a-known-contact',
  });
  assert.equal(none.kind, 'empty');
  assert.equal(none.reason, 'no-events');
});
