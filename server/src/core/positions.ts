// Maps JSON paths inside one record to text spans, and text offsets back to paths.
// Only records that need a position are parsed into a tree, each on its own span, and
// the tree is cached per record object (records are immutable once parsed).
import { findNodeAtLocation, findNodeAtOffset, getNodePath, Node, parseTree } from 'jsonc-parser';
import type { Dump, DumpRecord, JsonPath, Span } from './types';

const trees = new WeakMap<DumpRecord, Node | null>();

export function recordTree(dump: Dump, record: DumpRecord): Node | undefined {
  let tree = trees.get(record);
  if (tree === undefined) {
    try {
      tree = parseTree(dump.text.slice(record.start, record.end)) ?? null;
    } catch {
      tree = null; // pathological nesting: positions fall back to the record itself
    }
    trees.set(record, tree);
  }
  return tree ?? undefined;
}

/** A record taken over by the next version of its document keeps its tree (it is relative to the record). */
export function adoptTree(old: DumpRecord, fresh: DumpRecord): void {
  const tree = trees.get(old);
  if (tree !== undefined) trees.set(fresh, tree);
}

/** `value`: the value itself; `key`: the property name holding it; `object`: the first key or the opening brace. */
export type Anchor = 'value' | 'key' | 'object';

/** The span of the value (or key) at `path` in `record`; the closest existing ancestor if the path is absent. */
export function locate(dump: Dump, record: DumpRecord, path: JsonPath, anchor: Anchor = 'value'): Span {
  const root = recordTree(dump, record);
  if (!root) return { start: record.start, end: Math.min(record.end, record.start + 1) };
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

/** The record whose span contains `offset` (binary search; records are in text order). */
export function recordAt(dump: Dump, offset: number): DumpRecord | undefined {
  const rs = dump.records;
  let lo = 0, hi = rs.length - 1;
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
  const node = findNodeAtOffset(root, offset - record.start, true);
  if (!node) return undefined;
  let onKey = false;
  let target = node;
  if (node.parent?.type === 'property' && node.parent.children?.[0] === node) {
    onKey = true;
    target = node.parent.children[1] ?? node;
  }
  const path = getNodePath(target);
  return {
    record, path, onKey,
    span: { start: record.start + node.offset, end: record.start + node.offset + node.length },
    value: node.value,
  };
}
