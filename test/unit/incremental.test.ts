// Incremental analysis (records taken over from the previous version) gives exactly what a
// full re-analysis gives, after random edits of every dump shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, DocumentAnalysis } from '../../server/src/core/analyze';

const samples = ['transfer-chain.jsonl', 'transfer-chain.json', 'chat.firehose', 'faults/schema-errors.jsonl', 'faults/syntax-error.jsonl'].map(
  (name) => [name, readFileSync(join(__dirname, '../../samples', name), 'utf8')] as const,
);

/** Deterministic PRNG (mulberry32) so a failure is reproducible from the seed. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ['"', '{', '}', ',', 'x', '1', '\n', '"VIDEO"', '"CONNECTED"', ' ', ''];

function comparable(a: DocumentAnalysis) {
  return {
    format: a.dump.format,
    records: a.dump.records.map((r) => [r.index, r.start, r.end, r.kind, JSON.stringify(r.value)]),
    findings: a.findings.map((f) => [f.code, f.start, f.end, f.severity, f.message, JSON.stringify(f.fix)]),
  };
}

for (const [name, original] of samples) {
  test(`random edits of ${name}: incremental equals full analysis`, () => {
    const random = prng(name.length * 7919);
    let text = original;
    let previous = analyzeText('file:///x', text);
    let reusedSomething = false;
    for (let step = 0; step < 60; step++) {
      const at = Math.floor(random() * text.length);
      const remove = random() < 0.5 ? Math.floor(random() * 12) : 0;
      const insert = INSERTS[Math.floor(random() * INSERTS.length)];
      text = text.slice(0, at) + insert + text.slice(at + remove);
      const incremental = analyzeText('file:///x', text, previous);
      const full = analyzeText('file:///x', text);
      assert.deepEqual(comparable(incremental), comparable(full), `step ${step}: edit at ${at} (-${remove} +${JSON.stringify(insert)})`);
      // Taken-over records are the same parsed values, not re-parsed copies.
      if (incremental.dump.records.some((r) => previous.dump.records.some((p) => p.value === r.value && p.value !== undefined))) reusedSomething = true;
      previous = incremental;
    }
    assert.ok(reusedSomething, 'no record was ever taken over: the incremental path is not exercised');
  });
}
