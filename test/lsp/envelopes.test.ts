// Envelope files over stdio: findings inside encoded records sit on the encoded value,
// the decoded view's content comes from the server (also for a .gz on disk), and the view,
// opened as a document, is analysed like any dump without counting its records twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LspClient } from './lspClient';
import { COMMANDS, INTERNAL_COMMANDS } from '../../server/src/shared/ids';
import { DecodedRecordsRequest, TimelineRequest } from '../../server/src/shared/protocol';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const ctr = fixture('contact-record.voice-inbound.json');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
let nextId = 0;
const contact = (extra: Record<string, unknown> = {}) => ({ ...ctr, ContactId: `00000000-0000-4000-9000-${String(++nextId).padStart(12, '0')}`, ...extra });
const getRecords = (records: unknown[]) =>
  JSON.stringify(
    {
      Records: records.map((r, i) => ({
        SequenceNumber: String(1000 + i),
        ApproximateArrivalTimestamp: '2026-11-24T10:00:00.000Z',
        Data: b64(r),
        PartitionKey: 'p',
      })),
      NextShardIterator: 'AAAA',
      MillisBehindLatest: 0,
    },
    null,
    2,
  );

function rangeOf(text: string, needle: string) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle.slice(0, 40)} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

let client: LspClient;
before(async () => {
  client = new LspClient();
  await client.initialize();
});
after(() => client.shutdown());

test('a get-records envelope: the schema finding sits on the whole Data string and names the decoded value', async () => {
  const uri = 'file:///ws-env/get-records.json';
  const bad = contact({ Channel: 'VIDEO' });
  const text = getRecords([contact(), bad]);
  client.open(uri, 'json', text);
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const schema = diags.filter((d) => d.code === 'unknown-value');
  assert.equal(schema.length, 1, JSON.stringify(diags));
  assert.deepEqual(schema[0].range, rangeOf(text, JSON.stringify(b64(bad))));
  assert.match(schema[0].message, /^Data → "VIDEO" is not one of the Channel values documented/);
  assert.ok(!diags.some((d) => d.code === 'unknown-record'), 'the envelope itself is not an unknown record');

  const onBad = rangeOf(text, JSON.stringify(b64(bad))).start;
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: onBad.line, character: onBad.character + 5 } });
  assert.match(hover.contents.value, /decodes to one record/);
  assert.match(hover.contents.value, new RegExp(bad.ContactId));

  const lenses = await client.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.ok(
    lenses.some((l) => l.command.command === COMMANDS.openDecodedRecords && /Open decoded records \(2/.test(l.command.title)),
    JSON.stringify(lenses),
  );
});

test('an envelope that cannot be decoded gets envelope-decode on the exact value', async () => {
  const uri = 'file:///ws-env/bad-base64.json';
  const text = JSON.stringify({ Records: [{ SequenceNumber: '1', Data: 'not base64!', PartitionKey: 'p' }], NextShardIterator: 'A' });
  client.open(uri, 'json', text);
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity]),
    [['envelope-decode', 1]],
  );
  assert.deepEqual(diags[0].range, rangeOf(text, '"not base64!"'));
});

test('the decoded view: content from the server, analysed as a dump, linked back, no duplicate of its own records', async () => {
  const uri = 'file:///ws-env/view.json';
  const a = contact();
  const bad = contact({ Channel: 'VIDEO' });
  const text = getRecords([a, bad]);
  client.open(uri, 'json', text);
  await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const view = await client.request(DecodedRecordsRequest.type, { uri });
  assert.equal(view.uri, 'connect-decoded:/ws-env/view.json.decoded.jsonl');
  assert.equal(view.envelope, 'kinesis-get-records');
  assert.equal(view.records, 2);
  assert.deepEqual(
    view.text
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l).ContactId),
    [a.ContactId, bad.ContactId],
  );

  client.open(view.uri, 'jsonl', view.text);
  const viewDiags = await client.waitForDiagnostics(view.uri, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    viewDiags.map((d) => [d.code, d.range.start.line]),
    [['unknown-value', 1]],
    'the finding in the view, on line 2, once',
  );
  assert.deepEqual(viewDiags[0].range, rangeOf(view.text, '"VIDEO"'));
  const lenses = await client.request<any[]>('textDocument/codeLens', { textDocument: { uri: view.uri } });
  const back = lenses.filter((l) => l.command.command === INTERNAL_COMMANDS.openEnvelope);
  assert.equal(back.length, 2);
  assert.deepEqual(back[1].command.arguments, [
    uri,
    rangeOf(text, JSON.stringify(b64(bad))).start.line,
    rangeOf(text, JSON.stringify(b64(bad))).start.character,
  ]);
  // Go to definition works in the view like in any dump: a contact's own ID leads to its record.
  const def = await client.request<any>('textDocument/definition', { textDocument: { uri: view.uri }, position: rangeOf(view.text, a.ContactId).start });
  assert.ok(JSON.stringify(def).includes(view.uri), JSON.stringify(def));
  // The original and the view are one set of records: no duplicate-id between them.
  const original = client.diagnostics.get(uri)?.diagnostics ?? [];
  assert.ok(!original.some((d) => d.code === 'duplicate-id'), JSON.stringify(original));
  assert.ok(!viewDiags.some((d) => d.code === 'duplicate-id'));
});

