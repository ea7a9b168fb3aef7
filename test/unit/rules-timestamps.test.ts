import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENTS, AgentStream, evTime, fakeId, jsonl, QUEUES, transferChainEvents } from '../fixtures/rules/connect';
import { clone, run } from '../fixtures/rules/run';
import { HEARTBEAT_GAP_MS, HEARTBEAT_INTERVAL_MS } from '../../server/src/core/timestamps';

type Rec = Record<string, any>;

// Times inside one contact record: test/unit/recordChecks.test.ts (a per-record check now).

test("timestamp-order along an agent's events: a later state starting before the earlier one", () => {
  const x = fakeId('99', 9);
  const c = {
    ContactId: x,
    Channel: 'VOICE' as const,
    InitiationMethod: 'INBOUND',
    InitialContactId: null,
    queue: QUEUES.support,
    QueueTimestamp: evTime('09:00:20', 0),
    ConnectedToAgentTimestamp: null,
  };
  const s = new AgentStream(AGENTS.one, 'ba').login(evTime('09:00:00', 0)).setStatus('Available', evTime('09:00:02', 0));
  s.contact(c, 'CONNECTING', evTime('09:01:00', 0));
  s.contact(c, 'CONNECTED', evTime('09:01:05', 0), evTime('09:00:50', 0));
  const r = run({ 'a.jsonl': jsonl(s.events) });
  const found = r.of('timestamp-order');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, JSON.stringify(evTime('09:00:50', 0)));
  assert.deepEqual(found[0].relatedText, [JSON.stringify(evTime('09:01:00', 0))]);
});

test('CONNECTED_ONHOLD keeps the CONNECTED time (documented): hold, resume, hold again is in order', () => {
  // transferChainEvents has one hold; add a second one after the resume.
  const x = fakeId('99', 8);
  const c = {
    ContactId: x,
    Channel: 'VOICE' as const,
    InitiationMethod: 'INBOUND',
    InitialContactId: null,
    queue: QUEUES.support,
    QueueTimestamp: evTime('09:00:20', 0),
    ConnectedToAgentTimestamp: evTime('09:01:05', 0),
  };
  const s = new AgentStream(AGENTS.one, 'bb').login(evTime('09:00:00', 0)).setStatus('Available', evTime('09:00:02', 0));
  s.contact(c, 'CONNECTING', evTime('09:01:00', 0));
  s.contact(c, 'CONNECTED', evTime('09:01:05', 0));
  s.contact(c, 'CONNECTED_ONHOLD', evTime('09:02:00', 0), evTime('09:01:05', 0));
  s.contact(c, 'CONNECTED', evTime('09:02:30', 0));
  s.contact(c, 'CONNECTED_ONHOLD', evTime('09:03:00', 0), evTime('09:01:05', 0));
  s.contact(c, 'CONNECTED', evTime('09:03:20', 0));
  s.contact(c, 'ENDED', evTime('09:04:00', 0));
  assert.deepEqual(run({ 'a.jsonl': jsonl(s.events) }).all, []);
  assert.deepEqual(run({ 'b.jsonl': jsonl(transferChainEvents()) }).all, []);
});

function idleAgent(prefix: string): AgentStream {
  return new AgentStream(AGENTS.two, prefix).login(evTime('09:00:00', 0)).setStatus('Available', evTime('09:00:03', 0));
}

test('heartbeat-gap: a logged-in agent silent for 10 minutes; on the event after the gap, related on the one before', () => {
  const s = idleAgent('ca').setStatus('Lunch', evTime('09:30:00', 0)).logout(evTime('09:31:00', 0));
  // Drop the heartbeats between 09:10 and 09:20.
  const events = s.events.filter((e) => {
    const t = Date.parse(String(e.EventTimestamp));
    return !(e.EventType === 'HEART_BEAT' && t > Date.parse(evTime('09:10:00', 0)) && t < Date.parse(evTime('09:20:00', 0)));
  });
  const r = run({ 'a.jsonl': jsonl(events) });
  const found = r.of('heartbeat-gap');
  assert.equal(found.length, 1);
  assert.equal(found[0].finding.severity, 'information');
  const after = events.find((e) => Date.parse(String(e.EventTimestamp)) >= Date.parse(evTime('09:20:00', 0)))!;
  const before = [...events].reverse().find((e) => Date.parse(String(e.EventTimestamp)) <= Date.parse(evTime('09:10:00', 0)))!;
  assert.equal(found[0].text, JSON.stringify(after.EventTimestamp));
  assert.deepEqual(found[0].relatedText, [JSON.stringify(before.EventTimestamp)]);
  assert.match(found[0].finding.message, /agent\.two/);
  assert.deepEqual(r.codes, ['heartbeat-gap']);
});

