import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../../server/src/core/dump';
import { contactIdAt } from '../../server/src/core/contactAt';
import { buildTimeline } from '../../server/src/core/timeline';
import type { Dump, Finding } from '../../server/src/core/types';
import { isWebviewToExtension, type TimelineModel, type TimelineSegment } from '../../server/src/shared/timeline';
import * as fx from '../webview/fixtures';

const dumpsOf = (sc: fx.Scenario): Dump[] => Object.entries(sc.files).map(([uri, text]) => parseDump(uri, text));
const hms = (iso: string) => iso.slice(11, 19);
const brief = (segs: TimelineSegment[]) => segs.map((s) => `${s.kind} ${s.label} ${hms(s.start)}-${hms(s.end)}`);
const lane = (m: TimelineModel, id: string) => {
  const l = m.lanes.find((x) => x.id === id);
  assert.ok(l, `lane ${id} in ${m.lanes.map((x) => x.id).join(', ')}`);
  return l;
};
const textOf = (dumps: Dump[], s: { uri: string; start: number; end: number }) => {
  const d = dumps.find((x) => x.uri === s.uri);
  assert.ok(d, `dump ${s.uri}`);
  return d.text.slice(s.start, s.end);
};
const agentLaneId = (a: fx.AgentDef) => `agent:${fx.agentArn(a)}`;

test('three-leg transfer chain: every leg, from whichever leg is asked, in time order', () => {
  const sc = fx.transferChain();
  const dumps = dumpsOf(sc);
  const { A, B, C } = fx.TRANSFER;
  for (const asked of [A, B, C]) {
    const m = buildTimeline(asked, dumps);
    assert.ok(m);
    assert.equal(m.contactId, asked);
    assert.deepEqual(
      m.lanes.map((l) => l.id),
      [`leg:${A}`, `leg:${B}`, `leg:${C}`, agentLaneId(fx.ALICE), agentLaneId(fx.BOB), agentLaneId(fx.CAROL)],
    );
    assert.deepEqual(
      m.lanes.slice(0, 3).map((l) => l.title),
      ['Leg 1 · INBOUND', 'Leg 2 · QUEUE_TRANSFER', 'Leg 3 · TRANSFER'],
    );
    assert.equal(lane(m, `leg:${asked}`).relation, 'self');
  }
  const m = buildTimeline(B, dumps)!;
  assert.deepEqual(brief(lane(m, `leg:${A}`).segments), [
    'initiation Initiated (INBOUND) 09:00:00-09:00:20',
    'queue In queue 09:00:20-09:01:05',
    'connecting Connecting 09:01:05-09:01:12',
    'connected Connected 09:01:12-09:05:30',
    'acw After-contact work 09:05:30-09:06:10',
    'disconnect Disconnected: AGENT_DISCONNECT 09:05:30-09:05:30',
  ]);
  assert.equal(lane(m, `leg:${B}`).subtitle, `${B} · VOICE · BillingQueue`);
  assert.deepEqual(
    m.markers.map((k) => [k.kind, k.label, hms(k.at), k.fromLaneId, k.toLaneId]),
    [
      ['transfer', 'Transfer (QUEUE_TRANSFER)', '09:05:30', `leg:${A}`, `leg:${B}`],
      ['transfer', 'Transfer (TRANSFER)', '09:10:00', `leg:${B}`, `leg:${C}`],
    ],
  );
  assert.equal(m.summary.legs, 3);
  assert.equal(m.summary.agents, 3);
  assert.equal(m.summary.initialContactId, A);
  assert.equal(m.summary.totalMs, 15 * 60_000); // 09:00:00 -> 09:15:00 (Carol's ACW ends)
  assert.equal(m.summary.queueMs, (45 + 90 + 6) * 1000);
  assert.equal(m.summary.holdMs, 40_000);
  assert.equal(m.summary.acwMs, (40 + 30 + 60) * 1000);
  assert.deepEqual(m.summary.timeZone, { label: 'UTC', offsetMinutes: 0, note: 'All timestamps in the dumps are UTC.' });
  assert.deepEqual(m.findings, []);
});

