// Where each contact ID is written (a contact record's own ContactId and link fields, the
// contacts inside agent snapshots, a contact event's detail, a flow log entry's ContactId,
// describe-contact's Contact), with a path to its value: what definition and
// references jump to. Per dump, built on first need and cached by Dump object, so an edit
// of one document rebuilds only that document's part.
import { at, idAt, isObject } from './json';
import { contactEventDetail, detailAt, otherKindContactId } from './recordKinds';
import { locate } from './positions';
import type { Dump, DumpRecord, JsonPath, Span } from './types';

/** Fields of a contact record that hold a contact ID (top level). */
export const CONTACT_RECORD_ID_FIELDS = ['ContactId', 'InitialContactId', 'PreviousContactId', 'NextContactId', 'RelatedContactId'] as const;
/** Fields of a contact inside an agent snapshot that hold a contact ID. */
export const SNAPSHOT_CONTACT_ID_FIELDS = ['ContactId', 'InitialContactId'] as const;
const SNAPSHOT_KEYS = ['CurrentAgentSnapshot', 'PreviousAgentSnapshot'] as const;
/** Fields of a contact event's detail that hold a contact ID (camelCase as sent; PascalCase doc samples read too). */
const CONTACT_EVENT_ID_FIELDS: readonly [string, ContactIdField][] = [
  ['contactId', 'ContactId'],
  ['initialContactId', 'InitialContactId'],
  ['previousContactId', 'PreviousContactId'],
  ['relatedContactId', 'RelatedContactId'],
];
/** Fields of describe-contact's `Contact` that hold a contact ID (`Id` is the ContactId). */
const API_CONTACT_ID_FIELDS: readonly [string, ContactIdField][] = [
  ['Id', 'ContactId'],
  ['InitialContactId', 'InitialContactId'],
  ['PreviousContactId', 'PreviousContactId'],
  ['RelatedContactId', 'RelatedContactId'],
];

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

  get kind(): DumpRecord['kind'] {
    return this.record.kind;
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

export interface DumpMentions {
  /** ContactId -> the ContactId mention of each contact record with that ID. */
  definitions: Map<string, Mention[]>;
  /** ContactId -> every mention, in record order. */
  mentions: Map<string, Mention[]>;
}

const perDump = new WeakMap<Dump, DumpMentions>();

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The mentions of one dump (cached). */
export function contactMentions(dump: Dump): DumpMentions {
  let part = perDump.get(dump);
  if (part) return part;
  part = { definitions: new Map(), mentions: new Map() };
  for (const record of dump.records) {
    const value = record.value;
    if (!isObject(value)) continue;
    if (record.kind === 'contactRecord') {
      const owner = idAt(value, ['ContactId']);
      for (const field of CONTACT_RECORD_ID_FIELDS) {
        const id = idAt(value, [field]);
        if (!id) continue;
        const m = new Mention(dump, record, id, field, [field], owner);
        push(part.mentions, id, m);
        if (field === 'ContactId') push(part.definitions, id, m);
      }
    } else if (record.kind === 'agentEvent') {
      for (const snapshot of SNAPSHOT_KEYS) {
        const contacts = at(value, [snapshot, 'Contacts']);
        if (!Array.isArray(contacts)) continue;
        contacts.forEach((contact, i) => {
          if (!isObject(contact)) return;
          const owner = idAt(contact, ['ContactId']);
          for (const field of SNAPSHOT_CONTACT_ID_FIELDS) {
            const id = idAt(contact, [field]);
            if (id) push(part.mentions, id, new Mention(dump, record, id, field, [snapshot, 'Contacts', i, field], owner));
          }
        });
      }
    } else if (record.kind === 'contactEvent') {
      const found = contactEventDetail(value);
      if (!found) continue;
      const owner = otherKindContactId(record.kind, value);
      for (const [key, field] of CONTACT_EVENT_ID_FIELDS) {
        const hit = detailAt(found.detail, [key]);
        const id = idAt(hit?.value, []);
        if (id) push(part.mentions, id, new Mention(dump, record, id, field, [...found.path, ...hit!.path], owner));
      }
    } else if (record.kind === 'flowLog') {
      const id = idAt(value, ['ContactId']);
      if (id) push(part.mentions, id, new Mention(dump, record, id, 'ContactId', ['ContactId'], id));
    } else if (record.kind === 'apiContact') {
      const owner = idAt(value, ['Contact', 'Id']);
      for (const [key, field] of API_CONTACT_ID_FIELDS) {
        const id = idAt(value, ['Contact', key]);
        if (id) push(part.mentions, id, new Mention(dump, record, id, field, ['Contact', key], owner));
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
  if (
    kind === 'agentEvent' &&
    path.length === 4 &&
    (SNAPSHOT_KEYS as readonly unknown[]).includes(path[0]) &&
    path[1] === 'Contacts' &&
    typeof path[2] === 'number' &&
    (SNAPSHOT_CONTACT_ID_FIELDS as readonly unknown[]).includes(path[3])
  ) {
    return path[3] as ContactIdField;
  }
  if (kind === 'flowLog' && path.length === 1 && path[0] === 'ContactId') return 'ContactId';
  if (kind === 'apiContact' && path.length === 2 && path[0] === 'Contact') return API_CONTACT_ID_FIELDS.find(([k]) => k === path[1])?.[1];
  if (kind === 'contactEvent' && (path.length === 1 || (path.length === 2 && path[0] === 'detail'))) {
    const key = String(path[path.length - 1]);
    const camel = key.charAt(0).toLowerCase() + key.slice(1);
    return CONTACT_EVENT_ID_FIELDS.find(([k]) => k === camel)?.[1];
  }
  return undefined;
}
