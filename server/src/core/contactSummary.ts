// What the dumps say about one contact, for the contact hover: read from the model (the
// standing copy of its contact record, else its agent snapshots, else its contact events) and
// the chain walker.
import { ChainPlace, chainPlace, eventLinkOf } from './chain';
import { idAt, str } from './json';
import type { ContactModel, Sighting } from './model';
import { detailAt } from './recordKinds';
import { UNSET_TIMESTAMP } from './time';

export interface ContactSummary {
  contactId: string;
  /** Where the fields below come from: the contact record (the copy that stands), else an agent snapshot. */
  source: 'contactRecord' | 'agentEvent' | 'mentionOnly';
  /** Copies of the contact record across the dumps. */
  recordCount: number;
  /** Agent events that show the contact (a re-delivered event counts once). */
  eventCount: number;
  /** Flow log entries of the contact, and how many of them say their block failed. */
  flowLogCount: number;
  flowErrorCount: number;
  /** EventBridge contact events of the contact (a re-delivered event counts once). */
  contactEventCount: number;
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

/** The sighting that shows the contact last: the latest event, its current snapshot over its previous one. */
function lastSighting(sightings: readonly Sighting[]): Sighting | undefined {
  let best: Sighting | undefined;
  let bestT = -Infinity;
  for (const s of sightings) {
    // Current snapshots describe the state after the event; prefer them over previous ones at the same time.
    const t = (s.event.time ?? -Infinity) + (s.snapshot === 'CurrentAgentSnapshot' ? 0.5 : 0);
    if (!best || t >= bestT) {
      best = s;
      bestT = t;
    }
  }
  return best;
}

/** Undefined when the ID is nowhere in the dumps. */
export function contactSummary(model: ContactModel, id: string): ContactSummary | undefined {
  const record = model.record(id);
  const sightings = model.sightings(id);
  if (!record && sightings.length === 0 && model.mentions(id).length === 0) return undefined;
  const last = lastSighting(sightings);
  const flows = model.flowLogsOf(id);
  const summary: ContactSummary = {
    contactId: id,
    source: record ? 'contactRecord' : last ? 'agentEvent' : 'mentionOnly',
    recordCount: model.copies.get(id)?.length ?? 0,
    eventCount: model.eventsOfContact(id).length,
    flowLogCount: flows.length,
    flowErrorCount: flows.filter((f) => f.failure !== undefined).length,
    contactEventCount: model.contactEventsOf(id).length,
    chain: chainPlace(model, id),
  };
  if (record) {
    const v = record.value;
    summary.channel = str(v.Channel);
    summary.initiationMethod = str(v.InitiationMethod);
    summary.initiationTimestamp = str(v.InitiationTimestamp);
    summary.disconnectTimestamp = str(v.DisconnectTimestamp);
    summary.agent = idAt(v, ['Agent', 'Username']) ?? idAt(v, ['Agent', 'ARN']);
    summary.queue = idAt(v, ['Queue', 'Name']) ?? idAt(v, ['Queue', 'ARN']);
    summary.disconnectReason = str(v.DisconnectReason);
    summary.relatedContactId = idAt(v, ['RelatedContactId']);
  }
  // A contact known only from its EventBridge contact events: what they carry (detailAt reads camelCase or PascalCase).
  const told = (path: readonly string[]) => {
    for (const e of model.contactEventsOf(id)) {
      const v = str(detailAt(e.detail, path)?.value);
      if (v && v !== UNSET_TIMESTAMP) return v; // "not set" is no time
    }
    return undefined;
  };
  if (!record && !last && summary.contactEventCount > 0) {
    summary.channel = told(['channel']);
    summary.initiationMethod = told(['initiationMethod']);
    summary.initiationTimestamp = told(['initiationTimestamp']);
    summary.disconnectTimestamp = told(['disconnectTimestamp']);
    summary.queue = told(['queueInfo', 'queueArn']);
    summary.agent = told(['agentInfo', 'agentArn']);
    summary.disconnectReason = told(['disconnectReason']);
    summary.relatedContactId = eventLinkOf(model, id, 'relatedContactId');
  }
  if (last) {
    const { contact, event } = last;
    summary.channel ??= str(contact.Channel);
    summary.initiationMethod ??= str(contact.InitiationMethod);
    summary.initiationTimestamp ??= str(contact.InitiationTimestamp);
    summary.queue ??= idAt(contact, ['Queue', 'Name']) ?? idAt(contact, ['Queue', 'ARN']);
    summary.agent ||= idAt(event.value, ['CurrentAgentSnapshot', 'Configuration', 'Username']) ?? event.agent;
    if (last.state) summary.lastState = { state: last.state, at: str(event.value.EventTimestamp) };
  }
  return summary;
}
