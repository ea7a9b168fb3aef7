import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENTS, AgentStream, agentFourEvents, evTime, fakeId, IDS, jsonl, QUEUES, transferChainEvents } from '../fixtures/rules/connect';
import { run } from '../fixtures/rules/run';

const X = fakeId('99', 1); // a contact made up for one test

const voice = (method = 'INBOUND', id = X) => ({
  ContactId: id,
  Channel: 'VOICE' as const,
  InitiationMethod: method,
  InitialContactId: null,
  queue: QUEUES.support,
  QueueTimestamp: evTime('09:00:20', 0),
  ConnectedToAgentTimestamp: null,
});
const chat = (id = X) => ({ ...voice('INBOUND', id), Channel: 'CHAT' as const, queue: QUEUES.chat });

function stream(): AgentStream {
  return new AgentStream(AGENTS.one, 'aa').login(evTime('09:00:00', 0)).setStatus('Available', evTime('09:00:02', 0));
}

/** Line (1-based) of the event with this EventTimestamp in a JSONL text. */
function lineOf(text: string, eventTimestamp: string): number {
  return text.split('\n').findIndex((l) => l.includes(`"EventTimestamp":"${eventTimestamp}"`)) + 1;
}

test('clean agent event streams give no state-transition: transfer chain with hold, queued callback, chat, paused task', () => {
  const r = run({ 'chain.jsonl': jsonl(transferChainEvents()), 'four.jsonl': jsonl(agentFourEvents()) });
  assert.deepEqual(
    r.all.map((s) => `${s.finding.code}: ${s.finding.message}`),
    [],
  );
});

test('the same streams newest first (reversed) give no finding either', () => {
  const r = run({ 'chain.jsonl': jsonl(transferChainEvents().reverse()), 'four.jsonl': jsonl(agentFourEvents().reverse()) });
  assert.deepEqual(
    r.all.map((s) => s.finding.message),
    [],
  );
});

test('ENDED -> CONNECTED inside one STATE_CHANGE event: on the current State, related on the previous snapshot State', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice(), 'ENDED', evTime('09:04:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:04:30', 0));
  const text = jsonl(s.events);
  const r = run({ 'a.jsonl': text });
  const found = r.of('state-transition');
  assert.equal(found.length, 1, r.all.map((x) => x.finding.message).join('\n'));
  assert.equal(found[0].text, '"CONNECTED"');
  assert.equal(found[0].line, lineOf(text, evTime('09:04:30', 0)));
  assert.deepEqual(found[0].relatedText, ['"ENDED"']);
  assert.match(found[0].finding.message, new RegExp(`${X}.*ENDED.*CONNECTED`));
  assert.equal(found[0].finding.related![0].uri, 'a.jsonl');
  // The related range is inside the same event's PreviousAgentSnapshot.
  const ev = text.split('\n')[found[0].line - 1];
  const lineStart =
    text
      .split('\n')
      .slice(0, found[0].line - 1)
      .join('\n').length + 1;
  const relStart = found[0].finding.related![0].start - lineStart;
  assert.ok(relStart > ev.indexOf('"PreviousAgentSnapshot"'), 'related points into PreviousAgentSnapshot');
});

test('the step seen both inside an event and between events is reported once', () => {
  // Event k leaves the contact ENDED; event k+1 has it ENDED in its previous snapshot and
  // CONNECTED in its current one: one finding, not two.
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice(), 'ENDED', evTime('09:04:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:04:30', 0));
  s.contact(voice(), 'ENDED', evTime('09:05:00', 0));
  const r = run({ 'a.jsonl': jsonl(s.events) });
  assert.equal(r.of('state-transition').length, 1);
});

test('between events: a contact back to CONNECTING after the agent had it CONNECTED (events in between missing)', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice(), 'ENDED', evTime('09:04:00', 0));
  s.contact(voice(), undefined, evTime('09:04:20', 0));
  s.contact(voice(), 'CONNECTING', evTime('09:05:00', 0));
  // Drop the ENDED and the cleared event: only CONNECTED ... CONNECTING is left.
  const events = s.events.filter((e) => e.EventTimestamp !== evTime('09:04:00', 0) && e.EventTimestamp !== evTime('09:04:20', 0));
  const text = jsonl(events);
  const r = run({ 'a.jsonl': text });
  const found = r.of('state-transition');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, '"CONNECTING"');
  assert.equal(found[0].line, lineOf(text, evTime('09:05:00', 0)));
  assert.deepEqual(found[0].relatedText, ['"CONNECTED"']);
  assert.equal(r.all.length, 1);
});

