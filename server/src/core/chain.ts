// The one chain walker: how contacts link into a transfer chain (Initial -> Previous/Next ->
// Related), read from the standing copy of each contact record (model.ts). The hover's
// "leg 2 of 3" and the timeline's lanes come from the walks that fill a one-sided link from
// the other side; the link rules (links.ts) use the walks over each record's own fields
// (ownLinkLoops, chainAnchors), since they look for records that contradict each other.
// Every walk is iterative and visits each contact a bounded number of times.
import { isContactIdLength } from './contactIdLength';
import { isMasked } from './masking';
import { ContactModel, ContactRecordRef, linkOf } from './model';
import { idAt, str } from './json';
import { detailAt } from './recordKinds';

/**
 * The links an EventBridge contact event's detail writes, by the contact record field of the
 * same meaning (admin guide, "Contact events data model"). Events carry no next link: a
 * contact's successor is not known when its events are sent.
 */
export const EVENT_LINK_FIELDS = [
  ['initialContactId', 'InitialContactId'],
  ['previousContactId', 'PreviousContactId'],
  ['relatedContactId', 'RelatedContactId'],
] as const;
export type EventLinkKey = (typeof EVENT_LINK_FIELDS)[number][0];

/**
 * The contact a contact's own EventBridge events name in a link field: the first event (by
 * reported time) that names another contact. A detail naming the contact itself is no link
 * (the data Connect hands to flows names a first contact as its own previous and initial).
 */
export function eventLinkOf(model: ContactModel, id: string, key: EventLinkKey): string | undefined {
  for (const e of model.contactEventsOf(id)) {
    const other = str(detailAt(e.detail, [key])?.value);
    if (other && other !== id) return other;
  }
  return undefined;
}

/**
 * The contact before `id` in its chain: its own PreviousContactId (with no contact record, the
 * one its contact events name), else the contact whose NextContactId names it (the link is
 * often written on one side only when a dump is a slice).
 */
export function previousOf(model: ContactModel, id: string): string | undefined {
  return step(model, id, 'PreviousContactId', 'NextContactId');
}

/** The contact after `id`: its own NextContactId, else the contact whose PreviousContactId names it. */
export function nextOf(model: ContactModel, id: string): string | undefined {
  return step(model, id, 'NextContactId', 'PreviousContactId');
}

function step(
  model: ContactModel,
  id: string,
  own: 'PreviousContactId' | 'NextContactId',
  opposite: 'PreviousContactId' | 'NextContactId',
): string | undefined {
  const record = model.record(id);
  const direct = record ? linkOf(record, own) : own === 'PreviousContactId' ? eventLinkOf(model, id, 'previousContactId') : undefined;
  if (direct) return direct;
  for (const ref of model.referrers(id)) if (linkOf(ref, opposite) === id) return ref.id;
  // A later leg known only from its contact events names this one as its previous contact.
  if (own === 'NextContactId') for (const ref of eventReferrers(model, id)) if (ref.key === 'previousContactId') return ref.id;
  return undefined;
}

const eventReferrerIndexes = new WeakMap<ContactModel, Map<string, { id: string; key: EventLinkKey }[]>>();

/**
 * Contacts with no contact record whose contact events name `id` as their previous or related
 * contact (a later leg known only from its events; its predecessor's NextContactId may be in
 * no dump). Indexed once per model.
 */
export function eventReferrers(model: ContactModel, id: string): readonly { id: string; key: EventLinkKey }[] {
  let index = eventReferrerIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const other of model.contactEventsByContact().keys()) {
      if (model.record(other)) continue;
      for (const key of ['previousContactId', 'relatedContactId'] as const) {
        const named = eventLinkOf(model, other, key);
        if (!named) continue;
        const list = index.get(named);
        if (list) list.push({ id: other, key });
        else index.set(named, [{ id: other, key }]);
      }
    }
    eventReferrerIndexes.set(model, index);
  }
  return index.get(id) ?? [];
}

