// connectInspector/analyzeFile, connectInspector/fileExcerpt and connectInspector/sniffFile over stdio, against the
// bundled server (`npm run build` first): files on disk, positions, progress, cancellation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { analyzeText } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/lineIndex';
import { runWorkspaceRules } from '../../server/src/core/rules';
import {
  AnalyzeFileRequest,
  type AnalyzeFileResult,
  DecodedRecordsRequest,
  FileExcerptRequest,
  FileTimelineRequest,
  SniffFileRequest,
} from '../../server/src/shared/protocol';
import { writeDump } from '../../bench/generate';
import { streamedDiagnostics } from '../../client/src/fileDiagnostics';
import { LspClient } from './lspClient';

const SAMPLES = resolve(__dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'cei-analyze-file-'));
let client: LspClient;

before(async () => {
  client = new LspClient();
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** What the editor would show for the file: the full analysis, positions as LSP lines/characters. */
function expected(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const { dump, findings } = analyzeText(file, text);
  const all = [...findings, ...(runWorkspaceRules([dump]).get(file) ?? [])];
  const at = new LineIndex(text);
  return all.map((f) => key(f.code, f.message, at.positionAt(f.start), at.positionAt(f.end))).sort();
}

type Pos = { line: number; character: number };
const key = (code: string, message: string, s: Pos, e: Pos) => `${s.line}:${s.character}-${e.line}:${e.character} ${code} ${message}`;
const keys = (r: AnalyzeFileResult) => r.findings.map((f) => key(f.code, f.message, f.range.start, f.range.end)).sort();

test('findings of files on disk, by path and by URI, with the positions the editor would show', async () => {
  for (const name of [
    'faults/schema-errors.jsonl',
    'faults/syntax-error.jsonl',
    'faults/broken-links.jsonl',
    'faults/illegal-transition.jsonl',
    'chat.firehose',
    'task-paused.json',
  ]) {
    const file = join(SAMPLES, name);
    const byPath = await client.request(AnalyzeFileRequest.type, { path: file });
    assert.equal(byPath.error, undefined, name);
    assert.deepEqual(keys(byPath), expected(file), name);
    assert.equal(byPath.cancelled, false);
    assert.equal(byPath.bytesRead, readFileSync(file).length);
    assert.equal(byPath.uri, pathToFileURL(file).href);
    const byUri = await client.request(AnalyzeFileRequest.type, { uri: pathToFileURL(file).href });
    assert.deepEqual(keys(byUri), keys(byPath), name);
  }
  const schema = await client.request(AnalyzeFileRequest.type, { path: join(SAMPLES, 'faults/schema-errors.jsonl') });
  assert.deepEqual(
    schema.findings.map((f) => f.range.start.line + 1),
    [1, 2, 5, 6],
    'the lines samples/README.md names',
  );
  assert.equal(schema.records, 6);
  assert.deepEqual(schema.counts, { error: 3, warning: 1, information: 0, hint: 0 }); // line 1's Channel VIDEO is unknown-value
});

test('the excerpt around a finding holds its record, and the finding lands where the analysis put it', async () => {
  const file = join(SAMPLES, 'faults/schema-errors.jsonl');
  const uri = pathToFileURL(file).href;
  const lines = readFileSync(file, 'utf8').split('\n');
  const result = await client.request(AnalyzeFileRequest.type, { uri });
  for (const f of result.findings) {
    const ex = await client.request(FileExcerptRequest.type, { uri, position: f.range.start, source: f.source, contextLines: 1 });
    assert.equal(ex.error, undefined);
    const exLines = ex.text.split('\n');
    const row = f.range.start.line - ex.firstLine;
    const col = f.range.start.character - (row === 0 ? ex.firstCharacter : 0);
    assert.equal(exLines[row], lines[f.range.start.line], 'the finding line is in the excerpt, whole');
    assert.ok(row >= 0 && row <= 1, 'one line of context before it at most');
    const value = lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
    assert.equal(exLines[row].slice(col, col + value.length), value);
  }
});

test('work-done progress is reported through the token the client gives', async () => {
  const token = 'analyze-progress-1';
  const seen: { kind: string; percentage?: number }[] = [];
  client.on('$/progress', (p) => {
    if (p.token === token) seen.push(p.value);
  });
  const file = join(dir, 'progress.jsonl');
  writeFileSync(file, bigDump(6 * 1024 * 1024));
  const result = await client.request(AnalyzeFileRequest.type, { path: file, workDoneToken: token });
  assert.equal(result.cancelled, false);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen[0]?.kind, 'begin');
  assert.equal(seen[seen.length - 1]?.kind, 'end');
  assert.ok(
    seen.some((v) => v.kind === 'report' && typeof v.percentage === 'number'),
    JSON.stringify(seen.slice(0, 5)),
  );
});

test('cancelling the request stops the reading and answers with what was read', async () => {
  const file = join(dir, 'cancel.jsonl');
  writeFileSync(file, bigDump(40 * 1024 * 1024));
  const token = 'analyze-cancel-1';
  const id = (client as unknown as { nextId: number }).nextId;
  let cancelled = false;
  client.on('$/progress', (p) => {
    if (p.token === token && p.value.kind === 'report' && !cancelled) {
      cancelled = true;
      client.notify('$/cancelRequest', { id });
    }
  });
  const result = await client.request(AnalyzeFileRequest.type, { path: file, workDoneToken: token });
  assert.ok(cancelled, 'a progress report came before the end');
  assert.equal(result.cancelled, true);
  assert.ok(result.bytesRead < result.size, `${result.bytesRead} of ${result.size} bytes read`);
});

test('findings past the cap are counted, and errors are kept before warnings', async () => {
  const ev = JSON.parse(readFileSync(join(__dirname, '../fixtures/aws/sample-agent-event.json'), 'utf8'));
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) lines.push(JSON.stringify({ hello: i })); // unknown-record warnings first
  lines.push(JSON.stringify({ ...ev, EventType: 'NOT_A_TYPE' })); // then one schema error
  const file = join(dir, 'cap.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const result = await client.request(AnalyzeFileRequest.type, { path: file, maxFindings: 5 });
  assert.equal(result.total, 21);
  assert.equal(result.omitted, 16);
  assert.equal(result.findings.length, 5);
  assert.equal(result.findings.filter((f) => f.severity === 'error').length, 1, 'the error made it in');
  assert.equal(result.findings[result.findings.length - 1].range.start.line, 20, 'still in file order');
});

test('a file that is not there is an error in the result, not a failed request', async () => {
  const result = await client.request(AnalyzeFileRequest.type, { path: join(dir, 'nope.jsonl') });
  assert.match(result.error ?? '', /Cannot read/);
  const notFile = await client.request(AnalyzeFileRequest.type, { uri: 'untitled:Untitled-1' });
  assert.match(notFile.error ?? '', /Only files on disk/);
});

/** Contact records (valid, fresh ContactIds) until `bytes`. */
function bigDump(bytes: number): string {
  const legs = readFileSync(join(SAMPLES, 'transfer-chain.jsonl'), 'utf8').trim().split('\n');
  const ids = legs.map((l) => (JSON.parse(l) as { ContactId: string }).ContactId);
  const out: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    for (const leg of legs) {
      let line = leg;
      ids.forEach((id, i) => {
        line = line.split(id).join(`${(i + 10).toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`);
      });
      out.push(line);
      size += line.length + 1;
    }
  }
  return out.join('\n') + '\n';
}

