// One window of a streamed dump: consecutive records whose boundaries the scanner already
// found, analysed where the text is (a worker thread, or the reading thread for small inputs).
// Two steps, so that windows can be read in parallel while the cross-record rules keep their
// order: `readWindow` parses, validates and checks each record (and decodes envelopes); it
// returns what the next windows need (each agent's latest event, the contact IDs) and keeps
// the window; `crossCheckWindow` then runs the cross-record rules over the window and the
// agents' latest events carried from the windows before it. Everything in and out is plain
// data (it crosses threads); findings come out with their lines/characters and byte offsets.
import { decodedView, DecodedView } from './analyze';
import { parseRecordText } from './configurationCache';
import { readSpans } from './dump';
import { decodeEnvelopes, DecodeLimits, EnvelopeKind } from './envelopes';
import { idAt, isObject } from './json';
import { LineCharacter, LineIndex } from './lineIndex';
import { locate } from './positions';
import { checkRecord, RecordCheck, redactedFinding } from './recordChecks';
import { runWorkspaceRules } from './rules';
import type { ScanFinding } from './scanner';
import { ContactFact, contactFact, FILE_WIDE_CODES, PlaceReader, scalarSpan, WindowLinkFacts } from './streamLinks';
import { parseTimestamp } from './time';
import type { Dump, DumpRecord, Finding, FindingCode, RecordKind, Severity } from './types';

export interface LineRange {
  start: LineCharacter;
  end: LineCharacter;
}

/** Where a finding sits in the file, in bytes, so that a reader can seek to it. */
export interface StreamFindingSource {
  /** UTF-8 byte offset of the finding's start (exact for valid UTF-8). */
  byte: number;
  /** The record holding the finding; absent for text between records. */
  record?: { index: number; byteStart: number; byteEnd: number; start: LineCharacter };
}

export interface StreamFinding {
  code: FindingCode;
  severity: Severity;
  message: string;
  range: LineRange;
  related?: { uri: string; range: LineRange; message: string; source: StreamFindingSource }[];
  source: StreamFindingSource;
}

/** A record handed back by the `select` option of the streamed analysis. */
export interface SelectedRecord {
  /** The record's text (for a record inside an envelope: its decoded text). */
  text: string;
  /** Its parsed value (undefined when it is not valid JSON). */
  value: unknown;
  /** Byte offsets of the record in the file (of the decompressed stream for .gz; of the encoded value for a record inside an envelope). */
  byteStart: number;
  byteEnd: number;
  start: LineCharacter;
  end: LineCharacter;
}

/** An agent's latest event, carried into the next windows. */
export interface CarriedAgent {
  agent: string;
  time: number;
  text: string;
  /** The record's ordinal in the file (made global by the reading thread). */
  index: number;
  start: LineCharacter;
  byteStart: number;
  byteEnd: number;
}

export interface WindowInput {
  /** The analysis (several may run in one thread) and the window's number in it. */
  run: number;
  seq: number;
  /** The file's URI, as related locations name it. */
  uri: string;
  /** The window's text, and possibly one character more (what follows it in the file). */
  text: string;
  /** The window's own length (without that character). */
  length: number;
  final: boolean;
  /** start, end, flags of each record, relative to the window. */
  spans: number[];
  /** The scanner's findings in the window, relative (`after` counts the window's records). */
  scanFindings: ScanFinding[];
  limits: DecodeLimits;
  /** Keep the window for crossCheckWindow. */
  crossRecord: boolean;
  select?: readonly string[];
}

/** A finding with its place in the window's report order (group: 0 syntax, 1 per record, 2 cross-record). */
export interface QueuedFinding {
  finding: StreamFinding;
  group: number;
  /** For `link-missing`: the contact it names. */
  target?: string;
}

export interface MaskSummary {
  count: number;
  first?: { range: LineRange; byte: number; sample?: string; start: number; end: number };
}

/**
 * What readWindow found. Positions and byte offsets in it are relative to the window's start
 * (line 0, character 0, byte 0) and record ordinals to its first record: the reading thread
 * moves them into place (see `placeRead`), as only it knows where the window starts.
 */
