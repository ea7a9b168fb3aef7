// explain as a library: every field of the JSON for each fixture of test/fixtures/explain
// (invented records, shapes from samples/ and the admin guide, see its README) and for the
// samples. Beside each expected value: how it is recomputed by hand from the fixture's
// fields. Contact records carry whole seconds; agent events carry milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { closestContactIds } from '../../server/src/core/explain';
import { explainInDumps, knownContactIds } from '../../server/src/core/explainInput';
import { CHAIN_LABEL_RULES, DISCONNECT_BY, disconnectBy, labelLeg, OFFERED_STATES } from '../../server/src/core/explainRules';
import { explanationHoverLines, explanationMarkdown, explanationSentences, explanationText, formatSeconds } from '../../server/src/core/explainText';
import type { ChainLeg, Explanation, Offer, Phase } from '../../server/src/core/explainTypes';
import type { Dump } from '../../server/src/core/types';

const ROOT = join(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/explain');

function dumpsOf(...files: string[]): Dump[] {
  return files.map((f) => analyzeText(f, readFileSync(f, 'utf8')).dump);
}
function explain(id: string, ...files: string[]): Explanation {
  const r = explainInDumps(id, dumpsOf(...files));
  assert.ok(r, `${id} explained`);
  return r.explanation;
}
const fix = (name: string) => join(FIX, name);
const sample = (name: string) => join(ROOT, 'samples', name);
const ph = (contactId: string, kind: Phase['kind'], start: string | null, end: string | null, seconds: number, source: Phase['source']): Phase => ({
  contactId,
  kind,
  start,
  end,
  seconds,
  source,
});
/** A first leg: PreviousContactId and InitialContactId null are what label it (CHAIN_LABEL_RULES). */
const initialLeg = (contactId: string, initiationMethod: string, agent: string | null, queue: string | null): ChainLeg => ({
  contactId,
  initiationMethod,
  label: 'initial',
  agent,
  queue,
  evidence: ['PreviousContactId null', 'InitialContactId null'],
});
/** A queued callback's leg: its InitiationMethod and PreviousContactId label it. */
const callbackLeg = (contactId: string, previous: string, agent: string | null, queue: string | null): ChainLeg => ({
  contactId,
  initiationMethod: 'CALLBACK',
  label: 'callback',
  agent,
  queue,
  evidence: ['InitiationMethod CALLBACK', `PreviousContactId ${previous}`],
});
/** The offer a contact record alone tells of: its agent, connected at ConnectedToAgentTimestamp, after AgentConnectionAttempts. */
const acceptedByRecord = (contactId: string, agent: string, connectedAt: string, attempts: number): Offer => ({
  contactId,
  agent,
  outcome: 'accepted',
  ringSeconds: null,
  evidence: [`Agent.ConnectedToAgentTimestamp ${connectedAt}`, `AgentConnectionAttempts ${attempts}`],
});
const FLOW_GAP = 'No contact flow logs are read here: the ivr phase is the time from initiation until the contact was queued, not the flow blocks it ran.';
const noEvents = (id: string) => `No agent events for contact ${id}: its offers and ring times come from the contact record alone.`;

test('external transfer: the EXTERNAL_OUTBOUND leg is an external-transfer, the customer stays on after the agent left', () => {
  const A = '8844e9fb-0951-468b-a9fa-a354454b1601';
  const B = '078c56ef-8500-4e71-afa8-b52fe7f6f673';
  const D = '2026-11-25T';
  assert.deepEqual(explain(A, fix('external-transfer.jsonl')), {
    contactId: A,
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    chain: [
      // A: PreviousContactId null, InitialContactId null -> initial.
      initialLeg(A, 'INBOUND', 'gmorales', 'Support'),
      // B: EXTERNAL_OUTBOUND, Agent null, B.DisconnectTimestamp 10:12:40 > A.TransferCompletedTimestamp 10:04:15 -> external-transfer
      // (B.DisconnectTimestamp is not before A's ACW start 10:04:15, so not an external consult or conference).
      {
        contactId: B,
        initiationMethod: 'EXTERNAL_OUTBOUND',
        label: 'external-transfer',
        agent: null,
        queue: null,
        evidence: [
          'InitiationMethod EXTERNAL_OUTBOUND',
          'Agent null',
          `DisconnectTimestamp ${D}10:12:40Z after the previous leg's TransferCompletedTimestamp ${D}10:04:15Z`,
        ],
      },
    ],
    phases: [
      ph(A, 'ivr', `${D}10:00:00Z`, `${D}10:00:25Z`, 25, 'contactRecord'), // InitiationTimestamp -> Queue.EnqueueTimestamp
      ph(A, 'queue', `${D}10:00:25Z`, `${D}10:01:05Z`, 40, 'contactRecord'), // Enqueue -> Dequeue (= Queue.Duration 40)
      ph(A, 'ringing', `${D}10:01:05Z`, `${D}10:01:09Z`, 4, 'contactRecord'), // Dequeue -> Agent.ConnectedToAgentTimestamp
      ph(A, 'talk', `${D}10:01:09Z`, `${D}10:04:15Z`, 186, 'contactRecord'), // Connected -> ACW start (= AgentInteractionDuration 186, no hold)
      ph(A, 'acw', `${D}10:04:15Z`, `${D}10:04:45Z`, 30, 'contactRecord'), // ACW start -> end (= AfterContactWorkDuration 30)
      ph(A, 'external', `${D}10:04:15Z`, `${D}10:12:40Z`, 505, 'contactRecord'), // TransferCompletedTimestamp -> DisconnectTimestamp
    ],
    // No agent events: the record's agent with ConnectedToAgentTimestamp is the one accepted offer (AgentConnectionAttempts 1).
    offers: [acceptedByRecord(A, 'gmorales', `${D}10:01:09Z`, 1)],
    // Both legs disconnect at 10:12:40; the later leg (B) is where the contact ended. CUSTOMER_DISCONNECT -> customer.
    disconnect: { contactId: B, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}10:12:40Z`, by: 'customer' },
    // talk 186 + hold 0 + acw 30 = handle 216; external 505.
    totals: { ivrSeconds: 25, queueSeconds: 40, talkSeconds: 186, holdSeconds: 0, acwSeconds: 30, handleSeconds: 216, externalSeconds: 505 },
    gaps: [noEvents(A), FLOW_GAP],
  });
});

test('missed, then accepted: AgentConnectionAttempts 2 and two offers from the agent events', () => {
  const M = '53b8ee6b-8696-441d-9d7e-13a02cdabd67';
  const D = '2026-11-25T';
  assert.deepEqual(explain(M, fix('missed-then-accepted.jsonl')), {
    contactId: M,
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    chain: [initialLeg(M, 'INBOUND', 'hsato', 'Support')],
    phases: [
      ph(M, 'ivr', `${D}14:00:00Z`, `${D}14:00:18Z`, 18, 'contactRecord'), // Initiation -> Enqueue
      ph(M, 'queue', `${D}14:00:18Z`, `${D}14:01:04Z`, 46, 'contactRecord'), // Enqueue -> Dequeue (= Duration 46)
      ph(M, 'ringing', `${D}14:00:31.204Z`, `${D}14:00:51.311Z`, 20.107, 'agentEvent'), // asilva CONNECTING -> MISSED: 51.311 - 31.204
      ph(M, 'ringing', `${D}14:00:58.412Z`, `${D}14:01:03.877Z`, 5.465, 'agentEvent'), // hsato CONNECTING -> CONNECTED: 63.877 - 58.412
      ph(M, 'talk', `${D}14:01:03.877Z`, `${D}14:05:10.243Z`, 246.366, 'agentEvent'), // CONNECTED -> ENDED: 310.243 - 63.877 (record: 246)
      ph(M, 'acw', `${D}14:05:10.243Z`, `${D}14:05:40.611Z`, 30.368, 'agentEvent'), // ENDED -> cleared: 40.611 - 10.243 (record: 30)
    ],
    offers: [
      // The disconnect (14:05:10) is not within asilva's ring (14:00:31-14:00:51): missed, not abandoned.
      { contactId: M, agent: 'asilva', outcome: 'missed', ringSeconds: 20.107, evidence: [`CONNECTING -> MISSED (${D}14:00:31.204Z -> ${D}14:00:51.311Z)`] },
      { contactId: M, agent: 'hsato', outcome: 'accepted', ringSeconds: 5.465, evidence: [`CONNECTING -> CONNECTED (${D}14:00:58.412Z -> ${D}14:01:03.877Z)`] },
    ],
    disconnect: { contactId: M, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}14:05:10Z`, by: 'customer' },
    // handle = 246.366 + 0 + 30.368 = 276.734. Two offers = AgentConnectionAttempts 2: no gap.
    totals: { ivrSeconds: 18, queueSeconds: 46, talkSeconds: 246.366, holdSeconds: 0, acwSeconds: 30.368, handleSeconds: 276.734, externalSeconds: 0 },
    gaps: [FLOW_GAP],
  });
});

