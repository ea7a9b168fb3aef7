// Streaming analysis of a dump of any size: the file is read in chunks and decoded with a
// StringDecoder (multi-byte characters split across chunks stay whole), a small state machine
// that mirrors dump.ts finds where records start, and the text is cut at record starts into
// slices that parseDump reads exactly as it would read them inside the whole text. So
// per-record findings (json-syntax, schema, unknown-record) are the ones analyzeText gives,
// with positions as LSP lines/characters (UTF-16). Memory stays flat: only the current slice,
// the current window of records for the cross-record rules, one event per agent and a fixed
// size filter of contact IDs are held, whatever the size of the file.
//
// Cross-record rules run over windows of consecutive records (`windowChars` of text, 8 M by
// default) with what carries over between windows:
// - each agent's latest event is carried into the next window, so state transitions,
//   state-start order and heartbeat gaps along an agent's events are checked across windows;
// - every ContactId goes into a Bloom filter, and `link-missing` is only reported at the end,
//   for IDs the filter has never seen (a false positive of the filter hides a finding, it never
//   invents one);
// - not across windows: link-reciprocal, link-cycle, link-initial (the legs of a chain must
//   be in one window), duplicate-id, and which copy of a re-delivered contact record stands.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { decodedView, DecodedView } from './analyze';
import { parseDump } from './dump';
import { idAt, isObject } from './json';
import { decodeEnvelopes, DecodeLimits, DEFAULT_LIMITS, EnvelopeKind, GunzipDamage, gunzipStream, gunzipText, isGzip } from './envelopes';
import { parseTimestamp as parseTime } from './time';
import { LineIndex, LineCharacter } from './lineIndex';
import { runWorkspaceRules } from './rules';
import { validateRecord } from './schema';
import type { Dump, DumpFormat, DumpRecord, Finding, FindingCode, RecordKind, Severity } from './types';

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

/** A `link-missing` finding whose target may still turn up (later in the file, or in another file). */
export interface PendingLink {
  target: string;
  finding: StreamFinding;
}

export interface StreamOptions {
  /** The URI findings' related locations carry (default: the path or 'stream'). */
  uri?: string;
  onFinding(finding: StreamFinding): void;
  /** Run the cross-record rules (default true). */
  crossRecord?: boolean;
  /** Text per window of the cross-record rules, in UTF-16 units. */
  windowChars?: number;
  /** Text parsed at a time (the slice grows to the next record start). */
  sliceChars?: number;
  /** A record longer than this is reported and skipped rather than held. */
  maxRecordChars?: number;
  /** Drop a leading byte order mark (VS Code's editor does; the CLI keeps it, as readFileSync does). */
  skipBom?: boolean;
  /** Contacts known elsewhere (other dumps): a link to them is not missing. */
  isKnownContact?(id: string): boolean;
  /** Keep unresolved `link-missing` findings in the summary instead of reporting them. */
  deferLinks?: boolean;
  /** Limits of decoding envelopes and gzip (connectInspector.maxDecompressedSizeMB). */
  limits?: DecodeLimits;
  /** Hand back every record whose text (decoded text for records inside envelopes) contains one of `ids`. */
  select?: { ids: readonly string[]; onRecord(record: SelectedRecord): void };
}

/** A record handed back by `select`: its text and value, and where it sits (an envelope's record: its encoded value). */
export interface SelectedRecord {
  text: string;
  value: unknown;
  byteStart: number;
  byteEnd: number;
  start: LineCharacter;
  end: LineCharacter;
}

export interface StreamSummary {
  /** Bytes read from the source. */
  bytes: number;
  records: number;
  kinds: Record<RecordKind, number>;
  format: DumpFormat;
  syntaxFindings: number;
  findings: number;
  cancelled: boolean;
  /** Whether a contact record with this ContactId was read (Bloom filter: rare false yes). */
  hasContact(id: string): boolean;
  /** With `deferLinks`: the `link-missing` findings not resolved by this file. */
  unresolvedLinks: PendingLink[];
  /** The outermost envelope the records came in (gzip, Kinesis, ...), or null for a bare dump. */
  envelope: EnvelopeKind | null;
}

