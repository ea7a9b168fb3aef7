#!/usr/bin/env node
// connect-inspect: the same analysis as the language server, for CI.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText, countKinds, FIREHOSE_FIRST_LINE, holdsConnectRecords } from './core/analyze';
import { LineIndex } from './core/lineIndex';
import { runWorkspaceRules } from './core/rules';
import type { Dump, Finding, Severity } from './core/types';
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

interface FileResult {
  path: string;
  dump: Dump;
  findings: Finding[];
}

function check(paths: string[]): FileResult[] {
  const results: FileResult[] = [];
  for (const { file, explicit } of collectFiles(paths)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
    }
    const { dump, findings } = analyzeText(file, text);
    // A walked .json that holds no Connect record (a package.json) is not a dump.
    if (!explicit && path.extname(file) === '.json' && !holdsConnectRecords(dump) && dump.syntaxFindings.length === 0) continue;
    results.push({ path: file, dump, findings });
  }
  const cross = runWorkspaceRules(results.map((r) => r.dump));
  for (const r of results) {
    const more = cross.get(r.dump.uri);
    if (more) r.findings = [...r.findings, ...more].sort((a, b) => a.start - b.start || a.end - b.end);
  }
  return results;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

interface Located {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function locator(dump: Dump): (f: { start: number; end: number }) => Located['range'] {
  const index = new LineIndex(dump.text);
  return (f) => ({ start: index.positionAt(f.start), end: index.positionAt(f.end) });
}

function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  let total = 0;
  for (const r of results) {
    const at = locator(r.dump);
    for (const f of r.findings) {
      const { start } = at(f);
      lines.push(`${r.path}:${start.line + 1}:${start.character + 1} ${f.severity} ${f.code} ${f.message}`);
      total++;
    }
  }
  lines.push(`${results.length} file(s), ${results.reduce((n, r) => n + r.dump.records.length, 0)} record(s), ${total} finding(s)`);
  return lines.join('\n');
}

function formatJson(results: FileResult[]): string {
  return JSON.stringify({
    files: results.map((r) => {
      const at = locator(r.dump);
      return {
        path: r.path, records: r.dump.records.length, kinds: countKinds(r.dump),
        diagnostics: r.findings.map((f) => ({ range: at(f), severity: f.severity, code: f.code, message: f.message })),
      };
    }),
  });
}

function formatSarif(results: FileResult[]): string {
  const codes = [...new Set(results.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const region = (range: Located['range']) => ({
    startLine: range.start.line + 1, startColumn: range.start.character + 1,
    endLine: range.end.line + 1, endColumn: range.end.character + 1,
  });
  const uriOf = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/');
  const dumpByUri = new Map(results.map((r) => [r.dump.uri, r.dump]));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'connect-inspect', version: VERSION, informationUri: 'https://github.com/connect-event-inspector/connect-event-inspector',
        rules: codes.map((id) => ({ id, name: id, helpUri: findingHelpUrl(id), shortDescription: { text: id } })),
      } },
      columnKind: 'utf16CodeUnits',
      results: results.flatMap((r) => {
        const at = locator(r.dump);
        return r.findings.map((f) => ({
          ruleId: f.code, ruleIndex: codes.indexOf(f.code), level: level(f.severity), message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(r.path) }, region: region(at(f)) } }],
          ...(f.related?.length ? {
            relatedLocations: f.related.flatMap((rel, i) => {
              const other = dumpByUri.get(rel.uri);
              return other ? [{ id: i, message: { text: rel.message }, physicalLocation: { artifactLocation: { uri: uriOf(rel.uri) }, region: region(locator(other)(rel)) } }] : [];
            }),
          } : {}),
        }));
      }),
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
