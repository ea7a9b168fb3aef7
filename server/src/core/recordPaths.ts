// Small helpers for the checks that look at one record on its own (ordering, durations, ARNs,
// phone numbers, masking): read a value by path, and put a finding on a value of the record.
import { locate } from './positions';
import type { Dump, DumpRecord, Finding, FindingCode, JsonPath, RelatedLocation, Severity } from './types';

/** The value at a path of a parsed value (json.ts owns the readers). */
export { at as valueAt } from './json';

/** `Agent.ConnectedToAgentTimestamp`, `Recordings[0].Location`. */
export function pathLabel(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || 'record';
}

export function relatedOn(dump: Dump, record: DumpRecord, path: JsonPath, message: string): RelatedLocation {
  const span = locate(dump, record, path);
  return { uri: dump.uri, start: span.start, end: span.end, message };
}

export function findingOn(
  dump: Dump,
  record: DumpRecord,
  path: JsonPath,
  code: FindingCode,
  severity: Severity,
  message: string,
  related: RelatedLocation[] = [],
): Finding {
  const span = locate(dump, record, path);
  return { code, severity, start: span.start, end: span.end, message, ...(related.length ? { related } : {}) };
}

/** Connect records are a few levels deep; below this a value is not Connect data and is not walked. */
const MAX_DEPTH = 64;

/**
 * Calls `visit` for every string in a value, depth first, in document order. `path` is the
 * walker's own array, valid during the call only: copy it (`[...path]`) to keep it.
 * `skip` leaves out the subtree under a key.
 */
export function visitStrings(value: unknown, visit: (path: readonly (string | number)[], s: string) => void, skip?: (key: string) => boolean): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') visit(path, v);
    else if (path.length >= MAX_DEPTH || v === null || typeof v !== 'object') return;
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const x = o[k];
        // Numbers, booleans and nulls hold no string: skip the push and pop.
        if (x === null || (typeof x !== 'string' && typeof x !== 'object') || skip?.(k)) continue;
        path.push(k);
        walk(x);
        path.pop();
      }
    }
  };
  walk(value);
}

/** Calls `visit` for every object in a value (the value itself included), with the same depth limit and `path` rules as visitStrings. */
export function visitObjects(
  value: unknown,
  visit: (path: readonly (string | number)[], o: Record<string, unknown>) => void,
  skip?: (key: string) => boolean,
): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (path.length >= MAX_DEPTH || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
      return;
    }
    const o = v as Record<string, unknown>;
    visit(path, o);
    for (const k in o) {
      if (skip?.(k)) continue;
      path.push(k);
      walk(o[k]);
      path.pop();
    }
  };
  walk(value);
}
