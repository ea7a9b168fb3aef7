import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentFourRecords, ctrTime, fakeId, IDS, jsonl, prettyArray, transferChainRecords } from '../fixtures/rules/connect';
import { clone, run } from '../fixtures/rules/run';

type Rec = Record<string, unknown>;
const chain = (): Rec[] => transferChainRecords();
const byId = (records: Rec[], id: string): Rec => records.find((r) => r.ContactId === id)!;

test('a clean three-leg transfer chain has no link finding, as JSON Lines and as a pretty-printed array', () => {
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(chain()) }).all.map((s) => s.finding.message),
    [],
  );
  assert.deepEqual(
    run({ 'a.json': prettyArray(chain()) }).all.map((s) => s.finding.message),
    [],
  );
});

test('the chain newest first is just as clean', () => {
  assert.deepEqual(run({ 'a.jsonl': jsonl(chain().reverse()) }).all, []);
});

test('a queued callback (linked both ways to its inbound contact), a chat and a task related to it: no finding', () => {
  assert.deepEqual(
    run({ 'a.jsonl': jsonl(agentFourRecords()) }).all.map((s) => s.finding.message),
    [],
  );
});

test('a chain split over two files resolves across them', () => {
  const [leg1, leg2, leg3] = chain();
  const r = run({ 'file:///dump/part-1.jsonl': jsonl([leg1]), 'file:///dump/part-2.jsonl': jsonl([leg2, leg3]) });
  assert.deepEqual(r.all, []);
});

test('a dump cut in the middle of a chain gives only link-missing (information) findings', () => {
  const [, leg2, leg3] = chain();
  const r = run({ 'a.jsonl': jsonl([leg2, leg3]) });
  assert.ok(r.all.length > 0);
  assert.deepEqual([...new Set(r.codes)], ['link-missing']);
  assert.ok(r.all.every((s) => s.finding.severity === 'information'));
  // leg 2 names leg 1 as previous and initial; leg 3 names it as initial.
  assert.deepEqual(r.all.map((s) => s.text).sort(), Array(3).fill(JSON.stringify(IDS.leg1)));
  const cutAtEnd = run({ 'b.jsonl': jsonl(chain().slice(0, 2)) });
  assert.deepEqual(
    cutAtEnd.all.map((s) => [s.finding.code, s.text]),
    [['link-missing', JSON.stringify(IDS.leg3)]],
  );
});

test('link-reciprocal: A says NextContactId B, but B says PreviousContactId C', () => {
  const records = chain();
  const other = fakeId('77', 1);
  byId(records, IDS.leg2).PreviousContactId = other;
  const r = run({ 'a.jsonl': jsonl(records) });
  const found = r.of('link-reciprocal');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, JSON.stringify(IDS.leg2));
  assert.equal(found[0].line, 1, "on leg 1's NextContactId");
  assert.deepEqual(found[0].relatedText, [JSON.stringify(other)]);
  assert.equal(found[0].finding.fix, undefined, 'which side is wrong is not clear');
  assert.match(found[0].finding.message, new RegExp(`${IDS.leg1}.*${IDS.leg2}.*${other}`));
  // The other ID is in no dump: that is said too, as information.
  assert.deepEqual(
    r.of('link-missing').map((s) => s.text),
    [JSON.stringify(other)],
  );
});

test('link-reciprocal with a quick fix when the other side is null and nobody else claims it', () => {
  const records = chain();
  byId(records, IDS.leg3).PreviousContactId = null;
  const text = jsonl(records);
  const r = run({ 'a.jsonl': text });
  const found = r.of('link-reciprocal');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'null');
  assert.equal(found[0].line, 3);
  assert.deepEqual(found[0].finding.fix, { title: `Set PreviousContactId to "${IDS.leg2}"`, replacement: JSON.stringify(IDS.leg2) });
  assert.deepEqual(found[0].relatedText, [JSON.stringify(IDS.leg3)]);
  // Applying the fix gives the clean chain back.
  const fixed = text.slice(0, found[0].finding.start) + found[0].finding.fix.replacement + text.slice(found[0].finding.end);
  assert.deepEqual(run({ 'a.jsonl': fixed }).all, []);
});

test('link-reciprocal the other way: B says PreviousContactId A, A says NextContactId null', () => {
  const records = chain();
  byId(records, IDS.leg2).NextContactId = null;
  const r = run({ 'a.jsonl': jsonl(records) });
  const found = r.of('link-reciprocal');
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 2);
  assert.equal(found[0].text, 'null');
  assert.equal(found[0].finding.fix?.replacement, JSON.stringify(IDS.leg3));
});

