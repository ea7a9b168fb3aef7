// The cross-record rules of EventBridge contact events and flow log entries, on the transfer
// chain sample (its records, agent events, flow logs and contact events) and on variants
// that change one thing each (invented; each test says what it changed).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../../server/src/core/dump';
import { contactModel } from '../../server/src/core/model';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { UNSET_TIMESTAMP } from '../../server/src/core/time';
import type { Finding } from '../../server/src/core/types';

type Rec = Record<string, any>;
const sample = (rel: string) => readFileSync(join(__dirname, '..', '..', 'samples', rel), 'utf8');
const lines = (rel: string): Rec[] =>
  sample(rel)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const jsonl = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join('\n') + '\n';
const RECORDS = 'transfer-chain.jsonl';
const EVENTS = 'transfer-chain-contact-events.jsonl';
const FLOWS = 'transfer-chain-flow-logs.jsonl';
const [legA, legB, legC] = lines(RECORDS);

/** Runs the workspace rules on the chain with the given files replaced; returns [uri, finding] pairs. */
function run(replace: Record<string, string> = {}, files = [RECORDS, EVENTS, FLOWS]): { uri: string; f: Finding; text: string }[] {
  const dumps = files.map((rel) => parseDump(`file:///${rel}`, replace[rel] ?? sample(rel)));
  const out: { uri: string; f: Finding; text: string }[] = [];
  for (const [uri, fs] of runWorkspaceRules(dumps)) {
    const text = dumps.find((d) => d.uri === uri)!.text;
    for (const f of fs) out.push({ uri, f, text: text.slice(f.start, f.end) });
  }
  return out;
}
const only = (code: string, r: ReturnType<typeof run>) => r.filter((x) => x.f.code === code);
const events = () => lines(EVENTS);
const find = (es: Rec[], contactId: string, type: string) => es.find((e) => e.detail.contactId === contactId && e.detail.eventType === type)!;

test('the chain with its flow logs and contact events: nothing, in any delivery order', () => {
  assert.deepEqual(
    run().map((x) => `${x.f.code}: ${x.f.message}`),
    [],
  );
  assert.deepEqual(
    run({ [EVENTS]: jsonl(events().reverse()), [FLOWS]: jsonl(lines(FLOWS).reverse()) }).map((x) => x.f.code),
    [],
  );
});

describe('event-order', () => {
  test('CONNECTED_TO_AGENT reporting a time before the contact was initiated', () => {
    const es = events();
    for (const e of es.filter((x) => x.detail.contactId === legB.ContactId && x.detail.agentInfo))
      e.detail.agentInfo.connectedToAgentTimestamp = '2026-11-24T09:04:00.000Z';
    const r = only('event-order', run({ [EVENTS]: jsonl(es) }));
    assert.ok(r.length >= 1, JSON.stringify(r.map((x) => x.f.message)));
    assert.ok(r.every((x) => x.f.severity === 'warning'));
    const across = r.find((x) => /CONNECTED_TO_AGENT at 2026-11-24T09:04:00.000Z comes before QUEUED/.test(x.f.message));
    assert.ok(across, r.map((x) => x.f.message).join('\n'));
    assert.equal(across.text, '"2026-11-24T09:04:00.000Z"');
    assert.ok(across.f.related?.length);
    const inside = r.filter((x) => /agentInfo.connectedToAgentTimestamp .* is before queueInfo.enqueueTimestamp/.test(x.f.message));
    assert.equal(inside.length, 1, 'and inside the event itself, once although three events repeat the pair');
  });

  test('an event after COMPLETED', () => {
    const es = events();
    find(es, legA.ContactId, 'QUEUED').detail.queueInfo.enqueueTimestamp = '2026-11-24T09:30:00.000Z';
    for (const e of es.filter((x) => x.detail.contactId === legA.ContactId && x.detail.queueInfo))
      e.detail.queueInfo.enqueueTimestamp = '2026-11-24T09:30:00.000Z';
    const r = only('event-order', run({ [EVENTS]: jsonl(es) }));
    assert.ok(
      r.some((x) => /COMPLETED at 2026-11-24T09:06:10.000Z comes before QUEUED|comes before QUEUED/.test(x.f.message)),
      r.map((x) => x.f.message).join('\n'),
    );
  });

  test('"not set" times (1970-01-01T00:00:00.001Z) are no time: nothing', () => {
    const es = events();
    for (const e of es) if (e.detail.disconnectTimestamp) e.detail.disconnectTimestamp = UNSET_TIMESTAMP;
    find(es, legA.ContactId, 'INITIATED').detail.initiationTimestamp = UNSET_TIMESTAMP;
    assert.deepEqual(
      run({ [EVENTS]: jsonl(es) }).map((x) => x.f.code),
      [],
    );
  });
});