test('rejected chat: rejected by one agent, abandoned while ringing the next', () => {
  const C = '31d42389-e69c-4e6f-b46d-9738f458cd43';
  const D = '2026-11-25T';
  assert.deepEqual(explain(C, fix('rejected-chat.jsonl')), {
    contactId: C,
    channel: 'CHAT',
    initiationMethod: 'API',
    chain: [initialLeg(C, 'API', null, 'Chat Support')],
    phases: [
      ph(C, 'ivr', `${D}16:20:00Z`, `${D}16:20:04Z`, 4, 'contactRecord'), // API contacts start in a flow: Initiation -> Enqueue
      ph(C, 'queue', `${D}16:20:04Z`, `${D}16:21:30Z`, 86, 'contactRecord'), // Enqueue -> Dequeue (= Duration 86)
      ph(C, 'ringing', `${D}16:20:10.150Z`, `${D}16:20:14.420Z`, 4.27, 'agentEvent'), // frahman: 14.420 - 10.150
      ph(C, 'ringing', `${D}16:21:21.730Z`, `${D}16:21:30.480Z`, 8.75, 'agentEvent'), // gmorales: 30.480 - 21.730
    ],
    offers: [
      { contactId: C, agent: 'frahman', outcome: 'rejected', ringSeconds: 4.27, evidence: [`CONNECTING -> REJECTED (${D}16:20:10.150Z -> ${D}16:20:14.420Z)`] },
      // DisconnectTimestamp 16:21:30 lies in [16:21:21.730, 16:21:30.480] (1 s slack): the customer left while it rang.
      {
        contactId: C,
        agent: 'gmorales',
        outcome: 'abandoned',
        ringSeconds: 8.75,
        evidence: [`CONNECTING -> REJECTED (${D}16:21:21.730Z -> ${D}16:21:30.480Z)`, `DisconnectTimestamp ${D}16:21:30Z falls within the ring`],
      },
    ],
    disconnect: { contactId: C, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}16:21:30Z`, by: 'customer' },
    // Agent null in the record: no talk, hold or ACW (zero, which the record tells).
    totals: { ivrSeconds: 4, queueSeconds: 86, talkSeconds: 0, holdSeconds: 0, acwSeconds: 0, handleSeconds: 0, externalSeconds: 0 },
    gaps: [FLOW_GAP],
  });
});

test('queued callback from contact records alone: callback-wait, then queue, ring, talk, ACW', () => {
  const I = '5da24011-572c-4181-a466-7090d731918a';
  const K = '6dbde3a4-3443-4d1f-a2d7-e09c41add957';
  const D = '2026-11-25T';
  assert.deepEqual(explain(K, fix('callback-records.jsonl')), {
    contactId: K,
    channel: 'VOICE',
    initiationMethod: 'CALLBACK',
    chain: [initialLeg(I, 'INBOUND', null, 'Support'), callbackLeg(K, I, 'dkowalski', 'Callback')],
    phases: [
      ph(I, 'ivr', `${D}08:10:00Z`, `${D}08:10:20Z`, 20, 'contactRecord'),
      ph(I, 'queue', `${D}08:10:20Z`, `${D}08:11:45Z`, 85, 'contactRecord'), // = Duration 85
      ph(K, 'callback-wait', `${D}08:11:44Z`, `${D}08:15:00Z`, 196, 'contactRecord'), // callback created -> queued: the initial delay
      ph(K, 'queue', `${D}08:15:00Z`, `${D}08:16:10Z`, 70, 'contactRecord'), // = Duration 70
      ph(K, 'ringing', `${D}08:16:10Z`, `${D}08:16:31Z`, 21, 'contactRecord'), // Dequeue -> ConnectedToAgent
      ph(K, 'talk', `${D}08:16:31Z`, `${D}08:21:31Z`, 300, 'contactRecord'), // = AgentInteractionDuration 300
      ph(K, 'acw', `${D}08:21:31Z`, `${D}08:22:01Z`, 30, 'contactRecord'),
    ],
    offers: [acceptedByRecord(K, 'dkowalski', `${D}08:16:31Z`, 1)],
    // The callback (08:21:31) disconnects after the inbound contact (08:11:45).
    disconnect: { contactId: K, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}08:21:31Z`, by: 'customer' },
    // queue 85 + 70 = 155 (callback-wait is not queue time); handle 300 + 0 + 30.
    totals: { ivrSeconds: 20, queueSeconds: 155, talkSeconds: 300, holdSeconds: 0, acwSeconds: 30, handleSeconds: 330, externalSeconds: 0 },
    gaps: [noEvents(K), FLOW_GAP],
  });
});

