// Where each contact ID is defined (its contact record) and mentioned (links between
// contact records, contacts inside agent snapshots), across any set of dumps. Pure: no
// vscode / LSP imports. Each dump's part is built on first need and cached by Dump
// object, so an edit of one document rebuilds only that document's part.
import { parseTimestamp } from './time';
import { locate } from './positions';
import { isObject, JsonObject, str } from './records';
import type { Dump, DumpRecord, JsonPath, Span } from './types';

/** Fields of a contact record that hold a contact ID (top level). */
export const CONTACT_RECORD_ID_FIELDS = ['ContactId', 'InitialContactId', 'PreviousContactId', 'NextContactId', 'RelatedContactId'] as const;
/** Fields of a contact inside an agent snapshot that hold a contact ID. */
export const SNAPSHOT_CONTACT_ID_FIELDS = ['ContactId', 'InitialContactId'] as const;
export const SNAPSHOTS = ['CurrentAgentSnapshot', 'PreviousAgentSnapshot'] as const;

export type ContactIdField = (typeof CONTACT_RECORD_ID_FIELDS)[number];

/** One place where a contact ID value is written. */
export class Mention {
  private cachedSpan: Span | undefined;

  constructor(
    readonly dump: Dump,
    readonly record: DumpRecord,
    /** The contact ID written there. */
    readonly contactId: string,
    readonly field: ContactIdField,
    /** JSON path of the value inside its record. */
    readonly path: JsonPath,
    /** The contact the surrounding object describes: the record's ContactId, or the snapshot contact's. */
    readonly ownerId: string | undefined,
  ) {}

  get uri(): string {
    return this.dump.uri;
  }

  get kind(): 'contactRecord' | 'agentEvent' {
    return this.record.kind === 'contactRecord' ? 'contactRecord' : 'agentEvent';
  }

  /** True for the `ContactId` of a contact record: the contact's definition. */
  get isDefinition(): boolean {
    return this.kind === 'contactRecord' && this.field === 'ContactId' && this.path.length === 1;
  }

  /** The span of the ID value. Computed on first need: it parses the record's own text. */
  get span(): Span {
    this.cachedSpan ??= locate(this.dump, this.record, this.path);
    return this.cachedSpan;
  }
}

interface DumpContacts {
  /** ContactId -> the ContactId mention of each contact record with that ID. */
  definitions: Map<string, Mention[]>;
  /** ContactId -> every mention, in record order. */
  mentions: Map<string, Mention[]>;
}

const perDump = new WeakMap<Dump, DumpContacts>();

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Contacts listed in an agent event's snapshot (an empty list when absent or malformed). */
export function snapshotContacts(event: JsonObject, snapshot: (typeof SNAPSHOTS)[number]): unknown[] {
  const snap = event[snapshot];
  if (!isObject(snap)) return [];
  const contacts = snap.Contacts;
  return Array.isArray(contacts) ? contacts : [];
}

function contactsOfDump(dump: Dump): DumpContacts {
  let part = perDump.get(dump);
  if (part) return part;
  part = { definitions: new Map(), mentions: new Map() };
  for (const record of dump.records) {
    const value = record.value;
    if (!isObject(value)) continue;
    if (record.kind === 'contactRecord') {
      const owner = str(value.ContactId) || undefined;
      for (const field of CONTACT_RECORD_ID_FIELDS) {
        const id = str(value[field]);
        if (!id) continue;
        const m = new Mention(dump, record, id, field, [field], owner);
        push(part.mentions, id, m);
        if (field === 'ContactId') push(part.definitions, id, m);
      }
    } else if (record.kind === 'agentEvent') {
      for (const snapshot of SNAPSHOTS) {
        snapshotContacts(value, snapshot).forEach((contact, i) => {
          if (!isObject(contact)) return;
          const owner = str(contact.ContactId) || undefined;
          for (const field of SNAPSHOT_CONTACT_ID_FIELDS) {
            const id = str(contact[field]);
            if (id) push(part!.mentions, id, new Mention(dump, record, id, field, [snapshot, 'Contacts', i, field], owner));
          }
        });
      }
    }
  }
  perDump.set(dump, part);
  return part;
}

/**
 * Which contact ID field a JSON path inside a record of `kind` is, if any: a top-level
 * ID field of a contact record, or `ContactId` / `InitialContactId` of a snapshot contact.
 */
