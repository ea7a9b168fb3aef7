// The one owner of record boundaries: where each record of a dump starts and ends, and what
// text between records is wrong. parseDump (dump.ts) feeds it a whole document; the streamed
// analysis (stream.ts) feeds it text chunk by chunk as it is read, and it resumes where it
// stopped, so both read the same records from the same text, whatever the chunking.
//
// The grammar (a superset of JSON, forgiving the way real dumps need):
// - a file that opens with "[" is an array: each element is a record;
// - otherwise values follow one another (JSON Lines, Firehose objects back to back, one
//   object): a "{" or "[" opens a record that ends where its brackets balance (strings
//   skipped); one comma between records is tolerated (`},{`); a line that opens with "{"
//   while a record is still open starts the next record (a truncated line must not swallow
//   the lines after it); a line holding a JSON scalar is a record; any other text is
//   reported on its first line and reading resumes at the next line that opens with "{"
//   (after "\n" or a lone "\r");
// - a record cut short and followed by the next record on the same line (Firehose writes
//   objects back to back) would swallow every record after it: the cut shows where the next
//   value cannot follow what precedes it (a string or "{" right after a value); the record
//   ends before the last `{"` there and the next record starts at it;
// - whitespace includes NUL (seen between records in real Firehose output) and the BOM.
// The scanner does not parse records: a record it could not close is marked broken, and the
// reader's JSON.parse decides about the others.

const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  COLON = 0x3a,
  NEWLINE = 0x0a,
  CR = 0x0d;

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === CR || c === 0x09 || c === 0xfeff || c === 0;
}

/** Flags of a span (the third number of each triple in `RecordScanner.spans`). */
export const SPAN_BROKEN = 1;

/** Text between or around records that is not JSON (a `json-syntax` finding); absolute offsets. */
export interface ScanFinding {
  start: number;
  end: number;
  message: string;
  /** How many records were found before it (its place among the records' own findings). */
  after: number;
}

export type ScanMode = 'unknown' | 'stream' | 'array';

const enum St {
  /** Before the first non-whitespace character: the format is not known yet. */
  Begin,
  // Values one after another.
  Item,
  After,
  Line,
  Seek,
  // A top-level array.
  Between,
  QuotedScalar,
  BareScalar,
  Closed,
  Done,
  // A "{" or "[" value, in either mode.
  Value,
}

