// The fuzz driver: generates inputs (mutators.ts) and feeds each one to
//   - the core (analyzeText + runWorkspaceRules + the hover/timeline helpers), in a child
//     process killed when an input runs past the per-input timeout (coreWorker.ts);
//   - a sample to the CLI (`node dist/cli.js check --format text|json|sarif`), whose JSON
//     and SARIF must parse and whose finding count must match the core's;
//   - a sample to the language server over stdio: open (or open the seed and edit it into
//     the input, then compare with a fresh open), wait for diagnostics, hover, definition,
//     references, symbols and the timeline at random places, close.
// Each input must give findings or a clear message within the timeout: an exception, a
// hang, a crash or memory past the limit is a failure; the input is written to
// `.test-output/fuzz/crash-<seed>-<n>.txt` (with a `.json` beside it saying what happened).
//
//   node --import tsx test/fuzz/fuzz.ts [--seed N] [--budget SECONDS] [--max-inputs N]
//        [--timeout MS] [--cli-every K] [--lsp-every K] [--only n,n,...] [--replay FILE]
//        [--minimize N] [--quiet]
// Environment: FUZZ_SEED, FUZZ_BUDGET (seconds) as defaults for --seed and --budget.
import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from '../lsp/lspClient';
import { ROOT } from './corpus';
import type { CoreJob, CoreReply, CoreRequest, CoreResult } from './coreWorker';
import { FuzzInput, generateInput, LanguageId } from './mutators';
import { Rng } from './rng';

export const CLI = join(ROOT, 'dist/cli.js');
export const SERVER = join(ROOT, 'dist/server.js');

export interface FuzzOptions {
  seed: number;
  /** Stop starting new inputs after this long. */
  budgetMs: number;
  maxInputs: number;
  /** Per input and per target: the core, one CLI run, one LSP round (diagnostics; each request). */
  timeoutMs: number;
  /** About one input in K goes to the CLI / the server. */
  cliEvery: number;
  lspEvery: number;
  /** Only these input numbers (regenerated from the seed). */
  only?: number[];
  /** Inputs read from crash files instead of generated. */
  replay?: FuzzInput[];
  outDir: string;
  /** A process whose resident memory passes this is a failure (unbounded memory). */
  maxRssMb: number;
  /** Heap after a full GC may not grow more than this over the run (a leak across inputs). */
  maxHeapGrowthMb: number;
  log: (line: string) => void;
}

export const DEFAULT_OPTIONS: FuzzOptions = {
  seed: 1,
  budgetMs: 60_000,
  maxInputs: Infinity,
  timeoutMs: 10_000,
  cliEvery: 12,
  lspEvery: 8,
  outDir: join(ROOT, '.test-output/fuzz'),
  maxRssMb: 2048,
  maxHeapGrowthMb: 256,
  log: (l) => console.log(l),
};

export type Target = 'core' | 'cli' | 'lsp';

export interface Failure {
  target: Target;
  /** What broke, e.g. `analyzeText`, `hang`, `exit code 2`, `hover`. */
  stage: string;
  message: string;
  stack?: string;
}

export interface FailureGroup {
  signature: string;
  failure: Failure;
  count: number;
  inputs: number[];
  mutation: string;
  crashFile?: string;
}

export interface Slowest {
  n: number;
  ms: number;
  chars: number;
  mutation: string;
}

export interface FuzzReport {
  seed: number;
  elapsedMs: number;
  inputs: number;
  runs: { core: number; cli: number; cliByFormat: Record<string, number>; lsp: number; lspIncremental: number };
  slowest: Partial<Record<Target, Slowest>>;
  maxRssMb: { core: number; lsp: number };
  heapAfterGcMb: { first?: number; last?: number };
  failures: FailureGroup[];
  warnings: Map<string, { count: number; first: number }>;
  biggestInput: { n: number; chars: number; mutation: string };
}

// ---- the core, in a child process ------------------------------------------------------------

type CoreOutcome = { kind: 'result'; result: CoreResult } | { kind: 'hang' } | { kind: 'crash'; message: string };

class CoreRunner {
  private child: ChildProcess | undefined;
  private stderr = '';
  private waiting: ((msg: unknown) => void) | undefined;
  private exited: ((message: string) => void) | undefined;

