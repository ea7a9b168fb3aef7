// The contact state machine of the agent event stream, as data: which `State` may follow
// which, per channel where it differs, each row with where it comes from. The rules only
// flag what this table cannot reach at all (going back, leaving a final state, a state the
// channel never uses), because a dump is often missing events and a rule that guesses
// produces false alarms on real data.

export const CONTACT_STATES = ['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED', 'MISSED', 'ERROR', 'ENDED', 'REJECTED'] as const;

export type ContactState = (typeof CONTACT_STATES)[number];

const STATE_SET: ReadonlySet<string> = new Set(CONTACT_STATES);

export function isContactState(value: unknown): value is ContactState {
  return typeof value === 'string' && STATE_SET.has(value);
}

export type StateSource = 'admin-guide' | 'agent-event-model' | 'streams-api' | 'contact-record-model' | 'inferred';

export const SOURCES: Record<StateSource, { title: string; url?: string }> = {
  'admin-guide': {
    title: 'Amazon Connect Administrator Guide, "About contact states"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/about-contact-states.html',
  },
  'agent-event-model': {
    title: 'Amazon Connect Administrator Guide, "Agent event streams data model"',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html',
  },
  'streams-api': {
    title: 'Amazon Connect Streams API documentation (contact events onIncoming / onPending / onConnecting)',
    url: 'https://github.com/amazon-connect/amazon-connect-streams/blob/master/Documentation.md',
  },
  'contact-record-model': {
    title: 'Amazon Connect Administrator Guide, "Contact records data model" (AgentConnectionAttempts)',
    url: 'https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html',
  },
  inferred: { title: 'Inferred from how the product behaves; not stated in the documentation' },
};

export interface StateDoc {
  /** One sentence, shown in hovers and the README. */
  summary: string;
  /** Which contacts use the state, when not every contact does. */
  usedBy?: string;
  /** Final: the contact never moves on from it (for ENDED: once it leaves the snapshot). */
  final: boolean;
  source: StateSource;
}

export const STATE_DOCS: Record<ContactState, StateDoc> = {
  INCOMING: {
    summary: 'A queued callback is being presented to the agent.',
    usedBy: 'queued callbacks only',
    final: false,
    source: 'admin-guide',
  },
  PENDING: {
    summary: 'A queued callback is pending; it comes before CONNECTING.',
    usedBy: 'queued callbacks only',
    final: false,
    source: 'admin-guide',
  },
  CONNECTING: {
    summary:
      'The contact is being offered to the agent (it is ringing); the agent has not accepted, rejected or missed it yet. For a queued callback: the callback was accepted and the customer is being dialled.',
    final: false,
    source: 'admin-guide',
  },
  CONNECTED: {
    summary: 'The agent accepted the contact and is in a conversation with the customer.',
    final: false,
    source: 'admin-guide',
  },
  CONNECTED_ONHOLD: {
    summary: 'The agent put the customer on hold. Its StateStartTimestamp keeps the time the contact was CONNECTED.',
    final: false,
    source: 'admin-guide',
  },
  PAUSED: {
    summary: 'The contact is paused.',
    usedBy: 'tasks only',
    final: false,
    source: 'admin-guide',
  },
  MISSED: {
    summary: 'The agent missed the contact (a rejected voice contact also shows as MISSED). The contact may be offered again once it has left the snapshot.',
    final: true,
    source: 'admin-guide',
  },
  ERROR: {
    summary: 'The contact failed, for example the customer abandoned the call during the outbound whisper.',
    final: true,
    source: 'admin-guide',
  },
  ENDED: {
    summary: 'The conversation ended and the agent is doing after-contact work (ACW); the contact leaves the snapshot when ACW is cleared.',
    final: true,
    source: 'admin-guide',
  },
  REJECTED: {
    summary: 'The agent rejected the contact, or the customer abandoned it while it was connecting to the agent.',
    usedBy: 'not voice: a rejected voice contact shows as MISSED',
    final: true,
    source: 'admin-guide',
  },
};

/** One edge of the state machine: `to` may directly follow `from`. */
export interface TransitionRow {
  from: ContactState;
  to: ContactState;
  source: StateSource;
  note: string;
  /**
   * Only between events, after the contact left the agent's snapshot: a contact that was
   * missed, rejected or failed goes back to the queue and can be offered to the same agent
   * again under the same ContactId.
   */
  afterLeavingSnapshot?: boolean;
  /** Only for contacts initiated these ways (a contact whose InitiationMethod is not known may take the row). */
  initiationMethods?: readonly string[];
}

