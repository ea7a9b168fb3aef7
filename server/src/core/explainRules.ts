// The facts `explain` relies on, as tables with their sources: how a leg of a chain is
// labelled, who ended a contact, which agent-event state ends an offer how. Everything
// else in explain*.ts imports these; the contact states themselves are states.ts's.

import { shownId } from './contactIdLength';
import { TRANSITIONS, type ContactState } from './states';
import type { ChainLabel, DisconnectBy, OfferOutcome } from './explainTypes';

export type ExplainSource =
  'identify-conferences-transfers' | 'contact-initiation-methods' | 'ctr-data-model' | 'metrics-definitions' | 'agent-event-model' | 'inferred';

export const EXPLAIN_SOURCES: Record<ExplainSource, { title: string; url?: string }> = {
  'identify-conferences-transfers': {
    title:
      'Amazon Connect Administrator Guide, "Identify conferences and transfers by using Amazon Connect contact records" (How to identify consultative calls; the SQL snippet)',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/identify-conferences-transfers.html',
  },
  'contact-initiation-methods': {
    title: 'Amazon Connect Administrator Guide, "Contact initiation methods and flow types"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/contact-initiation-methods.html',
  },
  'ctr-data-model': {
    title: 'Amazon Connect Administrator Guide, "Contact records data model" (DisconnectReason, AgentConnectionAttempts, durations)',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html',
  },
  'metrics-definitions': {
    title: 'Amazon Connect Administrator Guide, "Metric definitions" (handle time = interaction + customer hold + after contact work)',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html',
  },
  'agent-event-model': {
    title: 'Amazon Connect Administrator Guide, "Agent event streams data model" and "About contact states"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html',
  },
  inferred: { title: 'Read from the fields themselves; no AWS page states it as a rule' },
};

// ---- chain labels ---------------------------------------------------------------------

/** What a chain rule reads of a leg's contact record (times in ms; undefined when absent). */
export interface LegFields {
  contactId: string;
  initiationMethod?: string;
  instanceArn?: string;
  previousContactId?: string;
  initialContactId?: string;
  hasAgent: boolean;
  acwStart?: number;
  transferCompleted?: number;
  disconnect?: number;
  /** Agent.AgentInteractionDuration, seconds. */
  interactionSeconds?: number;
  /** Agent.CustomerHoldDuration, seconds. */
  holdSeconds?: number;
  /** ExternalThirdParty.ExternalThirdPartyInteractionDuration, seconds. */
  externalInteractionSeconds?: number;
}

export interface ChainRule {
  label: ChainLabel;
  /** The rule in words (README, hover). */
  rule: string;
  source: ExplainSource;
  /** The evidence when the rule applies to `leg` (whose previous leg, if in the dumps, is `previous`), else undefined. */
  test(leg: LegFields, previous: LegFields | undefined): string[] | undefined;
}

/**
 * The admin guide's consult / conference test puts an internal consulted agent who talked
 * for at most this long in "consult" (the guide's SQL: `agent_interaction_duration_ms <= 2000`).
 */
