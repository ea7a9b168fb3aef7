#!/usr/bin/env node
// connect-inspect: the same analysis as the language server, for CI.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText, countKinds, FIREHOSE_FIRST_LINE, holdsConnectRecords } from './core/analyze';
import { idAt } from './core/json';
import { LineIndex } from './core/lineIndex';
import { runWorkspaceRules } from './core/rules';
import { analyzeFileSync, StreamFinding, StreamSummary } from './core/stream';
import type { Dump, Finding, RecordKind, Severity } from './core/types';
import { findingHelpUrl } from './shared/protocol';

declare const CLI_VERSION: string | undefined;
const VERSION = typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev';

const USAGE = `Usage: connect-inspect check [--format text|json|sarif] [--fail-on error|warning|never] PATH...

Checks Amazon Connect agent event and contact record dumps (JSON, JSON array, JSON Lines,
Firehose) and prints findings. Directories are walked for .json, .jsonl, .ndjson, .firehose and
extension-less Firehose files (node_modules and dot-folders are skipped).

Exit status: 0 nothing at or above --fail-on (default: error), 1 findings at or above it,
2 usage or I/O error.`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'never';
  paths: string[];
}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'check') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const options: Options = { format: 'text', failOn: 'error', paths: [] };
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
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`unknown option "${flag}"`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no PATH given');
  return options;
}

const DUMP_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.firehose']);

function looksLikeFirehose(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(512);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return FIREHOSE_FIRST_LINE.test(buf.subarray(0, n).toString('utf8').replace(/^\ufeff/, ''));
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
  records: number;
  kinds: Record<RecordKind, number>;
  findings: LocatedFinding[];
}

interface WholeFile {
  path: string;
  dump: Dump;
  findings: Finding[];
}

interface StreamedFile {
  path: string;
  summary: StreamSummary;
  findings: StreamFinding[];
}

/** The ContactId a `link-missing` finding names (the finding sits on the link's value). */
function linkTarget(dump: Dump, f: Finding): string | undefined {
  try {
    const v: unknown = JSON.parse(dump.text.slice(f.start, f.end));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function check(paths: string[]): FileResult[] {
  const files = collectFiles(paths);
  const whole: (WholeFile | undefined)[] = [];
  /** Files read whole and found not to be dumps. */
  const skipped = new Set<number>();
  for (const { file, explicit } of files) {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (e) {
      throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (size > STREAM_THRESHOLD_BYTES) { whole.push(undefined); continue; }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
    }
    const { dump, findings } = analyzeText(file, text);
    // A walked .json that holds no Connect record (a package.json) is not a dump.
    if (!explicit && path.extname(file) === '.json' && !holdsConnectRecords(dump) && dump.syntaxFindings.length === 0) {
      skipped.add(whole.length);
      whole.push(undefined);
      continue;
    }
    whole.push({ path: file, dump, findings });
  }
  const wholeResults = whole.filter((w): w is WholeFile => w !== undefined);
  const cross = runWorkspaceRules(wholeResults.map((r) => r.dump));
  for (const r of wholeResults) {
    const more = cross.get(r.dump.uri);
    if (more) r.findings = [...r.findings, ...more].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  // Big files, streamed one after the other; links between them and the other files are
  // settled once all are read.
  const wholeContacts = new Set<string>();
  for (const r of wholeResults) {
    for (const rec of r.dump.records) {
      const id = rec.kind === 'contactRecord' ? idAt(rec.value, ['ContactId']) : undefined;
      if (id) wholeContacts.add(id);
    }
  }
  const streamed = new Map<number, StreamedFile>();
  files.forEach(({ file }, i) => {
    if (whole[i] !== undefined || skipped.has(i)) return;
    const findings: StreamFinding[] = [];
    let summary: StreamSummary;
    try {
      summary = analyzeFileSync(file, { uri: file, deferLinks: true, isKnownContact: (id) => wholeContacts.has(id), onFinding: (f) => findings.push(slim(f)) });
    } catch (e) {
      throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
    }
    streamed.set(i, { path: file, summary, findings });
  });
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
        path: w.path, records: w.dump.records.length, kinds: countKinds(w.dump),
        findings: w.findings.map((f) => ({
          code: f.code, severity: f.severity, message: f.message, range: rangeIn(w.dump, f),
          ...(f.related ? { related: f.related.map((rel) => {
            const other = dumpByUri.get(rel.uri);
            return { uri: rel.uri, range: other ? rangeIn(other, rel) : undefined, message: rel.message };
          }) } : {}),
        })),
      });
      return;
    }
    const s = streamed.get(i);
    if (!s) return;
    const { summary } = s;
    // A walked .json that holds no Connect record (a package.json) is not a dump.
    if (!files[i].explicit && path.extname(s.path) === '.json' && Object.entries(summary.kinds).every(([kind, n]) => kind === 'unknown' || n === 0) && summary.syntaxFindings === 0) return;
    results.push({
      path: s.path, records: summary.records, kinds: summary.kinds,
      findings: s.findings.map((f) => ({
        code: f.code, severity: f.severity, message: f.message, range: f.range,
        ...(f.related ? { related: f.related.map((rel) => ({ uri: rel.uri, range: rel.range, message: rel.message })) } : {}),
      })),
    });
  });
  return results;
}

