// Maps JSON paths inside one record to text spans, and text offsets back to paths.
// A path in a record of strict JSON is found by walking its text; other records, and offsets
// (hover, definition), go through a tree parsed from the record's own span. Trees cost ~13x
// their record's text, so only the most recently used ones are kept (hover and definition
// touch a handful of records at a time; findings are located once per record and cached by
// their callers).
import { findNodeAtLocation, findNodeAtOffset, getNodePath, Node, parseTree, visit } from 'jsonc-parser';
import type { Dump, DumpRecord, JsonPath, Span } from './types';

/** How many records' trees are kept, most recently used first out last. */
export const MAX_TREES = 64;
const trees = new Map<DumpRecord, Node | null>();

export function recordTree(dump: Dump, record: DumpRecord): Node | undefined {
  let tree = trees.get(record);
  if (tree === undefined) {
    try {
      // A copy of the record's text, not a slice of the document: the tree's strings would
      // otherwise keep this version of the whole document alive after the next edit.
      tree = parseTree(detached(dump.text.slice(record.start, record.end))) ?? null;
    } catch {
      tree = null; // pathological nesting: positions fall back to the record itself
    }
    if (trees.size >= MAX_TREES) trees.delete(trees.keys().next().value!);
  } else trees.delete(record); // re-inserted below: the most recently used
  trees.set(record, tree);
  return tree ?? undefined;
}

/** A string with the same characters that shares no storage with `s` (JSON.parse always makes a new string). */
export function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** A record taken over by the next version of its document keeps its tree (it is relative to the record). */
export function adoptTree(old: DumpRecord, fresh: DumpRecord): void {
  const tree = trees.get(old);
  if (tree === undefined) return;
  trees.delete(old);
  trees.set(fresh, tree);
}

/** `value`: the value itself; `key`: the property name holding it; `object`: the first key or the opening brace. */
export type Anchor = 'value' | 'key' | 'object';

/** Records up to this many characters are located by a walk over their text rather than a tree. */
const MAX_WALKED = 64 * 1024;

/** The span of the value (or key) at `path` in `record`; the closest existing ancestor if the path is absent. */
export function locate(dump: Dump, record: DumpRecord, path: JsonPath, anchor: Anchor = 'value'): Span {
  // Most records get one or two findings, located once: walking the text to the path costs far
  // less than a tree (and its garbage). A record with a tree already, or a large one, uses the tree.
  if (record.end - record.start <= MAX_WALKED && !trees.has(record)) {
    const walked = locateInText(dump.text, record, path, anchor);
    if (walked) return walked;
  }
  return locateInTree(dump, record, path, anchor);
}

/** `locate` through the record's jsonc-parser tree (exported for the test that compares the two). */
export function locateInTree(dump: Dump, record: DumpRecord, path: JsonPath, anchor: Anchor = 'value'): Span {
  const root = recordTree(dump, record);
  if (!root) return locateByScan(dump.text, record, path, anchor);
  let node: Node | undefined;
  for (let n = path.length; n >= 0 && !node; n--) node = findNodeAtLocation(root, path.slice(0, n));
  node ??= root;
  if (anchor === 'key' && node.parent?.type === 'property' && node.parent.children) node = node.parent.children[0];
  if (anchor === 'object') {
    if (node.type === 'object' && node.children && node.children.length > 0 && node.children[0].children) {
      node = node.children[0].children[0];
    } else if (node.type === 'object') {
      return { start: record.start + node.offset, end: record.start + node.offset + 1 };
    }
  }
  return { start: record.start + node.offset, end: record.start + node.offset + node.length };
}

/**
 * The spans of the scalar values at `paths` in one record, in one pass without a tree (an
 * envelope holds thousands of encoded values: a tree of it would cost more than the values).
 * A path that is absent or not a scalar gets the record's own span.
 */
export function locateScalars(dump: Dump, record: DumpRecord, paths: readonly JsonPath[], values?: readonly unknown[]): Span[] {
  const out: Span[] = paths.map(() => ({ start: record.start, end: record.end }));
  const wanted = new Map<string, number>();
  // Fast path: string values in text order, found by their JSON text right after their key
  // (base64 has nothing to escape); any that is not found so is left to the full pass.
  let cursor = record.start;
  paths.forEach((p, i) => {
    const v = values?.[i];
    const key = p[p.length - 1];
    // The raw value between quotes is its JSON text when it needs no escape (a value that
    // does is not found so, and goes to the full pass).
    const at = typeof v === 'string' && typeof key === 'string' && v.indexOf('\\') < 0 ? findAfterKey(dump.text, v, key, cursor, record.end) : -1;
    if (at < 0) {
      wanted.set(JSON.stringify(p), i);
      return;
    }
    out[i] = { start: at, end: at + (v as string).length + 2 };
    cursor = out[i].end;
  });
  let left = wanted.size;
  if (left === 0) return out;
  try {
    visit(dump.text.slice(record.start, record.end), {
      onLiteralValue: (_value, offset, length, _line, _character, pathSupplier) => {
        if (left === 0) return;
        const i = wanted.get(JSON.stringify(pathSupplier()));
        if (i === undefined) return;
        out[i] = { start: record.start + offset, end: record.start + offset + length };
        left--;
      },
    });
  } catch {
    // jsonc-parser recurses on nesting: a pathological record keeps the record spans
  }
  return out;
}

