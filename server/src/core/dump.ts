// Splits a dump into record spans without building a syntax tree: a string-aware scan
// finds where each top-level value (or element of a top-level array) begins and ends,
// and JSON.parse reads each span. Positions inside a record are computed later, only
// for records that need them (see positions.ts).
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { classifyRecord } from './records';
import type { Dump, DumpFormat, DumpRecord, Finding } from './types';

const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  NEWLINE = 0x0a;

function isWhitespace(c: number): boolean {
  // NUL: real Firehose output has been seen with NUL bytes between records (a separator, not an error).
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff || c === 0;
}

interface RawSpan {
  start: number;
  end: number;
  /** The scanner already knows the span cannot be valid JSON (raw newline in a string, cut short). */
  broken: boolean;
}

/**
 * Scans one JSON value starting at `start` (which holds `{` or `[`) and returns where it
 * ends. Raw newlines cannot occur inside JSON strings, so a newline inside a string means
 * the record was cut; when `lineRecords` is set, a new line that opens at column 0 with
 * `{` while the value is still open is taken as the next record (a truncated JSONL line
 * must not swallow the lines after it).
 */
// Next backslash and newline after the scan position (-1: none left), found with native
// indexOf and kept for the whole parse (records are scanned in text order, so each search
// starts where the last one ended: linear overall), so that a plain string is skipped in
// one jump from quote to quote instead of character by character. Reset by parseDump.
let nextBackslash = -2,
  nextNewline = -2;

function scanValue(text: string, start: number, lineRecords: boolean): RawSpan {
  let depth = 0;
  let inString = false;
  let broken = false;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      else if (c === NEWLINE) {
        inString = false;
        broken = true;
        if (lineRecords && text.charCodeAt(i + 1) === OPEN_BRACE) return { start, end: trimEnd(text, start, i), broken };
      }
      continue;
    }
    if (c === QUOTE) {
      const close = text.indexOf('"', i + 1);
      if (nextBackslash !== -1 && nextBackslash <= i) nextBackslash = text.indexOf('\\', i + 1);
      if (nextNewline !== -1 && nextNewline <= i) nextNewline = text.indexOf('\n', i + 1);
      if (close >= 0 && (nextBackslash === -1 || nextBackslash > close) && (nextNewline === -1 || nextNewline > close)) {
        i = close; // no escape and no line break inside: the string ends at the next quote
      } else {
        inString = true; // escapes or a cut string: read it character by character
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth <= 0) return { start, end: i + 1, broken: broken || depth < 0 };
    } else if (c === NEWLINE && lineRecords && text.charCodeAt(i + 1) === OPEN_BRACE) {
      return { start, end: trimEnd(text, start, i), broken: true };
    }
  }
  return { start, end: trimEnd(text, start, n), broken: true };
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** End of the line that contains `offset` (without the line break). */
/** End of the line holding `offset`: lines end at \n, \r\n or a lone \r, as in LSP. */
function lineEnd(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE || c === 0x0d) return i;
  }
  return text.length;
}

/** Where the next record can start after garbage: the next line that opens with `{`. */
function nextLineRecordStart(text: string, from: number): number {
  const lf = text.indexOf('\n{', from);
  const cr = text.indexOf('\r{', from); // files with lone CR line ends
  const i = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  return i < 0 ? text.length : i + 1;
}

