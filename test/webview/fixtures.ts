// Dumps for the timeline tests, shaped like the AWS data models ("Agent event streams
// data model", Version 2019-05-25; "Contact records data model", format 2017-03-10).
// All values are invented: account 111122223333 and the +1-555-01xx numbers are the usual
// placeholders, every UUID has the obviously fake form 00000000-0000-4000-8000-0000000000xx,
// agent names and queue names are made up. Nothing here comes from a real instance.

const ACCOUNT = '111122223333';
const INSTANCE = `arn:aws:connect:us-east-1:${ACCOUNT}:instance/00000000-0000-4000-8000-000000000001`;

export function fakeId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface AgentDef {
  id: number;
  username: string;
  first: string;
  last: string;
}

export function agentArn(a: AgentDef): string {
  return `${INSTANCE}/agent/${fakeId(a.id)}`;
}

function queueRef(name: string, n: number): { ARN: string; Name: string } {
  return { ARN: `${INSTANCE}/queue/${fakeId(n)}`, Name: name };
}

export interface StatusDef {
  name: string;
  type: 'ROUTABLE' | 'CUSTOM' | 'OFFLINE';
  since: string;
}

export interface EventContact {
  id: string;
  state: string;
  stateStart: string;
  channel?: string;
  method?: string;
  initialId?: string | null;
  queue?: string;
  queueTs?: string | null;
  connectedTs?: string | null;
}

/** Emits one agent's events; each PreviousAgentSnapshot is the previous event's current one. */
export class AgentStream {
  private last: Record<string, unknown> | null = null;
  private seq = 0;
  constructor(
    private readonly agent: AgentDef,
    private readonly eventIdBase: number,
  ) {}

  event(time: string, status: StatusDef, contacts: EventContact[], type = 'STATE_CHANGE'): Record<string, unknown> {
    const current = {
      AgentStatus: {
        ARN: `${INSTANCE}/agent-state/${fakeId(status.type === 'ROUTABLE' ? 0x51 : status.type === 'OFFLINE' ? 0x52 : 0x53)}`,
        Name: status.name,
        StartTimestamp: status.since,
        Type: status.type,
      },
      Configuration: {
        AgentHierarchyGroups: null,
        FirstName: this.agent.first,
        LastName: this.agent.last,
        RoutingProfile: {
          ARN: `${INSTANCE}/routing-profile/${fakeId(0x61)}`,
          Concurrency: [{ AvailableSlots: contacts.length ? 0 : 1, Channel: 'VOICE', MaximumSlots: 1 }],
          DefaultOutboundQueue: { ARN: `${INSTANCE}/queue/${fakeId(0x71)}`, Channels: ['VOICE'], Name: 'BasicQueue' },
          InboundQueues: [{ ARN: `${INSTANCE}/queue/${fakeId(0x71)}`, Channels: ['VOICE', 'CHAT', 'TASK'], Name: 'BasicQueue' }],
          Name: 'Basic Routing Profile',
        },
        Username: this.agent.username,
      },
      Contacts: contacts.map((c) => ({
        Channel: c.channel ?? 'VOICE',
        ConnectedToAgentTimestamp: c.connectedTs ?? null,
        ContactId: c.id,
        InitialContactId: c.initialId ?? null,
        InitiationMethod: c.method ?? 'INBOUND',
        Queue: queueRef(c.queue ?? 'BasicQueue', 0x71),
        QueueTimestamp: c.queueTs ?? null,
        State: c.state,
        StateStartTimestamp: c.stateStart,
      })),
      NextAgentStatus: null,
    };
    const ev = {
      AWSAccountId: ACCOUNT,
      AgentARN: agentArn(this.agent),
      CurrentAgentSnapshot: current,
      EventId: fakeId(this.eventIdBase + this.seq++),
      EventTimestamp: time,
      EventType: type,
      InstanceARN: INSTANCE,
      PreviousAgentSnapshot: this.last,
      Version: '2019-05-25',
    };
    this.last = current;
    return ev;
  }
}

export interface CtrDef {
  id: string;
  channel?: string;
  method: string;
  initialId?: string | null;
  previousId?: string | null;
  nextId?: string | null;
  relatedId?: string | null;
  init: string;
  enqueue?: string | null;
  dequeue?: string | null;
  queueName?: string;
  agent?: {
    def: AgentDef;
    connected?: string | null;
    acwStart?: string | null;
    acwEnd?: string | null;
    holds?: number;
    holdSeconds?: number;
    longestHold?: number;
    pauseSeconds?: number;
  } | null;
  disconnect?: string | null;
  disconnectReason?: string | null;
  transferCompleted?: string | null;
  attributes?: Record<string, string>;
  pauseCount?: number;
  pauseSeconds?: number;
  lastUpdate: string;
}