/** Where the string `raw` next occurs, quoted, as the value of property `key` (only whitespace and ":" between), or -1. */
function findAfterKey(text: string, raw: string, key: string, from: number, end: number): number {
  const name = JSON.stringify(key);
  for (let at = text.indexOf(raw, from + 1) - 1; at >= from && at + raw.length + 2 <= end; at = text.indexOf(raw, at + 2) - 1) {
    if (text.charCodeAt(at) !== 0x22 || text.charCodeAt(at + raw.length + 1) !== 0x22) continue;
    let i = at - 1;
    while (i > from && /\s/.test(text[i])) i--;
    if (text[i] !== ':') continue;
    i--;
    while (i > from && /\s/.test(text[i])) i--;
    if (text.slice(i + 1 - name.length, i + 1) === name) return at;
  }
  return -1;
}

// ---- Locating by a walk over strict JSON text, as the tree would ----

/** Deeper nesting is left to the tree (which gives up on pathological depths its own way). */
const MAX_WALK_DEPTH = 256;

/** Whether each record's text is strict JSON, checked once per record object. */
const strict = new WeakMap<DumpRecord, boolean>();

/**
 * The span `locateInTree` gives, found by walking the record's text along `path`: only over
 * strict JSON (what JSON.parse reads), and undefined on anything else (comments, trailing
 * commas, control characters, deep nesting), which the tree handles. Keys are compared
 * decoded; the first of repeated keys wins, as in jsonc-parser's findNodeAtLocation.
 */
export function locateInText(text: string, record: DumpRecord, path: JsonPath, anchor: Anchor): Span | undefined {
  const end = record.end;
  let at = skipJsonWs(text, record.start, end);
  let ok = strict.get(record);
  if (ok === undefined) {
    const valueEnd = strictValueEnd(text, at, end);
    strict.set(record, (ok = valueEnd >= 0 && skipJsonWs(text, valueEnd, end) === end));
  }
  if (!ok) return undefined;
  // From here on the text is known to be strict JSON: values are skipped without checking them.
  let valueEnd = end;
  while (valueEnd > at && isJsonWs(text.charCodeAt(valueEnd - 1))) valueEnd--;
  // The key of the property holding the current value (absent for the root and array items).
  let keyStart = -1;
  let keyEnd = -1;
  for (const seg of path) {
    const open = text.charCodeAt(at);
    if (typeof seg === 'string') {
      if (open !== 0x7b) break; // {
      const found = propertyValue(text, at, seg);
      if (!found) break;
      [keyStart, keyEnd, at, valueEnd] = found;
    } else {
      if (!Number.isInteger(seg) || seg < 0) return undefined;
      if (open !== 0x5b) break; // [
      const found = arrayItem(text, at, seg);
      if (!found) break;
      [at, valueEnd] = found;
      keyStart = keyEnd = -1;
    }
  }
  if (anchor === 'key' && keyStart >= 0) return { start: keyStart, end: keyEnd };
  if (anchor === 'object' && text.charCodeAt(at) === 0x7b) {
    const first = skipJsonWs(text, at + 1, valueEnd);
    if (text.charCodeAt(first) === 0x7d) return { start: at, end: at + 1 }; // {}
    return { start: first, end: valueEndIn(text, first) };
  }
  return { start: at, end: valueEnd };
}

/** [keyStart, keyEnd, valueStart, valueEnd] of property `name` of the (strict JSON) object at `at`, or undefined. */
function propertyValue(text: string, at: number, name: string): [number, number, number, number] | undefined {
  let i = skipJsonWs(text, at + 1, text.length);
  if (text.charCodeAt(i) === 0x7d) return undefined; // {}
  for (;;) {
    const keyEnd = valueEndIn(text, i);
    const valueStart = skipJsonWs(text, skipJsonWs(text, keyEnd, text.length) + 1, text.length); // past the colon
    const valueEnd = valueEndIn(text, valueStart);
    if (keyIs(text, i, keyEnd, name)) return [i, keyEnd, valueStart, valueEnd];
    i = skipJsonWs(text, valueEnd, text.length);
    if (text.charCodeAt(i) === 0x7d) return undefined; // }
    i = skipJsonWs(text, i + 1, text.length); // past the comma
  }
}