export const CONSULT_MAX_INTERACTION_SECONDS = 2;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The first rule that applies labels the leg; the last one always applies. */
export const CHAIN_LABEL_RULES: readonly ChainRule[] = [
  {
    label: 'monitor',
    source: 'contact-initiation-methods',
    rule: 'InitiationMethod MONITOR: a supervisor monitoring the contact.',
    test: (leg) => (leg.initiationMethod === 'MONITOR' ? ['InitiationMethod MONITOR'] : undefined),
  },
  {
    label: 'callback',
    source: 'contact-initiation-methods',
    rule: 'InitiationMethod CALLBACK: a callback created for the customer (queued callback or flow).',
    test: (leg) =>
      leg.initiationMethod === 'CALLBACK'
        ? ['InitiationMethod CALLBACK', ...(leg.previousContactId ? [`PreviousContactId ${shownId(leg.previousContactId)}`] : [])]
        : undefined,
  },
  {
    label: 'initial',
    source: 'identify-conferences-transfers',
    rule: 'No PreviousContactId, and InitialContactId null (or the contact itself): the initiator of the chain.',
    test: (leg) =>
      !leg.previousContactId && (!leg.initialContactId || leg.initialContactId === leg.contactId)
        ? ['PreviousContactId null', leg.initialContactId ? `InitialContactId ${shownId(leg.initialContactId)} (itself)` : 'InitialContactId null']
        : undefined,
  },
  {
    label: 'cross-instance',
    source: 'inferred',
    rule: "The leg's InstanceARN differs from its previous leg's: the contact moved to another Connect instance.",
    test: (leg, prev) =>
      leg.instanceArn && prev?.instanceArn && leg.instanceArn !== prev.instanceArn
        ? [`InstanceARN ${leg.instanceArn}`, `previous leg's InstanceARN ${prev.instanceArn}`]
        : undefined,
  },
  {
    label: 'queue-transfer',
    source: 'contact-initiation-methods',
    rule: 'InitiationMethod QUEUE_TRANSFER: moved to another queue by a Transfer to queue block.',
    test: (leg) => (leg.initiationMethod === 'QUEUE_TRANSFER' ? ['InitiationMethod QUEUE_TRANSFER'] : undefined),
  },
  {
    label: 'consult',
    source: 'identify-conferences-transfers',
    rule: "External consult: an EXTERNAL_OUTBOUND leg without an agent that ended before the previous agent entered ACW, with that agent's customer hold longer than the third party's interaction.",
    test: (leg, prev) => externalConsultative(leg, prev, 'consult'),
  },
  {
    label: 'conference',
    source: 'identify-conferences-transfers',
    rule: "External conference: as an external consult, with the customer hold shorter than the third party's interaction (everyone talked together).",
    test: (leg, prev) => externalConsultative(leg, prev, 'conference'),
  },
  {
    label: 'external-transfer',
    source: 'identify-conferences-transfers',
    rule: "External transfer: an EXTERNAL_OUTBOUND leg without an agent that disconnected after the previous leg's TransferCompletedTimestamp.",
    test: (leg, prev) => {
      if (leg.initiationMethod !== 'EXTERNAL_OUTBOUND' || leg.hasAgent || !prev || prev.transferCompleted === undefined || leg.disconnect === undefined)
        return undefined;
      return leg.disconnect > prev.transferCompleted
        ? [
            'InitiationMethod EXTERNAL_OUTBOUND',
            'Agent null',
            `DisconnectTimestamp ${iso(leg.disconnect)} after the previous leg's TransferCompletedTimestamp ${iso(prev.transferCompleted)}`,
          ]
        : undefined;
    },
  },
  {
    label: 'transfer',
    source: 'identify-conferences-transfers',
    rule: "Internal transfer: the previous agent entered ACW before this leg's agent, and the previous leg has a TransferCompletedTimestamp.",
    test: (leg, prev) =>
      prev?.acwStart !== undefined && leg.acwStart !== undefined && prev.acwStart < leg.acwStart && prev.transferCompleted !== undefined
        ? [
            `previous leg's AfterContactWorkStartTimestamp ${iso(prev.acwStart)} before this leg's ${iso(leg.acwStart)}`,
            `previous leg's TransferCompletedTimestamp ${iso(prev.transferCompleted)}`,
          ]
        : undefined,
  },
  {
    label: 'consult',
    source: 'identify-conferences-transfers',
    rule: `Internal consult: this leg's agent entered ACW before the previous agent and talked for at most ${CONSULT_MAX_INTERACTION_SECONDS} s (the customer stayed on hold with the previous agent).`,
    test: (leg, prev) => internalConsultative(leg, prev, 'consult'),
  },
  {
    label: 'conference',
    source: 'identify-conferences-transfers',
    rule: `Internal conference: this leg's agent entered ACW before the previous agent and talked for more than ${CONSULT_MAX_INTERACTION_SECONDS} s.`,
    test: (leg, prev) => internalConsultative(leg, prev, 'conference'),
  },
  {
    label: 'transfer',
    source: 'contact-initiation-methods',
    rule: 'InitiationMethod TRANSFER, when the timestamps above do not decide: the agent transferred the contact (quick connect or transfer flow).',
    test: (leg, prev) => {
      if (leg.initiationMethod !== 'TRANSFER') return undefined;
      const evidence = ['InitiationMethod TRANSFER'];
      if (prev?.acwStart !== undefined && leg.acwStart !== undefined && prev.acwStart <= leg.acwStart) {
        evidence.push(
          `previous leg's AfterContactWorkStartTimestamp ${iso(prev.acwStart)} not after this leg's ${iso(leg.acwStart)} (not a consult or conference)`,
        );
      }
      if (prev && prev.transferCompleted === undefined) evidence.push("previous leg's TransferCompletedTimestamp null");
      return evidence;
    },
  },
  {
    label: 'transfer',
    source: 'inferred',
    rule: 'Any other leg with a previous contact: linked by PreviousContactId; the fields do not say more (the explanation lists it in gaps).',
    test: (leg) => [
      ...(leg.previousContactId ? [`PreviousContactId ${shownId(leg.previousContactId)}`] : []),
      ...(leg.initialContactId ? [`InitialContactId ${shownId(leg.initialContactId)}`] : []),
      `InitiationMethod ${leg.initiationMethod ?? 'not in the dumps'}`,
    ],
  },
];

