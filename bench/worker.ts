// One measurement in a fresh process, so that each engine gets its own heap, JIT and peak-RSS
// figure and a crash or a runaway (out of memory, superlinear time) cannot take the run down.
//
//   node --import tsx --expose-gc bench/worker.ts <task> <result.json> <args...>
//
// Tasks: analysis (our core vs JSON.parse), jsonls (vscode-json-languageservice), profile
// (a CPU profile of the analysis), index (the workspace index, when the module exists).
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import type { Form } from './generate';
import { median } from './stats';

declare const gc: undefined | (() => void);
const collect = () => {
  if (typeof gc === 'function') {
    gc();
    gc();
  }
};

const now = () => performance.now();
const keepAlive: unknown[] = [];

interface Core {
  analyzeText: typeof import('../server/src/core/analyze').analyzeText;
  parseDump: typeof import('../server/src/core/dump').parseDump;
  runWorkspaceRules: typeof import('../server/src/core/rules').runWorkspaceRules;
}

async function loadCore(): Promise<Core> {
  const analyze = await import('../server/src/core/analyze');
  const dump = await import('../server/src/core/dump');
  const rules = await import('../server/src/core/rules');
  return { analyzeText: analyze.analyzeText, parseDump: dump.parseDump, runWorkspaceRules: rules.runWorkspaceRules };
}

/**
 * The floor: JSON.parse of the same records, the way each form is naturally read. With
 * `keep`, the values are kept until the end (as any tool that holds the records must),
 * which costs garbage-collector time that throwing them away does not.
 */
function baseline(text: string, form: Form, lengths: number[] | undefined, keep = false): number {
  const values: unknown[] = [];
  let n = 0;
  if (form === 'jsonl') {
    for (const line of text.split('\n'))
      if (line.length > 0) {
        const v = JSON.parse(line);
        if (keep) values.push(v);
        n++;
      }
  } else if (form === 'array') {
    const all = JSON.parse(text) as unknown[];
    n = all.length;
    if (keep) values.push(all);
  } else {
    if (!lengths) throw new Error('Firehose baseline needs the record lengths from the manifest');
    let at = 0;
    for (const len of lengths) {
      const v = JSON.parse(text.slice(at, at + len));
      if (keep) values.push(v);
      at += len;
      n++;
    }
  }
  if (keep) keepAlive.push(values);
  return n;
}

