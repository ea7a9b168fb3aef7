// Writes the sample dumps next to this file: `node samples/.generate.mjs`. The outputs are
// checked in; edit here and regenerate rather than editing a dump by hand, so the story stays
// consistent (test/unit/samples.test.ts checks it). Prints the IDs it used.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = path.dirname(fileURLToPath(import.meta.url));
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

function uuid(label) {
  const h = createHash('sha256').update('connect-event-inspector-sample:' + label).digest('hex').split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16], 16) % 4];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const INSTANCE_ID = uuid('instance');
const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const arn = (kind, label) => `${INSTANCE_ARN}/${kind}/${uuid(kind + ':' + label)}`;

const QUEUES = {};
function queue(name, channels) {
  QUEUES[name] ??= { ARN: arn('queue', name), Name: name, Channels: channels };
  return QUEUES[name];
}
const STATUS = {
  Available: arn('agent-state', 'Available'),
  Offline: arn('agent-state', 'Offline'),
};
const GROUPS = {
  'North America': arn('agent-group', 'North America'),
  'Tier 1': arn('agent-group', 'Tier 1'),
  'Tier 2': arn('agent-group', 'Tier 2'),
  'Back Office': arn('agent-group', 'Back Office'),
};

function agent(username, first, last, profileName, channel, maxSlots, queueNames, groups) {
  const inbound = queueNames.map((q) => queue(q, [channel]));
  return {
    username, first, last, channel, maxSlots, groups,
    arn: arn('agent', username),
    profile: {
      ARN: arn('routing-profile', profileName),
      Name: profileName,
      inbound,
      outbound: queue('Outbound', ['VOICE']),
    },
  };
}

const AGENTS = {
  asilva: agent('asilva', 'Ana', 'Silva', 'Tier 1 Voice', 'VOICE', 1, ['Support'], ['North America', 'Tier 1']),
  bokafor: agent('bokafor', 'Ben', 'Okafor', 'Billing Voice', 'VOICE', 1, ['Billing'], ['North America', 'Tier 1']),
  cwei: agent('cwei', 'Chen', 'Wei', 'Escalations Voice', 'VOICE', 1, ['Escalations'], ['North America', 'Tier 2']),
  dkowalski: agent('dkowalski', 'Dana', 'Kowalski', 'Tier 1 Voice', 'VOICE', 1, ['Support', 'Callback'], ['North America', 'Tier 1']),
  enovak: agent('enovak', 'Eli', 'Novak', 'Back Office Tasks', 'TASK', 10, ['Back Office Tasks'], ['North America', 'Back Office']),
  frahman: agent('frahman', 'Fatima', 'Rahman', 'Chat Support', 'CHAT', 3, ['Chat Support'], ['North America', 'Tier 1']),
  gmorales: agent('gmorales', 'Gabriel', 'Morales', 'Tier 1 Voice', 'VOICE', 1, ['Support'], ['North America', 'Tier 1']),
  hsato: agent('hsato', 'Hana', 'Sato', 'Tier 1 Voice', 'VOICE', 1, ['Support'], ['North America', 'Tier 1']),
};

