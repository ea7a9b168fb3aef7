// The timeline's agent lanes read a contact's states as explain does (contactStates.ts): a
// state seen only in a PreviousAgentSnapshot is drawn from the event that showed it. The real
// 2019 event (test/fixtures/real/SOURCES.md) and invented events around the rule; ordinary
// data (samples/, generated agent days) gets no bar from a previous snapshot.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDump } from '../../bench/generate';
import { parseDump } from '../../server/src/core/dump';
import { explainInDumps } from '../../server/src/core/explainInput';
import { contactModel } from '../../server/src/core/model';
import { buildTimeline } from '../../server/src/core/timeline';
import type { Dump } from '../../server/src/core/types';
import type { TimelineModel } from '../../server/src/shared/timeline';

const REAL = join(__dirname, '..', 'fixtures', 'real', 'agent-event.missed-contact-error-2019.json');
const CONTACT = 'c0000005-0000-4000-8000-000000000001';
const PREVIOUS_ONLY = 'Seen only in the PreviousAgentSnapshot';

const agentLanes = (m: TimelineModel) => m.lanes.filter((l) => l.kind === 'agent');

test('real 2019 agent event: the agent lane draws the ERROR seen only in the PreviousAgentSnapshot, and the bar opens that event', () => {
  const text = readFileSync(REAL, 'utf8');
  const dumps = [parseDump('file:///real.json', text)];
  const m = buildTimeline(CONTACT, dumps);
  assert.ok(m);
  const lanes = agentLanes(m);
  assert.equal(lanes.length, 1);
  assert.equal(lanes[0].title, 'P00000001');
  assert.deepEqual(
    lanes[0].segments.map((s) => [s.kind, s.label, s.start, s.end, s.openEnd]),
    // From the ERROR's StateStartTimestamp to the event in which the contact is gone.
    [['error', 'ERROR', '2019-01-21T09:15:54.054Z', '2019-01-21T09:16:02.002Z', undefined]],
  );
  const bar = lanes[0].segments[0];
  assert.ok(bar.details?.some((d) => d.startsWith(PREVIOUS_ONLY)));
  const opened = JSON.parse(text.slice(bar.source.start, bar.source.end)) as Record<string, unknown>;
  assert.equal(opened.EventId, 'e0000005-0000-4000-8000-000000000001');
  assert.equal(bar.source.uri, 'file:///real.json');
  // The queue ends where the agent's first state starts: no longer a zero-length "missing".
  const queue = m.lanes.find((l) => l.kind === 'leg')!.segments[0];
  assert.deepEqual([queue.kind, queue.start, queue.end], ['queue', '2019-01-21T09:15:53.053Z', '2019-01-21T09:15:54.054Z']);
  // explain tells the same offer, from the same reading.
  const offers = explainInDumps(CONTACT, dumps)!.explanation.offers;
  assert.deepEqual(
    offers.map((o) => [o.agent, o.outcome]),
    [['P00000001', 'error']],
  );
});

/** Two events of one agent (invented values): the contact `previous` before the second, gone after it. */
function twoEvents(first: Record<string, unknown> | undefined, previous: Record<string, unknown>): Dump[] {
  const agent = 'arn:aws:connect:us-west-2:111122223333:instance/0000aaaa-1111-4222-8333-444455550099/agent/a0000099-0000-4000-8000-000000000001';
  const contact = (c: Record<string, unknown>) => ({
    ContactId: CONTACT,
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    QueueTimestamp: '2026-11-24T10:00:00.000Z',
    ConnectedToAgentTimestamp: null,
    ...c,
  });
  const snapshot = (contacts: unknown[]) => ({ AgentStatus: { Name: 'Available', StartTimestamp: '2026-11-24T09:00:00.000Z' }, Contacts: contacts });
  const event = (id: string, at: string, prev: unknown[], cur: unknown[]) => ({
    AgentARN: agent,
    EventId: id,
    EventTimestamp: at,
    EventType: 'STATE_CHANGE',
    PreviousAgentSnapshot: snapshot(prev),
    CurrentAgentSnapshot: snapshot(cur),
  });
  const lines = [
    ...(first ? [event('e0000099-0000-4000-8000-000000000001', '2026-11-24T10:00:01.000Z', [], [contact(first)])] : []),
    event('e0000099-0000-4000-8000-000000000002', '2026-11-24T10:00:20.000Z', [contact(previous)], []),
  ];
  return [parseDump('file:///invented.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'))];
}