  private async start(): Promise<void> {
    this.stderr = '';
    const child = fork(join(__dirname, 'coreWorker.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=3072'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr!.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    // A child killed for hanging still reports its exit later: only the current child is heard.
    child.on('message', (msg) => {
      if (this.child === child) this.waiting?.(msg);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.exited?.(`the core process exited (code ${code}, signal ${signal}): ${this.stderr.trim().slice(-1500)}`);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the core worker did not start within 30 s')), 30_000);
      this.waiting = () => {
        clearTimeout(timer);
        resolve();
      };
      this.exited = (m) => {
        clearTimeout(timer);
        reject(new Error(m));
      };
    });
  }

  private async request(
    msg: CoreRequest,
    timeoutMs: number,
  ): Promise<{ kind: 'reply'; reply: CoreReply } | { kind: 'hang' } | { kind: 'crash'; message: string }> {
    if (!this.child) await this.start();
    const child = this.child!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.exited = undefined;
        this.waiting = undefined;
        child.kill('SIGKILL');
        this.child = undefined;
        resolve({ kind: 'hang' });
      }, timeoutMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        this.waiting = undefined;
        this.exited = undefined;
        resolve({ kind: 'reply', reply: reply as CoreReply });
      };
      this.exited = (message) => {
        clearTimeout(timer);
        this.waiting = undefined;
        this.exited = undefined;
        resolve({ kind: 'crash', message });
      };
      child.send(msg);
    });
  }

  async run(job: CoreJob, timeoutMs: number): Promise<CoreOutcome> {
    const r = await this.request({ job }, timeoutMs);
    if (r.kind !== 'reply') return r;
    return 'result' in r.reply ? { kind: 'result', result: r.reply.result } : { kind: 'crash', message: 'unexpected reply' };
  }

  async heapAfterGc(): Promise<{ heap: number; rss: number } | undefined> {
    const r = await this.request({ gc: true }, 30_000);
    return r.kind === 'reply' && 'heapAfterGc' in r.reply ? { heap: r.reply.heapAfterGc, rss: r.reply.rss } : undefined;
  }

  stop(): void {
    this.exited = undefined;
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

// ---- the CLI ----------------------------------------------------------------------------------

const FORMATS = ['text', 'json', 'sarif'] as const;
type CliFormat = (typeof FORMATS)[number];

interface CliOutcome {
  failures: Failure[];
  ms: number;
}

function utf8RoundTrips(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

async function runCli(input: FuzzInput, format: CliFormat, opts: FuzzOptions, expectedFindings: number | undefined): Promise<CliOutcome> {
  const dir = join(opts.outDir, 'work');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `in-${opts.seed}-${input.n}${input.ext}`);
  writeFileSync(file, input.bytes ?? input.text);
  const started = performance.now();
  const failures: Failure[] = [];
  const fail = (stage: string, message: string) => failures.push({ target: 'cli', stage, message });
  // Startup of node and the bundle is not the analysis: allow it on top of the timeout.
  const limit = opts.timeoutMs + 5000;
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'check', '--format', format, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-4000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err, timedOut });
    });
  });
  const ms = performance.now() - started;
  rmSync(file, { force: true });
  if (result.timedOut) {
    fail('hang', `no answer within ${limit} ms (--format ${format})`);
    return { failures, ms };
  }
  if (result.code !== 0 && result.code !== 1) {
    fail(`exit code ${result.code ?? result.signal}`, `--format ${format}: ${result.stderr.trim().slice(0, 1500)}`);
    return { failures, ms };
  }
  let count: number | undefined;
  if (format === 'text') {
    // The summary, then the line counting the skipped files.
    const lines = result.stdout.trimEnd().split('\n');
    const skippedLine = lines.pop() ?? '';
    const last = lines.pop() ?? '';
    if (!/^\d+ file\(s\) skipped/.test(skippedLine)) fail('text output', `the skipped-files line is missing: ${JSON.stringify(skippedLine.slice(0, 200))}`);
    const m = /^(\d+) file\(s\), (\d+) record\(s\), (\d+) finding\(s\)$/.exec(last);
    if (!m) fail('text output', `the summary line is missing: ${JSON.stringify(last.slice(0, 200))}`);
    else count = Number(m[3]);
  } else {
    let doc: any;
    try {
      doc = JSON.parse(result.stdout);
    } catch (e) {
      fail(`${format} output`, `does not parse: ${(e as Error).message}`);
      return { failures, ms };
    }
    if (format === 'json') {
      const files = doc?.files;
      if (!Array.isArray(files) || files.length !== 1 || !Array.isArray(files[0].diagnostics)) fail('json output', 'expected files[0].diagnostics');
      else {
        count = files[0].diagnostics.length;
        for (const d of files[0].diagnostics) {
          const r = d?.range;
          if (![r?.start?.line, r?.start?.character, r?.end?.line, r?.end?.character].every((x) => Number.isInteger(x) && x >= 0)) {
            fail('json output', `a diagnostic without a valid range: ${JSON.stringify(d).slice(0, 300)}`);
            break;
          }
        }
      }
    } else {
      const results = doc?.runs?.[0]?.results;
      if (doc?.version !== '2.1.0' || !Array.isArray(results)) fail('sarif output', 'expected version 2.1.0 and runs[0].results');
      else count = results.length;
    }
  }
  if (count !== undefined && expectedFindings !== undefined && count !== expectedFindings) {
    fail('finding count', `the CLI (--format ${format}) reports ${count} findings, the core ${expectedFindings}`);
  }
  return { failures, ms };
}