// --- Dumps VS Code does not hand over (issue 16) ---

// A generated dump with one fault in every 200 records or so (bench/generate.ts), over 10 MB.
const dumpFile = join(dir, 'faulty.jsonl');
const dump = writeDump(dumpFile, 'jsonl', 11 * 1024 * 1024, { seed: 7, faults: 0.005 });

test('sniffFile: a dump, a gzip dump, a JSON file that is not a dump, a missing file', async () => {
  const sniff = (file: string) => client.request(SniffFileRequest.type, { uri: pathToFileURL(file).href });
  assert.deepEqual(await sniff(dumpFile), { verdict: 'dump', size: dump.bytes, compressed: false });
  const gz = join(dir, 'faulty.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(dumpFile)));
  const zipped = await sniff(gz);
  assert.equal(zipped.verdict, 'dump');
  assert.equal(zipped.compressed, true);
  const other = join(dir, 'settings.json');
  writeFileSync(other, JSON.stringify({ 'editor.fontSize': 14, EventType: 'not an agent event' }));
  assert.equal((await sniff(other)).verdict, 'not-dump');
  const missing = await sniff(join(dir, 'gone.jsonl'));
  assert.equal(missing.verdict, 'unreadable');
  assert.match(missing.error ?? '', /gone\.jsonl/);
});

test('a streamed analysis, capped, becomes one diagnostic per kept finding plus the too-many-findings summary', async () => {
  // The generator's link-reciprocal also blanks a NextContactId towards a CALLBACK, which the
  // documentation allows (links.ts NEXT_LINK_OF_METHOD: no finding): links are checked below
  // against the editor's findings instead of counted.
  const faults = Object.entries(dump.faults).reduce((a, [fault, n]) => a + (fault === 'link-reciprocal' ? 0 : (n ?? 0)), 0);
  assert.ok(faults > 3, `the generator planted ${faults} single-record faults, the cap below is 3`);
  const full = await client.request(AnalyzeFileRequest.type, { path: dumpFile });
  assert.equal(full.error, undefined);
  assert.ok(full.total >= faults, `${full.total} findings for ${faults} planted faults`);
  // Links and duplicates are checked across the whole file, as the editor checks them, however far
  // apart the legs of a chain are (the file is several streamed windows long).
  const links = (all: string[]) => all.filter((k) => / (link-reciprocal|link-cycle|link-initial|duplicate-id) /.test(k));
  assert.ok(links(expected(dumpFile)).length > 0);
  assert.deepEqual(links(keys(full)), links(expected(dumpFile)));
  const all = streamedDiagnostics(full);
  assert.equal(all.length, full.total, 'uncapped: one diagnostic per finding, no summary');

  const capped = await client.request(AnalyzeFileRequest.type, { path: dumpFile, maxFindings: 3 });
  const diags = streamedDiagnostics(capped);
  assert.equal(diags.length, 4);
  assert.deepEqual(
    diags.slice(0, 3).map((d) => d.code),
    capped.findings.map((f) => f.code),
  );
  assert.equal(diags[3].code, 'too-many-findings');
  assert.match(diags[3].message, new RegExp(`^${(full.total - 3).toLocaleString('en-US')} more findings`));
  // Every range is inside the file as the editor would show it.
  const lines = readFileSync(dumpFile, 'utf8').split('\n');
  for (const d of all) assert.ok(d.range.end.character <= lines[d.range.end.line].length, `${d.code} ${JSON.stringify(d.range)}`);
});

test('a gzip-compressed file is inflated as it streams: the same findings as the plain file, not json-syntax noise', async () => {
  const gz = join(dir, 'compressed.jsonl.gz');
  const plain = join(SAMPLES, 'faults/schema-errors.jsonl');
  writeFileSync(gz, gzipSync(readFileSync(plain)));
  const zipped = await client.request(AnalyzeFileRequest.type, { path: gz });
  const bare = await client.request(AnalyzeFileRequest.type, { path: plain });
  assert.equal(zipped.error, undefined);
  assert.ok(zipped.total > 0);
  const key = (r: typeof bare) => r.findings.map((f) => `${f.code} ${f.range.start.line}`);
  assert.deepEqual(key(zipped), key(bare));
  assert.ok(!zipped.findings.some((f) => f.code === 'json-syntax'));
  assert.equal(streamedDiagnostics(zipped).length, zipped.total);
});

// --- The timeline of a contact of such a file (issue 16 item 3) ---

const LEG1 = '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b';

/** The transfer chain and its agent events after the generated faulty dump: the file the editor does not hold. */
function chainInBigFile(): { file: string; text: string } {
  const file = join(dir, 'chain-in-big.jsonl');
  const text =
    readFileSync(dumpFile, 'utf8') +
    readFileSync(join(SAMPLES, 'transfer-chain.jsonl'), 'utf8') +
    readFileSync(join(SAMPLES, 'transfer-chain-agent-events.jsonl'), 'utf8');
  writeFileSync(file, text);
  return { file, text };
}

test('fileTimeline: a contact of a file on disk, its chain, the Explain section, and where each bar is in the file', async () => {
  const { file, text } = chainInBigFile();
  const lines = text.split('\n');
  const progress: string[] = [];
  const token = 'file-timeline-progress';
  client.on('$/progress', (p: { token: string; value: { kind: string } }) => {
    if (p.token === token) progress.push(p.value.kind);
  });
  const result = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(file).href, contactId: LEG1, workDoneToken: token });
  assert.equal(result.kind, 'model', JSON.stringify(result).slice(0, 300));
  if (result.kind !== 'model') return;
  assert.equal(result.model.contactId, LEG1);
  assert.deepEqual(
    result.model.lanes.filter((l) => l.kind === 'leg').map((l) => l.title.replace(/ · .*/, '')),
    ['Leg 1', 'Leg 2', 'Leg 3'],
  );
  assert.ok(
    result.model.explain?.sentences.some((s) => /chain of 3/.test(s.text)),
    'the Explain section tells the chain',
  );
  assert.equal(result.compressed, false);
  assert.equal(result.passes, 2, 'the contact, then the legs it links to');
  // Every bar's source is a record the answer places in the file, on a line naming a leg.
  const byUri = new Map(result.records.map((r) => [r.uri, r]));
  const bars = result.model.lanes.flatMap((l) => l.segments);
  assert.ok(bars.length > 5);
  for (const bar of bars) {
    const r = byUri.get(bar.source.uri);
    assert.ok(r, `bar ${bar.id} names ${bar.source.uri}`);
    assert.match(lines[r.range.start.line], /"(ContactId|AgentARN)"/);
    assert.equal(Buffer.from(text).subarray(r.source.record!.byteStart, r.source.record!.byteEnd).toString('utf8'), lines[r.range.start.line]);
  }
  // The agents' status behind their lanes runs on to their next status in the file (leg 1's
  // agent: Available until the STATE_CHANGE to Offline, which names no leg), and each status
  // bar opens its own record (the event that set the status).
  const ben = result.model.lanes.find((l) => l.agentArn?.endsWith('23bc2edf'));
  assert.deepEqual(
    ben?.background?.map((s) => [s.label, s.start, s.end, s.openEnd ?? false]),
    [['Available', '2026-11-24T08:58:05.482Z', '2026-11-24T09:07:45.250Z', false]],
  );
  for (const status of result.model.lanes.flatMap((l) => l.background ?? [])) {
    const r = byUri.get(status.source.uri);
    assert.ok(r, `status ${status.id} names ${status.source.uri}`);
    assert.match(lines[r.range.start.line], new RegExp(`"EventTimestamp":"${status.start}"`));
    assert.match(lines[r.range.start.line], new RegExp(`"Name":"${status.label}","StartTimestamp":"${status.start}"`));
  }
  assert.ok(progress.includes('begin') && progress.includes('end'), `progress: ${progress.join(',')}`);
});

