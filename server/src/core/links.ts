// Contact-ID links between contact records: PreviousContactId / NextContactId must agree in
// both directions, must not loop, every leg of a chain names the same InitialContactId, and
// linked IDs should be among the records read. One copy stands for each ContactId (the
// model's rule, model.ts `supersedes`), so a re-delivered record is one contact, not a
// conflict. These rules read each standing record's own link fields (not the chain walker
// of chain.ts, which fills a one-sided link from the other side and so would hide exactly
// what link-reciprocal reports): the walks over own fields are chain.ts' `ownLinkLoops`
// and `chainAnchors`.
import { chainAnchors as anchors, ownLinkLoops as loops } from './chain';
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

/** `link-reciprocal`: A.NextContactId = B but B.PreviousContactId is not A, or the reverse. */
function reciprocalFindings(ws: ContactModel): Located[] {
  const out: Located[] = [];
  // How many records claim each contact as their next / previous: a fix is offered only
  // when exactly one record claims it, so the missing side is not in doubt.
  const nextClaims = new Map<string, number>();
  const prevClaims = new Map<string, number>();
  for (const ref of ws.contacts.values()) {
    const n = link(ref, 'NextContactId');
    if (n !== undefined) nextClaims.set(n, (nextClaims.get(n) ?? 0) + 1);
    const p = link(ref, 'PreviousContactId');
    if (p !== undefined) prevClaims.set(p, (prevClaims.get(p) ?? 0) + 1);
  }

  for (const a of ws.contacts.values()) {
    // Forward: A.Next = B, so B.Previous should be A.
    const bId = link(a, 'NextContactId');
    const b = bId === undefined || bId === a.id ? undefined : ws.contacts.get(bId);
    if (b && link(b, 'PreviousContactId') !== a.id) {
      if (blankKey(b, 'PreviousContactId') && nextClaims.get(b.id) === 1) {
        out.push(
          findingAt(
            b,
            ['PreviousContactId'],
            'link-reciprocal',
            'warning',
            `Contact ${b.id} has no PreviousContactId, but contact ${a.id} names it as its NextContactId.`,
            [relatedAt(a, ['NextContactId'], `Contact ${a.id}: NextContactId ${b.id}.`)],
            { title: `Set PreviousContactId to "${a.id}"`, replacement: JSON.stringify(a.id) },
          ),
        );
      } else {
        out.push(
          findingAt(
            a,
            ['NextContactId'],
            'link-reciprocal',
            'warning',
            `Contact ${a.id} names ${b.id} as its NextContactId, but the PreviousContactId of ${b.id} is ${show(b.value.PreviousContactId)}.`,
            [relatedField(b, 'PreviousContactId', `Contact ${b.id}: PreviousContactId ${show(b.value.PreviousContactId)}.`)],
          ),
        );
      }
    }
    // Backward: A.Previous = P, so P.Next should be A.
    const pId = link(a, 'PreviousContactId');
    const p = pId === undefined || pId === a.id ? undefined : ws.contacts.get(pId);
    if (p && link(p, 'NextContactId') !== a.id) {
      if (blankKey(p, 'NextContactId') && prevClaims.get(p.id) === 1) {
        out.push(
          findingAt(
            p,
            ['NextContactId'],
            'link-reciprocal',
            'warning',
            `Contact ${p.id} has no NextContactId, but contact ${a.id} names it as its PreviousContactId.`,
            [relatedAt(a, ['PreviousContactId'], `Contact ${a.id}: PreviousContactId ${p.id}.`)],
            { title: `Set NextContactId to "${a.id}"`, replacement: JSON.stringify(a.id) },
          ),
        );
      } else {
        out.push(
          findingAt(
            a,
            ['PreviousContactId'],
            'link-reciprocal',
            'warning',
            `Contact ${a.id} names ${p.id} as its PreviousContactId, but the NextContactId of ${p.id} is ${show(p.value.NextContactId)}.`,
            [relatedField(p, 'NextContactId', `Contact ${p.id}: NextContactId ${show(p.value.NextContactId)}.`)],
          ),
        );
      }
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
    const root = anchor.ref;
    const rootInitial = link(root, 'InitialContactId');
    if (anchor.first) {
      if (initial === root.id || initial === rootInitial) continue;
      out.push(
        findingAt(
          ref,
          ['InitialContactId'],
          'link-initial',
          'warning',
          `InitialContactId ${initial} of contact ${ref.id} disagrees with the first contact of its chain, ${root.id}.`,
          [relatedAt(root, ['ContactId'], `The first contact of the chain (it has no PreviousContactId): ${root.id}.`)],
          // Only when the first leg does not name some other contact as initial: then its ID is the answer.
          rootInitial === undefined ? { title: `Set InitialContactId to "${root.id}"`, replacement: JSON.stringify(root.id) } : undefined,
        ),
      );
    } else {
      if (rootInitial === undefined || initial === rootInitial) continue;
      out.push(
        findingAt(
          ref,
          ['InitialContactId'],
          'link-initial',
          'warning',
          `InitialContactId ${initial} of contact ${ref.id} disagrees with ${rootInitial}, the InitialContactId of ${root.id} earlier in the same chain.`,
          [relatedAt(root, ['InitialContactId'], `Contact ${root.id}, the earliest leg of this chain in the dumps: InitialContactId ${rootInitial}.`)],
        ),
      );
    }
  }
  return out;
}

export function linkFindings(ws: ContactModel): Located[] {
  return [...missingFindings(ws), ...reciprocalFindings(ws), ...cycleFindings(ws), ...initialFindings(ws)];
}
