// Contact-ID links between contact records: PreviousContactId / NextContactId must agree in
// both directions (a blank NextContactId only where the later contact says it should be
// written: `nextLinkMissing`, shared with the contact-event rule), must not loop, every leg of a chain names the same InitialContactId, and
// linked IDs should be among the records read. One copy stands for each ContactId (the
// model's rule, model.ts `supersedes`), so a re-delivered record is one contact, not a
// conflict. These rules read each standing record's own link fields (not the chain walker
// of chain.ts, which fills a one-sided link from the other side and so would hide exactly
// what link-reciprocal reports): the walks over own fields are chain.ts' `ownLinkLoops`
// and `chainAnchors`.
import { chainAnchors as anchors, ownLinkLoops as loops, type ChainAnchor } from './chain';
import { findingAt, Located, relatedAt } from './located';
import { isMasked } from './masking';
import { ContactModel, ContactRecordRef as ContactRef, LINK_FIELDS, LinkField, linkOf as link } from './model';
import { CONTACT_RECORD_TIMES, recordTimeAt } from './ordering';
import { describeValue } from './records';
import { str } from './json';
import { TIMESTAMP_TOLERANCE_MS } from './time';
import type { RelatedLocation } from './types';

export { LINK_FIELDS };
export type { LinkField };

/** How many contact IDs a loop message spells out before eliding the rest. */
export const MAX_IDS_IN_MESSAGE = 8;

/** The key is in the record with a null or empty value: a quick fix can fill it in. */
function blankKey(ref: ContactRef, field: LinkField): boolean {
  if (!Object.prototype.hasOwnProperty.call(ref.value, field)) return false;
  const v = ref.value[field];
  return v === null || v === '';
}

/** Points at the field when the record has it, else at the record's ContactId. */
function relatedField(ref: ContactRef, field: LinkField, message: string): RelatedLocation {
  return relatedAt(ref, Object.prototype.hasOwnProperty.call(ref.value, field) ? [field] : ['ContactId'], message);
}

function show(value: unknown): string {
  return typeof value === 'string' && value.length > 0 ? value : value === undefined ? '(absent)' : describeValue(value);
}

/** `link-missing` (information): a linked ID with no contact record among the dumps. */
function missingFindings(ws: ContactModel): Located[] {
  const out: Located[] = [];
  for (const ref of ws.contacts.values()) {
    for (const field of LINK_FIELDS) {
      const id = link(ref, field);
      // A masked ID names no contact the dumps could hold.
      if (id === undefined || ws.contacts.has(id) || isMasked(id, [field])) continue;
      if (field === 'InitialContactId' && id === ref.id) continue;
      out.push(
        findingAt(
          ref,
          [field],
          'link-missing',
          'information',
          `${field} ${id} of contact ${ref.id}: no contact record with this ContactId is in the dumps read (a dump is often a slice of the data).`,
        ),
      );
    }
  }
  return out;
}

/**
 * Whether a contact created from an earlier contact P (its PreviousContactId names P) is written
 * into P's record as P's NextContactId, by InitiationMethod (valid values: contact records data
 * model, InitiationMethod; admin guide, "Contact initiation methods"). Only the transfers that
 * hand P itself over are; for the others a blank NextContactId on P is what the documentation
 * allows, so it is no finding. A method not listed (a new one: the set is open) counts as not.
 */
export const NEXT_LINK_OF_METHOD: Readonly<Record<string, { writesNext: boolean; why: string }>> = {
  TRANSFER: { writesNext: true, why: 'an agent transferred P with a quick connect or the number pad in the CCP (data model, TRANSFER)' },
  QUEUE_TRANSFER: { writesNext: true, why: 'a Transfer to queue block moved P into another queue (data model, QUEUE_TRANSFER)' },
  API: { writesNext: false, why: 'a task or chat started with a PreviousContactId (StartTaskContact, StartChatContact) links the new contact only' },
  DISCONNECT: { writesNext: false, why: "made by a disconnect flow after P ended: P's record may be final before it exists" },
  CALLBACK: {
    writesNext: false,
    why: 'its record is created when the callback reaches an agent ("About queued callbacks"); the data model ties no NextContactId to it',
  },
  MONITOR: { writesNext: false, why: 'a supervisor listening in: P is not handed over' },
  EXTERNAL_OUTBOUND: { writesNext: false, why: 'an agent dialling an external party into the call: P is not handed over' },
  OUTBOUND: { writesNext: false, why: 'an agent or StartOutboundVoiceContact dialling a customer: not made from P' },
  INBOUND: { writesNext: false, why: 'the customer calling in: not made from P' },
  AGENT_REPLY: { writesNext: false, why: 'an agent replying to an email: a new contact, P is not handed over' },
  FLOW: { writesNext: false, why: 'an email sent by a flow: not a handover of P' },
  WEBRTC_API: { writesNext: false, why: 'an in-app, web or video call (StartWebRTCContact): not made from P' },
};