const seconds = (a?: string | null, b?: string | null): number | null => (a && b ? Math.round((Date.parse(b) - Date.parse(a)) / 1000) : null);

export function contactRecord(d: CtrDef): Record<string, unknown> {
  const a = d.agent;
  const record: Record<string, unknown> = {
    AWSAccountId: ACCOUNT,
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: a
      ? {
          ARN: agentArn(a.def),
          AfterContactWorkDuration: seconds(a.acwStart, a.acwEnd),
          AfterContactWorkEndTimestamp: a.acwEnd ?? null,
          AfterContactWorkStartTimestamp: a.acwStart ?? null,
          AgentInteractionDuration: Math.max(0, (seconds(a.connected, d.disconnect) ?? 0) - (a.holdSeconds ?? 0) - (a.pauseSeconds ?? 0)),
          ConnectedToAgentTimestamp: a.connected ?? null,
          CustomerHoldDuration: a.holdSeconds ?? 0,
          HierarchyGroups: null,
          LongestHoldDuration: a.longestHold ?? a.holdSeconds ?? 0,
          NumberOfHolds: a.holds ?? 0,
          RoutingProfile: { ARN: `${INSTANCE}/routing-profile/${fakeId(0x61)}`, Name: 'Basic Routing Profile' },
          Username: a.def.username,
          ...(a.pauseSeconds !== undefined ? { AgentPauseDuration: a.pauseSeconds } : {}),
        }
      : null,
    AgentConnectionAttempts: a ? 1 : 0,
    Attributes: d.attributes ?? {},
    Channel: d.channel ?? 'VOICE',
    ConnectedToSystemTimestamp: d.init,
    ContactId: d.id,
    CustomerEndpoint: d.channel === 'TASK' ? null : { Address: '+15555550100', Type: 'TELEPHONE_NUMBER' },
    DisconnectReason: d.disconnectReason ?? null,
    DisconnectTimestamp: d.disconnect ?? null,
    InitialContactId: d.initialId ?? null,
    InitiationMethod: d.method,
    InitiationTimestamp: d.init,
    InstanceARN: INSTANCE,
    LastUpdateTimestamp: d.lastUpdate,
    MediaStreams: [{ Type: d.channel === 'TASK' ? 'TASK' : 'AUDIO' }],
    NextContactId: d.nextId ?? null,
    PreviousContactId: d.previousId ?? null,
    Queue:
      d.enqueue !== undefined || d.dequeue !== undefined
        ? {
            ARN: `${INSTANCE}/queue/${fakeId(0x71)}`,
            DequeueTimestamp: d.dequeue ?? null,
            Duration: seconds(d.enqueue, d.dequeue) ?? 0,
            EnqueueTimestamp: d.enqueue ?? null,
            Name: d.queueName ?? 'BasicQueue',
          }
        : null,
    Recording: null,
    Recordings: null,
    SystemEndpoint: d.channel === 'TASK' ? null : { Address: '+15555550199', Type: 'TELEPHONE_NUMBER' },
    Tags: {},
    TransferCompletedTimestamp: d.transferCompleted ?? null,
    TransferredToEndpoint: null,
  };
  if (d.relatedId) record.RelatedContactId = d.relatedId;
  if (d.pauseCount !== undefined) record.TotalPauseCount = d.pauseCount;
  if (d.pauseSeconds !== undefined) record.TotalPauseDurationInSeconds = d.pauseSeconds;
  return record;
}

export const jsonl = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const AVAILABLE = (since: string): StatusDef => ({ name: 'Available', type: 'ROUTABLE', since });

export interface Scenario {
  /** The contact the timeline is asked for. */
  contactId: string;
  /** uri -> JSON Lines text */
  files: Record<string, string>;
}

// ---- three legs: inbound -> queue transfer -> agent transfer -------------------------

export const ALICE: AgentDef = { id: 0xa1, username: 'alice.example', first: 'Alice', last: 'Example' };
export const BOB: AgentDef = { id: 0xb1, username: 'bob.example', first: 'Bob', last: 'Example' };
export const CAROL: AgentDef = { id: 0xc1, username: 'carol.example', first: 'Carol', last: 'Example' };

export const TRANSFER = { A: fakeId(0x1a), B: fakeId(0x1b), C: fakeId(0x1c) };