export const DEFAULT_WINDOW_CHARS = 8 * 1024 * 1024;
// Small slices: dump.ts looks back along the line for each record, which costs a whole
// slice per record on single-line (Firehose) dumps.
export const DEFAULT_SLICE_CHARS = 64 * 1024;
export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;
/** Past this many `link-missing` findings waiting for their target, the oldest are settled early. */
export const MAX_PENDING_LINKS = 100_000;

// ---------------------------------------------------------------------------------------
// A fixed-size Bloom filter of strings (32 M bits, 4 MB): membership of every ContactId read.

class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(
    log2Bits = 25,
    private readonly hashes = 5,
  ) {
    this.bits = new Uint32Array((1 << log2Bits) >>> 5);
    this.mask = (1 << log2Bits) - 1;
  }

  private static hash(s: string): [number, number] {
    // FNV-1a and a multiplicative mix: two independent 32-bit hashes for double hashing.
    let h1 = 0x811c9dc5,
      h2 = 0x9e3779b1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x85ebca6b) ^ (h2 >>> 13);
    }
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  add(s: string): void {
    const [a, b] = BloomFilter.hash(s);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  has(s: string): boolean {
    const [a, b] = BloomFilter.hash(s);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------
// The record-start tracker: the control flow of dump.ts's readStream / readArray / scanValue,
// one character at a time. It only decides where the text may be cut: at a record start,
// where parseDump of the text before it reads the same records as parseDump of the whole.

const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  NEWLINE = 0x0a,
  CR = 0x0d,
  BOM = 0xfeff;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === BOM || c === 0; // as dump.ts: NUL separates records
}

/** Same test as dump.ts: a JSON Lines line holding a scalar is a record. */
function isScalarLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (!(c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

const enum St {
  /** Before the first non-whitespace character: the format is not known yet. */
  Unknown,
  // Stream mode (JSON Lines, Firehose, one object).
  Start,
  Value,
  After,
  Line,
  Garbage,
  // Array mode.
  ABetween,
  AValue,
  AString,
  AScalar,
  ADone,
}

class Tracker {
  mode: 'unknown' | 'stream' | 'array' = 'unknown';
  private st = St.Unknown;
  private depth = 0;
  private inString = false;
  private escape = false;
  private pendingNewline = false;
  private expectValue = true;
  /** Absolute offset where the current Line state began. */
  private lineStart = 0;
  /** The latest record start (absolute offset) where the text may be cut, or -1. */
  cut = -1;

  /**
   * Scans `text[from, to)`, whose first character sits at absolute offset `base`, and returns
   * where it stopped: at `to`, or just after a record start at or past `stopAt` (absolute).
   * `lineText(start, end)` returns absolute text still held (for the scalar-line test).
   */
  scan(text: string, from: number, to: number, base: number, stopAt: number, lineText: (start: number, end: number) => string | undefined): number {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      switch (this.st) {
        case St.Unknown:
          if (isWhitespace(c)) break;
          if (c === OPEN_BRACKET) {
            this.mode = 'array';
            this.st = St.ABetween;
            this.expectValue = true;
          } else {
            this.mode = 'stream';
            this.st = St.Start;
            i--; // read it again as a record start
          }
          break;
        case St.Start:
          if (isWhitespace(c)) break;
          if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.beginValue();
            if (c === OPEN_BRACE) {
              this.cut = base + i;
              if (this.cut >= stopAt) return i + 1;
            }
          } else {
            this.st = St.Line;
            this.lineStart = base + i;
          }
          break;
        case St.Value:
          if (this.escape) {
            this.escape = false;
            break;
          }
          if (this.pendingNewline) {
            this.pendingNewline = false;
            // A line that opens with "{" while a record is still open: the next record (dump.ts).
            if (c === OPEN_BRACE) {
              this.cut = base + i;
              this.beginValue();
              if (this.cut >= stopAt) return i + 1;
              break;
            }
          }
          if (this.inString) {
            if (c === BACKSLASH) this.escape = true;
            else if (c === QUOTE) this.inString = false;
            else if (c === NEWLINE) {
              this.inString = false;
              this.pendingNewline = true;
            }
            break;
          }
          if (c === QUOTE) this.inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--this.depth <= 0) this.st = St.After;
          } else if (c === NEWLINE) this.pendingNewline = true;
          break;
        case St.After:
          // readStream: skip whitespace, tolerate one comma (`},{`), skip whitespace, next record.
          if (isWhitespace(c)) break;
          this.st = St.Start;
          if (c !== COMMA) i--;
          break;
        case St.Line:
          if (c !== NEWLINE) break;
          {
            // The line ends: a scalar line is a record and reading goes on after it; anything
            // else is garbage and reading resumes at the next line that opens with "{".
            let line = lineText(this.lineStart, base + i);
            if (line !== undefined && line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
            if (line !== undefined && isScalarLine(line)) {
              this.st = St.Start;
            } else {
              this.st = St.Garbage;
              this.pendingNewline = true;
            }
          }
          break;
        case St.Garbage:
          if (this.pendingNewline && c === OPEN_BRACE) {
            this.pendingNewline = false;
            this.cut = base + i;
            this.beginValue();
            if (this.cut >= stopAt) return i + 1;
          } else {
            this.pendingNewline = c === NEWLINE;
          }
          break;
        case St.ABetween:
          if (isWhitespace(c)) break;
          if (c === CLOSE_BRACKET) {
            this.st = St.ADone;
            break;
          }
          if (c === COMMA) {
            this.expectValue = true;
            break;
          }
          {
            // An element starts. Only after a comma does parsing restart in the same state.
            const cut = this.expectValue;
            if (cut) this.cut = base + i;
            this.expectValue = false;
            if (c === OPEN_BRACE || c === OPEN_BRACKET) {
              this.st = St.AValue;
              this.depth = 1;
              this.inString = false;
              this.escape = false;
            } else if (c === QUOTE) {
              this.st = St.AString;
              this.escape = false;
            } else {
              this.st = St.AScalar;
            }
            if (cut && this.cut >= stopAt) return i + 1;
          }
          break;
        case St.AValue:
          if (this.escape) {
            this.escape = false;
            break;
          }
          if (this.inString) {
            if (c === BACKSLASH) this.escape = true;
            else if (c === QUOTE || c === NEWLINE) this.inString = false;
            break;
          }
          if (c === QUOTE) this.inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--this.depth <= 0) this.st = St.ABetween;
          }
          break;
        case St.AString:
          if (this.escape) {
            this.escape = false;
            break;
          }
          if (c === BACKSLASH) this.escape = true;
          else if (c === QUOTE || c === NEWLINE) this.st = St.ABetween;
          break;
        case St.AScalar:
          if (c === COMMA || c === CLOSE_BRACKET || isWhitespace(c)) {
            this.st = St.ABetween;
            i--;
          }
          break;
        case St.ADone:
          return to;
      }
    }
    return to;
  }

  private beginValue(): void {
    this.st = St.Value;
    this.depth = 1;
    this.inString = false;
    this.escape = false;
    this.pendingNewline = false;
  }
}