test("fileTimeline with the file's findings: each bar carries the findings of its record, also in a .gz", async () => {
  // The transfer chain with an undocumented Channel on leg 2's contact record (an invented value).
  const lines = readFileSync(join(SAMPLES, 'transfer-chain.jsonl'), 'utf8').trim().split('\n');
  const leg2 = lines.findIndex((l) => l.includes('"InitiationMethod":"TRANSFER"'));
  assert.ok(leg2 > 0);
  lines[leg2] = lines[leg2].replace('"Channel":"VOICE"', '"Channel":"HOLOGRAM"');
  const text = lines.join('\n') + '\n' + readFileSync(join(SAMPLES, 'transfer-chain-agent-events.jsonl'), 'utf8');
  const file = join(dir, 'chain-with-fault.jsonl');
  writeFileSync(file, text);
  writeFileSync(file + '.gz', gzipSync(text));
  for (const target of [file, file + '.gz']) {
    const uri = pathToFileURL(target).href;
    const analysis = await client.request(AnalyzeFileRequest.type, { uri });
    const fault = analysis.findings.find((f) => /HOLOGRAM/.test(f.message));
    assert.ok(fault, `${target}: ${analysis.findings.map((f) => f.code).join(',')}`);
    const result = await client.request(FileTimelineRequest.type, { uri, contactId: LEG1, findings: analysis.findings });
    assert.equal(result.kind, 'model', JSON.stringify(result).slice(0, 300));
    if (result.kind !== 'model') continue;
    const marked = result.model.lanes.flatMap((l) => l.segments).filter((b) => b.findings?.some((f) => /HOLOGRAM/.test(f.message)));
    assert.ok(marked.length > 0, `${target}: a bar of leg 2 carries the finding`);
    const record = result.records.find((r) => r.uri === marked[0].source.uri)!;
    assert.equal(record.range.start.line, leg2, target);
    assert.ok(result.model.findings.some((f) => f.code === fault.code && /HOLOGRAM/.test(f.message)));
    // Without the findings, no bar carries one.
    const bare = await client.request(FileTimelineRequest.type, { uri, contactId: LEG1 });
    assert.ok(bare.kind === 'model' && bare.model.lanes.every((l) => l.segments.every((b) => !b.findings?.length)));
  }
});

