// The workspace index keeps only each record's facts (core/compactValue.ts) and reads any
// other field from the record's text: a record so kept must read exactly like the parsed
// record, and the cross-record rules must find the same findings over such dumps, on the
// samples (real shapes: nulls, masked values, re-deliveries, envelopes' bare records) and
// on generated dumps with faults (bench/generate.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeDump } from '../../bench/generate';
import { compactValue, INDEX_FACTS, KeyLists } from '../../server/src/core/compactValue';
import { parseDump } from '../../server/src/core/dump';
import { runWorkspaceRules } from '../../server/src/core/rules';
import type { Dump } from '../../server/src/core/types';
import { IndexedFileBuilder } from '../../server/src/lsp/indexedDump';
import type { CompactRecord } from '../../server/src/lsp/indexProtocol';

const SAMPLES = path.join(__dirname, '../../samples');

function sampleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sampleFiles(full));
    else if (/\.(jsonl|json|firehose)$/.test(name)) out.push(full);
  }
  return out;
}

/** What the index makes of a dump: its records' facts through JSON (as they cross threads), read back on the main side. */
function asIndexed(dump: Dump, fullReads: { count: number }): Dump {
  const workerLists = new KeyLists();
  const mainLists = new KeyLists();
  const builder = new IndexedFileBuilder(mainLists);
  for (let from = 0; from < dump.records.length; from += 100) {
    const records: CompactRecord[] = dump.records.slice(from, from + 100).map((r) => ({
      index: r.index,
      start: r.start,
      end: r.end,
      kind: r.kind,
      value: r.kind === undefined ? r.value : compactValue(r.value, INDEX_FACTS[r.kind], workerLists),
    }));
    const json = JSON.stringify(records);
    mainLists.learn(workerLists.takeNew());
    builder.add('dump', JSON.parse(json) as CompactRecord[]);
  }
  const text = () => {
    fullReads.count++;
    return dump.text;
  };
  return builder.build({ uri: dump.uri, format: dump.format, syntaxFindings: dump.syntaxFindings }, text, { maxDecompressedBytes: 1 << 30 }).dump;
}

function findingsOf(dumps: readonly Dump[]): [string, unknown][] {
  return [...runWorkspaceRules(dumps)].sort(([a], [b]) => a.localeCompare(b));
}

function assertReadsLikeFull(full: Dump, indexed: Dump): void {
  assert.equal(indexed.records.length, full.records.length);
  for (const [i, r] of full.records.entries()) {
    const c = indexed.records[i];
    assert.deepEqual([c.index, c.start, c.end, c.kind], [r.index, r.start, r.end, r.kind]);
    assert.equal(JSON.stringify(c.value), JSON.stringify(r.value), `${full.uri} record ${i}`);
    if (r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)) {
      const value = c.value as Record<string, unknown>;
      assert.deepEqual(Object.keys(value), Object.keys(r.value));
      for (const k of Object.keys(r.value)) assert.ok(k in value, `${k} in record ${i}`);
      assert.ok(!('NoSuchField' in value));
      assert.equal(value.NoSuchField, undefined);
    }
  }
}

test('every sample record kept as facts reads like the parsed record, and the rules find the same', () => {
  const full = sampleFiles(SAMPLES).map((f) => parseDump(`file://${f}`, readFileSync(f, 'utf8')));
  assert.ok(full.length >= 10, 'the samples are there');
  const reads = { count: 0 };
  const indexed = full.map((d) => asIndexed(d, reads));
  assert.deepEqual(findingsOf(indexed), findingsOf(full));
  full.forEach((d, i) => assertReadsLikeFull(d, indexed[i]));
});

test('generated dumps: with faults the rules find the same; clean, they read no field the facts dropped', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cei-compact-'));
  try {
    const faulty = path.join(dir, 'faulty.jsonl');
    const clean = path.join(dir, 'clean.jsonl');
    writeDump(faulty, 'jsonl', 1_500_000, { seed: 7, faults: 0.05 });
    writeDump(clean, 'jsonl', 1_500_000, { seed: 8, faults: 0 });
    const faultyFull = parseDump(`file://${faulty}`, readFileSync(faulty, 'utf8'));
    const reads = { count: 0 };
    const faultyIndexed = asIndexed(faultyFull, reads);
    const expected = findingsOf([faultyFull]);
    assert.ok(expected.length > 0, 'the faults give findings');
    assert.deepEqual(findingsOf([faultyIndexed]), expected);
    assertReadsLikeFull(faultyFull, faultyIndexed);

    // The facts are what the rules read: over clean data (no copy to compare), no record is parsed again.
    const cleanReads = { count: 0 };
    const cleanIndexed = asIndexed(parseDump(`file://${clean}`, readFileSync(clean, 'utf8')), cleanReads);
    findingsOf([cleanIndexed]);
    assert.equal(cleanReads.count, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