// ---------------------------------------------------------------------------------------
// The analyser: slices -> records -> findings, windows -> cross-record findings.

function advance(pos: LineCharacter, text: string): LineCharacter {
  const last = text.lastIndexOf('\n');
  if (last < 0) return { line: pos.line, character: pos.character + text.length };
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return { line: pos.line + lines, character: text.length - last - 1 };
}

/** A fresh flat copy: a slice of a big string would keep all of it alive. */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** How text offsets of one parsed dump (a slice, or a carried record) map to the file. */
interface Placement {
  dump: Dump;
  /** Characters prepended to the text that are not in the file (the "[" of an array slice). */
  fab: number;
  start: LineCharacter;
  byte: number;
  /** The real text (the dump's text without the prepended characters). */
  real: string;
  lines: LineIndex;
  /** Byte offsets of each record's start and end (two entries per record of dump.records). */
  recordBytes: number[];
  /** Carried from an earlier window: findings located in it were reported there. */
  carried: boolean;
  /** The records decoded out of the slice's envelopes, when it holds some. */
  decoded?: DecodedView;
}

interface Pending {
  finding: StreamFinding;
  group: number;
  seq: number;
}

export class StreamAnalyzer {
  private readonly uri: string;
  private readonly crossRecord: boolean;
  private readonly windowChars: number;
  private readonly sliceChars: number;
  private readonly maxRecordChars: number;
  private readonly tracker = new Tracker();
  private readonly decoder = new StringDecoder('utf8');
  private readonly contacts = new BloomFilter();

  /** Text held from absolute offset `base` on (the slice being gathered). */
  private text = '';
  private base = 0;
  private scanned = 0;
  /** Absolute position and byte offset of `text[0]`. */
  private pos: LineCharacter = { line: 0, character: 0 };
  private byte = 0;
  private started = false;
  private skipping = false;
  private sliceNo = 0;
  private seq = 0;