function externalConsultative(leg: LegFields, prev: LegFields | undefined, want: 'consult' | 'conference'): string[] | undefined {
  if (leg.initiationMethod !== 'EXTERNAL_OUTBOUND' || leg.hasAgent || !prev) return undefined;
  if (prev.acwStart === undefined || leg.disconnect === undefined || prev.holdSeconds === undefined || leg.externalInteractionSeconds === undefined)
    return undefined;
  if (!(prev.acwStart > leg.disconnect)) return undefined;
  const consult = prev.holdSeconds > leg.externalInteractionSeconds;
  const conference = prev.holdSeconds < leg.externalInteractionSeconds;
  if (want === 'consult' ? !consult : !conference) return undefined;
  return [
    'InitiationMethod EXTERNAL_OUTBOUND',
    'Agent null',
    `previous agent's AfterContactWorkStartTimestamp ${iso(prev.acwStart)} after this leg's DisconnectTimestamp ${iso(leg.disconnect)}`,
    `previous agent's CustomerHoldDuration ${prev.holdSeconds} ${want === 'consult' ? '>' : '<'} ExternalThirdPartyInteractionDuration ${leg.externalInteractionSeconds}`,
  ];
}

function internalConsultative(leg: LegFields, prev: LegFields | undefined, want: 'consult' | 'conference'): string[] | undefined {
  if (!prev || prev.acwStart === undefined || leg.acwStart === undefined || leg.interactionSeconds === undefined) return undefined;
  if (!(prev.acwStart > leg.acwStart)) return undefined;
  const consult = leg.interactionSeconds <= CONSULT_MAX_INTERACTION_SECONDS;
  if (want === 'consult' ? !consult : consult) return undefined;
  return [
    `this leg's AfterContactWorkStartTimestamp ${iso(leg.acwStart)} before the previous leg's ${iso(prev.acwStart)}`,
    `AgentInteractionDuration ${leg.interactionSeconds} ${consult ? '<=' : '>'} ${CONSULT_MAX_INTERACTION_SECONDS}`,
  ];
}

/** The label of a leg and the rule that gave it. */
export function labelLeg(leg: LegFields, previous: LegFields | undefined): { label: ChainLabel; evidence: string[]; rule: ChainRule } {
  for (const rule of CHAIN_LABEL_RULES) {
    const evidence = rule.test(leg, previous);
    if (evidence) return { label: rule.label, evidence, rule };
  }
  /* istanbul ignore next: the last rule always applies */
  throw new Error('unreachable');
}

// ---- who ended the contact ------------------------------------------------------------

