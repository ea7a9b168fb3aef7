// The streamed analysis with worker threads (core/streamPool.ts): the same findings, in the
// same order, as read in this thread; the `select` option hands back the records naming an
// ID, with their places, from bare dumps, envelopes and gzip files alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyzeFileStream, SelectedRecord, StreamAnalyzer, StreamFinding, StreamOptions } from '../../server/src/core/stream';

const ROOT = resolve(__dirname, '../..');
const sample = (name: string) => readFileSync(join(ROOT, 'samples', name), 'utf8');

// Related locations name the file: the gzipped copy has another name.
const key = (f: StreamFinding) => JSON.stringify([f.code, f.message, f.range, f.source, f.related?.map((r) => [r.range, r.message, r.source])]);

/** A dump of every sample's JSON Lines records, repeated: faults of every kind, agents across windows. */
function bigText(): string {
  const names = ['faults/illegal-transition.jsonl', 'faults/schema-errors.jsonl', 'faults/broken-links.jsonl', 'transfer-chain.jsonl', 'queued-callback.jsonl'];
  const lines = names.flatMap((n) => sample(n).trim().split('\n'));
  let text = '';
  for (let i = 0; text.length < 3 * 1024 * 1024; i++) text += lines.map((l) => l.replace(/"EventId":"([^"]+)"/, `"EventId":"$1-${i}"`)).join('\n') + '\n';
  return text + '{"broken": \n' + lines[0] + '\n';
}

async function run(
  file: string,
  options: Partial<StreamOptions> & { workers: number },
): Promise<{ findings: StreamFinding[]; selected: SelectedRecord[]; records: number }> {
  const findings: StreamFinding[] = [];
  const selected: SelectedRecord[] = [];
  const summary = await analyzeFileStream(file, {
    windowChars: 256 * 1024,
    chunkBytes: 100_000,
    ...options,
    onFinding: (f) => findings.push(f),
    ...(options.select ? { select: { ids: options.select.ids, onRecord: (r) => selected.push(r) } } : {}),
  });
  return { findings, selected, records: summary.records };
}

test('worker threads give the findings of the reading thread, in the same order, plain and gzipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-workers-'));
  try {
    const text = bigText();
    const plain = join(dir, 'big.jsonl');
    writeFileSync(plain, text);
    const gz = join(dir, 'big.jsonl.gz');
    writeFileSync(gz, gzipSync(text));
    const inline = await run(plain, { workers: 0 });
    assert.ok(inline.findings.length > 100, `${inline.findings.length} findings`);
    assert.ok(new Set(inline.findings.map((f) => f.code)).size >= 4);
    for (const [file, workers] of [
      [plain, 1],
      [plain, 2],
      [gz, 1],
      [gz, 2],
      [plain, 3],
    ] as const) {
      const parallel = await run(file, { workers });
      assert.equal(parallel.records, inline.records, `${file} ${workers}`);
      assert.deepEqual(parallel.findings.map(key), inline.findings.map(key), `${file} ${workers}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('select hands back each record naming an ID, with its text, value and place, in the reading thread and in workers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-select-'));
  try {
    const text = bigText();
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, text);
    const id = '8776918b-ef4e-4e05-8921-4001d92698d1'; // a contact of samples/faults/broken-links.jsonl
    const expected = text.split('\n').filter((l) => l.includes(id));
    assert.ok(expected.length > 10);
    const index = new LineIndex(text);
    for (const workers of [0, 2]) {
      const { selected } = await run(file, { workers, select: { ids: ['no-such-id', id], onRecord: () => undefined } });
      assert.deepEqual(
        selected.map((r) => r.text),
        expected,
        `workers ${workers}`,
      );
      for (const r of selected) {
        assert.deepEqual(r.value, JSON.parse(r.text));
        const start = text.indexOf(r.text, 0);
        assert.ok(start >= 0);
        // The bytes and the lines/characters point at the record in the file.
        const bytes = Buffer.from(text);
        assert.equal(bytes.subarray(r.byteStart, r.byteEnd).toString('utf8'), r.text);
        const at = Buffer.from(text).subarray(0, r.byteStart).toString('utf8').length;
        assert.deepEqual(r.start, index.positionAt(at));
        assert.deepEqual(r.end, index.positionAt(at + r.text.length));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('select finds records inside envelopes by their decoded text, placed on the encoded value', () => {
  const inner = sample('transfer-chain.jsonl').trim().split('\n');
  const id = (JSON.parse(inner[1]) as { ContactId: string }).ContactId;
  const page = {
    Records: inner.map((l, i) => ({ SequenceNumber: String(i), ApproximateArrivalTimestamp: 1, PartitionKey: 'p', Data: Buffer.from(l).toString('base64') })),
    NextShardIterator: 'x', // invented values; shape of `aws kinesis get-records` output
  };
  const text = '{"note":"é"}\n' + JSON.stringify(page) + '\n';
  const selected: SelectedRecord[] = [];
  const a = new StreamAnalyzer({ uri: 'u', onFinding: () => undefined, select: { ids: [id], onRecord: (r) => selected.push(r) } });
  a.write(Buffer.from(text));
  a.end();
  const expected = inner.filter((l) => l.includes(id));
  assert.deepEqual(
    selected.map((r) => r.text),
    expected,
  );
  const bytes = Buffer.from(text);
  for (const r of selected) {
    // The place is the encoded value (a base64 string) of the record in the envelope.
    const encoded = JSON.parse(bytes.subarray(r.byteStart, r.byteEnd).toString('utf8')) as string;
    assert.equal(Buffer.from(encoded, 'base64').toString('utf8'), r.text);
    assert.equal(r.start.line, 1);
  }
});
