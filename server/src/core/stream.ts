// Streaming analysis of a dump of any size: the file is read in chunks and decoded with a
// streaming TextDecoder (multi-byte characters split across chunks stay whole); the record scanner
// (scanner.ts, the same one parseDump uses) finds record boundaries as the text comes, and the
// text is cut into windows of whole records that are read where the work is cheapest: in
// worker threads for big files (every core parses, validates and checks records), in this
// thread for small ones (streamWindow.ts does the work either way). Per-record findings
// (json-syntax, schema, unknown-record, ...) are the ones analyzeText gives, with positions
// as LSP lines/characters (UTF-16). Memory stays flat: only the windows being read, one event
// per agent and a fixed size filter of contact IDs are held, whatever the size of the file.
//
// Cross-record rules run over each window (`windowChars` of text, 4 M by default) with what
// carries over between windows:
// - each agent's latest event is carried into the next window, so state transitions,
//   state-start order and heartbeat gaps along an agent's events are checked across windows
//   (windows are read in parallel; their cross-record step runs once the windows before
//   them are read, with the agents' latest events up to there);
// - every ContactId goes into a Bloom filter, and `link-missing` is only reported at the end,
//   for IDs the filter has never seen (a false positive of the filter hides a finding, it never
//   invents one);
// - every contact record goes on as a compact fact (streamLinks.ts: its ID, the fields the link
//   and duplicate rules read, a hash of its content, where its values sit; ~160 bytes each), and
//   link-reciprocal, link-cycle, link-initial and duplicate-id between contact records, with
//   which copy of a re-delivered record stands, are decided once the whole file is read,
//   whatever the distance between the records, as analyzeText decides them;
// - still within a window only: duplicate-id of agent events and of contact events, and the
//   link rules over contact events (a contact known from its events only).
// Findings are reported window by window, in text order within each window; the contact-record
// link and duplicate findings come with the last window (sorted in with its findings), as they
// may sit anywhere in the file. The CLI sorts a streamed file's findings by place; the editor's
// capped list keeps errors first whatever the order.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { DecodeLimits, DEFAULT_LIMITS, EnvelopeKind, GunzipDamage, gunzipStream, gunzipText, isGzip } from './envelopes';
import { LineCharacter } from './lineIndex';
import { redactedFinding } from './recordChecks';
import { RecordScanner, ScanFinding } from './scanner';
import { CarriedLinks } from './streamLinks';
import { InlineRunner, WindowRunner, WorkerPool, workersAvailable } from './streamPool';
import type { CarriedAgent, CrossRead, QueuedFinding, SelectedRecord, StreamFinding, StreamFindingSource, WindowRead } from './streamWindow';
import type { DumpFormat, RecordKind } from './types';

export type { LineRange, SelectedRecord, StreamFinding, StreamFindingSource } from './streamWindow';

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
  /** Text read at a time when the cross-record rules are off (default: windowChars). */
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
  /**
   * Worker threads that read the windows: 0 reads them in this thread. Default for the file
   * readers: one fewer than the cores (at least 1, at most 3) when the input is big, else 0.
   */
  workers?: number;
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

export const DEFAULT_WINDOW_CHARS = 2 * 1024 * 1024;
export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;
/** Past this many `link-missing` findings waiting for their target, the oldest are settled early. */
export const MAX_PENDING_LINKS = 100_000;
/** Inputs at least this big are read by worker threads (when `workers` is not given). */
export const WORKER_THRESHOLD_BYTES = 16 * 1024 * 1024;
/**
 * Bytes per read of a file: small enough that the decoded text of each read is soon garbage
 * the reading thread's heap gives back (1 MB reads raised the peak RSS by ~50 MB).
 */
const READ_BYTES = 256 * 1024;
/**
 * Bytes decoded and scanned at a time. V8 puts a string over 128 KB in its large-object space:
 * the text held between reads (a piece plus the record it ends in) stays below that, and
 * scanning took half the time it took with 256 KB pieces.
 */