/** What a later contact tells about its own start: its InitiationMethod and InitiationTimestamp (ms). */
export interface LaterStart {
  method: string | undefined;
  initiated: number | undefined;
}

/** The start of a contact as its record writes it. */
export function recordStart(ref: ContactRef): LaterStart {
  return { method: str(ref.value.InitiationMethod), initiated: recordTimeAt(ref.value, CONTACT_RECORD_TIMES.initiation)?.ms };
}

/**
 * Whether P's standing record should name a later contact whose PreviousContactId is P (from
 * its record or its contact events) as its NextContactId but names none: one judgement for
 * `link-reciprocal` over records and over contact events. Not when P names any contact:
 * NextContactId is the last contact P was transferred to or consulted (admin guide, "Identify
 * conferences and transfers"), so an earlier leg of a twice-transferred contact is rightly no
 * longer named. Not when the later contact's method does not write the link
 * (NEXT_LINK_OF_METHOD). Not when P's copy was last updated before the later contact was
 * initiated: an older copy, delivered before it existed (records are delivered again on
 * update, data model). Not when either time is missing: nothing tells which copy this is.
 */
export function nextLinkMissing(p: ContactRef, later: LaterStart): boolean {
  if (link(p, 'NextContactId') !== undefined) return false;
  const method = later.method;
  if (method === undefined || !Object.prototype.hasOwnProperty.call(NEXT_LINK_OF_METHOD, method) || !NEXT_LINK_OF_METHOD[method].writesNext) return false;
  if (later.initiated === undefined || p.lastUpdate === undefined) return false;
  return p.lastUpdate >= later.initiated - TIMESTAMP_TOLERANCE_MS;
}

type PairField = 'NextContactId' | 'PreviousContactId';

/**
 * One direction of the Previous / Next pair: a record `a` names `b` in `field`, so `b` should
 * name `a` in `back` when `owes(b, a)` says so; `why` adds what makes that expected.
 */
interface Pair {
  field: PairField;
  back: PairField;
  owes(b: ContactRef, a: ContactRef): boolean;
  why?(b: ContactRef, a: ContactRef): string;
}

const iso = (ms: number) => new Date(ms).toISOString();

const PAIRS: readonly Pair[] = [
  // B's PreviousContactId is written when B is created from A (data model, PreviousContactId):
  // every copy of B names A.
  { field: 'NextContactId', back: 'PreviousContactId', owes: () => true },
  // A's NextContactId names B only in the cases `nextLinkMissing` keeps (the judgement shared
  // with the contact-event rule).
  {
    field: 'PreviousContactId',
    back: 'NextContactId',
    owes: (p, b) => nextLinkMissing(p, recordStart(b)),
    why: (p, b) => {
      const { method, initiated } = recordStart(b);
      return ` Contact ${b.id} is a ${method} initiated at ${iso(initiated!)}, and this copy of ${p.id} was last updated after that (${iso(p.lastUpdate!)}).`;
    },
  },
];

/**
 * `a` names `b` in `pair.field`, `b` does not name `a` back and owes it. When `b`'s field is
 * blank and `a` is the only record it owes the link (`soleClaim`), the finding sits on that
 * blank with a fix; otherwise on `a`'s own field (which side is wrong is not clear).
 */
function pairFinding(a: ContactRef, b: ContactRef, pair: Pair, soleClaim: boolean): Located {
  const { field, back } = pair;
  const why = pair.why?.(b, a) ?? '';
  if (blankKey(b, back) && soleClaim) {
    return findingAt(
      b,
      [back],
      'link-reciprocal',
      'warning',
      `Contact ${b.id} has no ${back}, but contact ${a.id} names it as its ${field}.${why}`,
      [relatedAt(a, [field], `Contact ${a.id}: ${field} ${b.id}.`)],
      { title: `Set ${back} to "${a.id}"`, replacement: JSON.stringify(a.id) },
    );
  }
  return findingAt(
    a,
    [field],
    'link-reciprocal',
    'warning',
    `Contact ${a.id} names ${b.id} as its ${field}, but the ${back} of ${b.id} is ${show(b.value[back])}.${why}`,
    [relatedField(b, back, `Contact ${b.id}: ${back} ${show(b.value[back])}.`)],
  );
}

/** The record `a` names in `pair.field` when it does not name `a` back although it owes it. */
function brokenPartner(ws: ContactModel, a: ContactRef, pair: Pair): ContactRef | undefined {
  const bId = link(a, pair.field);
  const b = bId === undefined || bId === a.id ? undefined : ws.contacts.get(bId);
  return b && link(b, pair.back) !== a.id && pair.owes(b, a) ? b : undefined;
}

