// `npm run bench`: the full analysis beside JSON.parse of the same bytes and beside VS Code's
// JSON language service, the language server over stdio, the workspace index and the
// extension's own figures, measured in one run; prints a table and writes bench/results.json.
//
//   node --import tsx bench/run.ts [--quick] [--profile] [--faults 0.001] [--sizes 1,10,100]
//        [--only analysis,jsonls,lsp,index,servers,extension,envelopes] [--update-readme]
//        [--servers open,hover,cli] [--no-vscode] [--vscode-48]
//
// Each engine runs in a fresh worker process (bench/worker.ts); the language server runs as
// `node dist/server.js --stdio`, as an editor would start it. Nothing here asserts a timing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvelopeBench, GzipBench, measureEnvelope, measureGzip, throughput } from './envelopes';
import { dumpName, ensureDumps, ensureWorkspace, Form, FORMS, GenerateOptions, MB, Rng, WorkspaceManifest } from './generate';
import { BenchLspClient } from './lspClient';
import { measureServers, ServersResult } from './servers';
import { kb, lineIndex, mb, median, ms, quantile, ratio, table } from './stats';
import type { AnalysisResult, JsonLsResult, ProfileResult } from './worker';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(__dirname, 'out');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const FULL_PARTS = 'analysis,jsonls,lsp,index,servers,extension,envelopes';
// A run of only some parts must not overwrite the last complete results.
const resultsFile = (only: Set<string>) =>
  [...only].sort().join(',') === FULL_PARTS.split(',').sort().join(',') ? path.join(__dirname, 'results.json') : path.join(OUT, 'results-partial.json');
const README = path.join(__dirname, 'README.md');

interface Options {
  quick: boolean;
  profile: boolean;
  updateReadme: boolean;
  vscode48: boolean;
  noVscode: boolean;
  serverGroups: Set<string>;
  sizes: number[];
  faults: number;
  only: Set<string>;
  iterations: Record<number, number>;
  edits: number;
  hovers: number;
  workerTimeoutMs: number;
  budgetMs: number;
}

function parseOptions(argv: string[]): Options {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const sizes = (arg('sizes') ?? (quick ? '1,10' : '1,10,100'))
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const only = new Set((arg('only') ?? FULL_PARTS).split(','));
  return {
    quick,
    profile: argv.includes('--profile'),
    updateReadme: argv.includes('--update-readme'),
    vscode48: argv.includes('--vscode-48'),
    sizes,
    noVscode: argv.includes('--no-vscode'),
    serverGroups: new Set((arg('servers') ?? 'open,hover,cli').split(',')),
    faults: Number(arg('faults') ?? 0),
    only,
    iterations: quick ? { 1: 5, 10: 3, 100: 1 } : { 1: 9, 10: 5, 100: 3 },
    edits: quick ? 16 : 30,
    hovers: quick ? 40 : 120,
    workerTimeoutMs: quick ? 90_000 : 20 * 60_000,
    budgetMs: quick ? 15_000 : 180_000,
  };
}

const log = (s: string) => process.stderr.write(s + '\n');

// ---------------------------------------------------------------------------------------------
// Workers

type WorkerOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