export interface WindowRead {
  seq: number;
  /** Findings in report order before sorting. */
  findings: QueuedFinding[];
  records: number;
  syntaxFindings: number;
  kinds: Record<RecordKind, number>;
  /** ContactIds of the contact records read. */
  contacts: string[];
  /** Each agent's latest event in the window (index relative to the window). */
  agents: CarriedAgent[];
  masked: MaskSummary;
  /** `redacted` findings of the records decoded out of envelopes (one per window at most). */
  decodedRedacted?: StreamFinding;
  selected: SelectedRecord[];
  envelope: EnvelopeKind | null;
  /** Where the window ends, relative to its start. */
  end: LineCharacter;
  /** The window's length in bytes. */
  bytes: number;
}

export interface CrossInput {
  run: number;
  seq: number;
  /** Where the window starts in the file. */
  start: LineCharacter;
  byte: number;
  /** Agents' latest events from the windows before (global indexes). */
  carried: CarriedAgent[];
  /** Ordinal of the window's first record in the file. */
  indexBase: number;
}

export interface CrossRead {
  seq: number;
  findings: QueuedFinding[];
  /** The window's contact records, for the rules that look across the whole file (streamLinks.ts). */
  links?: WindowLinkFacts;
}

/** How text offsets of one parsed text (the window, or a carried record) map to the file. */
interface Placement {
  dump: Dump;
  start: LineCharacter;
  byte: number;
  lines: LineIndex;
  /** Byte offsets of each record's start and end (two entries per record of dump.records). */
  recordBytes: number[];
  decoded?: DecodedView;
  /** Added to record ordinals in sources. */
  indexBase: number;
  /** The text is all ASCII: a byte offset is a character offset (nothing to count). */
  ascii?: boolean;
}

interface Kept {
  input: WindowInput;
  placement: Placement;
}

/** Windows read and waiting for their cross-record step (per thread). */
const kept = new Map<string, Kept>();

const emptyKinds = (): Record<RecordKind, number> => ({ agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 });

export interface ReadOptions {
  /**
   * The result is posted to another thread (a worker's answer): the structured clone copies
   * its strings, so they need no copy of their own to let the window's text go.
   */
  posted?: boolean;
}