export function contactIdFieldAt(kind: DumpRecord['kind'], path: JsonPath): ContactIdField | undefined {
  if (kind === 'contactRecord' && path.length === 1) {
    return (CONTACT_RECORD_ID_FIELDS as readonly unknown[]).includes(path[0]) ? (path[0] as ContactIdField) : undefined;
  }
  if (kind === 'agentEvent' && path.length === 4 && (SNAPSHOTS as readonly unknown[]).includes(path[0])
    && path[1] === 'Contacts' && typeof path[2] === 'number'
    && (SNAPSHOT_CONTACT_ID_FIELDS as readonly unknown[]).includes(path[3])) {
    return path[3] as ContactIdField;
  }
  return undefined;
}

/** The value at `path` inside a parsed record. */
export function valueAtPath(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(v) : !isObject(v)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export interface ChainPlace {
  /** The contact IDs of the chain, first leg first, as far as the dumps tell. */
  legs: string[];
  /** 1-based position of the contact in `legs`. */
  leg: number;
  previous?: string;
  next?: string;
  /** The InitialContactId the contact's own data gives, if any. */
  initial?: string;
  /** Some leg has no contact record here, or the chain starts before the known legs. */
  partial: boolean;
  /** The links loop back (link-cycle); the walk stopped at the repeat. */
  cycle: boolean;
}

export interface ContactSummary {
  contactId: string;
  /** Where the fields below come from: the contact record (newest copy), else an agent snapshot. */
  source: 'contactRecord' | 'agentEvent' | 'mentionOnly';
  /** Copies of the contact record across the dumps. */
  recordCount: number;
  /** Agent events that mention the contact. */
  eventCount: number;
  channel?: string;
  initiationMethod?: string;
  initiationTimestamp?: string;
  disconnectTimestamp?: string;
  /** Agent user name, or the agent ARN when no user name is given. */
  agent?: string;
  queue?: string;
  disconnectReason?: string;
  relatedContactId?: string;
  /** The last state an agent event shows for the contact, with that event's time. */
  lastState?: { state: string; at?: string };
  chain: ChainPlace;
}

function time(value: unknown): number {
  return parseTimestamp(value) ?? -Infinity;
}

/** The contact index over a set of dumps. Cheap to construct: per-dump parts are cached. */
export class ContactIndex {
  private readonly parts: DumpContacts[];

  constructor(dumps: readonly Dump[]) {
    this.parts = dumps.map(contactsOfDump);
  }

  /** The ContactId values of the contact's records (several when a record was delivered again or sits in several files). */
  definitions(id: string): Mention[] {
    return this.parts.flatMap((p) => p.definitions.get(id) ?? []);
  }

  /** Every place the ID is written, definitions included. */
  mentions(id: string): Mention[] {
    return this.parts.flatMap((p) => p.mentions.get(id) ?? []);
  }

  /** The copy of the contact record that stands for the contact: the newest LastUpdateTimestamp, later copies winning ties. */
  latestRecord(id: string): { mention: Mention; value: JsonObject } | undefined {
    let best: { mention: Mention; value: JsonObject } | undefined;
    let bestTime = -Infinity;
    for (const mention of this.definitions(id)) {
      const value = mention.record.value as JsonObject;
      const t = time(value.LastUpdateTimestamp);
      if (!best || t >= bestTime) {
        best = { mention, value };
        bestTime = t;
      }
    }
    return best;
  }

  private linkOf(id: string, own: 'PreviousContactId' | 'NextContactId'): string | undefined {
    const record = this.latestRecord(id);
    const direct = record && str(record.value[own]);
    if (direct) return direct;
    // The other side of the link: a contact record whose opposite field names this contact.
    const opposite = own === 'PreviousContactId' ? 'NextContactId' : 'PreviousContactId';
    for (const m of this.mentions(id)) {
      if (m.kind === 'contactRecord' && m.field === opposite && m.ownerId && m.ownerId !== id) return m.ownerId;
    }
    return undefined;
  }

  /** The contact's place in its transfer chain, following Previous/Next links both ways. */
  chain(id: string, maxLegs = 100): ChainPlace {
    const seen = new Set([id]);
    let cycle = false;
    const before: string[] = [];
    for (let cur = this.linkOf(id, 'PreviousContactId'); cur && before.length < maxLegs; cur = this.linkOf(cur, 'PreviousContactId')) {
      if (seen.has(cur)) { cycle = true; break; }
      seen.add(cur);
      before.unshift(cur);
    }
    const after: string[] = [];
    for (let cur = this.linkOf(id, 'NextContactId'); cur && after.length < maxLegs; cur = this.linkOf(cur, 'NextContactId')) {
      if (seen.has(cur)) { cycle = true; break; }
      seen.add(cur);
      after.push(cur);
    }
    const legs = [...before, id, ...after];
    const initial = this.initialOf(id);
    const partial = legs.some((leg) => this.definitions(leg).length === 0) || (initial !== undefined && !legs.includes(initial));
    return {
      legs, leg: before.length + 1, previous: before[before.length - 1], next: after[0],
      initial, partial, cycle,
    };
  }

  private initialOf(id: string): string | undefined {
    const record = this.latestRecord(id);
    if (record) return str(record.value.InitialContactId) || undefined;
    for (const m of this.mentions(id)) {
      if (m.kind === 'agentEvent' && m.field === 'ContactId') {
        const contact = valueAtPath(m.record.value, m.path.slice(0, -1));
        const initial = isObject(contact) ? str(contact.InitialContactId) : undefined;
        if (initial) return initial;
      }
    }
    return undefined;
  }

  /** What the dumps say about a contact, for a hover; undefined when the ID is nowhere. */
  summary(id: string): ContactSummary | undefined {
    const mentions = this.mentions(id);
    if (mentions.length === 0) return undefined;
    const events = new Set<DumpRecord>();
    let latestEvent: { event: JsonObject; contact: JsonObject; t: number } | undefined;
    for (const m of mentions) {
      if (m.kind !== 'agentEvent' || m.field !== 'ContactId') continue;
      events.add(m.record);
      const event = m.record.value as JsonObject;
      const contact = valueAtPath(event, m.path.slice(0, -1));
      if (!isObject(contact)) continue;
      // Current snapshots describe the state after the event; prefer them over previous ones at the same time.
      const t = time(event.EventTimestamp) + (m.path[0] === 'CurrentAgentSnapshot' ? 0.5 : 0);
      if (!latestEvent || t >= latestEvent.t) latestEvent = { event, contact, t };
    }
    const record = this.latestRecord(id);
    const summary: ContactSummary = {
      contactId: id,
      source: record ? 'contactRecord' : latestEvent ? 'agentEvent' : 'mentionOnly',
      recordCount: this.definitions(id).length,
      eventCount: events.size,
      chain: this.chain(id),
    };
    if (record) {
      const v = record.value;
      const agent = isObject(v.Agent) ? v.Agent : undefined;
      const queue = isObject(v.Queue) ? v.Queue : undefined;
      summary.channel = str(v.Channel);
      summary.initiationMethod = str(v.InitiationMethod);
      summary.initiationTimestamp = str(v.InitiationTimestamp);
      summary.disconnectTimestamp = str(v.DisconnectTimestamp);
      summary.agent = (agent && (str(agent.Username) || str(agent.ARN))) || undefined;
      summary.queue = (queue && (str(queue.Name) || str(queue.ARN))) || undefined;
      summary.disconnectReason = str(v.DisconnectReason);
      summary.relatedContactId = str(v.RelatedContactId) || undefined;
    }
    if (latestEvent) {
      const { event, contact } = latestEvent;
      const queue = isObject(contact.Queue) ? contact.Queue : undefined;
      summary.channel ??= str(contact.Channel);
      summary.initiationMethod ??= str(contact.InitiationMethod);
      summary.initiationTimestamp ??= str(contact.InitiationTimestamp);
      summary.queue ??= (queue && (str(queue.Name) || str(queue.ARN))) || undefined;
      if (!summary.agent) {
        const snapshot = isObject(event.CurrentAgentSnapshot) ? event.CurrentAgentSnapshot : undefined;
        const config = snapshot && isObject(snapshot.Configuration) ? snapshot.Configuration : undefined;
        summary.agent = (config && str(config.Username)) || str(event.AgentARN) || undefined;
      }
      const state = str(contact.State);
      if (state) summary.lastState = { state, at: str(event.EventTimestamp) };
    }
    return summary;
  }
}