/**
 * The InitialContactId the contact's own data gives: its contact record, else the first agent
 * snapshot that names one, else its contact events.
 */
export function initialOf(model: ContactModel, id: string): string | undefined {
  const record = model.record(id);
  if (record) return linkOf(record, 'InitialContactId');
  for (const s of model.sightings(id)) {
    const initial = idAt(s.contact, ['InitialContactId']);
    if (initial) return initial;
  }
  return eventLinkOf(model, id, 'initialContactId');
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

/**
 * Whether a link names a contact a chain can follow: not longer than a contact ID (its schema
 * finding says why), and not masked (`xx-xx`, `**********`: two links masked alike are not one
 * contact).
 */
function followable(id: string): boolean {
  return isContactIdLength(id) && !isMasked(id, ['ContactId']);
}

/** The contact's place in the line of its chain, following previous / next both ways. */
export function chainPlace(model: ContactModel, id: string, maxLegs = 100): ChainPlace {
  const seen = new Set([id]);
  let cycle = false;
  const line = (follow: (cur: string) => string | undefined): string[] => {
    const out: string[] = [];
    for (let cur = follow(id); cur && followable(cur) && out.length < maxLegs; cur = follow(cur)) {
      if (seen.has(cur)) {
        cycle = true;
        break;
      }
      seen.add(cur);
      out.push(cur);
    }
    return out;
  };
  const before = line((cur) => previousOf(model, cur)).reverse();
  const after = line((cur) => nextOf(model, cur));
  const legs = [...before, id, ...after];
  const initial = initialOf(model, id);
  const partial = legs.some((leg) => !model.record(leg)) || (initial !== undefined && !legs.includes(initial));
  return { legs, leg: before.length + 1, previous: before[before.length - 1], next: after[0], initial, partial, cycle };
}

export interface ChainMember {
  id: string;
  /** `self`: the contact asked for; `chain`: linked by Previous/Next/Initial; `related`: by RelatedContactId. */
  relation: 'self' | 'chain' | 'related';
  /** Order in which the walk reached it. */
  order: number;
}

export interface ChainEdge {
  from: string;
  to: string;
  kind: 'chain' | 'related';
  /** The contact whose record writes the link. */
  writtenBy: string;
}

export interface ChainWalk {
  members: ChainMember[];
  edges: ChainEdge[];
  /** More than `maxMembers` contacts are linked; the walk stopped. */
  truncated: boolean;
}

/**
 * Every contact linked to `contactId`: its chain through Previous / Next / Initial in both
 * directions, and the contacts related to chain members (not followed further). A contact
 * with no contact record is followed through the links its contact events write. Visits each
 * contact once; at most `maxMembers` members.
 */
export function walkChain(model: ContactModel, contactId: string, maxMembers: number): ChainWalk {
  const members = new Map<string, ChainMember>();
  const edges = new Map<string, ChainEdge>();
  const queue: string[] = [contactId];
  members.set(contactId, { id: contactId, relation: 'self', order: 0 });
  let truncated = false;

  // A link to no contact a chain can follow (too long, masked) is not followed.
  const addEdge = (from: string, to: string, kind: ChainEdge['kind'], writtenBy: string): void => {
    if (from !== to && followable(to) && followable(from) && !edges.has(`${from}\u0000${to}`) && !edges.has(`${to}\u0000${from}`)) {
      edges.set(`${from}\u0000${to}`, { from, to, kind, writtenBy });
    }
  };
  const visit = (id: string, relation: ChainMember['relation'], expand: boolean): void => {
    if (members.has(id) || !followable(id)) return;
    if (members.size >= maxMembers) {
      truncated = true;
      return;
    }
    members.set(id, { id, relation, order: members.size });
    if (expand) queue.push(id);
  };

  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const record = model.record(id);
    const prev = record ? linkOf(record, 'PreviousContactId') : eventLinkOf(model, id, 'previousContactId');
    const next = record && linkOf(record, 'NextContactId');
    const related = record ? linkOf(record, 'RelatedContactId') : eventLinkOf(model, id, 'relatedContactId');
    if (prev) {
      addEdge(prev, id, 'chain', id);
      visit(prev, 'chain', true);
    }
    if (next) {
      addEdge(id, next, 'chain', id);
      visit(next, 'chain', true);
    }
    if (related && members.get(id)?.relation !== 'related') {
      addEdge(id, related, 'related', id);
      visit(related, 'related', false);
    }
    const initial = initialOf(model, id);
    if (initial && initial !== id) visit(initial, 'chain', true);
    // Contacts that name this one: later legs of the chain (or contacts related to it).
    if (members.get(id)?.relation === 'related') continue;
    for (const ref of model.referrers(id)) {
      if (linkOf(ref, 'PreviousContactId') === id) addEdge(id, ref.id, 'chain', ref.id);
      if (linkOf(ref, 'NextContactId') === id) addEdge(ref.id, id, 'chain', ref.id);
      if (linkOf(ref, 'RelatedContactId') === id) {
        addEdge(id, ref.id, 'related', ref.id);
        visit(ref.id, 'related', false);
      } else {
        visit(ref.id, 'chain', true);
      }
    }
    for (const ref of eventReferrers(model, id)) {
      const kind = ref.key === 'relatedContactId' ? 'related' : 'chain';
      addEdge(id, ref.id, kind, ref.id);
      visit(ref.id, kind, kind === 'chain');
    }
  }
  return { members: [...members.values()], edges: [...edges.values()], truncated };
}