describe('event-record-mismatch', () => {
  test("another queue than the contact record's, on the event's queueArn, pointing at Queue.ARN", () => {
    const es = events();
    const other = legA.Queue.ARN.replace(/queue\/.*/, 'queue/00000000-0000-4000-8000-00000000000f');
    find(es, legA.ContactId, 'QUEUED').detail.queueInfo.queueArn = other;
    const r = run({ [EVENTS]: jsonl(es) });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.text]),
      [['event-record-mismatch', JSON.stringify(other)]],
    );
    assert.match(r[0].f.message, /queue/);
    assert.ok(r[0].f.message.includes(other) && r[0].f.message.includes(legA.Queue.ARN));
    assert.equal(r[0].f.related![0].uri, `file:///${RECORDS}`);
  });

  test('times within 1 s agree; 2 s apart do not; "Voice" is VOICE', () => {
    const es = events();
    find(es, legA.ContactId, 'INITIATED').detail.initiationTimestamp = '2026-11-24T09:00:00.900Z';
    find(es, legA.ContactId, 'QUEUED').detail.channel = 'Voice';
    assert.deepEqual(
      run({ [EVENTS]: jsonl(es) }).map((x) => x.f.code),
      [],
    );
    find(es, legA.ContactId, 'INITIATED').detail.initiationTimestamp = '2026-11-24T09:00:02.000Z';
    const r = run({ [EVENTS]: jsonl(es) });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.text]),
      [['event-record-mismatch', '"2026-11-24T09:00:02.000Z"']],
    );
    assert.match(r[0].f.message, /initiation time/);
  });

  test('links: an event naming another previous contact than the record; the first leg naming itself as initial is fine', () => {
    const es = events();
    find(es, legA.ContactId, 'INITIATED').detail.initialContactId = legA.ContactId;
    assert.deepEqual(
      run({ [EVENTS]: jsonl(es) }).map((x) => x.f.code),
      [],
    );
    find(es, legB.ContactId, 'QUEUED').detail.previousContactId = '665db55d-690b-4b10-b56a-007346369638';
    const r = run({ [EVENTS]: jsonl(es) });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.text]),
      [['event-record-mismatch', '"665db55d-690b-4b10-b56a-007346369638"']],
    );
    assert.match(r[0].f.message, /previous contact/);
  });

  test('without the contact record there is nothing to compare', () => {
    const es = events();
    find(es, legA.ContactId, 'QUEUED').detail.initiationMethod = 'OUTBOUND';
    assert.deepEqual(
      run({ [EVENTS]: jsonl(es) }, [EVENTS]).map((x) => x.f.code),
      [],
    );
    assert.deepEqual([...new Set(run({ [EVENTS]: jsonl(es) }).map((x) => x.f.code))], ['event-record-mismatch']);
  });
});

test('link-missing: a contact event naming a previous contact that nothing in the dumps shows, once per contact and field', () => {
  const es = events().filter((e) => e.detail.contactId === legB.ContactId);
  // Without leg 1's record, events and flow logs, leg 2's events name a contact nobody shows.
  const r = run({ [EVENTS]: jsonl(es) }, [EVENTS]);
  assert.deepEqual(r.map((x) => [x.f.code, x.f.severity, x.text]).sort(), [
    ['link-missing', 'information', JSON.stringify(legA.ContactId)],
    ['link-missing', 'information', JSON.stringify(legA.ContactId)],
  ]);
  assert.deepEqual(r.map((x) => x.f.message.split(' ')[0]).sort(), ['InitialContactId', 'PreviousContactId']);
  // Leg 1's flow logs alone make it known.
  assert.deepEqual(
    run({ [EVENTS]: jsonl(es) }, [EVENTS, FLOWS]).map((x) => x.f.code),
    [],
  );
});

