// The core under fuzz, in a child process of its own: the parent sends one input at a time
// and kills this process when an input takes too long, so a hang is detected rather than
// awaited; a crash or an out-of-memory only takes this process down.
//
// For each input: analyzeText and runWorkspaceRules must not throw and their findings must
// make sense (known code and severity, a message, offsets inside the text, related spans
// inside their documents); re-analysing with the previous version's analysis must give the
// same findings as a fresh analysis; nothing may be added to Object.prototype; and the
// helpers behind hover, go-to-definition and the timeline must not throw either.
import { analyzeText, DocumentAnalysis, workspaceDumps } from '../../server/src/core/analyze';
import { contactSummary } from '../../server/src/core/contactSummary';
import { contactModel } from '../../server/src/core/model';
import { pathAt } from '../../server/src/core/positions';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { contactIdAt } from '../../server/src/core/contactAt';
import { buildTimeline } from '../../server/src/core/timeline';
import { FINDING_CODES, type Dump, type Finding } from '../../server/src/core/types';
import { isWebviewToExtension } from '../../server/src/shared/timeline';
import { Rng } from './rng';

export interface CoreJob {
  n: number;
  seed: number;
  uri: string;
  text: string;
  /** The text before mutation: analysed first, then `text` as its next version. */
  baseText?: string;
  /** Also run the cross-record rules with `baseText` as a second open document. */
  withBaseDump: boolean;
  /** Run the hover / definition / timeline helpers too. */
  extras: boolean;
}

export interface CoreFailure {
  stage: string;
  message: string;
  stack?: string;
}

export interface CoreResult {
  n: number;
  failures: CoreFailure[];
  /** Oddities worth a look that are not failures (e.g. a message of megabytes). */
  warnings: string[];
  ms: { analyze: number; rules: number; incremental: number; extras: number; total: number };
  findings: number;
  crossFindings: number;
  records: number;
  rss: number;
  heapUsed: number;
}

export type CoreRequest = { job: CoreJob } | { gc: true };
export type CoreReply = { result: CoreResult } | { heapAfterGc: number; rss: number };

// The known codes are the core's own list: a code outside it is an oracle failure.
const CODES: ReadonlySet<string> = new Set(FINDING_CODES);
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);
/** A message longer than this would swamp the Problems panel and a hover. */
export const MAX_MESSAGE_CHARS = 20_000;

// Deep recursion overflows leave only the recursing frames in the default 10; keep more to see the caller.
Error.stackTraceLimit = 40;

const baselineObjectKeys = Object.getOwnPropertyNames(Object.prototype).join(',');
const baselineArrayKeys = Object.getOwnPropertyNames(Array.prototype).join(',');

function pollution(): string | undefined {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined) return `({}).polluted is ${JSON.stringify(probe.polluted)}`;
  if (Object.getOwnPropertyNames(Object.prototype).join(',') !== baselineObjectKeys) return 'Object.prototype gained or lost properties';
  if (Object.getOwnPropertyNames(Array.prototype).join(',') !== baselineArrayKeys) return 'Array.prototype gained or lost properties';
  if (Object.getPrototypeOf(probe) !== Object.prototype) return 'a fresh object has a changed prototype';
  return undefined;
}

/** Findings must point inside their document and say something. Returns what is wrong, if anything. */
function checkFindings(findings: unknown, textOf: (uri: string) => string | undefined, uri: string, warnings: string[]): string | undefined {
  if (!Array.isArray(findings)) return 'findings is not an array';
  const text = textOf(uri);
  if (text === undefined) return `findings for an unknown document ${uri}`;
  for (const f of findings as Finding[]) {
    const where = `finding ${JSON.stringify({ code: f?.code, start: f?.start, end: f?.end }) ?? '?'}`;
    if (!f || typeof f !== 'object') return 'a finding is not an object';
    if (!CODES.has(f.code)) return `${where}: unknown code`;
    if (!SEVERITIES.has(f.severity)) return `${where}: unknown severity ${String(f.severity)}`;
    if (typeof f.message !== 'string' || f.message.trim() === '') return `${where}: empty message`;
    if (f.message.length > MAX_MESSAGE_CHARS) warnings.push(`${f.code} message of ${f.message.length} chars`);
    if (!Number.isInteger(f.start) || !Number.isInteger(f.end) || f.start < 0 || f.end < f.start || f.end > text.length) {
      return `${where}: span outside the text (length ${text.length})`;
    }
    for (const r of f.related ?? []) {
      const other = textOf(r.uri);
      if (other === undefined) return `${where}: related location in an unknown document ${r.uri}`;
      if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end < r.start || r.end > other.length) {
        return `${where}: related span ${r.start}-${r.end} outside its document (length ${other.length})`;
      }
      if (typeof r.message !== 'string' || r.message === '') return `${where}: related location without a message`;
    }
    if (f.fix && typeof f.fix.replacement !== 'string') return `${where}: fix without a replacement`;
  }
  return undefined;
}

const key = (f: Finding) => `${f.code}|${f.severity}|${f.start}|${f.end}|${f.message}`;

function errorOf(stage: string, e: unknown): CoreFailure {
  if (e instanceof Error) return { stage, message: `${e.name}: ${e.message}`, stack: e.stack };
  return { stage, message: String(e) };
}

function contactIds(dump: Dump, limit: number): string[] {
  const ids = new Set<string>();
  for (const r of dump.records) {
    const v = r.value as Record<string, unknown> | undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.ContactId === 'string') ids.add(v.ContactId);
    if (ids.size >= limit * 8) break;
  }
  return [...ids];
}