test('paused task from agent events alone: talk and pause spans; what only a contact record tells is null', () => {
  const T = 'fe649f67-1f2a-4ec2-8821-fddd6631ef84';
  const D = '2026-11-25T13:';
  assert.deepEqual(explain(T, fix('paused-task-events.jsonl')), {
    contactId: T,
    channel: 'TASK',
    initiationMethod: 'API',
    chain: [initialLeg(T, 'API', 'enovak', 'Back Office Tasks')],
    phases: [
      ph(T, 'ringing', `${D}00:05.100Z`, `${D}00:09.300Z`, 4.2, 'agentEvent'),
      ph(T, 'talk', `${D}00:09.300Z`, `${D}03:10.500Z`, 181.2, 'agentEvent'), // the HEART_BEAT at 13:02:00 repeats CONNECTED: no new span
      ph(T, 'paused', `${D}03:10.500Z`, `${D}08:10.500Z`, 300, 'agentEvent'),
      ph(T, 'talk', `${D}08:10.500Z`, `${D}09:00.000Z`, 49.5, 'agentEvent'),
      ph(T, 'paused', `${D}09:00.000Z`, `${D}10:00.000Z`, 60, 'agentEvent'),
      ph(T, 'talk', `${D}10:00.000Z`, `${D}12:30.250Z`, 150.25, 'agentEvent'),
      ph(T, 'acw', `${D}12:30.250Z`, `${D}13:00.750Z`, 30.5, 'agentEvent'), // ENDED -> cleared
    ],
    offers: [
      { contactId: T, agent: 'enovak', outcome: 'accepted', ringSeconds: 4.2, evidence: [`CONNECTING -> CONNECTED (${D}00:05.100Z -> ${D}00:09.300Z)`] },
    ],
    disconnect: { contactId: T, reason: null, timestamp: null, by: 'unknown' },
    // talk 181.2 + 49.5 + 150.25 = 380.95; handle 380.95 + 0 + 30.5 = 411.45. IVR, queue, external: no record, null.
    totals: { ivrSeconds: null, queueSeconds: null, talkSeconds: 380.95, holdSeconds: 0, acwSeconds: 30.5, handleSeconds: 411.45, externalSeconds: null },
    gaps: [
      `No contact record for contact ${T}: its IVR, queue, external and disconnect times are not in the dumps.`,
      'No DisconnectTimestamp in the dumps: when and how the contact ended is not known.',
    ],
  });
});