  private window: Placement[] = [];
  private windowFindings: Pending[] = [];
  private windowText = 0;
  private carried: Placement[] = [];
  private pendingLinks: PendingLink[] = [];

  private bytesIn = 0;
  private recordCount = 0;
  private syntaxCount = 0;
  private findingCount = 0;
  private readonly kinds: Record<RecordKind, number> = { agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 };
  private concatenated = false;
  /** Set by the reader (gzip) or by the first envelope found. */
  envelope: EnvelopeKind | null = null;
  private sliceEndedLine = true;
  private ended = false;
  /** The window's and the carried dumps, by URI (related locations name them). */
  private readonly placements = new Map<string, Placement>();

  constructor(private readonly options: StreamOptions) {
    this.uri = options.uri ?? 'stream';
    this.crossRecord = options.crossRecord ?? true;
    this.windowChars = options.windowChars ?? DEFAULT_WINDOW_CHARS;
    this.sliceChars = options.sliceChars ?? DEFAULT_SLICE_CHARS;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Feeds bytes (or already decoded text) of the dump, in order. */
  write(chunk: Buffer | string): void {
    if (this.ended) throw new Error('write after end');
    let s: string;
    if (typeof chunk === 'string') {
      s = chunk;
      this.bytesIn += Buffer.byteLength(chunk);
    } else {
      s = this.decoder.write(chunk);
      this.bytesIn += chunk.length;
    }
    this.take(s);
  }

  /** Flushes what is left and reports the last findings. */
  end(): StreamSummary {
    if (!this.ended) {
      this.take(this.decoder.end());
      this.ended = true;
      if (this.text.length > 0 && !this.skipping) this.slice(this.text.length, true);
      else this.slice(0, true); // no text left: still closes the last window
    }
    return this.summary(false);
  }

  /** Stops early: what was found so far has been reported; nothing more is. */
  cancel(): StreamSummary {
    this.ended = true;
    return this.summary(true);
  }

  get bytesRead(): number {
    return this.bytesIn;
  }

  private summary(cancelled: boolean): StreamSummary {
    const format: DumpFormat =
      this.tracker.mode === 'array'
        ? 'array'
        : this.tracker.mode === 'unknown'
          ? 'empty'
          : this.recordCount === 1 && this.syntaxCount === 0
            ? 'object'
            : this.concatenated
              ? 'concatenated'
              : 'jsonl';
    return {
      bytes: this.bytesIn,
      records: this.recordCount,
      kinds: { ...this.kinds },
      format,
      syntaxFindings: this.syntaxCount,
      findings: this.findingCount,
      cancelled,
      hasContact: (id) => this.contacts.has(id),
      unresolvedLinks: this.options.deferLinks ? this.pendingLinks.slice() : [],
      envelope: this.envelope,
    };
  }

  private take(s: string): void {
    if (s.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (this.options.skipBom && s.charCodeAt(0) === BOM) {
        s = s.slice(1);
        this.byte += 3;
      }
    }
    this.text += s;
    const lineText = (start: number, end: number) => (start >= this.base ? this.text.slice(start - this.base, end - this.base) : undefined);
    // Slices end at the first record start past sliceChars, so they stay small whatever the reads.
    while (this.scanned < this.text.length) {
      this.scanned = this.tracker.scan(this.text, this.scanned, this.text.length, this.base, this.base + Math.max(1, this.sliceChars), lineText);
      const cutAt = this.tracker.cut - this.base;
      if (this.skipping) {
        if (cutAt > 0) {
          this.drop(cutAt);
          this.skipping = false;
        } else {
          this.drop(this.scanned);
          continue;
        }
      }
      const cut = this.tracker.cut - this.base;
      if (cut > 0 && (cut >= this.sliceChars || this.text.length > this.maxRecordChars)) this.slice(cut, false);
      // No record start in sight and too much text held: one record too long to hold.
      if (this.scanned >= this.text.length && this.text.length > this.maxRecordChars) this.tooLong();
    }
  }

  /** Forgets `n` characters of held text, keeping positions right. */
  private drop(n: number): void {
    const gone = this.text.slice(0, n);
    this.pos = advance(this.pos, gone);
    this.byte += Buffer.byteLength(gone);
    this.text = this.text.slice(n);
    this.base += n;
    this.scanned -= n;
  }

  /** A record longer than maxRecordChars: reported, skipped up to the next record start. */
  private tooLong(): void {
    const limitMb = Math.round(this.maxRecordChars / (1024 * 1024));
    const finding: StreamFinding = {
      code: 'json-syntax',
      severity: 'error',
      message: `This record is longer than ${limitMb} M characters: the streaming analysis skips it (up to the next record).`,
      range: { start: this.pos, end: { line: this.pos.line, character: this.pos.character + 1 } },
      source: { byte: this.byte },
    };
    this.syntaxCount++;
    this.recordCount++;
    this.queue(finding, 0);
    this.skipping = true;
    this.drop(this.text.length);
  }

  /** Parses text[0, end) (a whole number of records) and hands its records on. */
  private slice(end: number, final: boolean): void {
    if (end > 0) {
      const real = this.text.slice(0, end);
      const arraySlice = this.tracker.mode === 'array';
      const fab = arraySlice && this.sliceNo > 0 ? 1 : 0;
      const dump = parseDump(`${this.uri}\u0000${this.sliceNo}`, fab ? '[' + real : real);
      this.sliceNo++;
      if (arraySlice && !final) {
        // The slice stops before an element, so it looks like an array that is not closed: it is.
        const last = dump.syntaxFindings[dump.syntaxFindings.length - 1];
        if (last && /not closed/.test(last.message)) dump.syntaxFindings.pop();
      }
      if (dump.format === 'concatenated') this.concatenated = true;
      // A cut in the middle of a line (Firehose): records are not each on their own line.
      if (this.sliceNo > 1 && !this.sliceEndedLine) this.concatenated = true;
      this.sliceEndedLine = endsWithLineBreak(real);
      this.place(dump, fab, real);
      this.drop(end);
    }
    if (final || this.windowText >= this.windowChars || !this.crossRecord) this.flushWindow(final);
  }

  private place(dump: Dump, fab: number, real: string): void {
    const placement: Placement = {
      dump,
      fab,
      start: this.pos,
      byte: this.byte,
      real,
      lines: new LineIndex(real),
      recordBytes: [],
      carried: false,
    };
    // Byte offsets of the records, in one pass over the text.
    let cursor = 0,
      bytes = this.byte;
    for (const r of dump.records) {
      const s = r.start - fab,
        e = r.end - fab;
      bytes += Buffer.byteLength(real.slice(cursor, s));
      placement.recordBytes.push(bytes);
      bytes += Buffer.byteLength(real.slice(s, e));
      placement.recordBytes.push(bytes);
      cursor = e;
    }

    for (const f of dump.syntaxFindings) {
      this.syntaxCount++;
      this.queue(this.convert(placement, f), 0);
    }
    // Envelopes: their decoded records are checked (as a dump of their own), not the envelope itself.
    const envelopes = decodeEnvelopes(dump, this.options.limits ?? DEFAULT_LIMITS);
    if (envelopes) {
      this.envelope ??= envelopes.kind;
      placement.decoded = decodedView(dump.uri, envelopes.kind, envelopes.entries, envelopes.envelopeRecords);
      for (const f of envelopes.findings) this.queue(this.convert(placement, f), 1);
      for (const f of placement.decoded.findings) this.queue(this.convert(placement, placement.decoded.toOriginal(f)), 1);
      for (const r of placement.decoded.dump.records) {
        this.recordCount++;
        this.kinds[r.kind ?? 'unknown']++;
        this.noteContact(r);
      }
      if (this.options.select) for (const e of placement.decoded.entries) this.selectRecord(placement, e.line, e.value, e.source.start, e.source.end);
    }
    dump.records.forEach((record, i) => {
      // An envelope counts by its decoded records.
      if (envelopes?.envelopeRecords.has(i)) {
        record.index = this.recordCount;
        return;
      }
      record.index = this.recordCount++;
      this.kinds[record.kind ?? 'unknown']++;
      this.noteContact(record);
      if (this.options.select) this.selectRecord(placement, dump.text.slice(record.start, record.end), record.value, record.start, record.end);
      const findings = validateRecord(dump, record);
      for (const f of findings) this.queue(this.convert(placement, f), 1);
      // positions.ts caches a syntax tree per record object, for as long as the object lives:
      // a fresh object lets the window's records give their trees back (the cross-record rules
      // parse again the few they point into).
      if (findings.length > 0) dump.records[i] = { ...record };
    });
    this.window.push(placement);
    this.placements.set(dump.uri, placement);
    this.windowText += real.length;
  }

  /** `select`: hands the record back when its text names one of the IDs. */
  private selectRecord(p: Placement, text: string, value: unknown, start: number, end: number): void {
    const select = this.options.select;
    if (!select?.ids.some((id) => text.includes(id))) return;
    select.onRecord({
      text: detach(text),
      value,
      byteStart: this.sourceOf(p, start).byte,
      byteEnd: this.sourceOf(p, end).byte,
      start: this.position(p, start),
      end: this.position(p, end),
    });
  }

  private noteContact(record: DumpRecord): void {
    if (record.kind === 'contactRecord' && isObject(record.value)) {
      const id = idAt(record.value, ['ContactId']);
      if (id !== undefined) this.contacts.add(id);
    }
  }

  /** A gzip stream that stopped early (damage, the size limit): a finding at the end of what was read. */
  reportDamage(damage: GunzipDamage): void {
    const text = this.text;
    const at = advance(this.pos, text);
    this.queue(
      {
        code: 'envelope-decode',
        severity: 'error',
        message: damage.message,
        range: { start: at, end: { line: at.line, character: at.character + 1 } },
        source: { byte: this.byte + Buffer.byteLength(text) },
      },
      0,
    );
  }

  private position(p: Placement, offset: number): LineCharacter {
    // Not clamped at the end: a finding at the end of the text may reach one past it, as in analyzeText.
    const at = p.lines.positionAt(Math.max(0, offset - p.fab));
    return at.line === 0 ? { line: p.start.line, character: p.start.character + at.character } : { line: p.start.line + at.line, character: at.character };
  }

  private recordIndexAt(p: Placement, offset: number): number {
    const rs = p.dump.records;
    let lo = 0,
      hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < rs[mid].start) hi = mid - 1;
      else if (offset > rs[mid].end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  private convert(p: Placement, f: Finding): StreamFinding {
    const out: StreamFinding = {
      code: f.code,
      severity: f.severity,
      message: f.message,
      range: { start: this.position(p, f.start), end: this.position(p, f.end) },
      source: this.sourceOf(p, f.start),
    };
    if (f.related?.length) {
      out.related = f.related.map((r) => {
        const other = this.placementOf(r.uri) ?? p;
        return {
          uri: this.uri,
          range: { start: this.position(other, r.start), end: this.position(other, r.end) },
          message: r.message,
          source: this.sourceOf(other, r.start),
        };
      });
    }
    return out;
  }

  private sourceOf(p: Placement, offset: number): StreamFindingSource {
    const i = this.recordIndexAt(p, offset);
    const real = Math.max(0, offset - p.fab);
    if (i < 0) return { byte: p.byte + Buffer.byteLength(p.real.slice(0, real)) };
    const r = p.dump.records[i];
    const byteStart = p.recordBytes[2 * i];
    return {
      byte: byteStart + Buffer.byteLength(p.real.slice(r.start - p.fab, real)),
      record: { index: r.index, byteStart, byteEnd: p.recordBytes[2 * i + 1], start: this.position(p, r.start) },
    };
  }

  private placementOf(uri: string): Placement | undefined {
    return this.placements.get(uri);
  }

  private queue(finding: StreamFinding, group: number): void {
    this.windowFindings.push({ finding, group, seq: this.seq++ });
  }

  /** Runs the cross-record rules on the window, then reports its findings in text order. */
  private flushWindow(final: boolean): void {
    if (this.crossRecord && this.window.length > 0) {
      const dumps = [...this.carried.map((c) => c.dump), ...this.window.flatMap((w) => (w.decoded ? [w.dump, w.decoded.dump] : [w.dump]))];
      const byUri = runWorkspaceRules(dumps);
      for (const p of this.window) {
        const decoded = p.decoded;
        // Findings in decoded records move onto their encoded value (the link's target is read before).
        const mine: { f: Finding; target?: string }[] = [
          ...(byUri.get(p.dump.uri) ?? []).map((f) => ({ f })),
          ...(decoded ? (byUri.get(decoded.dump.uri) ?? []).map((f) => ({ f: decoded.toOriginal(f), target: linkTarget(decoded.dump, f) })) : []),
        ];
        for (const { f, target: decodedTarget } of mine) {
          const finding = this.convert(p, f);
          if (f.code === 'link-missing') {
            const target = decodedTarget ?? linkTarget(p.dump, f);
            if (target !== undefined) {
              // Seen in an earlier window (or known elsewhere): not missing after all.
              if (this.known(target)) continue;
              // In the last window every ID has been read: report it in its place.
              if (final && !this.options.deferLinks) {
                this.queue(finding, 2);
                continue;
              }
              this.pendingLinks.push({ target, finding: detachFinding(finding) });
              if (this.pendingLinks.length > MAX_PENDING_LINKS && !this.options.deferLinks) this.settleOldestLink();
              continue;
            }
          }
          this.queue(finding, 2);
        }
      }
      this.carryAgents();
    }
    // Links still waiting from earlier windows sit before this window's findings.
    if (final) this.settleLinks();
    this.emitQueued();
    this.window = [];
    this.windowText = 0;
    if (final) this.carried = [];
    this.placements.clear();
    for (const c of this.carried) this.placements.set(c.dump.uri, c);
  }

  private known(id: string): boolean {
    return this.contacts.has(id) || (this.options.isKnownContact?.(id) ?? false);
  }

  private settleOldestLink(): void {
    const oldest = this.pendingLinks.shift();
    if (oldest && !this.known(oldest.target)) this.report(oldest.finding);
  }

  /** At the end: links whose target never turned up are missing. */
  private settleLinks(): void {
    if (this.options.deferLinks) {
      this.pendingLinks = this.pendingLinks.filter((p) => !this.known(p.target));
      return;
    }
    for (const p of this.pendingLinks) if (!this.known(p.target)) this.report(p.finding);
    this.pendingLinks = [];
  }

  private emitQueued(): void {
    const list = this.windowFindings;
    this.windowFindings = [];
    list.sort(
      (a, b) =>
        comparePos(a.finding.range.start, b.finding.range.start) || comparePos(a.finding.range.end, b.finding.range.end) || a.group - b.group || a.seq - b.seq,
    );
    for (const q of list) this.report(q.finding);
  }

  private report(f: StreamFinding): void {
    this.findingCount++;
    this.options.onFinding(f);
  }

  /**
   * Keeps each agent's latest event (by EventTimestamp, later text winning ties) as a small
   * dump of its own, so the next window sees what the agent's contacts looked like.
   */
  private carryAgents(): void {
    const latest = new Map<string, { p: Placement; record: DumpRecord; time: number }>();
    for (const p of [...this.carried, ...this.window]) {
      for (const record of p.dump.records) {
        if (record.kind !== 'agentEvent' || !isObject(record.value)) continue;
        const agent = idAt(record.value, ['AgentARN']);
        const time = parseTime(record.value.EventTimestamp);
        if (agent === undefined || time === undefined) continue;
        const best = latest.get(agent);
        if (!best || time >= best.time) latest.set(agent, { p, record, time });
      }
    }
    const next: Placement[] = [];
    for (const { p, record } of latest.values()) {
      if (p.carried) {
        next.push(p);
        continue;
      }
      const i = p.dump.records.indexOf(record);
      const text = detach(p.dump.text.slice(record.start, record.end));
      const copy: DumpRecord = { index: record.index, start: 0, end: text.length, value: JSON.parse(text) as unknown, kind: 'agentEvent' };
      const dump: Dump = {
        uri: `${this.uri}\u0000carried\u0000${this.sliceNo}\u0000${next.length}`,
        text,
        format: 'object',
        records: [copy],
        syntaxFindings: [],
      };
      next.push({
        dump,
        fab: 0,
        start: this.position(p, record.start),
        byte: p.recordBytes[2 * i],
        real: text,
        lines: new LineIndex(text),
        recordBytes: [p.recordBytes[2 * i], p.recordBytes[2 * i + 1]],
        carried: true,
      });
    }
    this.carried = next;
  }
}

/** The text ends with whitespace that holds a line break (the next record starts a line). */
function endsWithLineBreak(text: string): boolean {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) return true;
    if (!isWhitespace(c)) return false;
  }
  return true;
}