// ---- the language server --------------------------------------------------------------------------

/** LSP positions: UTF-16 code units, lines broken at \r\n, \r or \n (as vscode-languageserver-textdocument does). */
class Lines {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.starts.push(i + 1);
      } else if (c === 0x0a) this.starts.push(i + 1);
    }
  }
  /** Why a position is not inside the text as an editor splits it into lines, if it is not. */
  outside(p: { line: number; character: number }): string | undefined {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `invalid position ${JSON.stringify(p)}`;
    if (p.line >= this.starts.length) return `line ${p.line} of a text with ${this.starts.length} lines`;
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1] : this.text.length;
    let length = end - this.starts[p.line];
    if (p.line + 1 < this.starts.length) length -= this.text.charCodeAt(end - 2) === 0x0d && this.text.charCodeAt(end - 1) === 0x0a ? 2 : 1;
    // One past the end (a span ending on the \n of a \r\n, or after the last character) is
    // clamped by editors to the same place; further out, the range is on the wrong line.
    return p.character > length + 1 ? `character ${p.character} past the end of line ${p.line} (length ${length})` : undefined;
  }

  position(offset: number): { line: number; character: number } {
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}

interface LspOutcome {
  failures: Failure[];
  ms: number;
  incremental: boolean;
  rss?: number;
}

type Diag = { range: unknown; code?: unknown; severity?: unknown; message: string };

class LspRunner {
  private client: LspClient | undefined;
  private errors: string[] = [];
  private onError: ((m: string) => void) | undefined;

  private proc(): ChildProcess | undefined {
    // LspClient keeps its child process private; the fuzzer needs its pid and exit state.
    return (this.client as unknown as { proc?: ChildProcess } | undefined)?.proc;
  }

