// Where the language server's memory and edit time go, in process: the server's own store
// (server/src/lsp/dumpStore.ts) on a TextDocument, opened and edited as an editor would
// (one character into a key of the last record, then out again), with the heap measured
// after a forced GC at each step (live bytes) and the process's peak RSS.
//
//   node --expose-gc --import tsx bench/memory.ts [dump] [--edits 40] [--hovers 120] [--gc-each-edit]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathAt } from '../server/src/core/positions';
import { contactModel } from '../server/src/core/model';
import { DumpStore } from '../server/src/lsp/dumpStore';
import { lastRecordKeyOffset } from './servers';

const argv = process.argv.slice(2);
const arg = (name: string, d: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : d;
};
const file = argv[0] && !argv[0].startsWith('--') ? argv[0] : path.join(__dirname, 'out', 'dump-10mb.jsonl');
const edits = Number(arg('edits', '40'));
const hovers = Number(arg('hovers', '120'));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const MBf = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const live = () => {
  gc();
  gc();
  return process.memoryUsage();
};
let last = live();
const rows: string[] = [];
function step(what: string, ms?: number): void {
  const now = live();
  const spaces = v8
    .getHeapSpaceStatistics()
    .map((s) => `${s.space_name.replace('_space', '')} ${MBf(s.space_used_size)}`)
    .filter((s) => !s.endsWith(' 0.0 MB'))
    .join(', ');
  rows.push(
    `${what.padEnd(58)} ${ms === undefined ? ''.padStart(9) : `${ms.toFixed(0)} ms`.padStart(9)}  heap live ${MBf(now.heapUsed).padStart(9)} (${(now.heapUsed - last.heapUsed >= 0 ? '+' : '') + MBf(now.heapUsed - last.heapUsed)})  external ${MBf(now.external + now.arrayBuffers)}  rss ${MBf(now.rss)}  peak ${MBf(process.resourceUsage().maxRSS * 1024)}  [${spaces}]`,
  );
  last = now;
}

step('start (modules loaded)');
const uri = 'file:///bench/' + path.basename(file);
const languageId = file.endsWith('.jsonl') ? 'jsonl' : 'json';
/** Reads the dump into a TextDocument; the text read goes out of scope (no old version stays alive because of the bench). */
function openDocument(): { doc: TextDocument; keyOffset: number } {
  const text = fs.readFileSync(file, 'utf8');
  step(`text read (${MBf(Buffer.byteLength(text))})`);
  {
    // The floor for holding the records at all: every record's parsed value, nothing else.
    const values: unknown[] = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return undefined;
        }
      });
    step(`reference: JSON.parse of every line, values kept (${values.length})`);
    values.length = 0; // drop the references before the next step measures
    step('reference dropped');
  }
  return { doc: TextDocument.create(uri, languageId, 1, text), keyOffset: lastRecordKeyOffset(text) };
}
const opened = openDocument();
let doc = opened.doc;
step('TextDocument created');
const store = new DumpStore();
let t = performance.now();
store.get(doc);
step('open: analyzeText (records, values, schema findings)', performance.now() - t);
t = performance.now();
store.workspaceFindings();
step('open: workspace rules (model, findings)', performance.now() - t);

const keyAt = doc.positionAt(opened.keyOffset);
const times: { update: number; analyze: number; rules: number }[] = [];
for (let i = 0; i < edits; i++) {
  const change =
    i % 2 === 0
      ? { range: { start: keyAt, end: keyAt }, text: 'x' }
      : { range: { start: keyAt, end: { line: keyAt.line, character: keyAt.character + 1 } }, text: '' };
  // --gc-each-edit: what a full collection in each edit's debounce window would give.
  if (argv.includes('--gc-each-edit')) gc();
  let t0 = performance.now();
  // As the server's TextDocuments do (dumpStore.ts trackEdits): the store learns where the change fell.
  const start = doc.offsetAt(change.range.start);
  store.noteChange(uri, doc.version, doc.version + 1, { start, end: doc.offsetAt(change.range.end), length: change.text.length });
  doc = TextDocument.update(doc, [change], doc.version + 1);
  const update = performance.now() - t0;
  t0 = performance.now();
  store.get(doc);
  const analyze = performance.now() - t0;
  t0 = performance.now();
  store.workspaceFindings();
  times.push({ update, analyze, rules: performance.now() - t0 });
  if (i === 0) step('after the first edit (records around it read again, the rest moved)', update + analyze + performance.now() - t0);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
step(
  `after ${edits} edits: per edit median update ${med(times.map((x) => x.update)).toFixed(1)} ms, analyze ${med(times.map((x) => x.analyze)).toFixed(1)} ms, rules ${med(times.map((x) => x.rules)).toFixed(1)} ms`,
);

// Hover-like lookups: a position tree for each record touched.
const current = store.get(doc)!;
const recs = current.dump.records;
t = performance.now();
for (let i = 0; i < hovers; i++) {
  const r = recs[Math.floor(((i + 0.5) / hovers) * recs.length)];
  pathAt(current.dump, r.start + 2);
}
step(`${hovers} records' position trees (hover/definition)`, performance.now() - t);

// What each structure holds, measured by dropping it.
const model = contactModel(store.dumps());
step(`the model (${model.contactRecords.length} contact records, ${model.allEvents.length} agent events) is part of the above`);
store.forget(uri);
step('document analysis forgotten (values, model, map by text, trees, findings)');
console.log(rows.join('\n'));