function comparePos(a: LineCharacter, b: LineCharacter): number {
  return a.line - b.line || a.character - b.character;
}

/** The ContactId a `link-missing` finding names: the finding sits on the link's value. */
function linkTarget(dump: Dump, f: Finding): string | undefined {
  try {
    const v: unknown = JSON.parse(dump.text.slice(f.start, f.end));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function detachFinding(f: StreamFinding): StreamFinding {
  return { ...f, message: detach(f.message), related: f.related?.map((r) => ({ ...r, message: detach(r.message) })) };
}

// ---------------------------------------------------------------------------------------
// Reading files.

export interface FileStreamOptions extends StreamOptions {
  /** Bytes per read. */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?(bytesRead: number, size: number): void;
}

/** Streams a file through the analyser without blocking the event loop for more than a chunk. */
export async function analyzeFileStream(path: string, options: FileStreamOptions): Promise<StreamSummary> {
  const size = statSync(path).size;
  const analyzer = new StreamAnalyzer({ uri: path, ...options });
  if (options.signal?.aborted) return analyzer.cancel();
  if (startsWithGzip(path)) return analyzeGzip(path, size, analyzer, options);
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted) return analyzer.cancel();
      analyzer.write(chunk as Buffer);
      options.onProgress?.(analyzer.bytesRead, size);
      // Let other requests (hover, cancellation) in between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) return analyzer.cancel();
    }
  } finally {
    stream.destroy();
  }
  return analyzer.end();
}

