import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGENTS,
  AgentStream,
  evTime,
  agentFourEvents,
  agentFourRecords,
  contactRecord,
  ctrTime,
  fakeId,
  jsonl,
  prettyArray,
  QUEUES,
  transferChainEvents,
  transferChainRecords,
} from '../fixtures/rules/connect';
import { run } from '../fixtures/rules/run';
import { parseDump } from '../../server/src/core/dump';
import { runWorkspaceRules } from '../../server/src/core/rules';

test('a workspace of clean dumps in every shape gives no finding at all', () => {
  const files = {
    'file:///w/ctr/2025/03/10/chain.jsonl': jsonl(transferChainRecords()),
    'file:///w/ctr/2025/03/10/four.json': prettyArray(agentFourRecords()),
    'file:///w/aes/chain-agents.jsonl': jsonl(transferChainEvents()),
    // A Firehose object: records back to back, newest first.
    'file:///w/aes/four-firehose': agentFourEvents()
      .reverse()
      .map((e) => JSON.stringify(e))
      .join(''),
  };
  const r = run(files);
  assert.equal(r.dumps[3].format, 'concatenated');
  assert.ok(r.dumps.reduce((n, d) => n + d.records.length, 0) > 100);
  assert.deepEqual(
    r.all.map((s) => `${s.uri}: ${s.finding.code} ${s.finding.message}`),
    [],
  );
});

test('findings are grouped by the document they sit in, sorted by position, related locations across documents', () => {
  const [leg1, leg2, leg3] = transferChainRecords();
  leg3.InitialContactId = leg3.PreviousContactId; // link-initial in the second file
  const leg1Again = { ...leg1, Attributes: { note: 'changed' } }; // duplicate-id in the first file: same LastUpdateTimestamp, other content
  const dumps = [parseDump('one.jsonl', jsonl([leg1, leg1Again])), parseDump('two.jsonl', jsonl([leg2, leg3]))];
  const out = runWorkspaceRules(dumps);
  assert.deepEqual([...out.keys()].sort(), ['one.jsonl', 'two.jsonl']);
  assert.deepEqual(
    out.get('one.jsonl')!.map((f) => f.code),
    ['duplicate-id'],
  );
  const two = out.get('two.jsonl')!;
  assert.deepEqual(
    two.map((f) => f.code),
    ['link-initial'],
  );
  assert.equal(two[0].related![0].uri, 'one.jsonl');
  for (const list of out.values()) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].start <= list[i].start);
  }
});

test('no dumps, empty dumps and non-Connect JSON give nothing', () => {
  assert.equal(runWorkspaceRules([]).size, 0);
  assert.equal(
    runWorkspaceRules([parseDump('e.json', ''), parseDump('p.json', '{"name":"x","version":"1.0.0"}'), parseDump('b.jsonl', '{"ContactId":')]).size,
    0,
  );
});

// Adversarial inputs: each must finish (the suite's own timeout catches a hang) and give a
// number of findings bounded by the number of records.

function base(id: string, extra: Record<string, unknown>): Record<string, unknown> {
  return contactRecord({
    id,
    channel: 'VOICE',
    method: 'INBOUND',
    initial: null,
    previous: null,
    next: null,
    initiation: ctrTime('09:00:00'),
    queue: { q: QUEUES.support, enqueue: ctrTime('09:00:05'), dequeue: ctrTime('09:00:30') },
    disconnect: ctrTime('09:01:00'),
    disconnectReason: 'CUSTOMER_DISCONNECT',
    lastUpdate: ctrTime('09:02:00'),
    extra,
  });
}

test('adversarial: 10,000 records with one ContactId, all different, same LastUpdateTimestamp', () => {
  const id = fakeId('ad', 1);
  const records = Array.from({ length: 10_000 }, (_, i) => base(id, { Attributes: { n: String(i) } }));
  const r = run({ 'a.jsonl': jsonl(records) });
  const dup = r.of('duplicate-id');
  assert.equal(dup.length, 9_999);
  assert.ok(r.all.length <= records.length);
  // Identical copies: nothing at all.
  const same = Array.from({ length: 10_000 }, () => base(id, {}));
  assert.deepEqual(run({ 'b.jsonl': jsonl(same) }).all, []);
});

test('adversarial: a chain 5,000 legs long, clean, then with every leg naming the wrong initial contact', () => {
  const n = 5_000;
  const ids = Array.from({ length: n }, (_, i) => fakeId('ae', i));
  const records = ids.map((id, i) =>
    base(id, {
      InitiationMethod: i === 0 ? 'INBOUND' : 'TRANSFER',
      InitialContactId: i === 0 ? null : ids[0],
      PreviousContactId: i === 0 ? null : ids[i - 1],
      NextContactId: i === n - 1 ? null : ids[i + 1],
    }),
  );
  assert.deepEqual(run({ 'a.jsonl': jsonl(records.slice().reverse()) }).all, []);
  for (let i = 1; i < n; i++) records[i].InitialContactId = ids[1];
  const r = run({ 'b.jsonl': jsonl(records) });
  assert.equal(r.of('link-initial').length, n - 1, 'every leg after the first, the second one included (it names itself)');
  assert.ok(r.all.length <= n);
});

test('adversarial: one loop of 3,000 contacts and many chains running into it', () => {
  const n = 3_000;
  const loop = Array.from({ length: n }, (_, i) => fakeId('af', i));
  const records = loop.map((id, i) =>
    base(id, {
      InitialContactId: loop[0],
      PreviousContactId: loop[(i + n - 1) % n],
      NextContactId: loop[(i + 1) % n],
    }),
  );
  // 1,000 tails whose NextContactId points into the loop.
  for (let i = 0; i < 1_000; i++) records.push(base(fakeId('b0', i), { NextContactId: loop[i] }));
  const r = run({ 'a.jsonl': jsonl(records) });
  assert.equal(r.of('link-cycle').length, 1, 'one loop, reported once although it is linked both ways');
  assert.ok(r.of('link-cycle')[0].finding.message.length < 1000, 'the message does not spell out 3,000 IDs');
  assert.ok(r.all.length <= records.length * 2);
});

test('adversarial: 4,000 events of one agent with one contact going ENDED -> CONNECTED over and over', () => {
  const c = {
    ContactId: fakeId('ba', 1),
    Channel: 'VOICE' as const,
    InitiationMethod: 'INBOUND',
    InitialContactId: null,
    queue: QUEUES.support,
    QueueTimestamp: null,
    ConnectedToAgentTimestamp: null,
  };
  const s = new AgentStream(AGENTS.one, 'bc').login(evTime('08:00:00', 0));
  const start = Date.parse(evTime('08:00:01', 0));
  for (let i = 0; i < 4_000; i++) {
    s.contact(c, i % 2 === 0 ? 'CONNECTED' : 'ENDED', new Date(start + i * 1000).toISOString());
  }
  const r = run({ 'a.jsonl': jsonl(s.events) });
  // One finding per ENDED -> CONNECTED step (inside its event), no more.
  assert.equal(r.of('state-transition').length, 1_999);
  assert.ok(r.all.length <= s.events.length);
});