// The links contact events write, for a leg whose contact record is not in the dumps (leg C's
// record left out: a partial dump, or a contact whose record is not delivered yet). Each test
// changes one thing of the sample (invented values) and says what.
describe('link-reciprocal and link-initial from contact events', () => {
  const withoutC = () => jsonl([legA, legB]);
  const eventsOfC = (es: Rec[]) => es.filter((e) => e.detail.contactId === legC.ContactId);
  const OTHER = 'c0ffee00-0000-4000-8000-000000000001'; // invented: a contact in no dump

  // Without C's record, B's NextContactId names a contact with no contact record: the record
  // rule's link-missing (information), which every test below also gets and leaves aside.
  const recordMissing = (r: ReturnType<typeof run>) => r.filter((x) => !(x.f.code === 'link-missing' && x.uri === `file:///${RECORDS}`));

  test('leg C known from its events only, its links agreeing with the records: nothing but the missing record', () => {
    const r = run({ [RECORDS]: withoutC() });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.text]),
      [['link-missing', JSON.stringify(legC.ContactId)]],
    );
    assert.deepEqual(recordMissing(r), []);
  });

  test("B's record names C as next, C's events name another previous contact: link-reciprocal on the event, once", () => {
    const es = events();
    for (const e of eventsOfC(es)) e.detail.previousContactId = OTHER;
    const r = recordMissing(run({ [RECORDS]: withoutC(), [EVENTS]: jsonl(es) })).filter((x) => x.f.code !== 'link-missing' || x.text !== JSON.stringify(OTHER));
    assert.deepEqual(
      r.map((x) => [x.f.code, x.f.severity, x.uri, x.text]),
      [['link-reciprocal', 'warning', `file:///${EVENTS}`, JSON.stringify(OTHER)]],
    );
    assert.match(r[0].f.message, new RegExp(`names ${OTHER} as the previous contact of ${legC.ContactId}, but contact ${legB.ContactId} names`));
    assert.equal(r[0].f.related![0].uri, `file:///${RECORDS}`);
    // Naming the chain's first contact is what the admin guide's words for previousContactId allow: nothing.
    for (const e of eventsOfC(es)) e.detail.previousContactId = legA.ContactId;
    assert.deepEqual(
      recordMissing(run({ [RECORDS]: withoutC(), [EVENTS]: jsonl(es) })).map((x) => x.f.code),
      [],
    );
  });

  test("C's events name B, whose record (updated after C began) has no NextContactId: link-reciprocal; not for an older copy, an API task, or a third next", () => {
    const b = structuredClone(legB);
    b.NextContactId = null;
    const r = run({ [RECORDS]: jsonl([legA, b]) });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.uri, x.text]),
      [['link-reciprocal', `file:///${EVENTS}`, JSON.stringify(legB.ContactId)]],
      'once, although five events of C name B',
    );
    assert.match(
      r[0].f.message,
      /a TRANSFER initiated at 2026-11-24T09:13:20.000Z.*last updated after that \(2026-11-24T09:14:51.000Z\), has no NextContactId/,
    );
    assert.equal(r[0].f.related![0].uri, `file:///${RECORDS}`);
    // B's copy was delivered before C was initiated (09:13:20): it rightly knows nothing of C.
    const older = { ...b, LastUpdateTimestamp: '2026-11-24T09:13:00Z' };
    assert.deepEqual(
      run({ [RECORDS]: jsonl([legA, older]) }).map((x) => x.f.code),
      [],
    );
    // A task started with a PreviousContactId (StartTaskContact) leaves the earlier record alone.
    const es = events();
    for (const e of eventsOfC(es)) e.detail.initiationMethod = 'API';
    assert.deepEqual(
      run({ [RECORDS]: jsonl([legA, b]), [EVENTS]: jsonl(es) }).map((x) => x.f.code),
      [],
    );
    // B's NextContactId names a later transfer: NextContactId is the last contact B handed over to.
    const third = { ...legB, NextContactId: OTHER };
    assert.deepEqual(
      run({ [RECORDS]: jsonl([legA, third]) }).map((x) => x.f.code),
      ['link-missing'],
      'only the record rule: OTHER is in no dump',
    );
  });

  test("C's events name B, whose record has no NextContactId, and a record D also names B: the event is reported unless the record rule reports B", () => {
    const b = structuredClone(legB);
    b.NextContactId = null;
    // D: B's record with another ContactId, naming B as previous, initiated after C (invented).
    const d = {
      ...structuredClone(legB),
      ContactId: 'd0000000-0000-4000-8000-000000000001',
      PreviousContactId: legB.ContactId,
      NextContactId: null,
      InitiationTimestamp: '2026-11-24T09:13:30Z',
    };
    const reciprocal = (method: string) =>
      only('link-reciprocal', run({ [RECORDS]: jsonl([legA, b, { ...d, InitiationMethod: method }]) })).map((x) => [x.uri, x.text]);
    // D a task started by API: the record rule owes B nothing for it, so C's events are what tell.
    assert.deepEqual(reciprocal('API'), [[`file:///${EVENTS}`, JSON.stringify(legB.ContactId)]]);
    // D a TRANSFER: the record rule reports B's blank NextContactId; the events add nothing.
    assert.deepEqual(reciprocal('TRANSFER'), [[`file:///${RECORDS}`, 'null']]);
  });

  test("C's events name B as initial, though the chain starts at A: link-initial on the event, once, pointing at A", () => {
    const es = events();
    for (const e of eventsOfC(es)) e.detail.initialContactId = legB.ContactId;
    // An at-least-once re-delivery of one of them (same id, same content) is the same event.
    es.push(structuredClone(eventsOfC(es)[0]));
    const r = recordMissing(run({ [RECORDS]: withoutC(), [EVENTS]: jsonl(es) }));
    assert.deepEqual(
      r.map((x) => [x.f.code, x.f.severity, x.uri, x.text]),
      [['link-initial', 'warning', `file:///${EVENTS}`, JSON.stringify(legB.ContactId)]],
    );
    assert.match(r[0].f.message, new RegExp(`disagrees with the first contact of its chain, ${legA.ContactId}`));
    assert.equal(r[0].f.related![0].uri, `file:///${RECORDS}`);
    // With C's record in the dumps, its record is what the record rules check; the event that
    // disagrees with it is event-record-mismatch, not a second link finding.
    assert.deepEqual([...new Set(run({ [EVENTS]: jsonl(es) }).map((x) => x.f.code))], ['event-record-mismatch']);
  });

  test('events before any record: links among contacts known from events only are no finding', () => {
    const es = events();
    for (const e of eventsOfC(es)) e.detail.initialContactId = legB.ContactId;
    assert.deepEqual(
      run({ [EVENTS]: jsonl(es) }, [EVENTS, FLOWS]).map((x) => x.f.code),
      [],
    );
  });
});