/** Parses, validates and checks the records of a window. */
export function readWindow(input: WindowInput, options: ReadOptions = {}): WindowRead {
  const { text, spans } = input;
  // One native pass: a text with as many UTF-8 bytes as characters is ASCII.
  const textBytes = Buffer.byteLength(text);
  const ascii = textBytes === text.length;
  const uri = `${input.uri}\u0000${input.run}\u0000${input.seq}`;
  const records: DumpRecord[] = [];
  const syntax: Finding[] = [];
  readSpans(text, spans, input.scanFindings, 0, 0, input.final ? input.length : Infinity, records, syntax);
  // The format of the window alone says whether records share lines (Firehose).
  const dump: Dump = { uri, text, format: 'jsonl', records, syntaxFindings: syntax };
  const placement: Placement = {
    dump,
    start: { line: 0, character: 0 },
    byte: 0,
    lines: new LineIndex(text),
    recordBytes: recordBytes(text, records, ascii),
    indexBase: 0,
    ascii,
  };
  const out: WindowRead = {
    seq: input.seq,
    findings: [],
    records: 0,
    syntaxFindings: syntax.length,
    kinds: emptyKinds(),
    contacts: [],
    agents: [],
    masked: { count: 0 },
    selected: [],
    envelope: null,
    end: position(placement, input.length),
    bytes: ascii ? input.length : input.length === text.length ? textBytes : Buffer.byteLength(text.slice(0, input.length)),
  };
  for (const f of syntax) out.findings.push({ finding: convert(input.uri, placement, f), group: 0 });
  // Envelopes: their decoded records are checked (as a dump of their own), not the envelope itself.
  const envelopes = decodeEnvelopes(dump, input.limits);
  if (envelopes) {
    out.envelope = envelopes.kind;
    const decoded = decodedView(uri, envelopes.kind, envelopes.entries, envelopes.envelopeRecords);
    placement.decoded = decoded;
    for (const f of envelopes.findings) out.findings.push({ finding: convert(input.uri, placement, f), group: 1 });
    for (const f of decoded.findings) {
      if (f.code === 'redacted') out.decodedRedacted = convert(input.uri, placement, decoded.toOriginal(f));
      else out.findings.push({ finding: convert(input.uri, placement, decoded.toOriginal(f)), group: 1 });
    }
    for (const r of decoded.dump.records) {
      out.records++;
      out.kinds[r.kind ?? 'unknown']++;
      noteContact(r, out.contacts);
    }
  }
  const masks: RecordCheck['masked'][] = [];
  const latest = new Map<string, { record: DumpRecord; i: number; time: number }>();
  records.forEach((record, i) => {
    // An envelope counts by its decoded records.
    if (envelopes?.envelopeRecords.has(i)) {
      record.index = out.records;
      return;
    }
    record.index = out.records++;
    out.kinds[record.kind ?? 'unknown']++;
    noteContact(record, out.contacts);
    const check = checkRecord(dump, record);
    for (const f of check.findings) out.findings.push({ finding: convert(input.uri, placement, f), group: 1 });
    if (check.masked.count > 0) masks.push(check.masked);
    // positions.ts caches a syntax tree per record object, for as long as the object lives:
    // a fresh object lets the window's records give their trees back (the cross-record rules
    // parse again the few they point into).
    if (check.findings.length > 0 || check.masked.first) records[i] = { ...record };
    if (record.kind === 'agentEvent' && isObject(record.value)) {
      const agent = idAt(record.value, ['AgentARN']);
      const time = parseTimestamp(record.value.EventTimestamp);
      if (agent !== undefined && time !== undefined) {
        const best = latest.get(agent);
        if (!best || time >= best.time) latest.set(agent, { record, i, time });
      }
    }
  });
  const redacted = redactedFinding(masks);
  if (redacted) {
    const count = masks.reduce((n, m) => n + m.count, 0);
    const first = masks.find((m) => m.first && m.first.start === redacted.start);
    out.masked = {
      count,
      first: {
        range: range(placement, redacted),
        byte: sourceOf(placement, redacted.start).byte,
        sample: first?.sample,
        start: redacted.start,
        end: redacted.end,
      },
    };
  }
  for (const [agent, { record, i, time }] of latest) {
    out.agents.push({
      agent,
      time,
      text: options.posted ? text.slice(record.start, record.end) : flat(text.slice(record.start, record.end)),
      index: record.index,
      start: position(placement, record.start),
      byteStart: placement.recordBytes[2 * i],
      byteEnd: placement.recordBytes[2 * i + 1],
    });
  }
  if (input.select && input.select.length > 0) out.selected = selectRecords(placement, input.select, envelopes?.envelopeRecords);
  if (input.crossRecord) kept.set(`${input.run}:${input.seq}`, { input, placement });
  return out;
}