/** `link-reciprocal`: A.NextContactId = B but B.PreviousContactId is not A, or the reverse (when A's record should say so). */
function reciprocalFindings(ws: ContactModel): Located[] {
  // How many records each contact owes the missing link, per direction: a fix is offered only
  // when exactly one, so the missing side is not in doubt.
  const owed = PAIRS.map(() => new Map<string, number>());
  for (const a of ws.contacts.values()) {
    PAIRS.forEach((pair, i) => {
      const b = brokenPartner(ws, a, pair);
      if (b) owed[i].set(b.id, (owed[i].get(b.id) ?? 0) + 1);
    });
  }
  const out: Located[] = [];
  for (const a of ws.contacts.values()) {
    PAIRS.forEach((pair, i) => {
      const b = brokenPartner(ws, a, pair);
      if (b) out.push(pairFinding(a, b, pair, owed[i].get(b.id) === 1));
    });
  }
  return out;
}

function spell(ids: readonly string[]): string {
  const shown = ids.length > MAX_IDS_IN_MESSAGE ? [...ids.slice(0, MAX_IDS_IN_MESSAGE), `… (${ids.length} contacts)`] : [...ids];
  return [...shown, ids[0]].join(' → ');
}

/** `link-cycle`: following NextContactId (or PreviousContactId) comes back to a contact. */
function cycleFindings(ws: ContactModel): Located[] {
  const out: Located[] = [];
  const reported = new Set<string>();
  for (const field of ['NextContactId', 'PreviousContactId'] as const) {
    for (const members of loops(ws, field)) {
      // A loop linked both ways shows up in both walks; report the members once.
      const key = members
        .map((m) => m.id)
        .sort()
        .join('\u0000');
      if (reported.has(key)) continue;
      reported.add(key);
      const last = members[members.length - 1];
      const first = members[0];
      out.push(
        findingAt(last, [field], 'link-cycle', 'error', `Following ${field} loops back to contact ${first.id}: ${spell(members.map((m) => m.id))}.`, [
          relatedAt(first, ['ContactId'], `Contact ${first.id}, where the loop closes.`),
        ]),
      );
    }
  }
  return out;
}

/**
 * Whether `initial`, the initial contact a later leg of a chain names, agrees with the chain
 * whose earliest record is `anchor`: the first leg (or what it names as initial) when the
 * anchor is the first leg; else what the earliest leg read names. When not: what it disagrees
 * with, the record that says so, and (only when the first leg names no other initial contact)
 * the ID a fix can set.
 */
export function initialDisagreement(anchor: ChainAnchor, initial: string): { against: string; related: RelatedLocation; fixTo?: string } | undefined {
  const root = anchor.ref;
  const rootInitial = link(root, 'InitialContactId');
  // A masked ID agrees or disagrees with nothing: what it was is not in the dumps.
  if (isMasked(initial, ['InitialContactId']) || isMasked(rootInitial, ['InitialContactId'])) return undefined;
  if (anchor.first) {
    if (initial === root.id || initial === rootInitial) return undefined;
    return {
      against: `the first contact of its chain, ${root.id}`,
      related: relatedAt(root, ['ContactId'], `The first contact of the chain (it has no PreviousContactId): ${root.id}.`),
      fixTo: rootInitial === undefined ? root.id : undefined,
    };
  }
  if (rootInitial === undefined || initial === rootInitial) return undefined;
  return {
    against: `${rootInitial}, the InitialContactId of ${root.id} earlier in the same chain`,
    related: relatedAt(root, ['InitialContactId'], `Contact ${root.id}, the earliest leg of this chain in the dumps: InitialContactId ${rootInitial}.`),
  };
}

/**
 * `link-initial`: every later leg of a chain names the first leg in InitialContactId (the
 * first leg itself may name itself or nothing). When the first leg is not among the
 * records, the legs that are must at least agree with the earliest one read.
 */
function initialFindings(ws: ContactModel): Located[] {
  const out: Located[] = [];
  const anchorOf = anchors(ws);
  for (const ref of ws.contacts.values()) {
    const initial = link(ref, 'InitialContactId');
    if (initial === undefined || link(ref, 'PreviousContactId') === undefined) continue;
    const anchor = anchorOf.get(ref.id);
    if (!anchor || anchor.ref === ref) continue;
    const d = initialDisagreement(anchor, initial);
    if (!d) continue;
    out.push(
      findingAt(
        ref,
        ['InitialContactId'],
        'link-initial',
        'warning',
        `InitialContactId ${initial} of contact ${ref.id} disagrees with ${d.against}.`,
        [d.related],
        d.fixTo === undefined ? undefined : { title: `Set InitialContactId to "${d.fixTo}"`, replacement: JSON.stringify(d.fixTo) },
      ),
    );
  }
  return out;
}

export function linkFindings(ws: ContactModel): Located[] {
  return [...missingFindings(ws), ...reciprocalFindings(ws), ...cycleFindings(ws), ...initialFindings(ws)];
}
