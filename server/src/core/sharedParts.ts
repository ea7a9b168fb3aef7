// Agent events repeat the agent's whole Configuration (names, user name, routing profile with
// its queues, hierarchy groups) in CurrentAgentSnapshot and again in PreviousAgentSnapshot
// (agent event streams data model, AgentSnapshot and Configuration objects), the same text
// in every event of the agent until an admin changes its setup. configurationCache.ts parses
// each distinct text once and puts the one frozen value in every record that carries it; this
// module says which parts of a record's value are so shared, for the checks that skip them.
//
// A part is shared only when it is clean in its record: it passes the Configuration
// sub-schema, holds no masked value and no ARN arnFindings would report there. So a check
// may leave a shared part out (schema.ts validates the rest with a variant of the
// agent-event validator; arn.ts and the mask check look at the record's text without it),
// and a part with a finding of its own is never shared: its records take the full path.
import { isObject, type JsonObject } from './json';
import type { DumpRecord } from './types';

/** One distinct Configuration text and its parsed value (deep-frozen), shared by every record that carries it. */
export interface SharedPart {
  readonly text: string;
  readonly value: Readonly<JsonObject>;
}

/** Where a record's shared part sits in its text (offsets from the record's start). */
export interface PlacedPart {
  start: number;
  end: number;
  part: SharedPart;
}

/** The snapshots whose Configuration may be shared. */
export const SHARED_SNAPSHOTS = ['CurrentAgentSnapshot', 'PreviousAgentSnapshot'] as const;

/** The parts of each record value that are shared. */
const placedIn = new WeakMap<object, readonly PlacedPart[]>();

/** Notes that `value` (a record's value) holds these shared parts. */
export function placeSharedParts(value: object, placed: readonly PlacedPart[]): void {
  placedIn.set(value, placed);
}

/** The shared parts of a record's value, or undefined when it has none. */
export function sharedPartsOf(value: unknown): readonly PlacedPart[] | undefined {
  return typeof value === 'object' && value !== null ? placedIn.get(value) : undefined;
}

/** Whether every snapshot Configuration of the value is a shared part (then the shared-Configuration validator applies). */
export function sharesEverySnapshotConfiguration(value: unknown): boolean {
  const placed = sharedPartsOf(value);
  if (!placed || !isObject(value)) return false;
  return SHARED_SNAPSHOTS.every((k) => {
    const snapshot = value[k];
    return !isObject(snapshot) || snapshot.Configuration === undefined || placed.some((p) => p.part.value === snapshot.Configuration);
  });
}

/** The record's own text in pieces: its text without its shared parts (one piece when it has none). */
export function ownTextOf(text: string, record: DumpRecord): string[] {
  const placed = sharedPartsOf(record.value);
  if (!placed) return [text.slice(record.start, record.end)];
  const out: string[] = [];
  let from = record.start;
  for (const p of placed) {
    out.push(text.slice(from, record.start + p.start));
    from = record.start + p.end;
  }
  out.push(text.slice(from, record.end));
  return out;
}