  alive(): boolean {
    const p = this.proc();
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  async start(timeoutMs: number): Promise<void> {
    const client = new LspClient();
    this.client = client;
    this.errors = [];
    client.on('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) {
        this.errors.push(p.message);
        this.onError?.(p.message);
      }
    });
    client.on('window/showMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) {
        this.errors.push(`showMessage: ${p.message}`);
        this.onError?.(p.message);
      }
    });
    await withTimeout(client.initialize(), timeoutMs, 'initialize');
  }

  stop(): void {
    this.proc()?.kill('SIGKILL');
    this.client = undefined;
  }

  rssBytes(): number | undefined {
    const pid = this.proc()?.pid;
    if (!pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Diagnostics for `version` of `uri`; an error logged by the server meanwhile ends the wait. */
  private diagnostics(uri: string, version: number, timeoutMs: number): Promise<Diag[]> {
    const client = this.client!;
    return new Promise<Diag[]>((resolve, reject) => {
      this.onError = (m) => reject(new Error(`the server logged an error instead: ${m}`));
      client.waitForDiagnostics(uri, (d) => d.version === version, timeoutMs).then(resolve, reject);
    }).finally(() => {
      this.onError = undefined;
    });
  }

  async run(input: FuzzInput, opts: FuzzOptions, rng: Rng): Promise<LspOutcome> {
    const failures: Failure[] = [];
    const started = performance.now();
    const fail = (stage: string, e: unknown) =>
      failures.push({ target: 'lsp', stage, message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
    if (!this.client || !this.alive()) {
      try {
        await this.start(opts.timeoutMs);
      } catch (e) {
        fail('initialize', e);
        this.stop();
        return { failures, ms: performance.now() - started, incremental: false };
      }
    }
    const client = this.client!;
    this.errors = [];
    const base = `file:///fuzz/${opts.seed}-${input.n}`;
    const uri = `${base}${input.ext || ''}`;
    const lang: LanguageId = input.languageId;
    const incremental = input.baseText !== undefined && input.baseText.length + input.text.length < 8_000_000 && rng.bool(0.4);
    let diags: Diag[] | undefined;
    try {
      if (incremental) {
        // The editor path: the seed is open, then edited into the input.
        client.open(uri, lang, input.baseText!, 1);
        await this.diagnostics(uri, 1, opts.timeoutMs);
        client.change(uri, 2, [editBetween(input.baseText!, input.text)]);
        const edited = await this.diagnostics(uri, 2, opts.timeoutMs);
        client.notify('textDocument/didClose', { textDocument: { uri } });
        const freshUri = `${base}.fresh${input.ext || ''}`;
        client.open(freshUri, lang, input.text, 1);
        diags = await this.diagnostics(freshUri, 1, opts.timeoutMs);
        const a = edited.map(diagKey).sort(),
          b = diags.map(diagKey).sort();
        if (a.join('\n') !== b.join('\n')) {
          fail(
            'incremental sync',
            `diagnostics after editing the seed into the input differ from a fresh open (${a.length} vs ${b.length}); only after edit: ${JSON.stringify(a.filter((k) => !b.includes(k)).slice(0, 2)).slice(0, 500)}; only fresh: ${JSON.stringify(b.filter((k) => !a.includes(k)).slice(0, 2)).slice(0, 500)}`,
          );
        }
        await this.probe(freshUri, input.text, rng, opts, fail);
        client.notify('textDocument/didClose', { textDocument: { uri: freshUri } });
      } else {
        client.open(uri, lang, input.text, 1);
        diags = await this.diagnostics(uri, 1, opts.timeoutMs);
        // Ranges are read by the editor with its own line breaks (\r\n, \r or \n).
        const lines = new Lines(input.text);
        for (const d of diags) {
          if (d.code === 'too-many-findings') continue; // pinned to the first character whatever the text
          const r = d.range as { start: { line: number; character: number }; end: { line: number; character: number } };
          const problem = lines.outside(r.start) ?? lines.outside(r.end);
          if (problem) {
            fail('diagnostic range', `a ${String(d.code)} diagnostic is outside the document: ${problem}`);
            break;
          }
        }
        await this.probe(uri, input.text, rng, opts, fail);
        client.notify('textDocument/didClose', { textDocument: { uri } });
      }
    } catch (e) {
      fail(/within \d+ ms/.test(String((e as Error).message)) ? 'hang' : 'diagnostics', e);
    }
    // After the round (close included), one answered request shows the server is still there.
    if (this.alive()) {
      try {
        await withTimeout(
          client.request('textDocument/hover', { textDocument: { uri: 'file:///fuzz/none.json' }, position: { line: 0, character: 0 } }),
          opts.timeoutMs,
          'hover after close',
        );
      } catch (e) {
        fail('hang', e);
      }
    }
    if (!this.alive()) fail('server died', `the server process exited; stderr: ${client.stderr.slice(-1500)}`);
    for (const m of this.errors) fail('server error log', m);
    const rss = this.rssBytes();
    if (rss !== undefined && rss > opts.maxRssMb * 1048576) fail('memory', `server RSS ${(rss / 1048576).toFixed(0)} MB is over ${opts.maxRssMb} MB`);
    if (failures.length > 0) this.stop(); // a fresh server for the next input
    return { failures, ms: performance.now() - started, incremental, rss };
  }

  /** Hover, definition, references, symbols and the timeline at random places: all must answer. */
  private async probe(uri: string, text: string, rng: Rng, opts: FuzzOptions, fail: (stage: string, e: unknown) => void): Promise<void> {
    const client = this.client!;
    const lines = new Lines(text);
    const offsets: number[] = [];
    for (let i = 0; i < 4; i++) offsets.push(rng.int(0, text.length));
    const idAt = text.indexOf('"ContactId"');
    if (idAt >= 0) offsets.push(Math.min(text.length, idAt + 16));
    const ask = async (method: string, params: unknown, check: (r: any) => string | undefined) => {
      try {
        const r = await withTimeout(client.request(method, params), opts.timeoutMs, method);
        const problem = check(r);
        if (problem) fail(method, problem);
      } catch (e) {
        fail(method, e);
      }
    };
    for (const off of offsets) {
      const position = lines.position(off);
      await ask('textDocument/hover', { textDocument: { uri }, position }, (r) =>
        r === null || (r && typeof r.contents === 'object') ? undefined : `unexpected hover ${JSON.stringify(r).slice(0, 200)}`,
      );
    }
    const position = lines.position(rng.pick(offsets));
    await ask('textDocument/definition', { textDocument: { uri }, position }, () => undefined);
    await ask('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } }, () => undefined);
    await ask('textDocument/documentSymbol', { textDocument: { uri } }, (r) => (r === null || Array.isArray(r) ? undefined : 'symbols are not an array'));
    await ask(TimelineRequest.method, { uri, position }, (r) => (r?.kind === 'error' ? `the timeline failed: ${r.message}` : undefined));
  }
}

/** One edit that turns `from` into `to`, with its ends on line starts (never inside a \r\n or a surrogate pair). */
function editBetween(
  from: string,
  to: string,
): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } {
  let p = 0;
  const max = Math.min(from.length, to.length);
  while (p < max && from.charCodeAt(p) === to.charCodeAt(p)) p++;
  while (p > 0 && from.charCodeAt(p - 1) !== 0x0a) p--;
  let s = 0;
  while (s < max - p && from.charCodeAt(from.length - 1 - s) === to.charCodeAt(to.length - 1 - s)) s++;
  // The kept suffix starts right after a \n of both texts.
  while (s > 0 && from.charCodeAt(from.length - s - 1) !== 0x0a) s--;
  const lines = new Lines(from);
  return { range: { start: lines.position(p), end: lines.position(from.length - s) }, text: to.slice(p, to.length - s) };
}

function diagKey(d: Diag): string {
  return JSON.stringify([d.code, d.severity, d.range, d.message]);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

// ---- failures: grouped, written to disk ------------------------------------------------------------

/** The same bug found twice gets one group: its stage and the first project frame of its stack. */
function signature(f: Failure): string {
  const frame = /\((?:.*\/)?((?:server|client)\/src\/[^:)]+):\d+/.exec(f.stack ?? '')?.[1] ?? /(?:server|client)\/src\/[^:)\s]+/.exec(f.message)?.[0] ?? '';
  const message = f.message
    .replace(/\d+/g, 'N')
    .replace(/file:\/\/\/fuzz\/\S+/g, 'URI')
    .slice(0, 120);
  return `${f.target}|${f.stage}|${frame}|${frame ? message.slice(0, 60) : message}`;
}

function writeCrash(opts: FuzzOptions, input: FuzzInput, failures: Failure[]): string {
  mkdirSync(opts.outDir, { recursive: true });
  const base = join(opts.outDir, `crash-${opts.seed}-${input.n}`);
  writeFileSync(`${base}.txt`, input.bytes ?? input.text);
  writeFileSync(
    `${base}.json`,
    JSON.stringify(
      {
        seed: opts.seed,
        n: input.n,
        mutation: input.mutation,
        ext: input.ext,
        languageId: input.languageId,
        chars: input.text.length,
        failures,
        // The .txt is UTF-8: lone surrogates do not survive it, so the exact text is kept here.
        ...(input.bytes || utf8RoundTrips(input.text) ? {} : { text: input.text }),
        regenerate: `node --import tsx test/fuzz/fuzz.ts --seed ${opts.seed} --only ${input.n}`,
      },
      null,
      2,
    ),
  );
  return `${base}.txt`;
}

/** Reads an input back: a crash file (`crash-1-7.txt` or its `.json`) or any dump file. */
export function readCrash(file: string): FuzzInput {
  const base = file.replace(/\.(txt|json)$/, '');
  const isCrash = /(^|\/)crash-[^/]*\.(txt|json)$/.test(file) && existsSync(`${base}.txt`) && existsSync(`${base}.json`);
  const meta = isCrash ? JSON.parse(readFileSync(`${base}.json`, 'utf8')) : {};
  const bytes = readFileSync(isCrash ? `${base}.txt` : file);
  const text = typeof meta.text === 'string' ? meta.text : bytes.toString('utf8');
  const ext = (meta.ext ?? /\.(jsonl|json|firehose)$/.exec(file)?.[0] ?? '') as FuzzInput['ext'];
  const languageId: LanguageId = meta.languageId ?? (ext === '.jsonl' ? 'jsonl' : ext === '.json' ? 'json' : 'connect-firehose');
  return {
    n: meta.n ?? 0,
    text,
    bytes: typeof meta.text === 'string' ? undefined : bytes,
    ext,
    languageId,
    mutation: `replay of ${file}${meta.mutation ? `: ${meta.mutation}` : ''}`,
  };
}

// ---- the run ------------------------------------------------------------------------------------------

export async function runFuzz(partial: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const opts: FuzzOptions = { ...DEFAULT_OPTIONS, ...partial };
  for (const f of [CLI, SERVER]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  const report: FuzzReport = {
    seed: opts.seed,
    elapsedMs: 0,
    inputs: 0,
    runs: { core: 0, cli: 0, cliByFormat: { text: 0, json: 0, sarif: 0 }, lsp: 0, lspIncremental: 0 },
    slowest: {},
    maxRssMb: { core: 0, lsp: 0 },
    heapAfterGcMb: {},
    failures: [],
    warnings: new Map(),
    biggestInput: { n: -1, chars: 0, mutation: '' },
  };
  const groups = new Map<string, FailureGroup>();
  const core = new CoreRunner();
  const lsp = new LspRunner();
  const started = performance.now();
  let lastProgress = started;
  let cliTurn = 0;
  const numbers = opts.replay ? opts.replay.map((_, i) => i) : opts.only;

  const slow = (target: Target, input: FuzzInput, ms: number) => {
    const s = report.slowest[target];
    if (!s || ms > s.ms) report.slowest[target] = { n: input.n, ms, chars: input.text.length, mutation: input.mutation };
  };

  try {
    for (let i = 0; ; i++) {
      if (numbers ? i >= numbers.length : i >= opts.maxInputs || performance.now() - started > opts.budgetMs) break;
      const input = opts.replay ? opts.replay[i] : generateInput(opts.seed, numbers ? numbers[i] : i);
      report.inputs++;
      if (input.text.length > report.biggestInput.chars) report.biggestInput = { n: input.n, chars: input.text.length, mutation: input.mutation };
      const pick = Rng.forInput(opts.seed ^ 0x7a11, input.n);
      const failures: Failure[] = [];

      // The core first: its finding count is what the CLI must print.
      // The incremental check analyses twice more: kept to inputs where that stays cheap.
      const baseText = input.baseText !== undefined && input.text.length < 1_000_000 ? input.baseText : undefined;
      const withBaseDump = baseText !== undefined && pick.bool(0.25);
      const job: CoreJob = {
        n: input.n,
        seed: opts.seed,
        uri: `file:///fuzz/core/${opts.seed}-${input.n}${input.ext || ''}`,
        text: input.text,
        baseText,
        withBaseDump,
        extras: true,
      };
      let out = await core.run(job, opts.timeoutMs);
      if (out.kind === 'hang') {
        // A real hang hangs again in a fresh process; a run that only starved for CPU (this
        // machine is shared) finishes: it is then a warning, not a failure.
        const again = await core.run(job, opts.timeoutMs);
        if (again.kind === 'result') {
          const w = `timed out once, then finished in ${again.result.ms.total.toFixed(0)} ms on a retry`;
          const entry = report.warnings.get(w.replace(/\d+/g, 'N')) ?? { count: 0, first: input.n };
          entry.count++;
          report.warnings.set(w.replace(/\d+/g, 'N'), entry);
        }
        out = again;
      }
      report.runs.core++;
      let expected: number | undefined;
      if (out.kind === 'hang') failures.push({ target: 'core', stage: 'hang', message: `no result within ${opts.timeoutMs} ms` });
      else if (out.kind === 'crash') failures.push({ target: 'core', stage: 'crash', message: out.message });
      else {
        const r = out.result;
        slow('core', input, r.ms.analyze + r.ms.rules);
        for (const f of r.failures) failures.push({ target: 'core', ...f });
        for (const w of r.warnings) if (!report.warnings.has(w.replace(/\d+/g, 'N'))) report.warnings.set(w.replace(/\d+/g, 'N'), { count: 0, first: input.n });
        for (const w of r.warnings) report.warnings.get(w.replace(/\d+/g, 'N'))!.count++;
        report.maxRssMb.core = Math.max(report.maxRssMb.core, r.rss / 1048576);
        if (r.rss > opts.maxRssMb * 1048576)
          failures.push({ target: 'core', stage: 'memory', message: `RSS ${(r.rss / 1048576).toFixed(0)} MB after this input is over ${opts.maxRssMb} MB` });
        if (!withBaseDump && r.failures.length === 0) expected = r.findings + r.crossFindings;
      }

      const side: Promise<void>[] = [];
      if (opts.replay || opts.only || pick.bool(1 / opts.cliEvery)) {
        const format = FORMATS[cliTurn++ % FORMATS.length];
        side.push(
          runCli(input, format, opts, input.bytes || utf8RoundTrips(input.text) ? expected : undefined).then((c) => {
            report.runs.cli++;
            report.runs.cliByFormat[format]++;
            slow('cli', input, c.ms);
            failures.push(...c.failures);
          }),
        );
      }
      if (opts.replay || opts.only || pick.bool(1 / opts.lspEvery)) {
        side.push(
          lsp.run(input, opts, pick).then((l) => {
            report.runs.lsp++;
            if (l.incremental) report.runs.lspIncremental++;
            slow('lsp', input, l.ms);
            if (l.rss) report.maxRssMb.lsp = Math.max(report.maxRssMb.lsp, l.rss / 1048576);
            failures.push(...l.failures);
          }),
        );
      }
      await Promise.all(side);

      if (failures.length > 0) {
        let wrote: string | undefined;
        for (const f of failures) {
          const sig = signature(f);
          let g = groups.get(sig);
          if (!g) {
            wrote ??= writeCrash(opts, input, failures);
            g = { signature: sig, failure: f, count: 0, inputs: [], mutation: input.mutation, crashFile: wrote };
            groups.set(sig, g);
            opts.log(
              `[fuzz] FAILURE #${input.n} (${f.target} ${f.stage}): ${f.message.slice(0, 300)}\n        mutation: ${input.mutation.slice(0, 300)}\n        input: ${wrote}`,
            );
          }
          g.count++;
          if (g.inputs.length < 20) g.inputs.push(input.n);
        }
      }

      // A leak across inputs: the heap after a full GC keeps growing.
      if (report.runs.core % 250 === 0) {
        const h = await core.heapAfterGc();
        if (h) {
          const mb = h.heap / 1048576;
          report.heapAfterGcMb.first ??= mb;
          report.heapAfterGcMb.last = mb;
          if (mb > report.heapAfterGcMb.first + opts.maxHeapGrowthMb) {
            const f: Failure = {
              target: 'core',
              stage: 'memory growth',
              message: `heap after GC grew from ${report.heapAfterGcMb.first.toFixed(0)} MB to ${mb.toFixed(0)} MB over ${report.runs.core} inputs`,
            };
            const sig = signature(f);
            if (!groups.has(sig)) groups.set(sig, { signature: sig, failure: f, count: 1, inputs: [input.n], mutation: '(whole run)' });
          }
        }
      }

      const now = performance.now();
      if (now - lastProgress > 15_000) {
        lastProgress = now;
        opts.log(
          `[fuzz] ${((now - started) / 1000).toFixed(0)} s: ${report.inputs} inputs (cli ${report.runs.cli}, lsp ${report.runs.lsp}), ${groups.size} distinct failures`,
        );
      }
    }
  } finally {
    core.stop();
    lsp.stop();
    rmSync(join(opts.outDir, 'work'), { recursive: true, force: true });
  }
  report.elapsedMs = performance.now() - started;
  report.failures = [...groups.values()];
  return report;
}

export function formatReport(r: FuzzReport): string {
  const out: string[] = [];
  const c = r.runs;
  out.push(
    `fuzz: seed ${r.seed}: ${r.inputs} inputs in ${(r.elapsedMs / 1000).toFixed(1)} s — core ${c.core}, CLI ${c.cli} (text ${c.cliByFormat.text}, json ${c.cliByFormat.json}, sarif ${c.cliByFormat.sarif}), LSP ${c.lsp} (${c.lspIncremental} edited from the seed)`,
  );
  for (const t of ['core', 'cli', 'lsp'] as const) {
    const s = r.slowest[t];
    if (s) out.push(`slowest ${t}: #${s.n} ${s.ms.toFixed(0)} ms, ${(s.chars / 1e6).toFixed(2)} M chars: ${s.mutation.slice(0, 200)}`);
  }
  out.push(`biggest input: #${r.biggestInput.n}, ${(r.biggestInput.chars / 1e6).toFixed(2)} M chars: ${r.biggestInput.mutation.slice(0, 160)}`);
  out.push(
    `max RSS: core process ${r.maxRssMb.core.toFixed(0)} MB, language server ${r.maxRssMb.lsp.toFixed(0)} MB; core heap after GC: ${r.heapAfterGcMb.first?.toFixed(0) ?? '-'} MB first, ${r.heapAfterGcMb.last?.toFixed(0) ?? '-'} MB last`,
  );
  for (const [w, { count, first }] of r.warnings) out.push(`warning: ${w} (${count} inputs, first #${first})`);
  if (r.failures.length === 0) out.push('failures: none');
  else {
    out.push(`failures: ${r.failures.length} distinct, ${r.failures.reduce((s, g) => s + g.count, 0)} in all`);
    for (const g of r.failures) {
      out.push(`- [${g.failure.target} ${g.failure.stage}] ${g.failure.message.slice(0, 400)}`);
      out.push(`  ${g.count} time(s), inputs ${g.inputs.join(', ')}${g.crashFile ? `; first input: ${g.crashFile}` : ''}`);
      out.push(`  mutation: ${g.mutation.slice(0, 300)}`);
      if (g.failure.stack)
        out.push(
          g.failure.stack
            .split('\n')
            .slice(0, 8)
            .map((l) => `    ${l.trim()}`)
            .join('\n'),
        );
    }
  }
  return out.join('\n');
}

// ---- minimising a core failure ----------------------------------------------------------------------

/**
 * Shrinks input n while the core still fails the same way: drop lines, then ever smaller
 * chunks of characters. Writes `crash-<seed>-<n>.min.txt`.
 */
export async function minimize(seed: number, n: number, opts: FuzzOptions): Promise<string | undefined> {
  const input = generateInput(seed, n);
  const core = new CoreRunner();
  const job = (text: string): CoreJob => ({ n, seed, uri: `file:///fuzz/min${input.ext || ''}`, text, withBaseDump: false, extras: true });
  const sigOf = async (text: string): Promise<string | undefined> => {
    const out = await core.run(job(text), opts.timeoutMs);
    if (out.kind === 'hang') return 'hang';
    if (out.kind === 'crash') return 'crash';
    const f = out.result.failures[0];
    return f ? signature({ target: 'core', ...f }) : undefined;
  };
  try {
    const target = await sigOf(input.text);
    if (!target) {
      opts.log(`input #${n} does not fail in the core`);
      return undefined;
    }
    opts.log(`minimising #${n} (${input.text.length} chars), failure: ${target}`);
    let text = input.text;
    let tries = 0;
    const still = async (t: string) => (++tries, (await sigOf(t)) === target);
    for (let parts = 2; parts <= 4096 && tries < 3000;) {
      const size = Math.ceil(text.length / parts);
      let shrunk = false;
      for (let at = 0; at < text.length && tries < 3000; at += size) {
        const candidate = text.slice(0, at) + text.slice(at + size);
        if (candidate.length < text.length && (await still(candidate))) {
          text = candidate;
          shrunk = true;
          at -= size;
        }
      }
      if (!shrunk) {
        if (size <= 1) break;
        parts *= 2;
      } else parts = Math.max(2, parts);
    }
    const file = join(opts.outDir, `crash-${seed}-${n}.min.txt`);
    mkdirSync(opts.outDir, { recursive: true });
    writeFileSync(file, text);
    opts.log(
      `minimal input: ${text.length} chars after ${tries} tries: ${file}\n${text.length <= 2000 ? JSON.stringify(text) : JSON.stringify(text.slice(0, 1000)) + ' …'}`,
    );
    return file;
  } finally {
    core.stop();
  }
}

// ---- command line -------------------------------------------------------------------------------------

function parseArgs(argv: string[]): { opts: Partial<FuzzOptions>; minimize?: number } {
  const opts: Partial<FuzzOptions> = {};
  let min: number | undefined;
  const env = process.env;
  if (env.FUZZ_SEED) opts.seed = Number(env.FUZZ_SEED);
  if (env.FUZZ_BUDGET) opts.budgetMs = Number(env.FUZZ_BUDGET) * 1000;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--seed':
        opts.seed = num();
        break;
      case '--budget':
        opts.budgetMs = num() * 1000;
        break;
      case '--max-inputs':
        opts.maxInputs = num();
        break;
      case '--timeout':
        opts.timeoutMs = num();
        break;
      case '--cli-every':
        opts.cliEvery = num();
        break;
      case '--lsp-every':
        opts.lspEvery = num();
        break;
      case '--max-rss':
        opts.maxRssMb = num();
        break;
      case '--only':
        opts.only = value().split(',').map(Number);
        break;
      case '--replay':
        opts.replay = value()
          .split(',')
          .map((f, i) => ({ ...readCrash(f), n: i }));
        break;
      case '--minimize':
        min = num();
        break;
      case '--out':
        opts.outDir = value();
        break;
      case '--quiet':
        opts.log = () => undefined;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return { opts, minimize: min };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.minimize !== undefined) {
    const opts = { ...DEFAULT_OPTIONS, ...parsed.opts };
    return (await minimize(opts.seed, parsed.minimize, opts)) ? 0 : 1;
  }
  const report = await runFuzz(parsed.opts);
  console.log(formatReport(report));
  return report.failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
