// `flow-outside-contact`: flow log entries timed outside their contact's life, from its
// InitiationTimestamp to its DisconnectTimestamp, allowing for disconnect flows and clocks.
import { findingAt, relatedAt, type Located } from './located';
import type { ContactRecordRef, FlowLogRef } from './model';
import { describeFlowBlock } from './recordKinds';
import { parseTimestamp } from './time';

/**
 * How far outside its contact's window a flow block may run. Before the initiation: a few
 * seconds (contact records carry whole seconds; the services' clocks differ). After the
 * disconnect: a disconnect flow (the "Set disconnect flow" block, admin guide) runs after the
 * customer or agent hung up and logs under the same ContactId, e.g. a post-call survey; 15
 * minutes leaves room for one.
 */
export const FLOW_WINDOW_SLACK = { beforeInitiationMs: 5_000, afterDisconnectMs: 15 * 60_000 } as const;

const iso = (t: number) => new Date(t).toISOString();

/** One finding per contact and side (the first entry outside), counting the others. */
export function flowOutsideContactFindings(entries: readonly FlowLogRef[], contact: ContactRecordRef | undefined): Located[] {
  if (!contact) return [];
  const start = parseTimestamp(contact.value.InitiationTimestamp);
  const end = parseTimestamp(contact.value.DisconnectTimestamp);
  const out: Located[] = [];
  const report = (side: 'before' | 'after', list: FlowLogRef[], bound: number, field: string) => {
    if (!list.length) return;
    const e = side === 'before' ? list[0] : list[list.length - 1];
    const others = list.length - 1;
    out.push(
      findingAt(
        e,
        ['Timestamp'],
        'flow-outside-contact',
        'information',
        `${describeFlowBlock(e.value)} ran at ${iso(e.time!)}, ${side === 'before' ? 'before' : 'well after'} contact ${e.contactId}'s ${field} ${iso(bound)}` +
          `${side === 'after' ? ` (more than ${FLOW_WINDOW_SLACK.afterDisconnectMs / 60_000} min, longer than a disconnect flow runs)` : ''}` +
          `${others ? `; ${others} more entr${others === 1 ? 'y' : 'ies'} of this contact too` : ''}. The entry may belong to another contact, or a clock or an export shifted it.`,
        [relatedAt(contact, [field], `${field} of contact ${e.contactId}`)],
      ),
    );
  };
  if (start !== undefined) {
    report(
      'before',
      entries.filter((e) => e.time !== undefined && e.time < start - FLOW_WINDOW_SLACK.beforeInitiationMs),
      start,
      'InitiationTimestamp',
    );
  }
  if (end !== undefined) {
    report(
      'after',
      entries.filter((e) => e.time !== undefined && e.time > end + FLOW_WINDOW_SLACK.afterDisconnectMs),
      end,
      'DisconnectTimestamp',
    );
  }
  return out;
}