/** The consult and conference fixtures share the initiator's timeline. */
function consultative(
  initiator: string,
  other: string,
  label: 'consult' | 'conference',
  t: { interaction: number; hold: number; bTalk: number; bAcwStart: string; bAcwEnd: string },
): Explanation {
  const D = '2026-11-25T';
  return {
    contactId: initiator,
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    chain: [
      initialLeg(initiator, 'INBOUND', 'asilva', 'Support'),
      {
        contactId: other,
        initiationMethod: 'TRANSFER',
        label,
        agent: 'bokafor',
        queue: 'Billing',
        evidence: [
          `this leg's AfterContactWorkStartTimestamp ${D}${t.bAcwStart} before the previous leg's ${D}11:09:19Z`,
          `AgentInteractionDuration ${t.bTalk} ${label === 'consult' ? '<=' : '>'} 2`,
        ],
      },
    ],
    phases: [
      ph(initiator, 'ivr', `${D}11:00:00Z`, `${D}11:00:30Z`, 30, 'contactRecord'),
      ph(initiator, 'queue', `${D}11:00:30Z`, `${D}11:01:00Z`, 30, 'contactRecord'),
      ph(initiator, 'ringing', `${D}11:01:00Z`, `${D}11:01:04Z`, 4, 'contactRecord'),
      ph(initiator, 'acw', `${D}11:09:19Z`, `${D}11:10:00Z`, 41, 'contactRecord'),
      // The customer was on hold: the record gives talk and hold as totals only (no times).
      ph(initiator, 'talk', null, null, t.interaction, 'contactRecord'), // AgentInteractionDuration
      ph(initiator, 'hold', null, null, t.hold, 'contactRecord'), // CustomerHoldDuration
      ph(other, 'ivr', `${D}11:04:00Z`, `${D}11:04:01Z`, 1, 'contactRecord'),
      ph(other, 'queue', `${D}11:04:01Z`, `${D}11:04:09Z`, 8, 'contactRecord'),
      ph(other, 'ringing', `${D}11:04:09Z`, `${D}11:04:12Z`, 3, 'contactRecord'),
      ph(other, 'talk', `${D}11:04:12Z`, `${D}${t.bAcwStart}`, t.bTalk, 'contactRecord'), // = other's AgentInteractionDuration
      ph(other, 'acw', `${D}${t.bAcwStart}`, `${D}${t.bAcwEnd}`, 30, 'contactRecord'),
    ],
    offers: [acceptedByRecord(initiator, 'asilva', `${D}11:01:04Z`, 1), acceptedByRecord(other, 'bokafor', `${D}11:04:12Z`, 1)],
    // initiator disconnects last (11:09:19): the customer's contact ended there.
    disconnect: { contactId: initiator, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}11:09:19Z`, by: 'customer' },
    totals: {
      ivrSeconds: 31,
      queueSeconds: 38,
      talkSeconds: t.interaction + t.bTalk,
      holdSeconds: t.hold,
      acwSeconds: 71,
      handleSeconds: t.interaction + t.bTalk + t.hold + 71,
      externalSeconds: 0,
    },
    gaps: [noEvents(initiator), noEvents(other), FLOW_GAP],
  };
}

test('consult: the consulted agent enters ACW first and talks at most 2 s', () => {
  const A = '128a6eac-e63b-458d-8514-9deb6191dd84';
  const B = '7244a8a7-a35d-4b7f-b8af-46fdb8460aeb';
  // A: 11:01:04 + 420 talk + 75 hold = 11:09:19 ACW start. talk 420 + 1 = 421; handle 421 + 75 + 41 + 30 = 567.
  assert.deepEqual(
    explain(A, fix('consult.jsonl')),
    consultative(A, B, 'consult', { interaction: 420, hold: 75, bTalk: 1, bAcwStart: '11:04:13Z', bAcwEnd: '11:04:43Z' }),
  );
  // Asked from the consulted leg, the same chain and figures: only the subject changes.
  const fromB = explain(B, fix('consult.jsonl'));
  assert.equal(fromB.contactId, B);
  assert.equal(fromB.initiationMethod, 'TRANSFER');
  assert.deepEqual(
    fromB.chain.map((l) => l.label),
    ['initial', 'consult'],
  );
});

test('conference: the consulted agent enters ACW first and talks more than 2 s', () => {
  const A = '78ff1ebb-649e-4fdd-8066-3c67a29847e3';
  const B = 'b1cf56f6-24f4-4b21-bfd5-42cfe4891155';
  // A: 11:01:04 + 475 + 20 = 11:09:19. B: 11:04:12 + 95 = 11:05:47. talk 570; handle 570 + 20 + 71 = 661.
  assert.deepEqual(
    explain(A, fix('conference.jsonl')),
    consultative(A, B, 'conference', { interaction: 475, hold: 20, bTalk: 95, bAcwStart: '11:05:47Z', bAcwEnd: '11:06:17Z' }),
  );
});

test('sample transfer chain: three legs, holds from the agent events', () => {
  const L1 = '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b';
  const L2 = '94900a4f-4639-4ad4-89bc-12f495f8effd';
  const L3 = '665db55d-690b-4b10-b56a-007346369638';
  const D = '2026-11-24T09:';
  // The JSON array and the JSON Lines copy of the same records: the copies do not double anything.
  const e = explain(L2, sample('transfer-chain.jsonl'), sample('transfer-chain.json'), sample('transfer-chain-agent-events.jsonl'));
  const transferEvidence = (prevAcw: string, acw: string) => [
    'InitiationMethod TRANSFER',
    `previous leg's AfterContactWorkStartTimestamp ${D}${prevAcw} not after this leg's ${D}${acw} (not a consult or conference)`,
    "previous leg's TransferCompletedTimestamp null",
  ];
  assert.deepEqual(e, {
    contactId: L2,
    channel: 'VOICE',
    initiationMethod: 'TRANSFER',
    chain: [
      initialLeg(L1, 'INBOUND', 'asilva', 'Support'),
      // No TransferCompletedTimestamp in the sample: the admin guide's transfer test cannot confirm; InitiationMethod TRANSFER and
      // the ACW order (the previous agent entered ACW first) rule out a consult or conference.
      { contactId: L2, initiationMethod: 'TRANSFER', label: 'transfer', agent: 'bokafor', queue: 'Billing', evidence: transferEvidence('05:32Z', '13:22Z') },
      { contactId: L3, initiationMethod: 'TRANSFER', label: 'transfer', agent: 'cwei', queue: 'Escalations', evidence: transferEvidence('13:22Z', '21:05Z') },
    ],
    phases: [
      ph(L1, 'ivr', `${D}00:00Z`, `${D}00:42Z`, 42, 'contactRecord'),
      ph(L1, 'queue', `${D}00:42Z`, `${D}01:10Z`, 28, 'contactRecord'), // = Queue.Duration 28
      ph(L1, 'ringing', `${D}01:05.310Z`, `${D}01:10.127Z`, 4.817, 'agentEvent'),
      ph(L1, 'talk', `${D}01:10.127Z`, `${D}05:32.404Z`, 262.277, 'agentEvent'), // record: AgentInteractionDuration 262
      ph(L1, 'acw', `${D}05:32.404Z`, `${D}06:10.611Z`, 38.207, 'agentEvent'), // record: 38
      ph(L2, 'ivr', `${D}05:30Z`, `${D}05:31Z`, 1, 'contactRecord'),
      ph(L2, 'queue', `${D}05:31Z`, `${D}06:52Z`, 81, 'contactRecord'),
      ph(L2, 'ringing', `${D}06:47.522Z`, `${D}06:52.140Z`, 4.618, 'agentEvent'),
      ph(L2, 'talk', `${D}06:52.140Z`, `${D}08:00.317Z`, 68.177, 'agentEvent'),
      // On hold: EventTimestamps time it (StateStartTimestamp keeps the CONNECTED time). Record: NumberOfHolds 2, 135 s.
      ph(L2, 'hold', `${D}08:00.317Z`, `${D}09:30.402Z`, 90.085, 'agentEvent'), // LongestHoldDuration 90
      ph(L2, 'talk', `${D}09:30.402Z`, `${D}11:00.118Z`, 89.716, 'agentEvent'),
      ph(L2, 'hold', `${D}11:00.118Z`, `${D}11:45.630Z`, 45.512, 'agentEvent'),
      ph(L2, 'talk', `${D}11:45.630Z`, `${D}13:22.509Z`, 96.879, 'agentEvent'),
      ph(L2, 'acw', `${D}13:22.509Z`, `${D}14:05.774Z`, 43.265, 'agentEvent'),
      ph(L3, 'ivr', `${D}13:20Z`, `${D}13:21Z`, 1, 'contactRecord'),
      ph(L3, 'queue', `${D}13:21Z`, `${D}14:40Z`, 79, 'contactRecord'),
      ph(L3, 'ringing', `${D}14:36.015Z`, `${D}14:40.288Z`, 4.273, 'agentEvent'),
      ph(L3, 'talk', `${D}14:40.288Z`, `${D}21:05.731Z`, 385.443, 'agentEvent'),
      ph(L3, 'acw', `${D}21:05.731Z`, `${D}22:30.129Z`, 84.398, 'agentEvent'),
    ],
    offers: [
      { contactId: L1, agent: 'asilva', outcome: 'accepted', ringSeconds: 4.817, evidence: [`CONNECTING -> CONNECTED (${D}01:05.310Z -> ${D}01:10.127Z)`] },
      { contactId: L2, agent: 'bokafor', outcome: 'accepted', ringSeconds: 4.618, evidence: [`CONNECTING -> CONNECTED (${D}06:47.522Z -> ${D}06:52.140Z)`] },
      { contactId: L3, agent: 'cwei', outcome: 'accepted', ringSeconds: 4.273, evidence: [`CONNECTING -> CONNECTED (${D}14:36.015Z -> ${D}14:40.288Z)`] },
    ],
    disconnect: { contactId: L3, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}21:05Z`, by: 'customer' },
    totals: {
      ivrSeconds: 44, // 42 + 1 + 1
      queueSeconds: 188, // 28 + 81 + 79
      talkSeconds: 902.492, // 262.277 + 68.177 + 89.716 + 96.879 + 385.443
      holdSeconds: 135.597, // 90.085 + 45.512
      acwSeconds: 165.87, // 38.207 + 43.265 + 84.398
      handleSeconds: 1203.959, // 902.492 + 135.597 + 165.87
      externalSeconds: 0,
    },
    gaps: [FLOW_GAP],
  });
});

