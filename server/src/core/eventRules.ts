// Rules over a contact's EventBridge contact events: `event-order` (the events describe an
// impossible life), `event-record-mismatch` (an event and the contact record disagree), and
// `duplicate-id` for two events with one `id` and different content. Delivery order in a
// file is never a fault: EventBridge delivers in no order and at least once.
import { chainAnchors, EVENT_LINK_FIELDS, type EventLinkKey } from './chain';
import { sameContent } from './duplicates';
import { initialDisagreement, nextLinkMissing, recordStart, type LaterStart } from './links';
import { at, str } from './json';
import { findingAt, relatedAt, type Located } from './located';
import { linkOf, type ContactEventRef, type ContactModel, type ContactRecordRef } from './model';
import { detailAt, EVENT_LIFE_ORDER } from './recordKinds';
import { parseTimestamp, TIMESTAMP_TOLERANCE_MS } from './time';
import type { JsonPath, RelatedLocation } from './types';

const iso = (t: number) => new Date(t).toISOString();

/** The times one detail carries, in the order a contact lives them (admin guide, "Contact events"). */
const DETAIL_TIME_ORDER: readonly (readonly string[])[] = [
  ['initiationTimestamp'],
  ['queueInfo', 'enqueueTimestamp'],
  ['agentInfo', 'connectedToAgentTimestamp'],
  ['disconnectTimestamp'],
];

function describe(e: ContactEventRef): string {
  return `${e.eventType ?? 'event'}${e.eventId ? ` ${e.eventId}` : ''}`;
}

/** `event-order`: a contact's events, ordered by the times they report, tell an impossible life. */
export function eventOrderFindings(events: readonly ContactEventRef[]): Located[] {
  const out: Located[] = [];
  // Inside one event: its own times must not go backwards. Later events repeat the same
  // queueInfo and agentInfo: one finding per contradiction, on the first event that carries it.
  const reported = new Set<string>();
  for (const e of events) {
    let prev: { t: number; path: JsonPath; name: string } | undefined;
    for (const p of DETAIL_TIME_ORDER) {
      const at = detailAt(e.detail, p);
      const t = parseTimestamp(at?.value);
      if (t === undefined) continue;
      const path = [...e.detailPath, ...at!.path];
      const name = at!.path.join('.');
      const key = prev && `${prev.name}=${prev.t}|${name}=${t}`;
      if (prev && t < prev.t - TIMESTAMP_TOLERANCE_MS && !reported.has(key!)) {
        reported.add(key!);
        out.push(
          findingAt(
            e,
            path,
            'event-order',
            'warning',
            `In contact event ${describe(e)}, ${name} ${iso(t)} is before ${prev.name} ${iso(prev.t)}: a contact cannot live its steps in that order.`,
            [relatedAt(e, prev.path, prev.name)],
          ),
        );
      }
      if (!prev || t > prev.t) prev = { t, path, name };
    }
  }
  // Across events: each step of the life after the ones before it.
  const timed = events.filter((e) => e.time !== undefined && e.eventType !== undefined && e.eventType in EVENT_LIFE_ORDER);
  timed.sort((a, b) => EVENT_LIFE_ORDER[a.eventType!] - EVENT_LIFE_ORDER[b.eventType!] || a.time! - b.time!);
  let latest: ContactEventRef | undefined; // the latest event of an earlier step
  let stepLatest: ContactEventRef | undefined; // the latest of the current step
  let step = -1;
  for (const e of timed) {
    const rank = EVENT_LIFE_ORDER[e.eventType!];
    if (rank !== step) {
      if (stepLatest && (!latest || stepLatest.time! > latest.time!)) latest = stepLatest;
      step = rank;
      stepLatest = undefined;
    }
    if (latest && e.time! < latest.time! - TIMESTAMP_TOLERANCE_MS) {
      out.push(
        findingAt(
          e,
          e.timePath ?? e.detailPath,
          'event-order',
          'warning',
          `Contact ${e.contactId}: ${e.eventType} at ${iso(e.time!)} comes before ${latest.eventType} at ${iso(latest.time!)}, ` +
            `but a contact is ${Object.keys(EVENT_LIFE_ORDER).join(', then ').toLowerCase().replace(/_/g, ' ')}. (The order the events arrive in is no fault; the times they report are.)`,
          [relatedAt(latest, latest.timePath ?? latest.detailPath, `${latest.eventType} of contact ${latest.contactId}`)],
        ),
      );
    }
    if (!stepLatest || e.time! > stepLatest.time!) stepLatest = e;
  }
  return out;
}

