// A contact ID of megabytes (a damaged dump; the fuzzer's seed 2611 input 911 is a flow log
// entry whose ContactId is 7.6 MB of escaped JSON). Amazon Connect's contact IDs have at most
// 256 characters, so such a value gets a schema finding, opens no timeline, hover summary or
// explanation, and is cut short wherever it is named: every answer stays small. Before, the
// ID was copied into every lane, sentence and message: an 85 MB timeline answer that the
// fuzzer's client waited on for over a minute, and hovers and symbols that carried it whole.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExplainRequest, TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from './lspClient';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const flowLog = fixture('flow-log.admin-guide.set-queue.json');
const contactRecord = fixture('contact-record.voice-inbound.json'); // ContactId "ContactId-1"
const contactEvent = fixture('contact-event.queued.json');
const agentEvent = fixture('determine-acw-time.1.json'); // a STATE_CHANGE naming ContactId-1

// Invented: escaped JSON, as in the fuzzer's input (each " doubles in the answers' JSON).
const HUGE = '{"ContactId":"x"}'.repeat(120_000); // 2 MB
/** Bigger than any answer about one small record, far smaller than one copy of HUGE. */
const MAX_ANSWER_CHARS = 64 * 1024;

function withHugeAgentContactId(): unknown {
  const copy = structuredClone(agentEvent);
  copy.CurrentAgentSnapshot.Contacts[0].ContactId = HUGE;
  return copy;
}

const CASES: { name: string; record: unknown; field: string }[] = [
  { name: 'a flow log entry whose ContactId', record: { ...flowLog, ContactId: HUGE }, field: 'ContactId' },
  { name: 'a contact record whose ContactId', record: { ...contactRecord, ContactId: HUGE }, field: 'ContactId' },
  { name: "a contact event whose detail's contactId", record: { ...contactEvent, detail: { ...contactEvent.detail, contactId: HUGE } }, field: 'contactId' },
  { name: 'an agent event whose snapshot ContactId', record: withHugeAgentContactId(), field: 'ContactId' },
  { name: 'a contact record whose PreviousContactId', record: { ...contactRecord, PreviousContactId: HUGE }, field: 'PreviousContactId' },
  { name: 'a contact record whose InitialContactId', record: { ...contactRecord, InitialContactId: HUGE }, field: 'InitialContactId' },
];

let client: LspClient;
const errors: string[] = [];
before(async () => {
  client = new LspClient();
  client.on('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  await client.initialize();
});
after(() => client.shutdown());

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

for (const [n, c] of CASES.entries()) {
  test(`${c.name} is 2 MB: a schema finding on it, and every contact feature answers small`, { timeout: 60_000 }, async () => {
    const text = JSON.stringify(c.record, null, 2);
    const uri = `file:///huge-ids/${n}.json`;
    client.open(uri, 'json', text);
    const diags = await client.waitForDiagnostics(uri, (d) => d.version === 1, 30_000);
    const valueAt = text.indexOf(`"${c.field}": "{`) + c.field.length + 4;
    const onValue = diags.find((d) => d.code === 'schema' && d.range.start.line === positionOf(text, valueAt).line);
    assert.ok(onValue, `a schema finding on ${c.field}; got ${JSON.stringify(diags.map((d) => d.message.slice(0, 200)))}`);
    assert.match(onValue.message, /256/);
    for (const d of diags) assert.ok(d.message.length < 2_000, `a ${d.code} message of ${d.message.length} characters`);

    const position = positionOf(text, valueAt + 20);
    const textDocument = { uri };
    const answers: [string, unknown][] = [
      ['hover', await client.request('textDocument/hover', { textDocument, position })],
      ['definition', await client.request('textDocument/definition', { textDocument, position })],
      ['references', await client.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } })],
      ['symbols', await client.request('textDocument/documentSymbol', { textDocument })],
      ['code lenses', await client.request('textDocument/codeLens', { textDocument })],
      ['timeline', await client.request(TimelineRequest.type, { uri, position })],
      ['explain', await client.request(ExplainRequest.type, { uri, position })],
      // The CodeLens and the webview name the contact themselves.
      ['timeline of the ID', await client.request(TimelineRequest.type, { uri, position, contactId: HUGE })],
      ['explanation of the ID', await client.request(ExplainRequest.type, { uri, position, contactId: HUGE })],
    ];
    for (const [what, answer] of answers) {
      const size = JSON.stringify(answer)?.length ?? 0;
      assert.ok(size < MAX_ANSWER_CHARS, `${what}: an answer of ${size} characters`);
    }
    const timeline = answers.find(([w]) => w === 'timeline')![1] as { kind: string; model?: { contactId: string } };
    if (c.field === 'ContactId' || c.field === 'contactId') assert.deepEqual(timeline, { kind: 'empty', reason: 'no-contact' });
    else assert.equal(timeline.model?.contactId, 'ContactId-1', 'the contact that links to the huge ID still has its timeline');
    client.notify('textDocument/didClose', { textDocument });
    assert.deepEqual(errors, []);
  });
}