// ---- walks over each record's own fields, for the link rules -------------------------

/**
 * Loops when following one field from contact to contact. Each contact is entered once:
 * a walk stops at a contact already finished, or finds a loop at one on its own path.
 */
export function ownLinkLoops(model: ContactModel, field: 'NextContactId' | 'PreviousContactId'): ContactRecordRef[][] {
  const done = new Set<string>();
  const found: ContactRecordRef[][] = [];
  for (const start of model.contacts.values()) {
    if (done.has(start.id)) continue;
    const path: ContactRecordRef[] = [];
    const onPath = new Map<string, number>();
    let cur: ContactRecordRef | undefined = start;
    while (cur && !done.has(cur.id)) {
      const pos = onPath.get(cur.id);
      if (pos !== undefined) {
        found.push(path.slice(pos));
        break;
      }
      onPath.set(cur.id, path.length);
      path.push(cur);
      const next = linkOf(cur, field);
      cur = next === undefined ? undefined : model.contacts.get(next);
    }
    for (const r of path) done.add(r.id);
  }
  return found;
}

export interface ChainAnchor {
  /** The earliest record reached by following PreviousContactId. */
  ref: ContactRecordRef;
  /** True when it has no PreviousContactId (the first leg); false when its previous leg is not among the records. */
  first: boolean;
}

/** For every contact, the earliest record of its chain; null inside or behind a loop. */
export function chainAnchors(model: ContactModel): Map<string, ChainAnchor | null> {
  const memo = new Map<string, ChainAnchor | null>();
  for (const start of model.contacts.values()) {
    if (memo.has(start.id)) continue;
    const path: ContactRecordRef[] = [];
    const onPath = new Set<string>();
    let result: ChainAnchor | null;
    let cur = start;
    for (;;) {
      const known = memo.get(cur.id);
      if (known !== undefined) {
        result = known;
        break;
      }
      if (onPath.has(cur.id)) {
        result = null;
        break;
      }
      onPath.add(cur.id);
      path.push(cur);
      const prevId = linkOf(cur, 'PreviousContactId');
      if (prevId === undefined) {
        result = { ref: cur, first: true };
        break;
      }
      const prev = model.contacts.get(prevId);
      if (!prev) {
        result = { ref: cur, first: false };
        break;
      }
      cur = prev;
    }
    for (const r of path) memo.set(r.id, result);
  }
  return memo;
}