function parseScalar(line: string): { ok: true; value: unknown } | { ok: false } {
  const c = line.charCodeAt(0);
  // Only what can start a JSON scalar: a quote, a digit, a minus, true/false/null.
  if (!(c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

let textLength = 0; // of the dump being read: no finding may run past its end

function syntaxFinding(start: number, end: number, message: string): Finding {
  const s = Math.max(0, Math.min(start, textLength - 1));
  return { code: 'json-syntax', severity: 'error', start: s, end: Math.min(textLength, Math.max(end, s + 1)), message };
}

/** Reports why a span is not valid JSON, at the first error jsonc-parser finds. */
function describeSyntaxError(text: string, span: RawSpan, v8Error: unknown): Finding {
  const slice = text.slice(span.start, span.end);
  const errors: ParseError[] = [];
  try {
    parseJsonc(slice, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // Deep nesting can overflow jsonc-parser's recursive descent; fall back to V8's message.
  }
  if (errors.length > 0) {
    const e = errors[0];
    const start = span.start + e.offset;
    const end = Math.min(lineEnd(text, start), start + Math.max(e.length, 1));
    return syntaxFinding(start, end, `Invalid JSON: ${explainParseError(e)}.`);
  }
  const message = v8Error instanceof Error ? v8Error.message : String(v8Error);
  const at = /position (\d+)/.exec(message);
  const start = span.start + (at ? Number(at[1]) : 0);
  return syntaxFinding(start, Math.min(lineEnd(text, start), start + 1), `Invalid JSON: ${message}`);
}

function explainParseError(e: ParseError): string {
  switch (printParseErrorCode(e.error)) {
    case 'CloseBraceExpected':
      return 'the record ends before its closing "}" (truncated?)';
    case 'CloseBracketExpected':
      return 'an array ends before its closing "]" (truncated?)';
    case 'UnexpectedEndOfString':
      return 'a string is not closed (truncated?)';
    case 'CommaExpected':
      return 'a "," is missing';
    case 'ColonExpected':
      return 'a ":" is missing after the property name';
    case 'PropertyNameExpected':
      return 'a property name in double quotes is expected';
    case 'ValueExpected':
      return 'a value is expected';
    case 'InvalidSymbol':
      return 'unexpected character';
    case 'InvalidCommentToken':
      return 'comments are not allowed in JSON';
    case 'InvalidCharacter':
      return 'a control character must be escaped inside a string';
    case 'InvalidEscapeCharacter':
      return 'invalid escape sequence in a string';
    case 'InvalidUnicode':
      return 'invalid \\u escape in a string';
    case 'InvalidNumberFormat':
      return 'invalid number';
    case 'UnexpectedEndOfComment':
      return 'unterminated comment';
    case 'UnexpectedEndOfNumber':
      return 'number cut short';
    case 'EndOfFileExpected':
      return 'unexpected text after the end of the record';
    default:
      return printParseErrorCode(e.error);
  }
}

/**
 * Records of the previous version of a document, by their exact text: an edit re-parses
 * only the records it touched (JSON Lines lines and array elements before and after it
 * are taken over, with their new offsets).
 */
export interface RecordReuse {
  previous?: ReadonlyMap<string, DumpRecord>;
  /** Filled with this version's records, for the next edit (when given). */
  next?: Map<string, DumpRecord>;
  /** Called when a record is taken over, so caches derived from it can follow it. */
  onReuse?: (old: DumpRecord, fresh: DumpRecord) => void;
}

/** The previous version's record with the same text, moved to its new place. */
function takeOver(slice: string, start: number, end: number, index: number, reuse?: RecordReuse): DumpRecord | undefined {
  const old = reuse?.previous?.get(slice);
  if (!old) return undefined;
  const fresh: DumpRecord = { index, start, end, value: old.value, kind: old.kind };
  reuse!.onReuse?.(old, fresh);
  reuse!.next?.set(slice, fresh);
  return fresh;
}

function toRecord(text: string, span: RawSpan, index: number, findings: Finding[], reuse?: RecordReuse): DumpRecord {
  if (!span.broken) {
    const slice = text.slice(span.start, span.end);
    const taken = takeOver(slice, span.start, span.end, index, reuse);
    if (taken) return taken;
    try {
      const value: unknown = JSON.parse(slice);
      const record: DumpRecord = { index, start: span.start, end: span.end, value, kind: classifyRecord(value) };
      reuse?.next?.set(slice, record);
      return record;
    } catch (e) {
      findings.push(describeSyntaxError(text, span, e));
      return { index, start: span.start, end: span.end, value: undefined, kind: undefined };
    }
  }
  findings.push(describeSyntaxError(text, span, new Error('the record is cut short')));
  return { index, start: span.start, end: span.end, value: undefined, kind: undefined };
}

/**
 * JSON Lines fast path: a line that opens with `{` and parses whole is one record, found
 * with indexOf and JSON.parse alone (no character scan). Anything else returns undefined
 * and goes through the scanner, which also reports what is wrong with it.
 */
function readLineRecord(text: string, start: number, index: number, reuse?: RecordReuse): DumpRecord | undefined {
  const end = trimEnd(text, start, lineEnd(text, start));
  if (text.charCodeAt(end - 1) !== CLOSE_BRACE) return undefined;
  const slice = text.slice(start, end);
  const taken = takeOver(slice, start, end, index, reuse);
  if (taken) return taken;
  let value: unknown;
  try {
    value = JSON.parse(slice);
  } catch {
    return undefined;
  }
  const record: DumpRecord = { index, start, end, value, kind: classifyRecord(value) };
  reuse?.next?.set(slice, record);
  return record;
}

/** Reads the elements of a top-level array, each element one record. */
function readArray(text: string, open: number, records: DumpRecord[], findings: Finding[], reuse?: RecordReuse): void {
  let i = skipWhitespace(text, open + 1);
  let expectValue = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) {
      const rest = skipWhitespace(text, i + 1);
      if (rest < text.length) {
        findings.push(syntaxFinding(rest, lineEnd(text, rest), 'Invalid JSON: unexpected text after the closing "]" of the array.'));
      }
      return;
    }
    if (c === COMMA) {
      if (expectValue) findings.push(syntaxFinding(i, i + 1, 'Invalid JSON: a value is expected before ",".'));
      expectValue = true;
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (!expectValue) findings.push(syntaxFinding(i, i + 1, 'Invalid JSON: a "," is missing between array elements.'));
    let span: RawSpan;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      span = scanValue(text, i, false);
    } else {
      // A scalar element: up to the next comma or bracket at this level.
      let j = i;
      if (c === QUOTE) {
        for (j = i + 1; j < text.length; j++) {
          const d = text.charCodeAt(j);
          if (d === BACKSLASH) j++;
          else if (d === QUOTE || d === NEWLINE) {
            j++;
            break;
          }
        }
      } else {
        while (j < text.length) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === CLOSE_BRACKET || isWhitespace(d)) break;
          j++;
        }
      }
      span = { start: i, end: Math.max(j, i + 1), broken: false };
    }
    records.push(toRecord(text, span, records.length, findings, reuse));
    expectValue = false;
    i = skipWhitespace(text, span.end);
  }
  findings.push(syntaxFinding(Math.max(open, text.length - 1), text.length, 'Invalid JSON: the array is not closed with "]" (truncated?).'));
}