test('agent states are ordered by EventTimestamp, not by their order in the dump', () => {
  const sc = fx.transferChain();
  const dumps = dumpsOf(sc);
  const m = buildTimeline(fx.TRANSFER.A, dumps)!;
  const alice = lane(m, agentLaneId(fx.ALICE));
  assert.equal(alice.title, 'alice.example');
  assert.match(alice.subtitle!, /^Alice Example · arn:aws:connect:/);
  assert.deepEqual(brief(alice.segments), [
    'connecting CONNECTING 09:01:05-09:01:12',
    'connected CONNECTED 09:01:12-09:03:00',
    // Hold starts at the event time: StateStartTimestamp of CONNECTED_ONHOLD keeps 09:01:12.
    'hold CONNECTED_ONHOLD 09:03:00-09:03:40',
    'connected CONNECTED 09:03:40-09:05:30',
    'acw ENDED 09:05:30-09:06:10',
  ]);
  assert.ok(alice.segments.every((s) => s.contactId === fx.TRANSFER.A));
  // The hold bar's source is the event that put the contact on hold.
  const hold = alice.segments.find((s) => s.kind === 'hold')!;
  const holdText = textOf(dumps, hold.source);
  assert.equal(JSON.parse(holdText).EventTimestamp, '2024-03-14T09:03:00.000Z');
  // Status behind: Available since 08:30, last seen at 09:06:10 (end not known after that).
  assert.deepEqual(
    alice.background!.map((s) => [s.kind, s.label, s.statusType, hms(s.start), hms(s.end), s.openEnd]),
    [['agent-status', 'Available', 'ROUTABLE', '08:30:00', '09:06:10', true]],
  );
  assert.deepEqual(lane(m, `leg:${fx.TRANSFER.A}`).holds, { from: 'agent-events', count: 1, totalMs: 40_000 });
  // Every leg segment points at its own contact record.
  for (const l of m.lanes.filter((x) => x.kind === 'leg')) {
    for (const s of l.segments) assert.equal(JSON.parse(textOf(dumps, s.source)).ContactId, l.contactId);
  }
});

test('queued callback: the callback leg, its INCOMING offer, a callback marker and holds from the record', () => {
  const dumps = dumpsOf(fx.queuedCallback());
  const { inbound, callback } = fx.CALLBACK;
  const m = buildTimeline(callback, dumps)!;
  assert.deepEqual(
    m.lanes.map((l) => l.title),
    ['Leg 1 · INBOUND', 'Leg 2 · CALLBACK', 'dana.example'],
  );
  assert.deepEqual(brief(lane(m, `leg:${inbound}`).segments), [
    'initiation Initiated (INBOUND) 10:00:00-10:00:30',
    'queue In queue 10:00:30-10:02:00',
    'disconnect Disconnected: CONTACT_FLOW_DISCONNECT 10:02:05-10:02:05',
  ]);
  assert.deepEqual(
    m.markers.map((k) => [k.kind, k.label, hms(k.at)]),
    [['callback', 'Queued callback', '10:02:04']],
  );
  assert.deepEqual(brief(lane(m, agentLaneId(fx.DANA)).segments).slice(0, 2), [
    'incoming INCOMING 10:20:00-10:20:05',
    'connecting CONNECTING 10:20:05-10:20:25',
  ]);
  // No hold in the events: the record's count and duration stand (no times, so no bar).
  assert.deepEqual(lane(m, `leg:${callback}`).holds, { from: 'contact-record', count: 1, totalMs: 45_000, longestMs: 45_000 });
  assert.ok(!m.lanes.some((l) => l.segments.some((s) => s.kind === 'hold')));
  assert.equal(m.summary.holdMs, 45_000);
  assert.equal(m.summary.queueMs, (90 + 1076) * 1000);
});

test('task with pauses: PAUSED spans from the events, pause totals in the summary', () => {
  const dumps = dumpsOf(fx.taskWithPauses());
  const m = buildTimeline(fx.TASK, dumps)!;
  assert.equal(m.channel, 'TASK');
  const erin = lane(m, agentLaneId(fx.ERIN));
  assert.deepEqual(
    erin.segments.filter((s) => s.kind === 'paused').map((s) => [hms(s.start), hms(s.end), s.durationMs]),
    [
      ['11:05:00', '11:15:00', 600_000],
      ['11:20:00', '11:22:00', 120_000],
    ],
  );
  assert.deepEqual(lane(m, `leg:${fx.TASK}`).pauses, { from: 'agent-events', count: 2, totalMs: 720_000 });
  assert.equal(m.summary.pauseMs, 720_000);
  // The dump lists the events newest first; the lane is still in time order.
  const starts = erin.segments.map((s) => Date.parse(s.start));
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
});

