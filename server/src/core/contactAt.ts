// Which contact the record at a text offset is about: what the timeline command and
// CodeLens open when the cursor sits in a record.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { isContactIdLength } from './contactIdLength';
import { at, idAt, isObject } from './json';
import { SNAPSHOTS } from './model';
import { otherKindContactId } from './recordKinds';
import type { Dump, DumpRecord } from './types';

function recordAt(dump: Dump, offset: number): DumpRecord | undefined {
  const rs = dump.records;
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rs[mid];
    if (offset < r.start) hi = mid - 1;
    else if (offset > r.end)
      lo = mid + 1; // `end` is exclusive; the cursor just after a record still counts
    else return r;
  }
  return undefined;
}

function snapshotContacts(value: unknown, snapshot: (typeof SNAPSHOTS)[number]): unknown[] {
  const list = at(value, [snapshot, 'Contacts']);
  return Array.isArray(list) ? list : [];
}

/**
 * The contact the record at `offset` is about: a contact record's ContactId, or for an
 * agent event the contact whose object contains the offset (else the first of the
 * current snapshot, else of the previous one). An ID longer than a contact ID can be is
 * none (its schema finding says why).
 */
export function contactIdAt(dump: Dump, offset: number): string | undefined {
  const id = writtenContactIdAt(dump, offset);
  return id !== undefined && isContactIdLength(id) ? id : undefined;
}

function writtenContactIdAt(dump: Dump, offset: number): string | undefined {
  const record = recordAt(dump, offset);
  if (!record || !isObject(record.value)) return undefined;
  const value = record.value;
  if (record.kind === 'contactEvent' || record.kind === 'flowLog' || record.kind === 'apiContact') return otherKindContactId(record.kind, value);
  if (record.kind !== 'agentEvent') return idAt(value, ['ContactId']);
  const lists = SNAPSHOTS.map((s) => snapshotContacts(value, s));
  const first = lists.map((l) => l.find(isObject));
  if (lists[0].filter(isObject).length + lists[1].filter(isObject).length > 1) {
    let root: ReturnType<typeof parseTree>;
    try {
      root = parseTree(dump.text.slice(record.start, record.end));
    } catch {
      root = undefined; // absurdly deep nesting overflows the recursive parser: fall back to the first contact
    }
    const rel = offset - record.start;
    for (const [s, snapshot] of SNAPSHOTS.entries()) {
      const list = root && findNodeAtLocation(root, [snapshot, 'Contacts']);
      if (!list?.children) continue;
      for (const [i, node] of list.children.entries()) {
        const id = rel >= node.offset && rel <= node.offset + node.length ? idAt(lists[s][i], ['ContactId']) : undefined;
        if (id) return id;
      }
    }
  }
  return idAt(first[0], ['ContactId']) ?? idAt(first[1], ['ContactId']);
}