export function transferChain(): Scenario {
  const { A, B, C } = TRANSFER;
  const T = (hms: string) => `2024-03-14T${hms}.000Z`;
  const ctrs = [
    contactRecord({
      id: A,
      method: 'INBOUND',
      nextId: B,
      init: T('09:00:00'),
      enqueue: T('09:00:20'),
      dequeue: T('09:01:05'),
      agent: { def: ALICE, connected: T('09:01:12'), acwStart: T('09:05:30'), acwEnd: T('09:06:10'), holds: 1, holdSeconds: 40 },
      disconnect: T('09:05:30'),
      disconnectReason: 'AGENT_DISCONNECT',
      transferCompleted: T('09:05:30'),
      lastUpdate: T('09:06:20'),
    }),
    contactRecord({
      id: B,
      method: 'QUEUE_TRANSFER',
      initialId: A,
      previousId: A,
      nextId: C,
      init: T('09:05:28'),
      enqueue: T('09:05:30'),
      dequeue: T('09:07:00'),
      queueName: 'BillingQueue',
      agent: { def: BOB, connected: T('09:07:08'), acwStart: T('09:10:00'), acwEnd: T('09:10:30') },
      disconnect: T('09:10:00'),
      disconnectReason: 'AGENT_DISCONNECT',
      transferCompleted: T('09:10:00'),
      lastUpdate: T('09:10:40'),
    }),
    contactRecord({
      id: C,
      method: 'TRANSFER',
      initialId: A,
      previousId: B,
      init: T('09:09:50'),
      enqueue: T('09:09:52'),
      dequeue: T('09:09:58'),
      queueName: 'carol.example (agent queue)',
      agent: { def: CAROL, connected: T('09:10:02'), acwStart: T('09:14:00'), acwEnd: T('09:15:00') },
      disconnect: T('09:14:00'),
      disconnectReason: 'CUSTOMER_DISCONNECT',
      lastUpdate: T('09:15:10'),
    }),
  ];
  const c = (id: string, state: string, start: string, extra: Partial<EventContact> = {}): EventContact => ({
    id,
    state,
    stateStart: start,
    initialId: id === A ? null : A,
    queueTs: null,
    ...extra,
  });
  const alice = new AgentStream(ALICE, 0x1000);
  const bob = new AgentStream(BOB, 0x2000);
  const carol = new AgentStream(CAROL, 0x3000);
  const av = AVAILABLE(T('08:30:00'));
  const aQ = { queueTs: T('09:00:20') };
  const events = [
    alice.event(T('09:01:05'), av, [c(A, 'CONNECTING', T('09:01:05'), aQ)]),
    alice.event(T('09:01:12'), av, [c(A, 'CONNECTED', T('09:01:12'), { ...aQ, connectedTs: T('09:01:12') })]),
    // On hold: StateStartTimestamp keeps the connected time (documented), the event time is the change.
    alice.event(T('09:03:00'), av, [c(A, 'CONNECTED_ONHOLD', T('09:01:12'), { ...aQ, connectedTs: T('09:01:12') })]),
    alice.event(T('09:03:40'), av, [c(A, 'CONNECTED', T('09:03:40'), { ...aQ, connectedTs: T('09:01:12') })]),
    alice.event(T('09:04:30'), av, [c(A, 'CONNECTED', T('09:03:40'), { ...aQ, connectedTs: T('09:01:12') })], 'HEART_BEAT'),
    alice.event(T('09:05:30'), av, [c(A, 'ENDED', T('09:05:30'), { ...aQ, connectedTs: T('09:01:12') })]),
    alice.event(T('09:06:10'), av, []),
    bob.event(T('09:07:00'), av, [c(B, 'CONNECTING', T('09:07:00'), { method: 'QUEUE_TRANSFER', queue: 'BillingQueue', queueTs: T('09:05:30') })]),
    bob.event(T('09:07:08'), av, [c(B, 'CONNECTED', T('09:07:08'), { method: 'QUEUE_TRANSFER', queue: 'BillingQueue', connectedTs: T('09:07:08') })]),
    bob.event(T('09:10:00'), av, [c(B, 'ENDED', T('09:10:00'), { method: 'QUEUE_TRANSFER', queue: 'BillingQueue', connectedTs: T('09:07:08') })]),
    bob.event(T('09:10:30'), av, []),
    bob.event(T('09:10:45'), { name: 'Lunch', type: 'CUSTOM', since: T('09:10:45') }, []),
    carol.event(T('09:09:58'), av, [c(C, 'CONNECTING', T('09:09:58'), { method: 'TRANSFER' })]),
    carol.event(T('09:10:02'), av, [c(C, 'CONNECTED', T('09:10:02'), { method: 'TRANSFER', connectedTs: T('09:10:02') })]),
    carol.event(T('09:14:00'), av, [c(C, 'ENDED', T('09:14:00'), { method: 'TRANSFER', connectedTs: T('09:10:02') })]),
    carol.event(T('09:15:00'), av, []),
    carol.event(T('09:15:30'), { name: 'Offline', type: 'OFFLINE', since: T('09:15:30') }, [], 'LOGOUT'),
  ];
  // Kinesis gives no order across shards: the dump holds the events shuffled.
  const order = [3, 0, 12, 7, 1, 5, 2, 13, 9, 4, 8, 6, 15, 10, 14, 11, 16];
  return {
    contactId: B,
    files: {
      'file:///dumps/ctr-2024-03-14.jsonl': jsonl(ctrs),
      'file:///dumps/agent-events-2024-03-14.jsonl': jsonl(order.map((i) => events[i])),
    },
  };
}