test('missing pieces are drawn as missing, bounded by times the dumps do give', () => {
  const sc = fx.missingEvents();
  const dumps = dumpsOf(sc);
  const m = buildTimeline(fx.MISSING, dumps)!;
  assert.deepEqual(brief(lane(m, `leg:${fx.MISSING}`).segments), [
    'initiation Initiated (INBOUND) 12:00:00-12:00:10',
    'missing In queue; dequeue time missing 12:00:10-12:01:00',
    'connected Connected 12:01:00-12:04:00',
    'missing ACW end missing 12:04:00-12:04:00',
    'disconnect Disconnected: CUSTOMER_DISCONNECT 12:04:00-12:04:00',
  ]);
  const acwMissing = lane(m, `leg:${fx.MISSING}`).segments[3];
  assert.equal(acwMissing.openEnd, true);
  assert.equal(acwMissing.state, 'Agent.AfterContactWorkEndTimestamp');
  const frank = lane(m, agentLaneId(fx.FRANK));
  assert.deepEqual(brief(frank.segments), [
    'connecting CONNECTING 12:00:55-12:00:55',
    'missing Events missing (CONNECTING → ENDED) 12:00:55-12:04:00',
    'acw ENDED 12:04:00-12:04:00',
  ]);
  assert.equal(frank.segments[2].openEnd, true);
  // No time on the timeline that is not written in the dump.
  const text = Object.values(sc.files).join('\n');
  for (const l of m.lanes)
    for (const s of [...l.segments, ...(l.background ?? [])]) {
      assert.ok(text.includes(s.start) && text.includes(s.end), `${s.label} ${s.start}..${s.end} comes from the dump`);
    }
  // Unknown totals stay unknown.
  assert.equal(m.summary.acwMs, undefined);
  assert.equal(m.summary.queueMs, undefined);
});

test('a contact nobody mentions has no timeline', () => {
  assert.equal(buildTimeline('no-such-contact', dumpsOf(fx.transferChain())), undefined);
  assert.equal(buildTimeline(fx.TASK, []), undefined);
});

test('a contact known only from agent events gets a leg drawn from them, with a note', () => {
  const sc = fx.transferChain();
  const events = parseDump('file:///events.jsonl', sc.files['file:///dumps/agent-events-2024-03-14.jsonl']);
  const m = buildTimeline(fx.TRANSFER.A, [events])!;
  const leg = lane(m, `leg:${fx.TRANSFER.A}`);
  assert.equal(leg.title, 'Leg 1 · INBOUND');
  assert.match(leg.notes![0], /No contact record/);
  assert.deepEqual(brief(leg.segments), ['queue In queue 09:00:20-09:01:05']);
  // Without contact records only InitialContactId links legs, and only from the later leg:
  // B's events name A, while nothing in A's events names B.
  assert.deepEqual(
    m.lanes.filter((l) => l.kind === 'leg').map((l) => l.contactId),
    [fx.TRANSFER.A],
  );
  const fromB = buildTimeline(fx.TRANSFER.B, [events])!;
  assert.deepEqual(
    fromB.lanes.filter((l) => l.kind === 'leg').map((l) => l.contactId),
    [fx.TRANSFER.A, fx.TRANSFER.B],
  );
});

// The transfer chain's EventBridge contact events and flow logs (samples/, invented values
// consistent with its contact records; see samples/README.md), without the records or agent events.
const sampleText = (rel: string) => readFileSync(join(__dirname, '..', '..', 'samples', rel), 'utf8');
const kindDumps = (files: string[]) => files.map((rel) => parseDump(`file:///${rel}`, sampleText(rel)));
const CHAIN_IDS = sampleText('transfer-chain.jsonl')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).ContactId as string);