const drawn = (dumps: Dump[]) =>
  agentLanes(buildTimeline(CONTACT, dumps)!).flatMap((l) => l.segments.map((s) => `${s.kind} ${s.start.slice(11, 19)}-${s.end.slice(11, 19)}`));

test('a state seen only in a PreviousAgentSnapshot is drawn when its start is believable or it ended an offer, as explain counts it', () => {
  // MISSED whose start is after the event (not believable): an outcome, drawn from the event's time.
  assert.deepEqual(drawn(twoEvents(undefined, { State: 'MISSED', StateStartTimestamp: '2026-11-24T10:05:00.000Z' })), ['missed 10:00:20-10:00:20']);
  // CONNECTING with a believable start: drawn from it.
  assert.deepEqual(drawn(twoEvents(undefined, { State: 'CONNECTING', StateStartTimestamp: '2026-11-24T10:00:05.000Z' })), ['connecting 10:00:05-10:00:20']);
  // CONNECTING whose start is after the event, no outcome: not a state the dumps tell; no bar, no lane.
  assert.deepEqual(drawn(twoEvents(undefined, { State: 'CONNECTING', StateStartTimestamp: '2026-11-24T10:05:00.000Z' })), []);
  // The previous snapshot repeats the state the last event already showed: one bar, not two.
  const seen = { State: 'CONNECTING', StateStartTimestamp: '2026-11-24T10:00:01.000Z' };
  assert.deepEqual(drawn(twoEvents(seen, seen)), ['connecting 10:00:01-10:00:20']);
  // A new state seen only before the second event: it follows the first one's.
  assert.deepEqual(drawn(twoEvents(seen, { State: 'MISSED', StateStartTimestamp: '2026-11-24T10:00:16.000Z' })), [
    'connecting 10:00:01-10:00:16',
    'missed 10:00:16-10:00:20',
  ]);
});

const dir = mkdtempSync(join(tmpdir(), 'cei-timeline-previous-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sampleDumps(): Dump[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!n.endsWith('.md')) files.push(p);
    }
  };
  walk(join(__dirname, '..', '..', 'samples'));
  return files.map((f) => parseDump(`file://${f}`, readFileSync(f, 'utf8')));
}

test('ordinary data (samples/, generated agent days): no bar comes from a previous snapshot', () => {
  const sets: [string, Dump[]][] = [['samples', sampleDumps()]];
  for (const seed of [7, 23]) {
    const file = join(dir, `gen-${seed}.jsonl`);
    writeDump(file, 'jsonl', 1024 * 1024, { seed, faults: 0 });
    sets.push([`generated seed ${seed}`, [parseDump(`file:///gen-${seed}.jsonl`, readFileSync(file, 'utf8'))]]);
  }
  for (const [name, dumps] of sets) {
    const model = contactModel(dumps);
    const ids = new Set(model.events.flatMap((ev) => ev.current.map((s) => s.contactId)));
    let bars = 0;
    for (const id of ids) {
      for (const lane of agentLanes(buildTimeline(id, dumps)!)) {
        for (const s of lane.segments) {
          bars++;
          assert.ok(!s.details?.some((d) => d.startsWith(PREVIOUS_ONLY)), `${name}: ${id} ${s.label} at ${s.start}`);
        }
      }
    }
    assert.ok(bars >= 10, `${name}: ${bars} agent bars checked`);
  }
});