// ---- queued callback ------------------------------------------------------------------

export const DANA: AgentDef = { id: 0xd1, username: 'dana.example', first: 'Dana', last: 'Example' };
export const CALLBACK = { inbound: fakeId(0x2a), callback: fakeId(0x2b) };

export function queuedCallback(): Scenario {
  const { inbound, callback } = CALLBACK;
  const T = (hms: string) => `2024-03-14T${hms}.000Z`;
  const ctrs = [
    contactRecord({
      id: inbound,
      method: 'INBOUND',
      nextId: callback,
      init: T('10:00:00'),
      enqueue: T('10:00:30'),
      dequeue: T('10:02:00'),
      queueName: 'SupportQueue',
      agent: null,
      disconnect: T('10:02:05'),
      disconnectReason: 'CONTACT_FLOW_DISCONNECT',
      lastUpdate: T('10:02:10'),
    }),
    contactRecord({
      id: callback,
      method: 'CALLBACK',
      initialId: inbound,
      previousId: inbound,
      init: T('10:02:04'),
      enqueue: T('10:02:04'),
      dequeue: T('10:20:00'),
      queueName: 'SupportQueue',
      agent: { def: DANA, connected: T('10:20:25'), acwStart: T('10:26:00'), acwEnd: T('10:27:00'), holds: 1, holdSeconds: 45 },
      disconnect: T('10:26:00'),
      disconnectReason: 'CUSTOMER_DISCONNECT',
      lastUpdate: T('10:27:05'),
    }),
  ];
  const dana = new AgentStream(DANA, 0x4000);
  const av = AVAILABLE(T('09:55:00'));
  const cb = (state: string, start: string, connected: string | null = null): EventContact => ({
    id: callback,
    state,
    stateStart: start,
    method: 'CALLBACK',
    initialId: inbound,
    queue: 'SupportQueue',
    queueTs: T('10:02:04'),
    connectedTs: connected,
  });
  const events = [
    dana.event(T('10:20:00'), av, [cb('INCOMING', T('10:20:00'))]),
    dana.event(T('10:20:05'), av, [cb('CONNECTING', T('10:20:05'))]),
    dana.event(T('10:20:25'), av, [cb('CONNECTED', T('10:20:25'), T('10:20:25'))]),
    dana.event(T('10:26:00'), av, [cb('ENDED', T('10:26:00'), T('10:20:25'))]),
    dana.event(T('10:27:00'), av, []),
  ];
  return {
    contactId: callback,
    files: { 'file:///dumps/callback.jsonl': jsonl([ctrs[0], ...events.slice(0, 2), ctrs[1], ...events.slice(2)]) },
  };
}

// ---- a task with pauses --------------------------------------------------------------

export const ERIN: AgentDef = { id: 0xe1, username: 'erin.example', first: 'Erin', last: 'Example' };
export const TASK = fakeId(0x3a);

