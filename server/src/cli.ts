#!/usr/bin/env node
// connect-inspect: the same analysis as the language server, for CI.
import * as fs from 'fs';
import * as path from 'path';
import { analysisHoldsConnectRecords, analyzeText, countKinds, DecodedView, DocumentAnalysis, FIREHOSE_FIRST_LINE, workspaceDumps } from './core/analyze';
import { DecodeLimits, DEFAULT_MAX_DECOMPRESSED_MB, EnvelopeKind, isGzip } from './core/envelopes';
import { closestContactIds } from './core/explain';
import { explainInDumps, knownContactIds } from './core/explainInput';
import { explanationText } from './core/explainText';
import { idAt } from './core/json';
import { LineIndex } from './core/lineIndex';
import { runWorkspaceRules } from './core/rules';
import { analyzeFileStream, readGzipFile, startsWithGzip, StreamFinding, StreamOptions, StreamSummary } from './core/stream';
import { linkTarget } from './core/streamWindow';
import type { Dump, Finding, RecordKind, RelatedLocation, Severity } from './core/types';
import { formatSarif } from './sarif';

declare const CLI_VERSION: string | undefined;
const VERSION = typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev';

const USAGE = `Usage: connect-inspect check [--format text|json|sarif] [--fail-on error|warning|never] [--max-decompressed-mb N] PATH...
       connect-inspect explain CONTACT_ID [--format text|json] [--max-decompressed-mb N] PATH...

check: checks Amazon Connect agent event and contact record dumps (JSON, JSON array, JSON Lines,
Firehose) and prints findings, also inside envelopes (Kinesis get-records output, Lambda
Kinesis and CloudWatch Logs events, Firehose transformation events and error records,
CloudWatch Logs output) and gzip files. Directories are walked for .json, .jsonl, .ndjson,
.firehose, .gz and extension-less Firehose or gzip files (node_modules and dot-folders are
skipped); walked files that hold no Connect record are listed as skipped.
--max-decompressed-mb caps what one gzip file or payload may decompress to (default ${DEFAULT_MAX_DECOMPRESSED_MB}).

Exit status: 0 nothing at or above --fail-on (default: error), 1 findings at or above it,
2 usage or I/O error.

explain: explains a contact and its chain from the same dumps: how each leg came to be,
where the time went, how each offer to an agent ended, who hung up, and what the dumps do
not tell. Exit status: 0 explained, 1 the contact ID is in none of the dumps (the closest
IDs go to stderr), 2 usage or I/O error.`;

class UsageError extends Error {}

interface Options {
  command?: 'check';
  format: 'text' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'never';
  paths: string[];
  limits: DecodeLimits;
}

