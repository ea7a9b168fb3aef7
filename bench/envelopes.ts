// gzip and envelope rows of `npm run bench`:
// - a Firehose `.gz` (the 100 MB Firehose dump of generate.ts, gzipped in two members as
//   Firehose writes to S3) checked by the CLI (dist/cli.js, in a child process: wall time and
//   peak RSS), beside `zlib.gunzipSync` + `JSON.parse` of every record of the same bytes, and
//   beside the reading layer alone (gunzip stream -> record spans -> JSON.parse, no checks)
//   and beside gunzipSync + UTF-8 decoding alone (the floor: nothing parsed);
// - a Firehose transformation event holding the 10 MB Firehose dump's records (base64), read
//   by analyzeText, beside JSON.parse of the event + base64 decoding + JSON.parse of each record.
// Each measurement runs in its own process so that one's memory does not inflate another's.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { DumpFile } from './generate';

export interface GzipBench {
  file: string;
  compressedBytes: number;
  decompressedBytes: number;
  records: number;
  /** The CLI (`check --format json`), wall time of the whole process. */
  cli: ProcessRun & { findings: number; cliRecords: number };
  /** gunzip stream + record scanner + JSON.parse (core/envelopes.ts + core/scanner.ts), no checks, in one thread. */
  readingLayer: ProcessRun;
  /** zlib.gunzipSync + JSON.parse of each record. */
  baseline: ProcessRun;
  /**
   * zlib.gunzipSync + UTF-8 decoding alone, nothing parsed: what any reader of the file pays
   * before its first record, on this machine (the floor the MB/s target is measured against).
   */
  decompressOnly: ProcessRun;
}

export interface EnvelopeBench {
  file: string;
  bytes: number;
  records: number;
  analyzeTextMs: number;
  baselineMs: number;
}

export interface ProcessRun {
  ms: number;
  peakRssBytes: number;
}

/** Gzips a Firehose dump into two members back to back (the first half, then the rest). */
export async function ensureGzip(source: DumpFile, out: string): Promise<string> {
  const file = path.join(out, path.basename(source.path) + '.gz');
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(source.path).mtimeMs) return file;
  const half = Math.floor(source.bytes / 2);
  const tmp = file + '.tmp';
  await pipeline(fs.createReadStream(source.path, { end: half - 1 }), createGzip(), fs.createWriteStream(tmp));
  await pipeline(fs.createReadStream(source.path, { start: half }), createGzip(), fs.createWriteStream(tmp, { flags: 'a' }));
  fs.renameSync(tmp, file);
  return file;
}

/** A Firehose transformation event whose records are the dump's records, base64-encoded. */
export function ensureTransformEvent(source: DumpFile, out: string): string {
  const file = path.join(out, path.basename(source.path) + '.transform-event.json');
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(source.path).mtimeMs) return file;
  const text = fs.readFileSync(source.path, 'utf8');
  const lengths = source.lengths ?? [];
  const records: string[] = [];
  let at = 0;
  lengths.forEach((n, i) => {
    const data = Buffer.from(text.slice(at, at + n), 'utf8').toString('base64');
    records.push('    ' + JSON.stringify({ recordId: `bench-${i}`, approximateArrivalTimestamp: 1795514400000 + i, data }));
    at += n;
  });
  fs.writeFileSync(
    file,
    `{"invocationId":"bench-invocation","deliveryStreamArn":"arn:aws:firehose:us-east-1:111122223333:deliverystream/bench","region":"us-east-1","records":[\n${records.join(',\n')}\n]}\n`,
  );
  return file;
}

/** Runs `script` in a fresh Node process; it prints one JSON line; peak RSS from the process itself. */
function runNode<T>(script: string, args: string[], timeoutMs: number, typescript = true): Promise<T> {
  return new Promise((resolve, reject) => {
    // tsx only where the script loads TypeScript sources: its loader costs memory of its own.
    const child = spawn(process.execPath, [...(typescript ? ['--import', 'tsx'] : []), '-e', script, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`exit ${code}: ${err.slice(-500) || out.slice(-500)}`));
      }
    });
  });
}

const ROOT = path.resolve(__dirname, '..');

/** The CLI on the .gz, as a user runs it (its stdout, the JSON report, is counted, not kept). */
const CLI_SCRIPT = `
const t0 = performance.now();
const { main } = require(${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))});
let report = '';
process.stdout.write = (s) => { report += s; return true; };
main(['check', '--format', 'json', '--fail-on', 'never', process.argv[process.argv.length - 1]]).then(() => {
  const ms = performance.now() - t0;
  const files = JSON.parse(report).files;
  const r = { ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, findings: files.reduce((n, f) => n + f.diagnostics.length, 0), cliRecords: files.reduce((n, f) => n + f.records, 0) };
  report = '';
  require('fs').writeSync(1, JSON.stringify(r) + '\\n');
});`;

