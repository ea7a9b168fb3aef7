// The one workspace contact model: every record of every dump the caller knows, read once
// and indexed by contact, by agent and by contact ID. Rules, hover, definition, references,
// the timeline and the CLI all read this model; none keeps its own index. A new record kind
// adds a reader below (its ref type, its list, its per-contact index) and nothing else.
//
// Built per set of dumps (cached by the array: the LSP store hands out one array per
// generation, so the rules, a hover and the timeline of one generation share one model).
// Building is one pass over the records; the per-contact and per-agent indexes are built
// on first use. Refs point at the parsed values: nothing is copied.
import { idAt, idIn, isObject, JsonObject, str } from './json';
import { contactMentions, Mention } from './mentions';
import { readContactEvent, readFlowLog } from './recordKinds';
import { parseTimestamp } from './time';
import type { Dump, DumpRecord, JsonPath } from './types';

/** A parsed record and where it sits: the source position behind every fact of the model. */
export interface RecordRef {
  dump: Dump;
  record: DumpRecord;
  value: JsonObject;
  /** Position over all dumps in the order given (dump, then record): the tie-breaker everywhere. */
  order: number;
}

export interface ContactRecordRef extends RecordRef {
  id: string;
  /** Parsed LastUpdateTimestamp (ms), when present and valid. */
  lastUpdate: number | undefined;
}

export type SnapshotKey = 'PreviousAgentSnapshot' | 'CurrentAgentSnapshot';
/** The snapshots of an agent event, the one describing the state after the event first. */
export const SNAPSHOTS = ['CurrentAgentSnapshot', 'PreviousAgentSnapshot'] as const;

export interface AgentEventRef extends RecordRef {
  agent: string | undefined;
  /** Parsed EventTimestamp (ms), when present and valid. */
  time: number | undefined;
  eventId: string | undefined;
  eventType: string | undefined;
  /** The contacts of the PreviousAgentSnapshot, the first one per ContactId. */
  previous: readonly Sighting[];
  /** The contacts of the CurrentAgentSnapshot, the first one per ContactId. */
  current: readonly Sighting[];
}

/** An EventBridge contact event (envelope or bare detail). */
export interface ContactEventRef extends RecordRef {
  detail: JsonObject;
  /** Path of `detail` in the record: ['detail'] in an envelope, [] for a bare detail. */
  detailPath: JsonPath;
  contactId: string;
  /** The EventBridge envelope `id` (absent for a bare detail). */
  eventId: string | undefined;
  eventType: string | undefined;
  /** The moment the event reports (recordKinds.ts `EVENT_OWN_TIME`), in ms. */
  time: number | undefined;
  /** Path of that time in the record. */
  timePath: JsonPath | undefined;
}

/** One contact flow log entry: one block run by one contact. */
export interface FlowLogRef extends RecordRef {
  contactId: string;
  /** Parsed Timestamp (ms). */
  time: number | undefined;
  /** Why the block failed (a `flow-error`), when it did. */
  failure: string | undefined;
}

/** `describe-contact` output: the contact the API describes. */
export interface ApiContactRef extends RecordRef {
  contactId: string;
}

/** Contact events and flow log entries by the time they report, those without one last, ties in model order. */
function byReportedTime(a: { time: number | undefined; order: number }, b: { time: number | undefined; order: number }): number {
  const ta = a.time ?? Infinity;
  const tb = b.time ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.order - b.order;
}

/** One sighting of a contact in one snapshot of one agent event. */
export interface Sighting {
  event: AgentEventRef;
  snapshot: SnapshotKey;
  /** Index in the snapshot's Contacts array. */
  index: number;
  contact: JsonObject;
  contactId: string;
  /** The State value as written (may be outside the documented set). */
  state: string | undefined;
}

/**
 * Which copy of a contact record stands for the contact. Contact records are delivered at
 * least once and an update re-delivers the whole record (contact records data model,
 * LastUpdateTimestamp), so: the newest LastUpdateTimestamp wins; a copy without one loses
 * to any copy with one; on a tie the later copy in order (dump order, then document order)
 * wins. `candidate` comes later in order than `standing`.
 */
export function supersedes(candidate: ContactRecordRef, standing: ContactRecordRef): boolean {
  if (candidate.lastUpdate === undefined) return standing.lastUpdate === undefined;
  if (standing.lastUpdate === undefined) return true;
  return candidate.lastUpdate >= standing.lastUpdate;
}

/** Agent events by EventTimestamp, equal times (and events without one, last) in model order. */
export function byEventTime(a: AgentEventRef, b: AgentEventRef): number {
  const ta = a.time ?? Infinity;
  const tb = b.time ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.order - b.order;
}

/** Shared by every snapshot without contacts (most events) and every repeated event. */
const NO_SIGHTINGS: readonly Sighting[] = Object.freeze([]);