test('go to definition on an encoded value lands on its record in the decoded view', async () => {
  // A Kinesis get-records output and a Firehose transformation event (invented values, shapes of DOMAIN.md).
  const records = [contact(), contact(), contact()];
  const kinesis = { uri: 'file:///ws-env/def-kinesis.json', text: getRecords(records) };
  const firehose = {
    uri: 'file:///ws-env/def-firehose.json',
    text: JSON.stringify(
      {
        invocationId: 'invocation-example-1',
        deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/connect-ctr-example',
        region: 'us-east-1',
        records: records.map((r, i) => ({ recordId: `record-${i}`, approximateArrivalTimestamp: 1795514400000 + i, data: b64(r) })),
      },
      null,
      2,
    ),
  };
  for (const { uri, text } of [kinesis, firehose]) {
    client.open(uri, 'json', text);
    await client.waitForDiagnostics(uri, () => true);
    const view = await client.request(DecodedRecordsRequest.type, { uri });
    const viewLines = view.text.split('\n');
    // Inside the second record's encoded string, past its opening quote.
    const encoded = rangeOf(text, JSON.stringify(b64(records[1])));
    const position = { line: encoded.start.line, character: encoded.start.character + 10 };
    const def = await client.request<any[]>('textDocument/definition', { textDocument: { uri }, position });
    assert.equal(def?.length, 1, JSON.stringify(def));
    const target = { uri: def[0].targetUri ?? def[0].uri, range: def[0].targetRange ?? def[0].range };
    assert.equal(target.uri, view.uri);
    assert.deepEqual(target.range, { start: { line: 1, character: 0 }, end: { line: 1, character: viewLines[1].length } });
    assert.equal(JSON.parse(viewLines[1]).ContactId, records[1].ContactId);
    if (def[0].originSelectionRange) assert.deepEqual(def[0].originSelectionRange, encoded);
    // Outside any encoded value (a SequenceNumber, a recordId): no definition.
    const other = rangeOf(text, uri === kinesis.uri ? '"SequenceNumber"' : '"recordId"');
    const none = await client.request<any>('textDocument/definition', { textDocument: { uri }, position: other.start });
    assert.ok(none === null || (Array.isArray(none) && none.length === 0), JSON.stringify(none));
  }
});

test('a .gz file on disk: the decoded view reads it, and a truncated one says so on its last line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsp-gz-'));
  const records = [contact(), contact({ Channel: 'VIDEO' }), contact()];
  const whole = gzipSync(records.map((r) => JSON.stringify(r)).join(''));
  writeFileSync(join(dir, 'ok.gz'), whole);
  writeFileSync(join(dir, 'cut.gz'), whole.subarray(0, whole.length - 30));
  const ok = await client.request(DecodedRecordsRequest.type, { uri: pathToFileURL(join(dir, 'ok.gz')).href });
  assert.equal(ok.envelope, 'gzip');
  assert.equal(ok.records, 3);
  assert.equal(ok.error, undefined);
  client.open(ok.uri, 'jsonl', ok.text);
  const diags = await client.waitForDiagnostics(ok.uri, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line]),
    [['unknown-value', 1]],
  );

  const cut = await client.request(DecodedRecordsRequest.type, { uri: pathToFileURL(join(dir, 'cut.gz')).href });
  assert.match(cut.error ?? '', /cut short/);
  client.open(cut.uri, 'jsonl', cut.text);
  const cutDiags = await client.waitForDiagnostics(cut.uri, (p) => p.diagnostics.some((d) => d.code === 'envelope-decode'));
  const decode = cutDiags.find((d) => d.code === 'envelope-decode')!;
  assert.equal(decode.range.start.line, cut.text.trimEnd().split('\n').length - 1);
});

test('the decoded view of a Lambda Kinesis event: the timeline draws the chain, its bars point into the view', async () => {
  const sample = readFileSync(join(__dirname, '../../samples/envelopes/lambda-kinesis-event.json'), 'utf8');
  const uri = 'file:///ws-env-chain/lambda-kinesis-event.json';
  client.open(uri, 'json', sample);
  const view = await client.request(DecodedRecordsRequest.type, { uri });
  assert.equal(view.envelope, 'lambda-kinesis');
  client.open(view.uri, 'jsonl', view.text);
  assert.deepEqual(await client.waitForDiagnostics(view.uri), []);
  const legs = view.text
    .trim()
    .split('\n')
    .map((l: string) => JSON.parse(l));
  const result = await client.request(TimelineRequest.type, { uri: view.uri, position: { line: 1, character: 5 } });
  assert.equal(result.kind, 'model');
  assert.equal(result.model.contactId, legs[1].ContactId);
  const legLanes = result.model.lanes.filter((l: any) => l.kind === 'leg');
  assert.deepEqual(
    legLanes.map((l: any) => l.contactId),
    legs.map((l: any) => l.ContactId),
  );
  for (const lane of legLanes) for (const s of lane.segments) assert.equal(s.source.uri, view.uri);
});

test('a cross-record finding between decoded records sits on the encoded value in the file and on the record in the view', async () => {
  const a = contact();
  const b = contact({ PreviousContactId: a.ContactId, InitiationMethod: 'TRANSFER' });
  const text = getRecords([{ ...a, NextContactId: null }, b]);
  const uri = 'file:///ws-env-links/links.json';
  client.open(uri, 'json', text);
  const diags = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'link-reciprocal'));
  const link = diags.find((d) => d.code === 'link-reciprocal')!;
  assert.match(link.message, /^Data → /);
  const encoded = [JSON.stringify(b64({ ...a, NextContactId: null })), JSON.stringify(b64(b))];
  assert.ok(
    encoded.some((e) => JSON.stringify(link.range) === JSON.stringify(rangeOf(text, e))),
    JSON.stringify(link.range),
  );
});