export const TRANSITIONS: readonly TransitionRow[] = [
  { from: 'INCOMING', to: 'PENDING', source: 'inferred', note: 'queued callback: the Streams API raises onPending before onConnecting' },
  { from: 'PENDING', to: 'INCOMING', source: 'inferred', note: 'queued callback: the order of INCOMING and PENDING is not documented' },
  { from: 'INCOMING', to: 'CONNECTING', source: 'streams-api', note: 'queued callback accepted: the customer is dialled' },
  { from: 'PENDING', to: 'CONNECTING', source: 'streams-api', note: 'pending comes before connecting' },
  { from: 'INCOMING', to: 'MISSED', source: 'inferred', note: 'the callback was not accepted in time' },
  { from: 'PENDING', to: 'MISSED', source: 'inferred', note: 'the callback was not accepted in time' },
  { from: 'INCOMING', to: 'ERROR', source: 'inferred', note: 'the callback failed' },
  { from: 'PENDING', to: 'ERROR', source: 'inferred', note: 'the callback failed' },
  { from: 'CONNECTING', to: 'CONNECTED', source: 'admin-guide', note: 'the agent accepted the contact' },
  { from: 'CONNECTING', to: 'MISSED', source: 'admin-guide', note: 'the agent did not accept in time' },
  { from: 'CONNECTING', to: 'REJECTED', source: 'admin-guide', note: 'the agent rejected it, or the customer abandoned while connecting (not voice)' },
  { from: 'CONNECTING', to: 'ERROR', source: 'admin-guide', note: 'for example the customer abandoned during the outbound whisper' },
  {
    from: 'CONNECTING',
    to: 'ENDED',
    source: 'inferred',
    note: 'an outbound call (or a queued callback dialling the customer) hung up before it was answered goes to after-contact work',
    initiationMethods: ['OUTBOUND', 'CALLBACK'],
  },
  { from: 'CONNECTED', to: 'CONNECTED_ONHOLD', source: 'agent-event-model', note: '"they were connected and then on hold"' },
  { from: 'CONNECTED_ONHOLD', to: 'CONNECTED', source: 'inferred', note: 'the agent resumed the call' },
  { from: 'CONNECTED', to: 'PAUSED', source: 'admin-guide', note: 'a task was paused (tasks only)' },
  { from: 'PAUSED', to: 'CONNECTED', source: 'inferred', note: 'the task was resumed' },
  { from: 'CONNECTED', to: 'ENDED', source: 'admin-guide', note: 'the conversation ended; after-contact work starts' },
  { from: 'CONNECTED_ONHOLD', to: 'ENDED', source: 'inferred', note: 'the customer hung up while on hold' },
  { from: 'PAUSED', to: 'ENDED', source: 'inferred', note: 'a paused task was completed or ended' },
  { from: 'CONNECTED', to: 'ERROR', source: 'inferred', note: 'the connection failed' },
  { from: 'CONNECTED_ONHOLD', to: 'ERROR', source: 'inferred', note: 'the connection failed' },
  { from: 'PAUSED', to: 'ERROR', source: 'inferred', note: 'the task failed' },
  ...(['MISSED', 'REJECTED', 'ERROR'] as const).flatMap((from) =>
    (['INCOMING', 'PENDING', 'CONNECTING'] as const).map((to): TransitionRow => ({
      from,
      to,
      source: 'contact-record-model',
      afterLeavingSnapshot: true,
      note: 'offered again after leaving the snapshot (a contact record counts AgentConnectionAttempts)',
    })),
  ),
];

/** What decides which states a contact can be in: its channel and how it was initiated. */
export interface ContactProfile {
  channel?: string;
  initiationMethod?: string;
}

// Voice contacts initiated these ways are not queued callbacks, so they never show the
// callback states. Other methods (API, CALLBACK, campaigns, ...) are left alone.
const NON_CALLBACK_VOICE_METHODS: ReadonlySet<string> = new Set(['INBOUND', 'OUTBOUND', 'TRANSFER', 'QUEUE_TRANSFER']);

const CALLBACK_ONLY = 'INCOMING and PENDING are only used for queued callbacks';
const TASK_ONLY = 'PAUSED is only used for tasks';
const NO_VOICE_REJECT = 'REJECTED is not used for voice (a rejected voice contact shows as MISSED)';

const unusedCache = new Map<string, ReadonlyMap<ContactState, string>>();

/** States the profile never uses, with the reason. Unknown channels use every state. */
export function unusedStates(profile: ContactProfile): ReadonlyMap<ContactState, string> {
  const key = `${profile.channel}|${profile.initiationMethod}`;
  let cached = unusedCache.get(key);
  if (!cached) {
    // Bounded in practice (channels x methods); a hostile dump could vary them, so cap it.
    if (unusedCache.size > 256) unusedCache.clear();
    unusedCache.set(key, (cached = computeUnused(profile)));
  }
  return cached;
}