export function taskWithPauses(): Scenario {
  const T = (hms: string) => `2024-03-14T${hms}.000Z`;
  const ctr = contactRecord({
    id: TASK,
    channel: 'TASK',
    method: 'API',
    init: T('11:00:00'),
    enqueue: T('11:00:01'),
    dequeue: T('11:00:30'),
    queueName: 'TaskQueue',
    agent: { def: ERIN, connected: T('11:00:35'), acwStart: T('11:30:00'), acwEnd: T('11:31:00'), pauseSeconds: 720 },
    disconnect: T('11:30:00'),
    disconnectReason: 'AGENT_DISCONNECT',
    pauseCount: 2,
    pauseSeconds: 720,
    lastUpdate: T('11:31:10'),
  });
  const erin = new AgentStream(ERIN, 0x5000);
  const av = AVAILABLE(T('10:58:00'));
  const t = (state: string, start: string): EventContact => ({
    id: TASK,
    state,
    stateStart: start,
    channel: 'TASK',
    method: 'API',
    queue: 'TaskQueue',
    queueTs: T('11:00:01'),
    connectedTs: state === 'CONNECTING' ? null : T('11:00:35'),
  });
  const events = [
    erin.event(T('11:00:30'), av, [t('CONNECTING', T('11:00:30'))]),
    erin.event(T('11:00:35'), av, [t('CONNECTED', T('11:00:35'))]),
    erin.event(T('11:05:00'), av, [t('PAUSED', T('11:05:00'))]),
    erin.event(T('11:15:00'), av, [t('CONNECTED', T('11:15:00'))]),
    erin.event(T('11:20:00'), av, [t('PAUSED', T('11:20:00'))]),
    erin.event(T('11:22:00'), av, [t('CONNECTED', T('11:22:00'))]),
    erin.event(T('11:30:00'), av, [t('ENDED', T('11:30:00'))]),
    erin.event(T('11:31:00'), av, []),
  ];
  return { contactId: TASK, files: { 'file:///dumps/task.jsonl': jsonl([ctr, ...events.reverse()]) } };
}

// ---- a contact whose dumps miss pieces ----------------------------------------------

export const FRANK: AgentDef = { id: 0xf1, username: 'frank.example', first: 'Frank', last: 'Example' };
export const MISSING = fakeId(0x4a);

export function missingEvents(): Scenario {
  const T = (hms: string) => `2024-03-14T${hms}.000Z`;
  const ctr = contactRecord({
    id: MISSING,
    method: 'INBOUND',
    init: T('12:00:00'),
    enqueue: T('12:00:10'),
    dequeue: null,
    agent: { def: FRANK, connected: T('12:01:00'), acwStart: T('12:04:00'), acwEnd: null },
    disconnect: T('12:04:00'),
    disconnectReason: 'CUSTOMER_DISCONNECT',
    lastUpdate: T('12:04:05'),
  });
  const frank = new AgentStream(FRANK, 0x6000);
  const av = AVAILABLE(T('11:50:00'));
  const m = (state: string, start: string): EventContact => ({ id: MISSING, state, stateStart: start, queueTs: T('12:00:10') });
  // The CONNECTED event and the event that clears the contact are not in the dump.
  const events = [frank.event(T('12:00:55'), av, [m('CONNECTING', T('12:00:55'))]), frank.event(T('12:04:00'), av, [m('ENDED', T('12:04:00'))])];
  return { contactId: MISSING, files: { 'file:///dumps/partial.jsonl': jsonl([ctr, ...events]) } };
}

// ---- hostile values ------------------------------------------------------------------

export const XSS = '<img src=x onerror=alert(1)>';
export const MALLORY: AgentDef = { id: 0x99, username: XSS, first: XSS, last: '<script>alert(2)</script>' };
export const XSS_CONTACT = fakeId(0x5a);

export function hostileValues(): Scenario {
  const T = (hms: string) => `2024-03-14T${hms}.000Z`;
  const ctr = contactRecord({
    id: XSS_CONTACT,
    method: 'INBOUND',
    init: T('13:00:00'),
    enqueue: T('13:00:05'),
    dequeue: T('13:00:40'),
    queueName: XSS,
    agent: { def: MALLORY, connected: T('13:00:45'), acwStart: T('13:03:00'), acwEnd: T('13:03:30') },
    disconnect: T('13:03:00'),
    disconnectReason: XSS,
    attributes: { note: XSS },
    lastUpdate: T('13:03:40'),
  });
  const mallory = new AgentStream(MALLORY, 0x7000);
  const custom: StatusDef = { name: XSS, type: 'CUSTOM', since: T('12:50:00') };
  const x = (state: string, start: string): EventContact => ({ id: XSS_CONTACT, state, stateStart: start, queue: XSS, queueTs: T('13:00:05') });
  const events = [
    mallory.event(T('13:00:40'), custom, [x('CONNECTING', T('13:00:40'))]),
    mallory.event(T('13:00:45'), custom, [x('CONNECTED', T('13:00:45'))]),
    mallory.event(T('13:03:00'), custom, [x(XSS, T('13:03:00'))]),
    mallory.event(T('13:03:30'), custom, []),
  ];
  return { contactId: XSS_CONTACT, files: { 'file:///dumps/hostile.jsonl': jsonl([ctr, ...events]) } };
}
