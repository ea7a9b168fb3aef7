// The timeline and explanation of one contact in a file the editor does not hold (too large,
// gzip): the file is streamed again, keeping only the records whose text names the contact
// (stream.ts `select`), then those naming the contacts its chain links to (one more pass per
// round of newly found IDs, bounded), and the kept records go through the same model,
// timeline and explain as an open dump's. Each kept record is a dump of its own whose URI
// (`<file>#L<line>C<column>`) says where it sits, so a click on a bar can open that place.
// A last pass keeps the few events of the chain's agents that name none of its contacts but
// end their status runs and contact states (timelineAgents.ts `AgentEventsNeeded`).
// The file's findings from its streamed analysis, when given, mark the bars of their records.
import { walkChain } from './chain';
import { parseDump } from './dump';
import { explainInDumps } from './explainInput';
import { withExplain } from './explainTimeline';
import { MAX_EXPLAINED_LEGS } from './explain';
import { LineIndex } from './lineIndex';
import { contactModel } from './model';
import { analyzeFileStream, FileStreamOptions, SelectedRecord, StreamFinding } from './stream';
import { buildTimeline } from './timeline';
import { AgentEventsNeeded, agentLaneNeeds } from './timelineAgents';
import { FINDING_CODES, type Dump, type Finding, type FindingCode } from './types';
import type { TimelineModel } from '../shared/timeline';

/** Passes over the file at most: the contact's own, then up to three rounds of linked contacts. */
export const MAX_TIMELINE_PASSES = 4;
/** Records kept at most: an ID that almost every record names (a typo, a short string) stops here. */
export const MAX_TIMELINE_RECORDS = 20_000;

export interface StreamedTimelineOptions extends Pick<FileStreamOptions, 'limits' | 'signal' | 'chunkBytes'> {
  /** The file's URI, the base of each record's URI (default: the path). */
  uri?: string;
  maxPasses?: number;
  maxRecords?: number;
  /** After each pass: its number and the records kept so far. */
  onPass?(pass: number, records: number): void;
  /** Bytes read in the current pass, of the file's size. */
  onProgress?(bytesRead: number, size: number): void;
  /** The file's findings from its streamed analysis (codes as strings: they may come from a client). */
  findings?: readonly (Omit<StreamFinding, 'code' | 'related'> & { code: string })[];
}

/** A kept record: its own dump's URI and where it sits in the file. */
export interface StreamedRecord extends SelectedRecord {
  uri: string;
}

export interface StreamedTimeline {
  contactId: string;
  /** Undefined when no record of the file names the contact. */
  model?: TimelineModel;
  /** Every kept record by its URI (the URIs the model's sources name). */
  records: Map<string, StreamedRecord>;
  /** Passes that looked for the chain's contacts. */
  passes: number;
  /** Whether one more pass read the agents' other events (their status, the end of their states). */
  agentPass: boolean;
  /** IDs the passes looked for, the contact's first. */
  ids: string[];
  /** The bounds stopped the selection (more passes or records were needed). */
  truncated: boolean;
  cancelled: boolean;
}

/** Where a record sits, as its dump's URI: `file:///x.jsonl#L12C1` (1-based), `-2` for a second record at the same place. */
function recordUri(base: string, r: SelectedRecord, taken: Set<string>): string {
  const at = `${base}#L${r.start.line + 1}C${r.start.character + 1}`;
  let uri = at;
  for (let n = 2; taken.has(uri); n++) uri = `${at}-${n}`;
  taken.add(uri);
  return uri;
}

function inFileOrder(a: SelectedRecord, b: SelectedRecord): number {
  return a.byteStart - b.byteStart || a.start.line - b.start.line || a.start.character - b.start.character;
}

/** The kept records as dumps, in file order (the model's tie-breaker). */
function recordDumps(base: string, kept: readonly SelectedRecord[]): { dumps: Dump[]; records: Map<string, StreamedRecord> } {
  const taken = new Set<string>();
  const records = new Map<string, StreamedRecord>();
  const dumps: Dump[] = [];
  for (const r of [...kept].sort(inFileOrder)) {
    if (r.value === undefined) continue; // broken JSON: the analysis reports it, the model cannot read it
    const uri = recordUri(base, r, taken);
    records.set(uri, { ...r, uri });
    dumps.push(parseDump(uri, r.text));
  }
  return { dumps, records };
}

const KNOWN_CODES = new Set<string>(FINDING_CODES);

/**
 * The findings that sit in kept records, by the URI of each record's dump, with offsets in
 * its text. A record decoded out of an envelope is not the file's text: its findings (on the
 * encoded value) go on its start.
 */