test('sample transfer chain with its flow logs: the ivr phase runs from the first to the last block before the queue', () => {
  const L1 = '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b';
  const L2 = '94900a4f-4639-4ad4-89bc-12f495f8effd';
  const L3 = '665db55d-690b-4b10-b56a-007346369638';
  const D = '2026-11-24T09:';
  const files = [sample('transfer-chain.jsonl'), sample('transfer-chain-agent-events.jsonl'), sample('transfer-chain-flow-logs.jsonl')];
  const e = explain(L2, ...files);
  assert.deepEqual(
    e.phases.filter((p) => p.kind === 'ivr'),
    [
      // Leg 1: "Enable flow logs" 09:00:00.412 -> "To Support" (TransferToQueue) 09:00:42.118, 118 ms after the
      // record's whole-second EnqueueTimestamp 09:00:42 (within the 1 s tolerance): 41.706 s (the record alone: 42 s).
      ph(L1, 'ivr', `${D}00:00.412Z`, `${D}00:42.118Z`, 41.706, 'flowLog'),
      // Leg 2: "Connecting you" 09:05:30.402 -> "To Billing" 09:05:30.990 (record: 09:05:30 -> 09:05:31, 1 s).
      ph(L2, 'ivr', `${D}05:30.402Z`, `${D}05:30.990Z`, 0.588, 'flowLog'),
      // Leg 3: 09:13:20.377 -> 09:13:20.948.
      ph(L3, 'ivr', `${D}13:20.377Z`, `${D}13:20.948Z`, 0.571, 'flowLog'),
    ],
  );
  assert.equal(e.totals.ivrSeconds, 42.865); // 41.706 + 0.588 + 0.571
  assert.equal(e.totals.queueSeconds, 188, 'the other phases are unchanged');
  assert.deepEqual(e.gaps, [], 'every ivr phase comes from flow logs: the flow log gap sentence is gone');
  const text = explanationText(e, explainInDumps(L2, dumpsOf(...files))!.refs);
  // The narrative reads the same figures: 41.706 s rounds to 42 s, 0.588 s is 0.6 s; 42.865 s in all, 43 s.
  assert.match(text, /queue Support: 42 s in IVR, /);
  assert.match(text, /queue Billing: 0\.6 s in IVR, /);
  assert.match(text, /Totals over the chain: IVR 43 s, /);

  // Flow logs of leg 1 only: legs 2 and 3 keep initiation -> enqueue, and the gap says so.
  const flows = readFileSync(sample('transfer-chain-flow-logs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => JSON.parse(l).ContactId === L1);
  // Invented: a block run 20 s after leg 1 was queued (a later flow), and one an hour later: neither is IVR time.
  const later = { ...JSON.parse(flows[0]), Identifier: 'Queue announcement', ContactFlowModuleType: 'PlayPrompt', Timestamp: `${D}01:02.000Z` };
  const disconnectFlow = { ...later, ContactFlowName: 'Post-call survey', Identifier: 'Rate us', Timestamp: '2026-11-24T10:00:00.000Z' };
  const dir = mkdtempSync(join(tmpdir(), 'explain-flows-'));
  const partial = join(dir, 'leg1-flow-logs.jsonl');
  writeFileSync(partial, [...flows, JSON.stringify(later), JSON.stringify(disconnectFlow)].join('\n') + '\n');
  const p = explain(L2, files[0], files[1], partial);
  assert.deepEqual(
    p.phases.filter((x) => x.kind === 'ivr'),
    [
      ph(L1, 'ivr', `${D}00:00.412Z`, `${D}00:42.118Z`, 41.706, 'flowLog'),
      ph(L2, 'ivr', `${D}05:30Z`, `${D}05:31Z`, 1, 'contactRecord'),
      ph(L3, 'ivr', `${D}13:20Z`, `${D}13:21Z`, 1, 'contactRecord'),
    ],
  );
  assert.deepEqual(p.gaps, [FLOW_GAP]);
});

test('sample queued callback: INCOMING -> PENDING -> CONNECTING -> CONNECTED is one accepted offer', () => {
  const I = 'b72c8ecf-12b2-46e0-bf85-bbf342caf503';
  const K = 'cd43450f-5e1e-4da6-90d2-3e954215895f';
  const D = '2026-11-24T11:';
  assert.deepEqual(explain(K, sample('queued-callback.jsonl')), {
    contactId: K,
    channel: 'VOICE',
    initiationMethod: 'CALLBACK',
    chain: [initialLeg(I, 'INBOUND', null, 'Support'), callbackLeg(K, I, 'dkowalski', 'Callback')],
    phases: [
      ph(I, 'ivr', `${D}35:04Z`, `${D}35:20Z`, 16, 'contactRecord'),
      ph(I, 'queue', `${D}35:20Z`, `${D}37:00Z`, 100, 'contactRecord'), // = Duration 100
      ph(K, 'callback-wait', `${D}36:59Z`, `${D}38:38Z`, 99, 'contactRecord'), // the sample's 99 s initial delay
      ph(K, 'queue', `${D}38:38Z`, `${D}39:00Z`, 22, 'contactRecord'), // = Duration 22
      ph(K, 'ringing', `${D}38:52.330Z`, `${D}39:25.406Z`, 33.076, 'agentEvent'), // INCOMING start -> CONNECTED start
      ph(K, 'talk', `${D}39:25.406Z`, `${D}45:02.118Z`, 336.712, 'agentEvent'), // record: 337
      ph(K, 'acw', `${D}45:02.118Z`, `${D}45:40.903Z`, 38.785, 'agentEvent'), // record: 38
    ],
    offers: [
      {
        contactId: K,
        agent: 'dkowalski',
        outcome: 'accepted',
        ringSeconds: 33.076,
        evidence: [`INCOMING -> PENDING -> CONNECTING -> CONNECTED (${D}38:52.330Z -> ${D}39:25.406Z)`],
      },
    ],
    disconnect: { contactId: K, reason: 'CUSTOMER_DISCONNECT', timestamp: `${D}45:02Z`, by: 'customer' },
    totals: { ivrSeconds: 16, queueSeconds: 122, talkSeconds: 336.712, holdSeconds: 0, acwSeconds: 38.785, handleSeconds: 375.497, externalSeconds: 0 },
    gaps: [FLOW_GAP],
  });
});

test('sample paused task and sample chat (Firehose)', () => {
  const T = '5c73b0f9-fcf3-41be-8c8b-4ae630f583d7';
  const D = '2026-11-24T13:';
  assert.deepEqual(explain(T, sample('task-paused.json')), {
    contactId: T,
    channel: 'TASK',
    initiationMethod: 'API',
    chain: [initialLeg(T, 'API', 'enovak', 'Back Office Tasks')],
    phases: [
      ph(T, 'ivr', `${D}00:00Z`, `${D}00:01Z`, 1, 'contactRecord'),
      ph(T, 'queue', `${D}00:01Z`, `${D}02:14Z`, 133, 'contactRecord'),
      ph(T, 'ringing', `${D}02:10.044Z`, `${D}02:14.381Z`, 4.337, 'agentEvent'),
      ph(T, 'talk', `${D}02:14.381Z`, `${D}05:00.226Z`, 165.845, 'agentEvent'),
      ph(T, 'paused', `${D}05:00.226Z`, `${D}14:52.902Z`, 592.676, 'agentEvent'), // record: AgentPauseDuration 593
      ph(T, 'talk', `${D}14:52.902Z`, `${D}20:00.337Z`, 307.435, 'agentEvent'),
      ph(T, 'acw', `${D}20:00.337Z`, `${D}20:30.615Z`, 30.278, 'agentEvent'),
    ],
    offers: [
      { contactId: T, agent: 'enovak', outcome: 'accepted', ringSeconds: 4.337, evidence: [`CONNECTING -> CONNECTED (${D}02:10.044Z -> ${D}02:14.381Z)`] },
    ],
    disconnect: { contactId: T, reason: 'AGENT_DISCONNECT', timestamp: `${D}20:00Z`, by: 'agent' },
    // talk 165.845 + 307.435 = 473.28 (record: AgentInteractionDuration 473, pause left out).
    totals: { ivrSeconds: 1, queueSeconds: 133, talkSeconds: 473.28, holdSeconds: 0, acwSeconds: 30.278, handleSeconds: 503.558, externalSeconds: 0 },
    gaps: [FLOW_GAP],
  });
  const C = '635b8b04-5e15-4292-b934-a351337c86ce';
  const H = '2026-11-24T10:';
  assert.deepEqual(explain(C, sample('chat.firehose')), {
    contactId: C,
    channel: 'CHAT',
    initiationMethod: 'API',
    chain: [initialLeg(C, 'API', 'frahman', 'Chat Support')],
    phases: [
      ph(C, 'ivr', `${H}02:11Z`, `${H}02:30Z`, 19, 'contactRecord'),
      ph(C, 'queue', `${H}02:30Z`, `${H}02:58Z`, 28, 'contactRecord'),
      ph(C, 'ringing', `${H}02:55.601Z`, `${H}02:58.075Z`, 2.474, 'agentEvent'),
      ph(C, 'talk', `${H}02:58.075Z`, `${H}09:40.516Z`, 402.441, 'agentEvent'),
      ph(C, 'acw', `${H}09:40.516Z`, `${H}10:05.244Z`, 24.728, 'agentEvent'),
    ],
    offers: [
      { contactId: C, agent: 'frahman', outcome: 'accepted', ringSeconds: 2.474, evidence: [`CONNECTING -> CONNECTED (${H}02:55.601Z -> ${H}02:58.075Z)`] },
    ],
    disconnect: { contactId: C, reason: 'CUSTOMER_DISCONNECT', timestamp: `${H}09:40Z`, by: 'customer' },
    totals: { ivrSeconds: 19, queueSeconds: 28, talkSeconds: 402.441, holdSeconds: 0, acwSeconds: 24.728, handleSeconds: 427.169, externalSeconds: 0 },
    gaps: [FLOW_GAP],
  });
});

test('an ID in no dump is not explained; the closest known IDs are offered', () => {
  const dumps = dumpsOf(sample('transfer-chain.jsonl'));
  assert.equal(explainInDumps('94900a4f-4639-4ad4-89bc-12f495f8effe', dumps), undefined);
  const closest = closestContactIds('94900a4f-4639-4ad4-89bc-12f495f8effe', knownContactIds(dumps));
  assert.equal(closest[0], '94900a4f-4639-4ad4-89bc-12f495f8effd');
  assert.equal(closest.length, 3);
});

test('a leg whose record is missing is a gap, not an invented leg', () => {
  const lines = readFileSync(sample('transfer-chain.jsonl'), 'utf8').split('\n').filter(Boolean);
  const dump = analyzeText('mem://two-legs.jsonl', lines.slice(0, 2).join('\n')).dump; // leg 3's record is gone
  const e = explainInDumps('1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b', [dump])!.explanation;
  assert.deepEqual(
    e.chain.map((l) => l.contactId),
    ['1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b', '94900a4f-4639-4ad4-89bc-12f495f8effd'],
  );
  assert.ok(e.gaps.includes('Contact 665db55d-690b-4b10-b56a-007346369638 is linked from the chain but has no contact record or agent event in the dumps.'));
  // Of the legs in this dump, leg 2 disconnected last.
  assert.equal(e.disconnect.contactId, '94900a4f-4639-4ad4-89bc-12f495f8effd');
});

test('a record whose attempts exceed the offers seen says so', () => {
  const text = readFileSync(fix('missed-then-accepted.jsonl'), 'utf8').split('\n').filter(Boolean);
  const withoutAsilva = text.filter((l) => !l.includes('"Username":"asilva"')).join('\n');
  const e = explainInDumps('53b8ee6b-8696-441d-9d7e-13a02cdabd67', [analyzeText('mem://m.jsonl', withoutAsilva).dump])!.explanation;
  assert.deepEqual(
    e.offers.map((o) => [o.agent, o.outcome]),
    [['hsato', 'accepted']],
  );
  assert.ok(
    e.gaps.includes(
      'Contact 53b8ee6b-8696-441d-9d7e-13a02cdabd67: AgentConnectionAttempts is 2 but the dumps show 1 offer(s); the agent events of the other attempt(s) are not in the dumps.',
    ),
  );
});

test('chain rules: monitor and cross-instance, and a fallback that never goes unsaid', () => {
  const base = { contactId: 'b', hasAgent: true };
  assert.equal(labelLeg({ ...base, initiationMethod: 'MONITOR', previousContactId: 'a' }, undefined).label, 'monitor');
  const cross = labelLeg(
    { ...base, initiationMethod: 'TRANSFER', previousContactId: 'a', instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/two' },
    { contactId: 'a', hasAgent: true, instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/one' },
  );
  assert.equal(cross.label, 'cross-instance');
  assert.deepEqual(cross.evidence, [
    'InstanceARN arn:aws:connect:us-east-1:111122223333:instance/two',
    "previous leg's InstanceARN arn:aws:connect:us-east-1:111122223333:instance/one",
  ]);
  assert.equal(labelLeg({ ...base, initiationMethod: 'QUEUE_TRANSFER', previousContactId: 'a' }, undefined).label, 'queue-transfer');
  const fallback = labelLeg({ ...base, initiationMethod: 'API', previousContactId: 'a' }, undefined);
  assert.equal(fallback.label, 'transfer');
  assert.equal(fallback.rule.source, 'inferred');
  for (const rule of CHAIN_LABEL_RULES) assert.ok(rule.rule.length > 0 && rule.source);
});

test('the disconnect table covers every DisconnectReason of the schema; offered states come from states.ts', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/contact-record.schema.json'), 'utf8'));
  const reasons: (string | null)[] = schema.properties.DisconnectReason.enum;
  for (const r of reasons) if (r !== null) assert.ok(Object.hasOwn(DISCONNECT_BY, r), `${r} has a row`);
  assert.equal(disconnectBy('CUSTOMER_DISCONNECT'), 'customer');
  assert.equal(disconnectBy('AGENT_DISCONNECT'), 'agent');
  assert.equal(disconnectBy('THIRD_PARTY_DISCONNECT'), 'third-party');
  assert.equal(disconnectBy('CONTACT_FLOW_DISCONNECT'), 'system');
  assert.equal(disconnectBy('SOMETHING_NEW'), 'unknown');
  assert.equal(disconnectBy('toString'), 'unknown');
  assert.deepEqual([...OFFERED_STATES].sort(), ['CONNECTING', 'INCOMING', 'PENDING']);
});

test('narrative: text, Markdown and hover lines say the same figures, and Markdown escapes dump values', () => {
  const r = explainInDumps('53b8ee6b-8696-441d-9d7e-13a02cdabd67', dumpsOf(fix('missed-then-accepted.jsonl')))!;
  const text = explanationText(r.explanation, r.refs);
  assert.match(text, /^Contact 53b8ee6b-8696-441d-9d7e-13a02cdabd67 \(VOICE, INBOUND\): a single contact, no other leg in the dumps\.$/m);
  assert.match(text, /offered to asilva: missed after 20 s, offered to hsato: accepted after 5\.5 s, talk 4 min 6 s, ACW 30 s\./);
  assert.match(text, /DisconnectReason CUSTOMER_DISCONNECT, so the customer ended it\./);
  assert.match(text, /Totals: IVR 18 s, queue 46 s, talk 4 min 6 s, hold 0 s, ACW 30 s, handle time 4 min 37 s\./);
  assert.deepEqual(explanationHoverLines(r.explanation), [
    'Time: IVR 18 s, queue 46 s, talk 4 min 6 s, hold 0 s, ACW 30 s, handle 4 min 37 s',
    'Offers: asilva missed (20 s); hsato accepted (5.5 s)',
  ]);
  // Each leg sentence links to the records it is read from: the contact record and the agent events of its offers.
  const leg = explanationSentences(r.explanation, r.refs).find((s) => s.kind === 'leg')!;
  assert.equal(leg.refs.length, 1 + 2 + 4); // the record, asilva's CONNECTING and MISSED events, hsato's four events
  const evil = { ...r.explanation, offers: [{ ...r.explanation.offers[0], agent: '<img src=x onerror=alert(1)>*bold*' }] };
  const md = explanationMarkdown(evil, r.refs);
  assert.ok(md.includes('\\<img src=x onerror=alert\\(1\\)\\>\\*bold\\*'));
  assert.equal(formatSeconds(4.817), '4.8 s');
  assert.equal(formatSeconds(3725), '1 h 2 min 5 s');
  assert.equal(formatSeconds(60), '1 min');
});

test('real 2019 agent event: a contact in ERROR only in the PreviousAgentSnapshot, never connected, is an offer to that agent that failed', () => {
  // test/fixtures/real/agent-event.missed-contact-error-2019.json (SOURCES.md there): queued at
  // 09:15:53.053, ERROR from 09:15:54.054 with ConnectedToAgentTimestamp null in the previous
  // snapshot of the event at 09:16:02.002, gone from its current snapshot.
  const file = join(ROOT, 'test/fixtures/real/agent-event.missed-contact-error-2019.json');
  const C = 'c0000005-0000-4000-8000-000000000001';
  const r = explainInDumps(C, dumpsOf(file));
  assert.ok(r);
  const e = r.explanation;
  assert.deepEqual(e.offers, [
    {
      contactId: C,
      agent: 'P00000001', // the agent's Username in the event's snapshots
      outcome: 'error',
      ringSeconds: null, // no offered state (CONNECTING) in the dumps
      evidence: [
        'ERROR from 2019-01-21T09:15:54.054Z in the PreviousAgentSnapshot of the event at 2019-01-21T09:16:02.002Z',
        'QueueTimestamp 2019-01-21T09:15:53.053Z',
        'ConnectedToAgentTimestamp null',
      ],
    },
  ]);
  assert.equal(e.chain[0].agent, null); // offered, never connected
  assert.deepEqual(e.phases, []);
  assert.ok(
    e.gaps.includes(
      `No offered state (INCOMING, PENDING, CONNECTING) of contact ${C} to P00000001 is in the dumps: when that offer started and how long it rang are not known.`,
    ),
  );
  const text = explanationText(e, r.refs);
  assert.match(
    text,
    /no agent connected, queue Queue 1: offered to P00000001: failed \(ERROR\) \[ERROR from 2019-01-21T09:15:54\.054Z in the PreviousAgentSnapshot/,
  );
  assert.doesNotMatch(text, /; no agent,/);
  assert.deepEqual(explanationHoverLines(e)[1], 'Offers: P00000001 error');
  // The offer points at the event that shows it.
  const text0 = readFileSync(file, 'utf8');
  assert.equal(r.refs.offers[0].length, 1);
  assert.ok(text0.slice(r.refs.offers[0][0].start, r.refs.offers[0][0].end).includes('"PreviousAgentSnapshot"'));
});

test('a state seen only in a PreviousAgentSnapshot: an error after the agent connected is no offer; a missed offer is one', () => {
  const file = join(ROOT, 'test/fixtures/real/agent-event.missed-contact-error-2019.json');
  const C = 'c0000005-0000-4000-8000-000000000001';
  const base = readFileSync(file, 'utf8');
  const explainText = (text: string) => explainInDumps(C, [analyzeText('file:///m.json', text).dump])!.explanation;
  // Changed here: connected at 09:15:54.054 before the error: a failed connection, not a failed offer.
  const connected = base.replace('"ConnectedToAgentTimestamp": null', '"ConnectedToAgentTimestamp": "2019-01-21T09:15:54.054Z"');
  assert.notEqual(connected, base);
  assert.deepEqual(explainText(connected).offers, []);
  // Changed here: MISSED instead of ERROR.
  const missed = explainText(base.replace('"State": "ERROR"', '"State": "MISSED"'));
  assert.deepEqual(
    missed.offers.map((o) => [o.agent, o.outcome, o.ringSeconds]),
    [['P00000001', 'missed', null]],
  );
});
