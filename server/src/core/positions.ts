// Maps JSON paths inside one record to text spans, and text offsets back to paths.
// Only records that need a position are parsed into a tree, each on its own span. Trees
// cost ~13x their record's text, so only the most recently used ones are kept (hover and
// definition touch a handful of records at a time; findings are located once per record
// and cached by their callers).
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

/** The span of the value (or key) at `path` in `record`; the closest existing ancestor if the path is absent. */
export function locate(dump: Dump, record: DumpRecord, path: JsonPath, anchor: Anchor = 'value'): Span {
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