test("fileTimeline from a finding: the contact of the finding's record", async () => {
  const file = join(SAMPLES, 'faults/schema-errors.jsonl');
  const uri = pathToFileURL(file).href;
  const analysis = await client.request(AnalyzeFileRequest.type, { uri });
  const onRecord = analysis.findings.find((f) => f.range.start.line === 0);
  assert.ok(onRecord?.source.record, 'a finding in the first record (a contact record)');
  const contactId = (JSON.parse(readFileSync(file, 'utf8').split('\n')[0]) as { ContactId: string }).ContactId;
  const result = await client.request(FileTimelineRequest.type, { uri, source: onRecord.source });
  assert.equal(result.kind, 'model', JSON.stringify(result).slice(0, 300));
  if (result.kind === 'model') assert.equal(result.model.contactId, contactId);
});

test('fileTimeline from a finding inside an envelope: the contact of the record its encoded value holds, or a choice', async () => {
  // The chain's three contact records; leg 2 with an undocumented Channel (invented values).
  const legs = readFileSync(join(SAMPLES, 'transfer-chain.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const faulty = legs.map((l, i) => (i === 1 ? { ...l, Channel: 'VIDEO' } : l));
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
  // Kinesis get-records output: one record per Data string.
  const kinesis = join(dir, 'envelope-get-records.json');
  writeFileSync(
    kinesis,
    JSON.stringify({
      Records: faulty.map((r, i) => ({ SequenceNumber: String(i), ApproximateArrivalTimestamp: '2026-11-24T10:00:00.000Z', Data: b64(r), PartitionKey: 'p' })),
      NextShardIterator: 'AAAA',
      MillisBehindLatest: 0,
    }),
  );
  // A Lambda CloudWatch Logs event: every record in one gzipped, base64 awslogs.data.
  const logs = join(dir, 'envelope-awslogs.json');
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: '/aws/lambda/connect-ctr-logger-example',
    logStream: 'stream-example',
    subscriptionFilters: ['example'],
    logEvents: faulty.map((r, i) => ({ id: String(i), timestamp: 1795514400000 + i, message: JSON.stringify(r) })),
  };
  writeFileSync(logs, JSON.stringify({ awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } }));

  const findingOf = async (file: string) => {
    const analysis = await client.request(AnalyzeFileRequest.type, { path: file });
    const f = analysis.findings.find((x) => x.code === 'unknown-value');
    assert.ok(f, `the unknown-value finding of ${file}: ${analysis.findings.map((x) => x.code).join(', ')}`);
    return f;
  };
  const one = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(kinesis).href, source: (await findingOf(kinesis)).source });
  assert.equal(one.kind, 'model', JSON.stringify(one).slice(0, 300));
  if (one.kind === 'model') assert.equal(one.model.contactId, legs[1].ContactId, 'the contact of the Data string the finding sits on');
  const several = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(logs).href, source: (await findingOf(logs)).source });
  assert.deepEqual(several, { kind: 'choose', contactIds: legs.map((l) => l.ContactId) }, 'one encoded value, three contacts: the user picks');
});