function snapshotSightings(event: AgentEventRef, snapshot: SnapshotKey): readonly Sighting[] {
  const contacts = event.value[snapshot];
  const list: unknown = isObject(contacts) ? contacts.Contacts : undefined;
  if (!Array.isArray(list) || list.length === 0) return NO_SIGHTINGS;
  const out: Sighting[] = [];
  for (let index = 0; index < list.length; index++) {
    const contact: unknown = list[index];
    if (!isObject(contact)) continue;
    const contactId = idIn(contact, 'ContactId');
    // A snapshot holds a handful of contacts: a linear check beats a Set here.
    if (contactId === undefined || out.some((s) => s.contactId === contactId)) continue;
    out.push({ event, snapshot, index, contact, contactId, state: str(contact.State) });
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * What makes two flow log entries the same entry exported twice: contact, time, flow, block
 * and block type. A field holding an object or an array (a broken entry, with its schema
 * finding) keys by the entry's whole text instead: String() of an array nested 70,000 deep
 * overflows the stack (found by fuzzing), and of any object is "[object Object]".
 */
function flowLogKey(contactId: string, value: JsonObject, text: string): string {
  const fields = [value.Timestamp, value.ContactFlowId, value.Identifier, value.ContactFlowModuleType];
  if (fields.some((f) => f !== null && typeof f === 'object')) return `\u0001${text}`;
  return [contactId, ...fields.map(String)].join('\u0000');
}

export class ContactModel {
  /** Every contact record with a ContactId, in order. */
  readonly contactRecords: ContactRecordRef[] = [];
  /** Copies per ContactId, in order. */
  readonly copies = new Map<string, ContactRecordRef[]>();
  /** The copy that stands for each ContactId (see `supersedes`). */
  readonly contacts = new Map<string, ContactRecordRef>();
  /** Every agent event, in order. */
  readonly allEvents: AgentEventRef[] = [];
  /** Agent events with a repeated EventId dropped: the first copy stands (an EventId names one event). */
  readonly events: AgentEventRef[] = [];

  /** Every EventBridge contact event, in order, re-deliveries included. */
  readonly allContactEvents: ContactEventRef[] = [];
  /** Contact events with a repeated EventBridge `id` dropped: the first copy stands (EventBridge re-delivers the same event). */
  readonly contactEvents: ContactEventRef[] = [];
  /**
   * Flow log entries, one per block run: CloudWatch delivers at least once and exports
   * overlap, so a second entry of the same contact, flow, block, type and Timestamp is a copy
   * of the first, which stands.
   */
  readonly flowLogs: FlowLogRef[] = [];
  /** Every `describe-contact` output. */
  readonly apiContacts: ApiContactRef[] = [];

  private contactEventIndex: Map<string, ContactEventRef[]> | undefined;
  private flowLogIndex: Map<string, FlowLogRef[]> | undefined;
  private sightingIndex: Map<string, Sighting[]> | undefined;
  private agentIndex: Map<string, AgentEventRef[]> | undefined;
  private referrerIndex: Map<string, ContactRecordRef[]> | undefined;

  constructor(readonly dumps: readonly Dump[]) {
    const seenEventIds = new Set<string>();
    const seenContactEventIds = new Set<string>();
    const seenFlowLogs = new Set<string>();
    let order = 0;
    for (const dump of dumps) {
      for (const record of dump.records) {
        const value = record.value;
        if (!isObject(value)) continue;
        if (record.kind === 'contactRecord') {
          const id = idIn(value, 'ContactId');
          if (!id) continue;
          const ref: ContactRecordRef = { dump, record, value, order: order++, id, lastUpdate: parseTimestamp(value.LastUpdateTimestamp) };
          this.contactRecords.push(ref);
          push(this.copies, id, ref);
          const standing = this.contacts.get(id);
          if (!standing || supersedes(ref, standing)) this.contacts.set(id, ref);
        } else if (record.kind === 'agentEvent') {
          const eventId = idIn(value, 'EventId');
          const ref: AgentEventRef = {
            dump,
            record,
            value,
            order: order++,
            agent: idIn(value, 'AgentARN'),
            time: parseTimestamp(value.EventTimestamp),
            eventId,
            eventType: str(value.EventType),
            previous: NO_SIGHTINGS,
            current: NO_SIGHTINGS,
          };
          this.allEvents.push(ref);
          if (eventId !== undefined) {
            if (seenEventIds.has(eventId)) continue;
            seenEventIds.add(eventId);
          }
          ref.previous = snapshotSightings(ref, 'PreviousAgentSnapshot');
          ref.current = snapshotSightings(ref, 'CurrentAgentSnapshot');
          this.events.push(ref);
        } else if (record.kind === 'contactEvent') {
          const ref = readContactEvent({ dump, record, value, order: order++ });
          if (!ref) continue;
          this.allContactEvents.push(ref);
          if (ref.eventId !== undefined) {
            if (seenContactEventIds.has(ref.eventId)) continue;
            seenContactEventIds.add(ref.eventId);
          }
          this.contactEvents.push(ref);
        } else if (record.kind === 'flowLog') {
          const ref = readFlowLog({ dump, record, value, order: order++ });
          if (!ref) continue;
          const key = flowLogKey(ref.contactId, value, dump.text.slice(record.start, record.end));
          if (seenFlowLogs.has(key)) continue;
          seenFlowLogs.add(key);
          this.flowLogs.push(ref);
        } else if (record.kind === 'apiContact') {
          const contactId = idAt(value, ['Contact', 'Id']);
          if (contactId) this.apiContacts.push({ dump, record, value, order: order++, contactId });
        }
      }
    }
  }

  /** The copy of the contact record that stands for the contact. */
  record(id: string): ContactRecordRef | undefined {
    return this.contacts.get(id);
  }

  /** The contact's standing EventBridge contact events, by the time each reports. */
  contactEventsOf(id: string): readonly ContactEventRef[] {
    return (this.contactEventIndex ??= indexByContact(this.contactEvents)).get(id) ?? [];
  }

  /** Contacts with contact events, and their events by the time each reports. */
  contactEventsByContact(): ReadonlyMap<string, readonly ContactEventRef[]> {
    return (this.contactEventIndex ??= indexByContact(this.contactEvents));
  }

  /** The contact's flow log entries, by time. */
  flowLogsOf(id: string): readonly FlowLogRef[] {
    return (this.flowLogIndex ??= indexByContact(this.flowLogs)).get(id) ?? [];
  }

  /** Contacts with flow log entries, and their entries by time. */
  flowLogsByContact(): ReadonlyMap<string, readonly FlowLogRef[]> {
    return (this.flowLogIndex ??= indexByContact(this.flowLogs));
  }

  /** Sightings of the contact in the standing agent events, in order (current snapshot before previous within an event). */
  sightings(id: string): readonly Sighting[] {
    if (!this.sightingIndex) {
      this.sightingIndex = new Map();
      for (const ev of this.events) {
        for (const s of ev.current) push(this.sightingIndex, s.contactId, s);
        for (const s of ev.previous) push(this.sightingIndex, s.contactId, s);
      }
    }
    return this.sightingIndex.get(id) ?? [];
  }

  /** The standing agent events that show the contact in either snapshot, each once, in order. */
  eventsOfContact(id: string): AgentEventRef[] {
    const out: AgentEventRef[] = [];
    for (const s of this.sightings(id)) if (out[out.length - 1] !== s.event) out.push(s.event);
    return out;
  }

  /** The standing agent events of one agent (by AgentARN), in order. */
  eventsOfAgent(agent: string): readonly AgentEventRef[] {
    if (!this.agentIndex) {
      this.agentIndex = new Map();
      for (const ev of this.events) if (ev.agent !== undefined) push(this.agentIndex, ev.agent, ev);
    }
    return this.agentIndex.get(agent) ?? [];
  }

  /** The contact as an agent snapshot describes it (its first sighting), for a contact with no contact record. */
  snapshotContact(id: string): JsonObject | undefined {
    return this.sightings(id)[0]?.contact;
  }

  /** Standing contact records (other than the contact's own) that name the contact in a link field. */
  referrers(id: string): readonly ContactRecordRef[] {
    if (!this.referrerIndex) {
      this.referrerIndex = new Map();
      for (const ref of this.contacts.values()) {
        const named = new Set<string>();
        for (const field of LINK_FIELDS) {
          const other = idAt(ref.value, [field]);
          if (other && other !== ref.id && !named.has(other)) {
            named.add(other);
            push(this.referrerIndex, other, ref);
          }
        }
      }
    }
    return this.referrerIndex.get(id) ?? [];
  }

  /** Every place a contact ID is written (links, snapshot contacts, the records themselves), all copies. */
  mentions(id: string): Mention[] {
    return this.dumps.flatMap((d) => contactMentions(d).mentions.get(id) ?? []);
  }

  /** The ContactId of every copy of the contact's record. */
  definitions(id: string): Mention[] {
    return this.dumps.flatMap((d) => contactMentions(d).definitions.get(id) ?? []);
  }
}

function indexByContact<T extends { contactId: string; time: number | undefined; order: number }>(refs: readonly T[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const ref of refs) push(index, ref.contactId, ref);
  for (const list of index.values()) list.sort(byReportedTime);
  return index;
}

/** Fields of a contact record that name another contact. */
export const LINK_FIELDS = ['PreviousContactId', 'NextContactId', 'RelatedContactId', 'InitialContactId'] as const;
export type LinkField = (typeof LINK_FIELDS)[number];

/** The contact a standing record names in a link field, or undefined. */
export function linkOf(ref: RecordRef, field: LinkField): string | undefined {
  return idAt(ref.value, [field]);
}

const models = new WeakMap<readonly Dump[], ContactModel>();

/** The model of a set of dumps; the same array, holding the same dumps, gives the same model. */
export function contactModel(dumps: readonly Dump[]): ContactModel {
  let model = models.get(dumps);
  // A caller may reuse an array for another set of dumps: check the members (a handful to thousands of pointers).
  if (!model || model.dumps.length !== dumps.length || model.dumps.some((d, i) => d !== dumps[i])) {
    models.set(dumps, (model = new ContactModel([...dumps])));
  }
  return model;
}