function parseArgs(argv: string[]): Options | ExplainOptions | 'help' | 'version' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command === 'explain') return parseExplainArgs(rest);
  if (command !== 'check') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const options: Options = { format: 'text', failOn: 'error', paths: [], limits: { maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024 } };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${v}"`);
      options.format = v;
    } else if (flag === '--fail-on') {
      const v = value();
      if (v !== 'error' && v !== 'warning' && v !== 'never') throw new UsageError(`--fail-on must be error, warning or never, not "${v}"`);
      options.failOn = v;
    } else if (flag === '--max-decompressed-mb') {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--max-decompressed-mb must be a positive number, not "${v}"`);
      options.limits = { maxDecompressedBytes: Math.floor(n * 1024 * 1024) };
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`unknown option "${flag}"`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no PATH given');
  return options;
}

const DUMP_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.firehose', '.gz']);

function looksLikeFirehose(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(512);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    // Firehose names its S3 objects without an extension, gzipped or not.
    return (
      isGzip(buf.subarray(0, n)) ||
      FIREHOSE_FIRST_LINE.test(
        buf
          .subarray(0, n)
          .toString('utf8')
          .replace(/^\ufeff/, ''),
      )
    );
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Files to check: explicit files always; in directories, dump-looking files only. */
function collectFiles(paths: string[]): { file: string; explicit: boolean }[] {
  const out: { file: string; explicit: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile()) {
        const ext = path.extname(entry.name).toLowerCase();
        if (DUMP_EXTENSIONS.has(ext) || (ext === '' && looksLikeFirehose(full))) out.push({ file: full, explicit: false });
      }
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UsageError(`cannot read "${p}": no such file or directory`);
    }
    if (stat.isDirectory()) walk(p);
    else out.push({ file: p, explicit: true });
  }
  return out;
}

/**
 * Files larger than this are streamed (core/stream.ts) rather than read whole: memory stays
 * flat however big the file. Smaller files keep the full analysis, whose cross-record rules
 * see every record of every file at once; the streaming path runs them over windows of
 * records. CONNECT_INSPECT_STREAM_MB overrides the threshold (tests, very small machines).
 */
const STREAM_THRESHOLD_BYTES = (() => {
  const mb = Number(process.env.CONNECT_INSPECT_STREAM_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 64) * 1024 * 1024;
})();

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** A finding with its range already in lines and characters, whichever path found it. */
interface LocatedFinding {
  code: Finding['code'];
  severity: Severity;
  message: string;
  range: Range;
  /** Related locations, in their original order; `range` is absent when their file is not among the results. */
  related?: { uri: string; range?: Range; message: string }[];
}

interface FileResult {
  path: string;
  /** The envelope the records came in, null for a bare dump. */
  envelope: EnvelopeKind | null;
  records: number;
  kinds: Record<RecordKind, number>;
  findings: LocatedFinding[];
}

interface WholeFile {
  path: string;
  dump: Dump;
  findings: Finding[];
  decoded?: DecodedView;
  envelope: EnvelopeKind | null;
}

/** A walked file that holds nothing we read, and why. */
export type SkipReason = 'not JSON' | 'no Connect record' | 'too large' | 'unreadable';

interface Skipped {
  path: string;
  reason: SkipReason;
}

/** Why a walked file is not a dump, or undefined when it is one (explicit files always are). */
function skipReason(a: DocumentAnalysis): SkipReason | undefined {
  if (analysisHoldsConnectRecords(a)) return undefined;
  const parsed = a.dump.records.some((r) => r.value !== undefined);
  return parsed ? 'no Connect record' : 'not JSON';
}

type Read =
  | { text: string; envelope: EnvelopeKind | null; damage?: Finding; tooLarge?: boolean }
  | { stream: true }
  | { streamed: StreamedFile }
  | { skip: SkipReason; error: string };

/**
 * Reads a file whole when it is small enough (gzip decompressed on the way, its damage a
 * finding at the end of what could be read); a bigger one is streamed: a plain file later,
 * a gzip file at once, as it decompresses (`streamOptions`: what the streamed files share).
 */
async function readWhole(file: string, limits: DecodeLimits, streamOptions: () => StreamOptions & { findings: StreamFinding[] }): Promise<Read> {
  let size: number;
  let gzip: boolean;
  try {
    size = fs.statSync(file).size;
    gzip = startsWithGzip(file);
  } catch (e) {
    return { skip: 'unreadable', error: e instanceof Error ? e.message : String(e) };
  }
  if (!gzip) {
    if (size > STREAM_THRESHOLD_BYTES) return { stream: true };
    try {
      return { text: fs.readFileSync(file, 'utf8'), envelope: null };
    } catch (e) {
      return { skip: 'unreadable', error: e instanceof Error ? e.message : String(e) };
    }
  }
  const options = streamOptions();
  // A quarter of the plain threshold: the decompressed bytes are held until the decision, and a
  // streamed .gz must stay in flat memory (peak RSS under 300 MB for a 100 MB Firehose .gz).
  const read = await readGzipFile(file, STREAM_THRESHOLD_BYTES / 4, { ...options, limits });
  if ('summary' in read) return { streamed: { path: file, summary: read.summary, findings: options.findings } };
  const { text, damage } = read;
  if (!damage) return { text, envelope: 'gzip' };
  const at = Math.max(0, text.length - 1);
  return {
    text,
    envelope: 'gzip',
    tooLarge: damage.kind === 'too-large',
    damage: { code: 'envelope-decode', severity: 'error', start: at, end: Math.max(at + 1, text.length), message: damage.message },
  };
}

/** A related location inside another file's decoded records, moved onto that file's encoded value. */
function relatedInOriginal(r: RelatedLocation, views: Map<string, DecodedView>): RelatedLocation {
  const view = views.get(r.uri);
  const e = view?.entryAt(r.start);
  return view && e ? { uri: view.originalUri, start: e.source.start, end: e.source.end, message: `${e.label} → ${r.message}` } : r;
}

interface StreamedFile {
  path: string;
  summary: StreamSummary;
  findings: StreamFinding[];
}

async function check(paths: string[], limits: DecodeLimits): Promise<{ results: FileResult[]; skipped: Skipped[] }> {
  const files = collectFiles(paths);
  const whole: (WholeFile | undefined)[] = [];
  /** Walked files found not to be dumps, by their index in `files`. */
  const skipped = new Map<number, SkipReason>();
  // Contact IDs of the files read whole (filled below; streamed files defer their links to the end anyway).
  const wholeContacts = new Set<string>();
  const streamOptions = (file: string) => () => {
    const findings: StreamFinding[] = [];
    return {
      uri: file,
      limits,
      deferLinks: true,
      isKnownContact: (id: string) => wholeContacts.has(id),
      onFinding: (f: StreamFinding) => findings.push(slim(f)),
      findings,
    };
  };
  const streamed = new Map<number, StreamedFile>();
  for (const { file, explicit } of files) {
    const read = await readWhole(file, limits, streamOptions(file));
    if ('skip' in read) {
      if (explicit) throw new UsageError(`cannot read "${file}": ${read.error}`);
      skipped.set(whole.length, read.skip);
      whole.push(undefined);
      continue;
    }
    if ('stream' in read) {
      whole.push(undefined);
      continue;
    }
    if ('streamed' in read) {
      streamed.set(whole.length, read.streamed);
      whole.push(undefined);
      continue;
    }
    const analysis = analyzeText(file, read.text, undefined, { limits });
    const findings = read.damage ? [...analysis.findings, read.damage] : analysis.findings;
    // A walked file that holds no Connect record (a package.json) is not a dump; a damaged gzip is one.
    // A walked gzip bomb with no Connect record before the limit: too large to read, rather than empty.
    const reason = explicit
      ? undefined
      : read.damage
        ? read.tooLarge && !analysisHoldsConnectRecords(analysis)
          ? 'too large'
          : undefined
        : skipReason(analysis);
    if (reason) {
      skipped.set(whole.length, reason);
      whole.push(undefined);
      continue;
    }
    whole.push({ path: file, dump: analysis.dump, findings, decoded: analysis.decoded, envelope: read.envelope ?? analysis.decoded?.kind ?? null });
  }
  const wholeResults = whole.filter((w): w is WholeFile => w !== undefined);
  const cross = runWorkspaceRules(wholeResults.flatMap((r) => workspaceDumps(r)));
  const views = new Map(wholeResults.flatMap((r) => (r.decoded ? [[r.decoded.dump.uri, r.decoded] as const] : [])));
  for (const r of wholeResults) {
    const decoded = r.decoded;
    const more = [...(cross.get(r.dump.uri) ?? []), ...(decoded ? (cross.get(decoded.dump.uri) ?? []).map((f) => decoded.toOriginal(f)) : [])];
    if (more.length) r.findings = [...r.findings, ...more].sort((a, b) => a.start - b.start || a.end - b.end);
    // Related locations in other files' decoded records point at those files' encoded values.
    if (views.size) r.findings = r.findings.map((f) => (f.related ? { ...f, related: f.related.map((rel) => relatedInOriginal(rel, views)) } : f));
  }

  // Big files, streamed one after the other; links between them and the other files are
  // settled once all are read.
  for (const r of wholeResults) {
    for (const rec of [...r.dump.records, ...(r.decoded?.dump.records ?? [])]) {
      const id = rec.kind === 'contactRecord' ? idAt(rec.value, ['ContactId']) : undefined;
      if (id) wholeContacts.add(id);
    }
  }
  for (const [i, { file, explicit }] of files.entries()) {
    if (whole[i] !== undefined || skipped.has(i) || streamed.has(i)) continue;
    const options = streamOptions(file)();
    let summary: StreamSummary;
    try {
      summary = await analyzeFileStream(file, options);
    } catch (e) {
      if (explicit) throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
      skipped.set(i, 'unreadable');
      continue;
    }
    streamed.set(i, { path: file, summary, findings: options.findings });
  }
  const inStreamed = (id: string) => [...streamed.values()].some((s) => s.summary.hasContact(id));
  for (const s of streamed.values()) {
    for (const p of s.summary.unresolvedLinks) if (!wholeContacts.has(p.target) && !inStreamed(p.target)) s.findings.push(slim(p.finding));
    // Stable: findings at the same place keep the order the analysis gave them.
    s.findings.sort((a, b) => comparePos(a.range.start, b.range.start) || comparePos(a.range.end, b.range.end));
  }
  if (streamed.size > 0) {
    for (const r of wholeResults) {
      r.findings = r.findings.filter((f) => {
        if (f.code !== 'link-missing') return true;
        const target = linkTarget(r.dump, f);
        return target === undefined || !inStreamed(target);
      });
    }
  }

  // Results in the order the files were named or walked.
  const dumpByUri = new Map(wholeResults.map((r) => [r.dump.uri, r.dump]));
  const skippedList: Skipped[] = [];
  const locators = new Map<Dump, (f: { start: number; end: number }) => Range>();
  const rangeIn = (dump: Dump, f: { start: number; end: number }) => {
    let at = locators.get(dump);
    if (!at) locators.set(dump, (at = locator(dump)));
    return at(f);
  };
  const results: FileResult[] = [];
  files.forEach((_, i) => {
    const w = whole[i];
    if (w) {
      results.push({
        path: w.path,
        envelope: w.envelope,
        ...recordCounts(w),
        findings: w.findings.map((f) => ({
          code: f.code,
          severity: f.severity,
          message: f.message,
          range: rangeIn(w.dump, f),
          ...(f.related
            ? {
                related: f.related.map((rel) => {
                  const other = dumpByUri.get(rel.uri);
                  return { uri: rel.uri, range: other ? rangeIn(other, rel) : undefined, message: rel.message };
                }),
              }
            : {}),
        })),
      });
      return;
    }
    const reason = skipped.get(i);
    if (reason) {
      skippedList.push({ path: files[i].file, reason });
      return;
    }
    const s = streamed.get(i);
    if (!s) return;
    const { summary } = s;
    // A walked file that holds no Connect record (a package.json) is not a dump.
    if (
      !files[i].explicit &&
      Object.entries(summary.kinds).every(([kind, n]) => kind === 'unknown' || n === 0) &&
      !s.findings.some((f) => f.code === 'envelope-decode')
    ) {
      skippedList.push({ path: s.path, reason: summary.records === 0 || summary.syntaxFindings >= summary.records ? 'not JSON' : 'no Connect record' });
      return;
    }
    results.push({
      path: s.path,
      envelope: summary.envelope,
      records: summary.records,
      kinds: summary.kinds,
      findings: s.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        range: f.range,
        ...(f.related ? { related: f.related.map((rel) => ({ uri: rel.uri, range: rel.range, message: rel.message })) } : {}),
      })),
    });
  });
  return { results, skipped: skippedList };
}

/** Records of a file read whole: an envelope counts by its decoded records. */
function recordCounts(w: WholeFile): { records: number; kinds: FileResult['kinds'] } {
  const kinds = countKinds(w.dump);
  let records = w.dump.records.length;
  if (w.decoded) {
    const envelopes = w.decoded.envelopeRecords.size;
    kinds.unknown -= envelopes;
    records -= envelopes;
    const inner = countKinds(w.decoded.dump);
    for (const k of Object.keys(kinds) as RecordKind[]) kinds[k] += inner[k];
    records += w.decoded.dump.records.length;
  }
  return { records, kinds };
}

/** What the output needs of a streamed finding (a big dump can have a finding per record). */
function slim(f: StreamFinding): StreamFinding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    range: f.range,
    source: { byte: f.source.byte },
    ...(f.related ? { related: f.related } : {}),
  };
}

function comparePos(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

function locator(dump: Dump): (f: { start: number; end: number }) => Range {
  const index = new LineIndex(dump.text);
  return (f) => ({ start: index.positionAt(f.start), end: index.positionAt(f.end) });
}

function formatText(results: FileResult[], skipped: Skipped[]): string {
  const lines: string[] = [];
  let total = 0;
  for (const r of results) {
    for (const f of r.findings) {
      const { start } = f.range;
      lines.push(`${r.path}:${start.line + 1}:${start.character + 1} ${f.severity} ${f.code} ${f.message}`);
      total++;
    }
  }
  lines.push(`${results.length} file(s), ${results.reduce((n, r) => n + r.records, 0)} record(s), ${total} finding(s)`);
  lines.push(`${skipped.length} file(s) skipped${skipped.length ? `: ${skipSummary(skipped)}` : ''}`);
  return lines.join('\n');
}

/** "2 not JSON, 1 no Connect record". */
function skipSummary(skipped: Skipped[]): string {
  const counts = new Map<SkipReason, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}

function formatJson(results: FileResult[], skipped: Skipped[]): string {
  return JSON.stringify({
    files: results.map((r) => ({
      path: r.path,
      envelope: r.envelope,
      records: r.records,
      kinds: r.kinds,
      diagnostics: r.findings.map((f) => ({ range: f.range, severity: f.severity, code: f.code, message: f.message })),
    })),
    skipped,
  });
}

// ---- explain ----------------------------------------------------------------------------

interface ExplainOptions {
  command: 'explain';
  contactId: string;
  format: 'text' | 'json';
  paths: string[];
  limits: DecodeLimits;
}

function parseExplainArgs(rest: string[]): ExplainOptions {
  const options: ExplainOptions = {
    command: 'explain',
    contactId: '',
    format: 'text',
    paths: [],
    limits: { maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024 },
  };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--format') {
      const v = inline ?? rest[++i];
      if (v !== 'text' && v !== 'json')
        throw new UsageError(v === undefined ? '--format needs a value' : `--format must be text or json for explain, not "${v}"`);
      options.format = v;
    } else if (flag === '--max-decompressed-mb') {
      const v = inline ?? rest[++i];
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n <= 0) throw new UsageError(`--max-decompressed-mb must be a positive number, not "${v ?? ''}"`);
      options.limits = { maxDecompressedBytes: Math.floor(n * 1024 * 1024) };
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`unknown option "${flag}" for explain`);
    } else {
      positional.push(arg);
    }
  }
  const [contactId, ...paths] = positional;
  if (!contactId || contactId.trim() === '') throw new UsageError('explain needs a CONTACT_ID');
  if (paths.length === 0) throw new UsageError('no PATH given');
  options.contactId = contactId.trim();
  options.paths = paths;
  return options;
}

/**
 * Every dump of the paths read whole, envelopes decoded (explain needs every record of the
 * contact's chain at once); a gzip file too big to hold is named on stderr and left out.
 */
async function readDumps(paths: string[], limits: DecodeLimits): Promise<Dump[]> {
  const dumps: Dump[] = [];
  const noStream = () => ({ uri: '', limits, onFinding: () => undefined, findings: [] as StreamFinding[] });
  for (const { file, explicit } of collectFiles(paths)) {
    let read = await readWhole(file, limits, noStream);
    if ('skip' in read) {
      if (explicit) throw new UsageError(`cannot read "${file}": ${read.error}`);
      continue;
    }
    if ('streamed' in read) {
      process.stderr.write(`connect-inspect: ${file} decompresses to more than explain holds in memory; it is not read.\n`);
      continue;
    }
    if ('stream' in read) {
      try {
        read = { text: fs.readFileSync(file, 'utf8'), envelope: null };
      } catch (e) {
        if (explicit) throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
    }
    const analysis = analyzeText(file, read.text, undefined, { limits });
    if (!explicit && !analysisHoldsConnectRecords(analysis)) continue;
    dumps.push(...workspaceDumps(analysis));
  }
  return dumps;
}

async function explain(options: ExplainOptions): Promise<number> {
  const dumps = await readDumps(options.paths, options.limits);
  const result = explainInDumps(options.contactId, dumps);
  if (!result) {
    const closest = closestContactIds(options.contactId, knownContactIds(dumps));
    process.stderr.write(
      `connect-inspect: contact ${options.contactId} is in none of the dumps (${dumps.length} file(s) read).\n` +
        (closest.length ? `Closest contact IDs:\n${closest.map((id) => `  ${id}`).join('\n')}\n` : 'The dumps hold no contact ID.\n'),
    );
    return 1;
  }
  const out = options.format === 'json' ? JSON.stringify(result.explanation, null, 2) : explanationText(result.explanation, result.refs);
  process.stdout.write(out + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (options === 'version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    if (options.command === 'explain') return await explain(options);
    const { results, skipped } = await check(options.paths, options.limits);
    const out =
      options.format === 'json' ? formatJson(results, skipped) : options.format === 'sarif' ? formatSarif(results, VERSION) : formatText(results, skipped);
    process.stdout.write(out + '\n');
    if (options.failOn === 'never') return 0;
    const threshold = RANK[options.failOn];
    return results.some((r) => r.findings.some((f) => RANK[f.severity] >= threshold)) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`connect-inspect: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`connect-inspect: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module)
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