/** Runs the cross-record rules over a window read before and the agents carried into it. */
export function crossCheckWindow(input: CrossInput): CrossRead {
  const key = `${input.run}:${input.seq}`;
  const k = kept.get(key);
  if (!k) return { seq: input.seq, findings: [] };
  kept.delete(key);
  const p = k.placement;
  // From here on, positions, bytes and ordinals are the file's.
  p.start = input.start;
  p.byte = input.byte;
  p.recordBytes = p.recordBytes.map((b) => b + input.byte);
  for (const r of p.dump.records) r.index += input.indexBase;
  const placements = new Map<string, Placement>([[p.dump.uri, p]]);
  const carried = input.carried.map((c, n) => {
    const dump: Dump = {
      uri: `${k.input.uri}\u0000carried\u0000${input.seq}\u0000${n}`,
      text: c.text,
      format: 'object',
      records: [{ index: c.index, start: 0, end: c.text.length, value: parseRecordText(c.text), kind: 'agentEvent' }],
      syntaxFindings: [],
    };
    const placement: Placement = { dump, start: c.start, byte: c.byteStart, lines: new LineIndex(c.text), recordBytes: [c.byteStart, c.byteEnd], indexBase: 0 };
    placements.set(dump.uri, placement);
    return dump;
  });
  const dumps = [...carried, p.dump, ...(p.decoded ? [p.decoded.dump] : [])];
  const byUri = runWorkspaceRules(dumps);
  const decoded = p.decoded;
  const findings: QueuedFinding[] = [];
  // Links and duplicates between contact records are decided over the whole file (streamLinks.ts).
  const windowWide = (dump: Dump) => (f: Finding) => !FILE_WIDE_CODES.has(f.code) || dump.records[recordIndexIn(dump, f.start)]?.kind !== 'contactRecord';
  const mine: { f: Finding; target?: string }[] = [
    ...(byUri.get(p.dump.uri) ?? []).filter(windowWide(p.dump)).map((f) => ({ f })),
    // Findings in decoded records move onto their encoded value (the link's target is read before).
    ...(decoded
      ? (byUri.get(decoded.dump.uri) ?? []).filter(windowWide(decoded.dump)).map((f) => ({ f: decoded.toOriginal(f), target: linkTarget(decoded.dump, f) }))
      : []),
  ];
  for (const { f, target } of mine) {
    const finding = convert(k.input.uri, p, f, placements);
    findings.push({ finding, group: 2, ...(f.code === 'link-missing' ? { target: target ?? linkTarget(p.dump, f) } : {}) });
  }
  return { seq: input.seq, findings, links: linkFacts(p) };
}

/** A fact per contact record of the window (its own records, then those decoded out of its envelopes), placed in the file. */
function linkFacts(p: Placement): WindowLinkFacts {
  const contacts: ContactFact[] = [];
  const at: PlaceReader = { position: (offset) => position(p, offset), source: (offset) => sourceOf(p, offset) };
  const { dump } = p;
  dump.records.forEach((record, i) => {
    if (record.kind !== 'contactRecord' || p.decoded?.envelopeRecords.has(i)) return;
    // The record's own source: at its first character, back-to-back records (Firehose) also touch the one before.
    const src = { index: record.index, byteStart: p.recordBytes[2 * i], byteEnd: p.recordBytes[2 * i + 1], start: position(p, record.start) };
    const locateField = (key: string) => scalarSpan(dump.text, record, key, (record.value as Record<string, unknown>)[key]) ?? locate(dump, record, [key]);
    const fact = contactFact(record, dump.text, at, locateField, src);
    if (fact) contacts.push(fact);
  });
  const decoded = p.decoded;
  if (decoded) {
    decoded.dump.records.forEach((record, i) => {
      const e = decoded.entries[i];
      const fact = contactFact(record, decoded.dump.text, at, () => e.source, sourceOf(p, e.source.start).record, {
        label: e.label,
        start: e.source.start,
        end: e.source.end,
      });
      if (fact) contacts.push(fact);
    });
  }
  return { contacts, decodedRecords: decoded?.dump.records.length ?? 0 };
}

/** Forgets the windows of an analysis kept for their cross-record step (it was cancelled). */
export function forgetWindows(run: number): void {
  for (const key of [...kept.keys()]) if (key.startsWith(`${run}:`)) kept.delete(key);
}

function noteContact(record: DumpRecord, out: string[]): void {
  if (record.kind === 'contactRecord' && isObject(record.value)) {
    const id = idAt(record.value, ['ContactId']);
    if (id !== undefined) out.push(id);
  }
}

/** Byte offsets of the records, in one pass over the text (none for ASCII text: they are its offsets). */
function recordBytes(text: string, records: DumpRecord[], ascii: boolean): number[] {
  const out: number[] = [];
  if (ascii) {
    for (const r of records) out.push(r.start, r.end);
    return out;
  }
  let cursor = 0,
    bytes = 0;
  for (const r of records) {
    bytes += Buffer.byteLength(text.slice(cursor, r.start));
    out.push(bytes);
    bytes += Buffer.byteLength(text.slice(r.start, r.end));
    out.push(bytes);
    cursor = r.end;
  }
  return out;
}

