// Incremental analysis gives exactly what a full re-analysis gives, after random edits of
// every dump shape and record kind (agent events, contact records, contact events, flow logs,
// describe-contact output, envelopes): both when the edit's region is known (records around
// it read again, the rest moved: what the server does with didChange ranges) and when it is
// not (records taken over by their text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, DocumentAnalysis, foldEdit, TextEdit } from '../../server/src/core/analyze';
import { parseEdited } from '../../server/src/core/editedDump';
import { parseDump } from '../../server/src/core/dump';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DumpStore, trackEdits } from '../../server/src/lsp/dumpStore';

const SAMPLES = join(__dirname, '../../samples');
const samples = [
  'transfer-chain.jsonl',
  'transfer-chain.json',
  'chat.firehose',
  'task-paused.json',
  'queued-callback.jsonl',
  'transfer-chain-agent-events.jsonl',
  'transfer-chain-contact-events.jsonl',
  'transfer-chain-flow-logs.jsonl',
  'faults/schema-errors.jsonl',
  'faults/syntax-error.jsonl',
  'faults/broken-links.jsonl',
  'envelopes/kinesis-records.jsonl',
  'envelopes/kinesis-get-records.json',
  'envelopes/firehose-transform-event.json',
  'envelopes/cloudwatch-filter-log-events.json',
  'envelopes/firehose-processing-failed.jsonl',
].map((name) => [name, readFileSync(join(SAMPLES, name), 'utf8')] as const);

// describe-contact output (the shape of `aws connect describe-contact`; values invented): one per line.
const DESCRIBE_CONTACT = [
  '{"Contact":{"Arn":"arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/contact/0d3e1f7a-7c3e-4c1e-9a8e-111111111111","Id":"0d3e1f7a-7c3e-4c1e-9a8e-111111111111","InitiationMethod":"INBOUND","Channel":"VOICE","InitiationTimestamp":"2026-11-24T09:00:00.000Z","DisconnectTimestamp":"2026-11-24T09:05:00.000Z"}}',
  '{"Contact":{"Arn":"arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/contact/0d3e1f7a-7c3e-4c1e-9a8e-222222222222","Id":"0d3e1f7a-7c3e-4c1e-9a8e-222222222222","PreviousContactId":"0d3e1f7a-7c3e-4c1e-9a8e-111111111111","InitialContactId":"0d3e1f7a-7c3e-4c1e-9a8e-111111111111","InitiationMethod":"TRANSFER","Channel":"VOICE","InitiationTimestamp":"2026-11-24T09:04:58.000Z"}}',
].join('\n');

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

const INSERTS = ['"', '{', '}', ',', 'x', '1', '\n', '\\', '"VIDEO"', '"CONNECTED"', ' ', '', '}\n{', '},\n  {', ']', '['];

function comparable(a: DocumentAnalysis) {
  return {
    format: a.dump.format,
    records: a.dump.records.map((r) => [r.index, r.start, r.end, r.kind, JSON.stringify(r.value)]),
    syntax: a.dump.syntaxFindings.map((f) => [f.code, f.start, f.end, f.message]),
    findings: a.findings.map((f) => [f.code, f.start, f.end, f.severity, f.message, JSON.stringify(f.fix), JSON.stringify(f.related)]),
  };
}

/** The one change that turns `from` into `to`: the span between their common prefix and suffix. */
function difference(from: string, to: string): { at: number; remove: number; insert: string } {
  let at = 0;
  while (at < from.length && at < to.length && from[at] === to[at]) at++;
  let tail = 0;
  while (tail < from.length - at && tail < to.length - at && from[from.length - 1 - tail] === to[to.length - 1 - tail]) tail++;
  return { at, remove: from.length - at - tail, insert: to.slice(at, to.length - tail) };
}