test('the model: a flow log exported twice is one set of block runs; a re-delivered event counts once', () => {
  const dumps = [RECORDS, EVENTS, FLOWS, FLOWS].map((rel, i) => parseDump(`file:///${i}-${rel}`, sample(rel)));
  const model = contactModel(dumps);
  assert.equal(model.flowLogsOf(legA.ContactId).length, 9);
  assert.equal(model.flowLogsOf(legA.ContactId).filter((f) => f.failure).length, 0);
  assert.equal(model.contactEventsOf(legA.ContactId).length, 5);
  assert.equal(model.allContactEvents.length, 16);
  const times = model.flowLogsOf(legA.ContactId).map((f) => f.time!);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  assert.deepEqual(
    [...runWorkspaceRules(dumps).values()].flat().map((f) => f.code),
    [],
  );
});

test('duplicate-id: one event id with different content; an identical re-delivery is fine', () => {
  const es = events();
  const copy = structuredClone(find(es, legB.ContactId, 'DISCONNECTED'));
  copy.detail.disconnectReason = 'CUSTOMER_DISCONNECT';
  const r = run({ [EVENTS]: jsonl([...es, copy]) });
  assert.deepEqual(
    r.map((x) => [x.f.code, x.text]),
    [['duplicate-id', JSON.stringify(copy.id)]],
  );
  assert.equal(r[0].f.related!.length, 1);
});

describe('flow-outside-contact', () => {
  test('an entry an hour before its contact began: information, on its Timestamp, pointing at InitiationTimestamp', () => {
    const fl = lines(FLOWS);
    fl.find((e) => e.ContactId === legB.ContactId)!.Timestamp = '2026-11-24T08:05:30.402Z';
    const r = run({ [FLOWS]: jsonl(fl) });
    assert.deepEqual(
      r.map((x) => [x.f.code, x.f.severity, x.text]),
      [['flow-outside-contact', 'information', '"2026-11-24T08:05:30.402Z"']],
    );
    assert.match(r[0].f.message, /Transfer to Billing/);
    assert.equal(r[0].f.related![0].uri, `file:///${RECORDS}`);
  });

  test('a disconnect flow a few minutes after the disconnect is fine; an hour after is not', () => {
    const fl = lines(FLOWS);
    const extra = {
      ...fl[0],
      ContactFlowName: 'Post-call survey',
      ContactFlowModuleType: 'GetUserInput',
      Identifier: 'Rate us',
      Timestamp: '2026-11-24T09:09:00.000Z',
      Results: '5',
    };
    assert.deepEqual(
      run({ [FLOWS]: jsonl([...fl, extra]) }).map((x) => x.f.code),
      [],
    );
    const late = { ...extra, Timestamp: '2026-11-24T10:30:00.000Z' };
    assert.deepEqual(
      run({ [FLOWS]: jsonl([...fl, late]) }).map((x) => x.f.code),
      ['flow-outside-contact'],
    );
  });
});