test('a contact known only from contact events and flow logs gets its legs from the times the events carry, marked as such', () => {
  const dumps = kindDumps(['transfer-chain-contact-events.jsonl', 'transfer-chain-flow-logs.jsonl']);
  const [A, B, C] = CHAIN_IDS;
  const m = buildTimeline(B, dumps);
  assert.ok(m, 'a timeline, not "no events"');
  // The chain comes from the events' links: B's previousContactId names A, C's names B.
  assert.deepEqual(
    m.lanes.map((l) => l.id),
    [`leg:${A}`, `flow:${A}`, `leg:${B}`, `flow:${B}`, `leg:${C}`, `flow:${C}`],
  );
  const legB = lane(m, `leg:${B}`);
  assert.equal(legB.title, 'Leg 2 · TRANSFER');
  assert.equal(legB.relation, 'self');
  assert.match(legB.subtitle!, /VOICE/);
  assert.equal(legB.notes!.length, 1);
  assert.match(legB.notes![0], /^Built from EventBridge contact events and contact flow logs only: no contact record or agent event/);
  // Each bar from the time an event carries (the records' times, in milliseconds): initiation
  // 09:05:30 (INITIATED), enqueue 09:05:31 (QUEUED), connected 09:06:52 (CONNECTED_TO_AGENT),
  // ACW 09:13:22-09:14:05 and the disconnect (COMPLETED / DISCONNECTED).
  assert.deepEqual(brief(legB.segments), [
    'initiation Initiated (TRANSFER) 09:05:30-09:05:31',
    'queue In queue 09:05:31-09:06:52',
    'connected Connected 09:06:52-09:13:22',
    'acw After-contact work 09:13:22-09:14:05',
    'disconnect Disconnected: AGENT_DISCONNECT 09:13:22-09:13:22',
  ]);
  // Every bar points at the event that carries its time.
  const queue = legB.segments.find((s) => s.kind === 'queue')!;
  assert.match(textOf(dumps, queue.source), /"eventType":"QUEUED"/);
  assert.ok(queue.details!.some((d) => /no dequeue time/.test(d)));
  // The flow lane and the event markers are there as for a leg with a record.
  assert.deepEqual(
    lane(m, `flow:${B}`).segments.map((s) => s.label),
    ['Connecting you', 'Billing queue', 'To Billing'],
  );
  assert.deepEqual(
    m.markers.filter((k) => k.kind === 'event' && k.fromLaneId === `leg:${B}`).map((k) => k.label),
    ['INITIATED', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED', 'COMPLETED'],
  );
  // The transfer markers come from the events' links, pointing at the event that writes them.
  const transfers = m.markers.filter((k) => k.kind === 'transfer');
  assert.deepEqual(
    transfers.map((k) => [k.fromLaneId, k.toLaneId]),
    [
      [`leg:${A}`, `leg:${B}`],
      [`leg:${B}`, `leg:${C}`],
    ],
  );
  assert.match(textOf(dumps, transfers[0].source), new RegExp(`"contactId":"${B}"`));
  assert.equal(m.summary.initialContactId, A);
  assert.equal(m.summary.channel, 'VOICE');
  assert.equal(m.summary.start, '2026-11-24T09:00:00.000Z');
  assert.equal(m.summary.acwMs, 38_000 + 43_000 + 85_000, 'ACW end - start of each leg, from COMPLETED');
  assert.equal(m.summary.queueMs, undefined, 'no dequeue time: no queue total is claimed');
  assert.deepEqual(m.findings, []);
});

test('a contact known only from flow logs: an empty leg lane saying so, over its flow lane', () => {
  const [A] = CHAIN_IDS;
  const m = buildTimeline(A, kindDumps(['transfer-chain-flow-logs.jsonl']));
  assert.ok(m);
  assert.deepEqual(
    m.lanes.map((l) => l.id),
    [`leg:${A}`, `flow:${A}`],
  );
  const leg = lane(m, `leg:${A}`);
  assert.deepEqual(leg.segments, []);
  assert.match(leg.notes![0], /^Built from contact flow logs only: .* The flow lane shows the blocks it ran/);
  assert.equal(lane(m, `flow:${A}`).segments.length, 9);
  assert.equal(m.summary.start, '2026-11-24T09:00:00.412Z');
  assert.equal(m.summary.end, '2026-11-24T09:00:42.118Z');
});

test('"not set" times in contact events are no time; a contact nothing mentions still has no timeline', () => {
  const [A] = CHAIN_IDS;
  const lines = sampleText('transfer-chain-contact-events.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.detail.contactId === A);
  for (const e of lines) if (e.detail.disconnectTimestamp) e.detail.disconnectTimestamp = '1970-01-01T00:00:00.001Z';
  const m = buildTimeline(A, [parseDump('file:///events.jsonl', lines.map((e) => JSON.stringify(e)).join('\n'))])!;
  assert.deepEqual(brief(lane(m, `leg:${A}`).segments), [
    'initiation Initiated (INBOUND) 09:00:00-09:00:42',
    'queue In queue 09:00:42-09:01:10',
    'connected Connected 09:01:10-09:05:32',
    'acw After-contact work 09:05:32-09:06:10',
  ]);
  assert.equal(buildTimeline('00000000-0000-4000-8000-000000000000', kindDumps(['transfer-chain-contact-events.jsonl'])), undefined);
});

test('with several copies of a contact record, the latest LastUpdateTimestamp wins', () => {
  const base = { id: 'dup-0001', method: 'INBOUND', init: '2024-03-14T08:00:00.000Z', enqueue: '2024-03-14T08:00:05.000Z' };
  const older = fx.contactRecord({ ...base, dequeue: '2024-03-14T08:00:50.000Z', lastUpdate: '2024-03-14T08:10:00.000Z' });
  const newer = fx.contactRecord({ ...base, dequeue: '2024-03-14T08:00:30.000Z', lastUpdate: '2024-03-14T08:20:00.000Z' });
  for (const order of [
    [newer, older],
    [older, newer],
  ]) {
    const m = buildTimeline('dup-0001', [parseDump('file:///d.jsonl', fx.jsonl(order))])!;
    assert.equal(hms(m.lanes[0].segments.find((s) => s.kind === 'queue')!.end), '08:00:30');
  }
});

test('a Previous/Next loop ends, and an unresolved link is an information finding', () => {
  const t = (s: string) => `2024-03-14T08:0${s}.000Z`;
  const a = fx.contactRecord({ id: 'loop-a', method: 'INBOUND', nextId: 'loop-b', previousId: 'loop-b', init: t('0:00'), lastUpdate: t('9:00') });
  const b = fx.contactRecord({ id: 'loop-b', method: 'TRANSFER', nextId: 'loop-a', previousId: 'loop-a', init: t('1:00'), lastUpdate: t('9:00') });
  const c = fx.contactRecord({ id: 'lonely', method: 'INBOUND', nextId: 'elsewhere', init: t('2:00'), lastUpdate: t('9:00') });
  const dumps = [parseDump('file:///loop.jsonl', fx.jsonl([a, b, c]))];
  const m = buildTimeline('loop-a', dumps)!;
  assert.deepEqual(
    m.lanes.map((l) => l.contactId),
    ['loop-a', 'loop-b'],
  );
  const lonely = buildTimeline('lonely', dumps)!;
  assert.equal(lonely.lanes.length, 1);
  assert.deepEqual(
    lonely.findings.map((f) => [f.code, f.severity]),
    [['link-missing', 'information']],
  );
  assert.match(lonely.findings[0].message, /elsewhere/);
  assert.equal(lonely.findings[0].source?.uri, 'file:///loop.jsonl');
});

test('a related contact gets its own lane after the chain, with a related marker', () => {
  const t = (s: string) => `2024-03-14T08:${s}.000Z`;
  const call = fx.contactRecord({ id: 'call-1', method: 'INBOUND', init: t('00:00'), disconnect: t('05:00'), lastUpdate: t('09:00') });
  const task = fx.contactRecord({ id: 'task-1', channel: 'TASK', method: 'API', relatedId: 'call-1', init: t('04:00'), lastUpdate: t('09:00') });
  const m = buildTimeline('call-1', [parseDump('file:///r.jsonl', fx.jsonl([task, call]))])!;
  assert.deepEqual(
    m.lanes.map((l) => [l.title, l.relation]),
    [
      ['Leg 1 · INBOUND', 'self'],
      ['Related 2 · API', 'related'],
    ],
  );
  assert.deepEqual(
    m.markers.map((k) => k.kind),
    ['related'],
  );
  assert.equal(m.summary.legs, 1);
});

test('timestamps that go backwards are reported on the bar, not drawn backwards', () => {
  const rec = fx.contactRecord({
    id: 'back-1',
    method: 'INBOUND',
    init: '2024-03-14T08:00:00.000Z',
    enqueue: '2024-03-14T08:00:30.000Z',
    dequeue: '2024-03-14T08:00:10.000Z',
    lastUpdate: '2024-03-14T08:09:00.000Z',
  });
  const m = buildTimeline('back-1', [parseDump('file:///b.jsonl', fx.jsonl([rec]))])!;
  const q = m.lanes[0].segments.find((s) => s.kind === 'queue')!;
  assert.equal(q.durationMs, 0);
  assert.equal(q.start, '2024-03-14T08:00:30.000Z');
  assert.deepEqual(
    q.findings?.map((f) => f.code),
    ['timestamp-order'],
  );
  assert.deepEqual(
    m.findings.map((f) => f.code),
    ['timestamp-order'],
  );
});

test('findings of the other rules are attached to the bars of the record they fall in', () => {
  const dumps = dumpsOf(fx.transferChain());
  const ctrDump = dumps.find((d) => d.uri.includes('ctr'))!;
  const recB = ctrDump.records[1];
  const finding: Finding = { code: 'link-reciprocal', severity: 'warning', message: 'B says so', start: recB.start + 5, end: recB.start + 9 };
  const m = buildTimeline(fx.TRANSFER.B, dumps, { findings: new Map([[ctrDump.uri, [finding]]]) })!;
  const legB = lane(m, `leg:${fx.TRANSFER.B}`);
  assert.ok(legB.segments.every((s) => s.findings?.[0]?.code === 'link-reciprocal'));
  assert.ok(lane(m, `leg:${fx.TRANSFER.A}`).segments.every((s) => s.findings === undefined));
  assert.deepEqual(
    m.findings.map((f) => f.message),
    ['B says so'],
  );
});

test('time zone: offsets in the dump are reported; a zone-less time is read as UTC', () => {
  const rec = (init: string) => fx.contactRecord({ id: 'tz-1', method: 'INBOUND', init, lastUpdate: init });
  const plus2 = buildTimeline('tz-1', [parseDump('file:///tz.jsonl', fx.jsonl([rec('2024-03-14T10:00:00.000+02:00')]))])!;
  assert.equal(plus2.summary.timeZone.label, 'UTC+02:00');
  assert.equal(plus2.summary.timeZone.offsetMinutes, 120);
  assert.equal(plus2.lanes[0].segments[0].start, '2024-03-14T08:00:00.000Z');
  const bare = buildTimeline('tz-1', [parseDump('file:///tz.jsonl', fx.jsonl([rec('2024-03-14T10:00:00')]))])!;
  assert.equal(bare.lanes[0].segments[0].start, '2024-03-14T10:00:00.000Z');
  assert.match(bare.summary.timeZone.note, /no zone/);
});

test('contactIdAt: contact record, agent event with several contacts, between records', () => {
  const t = '2024-03-14T09:00:00.000Z';
  const stream = new fx.AgentStream(fx.ALICE, 0x9000);
  const status: fx.StatusDef = { name: 'Available', type: 'ROUTABLE', since: t };
  const ev1 = stream.event(t, status, [
    { id: 'chat-1', state: 'CONNECTED', stateStart: t, channel: 'CHAT' },
    { id: 'chat-2', state: 'CONNECTING', stateStart: t, channel: 'CHAT' },
  ]);
  const ev2 = stream.event(t, status, []); // previous snapshot still holds chat-1 and chat-2
  const ctr = fx.contactRecord({ id: 'ctr-1', method: 'INBOUND', init: t, lastUpdate: t });
  const text = [JSON.stringify(ctr), JSON.stringify(ev1, null, 2), JSON.stringify(ev2)].join('\n\n');
  const dump = parseDump('file:///mixed.json', text);
  assert.equal(dump.records.length, 3);
  const [r0, r1, r2] = dump.records;
  assert.equal(contactIdAt(dump, r0.start), 'ctr-1');
  assert.equal(contactIdAt(dump, r0.end), 'ctr-1'); // cursor just after the closing brace
  assert.equal(contactIdAt(dump, r0.end + 1), undefined); // the blank line between records
  const second = text.indexOf('"chat-2"', r1.start);
  assert.equal(contactIdAt(dump, second), 'chat-2');
  assert.equal(contactIdAt(dump, text.indexOf('"CONNECTING"', r1.start)), 'chat-2');
  assert.equal(contactIdAt(dump, text.indexOf('"chat-1"', r1.start)), 'chat-1');
  assert.equal(contactIdAt(dump, text.indexOf('"EventId"', r1.start)), 'chat-1'); // outside any contact: the first
  assert.equal(contactIdAt(dump, text.indexOf('"chat-2"', r2.start)), 'chat-2'); // in the previous snapshot
  assert.equal(contactIdAt(dump, r2.start), 'chat-1');
  assert.equal(contactIdAt(dump, text.length + 10), undefined);
});

test('isWebviewToExtension accepts the three messages and nothing else', () => {
  const src = { uri: 'file:///d.jsonl', start: 0, end: 10 };
  const ok: unknown[] = [
    { type: 'ready' },
    { type: 'reveal', source: src },
    { type: 'export', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { type: 'export', format: 'svg', data: '<?xml version="1.0"?>\n<svg></svg>' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' },
  ];
  for (const m of ok) assert.equal(isWebviewToExtension(m), true, JSON.stringify(m));
  const bad: unknown[] = [
    null,
    undefined,
    'ready',
    42,
    [],
    [{ type: 'ready' }],
    {},
    { type: 'READY' },
    { type: 'ready', extra: 1 },
    { type: 'reveal' },
    { type: 'reveal', source: null },
    { type: 'reveal', source: { ...src, start: -1 } },
    { type: 'reveal', source: { ...src, start: 11 } },
    { type: 'reveal', source: { ...src, end: 1.5 } },
    { type: 'reveal', source: { ...src, uri: '' } },
    { type: 'reveal', source: { ...src, uri: 7 } },
    { type: 'reveal', source: { ...src, command: 'x' } },
    { type: 'reveal', source: src, also: true },
    { type: 'export', format: 'svg' },
    { type: 'export', format: 'gif', data: '<svg></svg>' },
    { type: 'export', format: 'svg', data: '<html><svg></svg></html>' },
    { type: 'export', format: 'svg', data: '<svgx>' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,<script>' },
    { type: 'export', format: 'png', data: 'data:text/html;base64,AAAA' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,' + 'A'.repeat(32 * 1024 * 1024) },
    { type: 'postMessage', data: 1 },
  ];
  for (const m of bad) assert.equal(isWebviewToExtension(m), false, JSON.stringify(m)?.slice(0, 120));
});

test('states named like Object.prototype members are just unknown states', () => {
  const t = (s: string) => `2024-03-14T09:00:0${s}.000Z`;
  const stream = new fx.AgentStream(fx.ALICE, 0xa000);
  const status: fx.StatusDef = { name: 'constructor', type: 'CUSTOM', since: t('0') };
  const events = ['toString', '__proto__', 'CONNECTED', 'hasOwnProperty'].map((state, i) =>
    stream.event(t(String(i + 1)), status, [{ id: 'proto-1', state, stateStart: t(String(i + 1)) }]),
  );
  const m = buildTimeline('proto-1', [parseDump('file:///p.jsonl', fx.jsonl(events))])!;
  const agent = m.lanes.find((l) => l.kind === 'agent')!;
  assert.deepEqual(
    agent.segments.map((s) => [s.kind, s.label]),
    [
      ['other', 'toString'],
      ['other', '__proto__'],
      ['connected', 'CONNECTED'],
      ['other', 'hasOwnProperty'],
    ],
  );
  assert.equal(JSON.parse(JSON.stringify(m)).lanes[1].segments[0].kind, 'other');
});

test('contactIdAt survives a record nested too deep for a recursive parser', () => {
  const t = '2024-03-14T09:00:00.000Z';
  const stream = new fx.AgentStream(fx.ALICE, 0xb000);
  const ev = stream.event(t, { name: 'Available', type: 'ROUTABLE', since: t }, [
    { id: 'deep-1', state: 'CONNECTED', stateStart: t },
    { id: 'deep-2', state: 'CONNECTING', stateStart: t },
  ]);
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const text = JSON.stringify(ev).replace(/^\{/, `{"Deep":${deep},`);
  const dump = parseDump('file:///deep.json', text);
  assert.equal(dump.records[0].kind, 'agentEvent');
  // The contact spans cannot be read; the documented fallback (the first contact) stands.
  assert.equal(contactIdAt(dump, text.indexOf('"deep-2"')), 'deep-1');
});

test('a chain longer than maxLegs is cut, and the model says so', () => {
  const m = buildTimeline(fx.TRANSFER.A, dumpsOf(fx.transferChain()), { maxLegs: 2 })!;
  assert.equal(m.lanes.filter((l) => l.kind === 'leg').length, 2);
  assert.deepEqual(
    m.findings.map((f) => [f.code, f.severity]),
    [['timeline-truncated', 'information']],
  );
});