const READING_SCRIPT = `
const fs = require('fs');
const { gunzipStream } = require(${JSON.stringify(path.join(ROOT, 'server/src/core/envelopes.ts'))});
const { RecordScanner } = require(${JSON.stringify(path.join(ROOT, 'server/src/core/scanner.ts'))});
const { StringDecoder } = require('string_decoder');
const t0 = performance.now();
const decoder = new StringDecoder('utf8');
const scanner = new RecordScanner();
let held = '', base = 0, records = 0, bytes = 0;
// The record scanner finds the records as the text arrives; each is parsed, the text before them dropped.
const take = (s, final) => {
  held += s;
  scanner.scan(held, base, final);
  const spans = scanner.spans;
  for (let k = 0; k < spans.length; k += 3) {
    try { JSON.parse(held.slice(spans[k] - base, spans[k + 1] - base)); } catch {}
    records++;
  }
  spans.length = 0;
  const keep = scanner.needFrom;
  held = held.slice(keep - base);
  base = keep;
};
gunzipStream(fs.createReadStream(process.argv[process.argv.length - 1], { highWaterMark: 1 << 20 }), { maxDecompressedBytes: 1 << 30 }, (p) => { bytes += p.length; take(decoder.write(p), false); }).then((damage) => {
  take(decoder.end(), true);
  console.log(JSON.stringify({ ms: performance.now() - t0, peakRssBytes: process.resourceUsage().maxRSS * 1024, records, bytes, damage: damage ?? null }));
});`;

const BASELINE_SCRIPT = `
const fs = require('fs');
const zlib = require('zlib');
const [file, lengthsFile] = process.argv.slice(-2);
const lengths = JSON.parse(fs.readFileSync(lengthsFile, 'utf8'));
const t0 = performance.now();
const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
let at = 0, records = 0;
for (const n of lengths) { JSON.parse(text.slice(at, at + n)); at += n; records++; }
console.log(JSON.stringify({ ms: performance.now() - t0, peakRssBytes: process.resourceUsage().maxRSS * 1024, records, bytes: Buffer.byteLength(text) }));`;

const DECOMPRESS_SCRIPT = `
const fs = require('fs');
const zlib = require('zlib');
const t0 = performance.now();
const text = zlib.gunzipSync(fs.readFileSync(process.argv[process.argv.length - 1])).toString('utf8');
console.log(JSON.stringify({ ms: performance.now() - t0, peakRssBytes: process.resourceUsage().maxRSS * 1024, chars: text.length }));`;

const ENVELOPE_SCRIPT = `
const fs = require('fs');
const { analyzeText } = require(${JSON.stringify(path.join(ROOT, 'server/src/core/analyze.ts'))});
const file = process.argv[process.argv.length - 1];
const text = fs.readFileSync(file, 'utf8');
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const ours = [], base = [];
let records = 0;
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  const a = analyzeText('file:///bench', text);
  ours.push(performance.now() - t);
  records = a.decoded.dump.records.length;
  t = performance.now();
  for (const r of JSON.parse(text).records) JSON.parse(Buffer.from(r.data, 'base64').toString('utf8'));
  base.push(performance.now() - t);
}
console.log(JSON.stringify({ analyzeTextMs: median(ours), baselineMs: median(base), records }));`;

export async function measureGzip(source: DumpFile, out: string, log: (s: string) => void, timeoutMs: number): Promise<GzipBench> {
  const file = await ensureGzip(source, out);
  const lengthsFile = path.join(out, path.basename(source.path) + '.lengths.json');
  fs.writeFileSync(lengthsFile, JSON.stringify(source.lengths ?? []));
  log(`gzip: ${path.basename(file)} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB compressed)`);
  const baseline = await runNode<ProcessRun & { records: number; bytes: number }>(BASELINE_SCRIPT, [file, lengthsFile], timeoutMs);
  const readingLayer = await runNode<ProcessRun & { records: number }>(READING_SCRIPT, [file], timeoutMs);
  const decompressOnly = await runNode<ProcessRun>(DECOMPRESS_SCRIPT, [file], timeoutMs, false);
  const cli = await runNode<GzipBench['cli']>(CLI_SCRIPT, [file], timeoutMs, false);
  return {
    file: path.basename(file),
    compressedBytes: fs.statSync(file).size,
    decompressedBytes: baseline.bytes,
    records: baseline.records,
    cli,
    readingLayer: { ms: readingLayer.ms, peakRssBytes: readingLayer.peakRssBytes },
    baseline: { ms: baseline.ms, peakRssBytes: baseline.peakRssBytes },
    decompressOnly: { ms: decompressOnly.ms, peakRssBytes: decompressOnly.peakRssBytes },
  };
}

export async function measureEnvelope(source: DumpFile, out: string, log: (s: string) => void, timeoutMs: number): Promise<EnvelopeBench> {
  const file = ensureTransformEvent(source, out);
  log(`envelope: ${path.basename(file)}`);
  const r = await runNode<{ analyzeTextMs: number; baselineMs: number; records: number }>(ENVELOPE_SCRIPT, [file], timeoutMs);
  return { file: path.basename(file), bytes: fs.statSync(file).size, ...r };
}

/** MB/s of decompressed data. */
export function throughput(bytes: number, ms: number): number {
  return bytes / 1048576 / (ms / 1000);
}