// ---------- output helpers ----------
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}
const line = (r) => JSON.stringify(sortKeys(r));
function write(rel, text) {
  const p = path.join(OUT, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}
const jsonl = (records) => records.map(line).join('\n') + '\n';

// ---------- agent events ----------
const ms = (iso) => Date.parse(iso);
const iso = (t) => new Date(t).toISOString();

function configuration(a) {
  return {
    AgentHierarchyGroups: {
      Level1: { ARN: GROUPS[a.groups[0]], Name: a.groups[0] },
      Level2: { ARN: GROUPS[a.groups[1]], Name: a.groups[1] },
    },
    FirstName: a.first,
    LastName: a.last,
    RoutingProfile: {
      ARN: a.profile.ARN,
      Concurrency: [], // filled per snapshot
      DefaultOutboundQueue: { ARN: a.profile.outbound.ARN, Channels: a.profile.outbound.Channels, Name: a.profile.outbound.Name },
      InboundQueues: a.profile.inbound.map((q) => ({ ARN: q.ARN, Channels: q.Channels, Name: q.Name })),
      Name: a.profile.Name,
    },
    Username: a.username,
  };
}

function snapshot(a, s) {
  const conf = configuration(a);
  // A paused task frees its slot (that is what pausing is for); every other contact holds one.
  const busy = s.contacts.filter((c) => c.State !== 'PAUSED').length;
  conf.RoutingProfile.Concurrency = [{ AvailableSlots: Math.max(0, a.maxSlots - busy), Channel: a.channel, MaximumSlots: a.maxSlots }];
  return {
    AgentStatus: { ARN: STATUS[s.status], Name: s.status, StartTimestamp: s.statusSince },
    Configuration: conf,
    Contacts: s.contacts.map((c) => ({ ...c })),
  };
}

/**
 * Simulates one agent: `steps` are [time, change] in order; each change makes a STATE_CHANGE
 * (or LOGIN/LOGOUT). HEART_BEATs fill every 120 s without another event, as Connect publishes them.
 */
function agentEvents(a, steps) {
  const events = [];
  let state = null;
  let last = null;
  const emit = (type, t, prev, cur) => {
    const e = {
      AWSAccountId: ACCOUNT,
      AgentARN: a.arn,
      CurrentAgentSnapshot: snapshot(a, cur),
      EventId: uuid(`event:${a.username}:${type}:${t}`),
      EventTimestamp: iso(t),
      EventType: type,
      InstanceARN: INSTANCE_ARN,
      Version: '2019-05-25',
    };
    if (prev) e.PreviousAgentSnapshot = snapshot(a, prev);
    events.push(e);
    last = t;
  };
  for (const [when, change] of steps) {
    const t = ms(when);
    if (last !== null) {
      while (t - last > 120_000) emit('HEART_BEAT', last + 120_000, state, state);
    }
    if (change.login) {
      state = { status: 'Offline', statusSince: iso(t), contacts: [] };
      emit('LOGIN', t, null, state);
      continue;
    }
    // A dump that starts mid-session: the agent was logged in and Offline a moment before.
    state ??= { status: 'Offline', statusSince: iso(t - 5000), contacts: [] };
    if (change.logout) {
      emit('LOGOUT', t, null, state);
      continue;
    }
    const next = { ...state, contacts: state.contacts.map((c) => ({ ...c })) };
    if (change.status) {
      next.status = change.status;
      next.statusSince = iso(t);
    }
    if (change.contact) {
      const { id, ...fields } = change.contact;
      const i = next.contacts.findIndex((c) => c.ContactId === id);
      if (fields.remove) next.contacts.splice(i, 1);
      else if (i < 0) next.contacts.push({ ContactId: id, ...fields, StateStartTimestamp: iso(t) });
      else {
        // AWS: on CONNECTED_ONHOLD, StateStartTimestamp is not changed and keeps the time the
        // contact was CONNECTED; resuming from hold does not start a new CONNECTED period either.
        const old = next.contacts[i];
        const keep = fields.State === 'CONNECTED_ONHOLD' || (old.State === 'CONNECTED_ONHOLD' && fields.State === 'CONNECTED');
        next.contacts[i] = { ...old, ...fields, StateStartTimestamp: keep ? old.StateStartTimestamp : iso(t) };
      }
    }
    const prev = change.previousOverride ? change.previousOverride(state) : state;
    emit('STATE_CHANGE', t, prev, next);
    state = next;
  }
  return events;
}

/** A contact as the agent event stream shows it. */
function aesContact(id, { channel = 'VOICE', initial = null, method, queueName, queuedAt }) {
  const q = QUEUES[queueName];
  return {
    id,
    Channel: channel,
    ConnectedToAgentTimestamp: null,
    InitialContactId: initial,
    InitiationMethod: method,
    Queue: { ARN: q.ARN, Name: q.Name },
    QueueTimestamp: queuedAt,
  };
}

/** The usual life of one contact at one agent, as [time, change] steps. */
function contactSteps(id, base, path) {
  const steps = [];
  let connectedAt = null;
  for (const [when, st] of path) {
    if (st === 'CLEARED') steps.push([when, { contact: { id, remove: true } }]);
    else if (steps.length === 0) steps.push([when, { contact: { ...base, id, State: st } }]);
    else {
      const change = { id, State: st };
      if (st === 'CONNECTED' && !connectedAt) {
        connectedAt = when;
        change.ConnectedToAgentTimestamp = when;
      }
      steps.push([when, { contact: change }]);
    }
  }
  return steps;
}

const byTime = (a, b) => ms(a.EventTimestamp ?? a.LastUpdateTimestamp) - ms(b.EventTimestamp ?? b.LastUpdateTimestamp);

// ---------- contact records ----------
const E164 = { center: '+12065550100', customer1: '+12065550142', customer2: '+12065550173', customer3: '+13125550188', customer4: '+13125550119' };
const dsec = (a, b) => Math.round((ms(b) - ms(a)) / 1000);

function ctrAgent(a, { connected, disconnect, acwEnd, holds = [], pause = 0 }) {
  const holdSecs = holds.map(([s, e]) => dsec(s, e));
  const r = {
    ARN: a.arn,
    AfterContactWorkDuration: dsec(disconnect, acwEnd),
    AfterContactWorkEndTimestamp: acwEnd,
    AfterContactWorkStartTimestamp: disconnect,
    AgentInteractionDuration: dsec(connected, disconnect) - holdSecs.reduce((x, y) => x + y, 0) - pause,
    ConnectedToAgentTimestamp: connected,
    CustomerHoldDuration: holdSecs.reduce((x, y) => x + y, 0),
    HierarchyGroups: {
      Level1: { ARN: GROUPS[a.groups[0]], GroupName: a.groups[0] },
      Level2: { ARN: GROUPS[a.groups[1]], GroupName: a.groups[1] },
    },
    LongestHoldDuration: holdSecs.length ? Math.max(...holdSecs) : 0,
    NumberOfHolds: holdSecs.length,
    RoutingProfile: { ARN: a.profile.ARN, Name: a.profile.Name },
    Username: a.username,
  };
  if (pause) r.AgentPauseDuration = pause;
  return r;
}

function ctrQueue(name, enqueue, dequeue) {
  const q = QUEUES[name];
  return { ARN: q.ARN, DequeueTimestamp: dequeue, Duration: dsec(enqueue, dequeue), EnqueueTimestamp: enqueue, Name: q.Name };
}

function recording(id, connectedAt) {
  const d = connectedAt.slice(0, 10).replace(/-/g, '/');
  const stamp = connectedAt.slice(0, 16).replace(/-/g, ''); // 20261124T09:01, as Connect names recordings
  const loc = `amzn-s3-demo-bucket/connect/example-instance/CallRecordings/${d}/${id}_${stamp}_UTC.wav`;
  return {
    Recording: { DeletionReason: null, Location: loc, Status: 'AVAILABLE', Type: 'AUDIO' },
    Recordings: [{
      DeletionReason: null, FragmentStartNumber: null, FragmentStopNumber: null, Location: loc,
      MediaStreamType: 'AUDIO', ParticipantType: null, StartTimestamp: null, Status: 'AVAILABLE', StopTimestamp: null, StorageType: 'S3',
    }],
  };
}

function ctr(f) {
  const r = {
    AWSAccountId: ACCOUNT,
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: f.agent ?? null,
    AgentConnectionAttempts: f.attempts ?? (f.agent ? 1 : 0),
    Attributes: f.attributes ?? {},
    Channel: f.channel ?? 'VOICE',
    ConnectedToSystemTimestamp: f.connectedToSystem ?? f.initiation,
    ContactId: f.id,
    CustomerEndpoint: f.customer === undefined ? null : f.customer && { Address: f.customer, Type: 'TELEPHONE_NUMBER' },
    DisconnectReason: f.reason ?? null,
    DisconnectTimestamp: f.disconnect,
    InitialContactId: f.initial ?? null,
    InitiationMethod: f.method,
    InitiationTimestamp: f.initiation,
    InstanceARN: INSTANCE_ARN,
    LastUpdateTimestamp: f.lastUpdate,
    MediaStreams: f.media ?? [{ Type: 'AUDIO' }],
    NextContactId: f.next ?? null,
    PreviousContactId: f.previous ?? null,
    Queue: f.queue ?? null,
    Recording: null,
    Recordings: null,
    SystemEndpoint: f.system === undefined ? { Address: E164.center, Type: 'TELEPHONE_NUMBER' } : f.system && { Address: f.system, Type: 'TELEPHONE_NUMBER' },
    TransferCompletedTimestamp: null,
    TransferredToEndpoint: null,
    ...(f.extra ?? {}),
  };
  if (f.recorded) Object.assign(r, recording(f.id, f.agent.ConnectedToAgentTimestamp));
  return r;
}

// ================= transfer chain =================
const A = uuid('contact:transfer:leg1'), B = uuid('contact:transfer:leg2'), C = uuid('contact:transfer:leg3');
queue('Support', ['VOICE']); queue('Billing', ['VOICE']); queue('Escalations', ['VOICE']);

const legA = ctr({
  id: A, method: 'INBOUND', initiation: '2026-11-24T09:00:00Z', customer: E164.customer1, next: B,
  queue: ctrQueue('Support', '2026-11-24T09:00:42Z', '2026-11-24T09:01:10Z'),
  agent: ctrAgent(AGENTS.asilva, { connected: '2026-11-24T09:01:10Z', disconnect: '2026-11-24T09:05:32Z', acwEnd: '2026-11-24T09:06:10Z' }),
  disconnect: '2026-11-24T09:05:32Z', reason: 'AGENT_DISCONNECT', lastUpdate: '2026-11-24T09:06:58Z',
  attributes: { customerTier: 'gold', intent: 'billing-dispute' }, recorded: true,
});
const legB = ctr({
  id: B, method: 'TRANSFER', initiation: '2026-11-24T09:05:30Z', customer: E164.customer1, initial: A, previous: A, next: C,
  queue: ctrQueue('Billing', '2026-11-24T09:05:31Z', '2026-11-24T09:06:52Z'),
  agent: ctrAgent(AGENTS.bokafor, {
    connected: '2026-11-24T09:06:52Z', disconnect: '2026-11-24T09:13:22Z', acwEnd: '2026-11-24T09:14:05Z',
    holds: [['2026-11-24T09:08:00Z', '2026-11-24T09:09:30Z'], ['2026-11-24T09:11:00Z', '2026-11-24T09:11:45Z']],
  }),
  disconnect: '2026-11-24T09:13:22Z', reason: 'AGENT_DISCONNECT', lastUpdate: '2026-11-24T09:14:51Z',
  attributes: { customerTier: 'gold', intent: 'billing-dispute' }, recorded: true,
});
const legC = ctr({
  id: C, method: 'TRANSFER', initiation: '2026-11-24T09:13:20Z', customer: E164.customer1, initial: A, previous: B,
  queue: ctrQueue('Escalations', '2026-11-24T09:13:21Z', '2026-11-24T09:14:40Z'),
  agent: ctrAgent(AGENTS.cwei, { connected: '2026-11-24T09:14:40Z', disconnect: '2026-11-24T09:21:05Z', acwEnd: '2026-11-24T09:22:30Z' }),
  disconnect: '2026-11-24T09:21:05Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T09:23:17Z',
  attributes: { customerTier: 'gold', intent: 'billing-dispute' }, recorded: true,
});
write('transfer-chain.jsonl', jsonl([legA, legB, legC]));
write('transfer-chain.json', JSON.stringify([legA, legB, legC].map(sortKeys), null, 2) + '\n');

const chainEvents = [
  ...agentEvents(AGENTS.asilva, [
    ['2026-11-24T08:58:00.118Z', { login: true }],
    ['2026-11-24T08:58:05.482Z', { status: 'Available' }],
    ...contactSteps(A, aesContact(A, { method: 'INBOUND', queueName: 'Support', queuedAt: '2026-11-24T09:00:42.318Z' }), [
      ['2026-11-24T09:01:05.310Z', 'CONNECTING'],
      ['2026-11-24T09:01:10.127Z', 'CONNECTED'],
      ['2026-11-24T09:05:32.404Z', 'ENDED'],
      ['2026-11-24T09:06:10.611Z', 'CLEARED'],
    ]),
    ['2026-11-24T09:07:45.250Z', { status: 'Offline' }],
    ['2026-11-24T09:07:47.803Z', { logout: true }],
  ]),
  ...agentEvents(AGENTS.bokafor, [
    ['2026-11-24T08:57:30.221Z', { login: true }],
    ['2026-11-24T08:57:41.905Z', { status: 'Available' }],
    ...contactSteps(B, aesContact(B, { initial: A, method: 'TRANSFER', queueName: 'Billing', queuedAt: '2026-11-24T09:05:31.086Z' }), [
      ['2026-11-24T09:06:47.522Z', 'CONNECTING'],
      ['2026-11-24T09:06:52.140Z', 'CONNECTED'],
      ['2026-11-24T09:08:00.317Z', 'CONNECTED_ONHOLD'],
      ['2026-11-24T09:09:30.402Z', 'CONNECTED'],
      ['2026-11-24T09:11:00.118Z', 'CONNECTED_ONHOLD'],
      ['2026-11-24T09:11:45.630Z', 'CONNECTED'],
      ['2026-11-24T09:13:22.509Z', 'ENDED'],
      ['2026-11-24T09:14:05.774Z', 'CLEARED'],
    ]),
    ['2026-11-24T09:15:30.020Z', { status: 'Offline' }],
    ['2026-11-24T09:15:31.660Z', { logout: true }],
  ]),
  ...agentEvents(AGENTS.cwei, [
    ['2026-11-24T08:59:10.014Z', { login: true }],
    ['2026-11-24T08:59:20.337Z', { status: 'Available' }],
    ...contactSteps(C, aesContact(C, { initial: A, method: 'TRANSFER', queueName: 'Escalations', queuedAt: '2026-11-24T09:13:21.244Z' }), [
      ['2026-11-24T09:14:36.015Z', 'CONNECTING'],
      ['2026-11-24T09:14:40.288Z', 'CONNECTED'],
      ['2026-11-24T09:21:05.731Z', 'ENDED'],
      ['2026-11-24T09:22:30.129Z', 'CLEARED'],
    ]),
    ['2026-11-24T09:23:10.550Z', { status: 'Offline' }],
    ['2026-11-24T09:23:12.004Z', { logout: true }],
  ]),
].sort(byTime);
write('transfer-chain-agent-events.jsonl', jsonl(chainEvents));

// --- the chain's contact flow logs (CloudWatch /aws/connect/<alias>): one entry per block run ---
// Key order as Connect writes flow log entries (admin guide "Data in flow logs"; published entries).
const FLOW_ARN = (name) => arn('contact-flow', name);
const LAMBDA_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:customer-lookup`;
function flowEntry(contact, flow, type, identifier, timestamp, extra = {}) {
  return { ContactId: contact, ContactFlowId: FLOW_ARN(flow), ContactFlowName: flow, ContactFlowModuleType: type, Identifier: identifier, Timestamp: timestamp, ...extra };
}
const flowLines = (entries) => entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
const chainFlowLogs = [
  // leg 1: the inbound flow, from the call's arrival to the Support queue (enqueued 09:00:42)
  flowEntry(A, 'Main IVR', 'SetLoggingBehavior', 'Enable flow logs', '2026-11-24T09:00:00.412Z', { Parameters: { LoggingBehavior: 'Enable' } }),
  flowEntry(A, 'Main IVR', 'SetVoice', 'Voice', '2026-11-24T09:00:00.538Z', { Parameters: { GlobalVoice: 'Joanna' } }),
  flowEntry(A, 'Main IVR', 'PlayPrompt', 'Welcome', '2026-11-24T09:00:00.701Z', { Parameters: { Text: 'Thanks for calling. This call may be recorded.', TextToSpeechType: 'text' } }),
  flowEntry(A, 'Main IVR', 'InvokeExternalResource', 'Look up customer', '2026-11-24T09:00:04.880Z', { Parameters: { FunctionArn: LAMBDA_ARN, TimeLimit: '3000' }, ExternalResults: { customerTier: 'gold' } }),
  flowEntry(A, 'Main IVR', 'SetAttributes', 'Store tier', '2026-11-24T09:00:05.102Z', { Parameters: { Key: 'customerTier', Value: 'gold' } }),
  flowEntry(A, 'Main IVR', 'GetUserInput', 'Main menu', '2026-11-24T09:00:05.344Z', { Parameters: { Text: 'For billing, press 2.', Timeout: '5', MaxDigits: '1' }, Results: '2' }),
  flowEntry(A, 'Main IVR', 'SetAttributes', 'Store intent', '2026-11-24T09:00:41.650Z', { Parameters: { Key: 'intent', Value: 'billing-dispute' } }),
  flowEntry(A, 'Main IVR', 'SetQueue', 'Support queue', '2026-11-24T09:00:41.902Z', { Parameters: { Queue: QUEUES.Support.ARN } }),
  flowEntry(A, 'Main IVR', 'TransferToQueue', 'To Support', '2026-11-24T09:00:42.118Z', { Parameters: {} }),
  // legs 2 and 3: the quick connects' queue transfer flows, between the transfer and the enqueue
  flowEntry(B, 'Transfer to Billing', 'PlayPrompt', 'Connecting you', '2026-11-24T09:05:30.402Z', { Parameters: { Text: 'Connecting you to billing.', TextToSpeechType: 'text' } }),
  flowEntry(B, 'Transfer to Billing', 'SetQueue', 'Billing queue', '2026-11-24T09:05:30.811Z', { Parameters: { Queue: QUEUES.Billing.ARN } }),
  flowEntry(B, 'Transfer to Billing', 'TransferToQueue', 'To Billing', '2026-11-24T09:05:30.990Z', { Parameters: {} }),
  flowEntry(C, 'Transfer to Escalations', 'PlayPrompt', 'Connecting you', '2026-11-24T09:13:20.377Z', { Parameters: { Text: 'Connecting you to a specialist.', TextToSpeechType: 'text' } }),
  flowEntry(C, 'Transfer to Escalations', 'SetQueue', 'Escalations queue', '2026-11-24T09:13:20.760Z', { Parameters: { Queue: QUEUES.Escalations.ARN } }),
  flowEntry(C, 'Transfer to Escalations', 'TransferToQueue', 'To Escalations', '2026-11-24T09:13:20.948Z', { Parameters: {} }),
];
// CloudWatch spreads one contact's entries over log streams; an export interleaves the legs.
write('transfer-chain-flow-logs.jsonl', flowLines([...chainFlowLogs].sort((x, y) => ms(x.Timestamp) - ms(y.Timestamp))));

// --- the chain's EventBridge contact events (camelCase, as Connect sends them) ---
const LEG_FACTS = [[legA, 'Support', AGENTS.asilva], [legB, 'Billing', AGENTS.bokafor], [legC, 'Escalations', AGENTS.cwei]];
const withMs = (t, msPart) => t.replace('Z', `.${msPart}Z`);
function contactEvent(leg, type, at, detail) {
  return {
    version: '0', id: uuid(`event:${leg.ContactId}:${type}`), 'detail-type': 'Amazon Connect Contact Event', source: 'aws.connect',
    account: ACCOUNT, time: at.slice(0, 19) + 'Z', region: REGION,
    resources: [`${INSTANCE_ARN}/contact/${leg.ContactId}`, INSTANCE_ARN],
    detail: {
      eventType: type, contactId: leg.ContactId, ...(leg.InitialContactId ? { initialContactId: leg.InitialContactId } : {}),
      ...(leg.PreviousContactId ? { previousContactId: leg.PreviousContactId } : {}),
      channel: leg.Channel, instanceArn: INSTANCE_ARN, initiationMethod: leg.InitiationMethod,
      initiationTimestamp: withMs(leg.InitiationTimestamp, '000'), ...detail,
    },
  };
}
const chainContactEvents = LEG_FACTS.flatMap(([leg, queueName, a]) => {
  const queueInfo = { queueArn: QUEUES[queueName].ARN, queueType: 'STANDARD', enqueueTimestamp: withMs(leg.Queue.EnqueueTimestamp, '000') };
  const agentInfo = { agentArn: a.arn, connectedToAgentTimestamp: withMs(leg.Agent.ConnectedToAgentTimestamp, '000') };
  const disconnect = { disconnectTimestamp: withMs(leg.DisconnectTimestamp, '000'), disconnectReason: leg.DisconnectReason };
  return [
    contactEvent(leg, 'INITIATED', withMs(leg.InitiationTimestamp, '210'), {}),
    contactEvent(leg, 'QUEUED', withMs(leg.Queue.EnqueueTimestamp, '340'), { queueInfo }),
    contactEvent(leg, 'CONNECTED_TO_AGENT', withMs(leg.Agent.ConnectedToAgentTimestamp, '260'), { queueInfo, agentInfo }),
    contactEvent(leg, 'DISCONNECTED', withMs(leg.DisconnectTimestamp, '480'), { queueInfo, agentInfo, ...disconnect }),
    contactEvent(leg, 'COMPLETED', withMs(leg.Agent.AfterContactWorkEndTimestamp, '610'), {
      queueInfo, ...disconnect,
      agentInfo: { ...agentInfo, afterContactWorkStartTimestamp: withMs(leg.Agent.AfterContactWorkStartTimestamp, '000'), afterContactWorkEndTimestamp: withMs(leg.Agent.AfterContactWorkEndTimestamp, '000'), afterContactWorkDuration: leg.Agent.AfterContactWorkDuration },
    }),
  ];
});
// EventBridge delivers in no order and at least once: leg 2's QUEUED arrives before its
// INITIATED, and leg 1's CONNECTED_TO_AGENT comes twice (an identical re-delivery).
const delivered = [...chainContactEvents];
[delivered[5], delivered[6]] = [delivered[6], delivered[5]];
delivered.splice(4, 0, chainContactEvents[2]);
write('transfer-chain-contact-events.jsonl', flowLines(delivered));

// --- a flow whose Lambda failed: the flow took the error branch and played an apology ---
const LE = uuid('contact:flow:lambda-error');
write('faults/flow-lambda-error.jsonl', flowLines([
  flowEntry(LE, 'Main IVR', 'SetLoggingBehavior', 'Enable flow logs', '2026-11-24T16:40:00.377Z', { Parameters: { LoggingBehavior: 'Enable' } }),
  flowEntry(LE, 'Main IVR', 'InvokeExternalResource', 'Look up customer', '2026-11-24T16:40:03.561Z', { Parameters: { FunctionArn: LAMBDA_ARN, TimeLimit: '3000' }, Results: 'The Lambda Function Returned An Error.' }),
  flowEntry(LE, 'Main IVR', 'PlayPrompt', 'Sorry', '2026-11-24T16:40:03.790Z', { Parameters: { Text: 'Sorry, we cannot look up your account right now.', TextToSpeechType: 'text' } }),
  flowEntry(LE, 'Main IVR', 'SetQueue', 'Support queue', '2026-11-24T16:40:04.012Z', { Parameters: { Queue: QUEUES.Support.ARN } }),
  flowEntry(LE, 'Main IVR', 'TransferToQueue', 'To Support', '2026-11-24T16:40:04.205Z', { Parameters: {} }),
]));

// ================= queued callback =================
queue('Callback', ['VOICE']);
const CB1 = uuid('contact:callback:inbound'), CB2 = uuid('contact:callback:callback');
const cbInbound = ctr({
  id: CB1, method: 'INBOUND', initiation: '2026-11-24T11:35:04Z', customer: E164.customer2, next: CB2,
  queue: ctrQueue('Support', '2026-11-24T11:35:20Z', '2026-11-24T11:37:00Z'),
  disconnect: '2026-11-24T11:37:00Z', reason: 'CONTACT_FLOW_DISCONNECT', lastUpdate: '2026-11-24T11:38:02Z',
  attributes: { callbackRequested: 'true' },
});
const cbCallback = ctr({
  id: CB2, method: 'CALLBACK', initiation: '2026-11-24T11:36:59Z', connectedToSystem: '2026-11-24T11:39:10Z',
  customer: E164.customer2, system: null, initial: CB1, previous: CB1,
  queue: ctrQueue('Callback', '2026-11-24T11:38:38Z', '2026-11-24T11:39:00Z'),
  agent: ctrAgent(AGENTS.dkowalski, { connected: '2026-11-24T11:39:25Z', disconnect: '2026-11-24T11:45:02Z', acwEnd: '2026-11-24T11:45:40Z' }),
  disconnect: '2026-11-24T11:45:02Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T11:46:31Z',
  attributes: { callbackRequested: 'true' }, recorded: true,
});
const cbEvents = agentEvents(AGENTS.dkowalski, [
  ['2026-11-24T11:33:02.410Z', { login: true }],
  ['2026-11-24T11:33:09.115Z', { status: 'Available' }],
  // INCOMING: the callback is offered; PENDING: accepted, agent whisper plays; CONNECTING: Connect dials the customer.
  ...contactSteps(CB2, aesContact(CB2, { initial: CB1, method: 'CALLBACK', queueName: 'Callback', queuedAt: '2026-11-24T11:38:38.517Z' }), [
    ['2026-11-24T11:38:52.330Z', 'INCOMING'],
    ['2026-11-24T11:39:00.212Z', 'PENDING'],
    ['2026-11-24T11:39:10.045Z', 'CONNECTING'],
    ['2026-11-24T11:39:25.406Z', 'CONNECTED'],
    ['2026-11-24T11:45:02.118Z', 'ENDED'],
    ['2026-11-24T11:45:40.903Z', 'CLEARED'],
  ]),
  ['2026-11-24T11:46:12.640Z', { status: 'Offline' }],
  ['2026-11-24T11:46:14.072Z', { logout: true }],
]);
write('queued-callback.jsonl', jsonl([...cbEvents, cbInbound, cbCallback].sort(byTime)));

// ================= task paused and resumed =================
queue('Back Office Tasks', ['TASK']);
const T = uuid('contact:task');
const task = ctr({
  id: T, channel: 'TASK', method: 'API', initiation: '2026-11-24T13:00:00Z', customer: null, system: null, media: [],
  queue: ctrQueue('Back Office Tasks', '2026-11-24T13:00:01Z', '2026-11-24T13:02:14Z'),
  agent: ctrAgent(AGENTS.enovak, { connected: '2026-11-24T13:02:14Z', disconnect: '2026-11-24T13:20:00Z', acwEnd: '2026-11-24T13:20:30Z', pause: 593 }),
  disconnect: '2026-11-24T13:20:00Z', reason: 'AGENT_DISCONNECT', lastUpdate: '2026-11-24T13:21:12Z',
  attributes: { caseNumber: 'CASE-0042', taskType: 'refund-approval' },
  extra: { ScheduledTimestamp: null },
});
const taskEvents = agentEvents(AGENTS.enovak, [
  ['2026-11-24T12:58:30.512Z', { login: true }],
  ['2026-11-24T12:58:36.770Z', { status: 'Available' }],
  ...contactSteps(T, aesContact(T, { channel: 'TASK', method: 'API', queueName: 'Back Office Tasks', queuedAt: '2026-11-24T13:00:01.208Z' }), [
    ['2026-11-24T13:02:10.044Z', 'CONNECTING'],
    ['2026-11-24T13:02:14.381Z', 'CONNECTED'],
    ['2026-11-24T13:05:00.226Z', 'PAUSED'],
    ['2026-11-24T13:14:52.902Z', 'CONNECTED'],
    ['2026-11-24T13:20:00.337Z', 'ENDED'],
    ['2026-11-24T13:20:30.615Z', 'CLEARED'],
  ]),
  ['2026-11-24T13:21:00.250Z', { status: 'Offline' }],
  ['2026-11-24T13:21:02.118Z', { logout: true }],
]);
write('task-paused.json', JSON.stringify([task, ...taskEvents].sort(byTime).map(sortKeys), null, 2) + '\n');

// ================= chat, as Kinesis Data Firehose writes it =================
queue('Chat Support', ['CHAT']);
const CH = uuid('contact:chat');
const chat = ctr({
  id: CH, channel: 'CHAT', method: 'API', initiation: '2026-11-24T10:02:11Z', customer: null, system: null, media: [{ Type: 'CHAT' }],
  queue: ctrQueue('Chat Support', '2026-11-24T10:02:30Z', '2026-11-24T10:02:58Z'),
  agent: ctrAgent(AGENTS.frahman, { connected: '2026-11-24T10:02:58Z', disconnect: '2026-11-24T10:09:40Z', acwEnd: '2026-11-24T10:10:05Z' }),
  disconnect: '2026-11-24T10:09:40Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T10:10:48Z',
  attributes: { customerName: 'Jordan Example', orderNumber: 'ORD-1001' },
});
const chatEvents = agentEvents(AGENTS.frahman, [
  ['2026-11-24T10:00:40.330Z', { login: true }],
  ['2026-11-24T10:00:47.912Z', { status: 'Available' }],
  ...contactSteps(CH, aesContact(CH, { channel: 'CHAT', method: 'API', queueName: 'Chat Support', queuedAt: '2026-11-24T10:02:30.455Z' }), [
    ['2026-11-24T10:02:55.601Z', 'CONNECTING'],
    ['2026-11-24T10:02:58.075Z', 'CONNECTED'],
    ['2026-11-24T10:09:40.516Z', 'ENDED'],
    ['2026-11-24T10:10:05.244Z', 'CLEARED'],
  ]),
  ['2026-11-24T10:11:30.880Z', { status: 'Offline' }],
  ['2026-11-24T10:11:32.407Z', { logout: true }],
]);
const firehose = [...chatEvents, chat].sort(byTime).map(line).join('');
write('chat.firehose', firehose);
write('firehose/chat-2026-11-24-10', firehose);

// ================= faults =================
// --- schema errors: each record breaks the schema once, nothing else ---
const S1 = uuid('contact:schema:video'), S2 = uuid('contact:schema:timestamp'), S3 = uuid('contact:schema:agent');
const schemaAgentEvents = agentEvents(AGENTS.hsato, [
  ['2026-11-24T14:00:03.118Z', { status: 'Available' }],
  ...contactSteps(S3, aesContact(S3, { method: 'INBOUND', queueName: 'Support', queuedAt: '2026-11-24T14:00:20.733Z' }), [
    ['2026-11-24T14:00:41.950Z', 'CONNECTING'],
    ['2026-11-24T14:00:46.211Z', 'CONNECTED'],
    ['2026-11-24T14:01:30.508Z', 'CONNECTED_ONHOLD'],
  ]),
]).filter((e) => e.EventType === 'STATE_CHANGE');
// the documentation misprint, with a space
const misprinted = schemaAgentEvents[3];
misprinted.CurrentAgentSnapshot.Contacts[0].State = 'CONNECTED_ ONHOLD';
// a required property left out
delete schemaAgentEvents[2].EventId;
const video = ctr({
  id: S1, method: 'INBOUND', initiation: '2026-11-24T13:30:00Z', customer: E164.customer3,
  queue: ctrQueue('Support', '2026-11-24T13:30:15Z', '2026-11-24T13:30:52Z'),
  agent: ctrAgent(AGENTS.hsato, { connected: '2026-11-24T13:30:52Z', disconnect: '2026-11-24T13:34:09Z', acwEnd: '2026-11-24T13:34:40Z' }),
  disconnect: '2026-11-24T13:34:09Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T13:35:21Z',
});
video.Channel = 'VIDEO';
const badTime = ctr({
  id: S2, method: 'INBOUND', initiation: '2026-11-24T13:40:00Z', customer: E164.customer4,
  queue: ctrQueue('Support', '2026-11-24T13:40:12Z', '2026-11-24T13:40:31Z'),
  agent: ctrAgent(AGENTS.hsato, { connected: '2026-11-24T13:40:31Z', disconnect: '2026-11-24T13:45:07Z', acwEnd: '2026-11-24T13:45:50Z' }),
  disconnect: '2026-11-24T13:45:07Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T13:46:33Z',
});
badTime.LastUpdateTimestamp = '24/11/2026 13:46:33';
write('faults/schema-errors.jsonl', jsonl([video, badTime, ...schemaAgentEvents]));

// --- illegal transitions ---
const X = uuid('contact:illegal:ended-connected'), Y = uuid('contact:illegal:missed-connected');
const baseX = aesContact(X, { method: 'INBOUND', queueName: 'Support', queuedAt: '2026-11-24T15:00:01.402Z' });
const baseY = aesContact(Y, { method: 'INBOUND', queueName: 'Support', queuedAt: '2026-11-24T15:06:02.911Z' });
const illegal = agentEvents(AGENTS.gmorales, [
  ['2026-11-24T14:59:00.000Z', { login: true }],
  ['2026-11-24T14:59:04.512Z', { status: 'Available' }],
  ...contactSteps(X, baseX, [
    ['2026-11-24T15:00:05.000Z', 'CONNECTING'],
    ['2026-11-24T15:00:09.500Z', 'CONNECTED'],
    ['2026-11-24T15:03:40.200Z', 'ENDED'],
  ]),
  // ENDED -> CONNECTED inside one STATE_CHANGE (Previous says ENDED, Current says CONNECTED)
  ['2026-11-24T15:03:52.700Z', { contact: { id: X, State: 'CONNECTED' } }],
  ['2026-11-24T15:04:30.100Z', { contact: { id: X, State: 'ENDED' } }],
  ['2026-11-24T15:05:02.900Z', { contact: { id: X, remove: true } }],
  ...contactSteps(Y, baseY, [
    ['2026-11-24T15:06:20.400Z', 'CONNECTING'],
    ['2026-11-24T15:06:35.400Z', 'MISSED'],
  ]),
  // MISSED -> CONNECTED across two events: this event's Previous snapshot still says CONNECTING
  // (legal on its own), but the event before left the contact MISSED.
  ['2026-11-24T15:07:00.800Z', {
    contact: { id: Y, State: 'CONNECTED', ConnectedToAgentTimestamp: '2026-11-24T15:07:00.800Z' },
    previousOverride: (s) => ({ ...s, contacts: s.contacts.map((c) => (c.ContactId === Y ? { ...c, State: 'CONNECTING', StateStartTimestamp: '2026-11-24T15:06:20.400Z' } : c)) }),
  }],
  ['2026-11-24T15:08:44.300Z', { contact: { id: Y, State: 'ENDED' } }],
  ['2026-11-24T15:09:10.650Z', { contact: { id: Y, remove: true } }],
  ['2026-11-24T15:09:40.000Z', { status: 'Offline' }],
  ['2026-11-24T15:09:41.371Z', { logout: true }],
]);
write('faults/illegal-transition.jsonl', jsonl(illegal));

// --- broken links (contact records only) ---
function simpleCtr(id, method, start, who, links, customer = E164.customer3) {
  const t = (s) => new Date(ms(start) + s * 1000).toISOString().replace('.000Z', 'Z');
  return ctr({
    id, method, initiation: t(0), customer, ...links,
    queue: ctrQueue('Support', t(10), t(40)),
    agent: ctrAgent(AGENTS[who], { connected: t(40), disconnect: t(300), acwEnd: t(330) }),
    disconnect: t(300), reason: links.next ? 'AGENT_DISCONNECT' : 'CUSTOMER_DISCONNECT', lastUpdate: t(400),
  });
}
const R0 = uuid('contact:links:r0'), R1 = uuid('contact:links:r1'), R2 = uuid('contact:links:r2');
const M1 = uuid('contact:links:m1-not-in-dump'), M2 = uuid('contact:links:m2');
const C1 = uuid('contact:links:c1'), C2 = uuid('contact:links:c2');
const I1 = uuid('contact:links:i1'), I2 = uuid('contact:links:i2'), I3 = uuid('contact:links:i3');
const links = [
  // R1 says its next leg is R2, but R2's previous leg is R0 (which also points at R2)
  simpleCtr(R0, 'INBOUND', '2026-11-24T16:00:00Z', 'asilva', { next: R2 }),
  simpleCtr(R1, 'INBOUND', '2026-11-24T16:01:00Z', 'cwei', { next: R2 }, E164.customer4),
  simpleCtr(R2, 'TRANSFER', '2026-11-24T16:04:50Z', 'bokafor', { previous: R0, initial: R0 }),
  // M2's previous leg M1 is not in the dump
  simpleCtr(M2, 'TRANSFER', '2026-11-24T16:20:00Z', 'bokafor', { previous: M1, initial: M1 }),
  // C1 -> C2 -> C1
  simpleCtr(C1, 'TRANSFER', '2026-11-24T16:30:00Z', 'asilva', { previous: C2, next: C2 }),
  simpleCtr(C2, 'TRANSFER', '2026-11-24T16:34:50Z', 'bokafor', { previous: C1, next: C1, initial: C1 }),
  // I1 -> I2 -> I3, but I3 names I2 as the initial contact
  simpleCtr(I1, 'INBOUND', '2026-11-24T16:40:00Z', 'asilva', { next: I2 }),
  simpleCtr(I2, 'TRANSFER', '2026-11-24T16:44:50Z', 'bokafor', { previous: I1, next: I3, initial: I1 }),
  simpleCtr(I3, 'TRANSFER', '2026-11-24T16:49:40Z', 'cwei', { previous: I2, initial: I2 }),
];
write('faults/broken-links.jsonl', jsonl(links));

// --- a truncated line in the middle ---
const P1 = uuid('contact:syntax:1'), P2 = uuid('contact:syntax:2'), P3 = uuid('contact:syntax:3');
const syn = [
  simpleCtr(P1, 'INBOUND', '2026-11-24T17:00:00Z', 'asilva', {}),
  simpleCtr(P2, 'INBOUND', '2026-11-24T17:10:00Z', 'bokafor', {}, E164.customer4),
  simpleCtr(P3, 'INBOUND', '2026-11-24T17:20:00Z', 'cwei', {}, E164.customer2),
].map(line);
syn[1] = syn[1].slice(0, Math.floor(syn[1].indexOf('"InitiationTimestamp"') + 30)); // cut inside a string value
write('faults/syntax-error.jsonl', syn.join('\n') + '\n');

// --- timestamps going backwards inside a record ---
const TS1 = uuid('contact:timestamps:backwards'), TS2 = uuid('contact:timestamps:fine');
const backwards = ctr({
  id: TS1, method: 'INBOUND', initiation: '2026-11-24T18:10:00Z', customer: E164.customer2,
  disconnect: '2026-11-24T18:08:55Z', reason: 'CUSTOMER_DISCONNECT', lastUpdate: '2026-11-24T18:11:02Z',
});
const fine = simpleCtr(TS2, 'INBOUND', '2026-11-24T18:20:00Z', 'cwei', {});
write('faults/timestamps.jsonl', jsonl([backwards, fine]));

// IDs for the README
console.log(JSON.stringify({ INSTANCE_ID, A, B, C, LE, CB1, CB2, T, CH, S1, S2, S3, X, Y, R0, R1, R2, M1, M2, C1, C2, I1, I2, I3, P1, P2, P3, TS1, TS2,
  agents: Object.fromEntries(Object.values(AGENTS).map((a) => [a.username, a.arn])) }, null, 1));