const PIECE_BYTES = 64 * 1024;

/** Worker threads for an input of `bytes` (compressed size times 4 for gzip). */
export function defaultWorkers(bytes: number): number {
  if (bytes < WORKER_THRESHOLD_BYTES || !workersAvailable()) return 0;
  // The reading thread is busy too (gunzip, decoding, record boundaries): one worker fewer than
  // cores. On 2 cores one worker was as fast as two (load ~3.4: 5.2 s against 5.7 s on the
  // 100 MB Firehose .gz) with 210 MB of peak RSS instead of 275-300 MB.
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

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
// The analyser: text -> windows of records -> findings, in order.

/** A window sent to be read, until its findings are reported. */
interface Window {
  final: boolean;
  read?: WindowRead;
  cross?: CrossRead;
  /** Runs the cross-record step (a skipped record's stand-in does not). */
  crossRecord: boolean;
  /** Where it starts in the file, once the windows before it are placed. */
  start?: LineCharacter;
  byte?: number;
}

/**
 * Whether UTF-8 `bytes` may end inside a character (its last lead byte misses continuation
 * bytes). Unsure (no lead byte among the last four) counts as yes: the decoder then goes on.
 */
export function endsInsideCharacter(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte
    if (b < 0x80) return false;
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return bytes.length - i < needed;
  }
  return true;
}

/** `to` continued by a stretch of text that ends at `rel` relative to its own start. */
function after(to: LineCharacter, rel: LineCharacter): LineCharacter {
  return rel.line === 0 ? { line: to.line, character: to.character + rel.character } : { line: to.line + rel.line, character: rel.character };
}

/** Where a stretch of text ends relative to its start (lines end at \n, \r\n or a lone \r); `cr`: the text before it ended with \r. */
function extent(text: string, cr: boolean): LineCharacter {
  let line = 0,
    lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (!(i === 0 && cr)) line++;
      lineStart = i + 1;
    } else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: text.length - lineStart };
}

let runs = 0;

export class StreamAnalyzer {
  private readonly run = runs++;
  private readonly uri: string;
  private readonly crossRecord: boolean;
  private readonly windowChars: number;
  private readonly scanner: RecordScanner;
  // TextDecoder decodes about twice as fast as StringDecoder; the BOM is kept (skipBom decides).
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The decoder may hold the first bytes of a character split between chunks. */
  private decoderHolds = false;
  private readonly contacts = new BloomFilter();
  private readonly runner: WindowRunner;
  private readonly maxInFlight: number;

  /** Text not yet in a window, from absolute offset `heldBase` on. */
  private held = '';
  private heldBase = 0;
  // The window being gathered: its text, records and findings (offsets relative to `windowStart`).
  private segments: string[] = [];
  private windowLength = 0;
  private windowStart = 0;
  private windowSpans: number[] = [];
  private windowFindings: ScanFinding[] = [];
  private spansTaken = 0;
  private windowFirstSpan = 0;
  /** A record too long to hold, being skipped: its stand-in window and how far the skipped text reaches. */
  private skip?: { window: Window; read: WindowRead; cr: boolean };

  private readonly windows = new Map<number, Window>();
  private nextSeq = 0;
  /** The next window to place (whose start becomes known) and the next to report. */
  private nextPlace = 0;
  private nextReport = 0;
  private placeAt: LineCharacter = { line: 0, character: 0 };
  private placeByte = 0;
  private recordBase = 0;
  private carried = new Map<string, CarriedAgent>();
  /** Every contact record read so far, as the link and duplicate rules need it (streamLinks.ts). */
  private readonly links = new CarriedLinks();
  private pendingLinks: PendingLink[] = [];
  private pumping = false;
  private pumpAgain = false;

