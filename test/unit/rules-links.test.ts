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

// The other way: B names P as its PreviousContactId, P's record names no NextContactId. Whether
// P's record should name B is links.ts `nextLinkMissing` (shared with the contact-event rule):
// only when B is a transfer that hands P over (TRANSFER, QUEUE_TRANSFER) and P's standing copy
// was last updated after B was initiated. Each test below changes the transfer chain fixture
// (the admin guide's contact record diagram, IDs and times invented) and says what it changed.
const reciprocal = (records: Rec[]) => run({ 'a.jsonl': jsonl(records) }).of('link-reciprocal');
const withoutNextOnLeg2 = (): Rec[] => {
  const records = chain();
  byId(records, IDS.leg2).NextContactId = null; // leg 3 (TRANSFER at 09:08:00) names leg 2 as previous
  return records;
};

/**
 * A task started by StartTaskContact with a PreviousContactId (a follow-up task: invented ID and
 * times, the shape of the task record of agentFourRecords).
 */
const apiTask = (id: string, previous: string, initiated: string, lastUpdate: string): Rec =>
  Object.assign(clone(agentFourRecords()[3]), {
    ContactId: id,
    PreviousContactId: previous,
    InitialContactId: null,
    RelatedContactId: null,
    InitiationTimestamp: ctrTime(initiated),
    LastUpdateTimestamp: ctrTime(lastUpdate),
  });

test("link-reciprocal the other way: B (a TRANSFER) says PreviousContactId A, A's copy, updated after B began, says NextContactId null", () => {
  const found = reciprocal(withoutNextOnLeg2());
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 2);
  assert.equal(found[0].text, 'null');
  assert.equal(found[0].finding.fix?.replacement, JSON.stringify(IDS.leg3));
  assert.deepEqual(found[0].relatedText, [JSON.stringify(IDS.leg2)]);
  assert.match(
    found[0].finding.message,
    new RegExp(
      `Contact ${IDS.leg3} is a TRANSFER initiated at ${ctrTime('09:08:00').replace('Z', '.000Z')}, and this copy of ${IDS.leg2} was last updated after that \\(${ctrTime('09:09:12').replace('Z', '.000Z')}\\)`,
    ),
  );
  // A Transfer to queue block writes the link too.
  const queued = withoutNextOnLeg2();
  byId(queued, IDS.leg3).InitiationMethod = 'QUEUE_TRANSFER';
  assert.equal(reciprocal(queued).length, 1);
  // Contact records write whole seconds: a copy updated up to 1 s before B's initiation is the same moment.
  const sameSecond = withoutNextOnLeg2();
  byId(sameSecond, IDS.leg2).LastUpdateTimestamp = ctrTime('09:07:59');
  assert.equal(reciprocal(sameSecond).length, 1);
});

test('link-reciprocal the other way, no finding: the later leg does not hand the earlier one over', () => {
  // Each InitiationMethod other than TRANSFER / QUEUE_TRANSFER leaves P's NextContactId alone
  // (links.ts NEXT_LINK_OF_METHOD gives the source of each); so does a method that is not
  // written, or one outside the admin guide's list of twelve (CAMPAIGN_PREVIEW here).
  const methods: (string | null | undefined)[] = [
    'API',
    'DISCONNECT',
    'CALLBACK',
    'MONITOR',
    'EXTERNAL_OUTBOUND',
    'OUTBOUND',
    'INBOUND',
    'AGENT_REPLY',
    'FLOW',
    'WEBRTC_API',
    'CAMPAIGN_PREVIEW',
    null,
    undefined,
  ];
  for (const method of methods) {
    const records = withoutNextOnLeg2();
    if (method === undefined) delete byId(records, IDS.leg3).InitiationMethod;
    else byId(records, IDS.leg3).InitiationMethod = method;
    assert.deepEqual(reciprocal(records), [], `leg 3 initiated by ${method}`);
  }
});