export function findingsInRecords(records: Iterable<StreamedRecord>, findings: StreamedTimelineOptions['findings']): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  if (!findings?.length) return out;
  const sorted = [...records].sort((a, b) => a.byteStart - b.byteStart);
  const lineIndexes = new Map<StreamedRecord, LineIndex>();
  for (const f of findings) {
    if (!KNOWN_CODES.has(f.code)) continue;
    // The last record starting at or before the finding's byte.
    let lo = 0,
      hi = sorted.length - 1,
      at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].byteStart <= f.source.byte) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const r = at >= 0 ? sorted[at] : undefined;
    if (!r || f.source.byte > r.byteEnd) continue;
    let start = 0,
      end = 0;
    if (Buffer.byteLength(r.text) === r.byteEnd - r.byteStart) {
      let lines = lineIndexes.get(r);
      if (!lines) lineIndexes.set(r, (lines = new LineIndex(r.text)));
      const rel = (p: { line: number; character: number }) =>
        lines.offsetAt({ line: p.line - r.start.line, character: p.line === r.start.line ? p.character - r.start.character : p.character });
      start = rel(f.range.start);
      end = Math.max(start, rel(f.range.end));
    }
    const list = out.get(r.uri) ?? [];
    list.push({ code: f.code as FindingCode, severity: f.severity, message: f.message, start, end });
    out.set(r.uri, list);
  }
  return out;
}

/** The timeline (with its Explain section) of `contactId` in the file at `path`, read from disk. */
export async function streamedTimeline(path: string, contactId: string, options: StreamedTimelineOptions = {}): Promise<StreamedTimeline> {
  const base = options.uri ?? path;
  const maxPasses = options.maxPasses ?? MAX_TIMELINE_PASSES;
  const maxRecords = options.maxRecords ?? MAX_TIMELINE_RECORDS;
  const kept = new Map<string, SelectedRecord>();
  const ids = [contactId];
  const searched = new Set<string>();
  let passes = 0;
  let truncated = false;
  let cancelled = false;
  let built = recordDumps(base, []);

  /** One pass over the file, handing back the records whose text names one of `wanted`. */
  const pass = (wanted: readonly string[], onRecord: (r: SelectedRecord) => void) =>
    analyzeFileStream(path, {
      uri: base,
      crossRecord: false,
      skipBom: true, // as the editor and the streamed analysis: positions match theirs
      limits: options.limits,
      signal: options.signal,
      chunkBytes: options.chunkBytes,
      onProgress: (bytes, size) => options.onProgress?.(bytes, size),
      onFinding: () => {},
      select: { ids: wanted, onRecord },
    });
  // A record naming contacts of two rounds comes back in both: kept once.
  const keyOf = (r: SelectedRecord) => `${r.byteStart}:${r.start.line}:${r.start.character}:${r.text}`;

  while (passes < maxPasses) {
    const wanted = ids.filter((id) => !searched.has(id));
    if (wanted.length === 0) break;
    for (const id of wanted) searched.add(id);
    passes++;
    const summary = await pass(wanted, (r) => {
      const key = keyOf(r);
      if (kept.has(key)) return;
      if (kept.size >= maxRecords) {
        truncated = true;
        return;
      }
      kept.set(key, r);
    });
    options.onPass?.(passes, kept.size);
    if (summary.cancelled) {
      cancelled = true;
      break;
    }
    built = recordDumps(base, [...kept.values()]);
    // The chain as far as the kept records tell: its members not searched yet are the next round.
    const walk = walkChain(contactModel(built.dumps), contactId, MAX_EXPLAINED_LEGS);
    for (const m of walk.members) if (!ids.includes(m.id)) ids.push(m.id);
  }
  if (!cancelled && ids.some((id) => !searched.has(id))) truncated = true;

  // The agents' own status behind their lanes, and the end of their last contact states, come
  // from the agents' events that name none of the chain's contacts: one more pass keeps, per
  // agent, the few of them the lanes need (timelineAgents.ts `AgentEventsNeeded`), so the
  // lanes end where the whole file as an open dump ends them.
  const drawn = cancelled ? undefined : buildTimeline(contactId, built.dumps);
  const needed = new AgentEventsNeeded<SelectedRecord>(drawn ? agentLaneNeeds(drawn) : []);
  let agentPass = false;
  if (needed.ids.length > 0) {
    agentPass = true;
    const summary = await pass(needed.ids, (r) => needed.offer(r.value, r, r.byteStart));
    options.onPass?.(passes + 1, kept.size);
    if (summary.cancelled) cancelled = true;
    else {
      for (const r of needed.kept()) if (!kept.has(keyOf(r))) kept.set(keyOf(r), r);
      built = recordDumps(base, [...kept.values()]);
    }
  }

  const result: StreamedTimeline = { contactId, records: built.records, passes, agentPass, ids, truncated, cancelled };
  const model = buildTimeline(contactId, built.dumps, { findings: findingsInRecords(built.records.values(), options.findings) });
  if (!model) return result;
  const explained = explainInDumps(contactId, built.dumps);
  result.model = explained ? withExplain(model, explained) : model;
  if (truncated) {
    result.model.findings.push({
      code: 'timeline-truncated',
      severity: 'information',
      message: `Read from ${passes} passes over the file, ${kept.size} records: contacts linked further away (or records past ${maxRecords}) are not shown.`,
    });
  }
  return result;
}