/** What the output needs of a streamed finding (a big dump can have a finding per record). */
function slim(f: StreamFinding): StreamFinding {
  return { code: f.code, severity: f.severity, message: f.message, range: f.range, source: { byte: f.source.byte }, ...(f.related ? { related: f.related } : {}) };
}

function comparePos(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

function locator(dump: Dump): (f: { start: number; end: number }) => Range {
  const index = new LineIndex(dump.text);
  return (f) => ({ start: index.positionAt(f.start), end: index.positionAt(f.end) });
}

function formatText(results: FileResult[]): string {
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
  return lines.join('\n');
}

function formatJson(results: FileResult[]): string {
  return JSON.stringify({
    files: results.map((r) => ({
      path: r.path, records: r.records, kinds: r.kinds,
      diagnostics: r.findings.map((f) => ({ range: f.range, severity: f.severity, code: f.code, message: f.message })),
    })),
  });
}

function formatSarif(results: FileResult[]): string {
  const codes = [...new Set(results.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const region = (range: Range) => ({
    startLine: range.start.line + 1, startColumn: range.start.character + 1,
    endLine: range.end.line + 1, endColumn: range.end.character + 1,
  });
  const uriOf = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/');
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'connect-inspect', version: VERSION, informationUri: 'https://github.com/connect-event-inspector/connect-event-inspector',
        rules: codes.map((id) => ({ id, name: id, helpUri: findingHelpUrl(id), shortDescription: { text: id } })),
      } },
      columnKind: 'utf16CodeUnits',
      results: results.flatMap((r) => r.findings.map((f) => ({
        ruleId: f.code, ruleIndex: codes.indexOf(f.code), level: level(f.severity), message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(r.path) }, region: region(f.range) } }],
        ...(f.related?.length ? {
          relatedLocations: f.related.flatMap((rel, i) => rel.range
            ? [{ id: i, message: { text: rel.message }, physicalLocation: { artifactLocation: { uri: uriOf(rel.uri) }, region: region(rel.range) } }]
            : []),
        } : {}),
      }))),
    }],
  }, null, 2);
}

export function main(argv: string[]): number {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
    if (options === 'help') { process.stdout.write(USAGE + '\n'); return 0; }
    if (options === 'version') { process.stdout.write(VERSION + '\n'); return 0; }
    const results = check(options.paths);
    const out = options.format === 'json' ? formatJson(results) : options.format === 'sarif' ? formatSarif(results) : formatText(results);
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

if (require.main === module) process.exitCode = main(process.argv.slice(2));