function runWorker<T>(task: string, args: string[], timeoutMs: number): Promise<WorkerOutcome<T>> {
  const resultFile = path.join(OUT, `worker-${process.pid}-${Date.now()}.json`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192', path.join(__dirname, 'worker.ts'), task, resultFile, ...args],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && fs.existsSync(resultFile)) {
        const value = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T;
        fs.rmSync(resultFile, { force: true });
        resolve({ ok: true, value });
      } else if (signal === 'SIGKILL') {
        resolve({ ok: false, reason: `timed out after ${ms(timeoutMs)}` });
      } else {
        const last = stderr
          .trim()
          .split('\n')
          .filter((l) => l.trim())
          .slice(-3)
          .join(' | ');
        resolve({ ok: false, reason: `worker failed (${signal ?? `exit ${code}`}): ${last.slice(0, 300)}` });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Analysis and the JSON language service

interface AnalysisRow {
  size: number;
  form: Form;
  result?: AnalysisResult;
  error?: string;
}
interface JsonLsRow {
  size: number;
  result?: JsonLsResult;
  error?: string;
}

async function measureAnalysis(opts: Options): Promise<AnalysisRow[]> {
  const rows: AnalysisRow[] = [];
  for (const size of opts.sizes) {
    for (const form of FORMS) {
      const file = path.join(OUT, dumpName(size, form, opts.faults));
      const warm = path.join(OUT, dumpName(1, form, opts.faults));
      log(`analysis: ${path.basename(file)}`);
      const r = await runWorker<AnalysisResult>('analysis', [file, String(opts.iterations[size] ?? 3), warm, String(opts.budgetMs)], opts.workerTimeoutMs);
      rows.push(r.ok ? { size, form, result: r.value } : { size, form, error: r.reason });
    }
  }
  return rows;
}

async function measureJsonLs(opts: Options): Promise<JsonLsRow[]> {
  const rows: JsonLsRow[] = [];
  for (const size of opts.sizes) {
    const file = path.join(OUT, dumpName(size, 'array', opts.faults));
    log(`json language service: ${path.basename(file)}`);
    const r = await runWorker<JsonLsResult>(
      'jsonls',
      [file, String(Math.max(1, Math.min(3, opts.iterations[size] ?? 3))), path.join(OUT, dumpName(1, 'array', opts.faults)), String(opts.budgetMs)],
      opts.workerTimeoutMs,
    );
    rows.push(r.ok ? { size, result: r.value } : { size, error: r.reason });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The language server

interface LatencySet {
  samples: number[];
  median: number;
  p95: number;
}
const latencies = (samples: number[]): LatencySet => ({ samples, median: median(samples), p95: quantile(samples, 0.95) });

interface LspDumpResult {
  form: Form;
  file: string;
  bytes: number;
  openToDiagnosticsMs: number;
  openDiagnostics: number;
  edits: LatencySet;
  /** Edit latency minus the measured debounce: the server's own work per edit. */
  editServer: LatencySet;
  hover: LatencySet & { answered: number; requested: number };
  definition?: LatencySet & { answered: number; requested: number };
  definitionNa?: string;
  idleRssBytes: number;
  peakRssBytes: number;
}

interface LspResults {
  serverStartMs?: LatencySet;
  debounce?: { tinyOpenMs: number; tinyEditMs: number; debounceMs: number };
  capabilities?: string[];
  dumps: LspDumpResult[];
  errors: string[];
}

/** Offsets just inside the string values of `key`, spread evenly over the text. */
function valueOffsets(text: string, key: string, count: number, filter?: (value: string) => boolean): number[] {
  const re = new RegExp(`"${key}":\\s?"([^"]*)"`, 'g');
  const all: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) if (!filter || filter(m[1])) all.push(m.index + m[0].length - m[1].length - 1);
  if (all.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(all[Math.floor(((i + 0.5) / count) * all.length)]);
  return out;
}

/** Fisher-Yates with the bench's seeded PRNG: requests hop around the dump, the same way each run. */
function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function startServer(rootUri: string | null = null): Promise<{ client: BenchLspClient; startMs: number; capabilities: Record<string, unknown> }> {
  const client = new BenchLspClient(SERVER);
  const init = await client.initialize(rootUri);
  return { client, startMs: performance.now() - client.spawnedAt, capabilities: init.capabilities };
}

async function measureLsp(opts: Options, dumps: Record<Form, string>): Promise<LspResults> {
  const results: LspResults = { dumps: [], errors: [] };
  if (!fs.existsSync(SERVER)) {
    results.errors.push(`n/a: ${path.relative(ROOT, SERVER)} is missing (run npm run build)`);
    return results;
  }
  // Server start: spawn to the initialize response.
  const starts: number[] = [];
  for (let i = 0; i < (opts.quick ? 3 : 7); i++) {
    const { client, startMs, capabilities } = await startServer();
    starts.push(startMs);
    results.capabilities = Object.keys(capabilities).filter((k) => capabilities[k]);
    await client.shutdown();
  }
  results.serverStartMs = latencies(starts);
  log(`lsp: server start median ${ms(results.serverStartMs.median)}`);

  // The debounce, measured: a one-record document's edit latency minus its open latency.
  {
    const { client } = await startServer();
    const tiny = fs.readFileSync(dumps.jsonl, 'utf8').split('\n')[0] + '\n';
    const opens: number[] = [];
    const edits: number[] = [];
    let version = 1;
    for (let i = 0; i < 5; i++) {
      const other = `file:///bench/tiny-${i}.jsonl`;
      const wait = client.waitForPublish(other, () => true);
      const t = performance.now();
      client.notify('textDocument/didOpen', { textDocument: { uri: other, languageId: 'jsonl', version, text: tiny } });
      opens.push((await wait).at - t);
      client.notify('textDocument/didClose', { textDocument: { uri: other } });
    }
    await new Promise((r) => setTimeout(r, 300));
    const uri = 'file:///bench/tiny.jsonl';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonl', version, text: tiny } });
    await client.waitForPublish(uri, (p) => p.version === version);
    const at = tiny.indexOf('"Username":"') + '"Username":"'.length + 1;
    for (let i = 0; i < 10; i++) {
      version++;
      const change =
        i % 2 === 0
          ? { range: { start: { line: 0, character: at }, end: { line: 0, character: at } }, text: 'x' }
          : { range: { start: { line: 0, character: at }, end: { line: 0, character: at + 1 } }, text: '' };
      const v = version;
      const wait = client.waitForPublish(uri, (p) => p.version === v);
      const t = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      edits.push((await wait).at - t);
    }
    await client.shutdown();
    results.debounce = { tinyOpenMs: median(opens), tinyEditMs: median(edits), debounceMs: median(edits) - median(opens) };
    log(`lsp: debounce ${ms(results.debounce.debounceMs)} (tiny edit ${ms(results.debounce.tinyEditMs)}, tiny open ${ms(results.debounce.tinyOpenMs)})`);
  }

  for (const form of ['jsonl', 'array'] as const) {
    try {
      results.dumps.push(await measureLspDump(opts, form, dumps[form], results.debounce.debounceMs));
    } catch (e) {
      results.errors.push(`${form}: ${e instanceof Error ? e.message.slice(0, 500) : String(e)}`);
    }
  }
  return results;
}

async function measureLspDump(opts: Options, form: Form, file: string, debounceMs: number): Promise<LspDumpResult> {
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const languageId = form === 'jsonl' ? 'jsonl' : form === 'array' ? 'json' : 'connect-firehose';
  const pos = lineIndex(text);
  const { client, capabilities } = await startServer();
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idleRssBytes = client.memory()?.rssBytes ?? Number.NaN;
    log(`lsp: open ${path.basename(file)}`);
    let version = 1;
    const opened = client.waitForPublish(uri, (p) => p.version === version);
    const t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    const first = await opened;
    const openToDiagnosticsMs = first.at - t0;

    // One-character edits inside Username values, each undone by the next; wait for each publish.
    const editAt = valueOffsets(text, 'Username', Math.ceil(opts.edits / 2)).map((o) => o + 1);
    const edits: number[] = [];
    for (let i = 0; i < opts.edits && editAt.length; i++) {
      const p = pos(editAt[Math.floor(i / 2) % editAt.length]);
      const change =
        i % 2 === 0 ? { range: { start: p, end: p }, text: 'x' } : { range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: '' };
      version++;
      const v = version;
      const wait = client.waitForPublish(uri, (pub) => pub.version === v);
      const t = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      edits.push((await wait).at - t);
    }
    // After an even number of edits the text is the original again.
    log(`lsp: ${edits.length} edits, p95 ${ms(quantile(edits, 0.95))}`);

    // Hover on contact states and contact IDs, spread over the dump (most records cold).
    const rng = new Rng(7);
    const hoverAt = shuffle(
      [...valueOffsets(text, 'State', Math.ceil(opts.hovers / 2)), ...valueOffsets(text, 'ContactId', Math.floor(opts.hovers / 2))].map((o) => o + 2),
      rng,
    );
    const hovers: number[] = [];
    let answered = 0;
    for (const o of hoverAt) {
      const t = performance.now();
      const h = await client.request('textDocument/hover', { textDocument: { uri }, position: pos(o) });
      hovers.push(performance.now() - t);
      if (h) answered++;
    }

    let definition: LspDumpResult['definition'];
    let definitionNa: string | undefined;
    if (capabilities.definitionProvider) {
      // Contact IDs that point elsewhere: agent events' contacts, and chain links in contact records.
      const defAt = shuffle(
        [...valueOffsets(text, 'ContactId', Math.ceil(opts.hovers / 2)), ...valueOffsets(text, 'PreviousContactId', Math.floor(opts.hovers / 2))].map(
          (o) => o + 2,
        ),
        rng,
      );
      const defs: number[] = [];
      let found = 0;
      for (const o of defAt) {
        const t = performance.now();
        const d = await client.request('textDocument/definition', { textDocument: { uri }, position: pos(o) });
        defs.push(performance.now() - t);
        if (d && (!Array.isArray(d) || d.length > 0)) found++;
      }
      definition = { ...latencies(defs), answered: found, requested: defAt.length };
    } else {
      definitionNa = 'n/a: the server does not advertise definitionProvider';
    }
    const peakRssBytes = client.memory()?.peakBytes ?? Number.NaN;
    const editLat = latencies(edits);
    return {
      form,
      file,
      bytes: Buffer.byteLength(text),
      openToDiagnosticsMs,
      openDiagnostics: first.diagnostics.length,
      edits: editLat,
      editServer: latencies(edits.map((e) => Math.max(0, e - debounceMs))),
      hover: { ...latencies(hovers), answered, requested: hoverAt.length },
      definition,
      definitionNa,
      idleRssBytes,
      peakRssBytes,
    };
  } finally {
    await client.shutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// Workspace index

interface IndexResult {
  na?: string;
  files?: number;
  bytes?: number;
  timeMs?: number;
  how?: string;
  peakRssBytes?: number;
  idleRssBytes?: number;
  resolved?: string;
  summary?: string;
}

const INDEX_MODULE = path.join(ROOT, 'server', 'src', 'lsp', 'workspaceIndex.ts');

/**
 * Starts the server on a workspace of dumps that are not open and waits for the index to say
 * it is done: a work-done progress `end`, or a custom notification whose method mentions
 * "index". Then checks it resolved something: a definition on a contact ID opened from a
 * document that holds only that ID.
 */
async function measureIndex(opts: Options, ws: WorkspaceManifest): Promise<IndexResult> {
  if (!fs.existsSync(INDEX_MODULE)) return { na: `n/a: ${path.relative(ROOT, INDEX_MODULE)} is not present yet` };
  if (!fs.existsSync(SERVER)) return { na: 'n/a: dist/server.js is missing (run npm run build)' };
  const client = new BenchLspClient(SERVER);
  try {
    const done = new Promise<{ at: number; how: string }>((resolve) => {
      client.on('$/progress', (p, at) => {
        if (p?.value?.kind === 'end') resolve({ at, how: `$/progress end (${String(p.token)})` });
      });
    });
    const custom = new Promise<{ at: number; how: string }>((resolve) => {
      // Any notification about the index that says it finished.
      const methods = ['connectInspector/indexStatus', 'connectInspector/index', 'connectInspector/workspaceIndex', 'connectInspector/indexed'];
      for (const m of methods)
        client.on(m, (p, at) => {
          if (!p || p.done || p.state === 'done' || p.kind === 'end' || p.indexing === false) resolve({ at, how: m });
        });
    });
    // The index's own summary line, when it logs one (dumps, records, skipped files, its own ms).
    let summary: string | undefined;
    client.on('window/logMessage', (p) => {
      if (typeof p?.message === 'string' && /^Workspace index: \d+ dumps/.test(p.message)) summary = p.message;
    });
    const rootUri = pathToFileURL(ws.root).href;
    await new Promise((r) => setTimeout(r, 200));
    const idleRssBytes = client.memory()?.rssBytes;
    const t0 = performance.now();
    await client.initialize(rootUri);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), opts.workerTimeoutMs);
    });
    const end = await Promise.race([done, custom, timeout]);
    clearTimeout(timer);
    if (!end) return { na: `n/a: no index-done signal ($/progress end or connectInspector/index* notification) within ${ms(opts.workerTimeoutMs)}` };
    await new Promise((r) => setTimeout(r, 200));
    const result: IndexResult = {
      files: ws.files.length,
      bytes: ws.bytes,
      timeMs: end.at - t0,
      how: end.how,
      idleRssBytes,
      peakRssBytes: client.memory()?.peakBytes,
      summary,
    };
    // Does a contact from a file on disk resolve? Open a one-line document naming it.
    const ctrFile = ws.files.find((f) => f.path.includes(`${path.sep}ctr${path.sep}`));
    const contactId = ctrFile && /"ContactId":\s?"([^"]+)"/.exec(fs.readFileSync(ctrFile.path, 'utf8'))?.[1];
    if (contactId) {
      const uri = 'file:///bench/probe.jsonl';
      const probe = `{"AWSAccountId":"123456789012","AWSContactTraceRecordFormatVersion":"2017-03-10","Channel":"VOICE","ContactId":"00000000-0000-4000-8000-000000000000","InitiationMethod":"TRANSFER","InitiationTimestamp":"2024-03-12T08:00:00Z","InstanceARN":"arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-000000000000","LastUpdateTimestamp":"2024-03-12T08:00:00Z","PreviousContactId":"${contactId}"}\n`;
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonl', version: 1, text: probe } });
      await client.waitForPublish(uri, () => true, 30000).catch(() => undefined);
      const at = probe.indexOf(contactId) + 2;
      const def = await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: at } }).catch((e: Error) => e);
      result.resolved =
        def instanceof Error
          ? `definition failed: ${def.message}`
          : def && (!Array.isArray(def) || def.length)
            ? 'a contact on disk resolves (definition)'
            : 'definition on a contact on disk returned nothing';
    }
    return result;
  } finally {
    await client.shutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// The extension itself

interface ExtensionResult {
  bundles: { file: string; bytes: number; productionBytes?: number }[];
  vsix?: { file: string; bytes: number };
  vsixNa?: string;
  extensionLoadMs?: number;
  extensionLoadNa?: string;
  activation: string;
}

async function measureExtension(): Promise<ExtensionResult> {
  const dist = path.join(ROOT, 'dist');
  const bundles: ExtensionResult['bundles'] = fs.existsSync(dist)
    ? fs
        .readdirSync(dist)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => ({ file: `dist/${f}`, bytes: fs.statSync(path.join(dist, f)).size }))
    : [];
  // What the .vsix ships (minified, no source maps), built aside so dist/ stays as it is.
  try {
    const esbuild = await import('esbuild');
    const prod = path.join(OUT, 'prod');
    const node = {
      bundle: true,
      minify: true,
      sourcemap: false,
      logLevel: 'silent' as const,
      platform: 'node' as const,
      format: 'cjs' as const,
      target: 'node20',
    };
    const entries: [string, string, object][] = [
      ['client/src/extension.ts', 'extension.js', { ...node, external: ['vscode'] }],
      ['server/src/server.ts', 'server.js', node],
      ['server/src/cli.ts', 'cli.js', { ...node, define: { CLI_VERSION: '"bench"' } }],
      [
        'client/src/webview/main.ts',
        'webview.js',
        { bundle: true, minify: true, sourcemap: false, logLevel: 'silent', platform: 'browser', format: 'iife', target: 'es2022' },
      ],
    ];
    for (const [entry, out, options] of entries) {
      if (!fs.existsSync(path.join(ROOT, entry))) continue;
      await esbuild.build({ ...options, entryPoints: [path.join(ROOT, entry)], outfile: path.join(prod, out) });
      const bytes = fs.statSync(path.join(prod, out)).size;
      const row = bundles.find((b) => b.file === `dist/${out}`);
      if (row) row.productionBytes = bytes;
      else bundles.push({ file: `dist/${out}`, bytes: Number.NaN, productionBytes: bytes });
    }
  } catch (e) {
    log(`extension: production build failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const vsixPath = path.join(ROOT, 'connect-event-inspector.vsix');
  const result: ExtensionResult = {
    bundles,
    activation: 'n/a here: activation needs VS Code; it is measured by the e2e run (test/e2e)',
  };
  if (fs.existsSync(vsixPath)) result.vsix = { file: 'connect-event-inspector.vsix', bytes: fs.statSync(vsixPath).size };
  else result.vsixNa = 'n/a: connect-event-inspector.vsix not built (npm run package)';
  // Loading dist/extension.js with a stand-in `vscode` module: the part of activation that is
  // evaluating our bundle (activate() itself needs VS Code).
  const ext = path.join(dist, 'extension.js');
  if (fs.existsSync(ext)) {
    const script = `
      const Module = require('module');
      // Every property, call and construction gives the stand-in back; the prototype answers too,
      // because bundlers copy a CommonJS module's properties onto an object inheriting from it.
      const get = (t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'then' ? undefined : stub);
      const proto = new Proxy({}, { get });
      const stub = new Proxy(function () {}, { get, apply: () => stub, construct: () => stub, getPrototypeOf: () => proto });
      const load = Module._load;
      Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
      const t = performance.now();
      require(${JSON.stringify(ext)});
      process.stdout.write(String(performance.now() - t));`;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let s = '';
        child.stdout.on('data', (c: Buffer) => {
          s += c.toString();
        });
        child.on('exit', () => resolve(s));
      });
      const t = Number(out);
      if (Number.isFinite(t) && out !== '') times.push(t);
    }
    if (times.length) result.extensionLoadMs = median(times);
    else result.extensionLoadNa = 'n/a: dist/extension.js did not load outside VS Code';
  } else {
    result.extensionLoadNa = 'n/a: dist/extension.js is missing (run npm run build)';
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

interface Target {
  what: string;
  goal: string;
  value: string;
  met: boolean | undefined;
  note?: string;
}

interface Results {
  date: string;
  mode: 'quick' | 'full';
  environment: Record<string, string | number>;
  options: { sizes: number[]; faults: number; seed: number; iterations: Record<number, number>; edits: number; hovers: number };
  dumps: { name: string; bytes: number; records: number; agentEvents: number; contactRecords: number }[];
  analysis: AnalysisRow[];
  jsonls: JsonLsRow[];
  profile?: ProfileResult | { error: string };
  lsp?: LspResults;
  index?: IndexResult;
  servers?: ServersResult;
  extension?: ExtensionResult;
  gzip?: GzipBench | { error: string };
  envelope?: EnvelopeBench | { error: string };
  targets: Target[];
  table: string;
}

function gitCommit(): string {
  try {
    const head = fs.readFileSync(path.join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = head.slice(5);
    const file = path.join(ROOT, '.git', ref);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim().slice(0, 12);
    const packed = fs
      .readFileSync(path.join(ROOT, '.git', 'packed-refs'), 'utf8')
      .split('\n')
      .find((l) => l.endsWith(ref));
    return packed ? packed.slice(0, 12) : 'unknown';
  } catch {
    return 'unknown';
  }
}

function targetsOf(r: Results): Target[] {
  const targets: Target[] = [];
  const full = (size: number, form: Form) => r.analysis.find((a) => a.size === size && a.form === form)?.result;
  for (const size of [10, 100]) {
    for (const form of FORMS) {
      const a = full(size, form);
      if (!r.options.sizes.includes(size) || r.analysis.length === 0) continue;
      const x = a ? a.median.full / a.median.baseline : undefined;
      targets.push({
        what: `analysis / JSON.parse, ${size} MB ${form}`,
        goal: '<= 3x',
        value: a ? ratio(x) : 'n/a',
        met: x === undefined ? undefined : x <= 3,
      });
    }
  }
  for (const row of r.jsonls) {
    const ours = full(row.size, 'array');
    const x = row.result && ours ? row.result.median / ours.median.full : undefined;
    targets.push({
      what: `JSON language service / ours, ${row.size} MB array`,
      goal: '>= 5x',
      value: x === undefined ? `n/a${row.error ? `: ${row.error}` : ''}` : ratio(x),
      met: x === undefined ? undefined : x >= 5,
    });
  }
  if (r.options.sizes.includes(100) && r.options.sizes.includes(10)) {
    for (const form of FORMS) {
      const a10 = full(10, form),
        a100 = full(100, form);
      if (!a10 || !a100) continue;
      const x = a100.median.full / a100.bytes / (a10.median.full / a10.bytes);
      targets.push({ what: `linear growth, ${form} (ms/MB at 100 MB / at 10 MB)`, goal: '<= 1.3', value: x.toFixed(2), met: x <= 1.3 });
    }
  }
  if (r.gzip && 'cli' in r.gzip) {
    const g = r.gzip;
    const rate = throughput(g.decompressedBytes, g.cli.ms);
    targets.push({
      what: `CLI on a ${mb(g.decompressedBytes)} (decompressed) Firehose .gz`,
      goal: '>= 150 MB/s',
      value: `${rate.toFixed(0)} MB/s`,
      met: rate >= 150,
      note:
        `${(g.cli.ms / g.baseline.ms).toFixed(2)}x the time of gunzipSync + JSON.parse (${throughput(g.decompressedBytes, g.baseline.ms).toFixed(0)} MB/s); ` +
        `reading layer alone (gunzip + split + JSON.parse): ${throughput(g.decompressedBytes, g.readingLayer.ms).toFixed(0)} MB/s` +
        (g.decompressOnly
          ? `; gunzipSync + UTF-8 decoding alone, nothing parsed: ${throughput(g.decompressedBytes, g.decompressOnly.ms).toFixed(0)} MB/s`
          : ''),
    });
    targets.push({
      what: 'CLI peak RSS on that .gz',
      goal: '< 300 MB',
      value: mb(g.cli.peakRssBytes),
      met: g.cli.peakRssBytes < 300 * 1048576,
      note: `gunzipSync + JSON.parse: ${mb(g.baseline.peakRssBytes)}`,
    });
  }
  for (const d of r.lsp?.dumps ?? []) {
    const limit = d.form === 'jsonl' ? 50 : 250;
    targets.push({
      what: `edit -> diagnostics p95 (server time), 10 MB ${d.form}`,
      goal: `< ${limit} ms`,
      value: ms(d.editServer.p95),
      met: d.editServer.p95 < limit,
      note: `with the ${ms(r.lsp?.debounce?.debounceMs)} debounce: ${ms(d.edits.p95)}`,
    });
    targets.push({ what: `hover p95, 10 MB ${d.form}`, goal: '< 10 ms', value: ms(d.hover.p95), met: d.hover.p95 < 10 });
    if (d.definition) targets.push({ what: `definition p95, 10 MB ${d.form}`, goal: '< 10 ms', value: ms(d.definition.p95), met: d.definition.p95 < 10 });
    else targets.push({ what: `definition p95, 10 MB ${d.form}`, goal: '< 10 ms', value: d.definitionNa ?? 'n/a', met: undefined });
    const x = d.peakRssBytes / d.bytes;
    const above = (d.peakRssBytes - d.idleRssBytes) / d.bytes;
    targets.push({
      what: `server peak RSS / open dump, 10 MB ${d.form}`,
      goal: '< 3x',
      value: `${ratio(x)} (${mb(d.peakRssBytes)})`,
      met: x < 3,
      note: `above the idle server (${mb(d.idleRssBytes)}): ${ratio(above)}`,
    });
  }
  targets.push(...serverTargets(r.servers));
  return targets;
}

const SERVER_NAMES = { ours: 'this server', 'vscode-json': "VS Code's JSON server" } as const;
const formName = (row: { form: Form; bytes: number }) => `${Math.round(row.bytes / MB)} MB ${row.form === 'array' ? 'array' : 'JSONL'}`;

function renderServers(s: ServersResult): string {
  const parts: string[] = [];
  const rows: string[][] = [
    [
      'server over stdio, dump alone in its folder',
      'open -> last diagnostics',
      'edit -> fresh diagnostics p95',
      'median',
      'peak RSS after edits',
      'diagnostics open / edited',
      'note',
    ],
  ];
  for (const row of s.rows) {
    const name = `${formName(row)}: ${SERVER_NAMES[row.server]}`;
    if (row.error) {
      rows.push([name, 'n/a', '', '', '', '', row.error.slice(0, 120)]);
      continue;
    }
    rows.push([
      name,
      ms(row.openMs),
      ms(row.edits?.p95),
      ms(row.edits?.median),
      mb(row.peakRssBytes),
      `${row.openDiagnostics} / ${row.editedDiagnostics}`,
      `${row.edits?.samples.length} edits, ${row.openPublishes} publishes on open`,
    ]);
  }
  parts.push(
    "\nThis server beside VS Code's JSON language server (json.schemas: array of oneOf[agent event, contact record]), same client, same bytes\n" + table(rows),
  );
  if (s.vscodeServer)
    parts.push(
      `VS Code's JSON server: ${s.vscodeServer.script.replace(os.homedir(), '~')} under ${s.vscodeServer.node === process.execPath ? `Node ${process.versions.node}` : s.vscodeServer.node.replace(os.homedir(), '~')}; it reads a JSON Lines dump as one JSON text (first record, then "End of file expected").`,
    );
  if (s.vscodeNa) parts.push(`VS Code's JSON server: ${s.vscodeNa}`);
  if (!s.rows.some((r) => r.server === 'vscode-json' && r.bytes > 40 * MB) && s.rows.some((r) => r.bytes > 40 * MB))
    parts.push("48 MB: this server only (VS Code's JSON server re-validates the whole file per edit: minutes; --vscode-48 adds it).");
  const hrows: string[][] = [
    ['hover / definition (this server)', 'first hover after open', 'hover p95', 'definition p95', 'peak RSS', 'index done after', 'answered'],
  ];
  for (const h of s.hovers) {
    if (h.error) {
      hrows.push([h.where, 'n/a', '', '', '', '', h.error.slice(0, 120)]);
      continue;
    }
    hrows.push([
      h.where,
      ms(h.firstHoverMs),
      ms(h.hover?.p95),
      ms(h.definition?.p95),
      mb(h.peakRssBytes),
      ms(h.indexMs),
      `${h.hover?.answered}/${h.hover?.samples.length} hovers, ${h.definition?.answered}/${h.definition?.samples.length} definitions`,
    ]);
  }
  parts.push('\n' + table(hrows));
  if (s.cli.length) {
    const crows: string[][] = [
      ['CLI (dist/cli.js check), cold process', 'dump', 'time', 'JSON.parse of the lines, cold', 'ratio', 'MB/s', 'peak RSS', 'JSON.parse RSS'],
    ];
    for (const c of s.cli) {
      if (c.error) {
        crows.push([c.what, c.file, 'n/a', '', '', '', '', c.error]);
        continue;
      }
      crows.push([
        c.what,
        c.file,
        ms(c.ms),
        ms(c.baselineMs),
        ratio(c.ms / (c.baselineMs ?? Number.NaN)),
        (c.bytes / MB / (c.ms / 1000)).toFixed(0),
        mb(c.maxRssBytes),
        mb(c.baselineRssBytes),
      ]);
    }
    parts.push('\n' + table(crows));
  }
  return parts.join('\n');
}

function serverTargets(s: ServersResult | undefined): Target[] {
  if (!s) return [];
  const out: Target[] = [];
  const find = (server: 'ours' | 'vscode-json', form: Form, big: boolean) =>
    s.rows.find((r) => r.server === server && r.form === form && r.bytes > 40 * MB === big && !r.error);
  for (const [form, big] of [
    ['jsonl', false],
    ['array', false],
    ['jsonl', true],
  ] as const) {
    const o = find('ours', form, big);
    if (!o) continue;
    const rssGoal = big ? 300 : 100,
      editGoal = big ? 250 : 100;
    out.push({
      what: `server peak RSS after ${o.edits?.samples.length} edits, ${formName(o)}`,
      goal: `<= ${rssGoal} MB`,
      value: mb(o.peakRssBytes),
      met: (o.peakRssBytes ?? Infinity) <= rssGoal * MB,
    });
    out.push({
      what: `edit -> fresh diagnostics p95 (debounce included), ${formName(o)}`,
      goal: `<= ${editGoal} ms`,
      value: ms(o.edits?.p95),
      met: (o.edits?.p95 ?? Infinity) <= editGoal,
    });
    const v = find('vscode-json', form, big);
    if (v && o.openMs && v.openMs) {
      const x = v.openMs / o.openMs;
      out.push({
        what: `open -> diagnostics, VS Code's JSON server / ours, ${formName(o)}`,
        goal: '>= 5x',
        value: ratio(x),
        met: x >= 5,
        note: `${ms(v.openMs)} / ${ms(o.openMs)}${form === 'jsonl' ? '; VS Code reads JSONL as one JSON text' : ''}`,
      });
    }
  }
  for (const h of s.hovers) {
    if (h.error) continue;
    out.push({ what: `hover p95, ${h.where}`, goal: '< 10 ms', value: ms(h.hover?.p95), met: (h.hover?.p95 ?? Infinity) < 10 });
    out.push({ what: `definition p95, ${h.where}`, goal: '< 10 ms', value: ms(h.definition?.p95), met: (h.definition?.p95 ?? Infinity) < 10 });
    out.push({ what: `first hover after open, ${h.where}`, goal: '< 50 ms', value: ms(h.firstHoverMs), met: (h.firstHoverMs ?? Infinity) < 50 });
    if (h.folderBytes)
      out.push({ what: `server peak RSS, ${h.where}`, goal: '<= 400 MB', value: mb(h.peakRssBytes), met: (h.peakRssBytes ?? Infinity) <= 400 * MB });
  }
  const full = s.cli.find((c) => !c.error && !c.what.includes('streamed'));
  if (full?.baselineMs)
    out.push({
      what: `CLI full analysis / JSON.parse, cold processes, ${full.file}`,
      goal: '<= 3x',
      value: ratio(full.ms / full.baselineMs),
      met: full.ms / full.baselineMs <= 3,
      note: `${ms(full.ms)} / ${ms(full.baselineMs)}`,
    });
  for (const c of s.cli.filter((c) => !c.error && c.what.includes('streamed') && c.bytes > 40 * MB)) {
    const rate = c.bytes / MB / (c.ms / 1000);
    out.push({
      what: `CLI streamed throughput, ${c.file}`,
      goal: '>= 150 MB/s',
      value: `${rate.toFixed(0)} MB/s`,
      met: rate >= 150,
      note: `peak RSS ${mb(c.maxRssBytes)}`,
    });
  }
  return out;
}

function render(r: Results): string {
  const parts: string[] = [];
  const env = r.environment;
  parts.push(`Connect Event Inspector benchmark (${r.mode}) ${r.date}, commit ${env.commit}, Node ${env.node}, ${env.cpus} x ${env.cpuModel}, ${env.memory}`);
  const load = Number(env.loadAtStart);
  parts.push(
    `Load average (1 min) at start: ${env.loadAtStart}${load > Number(env.cpus) * 0.5 ? ` -- WARNING: the machine is busy (${env.cpus} CPUs); absolute times are inflated, ratios less so` : ''}`,
  );
  parts.push(
    `Dumps: generated by bench/generate.ts (seed ${r.options.seed}${r.options.faults ? `, faults ${r.options.faults}` : ', clean'}); JSON arrays pretty-printed, JSON Lines and Firehose compact.`,
  );

  const arows: string[][] = [
    [
      'dump',
      'records',
      'JSON.parse',
      'kept',
      'split+parse',
      'analyzeText',
      'rules',
      'full',
      'full/parse',
      '/kept',
      'ms/MB',
      'heap kept',
      'worker RSS',
      'findings',
    ],
  ];
  for (const row of r.analysis) {
    const a = row.result;
    const name = `${row.size} MB ${row.form}`;
    if (!a) {
      arows.push([name, row.error ?? 'n/a', '', '', '', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    const f =
      Object.entries(a.findings)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ') || '0';
    arows.push([
      name,
      String(a.records),
      ms(a.median.baseline),
      ms(a.median.baselineKept),
      ms(a.median.parseDump),
      ms(a.median.analyzeText),
      ms(a.median.rules),
      ms(a.median.full),
      ratio(a.median.full / a.median.baseline),
      ratio(a.median.full / a.median.baselineKept),
      (a.median.full / (a.bytes / MB)).toFixed(1),
      mb(a.heapRetainedBytes),
      mb(a.maxRssBytes),
      f,
    ]);
  }
  if (r.analysis.length) parts.push('\nFull analysis (analyzeText + runWorkspaceRules) vs JSON.parse of the same records (medians)\n' + table(arows));
  const cold = r.analysis.find((a) => a.result)?.result;
  if (cold) parts.push(`First analysis in a fresh process (schema compile, cold JIT): ${ms(cold.coldFirstMs)} on ${path.basename(cold.coldFile)}`);

  if (r.jsonls.length) {
    const jrows: string[][] = [['array dump', 'JSON LS parse', 'JSON LS total', 'its diagnostics', 'its RSS', 'ours (full)', 'ours faster by']];
    for (const row of r.jsonls) {
      const ours = r.analysis.find((a) => a.size === row.size && a.form === 'array')?.result;
      if (!row.result) {
        jrows.push([`${row.size} MB`, row.error ?? 'n/a', '', '', '', '', '']);
        continue;
      }
      jrows.push([
        `${row.size} MB`,
        ms(median(row.result.parseSamples)),
        ms(row.result.median),
        String(row.result.diagnostics),
        mb(row.result.maxRssBytes),
        ours ? ms(ours.median.full) : 'n/a',
        ours ? ratio(row.result.median / ours.median.full) : 'n/a',
      ]);
    }
    parts.push('\nvscode-json-languageservice validating the JSON array against our schemas (what json.schemas gives today)\n' + table(jrows));
  }

  if (r.profile) {
    if ('error' in r.profile) parts.push(`\nCPU profile: ${r.profile.error}`);
    else {
      const p = r.profile;
      const prow: string[][] = [['function', 'where', 'self', 'self %', 'total']];
      const total = p.totalMs;
      for (const e of p.top.slice(0, 15))
        prow.push([e.name, e.where, ms(e.selfMs / p.runs), `${((e.selfMs / total) * 100).toFixed(1)}%`, ms(e.totalMs / p.runs)]);
      parts.push(
        `\nCPU profile of the full analysis, ${path.basename(p.file)} (${p.runs} runs, per run; ${path.relative(ROOT, p.cpuprofile)})\n` + table(prow),
      );
      const frow: string[][] = [['file', 'self', 'self %']];
      for (const f of p.byFile.slice(0, 8)) frow.push([f.where, ms(f.selfMs / p.runs), `${((f.selfMs / total) * 100).toFixed(1)}%`]);
      parts.push(table(frow));
    }
  }

  if (r.lsp) {
    const l = r.lsp;
    const lrows: string[][] = [['language server (dist/server.js --stdio)', 'median', 'p95', 'note']];
    if (l.serverStartMs)
      lrows.push([
        'server start (spawn -> initialize result)',
        ms(l.serverStartMs.median),
        ms(l.serverStartMs.p95),
        `${l.serverStartMs.samples.length} starts`,
      ]);
    if (l.debounce)
      lrows.push([
        'debounce (tiny doc: edit - open latency)',
        ms(l.debounce.debounceMs),
        '',
        `tiny edit ${ms(l.debounce.tinyEditMs)}, tiny open ${ms(l.debounce.tinyOpenMs)}`,
      ]);
    for (const d of l.dumps) {
      const name = `10 MB ${d.form}`;
      lrows.push([`${name}: didOpen -> first diagnostics`, ms(d.openToDiagnosticsMs), '', `${d.openDiagnostics} diagnostics`]);
      lrows.push([`${name}: edit -> diagnostics (with debounce)`, ms(d.edits.median), ms(d.edits.p95), `${d.edits.samples.length} edits`]);
      lrows.push([`${name}: edit -> diagnostics (server time)`, ms(d.editServer.median), ms(d.editServer.p95), 'minus the debounce']);
      lrows.push([`${name}: hover`, ms(d.hover.median), ms(d.hover.p95), `${d.hover.answered}/${d.hover.requested} answered`]);
      if (d.definition)
        lrows.push([`${name}: definition`, ms(d.definition.median), ms(d.definition.p95), `${d.definition.answered}/${d.definition.requested} resolved`]);
      else lrows.push([`${name}: definition`, 'n/a', '', d.definitionNa ?? '']);
      lrows.push([`${name}: server peak RSS (VmHWM)`, mb(d.peakRssBytes), '', `idle ${mb(d.idleRssBytes)}; dump ${mb(d.bytes)}`]);
    }
    parts.push('\n' + table(lrows));
    for (const e of l.errors) parts.push(`language server: ${e}`);
  }

  if (r.index) {
    const i = r.index;
    parts.push(
      `\nWorkspace index: ${i.na ?? `${i.files} files, ${mb(i.bytes)} indexed in ${ms(i.timeMs)} (signal: ${i.how}); server peak RSS ${mb(i.peakRssBytes)} (idle ${mb(i.idleRssBytes)})${i.resolved ? `; ${i.resolved}` : ''}`}`,
    );
    if (i.summary) parts.push(`  the server's log: ${i.summary}`);
  }

  if (r.servers) parts.push(renderServers(r.servers));

  if (r.extension) {
    const e = r.extension;
    const erows: string[][] = [['bundle', 'dev (dist/)', 'production (minified)']];
    for (const b of e.bundles) erows.push([b.file, kb(b.bytes), kb(b.productionBytes)]);
    parts.push('\nThe extension\n' + table(erows));
    parts.push(`.vsix: ${e.vsix ? `${e.vsix.file} ${kb(e.vsix.bytes)}` : e.vsixNa}`);
    parts.push(`extension.js load (require with a stand-in vscode module): ${e.extensionLoadMs !== undefined ? ms(e.extensionLoadMs) : e.extensionLoadNa}`);
    parts.push(`activation: ${e.activation}`);
    if (r.lsp?.serverStartMs) parts.push(`server start: ${ms(r.lsp.serverStartMs.median)} (see above)`);
  }

  const trows: string[][] = [['target', 'goal', 'measured', 'met', 'note']];
  for (const t of r.targets) trows.push([t.what, t.goal, t.value, t.met === undefined ? 'n/a' : t.met ? 'met' : 'NOT MET', t.note ?? '']);
  if (r.targets.length) parts.push('\nTargets (ratios from this run)\n' + table(trows));
  if (r.gzip || r.envelope) {
    const grows: string[][] = [['gzip / envelopes', 'records', 'MB in', 'ours', 'MB/s', 'peak RSS', 'baseline', 'MB/s', 'peak RSS']];
    if (r.gzip && 'cli' in r.gzip) {
      const g = r.gzip;
      const row = (what: string, run: { ms: number; peakRssBytes: number }) => [
        what,
        String(g.records),
        `${mb(g.decompressedBytes)} (${mb(g.compressedBytes)} gz)`,
        ms(run.ms),
        throughput(g.decompressedBytes, run.ms).toFixed(0),
        mb(run.peakRssBytes),
        ms(g.baseline.ms),
        throughput(g.decompressedBytes, g.baseline.ms).toFixed(0),
        mb(g.baseline.peakRssBytes),
      ];
      grows.push(row(`${g.file}: CLI check (${g.cli.findings} findings)`, g.cli));
      grows.push(row(`${g.file}: reading layer only`, g.readingLayer));
      if (g.decompressOnly) grows.push(row(`${g.file}: gunzip + UTF-8 decoding only`, g.decompressOnly));
    } else if (r.gzip) grows.push(['gzip', `n/a: ${r.gzip.error}`, '', '', '', '', '', '', '']);
    if (r.envelope && 'analyzeTextMs' in r.envelope) {
      const e = r.envelope;
      grows.push([
        `${e.file}: analyzeText`,
        String(e.records),
        mb(e.bytes),
        ms(e.analyzeTextMs),
        throughput(e.bytes, e.analyzeTextMs).toFixed(0),
        '',
        ms(e.baselineMs),
        throughput(e.bytes, e.baselineMs).toFixed(0),
        '',
      ]);
    } else if (r.envelope) grows.push(['envelope', `n/a: ${r.envelope.error}`, '', '', '', '', '', '', '']);
    parts.push(
      '',
      'Baselines: zlib.gunzipSync + JSON.parse of each record (gzip); JSON.parse of the event + base64 + JSON.parse of each record (envelope). Each in its own process.',
      table(grows),
    );
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const seed = 42;
  const genOptions: GenerateOptions = { seed, faults: opts.faults };
  fs.mkdirSync(OUT, { recursive: true });
  const started = Date.now();

  // Dumps: the sizes asked for, plus 1 MB to warm each worker up.
  const sizes = [...new Set([1, ...opts.sizes])].sort((a, b) => a - b);
  const manifest = ensureDumps(OUT, sizes, FORMS, genOptions, log);
  const indexPresent = fs.existsSync(INDEX_MODULE);
  const ws =
    opts.only.has('index') && indexPresent
      ? ensureWorkspace(path.join(OUT, opts.quick ? 'quick' : '.'), 100, opts.quick ? MB / 10 : MB, genOptions, log)
      : undefined;

  const results: Results = {
    date: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    environment: {
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memory: mb(os.totalmem()),
      commit: gitCommit(),
      loadAtStart: os.loadavg()[0].toFixed(2),
    },
    options: { sizes: opts.sizes, faults: opts.faults, seed, iterations: opts.iterations, edits: opts.edits, hovers: opts.hovers },
    dumps: sizes.flatMap((s) =>
      FORMS.map((f) => manifest.dumps[dumpName(s, f, opts.faults)])
        .filter(Boolean)
        .map((d) => ({
          name: path.basename(d.path),
          bytes: d.bytes,
          records: d.records,
          agentEvents: d.agentEvents,
          contactRecords: d.contactRecords,
        })),
    ),
    analysis: [],
    jsonls: [],
    targets: [],
    table: '',
  };

  if (opts.only.has('analysis')) results.analysis = await measureAnalysis(opts);
  if (opts.only.has('jsonls')) results.jsonls = await measureJsonLs(opts);
  if (opts.profile) {
    const size = opts.sizes.includes(10) ? 10 : opts.sizes[0];
    const file = path.join(OUT, dumpName(size, 'jsonl', opts.faults));
    log(`profile: ${path.basename(file)}`);
    const r = await runWorker<ProfileResult>('profile', [file, '5', path.join(OUT, 'profiles', `analysis-${size}mb-jsonl.cpuprofile`)], opts.workerTimeoutMs);
    results.profile = r.ok ? r.value : { error: r.reason };
  }
  if (opts.only.has('lsp')) {
    const ten = opts.sizes.includes(10) ? 10 : opts.sizes[opts.sizes.length - 1];
    results.lsp = await measureLsp(opts, {
      jsonl: path.join(OUT, dumpName(ten, 'jsonl', opts.faults)),
      array: path.join(OUT, dumpName(ten, 'array', opts.faults)),
      firehose: path.join(OUT, dumpName(ten, 'firehose', opts.faults)),
    });
  }
  if (opts.only.has('index'))
    results.index = ws ? await measureIndex(opts, ws) : { na: indexPresent ? 'n/a: skipped' : `n/a: ${path.relative(ROOT, INDEX_MODULE)} is not present yet` };
  if (opts.only.has('servers')) {
    const ten = opts.sizes.includes(10) ? 10 : opts.sizes[opts.sizes.length - 1];
    const big = ensureDumps(OUT, opts.quick ? [] : [48], ['jsonl'], genOptions, log);
    results.servers = await measureServers({
      quick: opts.quick,
      out: OUT,
      edits: opts.edits,
      hovers: opts.hovers,
      vscode48: opts.vscode48,
      log,
      noVscode: opts.noVscode,
      groups: opts.serverGroups,
      dumps: {
        jsonl10: path.join(OUT, dumpName(ten, 'jsonl', opts.faults)),
        array10: path.join(OUT, dumpName(ten, 'array', opts.faults)),
        jsonl48: opts.quick ? undefined : big.dumps[dumpName(48, 'jsonl', opts.faults)]?.path,
      },
    });
  }
  if (opts.only.has('extension')) results.extension = await measureExtension();
  if (opts.only.has('envelopes')) {
    // The 100 MB Firehose dump gzipped (or the largest size asked for), and a transformation event of the 10 MB one.
    const big = manifest.dumps[dumpName(Math.max(...opts.sizes), 'firehose', opts.faults)];
    const ten = manifest.dumps[dumpName(opts.sizes.includes(10) ? 10 : Math.min(...opts.sizes), 'firehose', opts.faults)];
    results.gzip = await measureGzip(big, OUT, log, opts.workerTimeoutMs).catch((e: Error) => ({ error: e.message.slice(0, 500) }));
    results.envelope = await measureEnvelope(ten, OUT, log, opts.workerTimeoutMs).catch((e: Error) => ({ error: e.message.slice(0, 500) }));
  }

  // Keep the measurements even if rendering fails.
  const RESULTS = resultsFile(opts.only);
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 1));
  results.targets = targetsOf(results);
  results.table = render(results);
  results.environment.seconds = Math.round((Date.now() - started) / 1000);
  results.environment.loadAtEnd = os.loadavg()[0].toFixed(2);
  console.log(results.table);
  console.log(`\n(${results.environment.seconds} s; results in ${path.relative(process.cwd(), RESULTS)})`);
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 1));
  if (opts.updateReadme) updateReadme(results.table);
}

/** Replaces the table between the markers in bench/README.md with this run's. */
function updateReadme(text: string): void {
  if (!fs.existsSync(README)) return;
  const readme = fs.readFileSync(README, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const a = readme.indexOf(start),
    b = readme.indexOf(end);
  if (a < 0 || b < a) return;
  fs.writeFileSync(README, readme.slice(0, a + start.length) + '\n```text\n' + text + '\n```\n' + readme.slice(b));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
