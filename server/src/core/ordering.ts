// The order of the times inside one contact record, as data: only orderings that hold for
// every contact, each row with where it comes from. `timestamp-order` reports a record that
// breaks a row. Orderings that hold for simple contacts but not for all are left out on
// purpose (see DROPPED_ORDERINGS): a rule that cries wolf on transfers is worse than none.
import { isMasked } from './masking';
import { findingOn, pathLabel, relatedOn, valueAt } from './recordPaths';
import { parseTimestamp, TIMESTAMP_TOLERANCE_MS } from './time';
import type { Dump, DumpRecord, Finding, JsonPath } from './types';

export type OrderSource = 'ctr-data-model' | 'conferences-transfers' | 'real-records';

export const ORDER_SOURCES: Record<OrderSource, { title: string; url?: string }> = {
  'real-records': { title: 'Contact records users published in public repositories (REAL_RECORDS_CHECKED): observed, not stated by AWS' },
  'ctr-data-model': {
    title: 'Amazon Connect Administrator Guide, "Data model for Amazon Connect contact records"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html',
  },
  'conferences-transfers': {
    title: 'Amazon Connect Administrator Guide, "Identify conferences and transfers by using Amazon Connect contact records"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/identify-conferences-transfers.html',
  },
};

/** Public contact records (not invented) the rows were checked against; see the README's findings section. */
export const REAL_RECORDS_CHECKED = [
  'an INBOUND voice call transferred to an external number (2022-01-05, ContactId 6fe40d2a-...; TransferCompletedTimestamp = ACW start, DisconnectTimestamp 19 min after ACW end), published three times with newer LastUpdateTimestamp',
  'an INBOUND voice call with one 1021 s hold, transferred to another queue (2019-08-13, ContactId a373989e-...; ACW start 24 s after DisconnectTimestamp)',
  'an INBOUND voice call, no hold, no transfer (2022-04-08, ContactId 15a5cf14-...)',
  "an INBOUND voice call, no hold, no transfer (2020-03-31, ContactId ee0a8fcc-..., with an exporter's _id and createdAt)",
] as const;

export interface OrderingRow {
  earlier: JsonPath;
  later: JsonPath;
  source: OrderSource;
  /** Why it holds for every contact. */
  note: string;
}

export const CONTACT_RECORD_ORDER: readonly OrderingRow[] = [
  {
    earlier: ['InitiationTimestamp'],
    later: ['Queue', 'EnqueueTimestamp'],
    source: 'ctr-data-model',
    note: 'InitiationTimestamp is when the contact arrived, was created or the transfer was initiated; it is queued after that (tasks: possibly much later). All real records checked agree.',
  },
  {
    earlier: ['Queue', 'EnqueueTimestamp'],
    later: ['Queue', 'DequeueTimestamp'],
    source: 'ctr-data-model',
    note: 'Queue.Duration, "the difference between EnqueueTimestamp and DequeueTimestamp", has a minimum of 0.',
  },
  {
    earlier: ['Queue', 'DequeueTimestamp'],
    later: ['DisconnectTimestamp'],
    source: 'ctr-data-model',
    note: 'DequeueTimestamp: "either the customer disconnected or the contact was connected to an agent"; a contact abandoned in queue has DequeueTimestamp = DisconnectTimestamp.',
  },
  {
    earlier: ['InitiationTimestamp'],
    later: ['DisconnectTimestamp'],
    source: 'ctr-data-model',
    note: 'A contact disconnects after it was initiated, whatever happened in between.',
  },
  {
    earlier: ['Agent', 'ConnectedToAgentTimestamp'],
    later: ['Agent', 'AfterContactWorkStartTimestamp'],
    source: 'real-records',
    note: 'ConnectedToAgentTimestamp + AgentInteractionDuration + CustomerHoldDuration = AfterContactWorkStartTimestamp in every real record, with non-negative durations; holds after transfers and consults too.',
  },
  {
    earlier: ['Agent', 'AfterContactWorkStartTimestamp'],
    later: ['Agent', 'AfterContactWorkEndTimestamp'],
    source: 'ctr-data-model',
    note: 'AfterContactWorkDuration, the difference of the two, has a minimum of 0.',
  },
];