/** The facts an event and a contact record both carry: event path, record path, how to compare. */
type Compare = 'text' | 'time' | 'link';
const SHARED_FACTS: readonly { event: readonly string[]; record: readonly string[]; label: string; compare: Compare }[] = [
  { event: ['channel'], record: ['Channel'], label: 'channel', compare: 'text' },
  { event: ['initiationMethod'], record: ['InitiationMethod'], label: 'initiation method', compare: 'text' },
  { event: ['queueInfo', 'queueArn'], record: ['Queue', 'ARN'], label: 'queue', compare: 'text' },
  { event: ['agentInfo', 'agentArn'], record: ['Agent', 'ARN'], label: 'agent', compare: 'text' },
  { event: ['initiationTimestamp'], record: ['InitiationTimestamp'], label: 'initiation time', compare: 'time' },
  { event: ['queueInfo', 'enqueueTimestamp'], record: ['Queue', 'EnqueueTimestamp'], label: 'enqueue time', compare: 'time' },
  { event: ['agentInfo', 'connectedToAgentTimestamp'], record: ['Agent', 'ConnectedToAgentTimestamp'], label: 'connected-to-agent time', compare: 'time' },
  { event: ['disconnectTimestamp'], record: ['DisconnectTimestamp'], label: 'disconnect time', compare: 'time' },
  { event: ['initialContactId'], record: ['InitialContactId'], label: 'initial contact', compare: 'link' },
  { event: ['previousContactId'], record: ['PreviousContactId'], label: 'previous contact', compare: 'link' },
  { event: ['relatedContactId'], record: ['RelatedContactId'], label: 'related contact', compare: 'link' },
];

/**
 * Whether an event's value and the record's differ. Links: a record writes `null` where an
 * event leaves the field out or names the contact itself (the first contact of a chain,
 * DOMAIN.md "InitialContactId"), so only an event naming another contact is compared.
 */
function differ(compare: Compare, ev: unknown, rv: unknown, contactId: string): boolean {
  if (compare === 'time') {
    const te = parseTimestamp(ev);
    const tr = parseTimestamp(rv);
    return te !== undefined && tr !== undefined && Math.abs(te - tr) > TIMESTAMP_TOLERANCE_MS;
  }
  const a = str(ev);
  if (compare === 'link') return a !== undefined && a !== contactId && a !== (str(rv) ?? contactId);
  const b = str(rv);
  // Masked dumps print asterisks; doc samples print `Voice` for VOICE.
  return a !== undefined && b !== undefined && !a.includes('*') && !b.includes('*') && a.toUpperCase() !== b.toUpperCase();
}

/** `event-record-mismatch`: an event and the contact record that stands for its contact disagree. */
export function eventRecordMismatchFindings(events: readonly ContactEventRef[], contact: ContactRecordRef | undefined): Located[] {
  if (!contact) return [];
  const out: Located[] = [];
  for (const e of events) {
    for (const fact of SHARED_FACTS) {
      const ev = detailAt(e.detail, fact.event);
      const rv = at(contact.value, fact.record as string[]);
      if (ev === undefined || ev.value === null) continue;
      if (fact.compare !== 'link' && (rv === null || rv === undefined)) continue;
      if (!differ(fact.compare, ev.value, rv, e.contactId)) continue;
      out.push(
        findingAt(
          e,
          [...e.detailPath, ...ev.path],
          'event-record-mismatch',
          'warning',
          `Contact event ${describe(e)} gives contact ${e.contactId} the ${fact.label} ${JSON.stringify(ev.value)}, its contact record ${JSON.stringify(rv ?? null)}` +
            `${fact.compare === 'time' ? ` (more than ${TIMESTAMP_TOLERANCE_MS / 1000} s apart)` : ''}.`,
          [relatedAt(contact, fact.record as string[], `${fact.record.join('.')} in the contact record of ${e.contactId}`)],
        ),
      );
    }
  }
  return out;
}