test('between events, newest first: the same finding on the same event', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice(), 'ENDED', evTime('09:04:00', 0));
  s.contact(voice(), undefined, evTime('09:04:20', 0));
  s.contact(voice(), 'CONNECTING', evTime('09:05:00', 0));
  const text = jsonl([...s.events].reverse());
  const r = run({ 'a.jsonl': text });
  const found = r.of('state-transition');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, '"CONNECTING"');
  assert.equal(found[0].line, lineOf(text, evTime('09:05:00', 0)));
  assert.deepEqual(found[0].relatedText, ['"ENDED"']);
  assert.match(found[0].finding.message, /ENDED is final/);
});

test('a missed contact offered again to the same agent (same ContactId) is not a finding, even with events missing', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'MISSED', evTime('09:01:20', 0));
  s.contact(voice(), undefined, evTime('09:01:25', 0));
  s.setStatus('Available', evTime('09:02:00', 0));
  s.contact(voice(), 'CONNECTING', evTime('09:02:10', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:02:14', 0));
  s.contact(voice(), 'ENDED', evTime('09:06:00', 0));
  s.contact(voice(), undefined, evTime('09:06:30', 0));
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(s.events) }).all.map((x) => x.finding.message),
    [],
  );
  const gappy = s.events.filter((e) => e.EventTimestamp !== evTime('09:01:25', 0) && e.EventTimestamp !== evTime('09:02:10', 0));
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(gappy) }).all.map((x) => x.finding.message),
    [],
  );
});

test('MISSED, then an event whose previous snapshot still shows the old CONNECTING: reported on that value', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  const afterConnecting = s.events.length;
  s.contact(voice(), 'MISSED', evTime('09:01:20', 0));
  // A contradicting event: its previous snapshot is the CONNECTING one, not the MISSED one.
  const conflicting = JSON.parse(JSON.stringify(s.events[afterConnecting])) as Record<string, any>;
  conflicting.EventId = fakeId('ac', 1);
  conflicting.EventTimestamp = evTime('09:01:40', 0);
  conflicting.PreviousAgentSnapshot = JSON.parse(JSON.stringify(s.events[afterConnecting - 1].CurrentAgentSnapshot));
  conflicting.CurrentAgentSnapshot.Contacts[0].State = 'CONNECTED';
  conflicting.CurrentAgentSnapshot.Contacts[0].StateStartTimestamp = evTime('09:01:40', 0);
  const text = jsonl([...s.events, conflicting]);
  const r = run({ 'a.jsonl': text });
  const found = r.of('state-transition');
  assert.equal(found.length, 1, r.all.map((x) => x.finding.message).join('\n'));
  assert.equal(found[0].text, '"CONNECTING"');
  assert.equal(found[0].line, lineOf(text, evTime('09:01:40', 0)));
  assert.deepEqual(found[0].relatedText, ['"MISSED"']);
  assert.match(found[0].finding.message, /PreviousAgentSnapshot.*MISSED/);
  // The backwards StateStartTimestamp of the same step is not reported a second time.
  assert.equal(r.of('timestamp-order').length, 0);
});

test('two events with the same EventTimestamp in reverse text order: the order is unknown, nothing is reported', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:00', 0));
  const events = [...s.events];
  const n = events.length;
  [events[n - 2], events[n - 1]] = [events[n - 1], events[n - 2]];
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(events) }).all.map((x) => x.finding.message),
    [],
  );
});

test('REJECTED is not used for voice, but is for chat', () => {
  const v = stream();
  v.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  v.contact(voice(), 'REJECTED', evTime('09:01:05', 0));
  const rv = run({ 'v.jsonl': jsonl(v.events) });
  assert.equal(rv.of('state-transition').length, 1);
  assert.equal(rv.of('state-transition')[0].text, '"REJECTED"');
  assert.match(rv.of('state-transition')[0].finding.message, /REJECTED is not used for voice/);

  const c = stream();
  c.contact(chat(), 'CONNECTING', evTime('09:01:00', 0));
  c.contact(chat(), 'REJECTED', evTime('09:01:05', 0));
  c.contact(chat(), undefined, evTime('09:01:06', 0));
  assert.deepEqual(run({ 'c.jsonl': jsonl(c.events) }).all, []);
});

test('PAUSED is only used for tasks: a paused chat is reported, the paused task of agent four is not', () => {
  const c = stream();
  c.contact(chat(), 'CONNECTING', evTime('09:01:00', 0));
  c.contact(chat(), 'CONNECTED', evTime('09:01:02', 0));
  c.contact(chat(), 'PAUSED', evTime('09:02:00', 0));
  c.contact(chat(), 'CONNECTED', evTime('09:03:00', 0));
  const r = run({ 'c.jsonl': jsonl(c.events) });
  assert.equal(r.of('state-transition').length, 1, 'the move back out of PAUSED is not reported again');
  assert.equal(r.of('state-transition')[0].text, '"PAUSED"');
  assert.match(r.of('state-transition')[0].finding.message, /only used for tasks/);
  assert.deepEqual(run({ 'four.jsonl': jsonl(agentFourEvents()) }).all, []);
});