  private bytesIn = 0;
  private started = false;
  private bomBytes = 0;
  private recordCount = 0;
  private syntaxCount = 0;
  private findingCount = 0;
  private readonly kinds: Record<RecordKind, number> = { agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 };
  private masked: WindowRead['masked'] = { count: 0 };
  private decodedRedacted?: StreamFinding;
  /** Set by the reader (gzip) or by the first envelope found. */
  envelope: EnvelopeKind | null = null;
  private damage?: GunzipDamage;
  private ended = false;
  private cancelled = false;
  private failure?: Error;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly options: StreamOptions,
    workers = options.workers ?? 0,
  ) {
    this.uri = options.uri ?? 'stream';
    this.crossRecord = options.crossRecord ?? true;
    this.windowChars = Math.max(
      1,
      this.crossRecord ? (options.windowChars ?? DEFAULT_WINDOW_CHARS) : (options.sliceChars ?? options.windowChars ?? DEFAULT_WINDOW_CHARS),
    );
    this.scanner = new RecordScanner(options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
    this.runner = workers > 0 ? new WorkerPool(workers, (e) => this.fail(e)) : new InlineRunner();
    this.maxInFlight = workers > 0 ? workers + 1 : Infinity;
  }

  /** Feeds bytes (or already decoded text) of the dump, in order. */
  write(chunk: Buffer | string): void {
    if (this.ended) throw new Error('write after end');
    if (this.failure) throw this.failure;
    if (typeof chunk === 'string') {
      this.bytesIn += Buffer.byteLength(chunk);
      this.take(chunk, false);
      return;
    }
    this.bytesIn += chunk.length;
    for (let at = 0; at < chunk.length; at += PIECE_BYTES)
      this.take(this.decode(chunk.length <= PIECE_BYTES ? chunk : chunk.subarray(at, at + PIECE_BYTES)), false);
  }

  /**
   * Connect's dumps are nearly always pure ASCII: such a chunk is its own text, copied as
   * Latin-1 (several times faster than UTF-8 decoding, and V8 keeps it one byte per character).
   */
  private decode(chunk: Buffer): string {
    if (!this.decoderHolds && isAscii(chunk)) return chunk.toString('latin1');
    this.decoderHolds = endsInsideCharacter(chunk);
    return this.decoder.decode(chunk, { stream: true });
  }

  /** Resolves when the windows in flight leave room for more text (worker threads). */
  ready(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.nextSeq - this.nextReport < this.maxInFlight || this.cancelled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Flushes what is left and reports the last findings (reading in this thread only). */
  end(): StreamSummary {
    if (!(this.runner instanceof InlineRunner)) throw new Error('end() of a streamed analysis with worker threads: use finish()');
    this.close();
    return this.summary(false);
  }

  /** Flushes what is left; resolves once the last findings are reported. */
  async finish(): Promise<StreamSummary> {
    this.close();
    while (this.nextReport < this.nextSeq && !this.failure && !this.cancelled) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.runner.close();
    if (this.failure) throw this.failure;
    return this.summary(this.cancelled);
  }

  /** Stops the worker threads, if any (after finish() or cancel(), or when reading failed). */
  dispose(): void {
    this.runner.close();
  }

  /** Stops early: what was found so far has been reported; nothing more is. */
  cancel(): StreamSummary {
    this.ended = true;
    this.cancelled = true;
    this.runner.close();
    this.wake();
    return this.summary(true);
  }

  get bytesRead(): number {
    return this.bytesIn;
  }

  /** A gzip stream that stopped early (damage, the size limit): a finding at the end of what was read. */
  reportDamage(damage: GunzipDamage): void {
    this.damage = damage;
  }

  private close(): void {
    if (this.ended) return;
    this.take(this.decoder.decode(), true);
    this.ended = true;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.runner.close();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private summary(cancelled: boolean): StreamSummary {
    const mode = this.scanner.mode;
    const format: DumpFormat =
      mode === 'array'
        ? 'array'
        : mode === 'unknown'
          ? 'empty'
          : this.recordCount === 1 && this.syntaxCount === 0
            ? 'object'
            : this.scanner.allOnOwnLines
              ? 'jsonl'
              : 'concatenated';
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

  // ---- Cutting the text into windows.

  private take(s: string, final: boolean): void {
    if (!this.started && s.length > 0) {
      this.started = true;
      if (this.options.skipBom && s.charCodeAt(0) === 0xfeff) {
        s = s.slice(1);
        this.bomBytes = 3;
      }
    }
    if (s.length === 0 && !final) return;
    this.held = this.held.length > 0 ? this.held + s : s;
    const scanner = this.scanner;
    scanner.scan(this.held, this.heldBase, final);
    // Records too long to hold: the window stops before each, a stand-in reports it, its text is dropped.
    while (scanner.tooLong.length > 0) {
      const long = scanner.tooLong[0];
      if (!this.skip) {
        this.cut(long.start);
        this.send(false);
        this.openSkip();
      }
      const to = long.end >= 0 ? long.end : scanner.needFrom;
      this.dropSkipped(to);
      if (long.end < 0) return; // still in it: more text comes
      this.closeSkip();
      scanner.tooLong.shift();
    }
    // Windows end at the first record start past windowChars.
    const spans = scanner.spans;
    for (let j = 0; j < spans.length; j += 3) {
      const start = spans[j];
      if (start > this.heldBase && start - (this.windowLength > 0 ? this.windowStart : this.heldBase) >= this.windowChars) {
        this.cut(start);
        this.send(false);
        j = -3; // cut() took the spans before it
      }
    }
    let cut = final ? this.heldBase + this.held.length : scanner.settled;
    // Never between the \r and \n of a line break (each window counts its own lines).
    if (!final && cut > this.heldBase && this.held.charCodeAt(cut - 1 - this.heldBase) === 0x0d && this.held.charCodeAt(cut - this.heldBase) === 0x0a) cut--;
    if (cut > this.heldBase || final) this.cut(cut);
    if (final) this.send(true);
    // The window is sent once the text after it is there (a syntax finding may look one character past its end).
    else if (this.windowLength >= this.windowChars && this.held.length > 0) this.send(false);
  }

  /** Moves the held text before `at` (absolute) into the window being gathered, with its records and findings. */
  private cut(at: number): void {
    const k = at - this.heldBase;
    if (this.windowLength === 0) this.windowStart = this.heldBase;
    if (k > 0) {
      this.segments.push(this.held.slice(0, k));
      this.held = this.held.slice(k);
      this.heldBase = at;
      this.windowLength += k;
    }
    const spans = this.scanner.spans;
    let m = 0;
    while (m < spans.length && spans[m] < at) m += 3;
    const base = this.windowStart;
    for (let j = 0; j < m; j += 3) this.windowSpans.push(spans[j] - base, spans[j + 1] - base, spans[j + 2]);
    if (m === spans.length) spans.length = 0;
    else spans.splice(0, m);
    this.spansTaken += m / 3;
    const findings = this.scanner.findings;
    let f = 0;
    while (f < findings.length && findings[f].start < at) {
      const sf = findings[f++];
      this.windowFindings.push({ start: sf.start - base, end: sf.end - base, message: sf.message, after: sf.after - this.windowFirstSpan });
    }
    if (f > 0) findings.splice(0, f);
  }

  /** Sends the window gathered so far to be read (the final one even when empty). */
  private send(final: boolean): void {
    if (this.windowLength === 0 && !final) return;
    // The character after the window goes with it (one join: a concatenation after it would be copied again when sent).
    if (!final && this.held.length > 0) this.segments.push(this.held.charAt(0));
    const text = this.segments.length === 1 ? this.segments[0] : this.segments.join('');
    const seq = this.nextSeq++;
    const window: Window = { final, crossRecord: this.crossRecord };
    this.windows.set(seq, window);
    const input = {
      run: this.run,
      seq,
      uri: this.uri,
      text,
      length: this.windowLength,
      final,
      spans: this.windowSpans,
      scanFindings: this.windowFindings,
      limits: this.options.limits ?? DEFAULT_LIMITS,
      crossRecord: this.crossRecord,
      ...(this.options.select ? { select: this.options.select.ids } : {}),
    };
    this.segments = [];
    this.windowLength = 0;
    this.windowSpans = [];
    this.windowFindings = [];
    this.windowFirstSpan = this.spansTaken;
    this.runner.read(input, (read) => {
      window.read = read;
      this.pump();
    });
  }

  private openSkip(): void {
    const limitMb = Math.round((this.options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS) / (1024 * 1024));
    const origin = { line: 0, character: 0 };
    const read: WindowRead = {
      seq: this.nextSeq,
      findings: [
        {
          group: 0,
          finding: {
            code: 'json-syntax',
            severity: 'error',
            message: `This record is longer than ${limitMb} M characters: the streaming analysis skips it (up to the next record).`,
            range: { start: origin, end: { line: 0, character: 1 } },
            source: { byte: 0 },
          },
        },
      ],
      records: 1,
      syntaxFindings: 1,
      kinds: { agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 },
      contacts: [],
      agents: [],
      masked: { count: 0 },
      selected: [],
      envelope: null,
      end: origin,
      bytes: 0,
    };
    const window: Window = { final: false, crossRecord: false };
    this.windows.set(this.nextSeq++, window);
    this.skip = { window, read, cr: false };
    this.windowFirstSpan = this.spansTaken;
  }

  /** Drops held text up to `to` (absolute): it belongs to the record being skipped. */
  private dropSkipped(to: number): void {
    const k = to - this.heldBase;
    if (k <= 0 || !this.skip) return;
    const gone = this.held.slice(0, k);
    this.held = this.held.slice(k);
    this.heldBase = to;
    const read = this.skip.read;
    read.end = after(read.end, extent(gone, this.skip.cr));
    read.bytes += Buffer.byteLength(gone);
    this.skip.cr = gone.charCodeAt(gone.length - 1) === 0x0d;
    // Spans and findings of the skipped record were never reported; nothing to take.
  }

  private closeSkip(): void {
    const skip = this.skip;
    if (!skip) return;
    this.skip = undefined;
    skip.window.read = skip.read;
    this.pump();
  }

  // ---- Putting the windows' answers in order.

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.placeWindows();
        this.reportWindows();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
    if (this.nextSeq - this.nextReport < this.maxInFlight || this.nextReport === this.nextSeq) this.wake();
  }

  /** Windows read, in order: their place in the file, their counts, and their cross-record step with the agents carried so far. */
  private placeWindows(): void {
    for (;;) {
      const seq = this.nextPlace;
      const w = this.windows.get(seq);
      if (!w?.read || this.cancelled) return;
      const read = w.read;
      w.start = this.placeAt;
      w.byte = this.placeByte + this.bomBytes;
      const indexBase = this.recordBase;
      this.placeAt = after(this.placeAt, read.end);
      this.placeByte += read.bytes;
      this.recordBase += read.records;
      this.place(read, w.start, w.byte, indexBase);
      this.recordCount += read.records;
      this.syntaxCount += read.syntaxFindings;
      for (const k of Object.keys(read.kinds) as RecordKind[]) this.kinds[k] += read.kinds[k];
      for (const id of read.contacts) this.contacts.add(id);
      this.envelope ??= read.envelope;
      if (read.masked.first && !this.masked.first) this.masked = { count: this.masked.count + read.masked.count, first: read.masked.first };
      else this.masked.count += read.masked.count;
      if (read.decodedRedacted && !this.decodedRedacted) this.decodedRedacted = read.decodedRedacted;
      this.nextPlace++;
      if (w.crossRecord) {
        const carried = [...this.carried.values()];
        this.runner.cross({ run: this.run, seq, start: w.start, byte: w.byte, indexBase, carried }, (cross) => {
          w.cross = cross;
          this.pump();
        });
      }
      // Each agent's latest event (by EventTimestamp, later text winning ties) goes on to the next windows.
      for (const a of read.agents) {
        const best = this.carried.get(a.agent);
        if (!best || a.time >= best.time) this.carried.set(a.agent, a);
      }
    }
  }

  /** Moves what readWindow found (relative to the window) to its place in the file. */
  private place(read: WindowRead, start: LineCharacter, byte: number, indexBase: number): void {
    const at = (p: LineCharacter) => after(start, p);
    const source = (s: StreamFindingSource): StreamFindingSource => ({
      byte: s.byte + byte,
      ...(s.record
        ? { record: { index: s.record.index + indexBase, byteStart: s.record.byteStart + byte, byteEnd: s.record.byteEnd + byte, start: at(s.record.start) } }
        : {}),
    });
    const move = (f: StreamFinding): StreamFinding => ({
      ...f,
      range: { start: at(f.range.start), end: at(f.range.end) },
      source: source(f.source),
      ...(f.related ? { related: f.related.map((r) => ({ ...r, range: { start: at(r.range.start), end: at(r.range.end) }, source: source(r.source) })) } : {}),
    });
    read.findings = read.findings.map((q) => ({ ...q, finding: move(q.finding) }));
    if (read.decodedRedacted) read.decodedRedacted = move(read.decodedRedacted);
    for (const a of read.agents) {
      a.index += indexBase;
      a.start = at(a.start);
      a.byteStart += byte;
      a.byteEnd += byte;
    }
    if (read.masked.first) {
      const m = read.masked.first;
      read.masked.first = { ...m, range: { start: at(m.range.start), end: at(m.range.end) }, byte: m.byte + byte };
    }
    read.selected = read.selected.map((r) => ({ ...r, start: at(r.start), end: at(r.end), byteStart: r.byteStart + byte, byteEnd: r.byteEnd + byte }));
  }

  /** Windows whose steps are all done, in order: their findings, sorted by place. */
  private reportWindows(): void {
    for (;;) {
      const seq = this.nextReport;
      const w = this.windows.get(seq);
      if (!w?.read || seq >= this.nextPlace || (w.crossRecord && !w.cross) || this.cancelled) return;
      this.windows.delete(seq);
      this.nextReport++;
      const list: QueuedFinding[] = w.read.findings.slice();
      if (w.final && this.damage) {
        list.push({
          group: 0,
          finding: {
            code: 'envelope-decode',
            severity: 'error',
            message: this.damage.message,
            range: { start: this.placeAt, end: { line: this.placeAt.line, character: this.placeAt.character + 1 } },
            source: { byte: this.placeByte + this.bomBytes },
          },
        });
      }
      for (const q of w.cross?.findings ?? []) {
        if (q.finding.code === 'link-missing' && q.target !== undefined) {
          // Seen in an earlier window (or known elsewhere): not missing after all.
          if (this.known(q.target)) continue;
          // In the last window every ID has been read: report it in its place.
          if (w.final && !this.options.deferLinks) {
            list.push(q);
            continue;
          }
          this.pendingLinks.push({ target: q.target, finding: q.finding });
          if (this.pendingLinks.length > MAX_PENDING_LINKS && !this.options.deferLinks) this.settleOldestLink();
          continue;
        }
        list.push(q);
      }
      if (w.cross?.links) this.links.add(w.cross.links);
      // Links and duplicates between contact records, over the whole file: once it is all read,
      // sorted in with the last window's findings (they may sit in any window before it).
      if (w.final && w.crossRecord) for (const finding of this.links.findings(this.uri)) list.push({ group: 2, finding });
      // Links still waiting from earlier windows sit before this window's findings.
      if (w.final) this.settleLinks();
      const order = list.map((q, i) => ({ q, i }));
      order.sort(
        (a, b) =>
          comparePos(a.q.finding.range.start, b.q.finding.range.start) ||
          comparePos(a.q.finding.range.end, b.q.finding.range.end) ||
          a.q.group - b.q.group ||
          a.i - b.i,
      );
      for (const { q } of order) this.report(q.finding);
      if (this.options.select) for (const r of w.read.selected) this.options.select.onRecord(r);
      if (w.final) this.reportRedacted();
    }
  }

  /** The one `redacted` finding of the document (and of its decoded records), on its first masked value. */
  private reportRedacted(): void {
    const first = this.masked.first;
    if (first) {
      const f = redactedFinding([{ count: this.masked.count, first: { start: first.start, end: first.end }, sample: first.sample }]);
      if (f) this.report({ code: f.code, severity: f.severity, message: f.message, range: first.range, source: { byte: first.byte } });
    }
    if (this.decodedRedacted) this.report(this.decodedRedacted);
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

  private report(f: StreamFinding): void {
    this.findingCount++;
    this.options.onFinding(f);
  }
}

function comparePos(a: LineCharacter, b: LineCharacter): number {
  return a.line - b.line || a.character - b.character;
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

/**
 * Streams a file through the analyser: worker threads read the records of a big file (see
 * `workers`); read in this thread, the event loop gets a turn after each chunk.
 */
export async function analyzeFileStream(path: string, options: FileStreamOptions): Promise<StreamSummary> {
  const size = statSync(path).size;
  const gzip = startsWithGzip(path);
  const workers = options.workers ?? defaultWorkers(gzip ? size * 4 : size);
  const analyzer = new StreamAnalyzer({ uri: path, ...options }, workers);
  try {
    if (options.signal?.aborted) return analyzer.cancel();
    if (gzip) return await analyzeGzip(path, size, analyzer, options);
    const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? READ_BYTES });
    try {
      for await (const chunk of stream) {
        if (options.signal?.aborted) return analyzer.cancel();
        analyzer.write(chunk as Buffer);
        options.onProgress?.(analyzer.bytesRead, size);
        await analyzer.ready();
        // Let other requests (hover, cancellation) in between chunks.
        if (workers === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) return analyzer.cancel();
      }
    } finally {
      stream.destroy();
    }
    return await analyzer.finish();
  } finally {
    analyzer.dispose();
  }
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
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? READ_BYTES });
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
    const damage = await gunzipStream(chunks(), options.limits ?? DEFAULT_LIMITS, (piece) => {
      analyzer.write(piece);
      return analyzer.ready();
    });
    if (cancelled || options.signal?.aborted) return analyzer.cancel();
    if (damage) analyzer.reportDamage(damage);
  } finally {
    stream.destroy();
  }
  return analyzer.finish();
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
  try {
    const damage = await gunzipStream(createReadStream(path, { highWaterMark: READ_BYTES }), limits, (piece) => {
      if (analyzer) {
        analyzer.write(piece);
        return analyzer.ready();
      }
      pieces.push(piece);
      held += piece.length;
      if (held <= wholeBytes) return;
      const started = new StreamAnalyzer({ uri: path, ...options }, options.workers ?? defaultWorkers(Math.max(held, statSync(path).size * 4)));
      analyzer = started;
      started.envelope = 'gzip';
      const before = pieces;
      pieces = [];
      // What was held goes in as it would have come: a window at a time (memory stays flat).
      return (async () => {
        for (const p of before) {
          started.write(p);
          await started.ready();
        }
      })();
    });
    if (analyzer) {
      if (damage) analyzer.reportDamage(damage);
      return { summary: await analyzer.finish() };
    }
    // A damaged stream loses the output of its last write: read again, more carefully (rare, small).
    if (damage?.kind === 'damaged') return gunzipText(readFileSync(path), limits);
    return { text: Buffer.concat(pieces).toString('utf8'), damage };
  } finally {
    analyzer?.dispose();
  }
}

/** The same, synchronously, in this thread (no gzip). */
export function analyzeFileSync(path: string, options: FileStreamOptions): StreamSummary {
  const size = statSync(path).size;
  const analyzer = new StreamAnalyzer({ uri: path, ...options }, 0);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(options.chunkBytes ?? READ_BYTES);
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