/** [start, end] of item `index` of the (strict JSON) array at `at`, or undefined when it has fewer. */
function arrayItem(text: string, at: number, index: number): [number, number] | undefined {
  let i = skipJsonWs(text, at + 1, text.length);
  if (text.charCodeAt(i) === 0x5d) return undefined; // []
  for (let n = 0; ; n++) {
    const itemEnd = valueEndIn(text, i);
    if (n === index) return [i, itemEnd];
    i = skipJsonWs(text, itemEnd, text.length);
    if (text.charCodeAt(i) === 0x5d) return undefined; // ]
    i = skipJsonWs(text, i + 1, text.length); // past the comma
  }
}

/** Whether the JSON string text[start, end) (quotes included) decodes to `name`. */
function keyIs(text: string, start: number, end: number, name: string): boolean {
  for (let i = start + 1; i < end - 1; i++) if (text.charCodeAt(i) === 0x5c) return JSON.parse(text.slice(start, end)) === name; // an escape
  return end - start === name.length + 2 && text.startsWith(name, start + 1);
}

function isJsonWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipJsonWs(text: string, i: number, end: number): number {
  while (i < end && isJsonWs(text.charCodeAt(i))) i++;
  return i;
}

/** End of the value starting at `i` in text known to be strict JSON. */
function valueEndIn(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEndIn(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    // A number or a literal: up to the next delimiter.
    let j = i + 1;
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x2c || d === 0x7d || d === 0x5d || isJsonWs(d)) break;
    }
    return j;
  }
  // From one quote or bracket to the next (a regex finds them faster than a loop over characters).
  let depth = 0;
  STRUCTURE.lastIndex = i;
  while (STRUCTURE.test(text)) {
    const j = STRUCTURE.lastIndex - 1;
    const d = text.charCodeAt(j);
    if (d === 0x22) STRUCTURE.lastIndex = stringEndIn(text, j);
    else if (d === 0x7b || d === 0x5b) depth++;
    else if (--depth === 0) return j + 1;
  }
  return text.length;
}

const STRUCTURE = /["[\]{}]/g;

/** End of the string starting at `i` (after its closing quote) in text known to be strict JSON. */
function stringEndIn(text: string, i: number): number {
  for (let q = text.indexOf('"', i + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    // Escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q + 1;
  }
  return text.length;
}

/** End of the JSON string starting at `i` (after its closing quote), or -1 when it is not strict JSON. */
function strictStringEnd(text: string, i: number, end: number): number {
  STRICT_STRING.lastIndex = i;
  return STRICT_STRING.test(text) && STRICT_STRING.lastIndex <= end ? STRICT_STRING.lastIndex : -1;
}

/** A string as JSON.parse reads it: no control character, only its escapes. */
// eslint-disable-next-line no-control-regex
const STRICT_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** End of the strict JSON value starting at `i`, or -1 when it is not one (or nests deeper than MAX_WALK_DEPTH). */
function strictValueEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return strictStringEnd(text, i, end);
  if (c === 0x7b || c === 0x5b) return strictContainerEnd(text, i, end);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    return m && i + m[0].length <= end ? i + m[0].length : -1;
  }
  for (const word of LITERALS) if (text.startsWith(word, i) && i + word.length <= end) return i + word.length;
  return -1;
}

/** End of the object or array at `i`, checked for strict JSON structure, or -1. */
function strictContainerEnd(text: string, i: number, end: number): number {
  // What comes next: 1 a value, 2 a key, 3 ":", 4 "," or the closer, 5 a key or "}", 6 a value or "]".
  const closers: number[] = [];
  let expect = 1;
  let j = i;
  while (j < end) {
    j = skipJsonWs(text, j, end);
    if (j >= end) return -1;
    const c = text.charCodeAt(j);
    if (expect === 1 || expect === 6) {
      if (expect === 6 && c === 0x5d) {
        closers.pop();
        j++;
      } else if (c === 0x7b || c === 0x5b) {
        if (closers.length >= MAX_WALK_DEPTH) return -1;
        closers.push(c === 0x7b ? 0x7d : 0x5d);
        expect = c === 0x7b ? 5 : 6;
        j++;
        continue;
      } else {
        j = strictValueEnd(text, j, end);
        if (j < 0) return -1;
      }
      expect = 4;
    } else if (expect === 2 || expect === 5) {
      if (expect === 5 && c === 0x7d) {
        closers.pop();
        j++;
        expect = 4;
      } else {
        j = strictStringEnd(text, j, end);
        if (j < 0) return -1;
        expect = 3;
        continue;
      }
    } else if (expect === 3) {
      if (c !== 0x3a) return -1;
      j++;
      expect = 1;
      continue;
    } else {
      // After a value: a comma, or the closer of the container it is in.
      const closer = closers[closers.length - 1];
      if (c === 0x2c) {
        j++;
        expect = closer === 0x7d ? 2 : 1;
        continue;
      }
      if (c !== closer) return -1;
      closers.pop();
      j++;
    }
    if (closers.length === 0) return j;
  }
  return -1;
}