test('INCOMING and PENDING are only for queued callbacks: an INBOUND voice call showing INCOMING is reported once', () => {
  const s = stream();
  s.contact(voice('INBOUND'), 'INCOMING', evTime('09:01:00', 0));
  s.contact(voice('INBOUND'), 'CONNECTING', evTime('09:01:01', 0));
  s.contact(voice('INBOUND'), 'CONNECTED', evTime('09:01:04', 0));
  const r = run({ 'a.jsonl': jsonl(s.events) });
  assert.equal(r.of('state-transition').length, 1);
  assert.equal(r.of('state-transition')[0].text, '"INCOMING"');
  assert.match(r.of('state-transition')[0].finding.message, /queued callbacks/);
  // The queued callback of agent four goes INCOMING -> PENDING -> CONNECTING and is fine.
  const four = run({ 'four.jsonl': jsonl(agentFourEvents()) });
  assert.ok(four.dumps[0].text.includes(`"ContactId":"${IDS.callback}"`));
  assert.deepEqual(four.all, []);
});

test('observed real-data moves are not flagged: hold/resume, CONNECTING -> MISSED, outbound CONNECTING -> ENDED, ERROR, leaving the snapshot', () => {
  const s = stream();
  s.contact(voice('INBOUND'), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice('INBOUND'), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice('INBOUND'), 'CONNECTED_ONHOLD', evTime('09:02:00', 0), evTime('09:01:03', 0));
  s.contact(voice('INBOUND'), 'CONNECTED', evTime('09:02:30', 0));
  s.contact(voice('INBOUND'), 'CONNECTED_ONHOLD', evTime('09:03:00', 0), evTime('09:01:03', 0));
  s.contact(voice('INBOUND'), 'ENDED', evTime('09:03:40', 0));
  s.contact(voice('INBOUND'), undefined, evTime('09:04:00', 0));
  const y = fakeId('99', 2);
  s.contact(voice('INBOUND', y), 'CONNECTING', evTime('09:05:00', 0));
  s.contact(voice('INBOUND', y), 'MISSED', evTime('09:05:20', 0));
  s.contact(voice('INBOUND', y), undefined, evTime('09:05:21', 0));
  const z = fakeId('99', 3);
  s.contact({ ...voice('OUTBOUND', z), queue: QUEUES.outbound, QueueTimestamp: null }, 'CONNECTING', evTime('09:06:00', 0));
  s.contact({ ...voice('OUTBOUND', z), queue: QUEUES.outbound, QueueTimestamp: null }, 'ENDED', evTime('09:06:30', 0));
  s.contact({ ...voice('OUTBOUND', z), queue: QUEUES.outbound, QueueTimestamp: null }, undefined, evTime('09:06:40', 0));
  const w = fakeId('99', 4);
  s.contact({ ...voice('OUTBOUND', w), queue: QUEUES.outbound, QueueTimestamp: null }, 'CONNECTING', evTime('09:07:00', 0));
  s.contact({ ...voice('OUTBOUND', w), queue: QUEUES.outbound, QueueTimestamp: null }, 'ERROR', evTime('09:07:09', 0));
  s.contact({ ...voice('OUTBOUND', w), queue: QUEUES.outbound, QueueTimestamp: null }, undefined, evTime('09:07:10', 0));
  s.logout(evTime('09:08:00', 0));
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(s.events) }).all.map((x) => x.finding.message),
    [],
  );
});

test('an event with no valid EventTimestamp is still checked inside itself', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'MISSED', evTime('09:01:20', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:30', 0));
  const events = s.events.map((e) => ({ ...e }));
  events[events.length - 1].EventTimestamp = 'not a time';
  const r = run({ 'a.jsonl': jsonl(events) });
  assert.equal(r.of('state-transition').length, 1);
  assert.equal(r.of('state-transition')[0].text, '"CONNECTED"');
  assert.deepEqual(r.of('state-transition')[0].relatedText, ['"MISSED"']);
});

test('a misspelt State is left to the schema check', () => {
  const s = stream();
  s.contact(voice(), 'CONNECTING', evTime('09:01:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:01:03', 0));
  s.contact(voice(), 'CONNECTED_ ONHOLD', evTime('09:02:00', 0));
  s.contact(voice(), 'CONNECTED', evTime('09:02:30', 0));
  assert.deepEqual(run({ 'a.jsonl': jsonl(s.events) }).all, []);
});
