// The contract of `connect-inspect explain --format json`: one object per contact asked
// for, the same object the hover, the timeline's Explain section and the Explain Contact
// command read. Plain data: every field is JSON (null where the dumps do not tell).

/** How a leg of the chain came to be (see CHAIN_LABEL_RULES in explainRules.ts). */
export type ChainLabel = 'initial' | 'transfer' | 'queue-transfer' | 'consult' | 'conference' | 'callback' | 'external-transfer' | 'monitor' | 'cross-instance';

/**
 * A span of the contact's life. `ivr`: in flows before it was queued; `queue`: in queue;
 * `ringing`: offered to an agent (one phase per offer when agent events tell); `talk`,
 * `hold`, `paused`, `acw`: with the agent; `external`: after a transfer to an external
 * number, until the customer hung up; `callback-wait`: a queued callback's initial delay,
 * from the callback's creation until it was queued.
 */
export type PhaseKind = 'ivr' | 'queue' | 'ringing' | 'talk' | 'hold' | 'paused' | 'acw' | 'external' | 'callback-wait';

/** The record kinds a phase or an offer can come from. */
export type ExplainSourceKind = 'contactRecord' | 'agentEvent' | 'contactEvent' | 'flowLog';

export type OfferOutcome = 'accepted' | 'missed' | 'rejected' | 'error' | 'abandoned';

export type DisconnectBy = 'customer' | 'agent' | 'system' | 'third-party' | 'unknown';

export interface ChainLeg {
  contactId: string;
  initiationMethod: string | null;
  label: ChainLabel;
  /** The agent's user name, else the agent ARN; null when no agent handled the leg (or the dumps do not say). */
  agent: string | null;
  /** The queue's name, else its ARN. */
  queue: string | null;
  /** The fields that decided the label, as `Field value` sentences. */
  evidence: string[];
}

export interface Phase {
  contactId: string;
  kind: PhaseKind;
  /** ISO times as written in the records; null when the phase is known only as a total (e.g. a contact record's hold duration). */
  start: string | null;
  end: string | null;
  seconds: number;
  source: ExplainSourceKind;
}

export interface Offer {
  contactId: string;
  agent: string;
  outcome: OfferOutcome;
  /**
   * From the first offered state to the outcome; null when only the contact record tells of the
   * offer, or when the agent events show its outcome (MISSED, REJECTED, ERROR) but no offered state.
   */
  ringSeconds: number | null;
  evidence: string[];
}

export interface Disconnect {
  /** The leg the customer's contact ended in: the chain leg that disconnected last. */
  contactId: string;
  reason: string | null;
  timestamp: string | null;
  by: DisconnectBy;
}

/**
 * Sums of the phases over every leg of the chain, as Connect's own metrics sum contact
 * records; null when no leg's data can tell that figure. `handleSeconds` = talk + hold +
 * ACW (Connect's handle time).
 */
export interface Totals {
  ivrSeconds: number | null;
  queueSeconds: number | null;
  talkSeconds: number | null;
  holdSeconds: number | null;
  acwSeconds: number | null;
  handleSeconds: number | null;
  externalSeconds: number | null;
}

export interface Explanation {
  contactId: string;
  channel: string | null;
  initiationMethod: string | null;
  chain: ChainLeg[];
  phases: Phase[];
  offers: Offer[];
  disconnect: Disconnect;
  totals: Totals;
  /** What the dumps do not tell: the explanation never fills these in. */
  gaps: string[];
}

/** Where a record is, for links from the narrative to the timeline and the source. */
export interface RecordRef {
  uri: string;
  start: number;
  end: number;
}

/** The records each part of an explanation comes from (index for index), kept out of the JSON. */
export interface ExplanationRefs {
  chain: RecordRef[][];
  phases: RecordRef[][];
  offers: RecordRef[][];
  disconnect: RecordRef[];
}
