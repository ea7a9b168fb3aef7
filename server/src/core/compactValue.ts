// Compact values for records the workspace index holds (files that are not open): a record
// keeps only the fields the workspace model and its cross-record rules read (INDEX_FACTS),
// and reads anything else from its full value, parsed again from its own text on demand.
// So a rule, a hover or the timeline sees the same value either way; only the memory and
// the cost of reading a field that is not a fact differ.
import type { JsonPath, RecordKind } from './types';

/** `true`: the whole value; an object: only these keys (each with its own spec). Arrays: the spec applies to each element. */
export type FactSpec = true | { readonly [key: string]: FactSpec };

const SNAPSHOT: FactSpec = {
  AgentStatus: { Name: true, Type: true },
  NextAgentStatus: true,
  Configuration: { Username: true },
  Contacts: { ContactId: true, InitialContactId: true, State: true, StateStartTimestamp: true, Channel: true, InitiationMethod: true },
};

/**
 * The fields of each record kind that the workspace model (model.ts), the mentions
 * (mentions.ts) and the cross-record rules (transitions, links, timestamps, eventRules,
 * flowRules) read: measured by running those rules over samples/, test/fixtures/rules,
 * test/fixtures/aws and a generated dump with faults, with every field read recorded.
 * A field missing here is still read correctly, from the record's text (slower).
 * Contact events, flow log entries and describe-contact output are small: kept whole.
 */
export const INDEX_FACTS: Readonly<Record<RecordKind, FactSpec>> = {
  agentEvent: {
    AgentARN: true,
    EventId: true,
    EventTimestamp: true,
    EventType: true,
    CurrentAgentSnapshot: SNAPSHOT,
    PreviousAgentSnapshot: SNAPSHOT,
  },
  contactRecord: {
    ContactId: true,
    InitialContactId: true,
    PreviousContactId: true,
    NextContactId: true,
    RelatedContactId: true,
    Channel: true,
    InitiationMethod: true,
    InitiationTimestamp: true,
    DisconnectTimestamp: true,
    LastUpdateTimestamp: true,
    Agent: { ARN: true, ConnectedToAgentTimestamp: true, AfterContactWorkStartTimestamp: true, AfterContactWorkEndTimestamp: true },
    Queue: true,
  },
  contactEvent: true,
  flowLog: true,
  apiContact: true,
  unknown: {},
};

/** Marks an object that lost keys: the id of the list of all its keys, in order. A key no AWS record has. */
const ALL_KEYS = '\u0000keys';

/**
 * The key lists of objects that lost keys, by id (most records of a kind have the same keys,
 * so a list is sent once and shared). The worker makes them; the main thread learns them
 * from `newKeyLists` before the values that use them.
 */
export class KeyLists {
  private readonly ids = new Map<string, number>();
  private readonly lists: (readonly string[])[] = [];
  private unsent: [number, string[]][] = [];

  idOf(keys: string[]): number {
    const joined = keys.join('\u0000');
    let id = this.ids.get(joined);
    if (id === undefined) {
      this.ids.set(joined, (id = this.lists.length));
      this.lists.push(keys);
      this.unsent.push([id, keys]);
    }
    return id;
  }

  /** Lists made since the last call (worker side). */
  takeNew(): [number, string[]][] {
    const out = this.unsent;
    this.unsent = [];
    return out;
  }

  /** Learns lists made by the other side (main side). */
  learn(lists: readonly [number, string[]][]): void {
    for (const [id, keys] of lists) this.lists[id] = Object.freeze(keys);
  }

  get(id: number): readonly string[] {
    return this.lists[id] ?? [];
  }
}

/** The facts of a value (worker side): plain JSON data, cheap to post to another thread. */
export function compactValue(value: unknown, spec: FactSpec, lists: KeyLists): unknown {
  if (spec === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => compactValue(v, spec, lists));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: Record<string, unknown> = {};
  let dropped = false;
  for (const k of keys) {
    if (Object.hasOwn(spec, k)) out[k] = compactValue(obj[k], spec[k], lists);
    else dropped = true;
  }
  if (dropped) out[ALL_KEYS] = lists.idOf(keys);
  return out;
}

/**
 * Turns a compact value back into one that reads like the full value (main side): objects
 * that lost keys become proxies that read those keys from `full()` (the record parsed again;
 * undefined when that fails). Only where the spec dropped keys is visited.
 */
export function expandCompact(compact: unknown, spec: FactSpec, lists: KeyLists, full: () => unknown, path: JsonPath = []): unknown {
  if (spec === true || compact === null || typeof compact !== 'object') return compact;
  if (Array.isArray(compact)) {
    for (let i = 0; i < compact.length; i++) compact[i] = expandCompact(compact[i], spec, lists, full, [...path, i]);
    return compact;
  }
  const obj = compact as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const child = obj[k];
    if (child !== null && typeof child === 'object' && Object.hasOwn(spec, k) && spec[k] !== true)
      obj[k] = expandCompact(child, spec[k], lists, full, [...path, k]);
  }
  const id = obj[ALL_KEYS];
  if (typeof id !== 'number') return obj;
  // The marker stays on the target (deleting it would slow the object down) and is hidden by the proxy.
  return new Proxy(obj, new ReadThrough(lists.get(id), full, sharedPath(path)));
}

/** Paths shared between records (every agent event's `CurrentAgentSnapshot.Configuration`). */
const paths = new Map<string, JsonPath>();
function sharedPath(path: JsonPath): JsonPath {
  const id = path.join('\u0000');
  let shared = paths.get(id);
  if (!shared) paths.set(id, (shared = Object.freeze(path) as JsonPath));
  return shared;
}

/** The handler of one proxy: all the keys, the full record, and where this object sits in it. */
class ReadThrough implements ProxyHandler<Record<string, unknown>> {
  constructor(
    private readonly keys: readonly string[],
    private readonly full: () => unknown,
    private readonly path: JsonPath,
  ) {}

  private dropped(target: Record<string, unknown>, key: string | symbol): key is string {
    return typeof key === 'string' && !Object.hasOwn(target, key) && this.keys.includes(key);
  }

  private fullAt(key: string): unknown {
    let v = this.full();
    for (const p of this.path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }

  get(target: Record<string, unknown>, key: string | symbol, receiver: unknown): unknown {
    if (key === ALL_KEYS) return undefined;
    return this.dropped(target, key) ? this.fullAt(key) : Reflect.get(target, key, receiver);
  }

  has(target: Record<string, unknown>, key: string | symbol): boolean {
    return key !== ALL_KEYS && (this.dropped(target, key) || Reflect.has(target, key));
  }

  ownKeys(): string[] {
    return [...this.keys];
  }

  getOwnPropertyDescriptor(target: Record<string, unknown>, key: string | symbol): PropertyDescriptor | undefined {
    if (key === ALL_KEYS) return undefined;
    if (!this.dropped(target, key)) return Reflect.getOwnPropertyDescriptor(target, key);
    return { value: this.fullAt(key), writable: true, enumerable: true, configurable: true };
  }
}