/** The record whose span contains `offset` (binary search; records are in text order). */
export function recordAt(dump: Dump, offset: number): DumpRecord | undefined {
  const rs = dump.records;
  let lo = 0,
    hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rs[mid];
    if (offset < r.start) hi = mid - 1;
    else if (offset > r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}

export interface PathAtOffset {
  record: DumpRecord;
  path: JsonPath;
  /** True when the offset is on a property name rather than its value. */
  onKey: boolean;
  /** The span of the node under the offset. */
  span: Span;
  /** The node's value when it is a scalar. */
  value: unknown;
}

/** What JSON path the offset points at, inside whichever record holds it. */
export function pathAt(dump: Dump, offset: number): PathAtOffset | undefined {
  const record = recordAt(dump, offset);
  if (!record) return undefined;
  const root = recordTree(dump, record);
  if (!root) return undefined;
  let node: Node | undefined;
  try {
    node = findNodeAtOffset(root, offset - record.start, true);
  } catch {
    return undefined; // jsonc-parser recurses: a record nested thousands deep has no hover
  }
  if (!node) return undefined;
  let onKey = false;
  let target = node;
  if (node.parent?.type === 'property' && node.parent.children?.[0] === node) {
    onKey = true;
    target = node.parent.children[1] ?? node;
  }
  let path: JsonPath;
  try {
    path = getNodePath(target);
  } catch {
    return undefined;
  }
  return {
    record,
    path,
    onKey,
    span: { start: record.start + node.offset, end: record.start + node.offset + node.length },
    value: node.value,
  };
}

// ---- Locating without a tree, for records nested too deep for jsonc-parser's recursion ----

function skipWs(text: string, i: number, end: number): number {
  while (i < end && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** End of the JSON value starting at `i` (iterative: any depth). */
function skipValue(text: string, i: number, end: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < end; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return j + 1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth <= 0) return j + 1;
    } else if (depth === 0 && (c === ',' || c === ' ' || c === '\n' || c === '\r' || c === '\t')) return j;
  }
  return end;
}

/** Walks the record text segment by segment; falls back to the deepest segment found. */
function locateByScan(text: string, record: DumpRecord, path: JsonPath, anchor: Anchor): Span {
  const end = record.end;
  let at = skipWs(text, record.start, end);
  let key: Span | undefined;
  for (const seg of path) {
    const open = text[at];
    let found = -1;
    let foundKey: Span | undefined;
    let i = skipWs(text, at + 1, end);
    if (typeof seg === 'string' && open === '{') {
      while (i < end && text[i] === '"') {
        const keyEnd = skipValue(text, i, end);
        let name: unknown;
        try {
          name = JSON.parse(text.slice(i, keyEnd));
        } catch {
          break;
        }
        const colon = skipWs(text, keyEnd, end);
        const valueStart = skipWs(text, colon + 1, end);
        if (name === seg) {
          found = valueStart;
          foundKey = { start: i, end: keyEnd };
          break;
        }
        i = skipWs(text, skipValue(text, valueStart, end), end);
        if (text[i] === ',') i = skipWs(text, i + 1, end);
        else break;
      }
    } else if (typeof seg === 'number' && open === '[') {
      for (let n = 0; i < end && text[i] !== ']'; n++) {
        if (n === seg) {
          found = i;
          break;
        }
        i = skipWs(text, skipValue(text, i, end), end);
        if (text[i] === ',') i = skipWs(text, i + 1, end);
        else break;
      }
    }
    if (found < 0) break;
    at = found;
    key = foundKey;
  }
  if (anchor === 'key' && key) return key;
  if (anchor === 'object' && text[at] === '{') {
    const first = skipWs(text, at + 1, end);
    return text[first] === '"' ? { start: first, end: skipValue(text, first, end) } : { start: at, end: at + 1 };
  }
  return { start: at, end: Math.max(at + 1, skipValue(text, at, end)) };
}