const all: (readonly [string, string])[] = [...samples, ['describe-contact.jsonl', DESCRIBE_CONTACT]];
for (const [name, original] of all) {
  test(`random edits of ${name}: incremental equals full analysis`, () => {
    const random = prng(name.length * 7919);
    let text = original;
    let previous = analyzeText('file:///x', text);
    let previousByText = previous;
    let reusedSomething = false;
    let edited = 0;
    for (let step = 0; step < 80; step++) {
      // One to three changes between analyses (a burst), folded into one edit region.
      let edit: TextEdit | undefined;
      const what: string[] = [];
      if (random() < 0.3) {
        // Back to the original (an undo): one change over the span where they differ.
        const { at, remove, insert } = difference(text, original);
        text = original;
        edit = foldEdit(edit, at, at + remove, insert.length);
        what.push(`undo at ${at} (-${remove} +${insert.length})`);
      }
      for (let n = random() < 0.1 ? 0 : 1 + Math.floor(random() * (random() < 0.8 ? 1 : 3)); n > 0; n--) {
        const at = Math.floor(random() * (text.length + 1));
        const remove = random() < 0.5 ? Math.min(text.length - at, Math.floor(random() * 12)) : 0;
        const insert = INSERTS[Math.floor(random() * INSERTS.length)];
        text = text.slice(0, at) + insert + text.slice(at + remove);
        edit = foldEdit(edit, at, at + remove, insert.length);
        what.push(`at ${at} (-${remove} +${JSON.stringify(insert)})`);
      }
      if (!edit) continue;
      const full = analyzeText('file:///x', text);
      const byRegion = analyzeText('file:///x', text, previous, { edit });
      const byText = analyzeText('file:///x', text, previousByText);
      assert.deepEqual(comparable(byRegion), comparable(full), `step ${step}, region known: ${what.join(', ')}`);
      assert.deepEqual(comparable(byText), comparable(full), `step ${step}, by text: ${what.join(', ')}`);
      if (parseEdited('file:///x', text, previous.dump, edit, () => {})) edited++;
      // Taken-over records are the same parsed values, not re-parsed copies.
      if (byRegion.dump.records.some((r) => previous.dump.records.some((p) => p.value === r.value && p.value !== undefined))) reusedSomething = true;
      previous = byRegion;
      previousByText = byText;
    }
    assert.ok(reusedSomething, 'no record was ever taken over: the incremental path is not exercised');
    const format = parseDump('file:///x', original).format;
    if ((format === 'jsonl' || format === 'array') && parseDump('file:///x', original).records.length > 2)
      assert.ok(edited > 10, `the edited path read only ${edited} of 80 edits around their region: it is not exercised`);
  });
}

test('folded edits: the region of a burst of changes covers each of them', () => {
  const random = prng(42);
  for (let run = 0; run < 500; run++) {
    const before = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let text = before;
    let edit: TextEdit | undefined;
    for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
      const at = Math.floor(random() * (text.length + 1));
      const remove = Math.min(text.length - at, Math.floor(random() * 5));
      const insert = 'XYZ'.slice(0, Math.floor(random() * 4));
      text = text.slice(0, at) + insert + text.slice(at + remove);
      edit = foldEdit(edit, at, at + remove, insert.length);
    }
    const e = edit!;
    assert.equal(text.slice(0, e.start), before.slice(0, e.start));
    assert.equal(text.slice(e.newEnd), before.slice(e.oldEnd));
    assert.equal(text.length - before.length, e.newEnd - e.oldEnd);
  }
});

test("the server's document updates tell the store each change's region: its analyses equal full ones", () => {
  const store = new DumpStore();
  const config = trackEdits(store);
  const uri = 'file:///x/q.jsonl';
  const original = readFileSync(join(SAMPLES, 'transfer-chain-agent-events.jsonl'), 'utf8');
  let doc = config.create(uri, 'jsonl', 1, original);
  store.get(doc);
  const random = prng(7);
  let kept = 0;
  for (let version = 2; version < 60; version++) {
    // Several changes in one didChange, each in the coordinates the one before left, as LSP
    // sends them; every other version goes back to the original (an undo) so the dump stays mostly whole.
    const scratch = TextDocument.create(uri, 'jsonl', 0, doc.getText());
    const change = (at: number, length: number, text: string) => {
      const c = { range: { start: scratch.positionAt(at), end: scratch.positionAt(at + length) }, text };
      TextDocument.update(scratch, [c], 0);
      return c;
    };
    let changes;
    if (version % 2 === 1) {
      const d = difference(doc.getText(), original);
      changes = [change(d.at, d.remove, d.insert)];
    } else {
      changes = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        change(Math.floor(random() * scratch.getText().length), Math.floor(random() * 4), ['x', '', '\n', '"', '}'][Math.floor(random() * 5)]),
      );
    }
    const before = store.get(doc)!.dump.records;
    doc = config.update(doc, changes, version);
    assert.equal(doc.getText(), scratch.getText());
    const analysis = store.get(doc)!;
    assert.deepEqual(comparable(analysis), comparable(analyzeText(uri, doc.getText())), `version ${version}`);
    // Read around the region (records before it kept as the same objects), not taken over by their text (new objects).
    if (analysis.dump.records[0] === before[0]) kept++;
  }
  assert.ok(kept >= 20, `only ${kept} of 58 versions were read around their changes`);
});