export function runJob(job: CoreJob): CoreResult {
  const failures: CoreFailure[] = [];
  const warnings: string[] = [];
  const ms = { analyze: 0, rules: 0, incremental: 0, extras: 0, total: 0 };
  const t0 = performance.now();
  let crossCount = 0;
  const stage = <T>(name: string, slot: keyof typeof ms | undefined, f: () => T): T | undefined => {
    const start = performance.now();
    try {
      return f();
    } catch (e) {
      failures.push(errorOf(name, e));
      return undefined;
    } finally {
      if (slot) ms[slot] += performance.now() - start;
    }
  };

  const analysis: DocumentAnalysis | undefined = stage('analyzeText', 'analyze', () => analyzeText(job.uri, job.text));
  if (analysis) {
    const a = analysis;
    const texts = new Map([[job.uri, job.text]]);
    const problem = checkFindings(a.findings, (u) => texts.get(u), job.uri, warnings);
    if (problem) failures.push({ stage: 'analyzeText findings', message: problem });

    // The records decoded out of envelopes are dumps of their own, as for the server and the
    // CLI (workspaceDumps): without them a bare record's link to a contact record inside an
    // envelope of the same file looked unresolved here (a link-missing the CLI rightly lacks).
    const dumps: Dump[] = [];
    const addDumps = (analysis: DocumentAnalysis, text: string) => {
      dumps.push(...workspaceDumps(analysis));
      texts.set(analysis.dump.uri, text);
      if (analysis.decoded) texts.set(analysis.decoded.dump.uri, analysis.decoded.dump.text);
    };
    addDumps(a, job.text);
    const baseUri = job.uri.replace(/(\.[a-z]+)?$/, '.base$1');
    if (job.withBaseDump && job.baseText !== undefined) {
      const base = stage('analyzeText(base)', undefined, () => analyzeText(baseUri, job.baseText!));
      if (base) addDumps(base, job.baseText);
    }
    const cross = stage('runWorkspaceRules', 'rules', () => runWorkspaceRules(dumps));
    if (cross) {
      for (const [uri, list] of cross) {
        crossCount += list.length;
        const p = checkFindings(list, (u) => texts.get(u), uri, warnings);
        if (p) failures.push({ stage: 'runWorkspaceRules findings', message: p });
      }
    }

    if (job.baseText !== undefined && !job.withBaseDump) {
      // The editor path: the previous version's records are taken over, the rest re-read.
      stage('analyzeText(incremental)', 'incremental', () => {
        const previous = analyzeText(job.uri, job.baseText!);
        const next = analyzeText(job.uri, job.text, previous);
        const fresh = a.findings.map(key);
        const incremental = next.findings.map(key);
        if (fresh.join('\n') !== incremental.join('\n')) {
          const onlyFresh = fresh.filter((k) => !incremental.includes(k)).slice(0, 3);
          const onlyInc = incremental.filter((k) => !fresh.includes(k)).slice(0, 3);
          failures.push({
            stage: 'incremental analysis',
            message: `re-analysis after an edit differs from a fresh analysis (${fresh.length} vs ${incremental.length} findings); only fresh: ${JSON.stringify(onlyFresh).slice(0, 600)}; only incremental: ${JSON.stringify(onlyInc).slice(0, 600)}`,
          });
        }
      });
    }

    if (job.extras) {
      const rng = new Rng((job.seed ^ Math.imul(job.n + 1, 0x2545f491)) >>> 0);
      const len = job.text.length;
      stage('pathAt (hover)', 'extras', () => {
        for (let i = 0; i < 6; i++) pathAt(a.dump, rng.int(0, len));
      });
      stage('contactIdAt (timeline, definition)', 'extras', () => {
        for (let i = 0; i < 4; i++) contactIdAt(a.dump, rng.int(0, len));
      });
      const ids = contactIds(a.dump, 3);
      const picked = ids.length ? [rng.pick(ids), rng.pick(ids)] : [];
      stage('contactSummary (hover)', 'extras', () => {
        const model = contactModel(dumps);
        for (const id of picked) {
          const s = contactSummary(model, id);
          if (s) JSON.stringify(s);
        }
      });
      stage('buildTimeline', 'extras', () => {
        for (const id of picked.slice(0, 1)) {
          const model = buildTimeline(id, dumps, { findings: cross });
          // The model crosses JSON-RPC and postMessage: it must serialise.
          if (model !== undefined && typeof JSON.stringify(model) !== 'string') throw new Error('the timeline model does not serialise');
        }
      });
      stage('isWebviewToExtension', 'extras', () => {
        for (const r of a.dump.records.slice(0, 50)) {
          if (isWebviewToExtension(r.value) && !(r.value && typeof r.value === 'object')) throw new Error('accepted a non-object');
        }
      });
    }
  }
  const polluted = pollution();
  if (polluted) failures.push({ stage: 'prototype pollution', message: polluted });
  ms.total = performance.now() - t0;
  const mem = process.memoryUsage();
  return {
    n: job.n,
    failures,
    warnings: [...new Set(warnings)],
    ms,
    findings: analysis?.findings.length ?? 0,
    crossFindings: crossCount,
    records: analysis?.dump.records.length ?? 0,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
  };
}

function collectGarbage(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

if (require.main === module && process.send) {
  process.on('message', (msg: CoreRequest) => {
    if ('gc' in msg) {
      collectGarbage();
      const mem = process.memoryUsage();
      process.send!({ heapAfterGc: mem.heapUsed, rss: mem.rss } satisfies CoreReply);
      return;
    }
    process.send!({ result: runJob(msg.job) } satisfies CoreReply);
  });
  process.send({ ready: true });
}
