// Contact-ID links between contact records: PreviousContactId / NextContactId must agree in
// both directions, must not loop, every leg of a chain names the same InitialContactId, and
// linked IDs should be among the records read. One copy stands for each ContactId (the
// model's rule, model.ts `supersedes`), so a re-delivered record is one contact, not a
// conflict. These rules read each standing record's own link fields (not the chain walker
// of chain.ts, which fills a one-sided link from the other side and so would hide exactly
// what link-reciprocal reports): the walks over own fields are chain.ts' `ownLinkLoops`
// and `chainAnchors`.
import { chainAnchors as anchors, ownLinkLoops as loops, type ChainAnchor } from './chain';
import { findingAt, Located, relatedAt } from './located';
import { ContactModel, ContactRecordRef as ContactRef, LINK_FIELDS, LinkField, linkOf as link } from './model';
import { describeValue } from './records';
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
      if (id === undefined || ws.contacts.has(id)) continue;
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
 * One side of a Previous / Next pair: `a` names B in `field`, so B should name `a` in `back`.
 * When B's `back` is blank and only `a` claims B, the finding sits on that blank with a fix;
 * when B names a third contact, on `a`'s own field (which side is wrong is not clear).
 */
function pairFinding(ws: ContactModel, a: ContactRef, field: PairField, back: PairField, claims: ReadonlyMap<string, number>): Located | undefined {
  const bId = link(a, field);
  const b = bId === undefined || bId === a.id ? undefined : ws.contacts.get(bId);
  if (!b || link(b, back) === a.id) return undefined;
  if (blankKey(b, back) && claims.get(b.id) === 1) {
    return findingAt(
      b,
      [back],
      'link-reciprocal',
      'warning',
      `Contact ${b.id} has no ${back}, but contact ${a.id} names it as its ${field}.`,
      [relatedAt(a, [field], `Contact ${a.id}: ${field} ${b.id}.`)],
      { title: `Set ${back} to "${a.id}"`, replacement: JSON.stringify(a.id) },
    );
  }
  return findingAt(
    a,
    [field],
    'link-reciprocal',
    'warning',
    `Contact ${a.id} names ${b.id} as its ${field}, but the ${back} of ${b.id} is ${show(b.value[back])}.`,
    [relatedField(b, back, `Contact ${b.id}: ${back} ${show(b.value[back])}.`)],
  );
}

type PairField = 'NextContactId' | 'PreviousContactId';
const PAIRS: readonly [PairField, PairField][] = [
  ['NextContactId', 'PreviousContactId'],
  ['PreviousContactId', 'NextContactId'],
];

/** `link-reciprocal`: A.NextContactId = B but B.PreviousContactId is not A, or the reverse. */
function reciprocalFindings(ws: ContactModel): Located[] {
  // How many records claim each contact in each field: a fix is offered only when exactly
  // one record claims it, so the missing side is not in doubt.
  const claims = new Map<PairField, Map<string, number>>(PAIRS.map(([field]) => [field, new Map()]));
  for (const ref of ws.contacts.values()) {
    for (const [field, counts] of claims) {
      const named = link(ref, field);
      if (named !== undefined) counts.set(named, (counts.get(named) ?? 0) + 1);
    }
  }
  const out: Located[] = [];
  for (const a of ws.contacts.values()) {
    for (const [field, back] of PAIRS) {
      const found = pairFinding(ws, a, field, back, claims.get(field)!);
      if (found) out.push(found);
    }
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
