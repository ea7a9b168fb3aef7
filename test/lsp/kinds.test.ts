// EventBridge contact events and flow log entries over LSP: the bundled server publishes
// their findings on the right ranges and hovers document their fields and values.
// Records: samples/ (invented, see samples/README.md) and test/fixtures/aws (published).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from './lspClient';

const sample = (rel: string) => readFileSync(join(__dirname, '../../samples', rel), 'utf8');
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8');

/** Where the n-th `needle` is in `text`, as an LSP range (single line). */
function rangeOf(text: string, needle: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} (${nth}) not in text`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}
const inside = (r: ReturnType<typeof rangeOf>) => ({ line: r.start.line, character: r.start.character + 2 });

describe('contact events and flow logs over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.shutdown());

  test('a flow log whose Lambda failed: flow-error on the Results value of line 2, a warning naming flow, block and error', async () => {
    const uri = 'file:///ws/flow-lambda-error.jsonl';
    const text = sample('faults/flow-lambda-error.jsonl');
    client.open(uri, 'jsonl', text);
    const diags = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [['flow-error', 2]],
    );
    assert.deepEqual(diags[0].range, rangeOf(text, '"The Lambda Function Returned An Error."'));
    assert.match(diags[0].message, /Flow "Main IVR": the InvokeExternalResource block "Look up customer" failed/);
  });

  test("the chain's contact events and flow logs: no findings; hover documents event types and block types", async () => {
    const events = sample('transfer-chain-contact-events.jsonl');
    const flows = sample('transfer-chain-flow-logs.jsonl');
    client.open('file:///ws/events.jsonl', 'jsonl', events);
    client.open('file:///ws/flows.jsonl', 'jsonl', flows);
    assert.deepEqual(await client.waitForDiagnostics('file:///ws/events.jsonl'), []);
    assert.deepEqual(await client.waitForDiagnostics('file:///ws/flows.jsonl'), []);

    const queued = rangeOf(events, '"QUEUED"');
    const hover = await client.request('textDocument/hover', { textDocument: { uri: 'file:///ws/events.jsonl' }, position: inside(queued) });
    assert.match(hover.contents.value, /`QUEUED`: the contact is queued/);
    assert.deepEqual(hover.range, queued);
    const resources = rangeOf(events, '"resources"');
    const onKey = await client.request('textDocument/hover', { textDocument: { uri: 'file:///ws/events.jsonl' }, position: inside(resources) });
    assert.match(onKey.contents.value, /contact ARN/);

    const lambda = rangeOf(flows, '"InvokeExternalResource"');
    const block = await client.request('textDocument/hover', { textDocument: { uri: 'file:///ws/flows.jsonl' }, position: inside(lambda) });
    assert.match(block.contents.value, /Invoke AWS Lambda function/);
    assert.match(block.contents.value, /open set/);
  });

  test('an unknown block type is fine and still documented as a block type; a PascalCase detail gets a hint', async () => {
    const uri = 'file:///ws/other.jsonl';
    const entry = {
      ContactId: '00000000-0000-4000-8000-0000000000a1',
      ContactFlowModuleType: 'SomeBlockAddedIn2030',
      Identifier: 'New',
      Timestamp: '2026-11-24T10:00:00.000Z',
    };
    const pascal = JSON.parse(fixture('contact-event.queued.json'));
    pascal.detail = { EventType: 'QUEUED', ContactId: pascal.detail.contactId, Channel: 'VOICE' };
    const text = `${JSON.stringify(entry)}\n${JSON.stringify(pascal)}\n`;
    client.open(uri, 'jsonl', text);
    const diags = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, d.range.start.line]),
      [['schema', 4, 1]],
    );
    assert.deepEqual(diags[0].range, rangeOf(text, '"EventType"'));
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: inside(rangeOf(text, '"SomeBlockAddedIn2030"')) });
    assert.match(hover.contents.value, /ContactFlowModuleType/);
    assert.match(hover.contents.value, /unknown type is fine/);
    const pascalHover = await client.request('textDocument/hover', { textDocument: { uri }, position: inside(rangeOf(text, '"QUEUED"')) });
    assert.match(pascalHover.contents.value, /`QUEUED`/);
  });

  test("cross-kind navigation: definition from an event's contactId and a flow log's ContactId to the contact record, references back", async () => {
    const records = sample('transfer-chain.jsonl');
    const events = sample('transfer-chain-contact-events.jsonl');
    const flows = sample('transfer-chain-flow-logs.jsonl');
    const [legA] = records
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    client.open('file:///nav/records.jsonl', 'jsonl', records);
    client.open('file:///nav/events.jsonl', 'jsonl', events);
    client.open('file:///nav/flows.jsonl', 'jsonl', flows);
    await client.waitForDiagnostics('file:///nav/flows.jsonl');
    const target = rangeOf(records, `"${legA.ContactId}"`);
    const fromEvent = await client.request('textDocument/definition', {
      textDocument: { uri: 'file:///nav/events.jsonl' },
      position: inside(rangeOf(events, `"contactId":"${legA.ContactId}"`)),
    });
    assert.ok(JSON.stringify(fromEvent).includes('file:///nav/records.jsonl'), JSON.stringify(fromEvent));
    const loc = (fromEvent as { uri?: string; range?: unknown; targetSelectionRange?: unknown }[])[0];
    assert.deepEqual(loc.range ?? loc.targetSelectionRange, target);
    const flowAt = rangeOf(flows, `"ContactId":"${legA.ContactId}"`);
    const fromFlow = await client.request('textDocument/definition', {
      textDocument: { uri: 'file:///nav/flows.jsonl' },
      position: { line: flowAt.start.line, character: flowAt.start.character + 16 },
    });
    const fl = (fromFlow as { range?: unknown; targetSelectionRange?: unknown }[])[0];
    assert.deepEqual(fl.range ?? fl.targetSelectionRange, target);

    const refs: { uri: string }[] = await client.request('textDocument/references', {
      textDocument: { uri: 'file:///nav/records.jsonl' },
      position: inside(target),
      context: { includeDeclaration: true },
    });
    const byUri = (u: string) => refs.filter((r) => r.uri === u).length;
    assert.equal(byUri('file:///nav/flows.jsonl'), 9, 'every flow log entry of leg 1');
    assert.ok(byUri('file:///nav/events.jsonl') >= 6, "leg 1's events and the later legs' initialContactId");

    // The contact hover counts the new kinds.
    const hover = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nav/records.jsonl' }, position: inside(target) });
    assert.match(hover.contents.value, /9 flow log entries/);
    assert.match(hover.contents.value, /5 contact events/);

    // The outline groups flow log entries and events by contact.
    const symbols: { name: string; detail?: string; children?: { name: string }[] }[] = await client.request('textDocument/documentSymbol', {
      textDocument: { uri: 'file:///nav/flows.jsonl' },
    });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail]),
      [
        [legA.ContactId, '9 flow log entries'],
        [records.split('"ContactId":"')[2].slice(0, 36), '3 flow log entries'],
        [records.split('"ContactId":"')[3].slice(0, 36), '3 flow log entries'],
      ],
    );
    assert.equal(symbols[0].children![3].name, 'InvokeExternalResource');
  });

  test('describe-contact output: no schema findings, and its fields are documented', async () => {
    const uri = 'file:///ws/describe-contact.json';
    const text = JSON.stringify(
      {
        Contact: {
          Arn: 'arn:aws:connect:us-east-1:111122223333:instance/00bfda1a-d180-4e2a-83f0-ea6102924326/contact/1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b',
          Id: '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b',
          InitiationMethod: 'INBOUND',
          Channel: 'VOICE',
          AgentInfo: { Id: '5de2bac1-62e8-4df4-b52a-af0f23bc2edf', ConnectedToAgentTimestamp: '2026-11-24T09:01:10+00:00' },
          InitiationTimestamp: '2026-11-24T09:00:00+00:00',
        },
      },
      null,
      2,
    );
    client.open(uri, 'json', text);
    assert.deepEqual(await client.waitForDiagnostics(uri), []);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: inside(rangeOf(text, '"AgentInfo"')) });
    assert.match(hover.contents.value, /not an ARN/);
  });
});

describe('the timeline of a contact known only from contact events and flow logs', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.shutdown());

  test('asked from a contact event, it answers with legs built from the events, flow lanes and a note saying so', async () => {
    const events = sample('transfer-chain-contact-events.jsonl');
    const flows = sample('transfer-chain-flow-logs.jsonl');
    client.open('file:///only/events.jsonl', 'jsonl', events);
    client.open('file:///only/flows.jsonl', 'jsonl', flows);
    assert.deepEqual(await client.waitForDiagnostics('file:///only/events.jsonl'), []);
    // Line 8 of the events: leg 2's INITIATED; the cursor on its contactId.
    const leg2 = JSON.parse(events.split('\n')[7]).detail.contactId as string;
    const result = await client.request(TimelineRequest.type, {
      uri: 'file:///only/events.jsonl',
      position: inside(rangeOf(events, `"contactId":"${leg2}"`)),
    });
    assert.equal(result.kind, 'model', JSON.stringify(result));
    if (result.kind !== 'model') return;
    assert.equal(result.model.contactId, leg2);
    assert.deepEqual(
      result.model.lanes.map((l) => l.kind),
      ['leg', 'flow', 'leg', 'flow', 'leg', 'flow'],
    );
    const lane = result.model.lanes.find((l) => l.contactId === leg2 && l.kind === 'leg')!;
    assert.match(lane.notes![0], /^Built from EventBridge contact events and contact flow logs only/);
    assert.deepEqual(
      lane.segments.map((s) => s.kind),
      ['initiation', 'queue', 'connected', 'acw', 'disconnect'],
    );
    for (const l of result.model.lanes) for (const s of l.segments) assert.match(s.source.uri, /^file:\/\/\/only\//);
    // The Explain section reads records and agent events: it says why it has nothing more to tell.
    const gaps = result.model.explain!.sentences.filter((s) => s.kind === 'gap').map((s) => s.text);
    assert.ok(
      gaps.some((g) => g.startsWith(`Contact ${leg2} has no contact record or agent event in the dumps`)),
      gaps.join('\n'),
    );
  });
});
