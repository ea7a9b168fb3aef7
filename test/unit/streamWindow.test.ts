// One window of the streamed analysis read directly (core/streamWindow.ts): byte offsets in an
// ASCII window (taken from character offsets) and in one with multi-byte characters (counted),
// and a worker's answer (`posted`) equal to the reading thread's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../server/src/core/envelopes';
import { RecordScanner } from '../../server/src/core/scanner';
import { readWindow, WindowInput } from '../../server/src/core/streamWindow';

function windowOf(text: string, seq: number): WindowInput {
  const scanner = new RecordScanner();
  scanner.scan(text, 0, true);
  return {
    run: 0,
    seq,
    uri: 'file:///w.jsonl',
    text,
    length: text.length,
    final: true,
    spans: scanner.spans.slice(),
    scanFindings: [],
    limits: DEFAULT_LIMITS,
    crossRecord: false,
  };
}

// Invented faults on a sample (samples/faults/schema-errors.jsonl): every finding has a byte offset to check.
const sample = readFileSync('samples/faults/schema-errors.jsonl', 'utf8');

test('byte offsets of findings and records, in an ASCII window and in one with multi-byte characters', () => {
  for (const text of [sample, sample.replace(/"2026-/g, '"2026-😀').replace(/Basic/g, 'Bäsic€')]) {
    assert.equal(Buffer.byteLength(text) > text.length, text !== sample);
    const read = readWindow(windowOf(text, 1));
    assert.ok(read.findings.length > 3);
    assert.equal(read.bytes, Buffer.byteLength(text));
    for (const { finding } of read.findings) {
      const record = finding.source.record!;
      // The byte offset lands on the same text as the character offset the range names.
      const lineStart = text.split('\n').slice(0, finding.range.start.line).join('\n').length + (finding.range.start.line > 0 ? 1 : 0);
      const offset = lineStart + finding.range.start.character;
      assert.equal(finding.source.byte, Buffer.byteLength(text.slice(0, offset)), finding.message);
      assert.ok(record.byteStart <= finding.source.byte && finding.source.byte <= record.byteEnd);
      assert.equal(
        Buffer.from(text, 'utf8')
          .subarray(record.byteStart, record.byteStart + 1)
          .toString(),
        '{',
      );
    }
  }
});

test('a worker’s answer (posted) is the reading thread’s', () => {
  const text = readFileSync('samples/transfer-chain-agent-events.jsonl', 'utf8');
  const inThread = readWindow(windowOf(text, 2));
  const posted = readWindow(windowOf(text, 3), { posted: true });
  assert.ok(inThread.agents.length > 0);
  assert.deepEqual({ ...posted, seq: 2 }, inThread);
});