test('fileTimeline of a .gz: the records as lines of its decoded view', async () => {
  const { file } = chainInBigFile();
  const gz = join(dir, 'chain-in-big.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  const plain = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(file).href, contactId: LEG1 });
  const zipped = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(gz).href, contactId: LEG1 });
  assert.equal(zipped.kind, 'model');
  if (zipped.kind !== 'model' || plain.kind !== 'model') return;
  assert.equal(zipped.compressed, true);
  assert.deepEqual(
    zipped.records.map((r) => r.range),
    plain.records.map((r) => r.range),
  );
  const view = await client.request(DecodedRecordsRequest.type, { uri: pathToFileURL(gz).href });
  const viewLines = view.text.split('\n');
  for (const r of zipped.records) assert.ok(r.line && viewLines.includes(r.line), `record at line ${r.range.start.line + 1} is a line of the decoded view`);
});

test('fileTimeline: a contact the file does not name, a missing file, a URI that is not a file', async () => {
  const { file } = chainInBigFile();
  const absent = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(file).href, contactId: 'ffffffff-0000-4000-8000-000000000000' });
  assert.deepEqual(absent, {
    kind: 'empty',
    contactId: 'ffffffff-0000-4000-8000-000000000000',
    message: 'No record in chain-in-big.jsonl mentions contact ffffffff-0000-4000-8000-000000000000.',
  });
  const missing = await client.request(FileTimelineRequest.type, { uri: pathToFileURL(join(dir, 'gone.jsonl')).href, contactId: LEG1 });
  assert.equal(missing.kind, 'error');
  if (missing.kind === 'error') assert.match(missing.message, /Cannot read .*gone\.jsonl/);
  const untitled = await client.request(FileTimelineRequest.type, { uri: 'untitled:Untitled-1', contactId: LEG1 });
  assert.equal(untitled.kind, 'error');
});

test("the excerpt of a .gz finding is its record's line of the decoded view", async () => {
  const plain = join(SAMPLES, 'faults/schema-errors.jsonl');
  const gz = join(dir, 'excerpt.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(plain)));
  const uri = pathToFileURL(gz).href;
  const zipped = await client.request(AnalyzeFileRequest.type, { uri });
  const view = await client.request(DecodedRecordsRequest.type, { uri });
  const lines = readFileSync(plain, 'utf8').split('\n');
  assert.ok(zipped.findings.length > 0);
  for (const f of zipped.findings) {
    const ex = await client.request(FileExcerptRequest.type, { uri, position: f.range.start, source: f.source });
    assert.equal(ex.error, undefined, ex.error);
    assert.equal(ex.decodedLine, lines[f.range.start.line], `the record of the finding at line ${f.range.start.line + 1}`);
    assert.ok(view.text.split('\n').includes(ex.decodedLine ?? ''), 'a line of the decoded view');
  }
});