test('link-reciprocal across two files points at the other file', () => {
  const [leg1, leg2, leg3] = chain();
  leg2.PreviousContactId = fakeId('77', 2);
  const r = run({ 'one.jsonl': jsonl([leg1]), 'two.jsonl': jsonl([leg2, leg3]) });
  const fromOne = r.of('link-reciprocal').find((s) => s.uri === 'one.jsonl');
  assert.ok(fromOne, 'leg 1 is told its next contact does not point back');
  assert.equal(fromOne.finding.related![0].uri, 'two.jsonl');
});

test('link-cycle: two contacts naming each other both ways is one finding', () => {
  const a = fakeId('88', 1),
    b = fakeId('88', 2);
  const records = chain().slice(0, 2).map(clone);
  Object.assign(records[0], { ContactId: a, PreviousContactId: b, NextContactId: b, InitialContactId: null });
  Object.assign(records[1], { ContactId: b, PreviousContactId: a, NextContactId: a, InitialContactId: a });
  const r = run({ 'a.jsonl': jsonl(records) });
  const found = r.of('link-cycle');
  assert.equal(found.length, 1);
  assert.ok([JSON.stringify(a), JSON.stringify(b)].includes(found[0].text));
  assert.equal(found[0].finding.severity, 'error');
  assert.match(found[0].finding.message, /loops/);
});

test('link-cycle along NextContactId only (three contacts, previous links consistent with it)', () => {
  const records = chain();
  byId(records, IDS.leg3).NextContactId = IDS.leg1;
  byId(records, IDS.leg1).PreviousContactId = IDS.leg3;
  const r = run({ 'a.jsonl': jsonl(records) });
  assert.equal(r.of('link-cycle').length, 1);
  assert.match(r.of('link-cycle')[0].finding.message, new RegExp(`${IDS.leg1}.*${IDS.leg2}.*${IDS.leg3}.*${IDS.leg1}`));
  assert.equal(r.of('link-initial').length, 0, 'no first leg inside a loop: InitialContactId is not judged');
});

test('a self-loop is a cycle', () => {
  const records = chain().slice(0, 1);
  records[0].NextContactId = IDS.leg1;
  const r = run({ 'a.jsonl': jsonl(records) });
  assert.equal(r.of('link-cycle').length, 1);
  assert.equal(r.of('link-cycle')[0].text, JSON.stringify(IDS.leg1));
});

test('link-initial: the third leg names the second leg instead of the first', () => {
  const records = chain();
  byId(records, IDS.leg3).InitialContactId = IDS.leg2;
  const r = run({ 'a.jsonl': jsonl(records) });
  assert.deepEqual(r.codes, ['link-initial']);
  const [found] = r.of('link-initial');
  assert.equal(found.line, 3);
  assert.equal(found.text, JSON.stringify(IDS.leg2));
  assert.deepEqual(found.relatedText, [JSON.stringify(IDS.leg1)]);
  assert.deepEqual(found.finding.fix, { title: `Set InitialContactId to "${IDS.leg1}"`, replacement: JSON.stringify(IDS.leg1) });
});

test('link-initial with the first leg missing: legs that are present must agree with the earliest one read', () => {
  const [, leg2, leg3] = chain();
  leg3.InitialContactId = fakeId('66', 1);
  const r = run({ 'a.jsonl': jsonl([leg2, leg3]) });
  const found = r.of('link-initial');
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 2);
  assert.deepEqual(found[0].relatedText, [JSON.stringify(IDS.leg1)]);
  assert.equal(found[0].finding.fix, undefined);
});

test('a re-delivered contact record (identical) is the same contact: no finding', () => {
  const records = chain();
  const r = run({ 'a.jsonl': jsonl([...records, records[1]]), 'b.json': prettyArray([records[2]]) });
  assert.deepEqual(r.all, []);
});

test('an updated re-delivery (newer LastUpdateTimestamp) wins: links are read from the newer copy', () => {
  const records = chain();
  const early = clone(records[0]);
  early.NextContactId = null; // first delivered before the transfer was written into it
  early.LastUpdateTimestamp = ctrTime('09:04:50');
  const r = run({ 'a.jsonl': jsonl([early, ...records]) });
  assert.deepEqual(r.all, []);
  // Newest first in the text: the newer copy still wins.
  assert.deepEqual(run({ 'a.jsonl': jsonl([...records, early].reverse()) }).all, []);
});

test('link-missing names every kind of link and is information', () => {
  const task = agentFourRecords()[3];
  const r = run({ 'a.jsonl': jsonl([task]) });
  assert.deepEqual(
    r.all.map((s) => [s.finding.code, s.finding.severity, s.text]),
    [['link-missing', 'information', JSON.stringify(IDS.chat)]],
  );
  assert.match(r.all[0].finding.message, /RelatedContactId/);
});