test('heartbeat-gap: the same events newest first give the same single finding', () => {
  const s = idleAgent('cb').logout(evTime('09:40:00', 0));
  const events = s.events.filter(
    (e) => !(e.EventType === 'HEART_BEAT' && String(e.EventTimestamp) > evTime('09:10:00', 0) && String(e.EventTimestamp) < evTime('09:30:00', 0)),
  );
  const r = run({ 'a.jsonl': jsonl(events.reverse()) });
  assert.equal(r.of('heartbeat-gap').length, 1);
});

test('no heartbeat-gap: regular heartbeats, a gap just under the threshold, after LOGOUT, while Offline, before a new LOGIN', () => {
  // Regular heartbeats every 120 s for an hour.
  assert.deepEqual(run({ 'a.jsonl': jsonl(idleAgent('cc').logout(evTime('10:00:00', 0)).events) }).all, []);
  // One heartbeat missing (240 s) is under 2.5 intervals.
  const s = idleAgent('cd').logout(evTime('09:20:00', 0));
  const oneMissing = s.events.filter((e, i) => !(e.EventType === 'HEART_BEAT' && i === 4));
  assert.ok(HEARTBEAT_GAP_MS > 2 * HEARTBEAT_INTERVAL_MS);
  assert.deepEqual(run({ 'a.jsonl': jsonl(oneMissing) }).all, []);
  // Logged out for an hour, then back: no finding.
  const back = idleAgent('ce').logout(evTime('09:05:00', 0)).login(evTime('10:05:00', 0)).logout(evTime('10:06:00', 0));
  assert.deepEqual(run({ 'a.jsonl': jsonl(back.events) }).all, []);
  // Status Offline while still logged in (no heartbeat expected to matter).
  const offline = idleAgent('cf').setStatus('Offline', evTime('09:01:00', 0));
  const offlineEvents = offline.events.filter((e) => e.EventType !== 'HEART_BEAT');
  offlineEvents.push({ ...offlineEvents[offlineEvents.length - 1], EventId: fakeId('cf', 99), EventType: 'LOGOUT', EventTimestamp: evTime('09:30:00', 0) });
  assert.deepEqual(run({ 'a.jsonl': jsonl(offlineEvents) }).all, []);
  // A LOGIN after a silence: a new session (its LOGOUT went missing), not reported.
  const relog = idleAgent('c7').events.slice(0, 2);
  relog.push(...new AgentStream(AGENTS.two, 'c8').login(evTime('11:00:00', 0)).events);
  assert.deepEqual(run({ 'a.jsonl': jsonl(relog) }).all, []);
});

test('heartbeat-gap reads AgentStatus.Type when present (OFFLINE means not logged in)', () => {
  const s = idleAgent('c9');
  const events = s.events.map(clone) as Rec[];
  for (const e of events) e.CurrentAgentSnapshot.AgentStatus.Type = 'OFFLINE';
  const silent = [events[0], events[1], { ...events[1], EventId: fakeId('c9', 99), EventTimestamp: evTime('09:40:00', 0) }];
  assert.deepEqual(run({ 'a.jsonl': jsonl(silent) }).all, []);
  for (const e of silent) e.CurrentAgentSnapshot.AgentStatus.Type = 'ROUTABLE';
  assert.equal(run({ 'a.jsonl': jsonl(silent) }).of('heartbeat-gap').length, 1);
});

test('timestamps that are not ISO 8601 are left to the schema, not compared', async () => {
  const { parseTimestamp: parseTime } = await import('../../server/src/core/time');
  assert.equal(parseTime('12/03/2024 08:15:00'), undefined);
  assert.equal(parseTime('2024-03-12T08:15:00Z'), Date.UTC(2024, 2, 12, 8, 15));
  assert.equal(parseTime('2019-05-25T18:43:59.049Z'), Date.UTC(2019, 4, 25, 18, 43, 59, 49));
  assert.equal(parseTime('2024-03-12T08:15:00+02:00'), Date.UTC(2024, 2, 12, 6, 15));
});