function computeUnused(profile: ContactProfile): Map<ContactState, string> {
  const out = new Map<ContactState, string>();
  switch (profile.channel) {
    case 'VOICE':
      out.set('PAUSED', TASK_ONLY);
      out.set('REJECTED', NO_VOICE_REJECT);
      if (profile.initiationMethod !== undefined && NON_CALLBACK_VOICE_METHODS.has(profile.initiationMethod)) {
        out.set('INCOMING', `${CALLBACK_ONLY}; this contact's InitiationMethod is ${profile.initiationMethod}`);
        out.set('PENDING', `${CALLBACK_ONLY}; this contact's InitiationMethod is ${profile.initiationMethod}`);
      }
      break;
    case 'CHAT':
      out.set('PAUSED', TASK_ONLY);
      out.set('INCOMING', `${CALLBACK_ONLY}, which are voice contacts`);
      out.set('PENDING', `${CALLBACK_ONLY}, which are voice contacts`);
      break;
    case 'TASK':
      out.set('INCOMING', `${CALLBACK_ONLY}, which are voice contacts`);
      out.set('PENDING', `${CALLBACK_ONLY}, which are voice contacts`);
      break;
    default:
      break;
  }
  return out;
}

/**
 * How two sightings of one contact relate. `acrossEvents` false: PreviousAgentSnapshot ->
 * CurrentAgentSnapshot of one event, nothing in between. `acrossEvents` true: one event ->
 * a later event of the same agent; events may be missing from the dump in between.
 * `reoffer`: the contact may have left the snapshot and been offered to the agent again in
 * between (the caller rules it out when the agent already had it connected, or when the
 * later state started before the earlier one, and says why in `noReoffer`).
 */
export interface TransitionContext {
  acrossEvents: boolean;
  reoffer: boolean;
  noReoffer?: string;
}

/** Whether a row applies to a contact of this profile. */
function rowApplies(row: TransitionRow, profile: ContactProfile): boolean {
  return !row.initiationMethods || profile.initiationMethod === undefined || row.initiationMethods.includes(profile.initiationMethod);
}

/**
 * Whether `to` can follow `from` with no state in between and no new offer of the contact:
 * a row of the table that applies to the contact. The timeline draws anything else as
 * events missing from the dumps. States outside the table say nothing about missing events.
 */
export function followsDirectly(from: string, to: string, profile: ContactProfile): boolean {
  if (!isContactState(from) || !isContactState(to)) return true;
  return TRANSITIONS.some((r) => r.from === from && r.to === to && !r.afterLeavingSnapshot && rowApplies(r, profile));
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Per set of unused states (unusedStates gives one object per profile): the states reachable
 * by start state, re-offer and InitiationMethod (which decides which rows apply).
 */
const reachCache = new WeakMap<ReadonlyMap<ContactState, string>, Map<string, ReadonlySet<ContactState>>>();

/** Every state reachable from `from` in one or more steps. */
export function reachableFrom(from: ContactState, profile: ContactProfile, reoffer: boolean): ReadonlySet<ContactState> {
  const unused = unusedStates(profile);
  let byStart = reachCache.get(unused);
  if (!byStart) reachCache.set(unused, (byStart = new Map<string, ReadonlySet<ContactState>>()));
  const key = `${reoffer}|${from}|${profile.initiationMethod === undefined ? '' : `=${profile.initiationMethod}`}`;
  let set = byStart.get(key);
  if (set) return set;
  const out = new Set<ContactState>();
  const queue: ContactState[] = [from];
  while (queue.length > 0) {
    const s = queue.pop()!;
    for (const row of TRANSITIONS) {
      if (row.from !== s || unused.has(row.to) || out.has(row.to)) continue;
      if ((row.afterLeavingSnapshot && !reoffer) || !rowApplies(row, profile)) continue;
      out.add(row.to);
      queue.push(row.to);
    }
  }
  set = out;
  if (byStart.size > 256) byStart.clear(); // a hostile dump could vary the InitiationMethod
  byStart.set(key, set);
  return set;
}

/** Whether a contact may be seen in `to` after `from`. Same state is not a transition. */
export function judgeTransition(from: ContactState, to: ContactState, profile: ContactProfile, ctx: TransitionContext): Verdict {
  if (from === to) return { ok: true };
  const unused = unusedStates(profile);
  // The contact being in `from` at all was reported when it got there; do not cascade.
  if (unused.has(from)) return { ok: true };
  const notUsed = unused.get(to);
  if (notUsed) return { ok: false, reason: notUsed };
  const reoffer = ctx.acrossEvents && ctx.reoffer;
  if (reachableFrom(from, profile, reoffer).has(to)) return { ok: true };
  if (from === 'ENDED') return { ok: false, reason: 'ENDED is final: after-contact work ends with the contact leaving the snapshot' };
  if (STATE_DOCS[from].final) {
    return {
      ok: false,
      reason: ctx.acrossEvents
        ? `${from} is final, and this is not a new offer of the contact${ctx.noReoffer ? ` (${ctx.noReoffer})` : ''}`
        : `${from} is final; the contact can only be offered again after it has left the agent's snapshot`,
    };
  }
  return { ok: false, reason: `${to} cannot follow ${from}` };
}
