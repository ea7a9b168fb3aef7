// explain reads the workspace through the contact index: the standing copy of each
// contact record, the agent events that show a contact, and the links between contacts.
import { ContactIndex, snapshotContacts, SNAPSHOTS, valueAtPath } from './contactIndex';
import { isObject, str } from './records';
import { explainContact, type ExplainInput, type ExplainRecord, type ExplainResult } from './explain';
import type { Dump } from './types';

const LINK_FIELDS = new Set(['PreviousContactId', 'NextContactId', 'InitialContactId']);

export function explainInputOf(index: ContactIndex): ExplainInput {
  const record = (id: string): ExplainRecord | undefined => {
    const r = index.latestRecord(id);
    return r && { value: r.value, ref: { uri: r.mention.uri, start: r.mention.record.start, end: r.mention.record.end } };
  };
  const linked = (id: string): string[] => {
    const out = new Set<string>();
    const own = record(id)?.value;
    for (const f of LINK_FIELDS) {
      const other = str(own?.[f]);
      if (other && other !== id) out.add(other);
    }
    for (const m of index.mentions(id)) {
      if (m.kind === 'contactRecord' && LINK_FIELDS.has(m.field) && m.ownerId && m.ownerId !== id) out.add(m.ownerId);
      if (m.kind === 'agentEvent') {
        // A snapshot contact names its chain's first contact; and the first contact is named by the later legs.
        const contact = valueAtPath(m.record.value, m.path.slice(0, -1));
        const initial = isObject(contact) ? str(contact.InitialContactId) : undefined;
        if (m.field === 'ContactId' && initial && initial !== id) out.add(initial);
        if (m.field === 'InitialContactId' && m.ownerId && m.ownerId !== id) out.add(m.ownerId);
      }
    }
    return [...out];
  };
  return {
    mentioned: (id) => index.mentions(id).length > 0,
    record,
    agentEvents(id) {
      const seen = new Set<unknown>();
      const out: ExplainRecord[] = [];
      for (const m of index.mentions(id)) {
        if (m.kind !== 'agentEvent' || m.field !== 'ContactId' || seen.has(m.record) || !isObject(m.record.value)) continue;
        seen.add(m.record);
        out.push({ value: m.record.value, ref: { uri: m.uri, start: m.record.start, end: m.record.end } });
      }
      return out;
    },
    chain(start, max) {
      // Breadth first over the links, each contact once.
      const ids = [start];
      let truncated = false;
      for (let head = 0; head < ids.length && !truncated; head++) {
        for (const next of linked(ids[head])) {
          if (ids.includes(next)) continue;
          if (ids.length >= max) { truncated = true; break; }
          ids.push(next);
        }
      }
      return { ids, truncated };
    },
  };
}

/** Every contact ID the dumps define or show in a snapshot, for "did you mean". */
export function knownContactIds(dumps: readonly Dump[]): Set<string> {
  const ids = new Set<string>();
  for (const dump of dumps) {
    for (const r of dump.records) {
      if (!isObject(r.value)) continue;
      if (r.kind === 'contactRecord') {
        const id = str(r.value.ContactId);
        if (id) ids.add(id);
      } else if (r.kind === 'agentEvent') {
        for (const s of SNAPSHOTS) for (const c of snapshotContacts(r.value, s)) if (isObject(c) && str(c.ContactId)) ids.add(c.ContactId as string);
      }
    }
  }
  return ids;
}

/** explainContact over a set of dumps (the CLI, the server and the tests call this). */
export function explainInDumps(contactId: string, dumps: readonly Dump[], index = new ContactIndex(dumps)): ExplainResult | undefined {
  return explainContact(contactId, explainInputOf(index));
}