/** Whether the file starts with the gzip magic bytes (its content says so, not its name). */
export function startsWithGzip(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // unreadable: the reader that follows says why
  }
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && isGzip(head);
  } finally {
    closeSync(fd);
  }
}

/** A gzip file (Firehose to S3): decompressed as it is read, the text analysed as any dump. */
async function analyzeGzip(path: string, size: number, analyzer: StreamAnalyzer, options: FileStreamOptions): Promise<StreamSummary> {
  analyzer.envelope = 'gzip';
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let compressed = 0;
  let cancelled = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      if (options.signal?.aborted) {
        cancelled = true;
        return;
      }
      compressed += (chunk as Buffer).length;
      yield chunk as Buffer;
      options.onProgress?.(compressed, size);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  try {
    const damage = await gunzipStream(chunks(), options.limits ?? DEFAULT_LIMITS, (piece) => analyzer.write(piece));
    if (cancelled || options.signal?.aborted) return analyzer.cancel();
    if (damage) analyzer.reportDamage(damage);
  } finally {
    stream.destroy();
  }
  return analyzer.end();
}

/**
 * A gzip file for the CLI: its text when it decompresses to at most `wholeBytes` (to be read
 * whole, with the other files), else analysed by a StreamAnalyzer as it decompresses, from
 * the bytes already decompressed on (the file is decompressed once either way).
 */
