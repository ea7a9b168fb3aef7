// Deterministic generator of realistic Amazon Connect dumps for the benchmark: a small
// simulated contact centre (agents, queues, routing profiles) takes voice calls (with holds,
// missed offers, transfer chains, queued callbacks and outbound calls), chats and tasks (with
// pauses), and writes what Connect would export: agent events (Kinesis agent event stream)
// and contact records (CTRs), as JSON Lines, a JSON array, or Firehose (objects back to back).
// Every ID, ARN, name, phone number and bucket is invented (see bench/README.md).
//
//   node --import tsx bench/generate.ts [--sizes 1,10] [--forms jsonl,array,firehose]
//        [--faults 0.001] [--seed 42] [--out bench/out] [--workspace]
import * as fs from 'node:fs';
import * as path from 'node:path';

// Bump when the output changes, so cached files in bench/out are regenerated.
export const GENERATOR_VERSION = 5;

export type Form = 'jsonl' | 'array' | 'firehose';
export const FORMS: readonly Form[] = ['jsonl', 'array', 'firehose'];
export const EXTENSION: Record<Form, string> = { jsonl: '.jsonl', array: '.json', firehose: '.firehose' };

export interface GenerateOptions {
  seed: number;
  /** Share of records that get one fault (0 = clean data, the default; 0.001 = 0.1%). */
  faults: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness: a seeded PRNG so that the same options always give the same bytes.

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: small, fast, good enough for test data. */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Exponentially distributed wait with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  uuid(): string {
    const h = (n: number) =>
      Math.floor(this.next() * 16 ** n)
        .toString(16)
        .padStart(n, '0');
    return `${h(8)}-${h(4)}-4${h(3)}-${(8 + this.int(0, 3)).toString(16)}${h(3)}-${h(6)}${h(6)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The contact centre (all invented).

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HEARTBEAT_MS = 120 * SECOND;
const START = Date.parse('2024-03-12T08:00:00.000Z');

type Channel = 'VOICE' | 'CHAT' | 'TASK';
type State = 'INCOMING' | 'PENDING' | 'CONNECTING' | 'CONNECTED' | 'CONNECTED_ONHOLD' | 'PAUSED' | 'MISSED' | 'ERROR' | 'ENDED' | 'REJECTED';

interface QueueDef {
  arn: string;
  name: string;
  channels: Channel[];
}
interface StatusDef {
  arn: string;
  name: string;
  type: 'ROUTABLE' | 'CUSTOM' | 'OFFLINE';
}
interface ProfileDef {
  arn: string;
  name: string;
  inbound: QueueDef[];
  outbound: QueueDef;
  slots: Record<Channel, number>;
}
interface GroupDef {
  arn: string;
  name: string;
}
interface AgentDef {
  index: number;
  arn: string;
  username: string;
  first: string;
  last: string;
  profile: ProfileDef;
  groups: GroupDef[];
  /** Per channel, when each slot is free again (the simulation's bookkeeping). */
  freeAt: Record<Channel, number[]>;
}

const FIRST = [
  'Ana',
  'Bilal',
  'Chen',
  'Dana',
  'Émile',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'José',
  'Kai',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Søren',
  'Tariq',
  'Uma',
  'Vera',
  'Wen',
  'Xavi',
  'Yuki',
  'Zoë',
];
const LAST = [
  'Alvarez',
  'Brown',
  'Cohen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quispe',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Novak',
  'Weber',
];

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .toLowerCase();
}

class ContactCentre {
  readonly instanceArn: string;
  readonly queues: QueueDef[];
  readonly statuses: { available: StatusDef; offline: StatusDef; breaks: StatusDef[] };
  readonly profiles: ProfileDef[];
  readonly agents: AgentDef[];
  readonly systemNumbers = ['+15555550100', '+15555550101', '+15555550102'];

  constructor(rng: Rng, agentCount = 80) {
    const instanceId = rng.uuid();
    this.instanceArn = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${instanceId}`;
    const arn = (kind: string) => `${this.instanceArn}/${kind}/${rng.uuid()}`;
    const queue = (name: string, channels: Channel[]): QueueDef => ({ arn: arn('queue'), name, channels });
    this.queues = [
      queue('BasicQueue', ['VOICE', 'CHAT', 'TASK']),
      queue('Billing', ['VOICE', 'CHAT']),
      queue('Sales', ['VOICE', 'CHAT']),
      queue('Support', ['VOICE', 'CHAT']),
      queue('Retention', ['VOICE']),
      queue('Callbacks', ['VOICE']),
      queue('Back Office', ['TASK']),
      queue('Outbound', ['VOICE']),
    ];
    const q = (name: string) => this.queues.find((x) => x.name === name)!;
    this.statuses = {
      available: { arn: arn('agent-state'), name: 'Available', type: 'ROUTABLE' },
      offline: { arn: arn('agent-state'), name: 'Offline', type: 'OFFLINE' },
      breaks: ['Break', 'Lunch', 'Training'].map((name) => ({ arn: arn('agent-state'), name, type: 'CUSTOM' as const })),
    };
    this.profiles = [
      {
        arn: arn('routing-profile'),
        name: 'Voice and Chat',
        inbound: [q('BasicQueue'), q('Billing'), q('Sales'), q('Support'), q('Callbacks')],
        outbound: q('Outbound'),
        slots: { VOICE: 1, CHAT: 3, TASK: 0 },
      },
      {
        arn: arn('routing-profile'),
        name: 'Retention Specialists',
        inbound: [q('Retention'), q('Billing'), q('Callbacks'), q('BasicQueue')],
        outbound: q('Outbound'),
        slots: { VOICE: 1, CHAT: 2, TASK: 1 },
      },
      {
        arn: arn('routing-profile'),
        name: 'Back Office Tasks',
        inbound: [q('Back Office'), q('BasicQueue')],
        outbound: q('Outbound'),
        slots: { VOICE: 1, CHAT: 0, TASK: 2 },
      },
    ];
    const level = (names: string[]) => names.map((name) => ({ arn: arn('agent-group'), name }));
    const regions = level(['North America', 'Europe']);
    const sites = level(['Seattle', 'Dallas', 'Dublin', 'Krakow']);
    const teams = level(['Team Alder', 'Team Birch', 'Team Cedar', 'Team Dogwood', 'Team Elm', 'Team Fir']);
    this.agents = [];
    for (let i = 0; i < agentCount; i++) {
      const first = FIRST[i % FIRST.length];
      const last = LAST[(i * 7) % LAST.length];
      const profile = this.profiles[i % 10 < 6 ? 0 : i % 10 < 8 ? 1 : 2];
      const site = sites[i % sites.length];
      this.agents.push({
        index: i,
        arn: arn('agent'),
        username: `${ascii(first)}.${ascii(last)}${i}`,
        first,
        last,
        profile,
        groups: [regions[site === sites[2] || site === sites[3] ? 1 : 0], site, teams[i % teams.length]],
        freeAt: { VOICE: [0], CHAT: [0, 0, 0], TASK: [0, 0] },
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What the simulation decides for one contact (one leg of a chain); records are built from it.

interface Offer {
  agent: AgentDef;
  start: number;
  missedAt?: number;
}

interface Leg {
  contactId: string;
  initialContactId: string | null;
  previousContactId: string | null;
  nextContactId: string | null;
  channel: Channel;
  method: 'INBOUND' | 'OUTBOUND' | 'TRANSFER' | 'CALLBACK' | 'API';
  queue: QueueDef | null;
  initiation: number;
  connectedToSystem: number | null;
  enqueue: number | null;
  dequeue: number | null;
  offers: Offer[];
  /** The agent who took it (the last offer), with the conversation's timing. */
  connected: number | null;
  holds: [number, number][];
  pauses: [number, number][];
  disconnect: number;
  acwEnd: number | null;
  disconnectReason: string;
  transferCompleted: number | null;
  customerNumber: string | null;
  systemNumber: string | null;
  attributes: Record<string, string>;
  /** Queued callbacks show PENDING and INCOMING before CONNECTING. */
  callback: boolean;
}

// One change to an agent, applied in time order when records are written.
type AgentChange =
  { kind: 'login' } | { kind: 'status'; status: StatusDef } | { kind: 'contact'; leg: Leg; state: State } | { kind: 'remove'; contactId: string };

interface Pending {
  t: number;
  seq: number;
  agent?: AgentDef;
  change?: AgentChange;
  ctr?: Leg;
}

interface AgentContactEntry {
  Channel: Channel;
  ConnectedToAgentTimestamp: string | null;
  ContactId: string;
  InitialContactId: string | null;
  InitiationMethod: string;
  Queue: { ARN: string; Name: string } | null;
  QueueTimestamp: string | null;
  State: State;
  StateStartTimestamp: string;
}

interface AgentRuntime {
  loggedIn: boolean;
  status: StatusDef;
  statusStart: number;
  contacts: Map<string, AgentContactEntry>;
  last: number;
}

const iso = (t: number) => new Date(t).toISOString();
/** Contact records carry second-precision timestamps (2019-08-08T17:25:21Z). */
const isoS = (t: number) => new Date(Math.floor(t / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
const seconds = (ms: number) => Math.round(ms / SECOND);

export type RecordKind = 'agentEvent' | 'contactRecord';

export interface GeneratedRecord {
  kind: RecordKind;
  value: Record<string, unknown>;
  /** When a fault was injected, which one (see FAULTS). */
  fault?: FaultKind;
}

export type FaultKind =
  'schema-enum' | 'schema-format' | 'schema-required' | 'link-reciprocal' | 'state-transition' | 'timestamp-order' | 'duplicate-id' | 'json-syntax';
const FAULTS: readonly FaultKind[] = [
  'schema-enum',
  'schema-format',
  'schema-required',
  'link-reciprocal',
  'state-transition',
  'timestamp-order',
  'duplicate-id',
  'json-syntax',
];

/**
 * An endless, time-ordered stream of records from the simulated contact centre. `take()`
 * returns the next batch; `finish()` stops new contacts and returns every record still owed
 * (contacts in progress end, so chains in a dump are complete).
 */
export class DumpGenerator {
  private readonly rng: Rng;
  private readonly cc: ContactCentre;
  private readonly pending: Pending[] = [];
  private readonly runtime: AgentRuntime[];
  private seq = 0;
  private clock = START;
  private loggedInAll = false;
  private lastAgentEvent: Record<string, unknown> | undefined;
  private readonly owed: FaultKind[] = [];
  readonly faultCounts: Partial<Record<FaultKind, number>> = {};

  constructor(private readonly options: GenerateOptions) {
    this.rng = new Rng(options.seed);
    this.cc = new ContactCentre(this.rng);
    this.runtime = this.cc.agents.map(() => ({
      loggedIn: false,
      status: this.cc.statuses.offline,
      statusStart: START - 8 * 3600 * SECOND,
      contacts: new Map(),
      last: START,
    }));
  }

  /** Simulates the next arrivals and returns the records that are now final. */
  take(): GeneratedRecord[] {
    if (!this.loggedInAll) {
      this.loggedInAll = true;
      // Agents log in over the first minutes; their first contacts come after that. The dump
      // starts once everyone is in, as a cut of a running stream does.
      for (const a of this.cc.agents) {
        const t = START + this.rng.int(0, 4 * MINUTE);
        this.push(t, a, { kind: 'login' });
        for (const ch of ['VOICE', 'CHAT', 'TASK'] as const) a.freeAt[ch] = a.freeAt[ch].map(() => t + SECOND);
      }
      this.clock = START + 5 * MINUTE;
      this.flush(this.clock);
    }
    this.scenario();
    return this.flush(this.clock);
  }

  /**
   * Stops new contacts and returns every record still owed: contacts in progress run to
   * their end. Agents stay logged in; an agent's heartbeats stop after its last event, as
   * in a dump cut at that point.
   */
  finish(): GeneratedRecord[] {
    return this.flush(Number.POSITIVE_INFINITY);
  }

  // ------------------------------------------------------------------ simulation

  private push(t: number, agent: AgentDef | undefined, change?: AgentChange, ctr?: Leg): void {
    this.pending.push({ t: Math.round(t), seq: this.seq++, agent, change, ctr });
  }

  /** The agent (on a profile that serves `queue`) who is free first, and when. */
  private pickAgent(queue: QueueDef, channel: Channel, t: number, exclude: ReadonlySet<AgentDef>): { agent: AgentDef; at: number; slot: number } {
    let best: { agent: AgentDef; at: number; slot: number } | undefined;
    const start = this.rng.int(0, this.cc.agents.length - 1);
    for (let k = 0; k < this.cc.agents.length; k++) {
      const a = this.cc.agents[(start + k) % this.cc.agents.length];
      if (exclude.has(a) || a.profile.slots[channel] === 0) continue;
      if (queue.name !== 'Outbound' && !a.profile.inbound.includes(queue)) continue;
      const slots = a.freeAt[channel];
      for (let s = 0; s < a.profile.slots[channel]; s++) {
        const at = Math.max(t, slots[s]);
        if (!best || at < best.at) best = { agent: a, at, slot: s };
      }
      if (best && best.at === t) break;
    }
    return best!;
  }

  private newLeg(partial: Partial<Leg> & Pick<Leg, 'channel' | 'method' | 'initiation'>): Leg {
    const contactId = this.rng.uuid();
    return {
      contactId,
      initialContactId: null,
      previousContactId: null,
      nextContactId: null,
      queue: null,
      connectedToSystem: partial.initiation,
      enqueue: null,
      dequeue: null,
      offers: [],
      connected: null,
      holds: [],
      pauses: [],
      disconnect: partial.initiation,
      acwEnd: null,
      disconnectReason: 'CUSTOMER_DISCONNECT',
      transferCompleted: null,
      customerNumber: null,
      systemNumber: null,
      attributes: {},
      callback: false,
      ...partial,
    };
  }

  private customerNumber(): string {
    // 555-01xx numbers are reserved for fiction.
    return `+1${this.rng.pick(['206', '214', '312', '415', '617'])}55501${String(this.rng.int(0, 99)).padStart(2, '0')}`;
  }

  private attributes(channel: Channel): Record<string, string> {
    const attrs: Record<string, string> = {
      intent: this.rng.pick(['billing', 'cancel', 'upgrade', 'outage', 'password-reset', 'order-status']),
      customerTier: this.rng.pick(['gold', 'silver', 'bronze']),
      language: this.rng.pick(['en-US', 'en-US', 'en-US', 'es-US', 'fr-CA']),
    };
    if (channel !== 'TASK' && this.rng.chance(0.5)) attrs.accountNumber = `ACCT-${String(this.rng.int(0, 999999)).padStart(6, '0')}`;
    if (this.rng.chance(0.1)) attrs.customerName = `${this.rng.pick(FIRST)} ${this.rng.pick(LAST)}`;
    return attrs;
  }

  /**
   * Routes `leg` from its queue to an agent (maybe after a missed offer), runs the
   * conversation, and books the agent. Returns when the agent's part of the leg ends.
   */
  private handle(
    leg: Leg,
    queue: QueueDef,
    readyAt: number,
    opts: { holds?: number; pauses?: number; talkMean: number; transferAt?: boolean; missChance?: number },
  ): void {
    leg.queue = queue;
    leg.enqueue = readyAt;
    const tried = new Set<AgentDef>();
    let t = readyAt + this.rng.int(2, 40) * SECOND;
    for (;;) {
      const { agent, at, slot } = this.pickAgent(queue, leg.channel, t, tried);
      const offer: Offer = { agent, start: at };
      leg.offers.push(offer);
      tried.add(agent);
      const ring = this.rng.int(2, 12) * SECOND + (leg.callback ? 4 * SECOND : 0);
      if (tried.size < 3 && this.rng.chance(opts.missChance ?? 0.06)) {
        // The agent lets it ring out: MISSED, then the contact goes back to the queue.
        offer.missedAt = at + 20 * SECOND;
        agent.freeAt[leg.channel][slot] = offer.missedAt + 10 * SECOND;
        t = offer.missedAt + this.rng.int(5, 30) * SECOND;
        continue;
      }
      leg.dequeue = at;
      leg.connected = at + ring;
      let cursor = leg.connected;
      const talk = () => Math.max(20 * SECOND, this.rng.exp(opts.talkMean));
      cursor += talk() / 2;
      for (let h = 0; h < (opts.holds ?? 0); h++) {
        const end = cursor + this.rng.int(10, 120) * SECOND;
        leg.holds.push([cursor, end]);
        cursor = end + talk() / 3;
      }
      for (let p = 0; p < (opts.pauses ?? 0); p++) {
        const end = cursor + this.rng.int(1, 10) * MINUTE;
        leg.pauses.push([cursor, end]);
        cursor = end + talk() / 3;
      }
      cursor += talk() / 2;
      leg.disconnect = Math.round(cursor);
      leg.acwEnd = leg.disconnect + this.rng.int(5, 150) * SECOND;
      agent.freeAt[leg.channel][slot] = leg.acwEnd + SECOND;
      if (leg.channel === 'VOICE') for (const ch of ['CHAT', 'TASK'] as const) agent.freeAt[ch] = agent.freeAt[ch].map((f) => Math.max(f, leg.disconnect));
      return;
    }
  }

  /** One arrival: a contact (or a chain of contacts) of a random kind. */
  private scenario(): void {
    this.clock += this.rng.exp(4.5 * SECOND);
    const t = this.clock;
    const r = this.rng.next();
    const inboundQueues = this.cc.queues.filter((q) => q.channels.includes('VOICE') && q.name !== 'Outbound' && q.name !== 'Callbacks');
    const chatQueues = this.cc.queues.filter((q) => q.channels.includes('CHAT'));
    const q = (name: string) => this.cc.queues.find((x) => x.name === name)!;

    if (r < 0.4) {
      // Inbound call, sometimes with holds, sometimes missed by a first agent.
      const leg = this.inboundVoice(t);
      this.handle(leg, this.rng.pick(inboundQueues), leg.connectedToSystem! + this.rng.int(20, 90) * SECOND, { holds: this.holdCount(), talkMean: 4 * MINUTE });
      this.book([leg]);
    } else if (r < 0.52) {
      // Transfer chain: agent A transfers to another queue (and sometimes once more).
      const first = this.inboundVoice(t);
      this.handle(first, this.rng.pick(inboundQueues), first.connectedToSystem! + this.rng.int(20, 90) * SECOND, {
        holds: this.holdCount(),
        talkMean: 2 * MINUTE,
      });
      const legs = [first];
      const hops = this.rng.chance(0.25) ? 2 : 1;
      for (let h = 0; h < hops; h++) {
        const prev = legs[legs.length - 1];
        const next = this.newLeg({
          channel: 'VOICE',
          method: 'TRANSFER',
          initiation: prev.disconnect,
          customerNumber: prev.customerNumber,
          systemNumber: prev.systemNumber,
        });
        next.initialContactId = first.contactId;
        next.previousContactId = prev.contactId;
        next.attributes = { ...first.attributes, transferredFrom: prev.queue!.name };
        prev.nextContactId = next.contactId;
        prev.transferCompleted = prev.disconnect;
        prev.disconnectReason = 'AGENT_DISCONNECT';
        const target = this.rng.pick(inboundQueues.filter((x) => x !== prev.queue));
        this.handle(next, target, next.initiation + 2 * SECOND, { holds: this.holdCount(), talkMean: 3 * MINUTE });
        legs.push(next);
      }
      this.book(legs);
    } else if (r < 0.6) {
      // Queued callback: the caller leaves the queue; Connect calls back later from the callback queue.
      const first = this.inboundVoice(t);
      first.queue = this.rng.pick(inboundQueues);
      first.enqueue = first.connectedToSystem! + this.rng.int(20, 60) * SECOND;
      first.dequeue = first.enqueue + this.rng.int(30, 300) * SECOND;
      first.disconnect = first.dequeue + this.rng.int(10, 30) * SECOND;
      first.disconnectReason = 'CONTACT_FLOW_DISCONNECT';
      const cb = this.newLeg({
        channel: 'VOICE',
        method: 'CALLBACK',
        initiation: first.disconnect,
        customerNumber: first.customerNumber,
        systemNumber: first.systemNumber,
        callback: true,
      });
      cb.initialContactId = first.contactId;
      cb.previousContactId = first.contactId;
      cb.attributes = { ...first.attributes, callbackRequested: 'true' };
      first.nextContactId = cb.contactId;
      this.handle(cb, q('Callbacks'), cb.initiation + SECOND, { holds: this.holdCount(), talkMean: 4 * MINUTE, missChance: 0.02 });
      cb.disconnectReason = 'AGENT_DISCONNECT';
      this.book([first, cb]);
    } else if (r < 0.68) {
      // Outbound call placed by an agent from their profile's outbound queue.
      const leg = this.newLeg({
        channel: 'VOICE',
        method: 'OUTBOUND',
        initiation: t,
        customerNumber: this.customerNumber(),
        systemNumber: this.rng.pick(this.cc.systemNumbers),
      });
      leg.attributes = this.attributes('VOICE');
      const { agent, at, slot } = this.pickAgent(q('Outbound'), 'VOICE', t, new Set());
      leg.initiation = at;
      leg.connectedToSystem = at;
      leg.queue = agent.profile.outbound;
      leg.offers.push({ agent, start: at });
      leg.connected = at + this.rng.int(8, 25) * SECOND;
      leg.disconnect = leg.connected + Math.round(Math.max(20 * SECOND, this.rng.exp(3 * MINUTE)));
      leg.acwEnd = leg.disconnect + this.rng.int(5, 90) * SECOND;
      leg.disconnectReason = this.rng.chance(0.5) ? 'AGENT_DISCONNECT' : 'CUSTOMER_DISCONNECT';
      agent.freeAt.VOICE[slot] = leg.acwEnd + SECOND;
      this.book([leg]);
    } else if (r < 0.86) {
      // Chat started from a web widget (StartChatContact).
      const leg = this.newLeg({ channel: 'CHAT', method: 'API', initiation: t });
      leg.attributes = this.attributes('CHAT');
      this.handle(leg, this.rng.pick(chatQueues), t + this.rng.int(5, 30) * SECOND, { talkMean: 8 * MINUTE });
      leg.disconnectReason = this.rng.chance(0.6) ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT';
      this.book([leg]);
    } else {
      // Task created by an integration, paused while the agent waits on someone else.
      const leg = this.newLeg({ channel: 'TASK', method: 'API', initiation: t });
      leg.attributes = { ...this.attributes('TASK'), ticket: `TICKET-${this.rng.int(10000, 99999)}` };
      this.handle(leg, this.rng.chance(0.7) ? q('Back Office') : q('BasicQueue'), t + SECOND, {
        pauses: this.rng.int(0, 2),
        talkMean: 6 * MINUTE,
        missChance: 0.02,
      });
      leg.disconnectReason = 'AGENT_COMPLETED';
      this.book([leg]);
    }
    // Now and then an agent who is free takes a break (a status change, no contacts).
    if (this.rng.chance(0.03)) this.takeBreak(t);
  }

  private holdCount(): number {
    const r = this.rng.next();
    return r < 0.7 ? 0 : r < 0.9 ? 1 : r < 0.97 ? 2 : 3;
  }

  private inboundVoice(t: number): Leg {
    const leg = this.newLeg({
      channel: 'VOICE',
      method: 'INBOUND',
      initiation: t,
      customerNumber: this.customerNumber(),
      systemNumber: this.rng.pick(this.cc.systemNumbers),
    });
    leg.connectedToSystem = t + this.rng.int(0, 2) * SECOND;
    leg.attributes = this.attributes('VOICE');
    return leg;
  }

  private takeBreak(t: number): void {
    const agent = this.rng.pick(this.cc.agents);
    const all = [...agent.freeAt.VOICE, ...agent.freeAt.CHAT, ...agent.freeAt.TASK];
    if (all.some((f) => f > t)) return;
    const end = t + this.rng.int(5, 30) * MINUTE;
    this.push(t, agent, { kind: 'status', status: this.rng.pick(this.cc.statuses.breaks) });
    this.push(end, agent, { kind: 'status', status: this.cc.statuses.available });
    for (const ch of ['VOICE', 'CHAT', 'TASK'] as const) agent.freeAt[ch] = agent.freeAt[ch].map(() => end + SECOND);
  }

  /** Schedules the agent events and contact records of a finished chain of legs. */
  private book(legs: Leg[]): void {
    for (const leg of legs) {
      for (const offer of leg.offers) {
        const a = offer.agent;
        let t = offer.start;
        if (leg.callback) {
          this.push(t, a, { kind: 'contact', leg, state: 'PENDING' });
          t += SECOND;
          this.push(t, a, { kind: 'contact', leg, state: 'INCOMING' });
          t += 2 * SECOND;
        }
        this.push(t, a, { kind: 'contact', leg, state: 'CONNECTING' });
        if (offer.missedAt !== undefined) {
          this.push(offer.missedAt, a, { kind: 'contact', leg, state: 'MISSED' });
          this.push(offer.missedAt + 5 * SECOND, a, { kind: 'remove', contactId: leg.contactId });
          continue;
        }
        this.push(leg.connected!, a, { kind: 'contact', leg, state: 'CONNECTED' });
        for (const [s, e] of leg.holds) {
          this.push(s, a, { kind: 'contact', leg, state: 'CONNECTED_ONHOLD' });
          this.push(e, a, { kind: 'contact', leg, state: 'CONNECTED' });
        }
        for (const [s, e] of leg.pauses) {
          this.push(s, a, { kind: 'contact', leg, state: 'PAUSED' });
          this.push(e, a, { kind: 'contact', leg, state: 'CONNECTED' });
        }
        this.push(leg.disconnect, a, { kind: 'contact', leg, state: 'ENDED' });
        this.push(leg.acwEnd!, a, { kind: 'remove', contactId: leg.contactId });
      }
      this.push(Math.max(leg.disconnect, leg.acwEnd ?? 0) + this.rng.int(2, 40) * SECOND, undefined, undefined, leg);
    }
  }

  // ------------------------------------------------------------------ records, in time order

  /** Emits, in time order, everything scheduled up to `until` (plus heartbeats between). */
  private flush(until: number): GeneratedRecord[] {
    this.pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
    let n = 0;
    while (n < this.pending.length && this.pending[n].t <= until) n++;
    const due = this.pending.splice(0, n);
    const out: GeneratedRecord[] = [];
    const horizon = Number.isFinite(until) ? until : due.length ? due[due.length - 1].t : 0;
    // While finishing, an agent with nothing more to do gets no more heartbeats.
    const lastDue = new Map<AgentDef, number>();
    if (!Number.isFinite(until)) for (const p of due) if (p.agent) lastDue.set(p.agent, p.t);
    let i = 0;
    for (;;) {
      const nextT = i < due.length ? due[i].t : horizon;
      // Heartbeats: an agent with no event for 120 s gets one (they stop at the horizon).
      for (;;) {
        let who = -1;
        let when = Number.POSITIVE_INFINITY;
        for (let k = 0; k < this.runtime.length; k++) {
          const rt = this.runtime[k];
          const beat = rt.last + HEARTBEAT_MS;
          if (!rt.loggedIn || beat >= when) continue;
          if (!Number.isFinite(until) && !(beat < (lastDue.get(this.cc.agents[k]) ?? 0))) continue;
          when = beat;
          who = k;
        }
        if (who < 0 || when > nextT) break;
        out.push(this.agentEvent(this.cc.agents[who], when, 'HEART_BEAT', undefined));
      }
      if (i >= due.length) break;
      const p = due[i++];
      if (p.ctr) out.push(this.faulty({ kind: 'contactRecord', value: this.contactRecord(p.ctr) }));
      else if (p.agent && p.change) {
        const type = p.change.kind === 'login' ? 'LOGIN' : 'STATE_CHANGE';
        out.push(this.faulty({ kind: 'agentEvent', value: this.agentEvent(p.agent, p.t, type, p.change).value }));
      }
    }
    return out;
  }

  private snapshot(agent: AgentDef, rt: AgentRuntime): Record<string, unknown> {
    const p = agent.profile;
    const queueRef = (q: QueueDef) => ({ ARN: q.arn, Channels: q.channels, Name: q.name });
    const contacts = [...rt.contacts.values()].map((c) => ({ ...c }));
    const used = (ch: Channel) => contacts.filter((c) => c.Channel === ch).length;
    const group = (g: GroupDef) => ({ ARN: g.arn, Name: g.name });
    return {
      AgentStatus: { ARN: rt.status.arn, Name: rt.status.name, StartTimestamp: iso(rt.statusStart), Type: rt.status.type },
      Configuration: {
        AgentHierarchyGroups: { Level1: group(agent.groups[0]), Level2: group(agent.groups[1]), Level3: group(agent.groups[2]), Level4: null, Level5: null },
        AutoAccept: false,
        FirstName: agent.first,
        LanguageCode: 'en_US',
        LastName: agent.last,
        RoutingProfile: {
          ARN: p.arn,
          Concurrency: (['VOICE', 'CHAT', 'TASK'] as const)
            .filter((ch) => p.slots[ch] > 0)
            .map((ch) => ({ AvailableSlots: Math.max(0, p.slots[ch] - used(ch)), Channel: ch, MaximumSlots: p.slots[ch] })),
          DefaultOutboundQueue: queueRef(p.outbound),
          InboundQueues: p.inbound.map(queueRef),
          Name: p.name,
        },
        SipAddress: null,
        Username: agent.username,
      },
      Contacts: contacts,
    };
  }

  private agentEvent(agent: AgentDef, t: number, type: 'LOGIN' | 'STATE_CHANGE' | 'HEART_BEAT', change: AgentChange | undefined): GeneratedRecord {
    const rt = this.runtime[agent.index];
    const previous = this.snapshot(agent, rt);
    if (change) this.apply(agent, rt, t, change);
    rt.last = t;
    const value: Record<string, unknown> = {
      AWSAccountId: ACCOUNT,
      AgentARN: agent.arn,
      CurrentAgentSnapshot: type === 'HEART_BEAT' ? previous : this.snapshot(agent, rt),
      EventId: this.rng.uuid(),
      EventTimestamp: iso(t),
      EventType: type,
      InstanceARN: this.cc.instanceArn,
      PreviousAgentSnapshot: previous,
      Version: '2019-05-25',
    };
    return { kind: 'agentEvent', value };
  }

  private apply(agent: AgentDef, rt: AgentRuntime, t: number, change: AgentChange): void {
    switch (change.kind) {
      case 'login':
        rt.loggedIn = true;
        rt.status = this.cc.statuses.available;
        rt.statusStart = t;
        break;
      case 'status':
        rt.status = change.status;
        rt.statusStart = t;
        break;
      case 'remove':
        rt.contacts.delete(change.contactId);
        break;
      case 'contact': {
        const leg = change.leg;
        const prior = rt.contacts.get(leg.contactId);
        rt.contacts.set(leg.contactId, {
          Channel: leg.channel,
          ConnectedToAgentTimestamp: change.state === 'CONNECTED' || prior?.ConnectedToAgentTimestamp ? iso(leg.connected!) : null,
          ContactId: leg.contactId,
          InitialContactId: leg.initialContactId,
          InitiationMethod: leg.method,
          Queue: leg.queue ? { ARN: leg.queue.arn, Name: leg.queue.name } : null,
          QueueTimestamp: leg.enqueue !== null && leg.method !== 'OUTBOUND' ? iso(leg.enqueue) : null,
          State: change.state,
          StateStartTimestamp: iso(t),
        });
        break;
      }
    }
  }

  private contactRecord(leg: Leg): Record<string, unknown> {
    const last = leg.offers[leg.offers.length - 1];
    const agent = leg.connected !== null && last ? last.agent : undefined;
    const holdMs = leg.holds.reduce((s, [a, b]) => s + b - a, 0);
    const pauseMs = leg.pauses.reduce((s, [a, b]) => s + b - a, 0);
    const ts = (t: number | null) => (t === null ? null : isoS(t));
    const lastUpdate = Math.max(leg.disconnect, leg.acwEnd ?? 0) + 2 * SECOND;
    const group = (g: GroupDef) => ({ ARN: g.arn, GroupName: g.name });
    const endpoint = (address: string | null) => (address ? { Address: address, Type: 'TELEPHONE_NUMBER' } : null);
    const day = isoS(leg.initiation).slice(0, 10).replace(/-/g, '/');
    const recorded = leg.channel === 'VOICE' && agent !== undefined;
    const transcript = leg.channel === 'CHAT' && agent !== undefined;
    const record: Record<string, unknown> = {
      AWSAccountId: ACCOUNT,
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      Agent: agent
        ? {
            ARN: agent.arn,
            AfterContactWorkDuration: seconds(leg.acwEnd! - leg.disconnect),
            AfterContactWorkEndTimestamp: ts(leg.acwEnd),
            AfterContactWorkStartTimestamp: ts(leg.disconnect),
            AgentInteractionDuration: seconds(leg.disconnect - leg.connected! - holdMs - pauseMs),
            ...(leg.channel === 'TASK' ? { AgentPauseDuration: seconds(pauseMs) } : {}),
            ConnectedToAgentTimestamp: ts(leg.connected),
            CustomerHoldDuration: seconds(holdMs),
            HierarchyGroups: { Level1: group(agent.groups[0]), Level2: group(agent.groups[1]), Level3: group(agent.groups[2]), Level4: null, Level5: null },
            LongestHoldDuration: seconds(leg.holds.reduce((m, [a, b]) => Math.max(m, b - a), 0)),
            NumberOfHolds: leg.holds.length,
            RoutingProfile: { ARN: agent.profile.arn, Name: agent.profile.name },
            Username: agent.username,
          }
        : null,
      AgentConnectionAttempts: leg.offers.length,
      Attributes: leg.attributes,
      Channel: leg.channel,
      ConnectedToSystemTimestamp: ts(leg.connectedToSystem),
      ContactId: leg.contactId,
      CustomerEndpoint: endpoint(leg.customerNumber),
      DisconnectReason: leg.disconnectReason,
      DisconnectTimestamp: ts(leg.disconnect),
      InitialContactId: leg.initialContactId,
      InitiationMethod: leg.method,
      InitiationTimestamp: ts(leg.initiation),
      InstanceARN: this.cc.instanceArn,
      LastUpdateTimestamp: ts(lastUpdate),
      MediaStreams: [{ Type: leg.channel === 'VOICE' ? 'AUDIO' : 'CHAT' }],
      NextContactId: leg.nextContactId,
      PreviousContactId: leg.previousContactId,
      Queue: leg.queue
        ? {
            ARN: leg.queue.arn,
            DequeueTimestamp: leg.method === 'OUTBOUND' ? null : ts(leg.dequeue),
            Duration: leg.method === 'OUTBOUND' || leg.enqueue === null || leg.dequeue === null ? 0 : seconds(leg.dequeue - leg.enqueue),
            EnqueueTimestamp: leg.method === 'OUTBOUND' ? null : ts(leg.enqueue),
            Name: leg.queue.name,
          }
        : null,
      Recording: recorded
        ? {
            DeletionReason: null,
            Location: `amzn-s3-demo-bucket/connect/example/CallRecordings/${day}/${leg.contactId}_${isoS(leg.connected!).replace(/[-:]/g, '').slice(0, 13)}_UTC.wav`,
            Status: 'AVAILABLE',
            Type: 'AUDIO',
          }
        : null,
      Recordings:
        recorded || transcript
          ? [
              {
                DeletionReason: null,
                FragmentStartNumber: null,
                FragmentStopNumber: null,
                Location: recorded
                  ? `amzn-s3-demo-bucket/connect/example/CallRecordings/${day}/${leg.contactId}_${isoS(leg.connected!).replace(/[-:]/g, '').slice(0, 13)}_UTC.wav`
                  : `amzn-s3-demo-bucket/connect/example/ChatTranscripts/${day}/${leg.contactId}_${isoS(leg.connected!).replace(/[-:]/g, '').slice(0, 13)}_UTC.json`,
                MediaStreamType: recorded ? 'AUDIO' : 'CHAT',
                ParticipantType: 'AGENT',
                StartTimestamp: ts(leg.connected),
                Status: 'AVAILABLE',
                StopTimestamp: ts(leg.disconnect),
                StorageType: 'S3',
              },
            ]
          : null,
      SystemEndpoint: endpoint(leg.systemNumber),
      TransferCompletedTimestamp: ts(leg.transferCompleted),
      TransferredToEndpoint: null,
    };
    if (leg.channel === 'TASK') {
      record.LastPausedTimestamp = leg.pauses.length ? ts(leg.pauses[leg.pauses.length - 1][0]) : null;
      record.LastResumedTimestamp = leg.pauses.length ? ts(leg.pauses[leg.pauses.length - 1][1]) : null;
      record.References = [{ Name: 'Ticket', Type: 'URL', Value: `https://tickets.example.com/${leg.attributes.ticket}` }];
      record.TotalPauseCount = leg.pauses.length;
      record.TotalPauseDurationInSeconds = seconds(pauseMs);
    }
    return record;
  }

  // ------------------------------------------------------------------ faults (off by default)

  private faulty(rec: GeneratedRecord): GeneratedRecord {
    const previousEvent = this.lastAgentEvent;
    if (rec.kind === 'agentEvent') this.lastAgentEvent = rec.value;
    if (this.options.faults > 0 && this.rng.chance(this.options.faults)) this.owed.push(this.rng.pick(FAULTS));
    // A fault that does not fit this record (a broken link needs a linked contact record)
    // waits for the next record it fits.
    for (let k = 0; k < this.owed.length; k++) {
      const faulted = this.inject(rec, this.owed[k], previousEvent);
      if (faulted) {
        this.faultCounts[this.owed[k]] = (this.faultCounts[this.owed[k]] ?? 0) + 1;
        this.owed.splice(k, 1);
        return faulted;
      }
    }
    return rec;
  }

  private inject(rec: GeneratedRecord, kind: FaultKind, previousEvent: Record<string, unknown> | undefined): GeneratedRecord | undefined {
    const v = JSON.parse(JSON.stringify(rec.value)) as Record<string, any>;
    let applied = true;
    switch (kind) {
      case 'schema-enum':
        if (rec.kind === 'agentEvent') v.EventType = 'STATE CHANGE';
        else v.Channel = 'PHONE';
        break;
      case 'schema-format':
        if (rec.kind === 'agentEvent') v.EventTimestamp = v.EventTimestamp.replace('T', ' ').replace('Z', '');
        else v.InitiationTimestamp = '12/03/2024 08:15:00';
        break;
      case 'schema-required':
        if (rec.kind === 'agentEvent') delete v.EventId;
        else delete v.InitiationTimestamp;
        break;
      case 'link-reciprocal':
        // The transferring leg forgets its next contact, which a TRANSFER leg still names as previous:
        // a record rewritten after the transfer must name it (naming another contact is allowed).
        if (rec.kind === 'contactRecord' && v.NextContactId) v.NextContactId = null;
        else applied = false;
        break;
      case 'state-transition': {
        // A contact the agent finished (ENDED, removed in this event) comes back CONNECTED:
        // ENDED is final, so ENDED -> CONNECTED is illegal whatever events are missing.
        const gone = (v.PreviousAgentSnapshot?.Contacts ?? []).find(
          (p: { ContactId: string; State: string }) =>
            p.State === 'ENDED' && !(v.CurrentAgentSnapshot?.Contacts ?? []).some((c: { ContactId: string }) => c.ContactId === p.ContactId),
        );
        if (rec.kind === 'agentEvent' && v.EventType === 'STATE_CHANGE' && gone) {
          v.CurrentAgentSnapshot.Contacts.push({ ...gone, State: 'CONNECTED', StateStartTimestamp: v.EventTimestamp });
        } else applied = false;
        break;
      }
      case 'timestamp-order':
        if (rec.kind === 'contactRecord')
          v.DisconnectTimestamp = v.InitiationTimestamp.replace(/T(\d\d)/, (_: string, h: string) => `T${String((Number(h) + 23) % 24).padStart(2, '0')}`);
        else applied = false;
        break;
      case 'duplicate-id':
        if (rec.kind === 'agentEvent' && previousEvent) {
          v.EventId = previousEvent.EventId;
        } else applied = false;
        break;
      case 'json-syntax':
        // Applied by the writer: the record's text is cut short (JSON Lines and Firehose only).
        break;
    }
    return applied ? { kind: rec.kind, value: v, fault: kind } : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing dumps.

export interface DumpFile {
  path: string;
  form: Form;
  bytes: number;
  records: number;
  agentEvents: number;
  contactRecords: number;
  /** Record lengths in UTF-16 code units as written (Firehose only: where one record ends and the next begins). */
  lengths?: number[];
  faults: Partial<Record<FaultKind, number>>;
}

/** Serializes one record as it appears in a dump of the given form. */
function serialize(rec: GeneratedRecord, form: Form): string {
  if (form === 'array') {
    const pretty = JSON.stringify(rec.value, null, 2);
    return '  ' + pretty.replace(/\n/g, '\n  ');
  }
  let text = JSON.stringify(rec.value);
  if (rec.fault === 'json-syntax') text = text.slice(0, Math.floor(text.length / 2));
  return text;
}

/**
 * Runs a fresh generator, handing each record's text to `sink`, until `stopAt` characters
 * were produced; then lets the contacts in progress finish. Returns the characters produced.
 */
function produce(form: Form, stopAt: number, options: GenerateOptions, sink: (rec: GeneratedRecord, text: string, first: boolean) => void): number {
  const gen = new DumpGenerator(options);
  let chars = 0;
  let first = true;
  const emit = (batch: GeneratedRecord[]) => {
    for (const rec of batch) {
      if (rec.fault === 'json-syntax' && form === 'array') continue; // a cut element would swallow the rest of the array
      const text = serialize(rec, form);
      chars += text.length + 2;
      sink(rec, text, first);
      first = false;
    }
  };
  while (chars < stopAt) emit(gen.take());
  emit(gen.finish());
  return chars;
}

/**
 * Writes a dump of about `targetBytes`. JSON arrays are pretty-printed (2 spaces), as tools
 * that export arrays write them; JSON Lines and Firehose are compact. The records owed when
 * generation stops (contacts in progress) make the dump longer than where it stopped, so a
 * dry run or two finds where to stop.
 */
export function writeDump(file: string, form: Form, targetBytes: number, options: GenerateOptions): DumpFile {
  // Produced size grows with where generation stops: correct once, then bisect.
  let best = { stopAt: targetBytes, error: Number.POSITIVE_INFINITY };
  let lo = 0,
    hi = Number.POSITIVE_INFINITY;
  let stopAt = targetBytes;
  for (let round = 0; round < 8; round++) {
    const total = produce(form, stopAt, options, () => {});
    const error = Math.abs(total - targetBytes);
    if (error < best.error) best = { stopAt, error };
    if (error < targetBytes * 0.02) break;
    if (total > targetBytes) hi = Math.min(hi, stopAt);
    else lo = Math.max(lo, stopAt);
    const guess = stopAt - (total - targetBytes);
    stopAt = guess > lo && guess < hi ? guess : Number.isFinite(hi) ? (lo + hi) / 2 : lo * 2;
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const lengths: number[] = [];
  let records = 0,
    agentEvents = 0,
    contactRecords = 0;
  let chunk: string[] = [];
  let chunkLen = 0;
  const write = (s: string) => {
    chunk.push(s);
    chunkLen += s.length;
    if (chunkLen > 1 << 20) {
      fs.writeSync(fd, chunk.join(''));
      chunk = [];
      chunkLen = 0;
    }
  };
  const faults: Partial<Record<FaultKind, number>> = {};
  produce(form, best.stopAt, options, (rec, text, first) => {
    if (rec.fault) faults[rec.fault] = (faults[rec.fault] ?? 0) + 1;
    if (form === 'array') write(first ? '[\n' + text : ',\n' + text);
    else if (form === 'jsonl') write(text + '\n');
    else {
      write(text);
      lengths.push(text.length);
    }
    records++;
    if (rec.kind === 'agentEvent') agentEvents++;
    else contactRecords++;
  });
  if (form === 'array') write(records === 0 ? '[]\n' : '\n]\n');
  if (chunk.length) fs.writeSync(fd, chunk.join(''));
  fs.closeSync(fd);
  const bytes = fs.statSync(file).size;
  return { path: file, form, bytes, records, agentEvents, contactRecords, faults, ...(form === 'firehose' ? { lengths } : {}) };
}

export interface WorkspaceManifest {
  root: string;
  files: { path: string; bytes: number; records: number }[];
  bytes: number;
}

/**
 * A workspace like an S3 export synced to disk: one simulated stream split into files of
 * about `fileBytes`, agent events under agent-events/ and contact records under ctr/, so
 * contact chains and agent events span files (what the workspace index is for).
 */
export function writeWorkspace(root: string, fileCount: number, fileBytes: number, options: GenerateOptions): WorkspaceManifest {
  fs.rmSync(root, { recursive: true, force: true });
  const gen = new DumpGenerator(options);
  const files: WorkspaceManifest['files'] = [];
  const forms: Form[] = ['firehose', 'jsonl', 'array'];
  interface Open {
    kind: RecordKind;
    form: Form;
    parts: string[];
    len: number;
    records: number;
  }
  const open: Record<RecordKind, Open | undefined> = { agentEvent: undefined, contactRecord: undefined };
  let made = 0;
  const close = (o: Open) => {
    const dir = o.kind === 'agentEvent' ? 'agent-events' : 'ctr';
    const hour = String(8 + Math.floor(made / 10)).padStart(2, '0');
    const name = `${dir}/2024/03/12/${hour}/${o.kind === 'agentEvent' ? 'agent-event-stream' : 'contact-records'}-${String(made).padStart(3, '0')}${EXTENSION[o.form]}`;
    const text = o.form === 'array' ? `[\n${o.parts.join(',\n')}\n]\n` : o.form === 'jsonl' ? o.parts.join('\n') + '\n' : o.parts.join('');
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push({ path: file, bytes: Buffer.byteLength(text), records: o.records });
    made++;
  };
  const add = (batch: GeneratedRecord[], final: boolean) => {
    for (const rec of batch) {
      let o = open[rec.kind];
      if (!o) o = open[rec.kind] = { kind: rec.kind, form: forms[made % forms.length], parts: [], len: 0, records: 0 };
      const text = serialize(rec, o.form);
      o.parts.push(text);
      o.len += text.length + 1;
      o.records++;
      if (o.len >= fileBytes && made < fileCount - 2 && !final) {
        close(o);
        open[rec.kind] = undefined;
      }
    }
  };
  while (made < fileCount - 2) add(gen.take(), false);
  add(gen.finish(), true);
  for (const k of ['agentEvent', 'contactRecord'] as const) if (open[k]) close(open[k]);
  return { root, files, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}

// ---------------------------------------------------------------------------------------------
// Cached generation: bench/out holds the files and a manifest of how they were made.

export interface Manifest {
  version: number;
  options: GenerateOptions;
  dumps: Record<string, DumpFile>;
  workspace?: WorkspaceManifest & { fileCount: number; fileBytes: number };
}

export const MB = 1024 * 1024;

export function dumpName(sizeMb: number, form: Form, faults: number): string {
  return `dump-${sizeMb}mb${faults > 0 ? '-faults' : ''}${EXTENSION[form]}`;
}

function readManifest(out: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Makes (or reuses, when made by this generator version with the same options) the dumps asked for. */
export function ensureDumps(out: string, sizesMb: number[], forms: readonly Form[], options: GenerateOptions, log: (s: string) => void = () => {}): Manifest {
  let manifest = readManifest(out);
  if (!manifest || manifest.version !== GENERATOR_VERSION || manifest.options.seed !== options.seed) {
    manifest = { version: GENERATOR_VERSION, options, dumps: {} };
  }
  for (const size of sizesMb) {
    for (const form of forms) {
      const name = dumpName(size, form, options.faults);
      const existing = manifest.dumps[name];
      if (existing && existing.faults !== undefined && fs.existsSync(existing.path) && fs.statSync(existing.path).size === existing.bytes) continue;
      const started = Date.now();
      manifest.dumps[name] = writeDump(path.join(out, name), form, size * MB, options);
      log(`generated ${name}: ${(manifest.dumps[name].bytes / MB).toFixed(1)} MB, ${manifest.dumps[name].records} records in ${Date.now() - started} ms`);
      fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    }
  }
  return manifest;
}

export function ensureWorkspace(
  out: string,
  fileCount: number,
  fileBytes: number,
  options: GenerateOptions,
  log: (s: string) => void = () => {},
): WorkspaceManifest {
  const manifest = ensureDumps(out, [], [], options);
  const ws = manifest.workspace;
  if (ws && ws.fileCount === fileCount && ws.fileBytes === fileBytes && ws.files.every((f) => fs.existsSync(f.path))) return ws;
  const started = Date.now();
  const made = writeWorkspace(path.join(out, 'workspace'), fileCount, fileBytes, options);
  manifest.workspace = { ...made, fileCount, fileBytes };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
  log(`generated workspace: ${made.files.length} files, ${(made.bytes / MB).toFixed(1)} MB in ${Date.now() - started} ms`);
  return manifest.workspace;
}

// ---------------------------------------------------------------------------------------------

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (arg('sizes') ?? '1,10')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const forms = (arg('forms') ?? FORMS.join(',')).split(',') as Form[];
  for (const f of forms) if (!FORMS.includes(f)) throw new Error(`unknown form ${f} (jsonl, array, firehose)`);
  const options: GenerateOptions = { seed: Number(arg('seed') ?? 42), faults: Number(arg('faults') ?? 0) };
  const out = path.resolve(arg('out') ?? path.join(__dirname, 'out'));
  const manifest = ensureDumps(out, sizes, forms, options, console.log);
  for (const size of sizes)
    for (const form of forms) {
      const d = manifest.dumps[dumpName(size, form, options.faults)];
      console.log(
        `${path.relative(process.cwd(), d.path)}: ${(d.bytes / MB).toFixed(2)} MB, ${d.records} records (${d.agentEvents} agent events, ${d.contactRecords} contact records)${Object.keys(d.faults).length ? `, faults ${JSON.stringify(d.faults)}` : ''}`,
      );
    }
  if (argv.includes('--workspace')) {
    const ws = ensureWorkspace(out, 100, MB, options, console.log);
    console.log(`${path.relative(process.cwd(), ws.root)}: ${ws.files.length} files, ${(ws.bytes / MB).toFixed(1)} MB`);
  }
}

if (require.main === module) main(process.argv.slice(2));