/** Reads values written one after another (JSON Lines, Firehose, or a single object). */
function readStream(text: string, first: number, records: DumpRecord[], findings: Finding[], reuse?: RecordReuse): DumpFormat {
  let i = first;
  let allOnOwnLines = true;
  let lastEnd = -1;
  // Records on their own lines: a cut record must not swallow the next line.
  const lineRecords = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      // Only the whitespace between two records is looked at (a backwards search would go quadratic on one-line Firehose files).
      if (lastEnd >= 0 && !text.slice(lastEnd, i).includes('\n')) allOnOwnLines = false;
      const atLineStart = i === first || text.charCodeAt(i - 1) === NEWLINE || text.charCodeAt(i - 1) === 0x0d;
      const line = c === OPEN_BRACE && atLineStart ? readLineRecord(text, i, records.length, reuse) : undefined;
      let record: DumpRecord;
      if (line) {
        record = line;
      } else {
        const span = scanValue(text, i, lineRecords);
        record = toRecord(text, span, records.length, findings, reuse);
        if (text.slice(span.start, span.end).indexOf('\n') >= 0) allOnOwnLines = false;
      }
      records.push(record);
      lastEnd = record.end;
      i = skipWhitespace(text, record.end);
      if (i < text.length && text.charCodeAt(i) === COMMA) i = skipWhitespace(text, i + 1); // tolerate `},{`
    } else {
      const end = lineEnd(text, i);
      const scalar = parseScalar(text.slice(i, end));
      if (scalar.ok) {
        // A JSON Lines line holding a scalar: a record, just not one we know.
        records.push({ index: records.length, start: i, end, value: scalar.value, kind: classifyRecord(scalar.value) });
        i = skipWhitespace(text, end);
        continue;
      }
      // Not the start of a JSON object: report the garbage on its first line, resume at the next record.
      const resume = nextLineRecordStart(text, i);
      findings.push(syntaxFinding(i, Math.min(end, resume), 'Invalid JSON: this text is not a JSON object (each record must start with "{").'));
      i = skipWhitespace(text, resume);
    }
  }
  if (records.length === 1 && findings.length === 0) return 'object';
  return allOnOwnLines ? 'jsonl' : 'concatenated';
}

/** Splits `text` into records. Never throws: bad input becomes `json-syntax` findings. */
export function parseDump(uri: string, text: string, reuse?: RecordReuse): Dump {
  textLength = text.length;
  nextBackslash = nextNewline = -2;
  const records: DumpRecord[] = [];
  const syntaxFindings: Finding[] = [];
  const first = skipWhitespace(text, 0);
  let format: DumpFormat;
  if (first >= text.length) {
    format = 'empty';
  } else if (text.charCodeAt(first) === OPEN_BRACKET) {
    format = 'array';
    readArray(text, first, records, syntaxFindings, reuse);
  } else {
    format = readStream(text, first, records, syntaxFindings, reuse);
  }
  return { uri, text, format, records, syntaxFindings };
}
