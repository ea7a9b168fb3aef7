// explain reads the workspace through the contact model (model.ts): the standing copy of
// each contact record, the agent events that show a contact (one per EventId), its flow log
// entries (one per block run), and the contact's chain from the one chain walker (chain.ts).
import { walkChain } from './chain';
import { explainContact, type ExplainAgentEvent, type ExplainInput, type ExplainRecord, type ExplainResult } from './explain';
import { contactModel, type AgentEventRef, type ContactModel, type RecordRef } from './model';
import type { Dump } from './types';

function explainRecord(r: RecordRef): ExplainRecord {
  return { value: r.value, ref: { uri: r.dump.uri, start: r.record.start, end: r.record.end } };
}

/** An agent event and the contact as each of its snapshots shows it: the model's sightings, not a second reading. */
function explainAgentEvent(ev: AgentEventRef, id: string): ExplainAgentEvent {
  const current = ev.current.find((s) => s.contactId === id)?.contact;
  const previous = ev.previous.find((s) => s.contactId === id)?.contact;
  return { ...explainRecord(ev), ...(current ? { current } : {}), ...(previous ? { previous } : {}) };
}

export function explainInputOf(model: ContactModel): ExplainInput {
  return {
    mentioned: (id) => model.record(id) !== undefined || model.sightings(id).length > 0 || model.mentions(id).length > 0,
    record: (id) => {
      const r = model.record(id);
      return r && explainRecord(r);
    },
    agentEvents: (id) => model.eventsOfContact(id).map((ev) => explainAgentEvent(ev, id)),
    flowLogs: (id) => model.flowLogsOf(id).map(explainRecord),
    chain(id, max) {
      const walk = walkChain(model, id, max);
      // Related contacts (RelatedContactId: a task about a call) are not legs of the chain.
      return { ids: walk.members.filter((m) => m.relation !== 'related').map((m) => m.id), truncated: walk.truncated };
    },
  };
}

/** Every contact ID the dumps define or show in a snapshot, for "did you mean". */
export function knownContactIds(dumps: readonly Dump[]): Set<string> {
  const model = contactModel(dumps);
  const ids = new Set(model.contacts.keys());
  for (const ev of model.events) for (const s of [...ev.current, ...ev.previous]) ids.add(s.contactId);
  return ids;
}

/** explainContact over a set of dumps (the CLI, the server and the tests call this). */
export function explainInDumps(contactId: string, dumps: readonly Dump[], model: ContactModel = contactModel(dumps)): ExplainResult | undefined {
  return explainContact(contactId, explainInputOf(model));
}