/** Orderings a first version checked and real data contradicts: kept as data so they stay out. */
export const DROPPED_ORDERINGS: readonly (OrderingRow & { contradiction: string })[] = [
  {
    earlier: ['DisconnectTimestamp'],
    later: ['Agent', 'AfterContactWorkEndTimestamp'],
    source: 'conferences-transfers',
    note: 'True for a contact the customer ends while talking to the agent.',
    contradiction:
      'External transfer: the agent enters ACW (= TransferCompletedTimestamp) before the external leg disconnects, and the customer stays on; the real 2022-01-05 record has ACW end 17:28:17, DisconnectTimestamp 17:47:28.',
  },
  {
    earlier: ['DisconnectTimestamp'],
    later: ['Agent', 'AfterContactWorkStartTimestamp'],
    source: 'conferences-transfers',
    note: 'True for a contact the customer ends while talking to the agent.',
    contradiction:
      'Transfers, consults and conferences: the agent can stay on after this leg disconnects; the real 2019-08-13 record has DisconnectTimestamp 19:09:37, ACW start 19:10:01.',
  },
  {
    earlier: ['Agent', 'ConnectedToAgentTimestamp'],
    later: ['DisconnectTimestamp'],
    source: 'ctr-data-model',
    note: 'True for inbound contacts.',
    contradiction:
      'Not established for every initiation method (agent-initiated OUTBOUND, callbacks, campaigns); no real record needs it, and Initiation <= Disconnect covers a disconnect that went backwards.',
  },
  {
    earlier: ['Queue', 'DequeueTimestamp'],
    later: ['Agent', 'ConnectedToAgentTimestamp'],
    source: 'ctr-data-model',
    note: 'Equal in every real inbound record checked.',
    contradiction: 'What Queue holds for agent-initiated outbound calls is not documented; kept out until a real outbound record shows it.',
  },
];

/** A time in a record: as written, and in ms. */
export interface RecordTime {
  ms: number;
  text: string;
}

/** The time at `path` of a record; a masked, unset or unreadable value is no time (time.ts is the policy). */
export function recordTimeAt(value: unknown, path: JsonPath): RecordTime | undefined {
  const v = valueAt(value, path);
  if (typeof v !== 'string' || isMasked(v)) return undefined;
  const ms = parseTimestamp(v);
  return ms === undefined ? undefined : { ms, text: v };
}

/** The times of a contact record the views read (timeline legs, explain), each at its data-model path. */
export const CONTACT_RECORD_TIMES = {
  initiation: ['InitiationTimestamp'],
  enqueue: ['Queue', 'EnqueueTimestamp'],
  dequeue: ['Queue', 'DequeueTimestamp'],
  connectedToAgent: ['Agent', 'ConnectedToAgentTimestamp'],
  acwStart: ['Agent', 'AfterContactWorkStartTimestamp'],
  acwEnd: ['Agent', 'AfterContactWorkEndTimestamp'],
  transferCompleted: ['TransferCompletedTimestamp'],
  disconnect: ['DisconnectTimestamp'],
} as const satisfies Record<string, JsonPath>;

export type ContactRecordTimes = { -readonly [K in keyof typeof CONTACT_RECORD_TIMES]: RecordTime | undefined };

/** Every time of CONTACT_RECORD_TIMES in a contact record (undefined where it has none). */
export function contactRecordTimes(value: unknown): ContactRecordTimes {
  const out = {} as ContactRecordTimes;
  for (const key of Object.keys(CONTACT_RECORD_TIMES) as (keyof ContactRecordTimes)[]) out[key] = recordTimeAt(value, CONTACT_RECORD_TIMES[key]);
  return out;
}

const label = pathLabel;

/** `timestamp-order` findings of one contact record, on the later time, related: the earlier one. */
export function contactRecordOrderFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (record.kind !== 'contactRecord') return [];
  const value = record.value;
  const time = (path: JsonPath) => recordTimeAt(value, path)?.ms;
  // One finding per later time: against the latest earlier time it precedes.
  const worst = new Map<string, { row: OrderingRow; t: number }>();
  for (const row of CONTACT_RECORD_ORDER) {
    const a = time(row.earlier);
    const b = time(row.later);
    if (a === undefined || b === undefined || b >= a - TIMESTAMP_TOLERANCE_MS) continue;
    const key = label(row.later);
    const seen = worst.get(key);
    if (!seen || a > seen.t) worst.set(key, { row, t: a });
  }
  const out: Finding[] = [];
  const id = valueAt(value, ['ContactId']);
  for (const { row } of worst.values()) {
    const e = String(valueAt(value, row.earlier));
    const l = String(valueAt(value, row.later));
    out.push(
      findingOn(
        dump,
        record,
        row.later,
        'timestamp-order',
        'warning',
        `${label(row.later)} ${l} is before ${label(row.earlier)} ${e}${typeof id === 'string' ? ` in contact record ${id}` : ''}; in every contact ${label(row.earlier)} comes first.`,
        [relatedOn(dump, record, row.earlier, `${label(row.earlier)} ${e}.`)],
      ),
    );
  }
  return out;
}