export async function readGzipFile(
  path: string,
  wholeBytes: number,
  options: StreamOptions,
): Promise<{ text: string; damage?: GunzipDamage } | { summary: StreamSummary }> {
  let pieces: Buffer[] = [];
  let held = 0;
  let analyzer: StreamAnalyzer | undefined;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const damage = await gunzipStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), limits, (piece) => {
    if (analyzer) {
      analyzer.write(piece);
      return;
    }
    pieces.push(piece);
    held += piece.length;
    if (held <= wholeBytes) return;
    analyzer = new StreamAnalyzer({ uri: path, ...options });
    analyzer.envelope = 'gzip';
    for (const p of pieces) analyzer.write(p);
    pieces = [];
  });
  if (analyzer) {
    if (damage) analyzer.reportDamage(damage);
    return { summary: analyzer.end() };
  }
  // A damaged stream loses the output of its last write: read again, more carefully (rare, small).
  if (damage?.kind === 'damaged') return gunzipText(readFileSync(path), limits);
  return { text: Buffer.concat(pieces).toString('utf8'), damage };
}

/** The same, synchronously (the CLI). */
export function analyzeFileSync(path: string, options: FileStreamOptions): StreamSummary {
  const size = statSync(path).size;
  const analyzer = new StreamAnalyzer({ uri: path, ...options });
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(options.chunkBytes ?? 1024 * 1024);
    for (;;) {
      if (options.signal?.aborted) return analyzer.cancel();
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      analyzer.write(buf.subarray(0, n));
      options.onProgress?.(analyzer.bytesRead, size);
    }
  } finally {
    closeSync(fd);
  }
  return analyzer.end();
}