/**
 * DisconnectReason -> who ended the contact. The reasons and what each means are the
 * contact record data model's (the schema's markdownEnumDescriptions carry them);
 * `system` is the network, a flow, the API, an expiry or a fault; reasons that do not say
 * who (OTHER, TELECOM_ORIGINATOR_CANCEL: "the calling party", either side) are `unknown`.
 */
export const DISCONNECT_BY: Readonly<Record<string, DisconnectBy>> = {
  CUSTOMER_DISCONNECT: 'customer',
  AGENT_DISCONNECT: 'agent',
  THIRD_PARTY_DISCONNECT: 'third-party',
  BARGED: 'agent', // a manager disconnected the agent
  AGENT_COMPLETED: 'agent', // task completed by the agent
  DISCARDED: 'agent', // email draft discarded
  TELECOM_PROBLEM: 'system',
  TELECOM_BUSY: 'system',
  TELECOM_NUMBER_INVALID: 'system',
  TELECOM_POTENTIAL_BLOCKING: 'system',
  TELECOM_UNANSWERED: 'system',
  TELECOM_TIMEOUT: 'system',
  CUSTOMER_NEVER_ARRIVED: 'system',
  CONTACT_FLOW_DISCONNECT: 'system',
  OUTBOUND_DESTINATION_ENDPOINT_ERROR: 'system',
  OUTBOUND_RESOURCE_ERROR: 'system',
  OUTBOUND_ATTEMPT_FAILED: 'system',
  OUTBOUND_PREVIEW_DISCARDED: 'system',
  OUTBUND_PREVIEW_DISCARDED: 'system',
  EXPIRED: 'system',
  AGENT_NETWORK_DISCONNECT: 'system',
  CUSTOMER_CONNECTION_NOT_ESTABLISHED: 'system',
  API: 'system',
  IDLE_DISCONNECT: 'system',
  SYSTEM_ERROR: 'system',
  TRANSFERRED: 'system', // email moved to another queue or agent
  TELECOM_ORIGINATOR_CANCEL: 'unknown',
  OTHER: 'unknown',
};
export const DISCONNECT_BY_SOURCE: ExplainSource = 'ctr-data-model';

export function disconnectBy(reason: string | undefined): DisconnectBy {
  return (reason !== undefined && Object.hasOwn(DISCONNECT_BY, reason) ? DISCONNECT_BY[reason] : undefined) ?? 'unknown';
}

// ---- offers ---------------------------------------------------------------------------

/**
 * The state that ends an offer, and what it means for the offer (agent event model /
 * "About contact states"). A customer who hangs up while it rings turns any of these but
 * CONNECTED into `abandoned` (decided from the disconnect time, in explain.ts).
 */
export const OFFER_OUTCOME_OF_STATE: Partial<Record<ContactState, OfferOutcome>> = {
  CONNECTED: 'accepted',
  MISSED: 'missed',
  REJECTED: 'rejected',
  ERROR: 'error',
};
export const OFFER_OUTCOME_SOURCE: ExplainSource = 'agent-event-model';

/**
 * States in which the contact is being offered (it rings): those the state table lets an
 * agent miss, read from states.ts rather than listed again (INCOMING, PENDING, CONNECTING).
 */
export const OFFERED_STATES: ReadonlySet<ContactState> = new Set(TRANSITIONS.filter((t) => t.to === 'MISSED' && !t.afterLeavingSnapshot).map((t) => t.from));

/**
 * Initiation methods whose contact starts in a flow (so the time before it is queued is
 * flow / IVR time), per "Contact initiation methods and flow types". OUTBOUND and
 * CALLBACK start with an agent or a queue; MONITOR and EXTERNAL_OUTBOUND have no flow of
 * their own.
 */
export const FLOW_FIRST_METHODS: ReadonlySet<string> = new Set(['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'API', 'WEBRTC_API', 'DISCONNECT']);

/** Methods where the agent starts the contact: CONNECTING is dialling, not an offer. */
export const AGENT_STARTED_METHODS: ReadonlySet<string> = new Set(['OUTBOUND', 'EXTERNAL_OUTBOUND', 'AGENT_REPLY']);
