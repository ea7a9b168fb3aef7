// Splits a dump into record spans without building a syntax tree: the record scanner
// (scanner.ts, the one owner of record boundaries) finds where each record begins and ends,
// and JSON.parse reads each span (the snapshot Configurations agent events repeat are parsed
// once and shared: configurationCache.ts). Positions inside a record are computed later, only for
// records that need them (see positions.ts).
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { classifyRecord } from './records';
import { RecordScanner, ScanFinding, SPAN_BROKEN } from './scanner';
import { parseRecordText } from './configurationCache';
import type { Dump, DumpFormat, DumpRecord, Finding } from './types';

const NEWLINE = 0x0a;

interface RawSpan {
  start: number;
  end: number;
  /** The scanner already knows the span cannot be valid JSON (raw newline in a string, cut short). */
  broken: boolean;
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

// Of the text being read: no finding may run past its end (a window of a streamed file that
// is not the last has no such end: Infinity).
let textLength = 0;

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
      const value = parseRecordText(slice);
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
 * The records of `spans` (start, end, flags triples from the scanner, `offset` subtracted)
 * read from `text`, their syntax findings and the scanner's in the order a reader meets them.
 * `length`: where the text ends for findings (Infinity for a window of a longer text).
 */
export function readSpans(
  text: string,
  spans: ArrayLike<number>,
  scanFindings: readonly ScanFinding[],
  offset: number,
  firstOrdinal: number,
  length: number,
  records: DumpRecord[],
  findings: Finding[],
  reuse?: RecordReuse,
): void {
  textLength = length;
  let f = 0;
  for (let k = 0; k < spans.length; k += 3) {
    const ordinal = firstOrdinal + k / 3;
    for (; f < scanFindings.length && scanFindings[f].after <= ordinal; f++) {
      const sf = scanFindings[f];
      findings.push(syntaxFinding(sf.start - offset, sf.end - offset, sf.message));
    }
    const span = { start: spans[k] - offset, end: spans[k + 1] - offset, broken: (spans[k + 2] & SPAN_BROKEN) !== 0 };
    records.push(toRecord(text, span, records.length, findings, reuse));
  }
  for (; f < scanFindings.length; f++) {
    const sf = scanFindings[f];
    findings.push(syntaxFinding(sf.start - offset, sf.end - offset, sf.message));
  }
}

/** Splits `text` into records. Never throws: bad input becomes `json-syntax` findings. */
export function parseDump(uri: string, text: string, reuse?: RecordReuse): Dump {
  const scanner = new RecordScanner();
  scanner.scan(text, 0, true);
  const records: DumpRecord[] = [];
  const syntaxFindings: Finding[] = [];
  readSpans(text, scanner.spans, scanner.findings, 0, 0, text.length, records, syntaxFindings, reuse);
  return { uri, text, format: dumpFormat(scanner, records.length, syntaxFindings.length), records, syntaxFindings };
}

/** What kind of dump the scanner saw. */
export function dumpFormat(scanner: RecordScanner, records: number, syntaxFindings: number): DumpFormat {
  if (scanner.mode === 'unknown') return 'empty';
  if (scanner.mode === 'array') return 'array';
  if (records === 1 && syntaxFindings === 0) return 'object';
  return scanner.allOnOwnLines ? 'jsonl' : 'concatenated';
}