function selectRecords(p: Placement, ids: readonly string[], envelopeRecords: ReadonlySet<number> | undefined): SelectedRecord[] {
  const out: SelectedRecord[] = [];
  const has = (s: string) => ids.some((id) => s.includes(id));
  const text = p.dump.text;
  p.dump.records.forEach((r, i) => {
    if (envelopeRecords?.has(i)) return;
    const own = text.slice(r.start, r.end);
    if (!has(own)) return;
    out.push({
      text: own,
      value: r.value,
      byteStart: p.recordBytes[2 * i],
      byteEnd: p.recordBytes[2 * i + 1],
      start: position(p, r.start),
      end: position(p, r.end),
    });
  });
  for (const e of p.decoded?.entries ?? []) {
    if (!has(e.line)) continue;
    out.push({
      text: e.line,
      value: e.value,
      byteStart: sourceOf(p, e.source.start).byte,
      byteEnd: sourceOf(p, e.source.end).byte,
      start: position(p, e.source.start),
      end: position(p, e.source.end),
    });
  }
  return out.sort((a, b) => a.byteStart - b.byteStart);
}

function position(p: Placement, offset: number): LineCharacter {
  // Not clamped at the end: a finding at the end of the text may reach one past it, as in analyzeText.
  const at = p.lines.positionAt(Math.max(0, offset));
  return at.line === 0 ? { line: p.start.line, character: p.start.character + at.character } : { line: p.start.line + at.line, character: at.character };
}

function range(p: Placement, f: { start: number; end: number }): LineRange {
  return { start: position(p, f.start), end: position(p, f.end) };
}

function recordIndexAt(p: Placement, offset: number): number {
  return recordIndexIn(p.dump, offset);
}

/**
 * The record holding `offset`. Back to back (Firehose), a record's end is the next one's start:
 * there the earlier record wins, as a cut record's finding sits at its end (no finding sits on
 * a record's opening brace).
 */
function recordIndexIn(dump: Dump, offset: number): number {
  const rs = dump.records;
  let lo = 0,
    hi = rs.length - 1,
    at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rs[mid].end >= offset) {
      at = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return at >= 0 && rs[at].start <= offset ? at : -1;
}

function sourceOf(p: Placement, offset: number): StreamFindingSource {
  const i = recordIndexAt(p, offset);
  const at = Math.max(0, offset);
  if (i < 0) return { byte: p.byte + (p.ascii ? Math.min(at, p.dump.text.length) : Buffer.byteLength(p.dump.text.slice(0, at))) };
  const r = p.dump.records[i];
  const byteStart = p.recordBytes[2 * i];
  return {
    byte: byteStart + (p.ascii ? at - r.start : Buffer.byteLength(p.dump.text.slice(r.start, at))),
    record: { index: r.index, byteStart, byteEnd: p.recordBytes[2 * i + 1], start: position(p, r.start) },
  };
}

function convert(uri: string, p: Placement, f: Finding, placements?: ReadonlyMap<string, Placement>): StreamFinding {
  const out: StreamFinding = { code: f.code, severity: f.severity, message: f.message, range: range(p, f), source: sourceOf(p, f.start) };
  if (f.related?.length) {
    out.related = f.related.map((r) => {
      const other = placements?.get(r.uri) ?? p;
      return { uri, range: range(other, r), message: r.message, source: sourceOf(other, r.start) };
    });
  }
  return out;
}

/** The ContactId a `link-missing` finding names: the finding sits on the link's value. */
export function linkTarget(dump: Dump, f: Finding): string | undefined {
  try {
    const v: unknown = JSON.parse(dump.text.slice(f.start, f.end));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh flat copy: a slice of a big string would keep all of it alive. */
export function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