test('link-reciprocal, no finding: a task started by API with PreviousContactId naming the last leg', () => {
  // A task started with a PreviousContactId after the call does not touch the call's record.
  const records = chain();
  const task = apiTask(fakeId('e4', 2), IDS.leg3, '09:12:30', '09:30:05');
  assert.deepEqual(reciprocal([...records, task]), []);
  // The same contact as a TRANSFER would be owed the link: the method is what decides.
  task.InitiationMethod = 'TRANSFER';
  const found = reciprocal([...records, task]);
  assert.deepEqual(
    found.map((s) => [s.line, s.text]),
    [[3, 'null']],
  );
});

test("link-reciprocal, no finding: the earlier leg's copy is older than the later leg (delivered before it existed)", () => {
  const records = withoutNextOnLeg2();
  byId(records, IDS.leg2).LastUpdateTimestamp = ctrTime('09:07:58'); // more than 1 s before leg 3's 09:08:00
  assert.deepEqual(reciprocal(records), []);
  // No LastUpdateTimestamp on P, or no InitiationTimestamp on B: nothing tells which copy it is.
  const noUpdate = withoutNextOnLeg2();
  byId(noUpdate, IDS.leg2).LastUpdateTimestamp = null;
  assert.deepEqual(reciprocal(noUpdate), []);
  const noInitiation = withoutNextOnLeg2();
  byId(noInitiation, IDS.leg3).InitiationTimestamp = null;
  assert.deepEqual(reciprocal(noInitiation), []);
});

test('link-reciprocal, no finding: P consulted one contact, then transferred to another, and names the last one', () => {
  // Agent one consults agent two (leg 2, a TRANSFER leg ended by the consult), then transfers
  // the customer to agent three (leg 3): leg 1's NextContactId names leg 3, the last contact it
  // was transferred to or consulted ("Identify conferences and transfers"); leg 2 still names
  // leg 1 as previous.
  const records = chain();
  byId(records, IDS.leg1).NextContactId = IDS.leg3;
  byId(records, IDS.leg2).NextContactId = null;
  byId(records, IDS.leg3).PreviousContactId = IDS.leg1;
  const r = run({ 'a.jsonl': jsonl(records) });
  assert.deepEqual(
    r.codes.filter((c) => c.startsWith('link-')),
    [],
  );
});

test('link-reciprocal: P names nothing though two transfers it knew of name it: on each later leg, no fix', () => {
  const records = chain();
  byId(records, IDS.leg1).NextContactId = null;
  byId(records, IDS.leg2).NextContactId = null;
  byId(records, IDS.leg3).PreviousContactId = IDS.leg1;
  byId(records, IDS.leg1).LastUpdateTimestamp = ctrTime('09:13:50'); // leg 1's copy knew both (invented)
  const found = reciprocal(records);
  assert.deepEqual(
    found.map((s) => [s.line, s.text]),
    [
      [2, JSON.stringify(IDS.leg1)],
      [3, JSON.stringify(IDS.leg1)],
    ],
  );
  assert.ok(
    found.every((s) => s.finding.fix === undefined),
    'which one P should name is not for the fix to guess',
  );
  assert.match(found[0].finding.message, new RegExp(`the NextContactId of ${IDS.leg1} is null`));
});

test('link-reciprocal: an API task and a TRANSFER both name P; only the TRANSFER is owed, so the fix names it', () => {
  const records = withoutNextOnLeg2();
  const task = apiTask(fakeId('e4', 3), IDS.leg2, '09:06:00', '09:20:00');
  const found = reciprocal([...records, task]);
  assert.deepEqual(
    found.map((s) => [s.line, s.text, s.finding.fix?.replacement]),
    [[2, 'null', JSON.stringify(IDS.leg3)]],
  );
});

test("link-reciprocal: P's NextContactId dropped by the exporter (no key): on B's PreviousContactId, no fix", () => {
  const records = chain();
  delete byId(records, IDS.leg2).NextContactId;
  const found = reciprocal(records);
  assert.deepEqual(
    found.map((s) => [s.line, s.text]),
    [[3, JSON.stringify(IDS.leg2)]],
  );
  assert.equal(found[0].finding.fix, undefined);
  assert.match(found[0].finding.message, /is \(absent\)\. Contact .* is a TRANSFER/);
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
