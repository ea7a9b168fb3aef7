// An edited document read again around its edit only: the records before the edit are kept
// as they are, those after it are moved by the edit's length change, and parseDump (the one
// owner of record boundaries) reads the text between them. Hashing or scanning every record
// of a 50 MB document for a one-character edit was most of an edit's time.
//
// The region read again runs from a record before the edit to a record after it, both
// unchanged and valid: parseDump must find them again exactly where they were (moved), or
// the region's reading may differ from a whole reading (a record cut open by the edit that
// swallows the next ones) and the caller reads the whole text instead.
import { parseDump } from './dump';
import type { TextEdit } from './analyze';
import type { Dump, DumpRecord, Finding } from './types';

/** How many records before the edit to look through for a valid one to start the region at. */
const MARGIN_SEARCH = 8;

/** Index of the first record whose end is at or after `offset` (records.length if none). */
function firstEndingFrom(records: readonly DumpRecord[], offset: number): number {
  let lo = 0,
    hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].end >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first record that starts after `offset` (records.length if none). */
function firstStartingAfter(records: readonly DumpRecord[], offset: number): number {
  let lo = 0,
    hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].start > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A record parseDump sees from a clean state: a JSON Lines record at a line start, an array element after "[" or ",". */
function cleanStart(text: string, record: DumpRecord, array: boolean): boolean {
  if (record.value === undefined) return false;
  if (!array) return record.start === 0 || text.charCodeAt(record.start - 1) === 0x0a;
  let i = record.start - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i >= 0 && (text[i] === ',' || text[i] === '[');
}

function moved(old: DumpRecord, index: number, by: number): DumpRecord {
  return { index, start: old.start + by, end: old.end + by, value: old.value, kind: old.kind };
}

function shifted(f: Finding, by: number): Finding {
  return by === 0 ? f : { ...f, start: f.start + by, end: f.end + by };
}

/**
 * The dump of `text`, which is `previous.text` with `edit` applied, read around the edit
 * only; undefined when that cannot be done safely (the caller reads the whole text).
 * `onMove(old, fresh)` is called for each record carried over as a new object.
 */
export function parseEdited(uri: string, text: string, previous: Dump, edit: TextEdit, onMove: (old: DumpRecord, fresh: DumpRecord) => void): Dump | undefined {
  const old = previous.records;
  const array = previous.format === 'array';
  if ((previous.format !== 'jsonl' && !array) || old.length < 2) return undefined;
  const delta = edit.newEnd - edit.oldEnd;
  if (previous.text.length + delta !== text.length) return undefined; // not the edit of this text
  // The region: from a clean, valid record before the first one the edit touches (an edit
  // right after a record's end touches it: `}x`), to the first record after the edit.
  let first = firstEndingFrom(old, edit.start) - 1;
  const stop = Math.max(-1, first - MARGIN_SEARCH);
  while (first > stop && !cleanStart(previous.text, old[first], array)) first--;
  if (first <= stop) return undefined;
  const last = firstStartingAfter(old, edit.oldEnd); // old.length: the region runs to the end
  if (last < old.length && old[last].value === undefined) return undefined;
  const start = old[first].start;
  const end = last < old.length ? old[last].end + delta : text.length;
  // An array's region is read as an array of its own: "[" + elements (+ "]" when cut before the end).
  const prefix = array ? '[' : '';
  const suffix = array && last < old.length ? ']' : '';
  const part = parseDump(uri, prefix + text.slice(start, end) + suffix);
  const by = start - prefix.length;
  const read = part.records;
  // A JSON Lines region whose lines are not all records on their own lines makes the whole
  // dump 'concatenated': rare enough to leave to a whole reading. ('object': the one record read is old[first].)
  if (array ? part.format !== 'array' : part.format !== 'jsonl' && part.format !== 'object') return undefined;
  // The region's end records must be found again where they were.
  if (read.length === 0 || read[0].start + by !== start || read[0].end + by !== old[first].end || read[0].value === undefined) return undefined;
  const tail = last < old.length ? read[read.length - 1] : undefined;
  if (tail && (read.length < 2 || tail.start + by !== old[last].start + delta || tail.end + by !== end || tail.value === undefined)) return undefined;

  const records: DumpRecord[] = old.slice(0, first + 1); // unchanged: the same objects
  const newCount = tail ? read.length - 1 : read.length;
  for (let i = 1; i < newCount; i++) {
    const r = read[i];
    records.push({ index: first + i, start: r.start + by, end: r.end + by, value: r.value, kind: r.kind });
  }
  for (let i = last; i < old.length; i++) {
    const index = records.length;
    const r = old[i];
    if (index === r.index && delta === 0) {
      records.push(r);
      continue;
    }
    const fresh = moved(r, index, delta);
    onMove(r, fresh);
    records.push(fresh);
  }
  const regionEndOld = last < old.length ? old[last].end : previous.text.length;
  const syntaxFindings: Finding[] = [];
  for (const f of previous.syntaxFindings) if (f.start < start) syntaxFindings.push(f);
  for (const f of part.syntaxFindings) syntaxFindings.push(shifted(f, by));
  for (const f of previous.syntaxFindings) if (f.start >= regionEndOld && last < old.length) syntaxFindings.push(shifted(f, delta));
  const format = records.length === 1 && syntaxFindings.length === 0 ? 'object' : previous.format;
  return { uri, text, format, records, syntaxFindings };
}