type Anchors = ReturnType<typeof chainAnchors>;

/** The distinct contacts a contact's events name in one link field, each with the first event (by reported time) that names it. */
function namedByEvents(events: readonly ContactEventRef[], key: EventLinkKey): Map<string, { event: ContactEventRef; path: JsonPath }> {
  const named = new Map<string, { event: ContactEventRef; path: JsonPath }>();
  for (const e of events) {
    const hit = detailAt(e.detail, [key]);
    const id = str(hit?.value);
    // A detail naming its own contact is no link (first contacts are written so in flow data).
    if (id && id !== e.contactId && !named.has(id)) named.set(id, { event: e, path: [...e.detailPath, ...hit!.path] });
  }
  return named;
}

/** The first value a contact's events carry at `path`. */
function firstInEvents(events: readonly ContactEventRef[], path: readonly string[]): unknown {
  for (const e of events) {
    const v = detailAt(e.detail, path)?.value;
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/**
 * The link rules over the links contact events write (`initialContactId`, `previousContactId`,
 * `relatedContactId`; events carry no next link). One finding per contact, field and value, on
 * the first event that writes it: every event of a leg repeats its links, and a re-delivered
 * event (same EventBridge id) is one event in the model.
 *
 * - `link-missing` (information): a linked contact that no record of any kind in the dumps shows.
 * - `link-reciprocal` and `link-initial` (warnings) only for a contact with no contact record:
 *   when it has one, the record's links are what the record rules check, and an event that
 *   disagrees with its own record is `event-record-mismatch`. And only against a standing
 *   contact record on the other side: events alone do not tell a contact's next leg.
 */
export function eventLinkFindings(model: ContactModel): Located[] {
  const out: Located[] = [];
  const known = (id: string) =>
    model.record(id) !== undefined || model.sightings(id).length > 0 || model.contactEventsOf(id).length > 0 || model.flowLogsOf(id).length > 0;
  let anchors: Anchors | undefined;
  for (const [contactId, events] of model.contactEventsByContact()) {
    for (const [key, field] of EVENT_LINK_FIELDS) {
      for (const [id, { event, path }] of namedByEvents(events, key)) {
        if (known(id)) continue;
        out.push(
          findingAt(
            event,
            path,
            'link-missing',
            'information',
            `${field} ${id} of contact ${contactId} (contact event ${describe(event)}): no contact record, agent event, contact event or flow log of that contact is in the dumps read (a dump is often a slice of the data).`,
          ),
        );
      }
    }
    if (model.record(contactId)) continue;
    anchors ??= chainAnchors(model);
    out.push(...eventReciprocalFindings(model, contactId, events, anchors), ...eventInitialFindings(model, contactId, events, anchors));
  }
  return out;
}

/**
 * `link-reciprocal` for a contact B known from its events only:
 * - a standing record P names B as its NextContactId, but B's events name another previous
 *   contact X and never P. Not a finding when X is the first contact of P's chain: the admin
 *   guide describes the event's previousContactId in the same words as its initialContactId
 *   ("the original identifier of the contact that was transferred"), so naming the chain's
 *   first contact is a reading the documentation allows.
 * - B's events name P as previous and P's standing record should name B as its NextContactId
 *   but names none: the judgement of the record rule, links.ts `nextLinkMissing` (B is a
 *   transfer that writes the link, P's copy was last updated after B was initiated, P names no
 *   other next contact; each exception argued there). Not reported here when a contact record
 *   that names P as previous is owed the link too: the record rule reports P.
 */
function eventReciprocalFindings(model: ContactModel, contactId: string, events: readonly ContactEventRef[], anchors: Anchors): Located[] {
  const out: Located[] = [];
  const report = (at: { event: ContactEventRef; path: JsonPath }, message: string, related: RelatedLocation) =>
    out.push(findingAt(at.event, at.path, 'link-reciprocal', 'warning', `Contact event ${describe(at.event)} names ${message}`, [related]));
  const previous = namedByEvents(events, 'previousContactId');
  const pointing = model.referrers(contactId).filter((r) => linkOf(r, 'NextContactId') === contactId);
  const [named] = previous;
  if (named && pointing.length > 0 && !pointing.some((p) => previous.has(p.id))) {
    const [x, at] = named;
    const p = pointing[0];
    const chainFirst = anchors.get(p.id);
    const firstOfChain = [chainFirst?.first ? chainFirst.ref.id : undefined, linkOf(p, 'InitialContactId')];
    if (!firstOfChain.includes(x)) {
      report(
        at,
        `${x} as the previous contact of ${contactId}, but contact ${p.id} names ${contactId} as its NextContactId.`,
        relatedAt(p, ['NextContactId'], `Contact ${p.id}: NextContactId ${contactId}.`),
      );
    }
  }
  const start: LaterStart = {
    method: str(firstInEvents(events, ['initiationMethod'])),
    initiated: parseTimestamp(firstInEvents(events, ['initiationTimestamp'])),
  };
  for (const [pId, at] of previous) {
    const p = model.record(pId);
    if (!p || !nextLinkMissing(p, start)) continue;
    if (model.referrers(pId).some((r) => linkOf(r, 'PreviousContactId') === pId && nextLinkMissing(p, recordStart(r)))) continue;
    const { method, initiated } = start;
    report(
      at,
      `${pId} as the previous contact of ${contactId} (a ${method} initiated at ${iso(initiated!)}), ` +
        `but the record of ${pId}, last updated after that (${iso(p.lastUpdate!)}), has no NextContactId.`,
      relatedAt(p, Object.prototype.hasOwnProperty.call(p.value, 'NextContactId') ? ['NextContactId'] : ['ContactId'], `Contact ${pId}: no NextContactId.`),
    );
  }
  return out;
}

/**
 * `link-initial` for a contact B known from its events only: B's events name a previous contact
 * P that has a standing record, so B belongs to P's chain, and its events' initialContactId
 * must be the chain's first contact (reached from P by PreviousContactId), or what that first
 * contact names as initial. When the first contact is not among the records, the earliest
 * record's InitialContactId is the reference, as for records (one judgement for both: links.ts
 * `initialDisagreement`). Nothing when P's chain loops or nothing tells its first contact.
 */
function eventInitialFindings(model: ContactModel, contactId: string, events: readonly ContactEventRef[], anchors: Anchors): Located[] {
  const [named] = namedByEvents(events, 'previousContactId');
  const anchor = named && model.record(named[0]) ? anchors.get(named[0]) : undefined;
  if (!anchor) return [];
  const out: Located[] = [];
  for (const [initial, { event, path }] of namedByEvents(events, 'initialContactId')) {
    const d = initialDisagreement(anchor, initial);
    if (!d) continue;
    out.push(
      findingAt(
        event,
        path,
        'link-initial',
        'warning',
        `initialContactId ${initial} of contact ${contactId} (contact event ${describe(event)}, previous contact ${named[0]}) disagrees with ${d.against}.`,
        [d.related],
      ),
    );
  }
  return out;
}

/** `duplicate-id`: two contact events with one EventBridge `id` and different content. */
export function duplicateEventFindings(all: readonly ContactEventRef[]): Located[] {
  const out: Located[] = [];
  const first = new Map<string, ContactEventRef>();
  const cache: Parameters<typeof sameContent>[2] = new Map();
  for (const e of all) {
    if (e.eventId === undefined) continue;
    const seen = first.get(e.eventId);
    if (!seen) {
      first.set(e.eventId, e);
      continue;
    }
    if (sameContent(seen, e, cache)) continue; // an at-least-once re-delivery
    out.push(
      findingAt(
        e,
        ['id'],
        'duplicate-id',
        'warning',
        `Contact event ${e.eventId} appears twice with different content; EventBridge re-delivers an event with the same id and the same content.`,
        [relatedAt(seen, ['id'], `The other event with id ${e.eventId}.`)],
      ),
    );
  }
  return out;
}
