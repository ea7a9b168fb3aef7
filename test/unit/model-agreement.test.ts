// The rules, the hover and the timeline read one contact model: where they used to keep
// their own copies of a fact, they disagreed. Each test here pins one such disagreement.
// Fixtures: test/webview/fixtures.ts (invented values, shaped like the AWS data models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactSummary } from '../../server/src/core/contactSummary';
import { explainInDumps } from '../../server/src/core/explainInput';
import { parseDump } from '../../server/src/core/dump';
import { ContactModel } from '../../server/src/core/model';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { buildTimeline } from '../../server/src/core/timeline';
import * as fx from '../webview/fixtures';

const T = (hms: string) => `2024-03-15T${hms}.000Z`;
const CARL = { id: 0xc7, username: 'carl.example', first: 'Carl', last: 'Example' };

test('an OUTBOUND voice contact going CONNECTING -> ENDED: the rules accept it and the timeline draws no missing events', () => {
  const id = fx.fakeId(0x7a);
  const s = new fx.AgentStream(CARL, 0x7000);
  const st: fx.StatusDef = { name: 'Available', type: 'ROUTABLE', since: T('08:00:00') };
  const c = (state: string, at: string): fx.EventContact => ({ id, state, stateStart: at, method: 'OUTBOUND', queueTs: null });
  // The customer did not answer: after-contact work starts straight from CONNECTING (states.ts, "inferred" row).
  const events = [
    s.event(T('09:00:00'), st, [c('CONNECTING', T('09:00:00'))]),
    s.event(T('09:00:25'), st, [c('ENDED', T('09:00:25'))]),
    s.event(T('09:00:40'), st, []),
  ];
  const dumps = [parseDump('file:///dumps/outbound.jsonl', fx.jsonl(events))];
  const findings = [...runWorkspaceRules(dumps).values()].flat();
  assert.deepEqual(
    findings.filter((f) => f.code === 'state-transition'),
    [],
  );
  const m = buildTimeline(id, dumps);
  assert.ok(m);
  const agent = m.lanes.find((l) => l.kind === 'agent');
  assert.ok(agent);
  assert.deepEqual(
    agent.segments.map((x) => `${x.kind} ${x.label}`),
    ['connecting CONNECTING', 'acw ENDED'],
  );
});

test('two copies with the same LastUpdateTimestamp: rules, hover and timeline take the same one, the later in document order', () => {
  const id = fx.fakeId(0x7b);
  const base: fx.CtrDef = {
    id,
    method: 'INBOUND',
    init: T('10:00:00'),
    enqueue: T('10:00:05'),
    dequeue: T('10:00:30'),
    agent: { def: CARL, connected: T('10:00:35'), acwStart: T('10:03:00'), acwEnd: T('10:03:30') },
    disconnect: T('10:03:00'),
    lastUpdate: T('10:04:00'),
  };
  const first = fx.contactRecord({ ...base, disconnectReason: 'CUSTOMER_DISCONNECT', nextId: fx.fakeId(0x7c) });
  const second = fx.contactRecord({ ...base, disconnectReason: 'AGENT_DISCONNECT', nextId: fx.fakeId(0x7d) });
  const layouts = {
    'one file': [parseDump('file:///dumps/both.jsonl', fx.jsonl([first, second]))],
    'two files': [parseDump('file:///dumps/a.jsonl', fx.jsonl([first])), parseDump('file:///dumps/b.jsonl', fx.jsonl([second]))],
  };
  for (const [layout, dumps] of Object.entries(layouts)) {
    const findings = [...runWorkspaceRules(dumps).values()].flat();
    // The rules judge the links of the copy that stands: the later one.
    const missing = findings.filter((f) => f.code === 'link-missing').map((f) => f.message);
    assert.equal(missing.length, 1, layout);
    assert.match(missing[0], new RegExp(fx.fakeId(0x7d)), layout);
    assert.equal(findings.filter((f) => f.code === 'duplicate-id').length, 1, layout);
    const m = buildTimeline(id, dumps);
    assert.ok(m, layout);
    const leg = m.lanes.find((l) => l.id === `leg:${id}`)!;
    const disconnect = leg.segments.find((x) => x.kind === 'disconnect');
    assert.equal(disconnect?.label, 'Disconnected: AGENT_DISCONNECT', layout);
    assert.equal(leg.segments[0].source.uri, layout === 'one file' ? 'file:///dumps/both.jsonl' : 'file:///dumps/b.jsonl', layout);
    // The hover reads the same copy.
    const summary = contactSummary(new ContactModel(dumps), id);
    assert.equal(summary?.disconnectReason, 'AGENT_DISCONNECT', layout);
    assert.equal(summary?.recordCount, 2, layout);
  }
});

test('a contact known only from contact events: the hover, the timeline and explain see the same chain and facts', () => {
  // samples/ (invented values, see samples/README.md): the chain's EventBridge contact events alone.
  const text = readFileSync(join(__dirname, '..', '..', 'samples', 'transfer-chain-contact-events.jsonl'), 'utf8');
  const dumps = [parseDump('file:///events.jsonl', text)];
  const ids = [
    ...new Set(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).detail.contactId as string),
    ),
  ];
  const model = new ContactModel(dumps);
  for (const id of ids) {
    const hover = contactSummary(model, id)!;
    const timeline = buildTimeline(id, dumps)!;
    const lanes = timeline.lanes.filter((l) => l.kind === 'leg').map((l) => l.contactId);
    assert.deepEqual(hover.chain.legs, lanes, `chain of ${id}: hover legs = timeline legs`);
    assert.equal(hover.chain.leg, lanes.indexOf(id) + 1);
    assert.equal(hover.contactEventCount, 5);
    assert.equal(hover.channel, 'VOICE');
    assert.equal(hover.initiationMethod, lanes.indexOf(id) === 0 ? 'INBOUND' : 'TRANSFER');
    assert.equal(hover.initiationTimestamp?.slice(0, 19), timeline.lanes.find((l) => l.contactId === id)!.segments[0].start.slice(0, 19));
    assert.equal(hover.disconnectReason, id === ids[2] ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT');
    // Explain walks the same chain (its legs need records or agent events: each leg is a gap, none is invented).
    const gaps = explainInDumps(id, dumps, model)!.explanation.gaps;
    assert.deepEqual(
      lanes.map((leg) => gaps.filter((g) => g.startsWith(`Contact ${leg} `)).length),
      [1, 1, 1],
    );
  }
});