function lengthsFor(file: string): number[] | undefined {
  const manifestPath = path.join(path.dirname(file), 'manifest.json');
  if (!fs.existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { dumps: Record<string, { lengths?: number[] }> };
  return manifest.dumps[path.basename(file)]?.lengths;
}

function formOf(file: string): Form {
  return file.endsWith('.jsonl') ? 'jsonl' : file.endsWith('.json') ? 'array' : 'firehose';
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export interface AnalysisResult {
  file: string;
  form: Form;
  bytes: number;
  chars: number;
  records: number;
  baselineRecords: number;
  format: string;
  coldFirstMs: number;
  coldFile: string;
  samples: { baseline: number[]; baselineKept: number[]; parseDump: number[]; analyzeText: number[]; rules: number[]; full: number[] };
  median: { baseline: number; baselineKept: number; parseDump: number; analyzeText: number; rules: number; full: number };
  findings: Record<string, number>;
  heapRetainedBytes: number;
  maxRssBytes: number;
}

async function analysisTask(file: string, iterations: number, warmFile: string | undefined, budgetMs: number): Promise<AnalysisResult> {
  const form = formOf(file);
  const core = await loadCore();
  const uri = 'file://' + file;
  // Cold: the first analysis in a process compiles the schemas (ajv) and warms the JIT.
  const coldFile = warmFile && fs.existsSync(warmFile) ? warmFile : file;
  const warmText = fs.readFileSync(coldFile, 'utf8');
  let t = now();
  const warm = core.analyzeText('file://' + coldFile, warmText);
  core.runWorkspaceRules([warm.dump]);
  const coldFirstMs = now() - t;
  baseline(warmText, formOf(coldFile), lengthsFor(coldFile));
  core.parseDump('file://' + coldFile, warmText);

  const text = fs.readFileSync(file, 'utf8');
  const lengths = form === 'firehose' ? lengthsFor(file) : undefined;
  const samples: AnalysisResult['samples'] = { baseline: [], baselineKept: [], parseDump: [], analyzeText: [], rules: [], full: [] };
  let findings: Record<string, number> = {};
  let records = 0,
    baselineRecords = 0,
    format = '';
  let heapRetainedBytes = 0;

  // One full analysis; only numbers leave this function, so nothing of it is alive while
  // the next engine is timed.
  const full = (first: boolean) => {
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = now();
    const analysis = core.analyzeText(uri, text);
    const t1 = now();
    const cross = core.runWorkspaceRules([analysis.dump]);
    const t2 = now();
    samples.analyzeText.push(t1 - t0);
    samples.rules.push(t2 - t1);
    samples.full.push(t2 - t0);
    if (first) {
      // What the analysis keeps alive (the dump shares the text); the module-level array
      // stops the optimizer from treating the result as dead before the measurement.
      keepAlive.push(analysis, cross);
      collect();
      heapRetainedBytes = process.memoryUsage().heapUsed - heapBefore;
      keepAlive.length = 0;
    }
    records = analysis.dump.records.length;
    format = analysis.dump.format;
    findings = {};
    for (const f of [...analysis.findings, ...(cross.get(uri) ?? [])]) findings[f.code] = (findings[f.code] ?? 0) + 1;
  };

  const started = now();
  for (let i = 0; i < iterations; i++) {
    // Alternate the engines within one iteration so drift (thermal, other load) hits both.
    collect();
    t = now();
    baselineRecords = baseline(text, form, lengths);
    samples.baseline.push(now() - t);

    collect();
    t = now();
    baseline(text, form, lengths, true);
    samples.baselineKept.push(now() - t);
    keepAlive.length = 0;

    full(i === 0);

    // The split-and-parse step alone (part of analyzeText), skipped when out of time.
    if (now() - started < budgetMs) {
      collect();
      t = now();
      core.parseDump(uri, text);
      samples.parseDump.push(now() - t);
    }
    if (now() - started > budgetMs) break;
  }

  return {
    file,
    form,
    bytes: fs.statSync(file).size,
    chars: text.length,
    records,
    baselineRecords,
    format,
    coldFirstMs,
    coldFile,
    samples,
    median: {
      baseline: median(samples.baseline),
      baselineKept: median(samples.baselineKept),
      parseDump: median(samples.parseDump),
      analyzeText: median(samples.analyzeText),
      rules: median(samples.rules),
      full: median(samples.full),
    },
    findings,
    heapRetainedBytes,
    maxRssBytes: maxRssBytes(),
  };
}

export interface JsonLsResult {
  file: string;
  bytes: number;
  samples: number[];
  parseSamples: number[];
  median: number;
  diagnostics: number;
  firstDiagnostics: string[];
  maxRssBytes: number;
}

/**
 * What a user gets today from `json.schemas`: VS Code's JSON language service validating the
 * array form against our schemas. An item is an agent event when it has EventType (if/then/else,
 * cheaper than anyOf, which would validate every item against both schemas).
 */
async function jsonLsTask(file: string, iterations: number, warmFile: string | undefined, budgetMs: number): Promise<JsonLsResult> {
  const ls = await import('vscode-json-languageservice');
  const root = path.resolve(__dirname, '..');
  const agent = JSON.parse(fs.readFileSync(path.join(root, 'schemas/agent-event.schema.json'), 'utf8'));
  const contact = JSON.parse(fs.readFileSync(path.join(root, 'schemas/contact-record.schema.json'), 'utf8'));
  const service = ls.getLanguageService({});
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [
      { uri: 'bench://schemas/agent-event.schema.json', schema: agent },
      { uri: 'bench://schemas/contact-record.schema.json', schema: contact },
      {
        uri: 'bench://schemas/dump.schema.json',
        fileMatch: ['*.json'],
        schema: {
          type: 'array',
          items: {
            if: { required: ['EventType'] },
            then: { $ref: 'bench://schemas/agent-event.schema.json' },
            else: { $ref: 'bench://schemas/contact-record.schema.json' },
          },
        },
      },
    ],
  });
  const validate = async (f: string) => {
    const doc = ls.TextDocument.create('file://' + f, 'json', 1, fs.readFileSync(f, 'utf8'));
    const t0 = now();
    const jsonDoc = service.parseJSONDocument(doc);
    const t1 = now();
    const diagnostics = await service.doValidation(doc, jsonDoc, { schemaValidation: 'error', trailingCommas: 'error', comments: 'error' });
    return { parse: t1 - t0, total: now() - t0, diagnostics };
  };
  await validate(warmFile && fs.existsSync(warmFile) ? warmFile : file);
  const samples: number[] = [];
  const parseSamples: number[] = [];
  let diagnostics: Awaited<ReturnType<typeof validate>>['diagnostics'] = [];
  const started = now();
  for (let i = 0; i < iterations; i++) {
    collect();
    const r = await validate(file);
    samples.push(r.total);
    parseSamples.push(r.parse);
    diagnostics = r.diagnostics;
    if (now() - started > budgetMs) break;
  }
  return {
    file,
    bytes: fs.statSync(file).size,
    samples,
    parseSamples,
    median: median(samples),
    diagnostics: diagnostics.length,
    firstDiagnostics: diagnostics.slice(0, 3).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`),
    maxRssBytes: maxRssBytes(),
  };
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  totalMs: number;
}
export interface ProfileResult {
  file: string;
  runs: number;
  totalMs: number;
  cpuprofile: string;
  top: ProfileEntry[];
  byFile: { where: string; selfMs: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self and total time per function from a V8 CPU profile (the format `node --cpu-prof` writes). */
export function summarizeProfile(profile: CpuProfile, root: string): { top: ProfileEntry[]; byFile: { where: string; selfMs: number }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Samples in the inspector's own calls (Profiler.start / stop) are the measurement, not the analysis.
  const inspectorNodes = new Set<number>();
  const mark = (id: number, inside: boolean) => {
    const n = byId.get(id)!;
    const now = inside || n.callFrame.url === 'node:inspector';
    if (now) inspectorNodes.add(id);
    for (const c of n.children ?? []) mark(c, now);
  };
  mark(profile.nodes[0].id, false);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (i > 0 && !inspectorNodes.has(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const where = (url: string, line: number) => {
    if (!url) return '(native / generated)';
    const file = url.startsWith('file://') ? url.slice(7) : url;
    return `${path.relative(root, file)}:${line + 1}`;
  };
  const keyOf = (n: CpuProfile['nodes'][number]) => `${n.callFrame.functionName || '(anonymous)'}|${where(n.callFrame.url, n.callFrame.lineNumber)}`;
  const agg = new Map<string, { self: number; total: number }>();
  // Total time: a node's subtree, counted once per function even when it recurses.
  const subtree = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!;
    const key = keyOf(n);
    let sum = selfUs.get(id) ?? 0;
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const c of n.children ?? []) sum += subtree(c, onStack);
    if (fresh) onStack.delete(key);
    const a = agg.get(key) ?? { self: 0, total: 0 };
    a.self += selfUs.get(id) ?? 0;
    if (fresh) a.total += sum;
    agg.set(key, a);
    return sum;
  };
  subtree(profile.nodes[0].id, new Set());
  const top = [...agg.entries()]
    .map(([key, v]) => {
      const [name, at] = key.split('|');
      return { name, where: at, selfMs: v.self / 1000, totalMs: v.total / 1000 };
    })
    .filter((e) => e.name !== '(root)');
  const files = new Map<string, number>();
  for (const e of top) {
    const file = e.where.replace(/:\d+$/, '');
    files.set(file, (files.get(file) ?? 0) + e.selfMs);
  }
  return {
    top: top.sort((a, b) => b.selfMs - a.selfMs),
    byFile: [...files.entries()].map(([w, s]) => ({ where: w, selfMs: s })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

async function profileTask(file: string, runs: number, out: string): Promise<ProfileResult> {
  const core = await loadCore();
  const text = fs.readFileSync(file, 'utf8');
  const uri = 'file://' + file;
  core.runWorkspaceRules([core.analyzeText(uri, text).dump]);
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const t = now();
  for (let i = 0; i < runs; i++) core.runWorkspaceRules([core.analyzeText(uri, text).dump]);
  const totalMs = now() - t;
  const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
  session.disconnect();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(profile));
  const summary = summarizeProfile(profile, path.resolve(__dirname, '..'));
  return { file, runs, totalMs, cpuprofile: out, top: summary.top.slice(0, 25), byFile: summary.byFile.slice(0, 12) };
}

async function main(): Promise<void> {
  const [task, resultFile, ...args] = process.argv.slice(2);
  let result: unknown;
  if (task === 'analysis') result = await analysisTask(args[0], Number(args[1]), args[2] || undefined, Number(args[3] ?? 60000));
  else if (task === 'jsonls') result = await jsonLsTask(args[0], Number(args[1]), args[2] || undefined, Number(args[3] ?? 60000));
  else if (task === 'profile') result = await profileTask(args[0], Number(args[1]), args[2]);
  else throw new Error(`unknown task ${task}`);
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
