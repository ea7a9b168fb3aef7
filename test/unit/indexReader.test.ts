// The workspace index's reader runs in a worker thread: a worker that dies (a crash, an
// uncaught error) fails the file it was reading with a message, never a hang, and the next
// file gets a new worker. The real reader (dist/indexWorker.js) reads a sample; stand-in
// workers written here die on purpose.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IndexReader } from '../../server/src/lsp/indexReader';

const LIMITS = { maxDecompressedBytes: 1 << 30 };
const SAMPLE = path.join(__dirname, '../../samples/transfer-chain.jsonl');
const REAL_WORKER = path.join(__dirname, '../../dist/indexWorker.js');
let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cei-reader-'));
  // Dies on a file named *crash*, throws on *throw*, else says "not a dump".
  writeFileSync(
    path.join(dir, 'standIn.js'),
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type !== 'read') return;
  if (m.file.includes('crash')) process.exit(3);
  if (m.file.includes('throw')) throw new Error('stand-in reader failed');
  parentPort.postMessage({ id: m.id, type: 'done', notADump: true });
});`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const read = (reader: IndexReader, file: string) => reader.read(pathToFileURL(file).href, file, { size: 0, mtimeMs: 0 }, LIMITS, () => undefined);

test('a worker that exits or throws fails its file with a message; the next file gets a new worker', async () => {
  const reader = new IndexReader(path.join(dir, 'standIn.js'));
  try {
    await assert.rejects(read(reader, '/x/crash.jsonl'), /exit code 3/);
    assert.equal(await read(reader, '/x/fine.jsonl'), undefined);
    await assert.rejects(read(reader, '/x/throw.jsonl'), /stand-in reader failed/);
    assert.equal(await read(reader, '/x/fine-again.jsonl'), undefined);
  } finally {
    reader.dispose();
  }
});

test('the real reader reads a sample into records whose values read like the parsed ones', async () => {
  const reader = new IndexReader(REAL_WORKER);
  try {
    const stat = statSync(SAMPLE);
    const file = await reader.read(pathToFileURL(SAMPLE).href, SAMPLE, { size: stat.size, mtimeMs: stat.mtimeMs }, LIMITS, () => undefined);
    assert.ok(file, 'the sample holds Connect records');
    assert.equal(file.dump.format, 'jsonl');
    assert.equal(file.dump.records.length, 3);
    const first = file.dump.records[0];
    // A field the facts keep, and one read back from the file's text.
    const value = first.value as Record<string, unknown>;
    assert.equal(typeof value.ContactId, 'string');
    assert.equal(typeof value.AWSAccountId, 'string');
    assert.equal(file.dump.text.slice(first.start, first.end), JSON.stringify(JSON.parse(file.dump.text.slice(first.start, first.end))));
    await assert.rejects(read(reader, path.join(dir, 'missing.jsonl')), /ENOENT/);
  } finally {
    reader.dispose();
  }
});
