// connectInspector/analyzeFile: streams a dump from disk (any size: VS Code does not hand
// files over 50 MB to extensions) with work-done progress and cancellation, and answers with
// the findings, capped, errors kept first. connectInspector/fileExcerpt: the text around one
// of those findings, read by seeking in the file, for files too large to open in the editor.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { analyzeFileStream, DEFAULT_WINDOW_CHARS, startsWithGzip, StreamFinding } from '../core/stream';
import { decodeLimits } from './decoded';
import type { Severity } from '../core/types';
import {
  AnalyzeFileParams,
  AnalyzeFileRequest,
  AnalyzeFileResult,
  FileExcerptParams,
  FileExcerptRequest,
  FileExcerptResult,
  FileFinding,
} from '../shared/protocol';
import type { ServerContext } from './context';
import { decodedLineOfFinding, registerFileTimeline } from './fileTimeline';
import { DecodeLimits, DEFAULT_LIMITS } from '../core/envelopes';

/** What the streaming analysis leaves out; the client shows it with the results. */
const WINDOW_MB = Math.round(DEFAULT_WINDOW_CHARS / (1024 * 1024));

export const NOT_CHECKED = [
  `Contact links and duplicates between contact records are checked across the whole file; duplicate-id of agent events and contact events, and the links of contacts known only from their contact events, only between records within about ${WINDOW_MB} MB of each other.`,
  'Agent events are checked along each agent across the whole file, but events delivered out of time order across that distance are compared in file order.',
  'Records in other files (open or in the workspace) are not consulted.',
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Keeps at most `cap` findings; past the cap a more severe finding replaces a less severe one. */
class FindingKeeper {
  private readonly buckets: { f: FileFinding; seq: number }[][] = [[], [], [], []];
  private kept = 0;
  private seq = 0;
  total = 0;
  readonly counts = { error: 0, warning: 0, information: 0, hint: 0 };

  constructor(private readonly cap: number) {}

  add(f: FileFinding): void {
    this.total++;
    this.counts[f.severity]++;
    const rank = RANK[f.severity];
    const item = { f, seq: this.seq++ };
    if (this.kept < this.cap) {
      this.buckets[rank].push(item);
      this.kept++;
      return;
    }
    for (let b = 3; b > rank; b--) {
      if (this.buckets[b].length > 0) {
        this.buckets[b].pop();
        this.buckets[rank].push(item);
        return;
      }
    }
  }

  findings(): FileFinding[] {
    return this.buckets
      .flat()
      .sort((a, b) => a.f.range.start.line - b.f.range.start.line || a.f.range.start.character - b.f.range.start.character || a.seq - b.seq)
      .map((x) => x.f);
  }

  get omitted(): number {
    return this.total - this.kept;
  }
}

function resolveFile(params: { uri?: string; path?: string }): { file: string; uri: string } | { error: string } {
  try {
    if (params.uri) {
      if (!params.uri.startsWith('file:')) return { error: `Only files on disk can be analysed, not ${params.uri}.` };
      const file = fileURLToPath(params.uri);
      return { file, uri: params.uri };
    }
    if (params.path) {
      const file = path.resolve(params.path);
      return { file, uri: pathToFileURL(file).href };
    }
  } catch (e) {
    return { error: `Not a file: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { error: 'No file given (uri or path).' };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

export async function analyzeFile(
  ctx: ServerContext,
  params: AnalyzeFileParams,
  token?: CancellationToken,
  progress?: WorkDoneProgressReporter,
): Promise<AnalyzeFileResult> {
  const started = Date.now();
  const target = resolveFile(params);
  const empty = (uri: string, file: string, error: string): AnalyzeFileResult => ({
    uri,
    path: file,
    error,
    size: 0,
    bytesRead: 0,
    records: 0,
    kinds: { agentEvent: 0, contactRecord: 0, unknown: 0 },
    format: 'empty',
    findings: [],
    total: 0,
    omitted: 0,
    counts: { error: 0, warning: 0, information: 0, hint: 0 },
    cancelled: false,
    elapsedMs: Date.now() - started,
    notChecked: NOT_CHECKED,
  });
  if ('error' in target) return empty(params.uri ?? '', params.path ?? '', target.error);
  let size: number;
  try {
    const stat = await fsp.stat(target.file);
    if (!stat.isFile()) return empty(target.uri, target.file, `Not a file: ${target.file}`);
    size = stat.size;
  } catch (e) {
    return empty(target.uri, target.file, `Cannot read ${target.file}: ${e instanceof Error ? e.message : String(e)}`);
  }

  const settings = ctx.settings();
  const keeper = new FindingKeeper(Math.max(1, Math.floor(params.maxFindings ?? settings.maxFindingsPerDocument)));
  const abort = new AbortController();
  const subscription = token?.onCancellationRequested(() => abort.abort());
  const name = path.basename(target.file);
  progress?.begin(`Analyzing ${name}`, 0, formatBytes(size), true);
  let lastReport = 0,
    lastPercent = -1;
  try {
    const summary = await analyzeFileStream(target.file, {
      uri: target.uri,
      skipBom: true, // VS Code's editor drops it, so positions match the editor
      limits: decodeLimits(ctx), // a .gz is decompressed as it is read (lsp/decoded.ts)
      signal: abort.signal,
      onFinding: (f: StreamFinding) => {
        const setting = settings.rules[f.code] ?? f.severity;
        if (setting === 'off') return;
        keeper.add({ ...f, severity: setting });
      },
      onProgress: (bytes) => {
        const percent = size > 0 ? Math.floor((bytes / size) * 100) : 100;
        const now = Date.now();
        if (percent === lastPercent || now - lastReport < 200) return;
        lastPercent = percent;
        lastReport = now;
        progress?.report(percent, `${formatBytes(bytes)} of ${formatBytes(size)}, ${keeper.total} finding(s)`);
      },
    });
    return {
      uri: target.uri,
      path: target.file,
      size,
      bytesRead: summary.bytes,
      records: summary.records,
      kinds: summary.kinds,
      format: summary.format,
      findings: keeper.findings(),
      total: keeper.total,
      omitted: keeper.omitted,
      counts: keeper.counts,
      cancelled: summary.cancelled,
      elapsedMs: Date.now() - started,
      notChecked: NOT_CHECKED,
    };
  } catch (e) {
    return empty(target.uri, target.file, `Cannot read ${target.file}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    subscription?.dispose();
    progress?.done();
  }
}

/** Bytes read before the record for context lines, at most. */
const BEFORE_MAX = 64 * 1024;
/** Bytes read after the record for context lines, at most. */
const AFTER_MAX = 64 * 1024;
/** The excerpt holds at most this many bytes. */
export const EXCERPT_MAX = 1024 * 1024;

async function readAt(fh: fsp.FileHandle, from: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * The record holding a finding (or, for a record over EXCERPT_MAX, the bytes around the
 * finding) with `contextLines` lines before and after, and where its first character sits.
 */
export async function readExcerpt(params: FileExcerptParams, limits: DecodeLimits = DEFAULT_LIMITS): Promise<FileExcerptResult> {
  const target = resolveFile({ uri: params.uri });
  const fail = (error: string): FileExcerptResult => ({ text: '', firstLine: 0, firstCharacter: 0, truncated: false, size: 0, error });
  if ('error' in target) return fail(target.error);
  // Positions in a .gz are lines of its decompressed text, which its bytes on disk cannot show:
  // the record instead, as its line in the decoded view (Open Decoded Records).
  if (startsWithGzip(target.file)) {
    const line = await decodedLineOfFinding(target.file, params.source, limits).catch(() => undefined);
    if (line === undefined)
      return fail(`${path.basename(target.file)} is gzip-compressed: run Connect Inspector: Open Decoded Records on it to see its records.`);
    return { text: line, firstLine: params.position.line, firstCharacter: 0, truncated: false, size: (await fsp.stat(target.file)).size, decodedLine: line };
  }
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(target.file, 'r');
  } catch (e) {
    return fail(`Cannot read ${target.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const size = (await fh.stat()).size;
    const context = Math.max(0, Math.min(50, Math.floor(params.contextLines ?? 3)));
    const rec = params.source.record;
    const byte = Math.max(0, Math.min(size, params.source.byte));
    const whole = rec !== undefined && rec.byteEnd - rec.byteStart <= EXCERPT_MAX - BEFORE_MAX - AFTER_MAX;
    const anchorStart = whole ? rec.byteStart : Math.max(0, byte - (EXCERPT_MAX >> 2));
    const anchorEnd = whole ? rec.byteEnd : Math.min(size, byte + (EXCERPT_MAX >> 2));

    // Back to the start of the line `context` lines above the anchor, if it is near.
    const beforeFrom = Math.max(0, anchorStart - BEFORE_MAX);
    const before = await readAt(fh, beforeFrom, anchorStart - beforeFrom);
    let start = -1,
      newlines = 0;
    for (let i = before.length - 1; i >= 0 && newlines <= context; i--) {
      if (before[i] !== 0x0a) continue;
      newlines++;
      start = beforeFrom + i + 1;
    }
    let atLineStart = true;
    if (newlines <= context && beforeFrom === 0) start = 0;
    else if (start < 0) {
      start = anchorStart;
      atLineStart = false;
    }

    // On to the end of the line `context` lines below the anchor, within the limit.
    const limit = Math.min(size, start + EXCERPT_MAX);
    let end = Math.min(anchorEnd, limit);
    let truncated = anchorEnd > limit;
    if (!truncated && end < size) {
      const after = await readAt(fh, end, Math.min(AFTER_MAX, limit - end));
      let seen = 0,
        stop = after.length;
      for (let i = 0; i < after.length; i++) {
        if (after[i] === 0x0a && ++seen > context) {
          stop = i;
          break;
        }
      }
      end += stop;
    }
    if (!whole && rec !== undefined) truncated = true;
    const bytes = await readAt(fh, start, end - start);
    let skip = 0;
    if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) skip = 3; // the analysis skipped the BOM too
    // Never start or end inside a UTF-8 sequence (the decoder holds back an incomplete tail).
    if (!atLineStart) while (skip < bytes.length && (bytes[skip] & 0xc0) === 0x80) skip++;
    const text = new StringDecoder('utf8').write(bytes.subarray(skip));

    // Where the excerpt starts in the file, from the finding's known position.
    const prefix = bytes.subarray(skip, Math.max(skip, Math.min(bytes.length, byte - start))).toString('utf8');
    let nl = 0;
    for (let i = prefix.indexOf('\n'); i >= 0; i = prefix.indexOf('\n', i + 1)) nl++;
    const firstLine = Math.max(0, params.position.line - nl);
    const firstCharacter = atLineStart ? 0 : nl === 0 ? Math.max(0, params.position.character - prefix.length) : (rec?.start.character ?? 0);
    return { text, firstLine, firstCharacter, truncated, size };
  } catch (e) {
    return fail(`Cannot read ${target.file}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await fh.close();
  }
}

export function registerAnalyzeFile(ctx: ServerContext): void {
  ctx.connection.onRequest(AnalyzeFileRequest.type, (params, token) =>
    analyzeFile(ctx, params, token, ctx.connection.window.attachWorkDoneProgress(params.workDoneToken)),
  );
  ctx.connection.onRequest(FileExcerptRequest.type, (params) => readExcerpt(params, decodeLimits(ctx)));
  registerFileTimeline(ctx); // the timeline of a contact of such a file
}