/** A JSON Lines line holding a scalar is a record (just not one we know). */
function isScalarLine(line: string): boolean {
  const c = line.charCodeAt(0);
  // Only what can start a JSON scalar: a quote, a digit, a minus, true/false/null.
  if (!(c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * A resumable record-boundary scanner. `scan(text, base, final)` reads the text it has not
 * read yet: `text` holds the document from absolute offset `base` on, and must start at or
 * before `needFrom`. Records found go to `spans` (start, end, flags per record, absolute
 * offsets), text that is wrong to `findings`; the caller takes them away as it likes.
 */
export class RecordScanner {
  mode: ScanMode = 'unknown';
  /** start, end, flags of each record found (absolute offsets). */
  spans: number[] = [];
  findings: ScanFinding[] = [];
  /** Every record on its own line (JSON Lines) so far; false once two share a line or one spans lines. */
  allOnOwnLines = true;
  /** Items (records) longer than `maxItemChars`, skipped: where each starts and ends (-1: not yet). */
  tooLong: { start: number; end: number }[] = [];

  private st = St.Begin;
  /** Where the scanner reads next (absolute). */
  private pos = 0;
  /** Start of the item being read (absolute). */
  private itemStart = 0;
  private depth = 0;
  private inString = false;
  private broken = false;
  private valueNewline = false;
  /** The last character outside strings in the value (a closed string counts as a quote; 0 at its start). */
  private prev = 0;
  /** The value went wrong where no next record could start: it is left to JSON.parse, not checked further. */
  private unchecked = false;
  /** The opening quote of the last string read in the value (absolute; -1: none yet). */
  private stringOpen = -1;
  /** Where a search (line end, next record start, scalar end) goes on (absolute). */
  private searchFrom = 0;
  // Array mode.
  private open = 0;
  private expectValue = true;
  // JSON Lines bookkeeping: a line break seen since the last record that was an object or array.
  private lastEnd = -1;
  private sawNewline = false;
  private skipping = false;
  // Per-call caches of the next backslash and newline in the text (-2: not looked up yet).
  private nextBackslash = -2;
  private nextNewline = -2;

  constructor(private readonly maxItemChars = Infinity) {}

  /** Nothing before this offset will be read again: the caller may drop that text. */
  get needFrom(): number {
    if (this.skipping) return this.st === St.Value ? this.pos : this.searchFrom;
    switch (this.st) {
      case St.Value:
      case St.Line:
      case St.QuotedScalar:
      case St.BareScalar:
        return this.itemStart;
      case St.Closed:
        return this.itemStart < 0 ? this.pos : this.itemStart;
      case St.Seek:
        return this.searchFrom;
      default:
        return this.pos;
    }
  }

  /** Everything before this offset has been reported (records and findings): a window may end here. */
  get settled(): number {
    return this.skipping ? this.pos : Math.min(this.needFrom, this.pos);
  }

  /** Reads `text` (the document from `base` on) as far as it can; `final`: no more text comes. */
  scan(text: string, base: number, final: boolean): void {
    this.nextBackslash = this.nextNewline = -2;
    const n = base + text.length;
    for (;;) {
      if (!this.skipping && this.inItem() && n - this.itemStart > this.maxItemChars) {
        this.tooLong.push({ start: this.itemStart, end: -1 });
        this.skipping = true;
      }
      if (!this.step(text, base, final)) return;
    }
  }

  private inItem(): boolean {
    return this.st === St.Value || this.st === St.Line || this.st === St.QuotedScalar || this.st === St.BareScalar;
  }

  /** One state's work; false when it needs more text (or the text is done). */
  private step(text: string, base: number, final: boolean): boolean {
    const n = base + text.length;
    switch (this.st) {
      case St.Begin: {
        const i = this.skipWhitespace(text, base, this.pos);
        this.pos = i;
        if (i >= n) return false;
        if (text.charCodeAt(i - base) === OPEN_BRACKET) {
          this.mode = 'array';
          this.open = i;
          this.pos = i + 1;
          this.st = St.Between;
        } else {
          this.mode = 'stream';
          this.st = St.Item;
        }
        return true;
      }
      case St.Item: {
        const i = this.skipWhitespace(text, base, this.pos);
        this.pos = i;
        if (i >= n) return false;
        const c = text.charCodeAt(i - base);
        this.itemStart = i;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          // Only the text since the last record is looked at (a backwards search would go quadratic on one-line Firehose files).
          if (this.lastEnd >= 0 && !this.sawNewline) this.allOnOwnLines = false;
          this.beginValue(i);
        } else {
          this.st = St.Line;
          this.searchFrom = i;
        }
        return true;
      }
      case St.After: {
        // Whitespace, at most one comma (`},{`), then the next item.
        const i = this.skipWhitespace(text, base, this.pos);
        this.pos = i;
        if (i >= n) return false;
        this.st = St.Item;
        if (text.charCodeAt(i - base) === COMMA) this.pos = i + 1;
        return true;
      }
      case St.Value:
        return this.scanValue(text, base, final);
      case St.Line: {
        const end = this.lineEnd(text, base, this.searchFrom);
        if (end < 0) {
          if (!final) {
            this.searchFrom = n;
            return false;
          }
        }
        const lineEnd = end < 0 ? n : end;
        if (this.skipping) {
          this.endSkip(lineEnd);
          this.pos = lineEnd;
          this.st = St.Seek;
          this.searchFrom = lineEnd;
          return true;
        }
        const start = this.itemStart;
        if (isScalarLine(text.slice(start - base, lineEnd - base))) {
          this.pushSpan(start, lineEnd, 0);
          this.pos = lineEnd;
          this.st = St.Item;
          return true;
        }
        // Not the start of a JSON object: reported on its first line, reading resumes at the next record.
        this.findings.push({
          start,
          end: lineEnd,
          message: 'Invalid JSON: this text is not a JSON object (each record must start with "{").',
          after: this.spanCount,
        });
        this.st = St.Seek;
        this.searchFrom = lineEnd;
        this.pos = lineEnd;
        return true;
      }
      case St.Seek: {
        // The next line that opens with "{", after "\n" or a lone "\r".
        const from = this.searchFrom - base;
        const lf = text.indexOf('\n{', from);
        const cr = text.indexOf('\r{', from);
        const k = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
        if (k < 0) {
          if (!this.sawNewline) {
            const nl = text.indexOf('\n', from);
            if (nl >= 0) this.sawNewline = true;
          }
          if (final) {
            this.pos = n;
            this.st = St.Done;
            return false;
          }
          this.searchFrom = Math.max(this.searchFrom, n - 1);
          this.pos = n;
          return false;
        }
        if (!this.sawNewline) {
          const nl = text.indexOf('\n', from);
          if (nl >= 0 && nl <= k) this.sawNewline = true;
        }
        this.pos = base + k + 1;
        this.st = St.Item;
        return true;
      }
      case St.Between: {
        const i = this.skipWhitespace(text, base, this.pos);
        this.pos = i;
        if (i >= n) {
          if (final) {
            this.findings.push({
              start: Math.max(this.open, n - 1),
              end: n,
              message: 'Invalid JSON: the array is not closed with "]" (truncated?).',
              after: this.spanCount,
            });
            this.st = St.Done;
          }
          return false;
        }
        const c = text.charCodeAt(i - base);
        if (c === CLOSE_BRACKET) {
          this.pos = i + 1;
          this.st = St.Closed;
          this.itemStart = -1;
          return true;
        }
        if (c === COMMA) {
          if (this.expectValue) this.findings.push({ start: i, end: i + 1, message: 'Invalid JSON: a value is expected before ",".', after: this.spanCount });
          this.expectValue = true;
          this.pos = i + 1;
          return true;
        }
        if (!this.expectValue)
          this.findings.push({ start: i, end: i + 1, message: 'Invalid JSON: a "," is missing between array elements.', after: this.spanCount });
        this.itemStart = i;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) this.beginValue(i);
        else {
          this.st = c === QUOTE ? St.QuotedScalar : St.BareScalar;
          this.searchFrom = c === QUOTE ? i + 1 : i;
        }
        return true;
      }
      case St.QuotedScalar: {
        // Up to the closing quote or the end of the line, whichever comes first.
        let j = this.searchFrom,
          found = false;
        for (; j < n; j++) {
          const d = text.charCodeAt(j - base);
          if (d === BACKSLASH) {
            if (j + 1 >= n && !final) break;
            j++;
          } else if (d === QUOTE || d === NEWLINE) {
            j++;
            found = true;
            break;
          }
        }
        if (!found && !final) {
          this.searchFrom = j;
          return false;
        }
        return this.endElement(this.itemStart, Math.max(j, this.itemStart + 1), 0);
      }
      case St.BareScalar: {
        let j = this.searchFrom;
        while (j < n) {
          const d = text.charCodeAt(j - base);
          if (d === COMMA || d === CLOSE_BRACKET || isWhitespace(d)) break;
          j++;
        }
        if (j >= n && !final) {
          this.searchFrom = j;
          return false;
        }
        return this.endElement(this.itemStart, Math.max(j, this.itemStart + 1), 0);
      }
      case St.Closed: {
        // After the closing "]": whitespace only; anything else is reported on its line, the rest ignored.
        if (this.itemStart < 0) {
          const rest = this.skipWhitespace(text, base, this.pos);
          this.pos = rest;
          if (rest >= n) {
            if (final) this.st = St.Done;
            return false;
          }
          this.itemStart = rest;
          this.searchFrom = rest;
        }
        const end = this.lineEnd(text, base, this.searchFrom);
        if (end < 0 && !final) {
          this.searchFrom = n;
          return false;
        }
        this.findings.push({
          start: this.itemStart,
          end: end < 0 ? n : end,
          message: 'Invalid JSON: unexpected text after the closing "]" of the array.',
          after: this.spanCount,
        });
        this.st = St.Done;
        this.pos = n;
        return false;
      }
      case St.Done:
        this.pos = n;
        return false;
    }
  }

  /** Records found so far (all of them, also those the caller took away). */
  spanCount = 0;

  private pushSpan(start: number, end: number, flags: number): void {
    this.spans.push(start, end, flags);
    this.spanCount++;
  }

  private endSkip(end: number): void {
    this.skipping = false;
    this.tooLong[this.tooLong.length - 1].end = end;
  }

  /** Whether the item being read is too long and skipped. */
  get skippingItem(): boolean {
    return this.skipping;
  }

  private beginValue(i: number): void {
    this.st = St.Value;
    this.pos = i;
    this.depth = 0;
    this.inString = false;
    this.broken = false;
    this.valueNewline = false;
    this.prev = 0;
    this.unchecked = false;
    this.stringOpen = -1;
  }

  /** An array element or a streamed value is done: report it (unless skipped) and go on. */
  private endElement(start: number, end: number, flags: number): boolean {
    if (this.skipping) this.endSkip(end);
    else this.pushSpan(start, end, flags);
    this.pos = end;
    this.expectValue = false;
    this.st = St.Between;
    return true;
  }

  private endValue(text: string, base: number, end: number, broken: boolean, newlineInside: boolean | undefined): boolean {
    const start = this.itemStart;
    if (this.mode === 'array') return this.endElement(start, end, broken ? SPAN_BROKEN : 0);
    if (this.skipping) {
      this.endSkip(end);
    } else {
      this.pushSpan(start, end, broken ? SPAN_BROKEN : 0);
      let nl = newlineInside;
      if (nl === undefined) {
        nl = false;
        for (let k = start; k < end; k++)
          if (text.charCodeAt(k - base) === NEWLINE) {
            nl = true;
            break;
          }
      }
      if (nl) this.allOnOwnLines = false;
    }
    this.lastEnd = end;
    this.sawNewline = false;
    this.pos = end;
    this.st = St.After;
    return true;
  }

  /**
   * Scans a "{" or "[" value from `pos` on, resuming with the saved depth and string state.
   * Raw newlines cannot occur inside JSON strings, so a newline inside a string means the
   * record was cut; in stream mode a new line that opens with "{" while the value is still
   * open is taken as the next record. Plain strings are skipped from quote to quote with
   * indexOf (the next backslash and newline are looked up once and kept: linear overall).
   */
  private scanValue(text: string, base: number, final: boolean): boolean {
    const lineRecords = this.mode === 'stream';
    const n = text.length;
    let depth = this.depth,
      inString = this.inString,
      broken = this.broken,
      newline = this.valueNewline,
      prev = this.prev,
      unchecked = this.unchecked,
      stringOpen = this.stringOpen - base;
    let i = this.pos - base;
    // The caches in locals: this loop is the hot path of every dump read.
    let nextBackslash = this.nextBackslash,
      nextNewline = this.nextNewline;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === BACKSLASH) {
          if (i + 1 >= n && !final) break;
          i++;
        } else if (c === QUOTE) {
          inString = false;
          prev = QUOTE;
        } else if (c === NEWLINE) {
          if (lineRecords) {
            const next = this.lineOpensRecord(text, i, final);
            if (next === undefined) break;
            if (next) return this.endAtLineBreak(text, base, i, nextBackslash, nextNewline);
          }
          inString = false;
          broken = true;
          newline = true;
        }
        continue;
      }
      if (c === QUOTE) {
        // A string opens a value or a key: after "{", "[", ",", ":" only.
        if (!(prev === COLON || prev === COMMA || prev === OPEN_BRACE || prev === OPEN_BRACKET) && !unchecked) {
          // Most likely the string before was cut: it swallowed the `{"` that starts the next record
          // (searched from that string on only: a search back through the whole text went quadratic).
          const from = Math.max(stringOpen + 1, this.itemStart - base + 1);
          const k = prev === QUOTE || stringOpen < 0 || from >= i ? -1 : text.slice(from, i).lastIndexOf('{"');
          if (k >= 0) return this.cutBefore(text, base, from + k, newline, nextBackslash, nextNewline);
          unchecked = true;
        }
        prev = QUOTE;
        stringOpen = i;
        const close = text.indexOf('"', i + 1);
        if (nextBackslash !== -1 && nextBackslash <= i) nextBackslash = text.indexOf('\\', i + 1);
        if (nextNewline !== -1 && nextNewline <= i) nextNewline = text.indexOf('\n', i + 1);
        if (close >= 0 && (nextBackslash === -1 || nextBackslash > close) && (nextNewline === -1 || nextNewline > close)) {
          i = close; // no escape and no line break inside: the string ends at the next quote
        } else {
          inString = true; // escapes or a cut string: read it character by character
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        // Inside the value, an object or array opens after ":", ",", "[" only.
        // Where no value can follow what precedes it, a `{"` is the next record: the one before was cut.
        if (depth > 0 && !(prev === COLON || prev === COMMA || prev === OPEN_BRACKET) && !unchecked) {
          if (i + 1 >= n && !final) break; // is it `{"`? the next text says
          if (c === OPEN_BRACE && text.charCodeAt(i + 1) === QUOTE) return this.cutBefore(text, base, i, newline, nextBackslash, nextNewline);
          unchecked = true;
        }
        prev = c;
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        prev = c;
        depth--;
        if (depth <= 0) {
          this.nextBackslash = nextBackslash;
          this.nextNewline = nextNewline;
          return this.endValue(text, base, base + i + 1, broken || depth < 0, newline);
        }
      } else if (c === NEWLINE) {
        if (lineRecords) {
          const next = this.lineOpensRecord(text, i, final);
          if (next === undefined) break;
          if (next) return this.endAtLineBreak(text, base, i, nextBackslash, nextNewline);
        }
        newline = true;
      } else if (c > 0x20 && c !== 0xfeff) prev = c;
    }
    this.nextBackslash = nextBackslash;
    this.nextNewline = nextNewline;
    if (i >= n && final) return this.endValue(text, base, this.trimEnd(text, base, n), true, undefined);
    this.pos = base + Math.min(i, n);
    this.depth = depth;
    this.inString = inString;
    this.broken = broken;
    this.valueNewline = newline;
    this.prev = prev;
    this.unchecked = unchecked;
    this.stringOpen = stringOpen < 0 ? -1 : base + stringOpen;
    return false;
  }

  /** Whether the line after the break at `i` (relative) opens with "{"; undefined until that character is there. */
  private lineOpensRecord(text: string, i: number, final: boolean): boolean | undefined {
    if (i + 1 >= text.length && !final) return undefined;
    return text.charCodeAt(i + 1) === OPEN_BRACE;
  }

  /** In stream mode a line that opens with "{" starts the next record: the value being read ends, broken, at the break. */
  private endAtLineBreak(text: string, base: number, i: number, nextBackslash: number, nextNewline: number): boolean {
    this.nextBackslash = nextBackslash;
    this.nextNewline = nextNewline;
    return this.endValue(text, base, this.trimEnd(text, base, i), true, undefined);
  }

  /** Ends the value being read before `next` (relative) as a broken record; the next record starts there. */
  private cutBefore(text: string, base: number, next: number, newline: boolean, nextBackslash: number, nextNewline: number): boolean {
    this.nextBackslash = nextBackslash;
    this.nextNewline = nextNewline;
    this.endValue(text, base, this.trimEnd(text, base, next), true, newline ? undefined : false);
    // In an array, the record that follows the cut needs no comma before it.
    if (this.mode === 'array') this.expectValue = true;
    return true;
  }

  /** `end` (relative to `text`) moved back over whitespace, not past the item's start; absolute. */
  private trimEnd(text: string, base: number, end: number): number {
    const start = this.itemStart - base;
    while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
    return base + end;
  }

  /** Skips whitespace from `i` (absolute), noting line breaks (JSON Lines). */
  private skipWhitespace(text: string, base: number, i: number): number {
    const n = base + text.length;
    while (i < n) {
      const c = text.charCodeAt(i - base);
      if (!isWhitespace(c)) break;
      if (c === NEWLINE) this.sawNewline = true;
      i++;
    }
    return i;
  }

  /** The first "\n" or "\r" at or after `from` (absolute), or -1 when the text holds none. */
  private lineEnd(text: string, base: number, from: number): number {
    const n = text.length;
    for (let i = from - base; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE || c === CR) return base + i;
    }
    return -1;
  }
}
