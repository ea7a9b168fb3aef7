import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentFourEvents, ctrTime, IDS, jsonl, prettyArray, transferChainEvents, transferChainRecords } from '../fixtures/rules/connect';
import { clone, run } from '../fixtures/rules/run';

test('identical copies of a contact record, in one file or across files and formats, are not duplicates', () => {
  const records = transferChainRecords();
  const r = run({ 'a.jsonl': jsonl([...records, records[0]]), 'b.json': prettyArray(records) });
  assert.deepEqual(r.all, []);
});

test('the same record with keys in another order is the same content', () => {
  const records = transferChainRecords();
  const reordered = Object.fromEntries(Object.entries(records[0]).reverse());
  assert.deepEqual(run({ 'a.jsonl': jsonl([...records, reordered]) }).all, []);
});

test('an update (newer LastUpdateTimestamp, different content) supersedes the older copy: no finding', () => {
  const records = transferChainRecords();
  const update = clone(records[2]);
  update.Attributes = { survey: 'done' };
  update.LastUpdateTimestamp = ctrTime('09:20:00');
  assert.deepEqual(run({ 'a.jsonl': jsonl([...records, update]) }).all, []);
});

test('duplicate-id: two copies of one ContactId that disagree with the same LastUpdateTimestamp', () => {
  const records = transferChainRecords();
  const other = clone(records[2]);
  other.DisconnectReason = 'AGENT_DISCONNECT';
  const text = jsonl([...records, other]);
  const r = run({ 'a.jsonl': text });
  const found = r.of('duplicate-id');
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 4);
  assert.equal(found[0].text, JSON.stringify(IDS.leg3));
  assert.deepEqual(found[0].relatedText, [JSON.stringify(IDS.leg3)]);
  assert.equal(found[0].finding.related![0].start < found[0].finding.start, true, 'related on the first copy');
  assert.match(found[0].finding.message, /LastUpdateTimestamp/);
  assert.deepEqual(r.codes, ['duplicate-id']);
});

test('duplicate-id across two files', () => {
  const records = transferChainRecords();
  const other = clone(records[0]);
  other.Attributes = { x: '1' };
  const r = run({ 'one.jsonl': jsonl(records), 'two.jsonl': jsonl([other]) });
  const found = r.of('duplicate-id');
  assert.equal(found.length, 1);
  assert.equal(found[0].uri, 'two.jsonl');
  assert.equal(found[0].finding.related![0].uri, 'one.jsonl');
});

test('an agent event delivered twice (identical) is not a duplicate, and its state changes are not judged twice', () => {
  const events = agentFourEvents();
  const r = run({ 'a.jsonl': jsonl([...events, ...events.slice(5, 15)]) });
  assert.deepEqual(r.all, []);
});

test('duplicate-id: one EventId with different content', () => {
  const events = transferChainEvents();
  const other = clone(events[3]);
  other.EventTimestamp = '2025-03-10T09:30:00.000Z';
  const r = run({ 'a.jsonl': jsonl(events), 'b.jsonl': jsonl([other]) });
  const found = r.of('duplicate-id');
  assert.equal(found.length, 1);
  assert.equal(found[0].uri, 'b.jsonl');
  assert.equal(found[0].text, JSON.stringify(events[3].EventId));
  assert.equal(found[0].finding.related![0].uri, 'a.jsonl');
  assert.deepEqual(r.codes, ['duplicate-id'], 'the dropped copy is not analysed as a second event');
});
