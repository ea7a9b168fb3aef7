// The contact model's index (model.ts, mentions.ts, chain.ts, contactSummary.ts) on the product's samples (samples/README.md: AWS data models, invented
// IDs): definitions, mentions with exact spans, summaries, chain places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chainPlace } from '../../server/src/core/chain';
import { contactSummary } from '../../server/src/core/contactSummary';
import { contactIdFieldAt } from '../../server/src/core/mentions';
import { ContactModel } from '../../server/src/core/model';
import { parseDump } from '../../server/src/core/dump';
import type { Dump } from '../../server/src/core/types';

const SAMPLES = path.resolve(__dirname, '../../samples');
const sample = (name: string): string => readFileSync(path.join(SAMPLES, name), 'utf8');
const dumpOf = (name: string, text = sample(name)): Dump => parseDump(`file:///samples/${name}`, text);

/** The model's answers the hover, definition and references read, by their old names. */
function indexOf(dumps: Dump[]) {
  const model = new ContactModel(dumps);
  return {
    definitions: (id: string) => model.definitions(id),
    mentions: (id: string) => model.mentions(id),
    summary: (id: string) => contactSummary(model, id),
    chain: (id: string) => chainPlace(model, id),
    record: (id: string) => model.record(id),
  };
}
type Index = ReturnType<typeof indexOf>;

type Ctr = Record<string, any>;
const ctrs: Ctr[] = sample('transfer-chain.jsonl')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
// The legs, found from the data rather than hard-coded: leg 1 has no previous contact.
const leg1 = ctrs.find((c) => c.PreviousContactId === null)!;
const leg2 = ctrs.find((c) => c.PreviousContactId === leg1.ContactId)!;
const leg3 = ctrs.find((c) => c.PreviousContactId === leg2.ContactId)!;
const [A, B, C] = [leg1.ContactId as string, leg2.ContactId as string, leg3.ContactId as string];

/** Every `"id"` string written in the dumps: what an independent count of mentions must give. */
function quotedOccurrences(dumps: Dump[], id: string): number {
  let n = 0;
  for (const d of dumps) for (let i = d.text.indexOf(`"${id}"`); i >= 0; i = d.text.indexOf(`"${id}"`, i + 1)) n++;
  return n;
}

test('the samples hold a three-leg chain (the premise of the tests below)', () => {
  assert.equal(new Set([A, B, C]).size, 3);
  assert.equal(leg1.NextContactId, B);
  assert.equal(leg3.NextContactId, null);
});

test('definitions: the ContactId value of the contact record, with its exact span', () => {
  const ctrDump = dumpOf('transfer-chain.jsonl');
  const index = indexOf([dumpOf('transfer-chain-agent-events.jsonl'), ctrDump]);
  const defs = index.definitions(B);
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, ctrDump.uri);
  assert.equal(defs[0].isDefinition, true);
  assert.equal(defs[0].record.index, 1);
  assert.equal(ctrDump.text.slice(defs[0].span.start, defs[0].span.end), JSON.stringify(B));
  // The value of the top-level ContactId, not the NextContactId of leg 1 before it.
  assert.equal(ctrDump.text.slice(defs[0].span.start - '"ContactId":'.length, defs[0].span.start), '"ContactId":');
  assert.deepEqual(index.definitions('00000000-0000-4000-8000-000000000000'), []);
});

test('mentions: links between contact records and contacts inside agent snapshots, every one of them', () => {
  const dumps = [dumpOf('transfer-chain.jsonl'), dumpOf('transfer-chain-agent-events.jsonl')];
  const index = indexOf(dumps);
  for (const id of [A, B, C]) {
    const mentions = index.mentions(id);
    assert.equal(mentions.length, quotedOccurrences(dumps, id), `mentions of ${id}`);
    for (const m of mentions) assert.equal(m.dump.text.slice(m.span.start, m.span.end), JSON.stringify(id));
  }
  const b = index.mentions(B);
  const fromRecords = b
    .filter((m) => m.kind === 'contactRecord')
    .map((m) => `${m.ownerId}.${m.field}`)
    .sort();
  assert.deepEqual(fromRecords, [`${A}.NextContactId`, `${B}.ContactId`, `${C}.PreviousContactId`].sort());
  const fromEvents = b.filter((m) => m.kind === 'agentEvent');
  assert.ok(fromEvents.length >= 4, 'the agent connected to leg 2 mentions it in several events');
  assert.ok(fromEvents.some((m) => m.path[0] === 'CurrentAgentSnapshot') && fromEvents.some((m) => m.path[0] === 'PreviousAgentSnapshot'));
  assert.ok(fromEvents.every((m) => m.path[1] === 'Contacts' && typeof m.path[2] === 'number' && m.path[3] === 'ContactId'));
  // Legs 2 and 3 name leg 1 as their initial contact, in the records and in the snapshots.
  const initial = index.mentions(A).filter((m) => m.field === 'InitialContactId');
  assert.ok(initial.some((m) => m.kind === 'contactRecord' && m.ownerId === C));
  assert.ok(initial.some((m) => m.kind === 'agentEvent' && m.ownerId === B));
});

test('summary of a middle leg: channel, initiation, agent, queue, disconnect reason, leg 2 of 3', () => {
  const index = indexOf([dumpOf('transfer-chain.jsonl'), dumpOf('transfer-chain-agent-events.jsonl')]);
  const s = index.summary(B)!;
  assert.equal(s.source, 'contactRecord');
  assert.equal(s.channel, leg2.Channel);
  assert.equal(s.initiationMethod, 'TRANSFER');
  assert.equal(s.initiationTimestamp, leg2.InitiationTimestamp);
  assert.equal(s.agent, leg2.Agent.Username);
  assert.equal(s.queue, leg2.Queue.Name);
  assert.equal(s.disconnectReason, leg2.DisconnectReason);
  assert.equal(s.recordCount, 1);
  assert.ok(s.eventCount > 0);
  assert.deepEqual(s.chain, { legs: [A, B, C], leg: 2, previous: A, next: C, initial: A, partial: false, cycle: false });
  assert.deepEqual(index.chain(A), { legs: [A, B, C], leg: 1, previous: undefined, next: B, initial: undefined, partial: false, cycle: false });
  assert.equal(index.chain(C).leg, 3);
  assert.equal(index.summary('not-a-contact'), undefined);
});

test('a reversed dump gives the same chain: order in the file means nothing', () => {
  const reversed = sample('transfer-chain.jsonl').trim().split('\n').reverse().join('\n') + '\n';
  const index = indexOf([dumpOf('reversed.jsonl', reversed)]);
  assert.deepEqual(index.chain(B).legs, [A, B, C]);
  assert.equal(index.chain(C).leg, 3);
});

test('a dump cut in the middle of the chain: the missing leg is known by its ID, and the chain is marked partial', () => {
  const lines = sample('transfer-chain.jsonl').trim().split('\n');
  const cut = lines.filter((l) => !l.includes(`"ContactId":"${A}"`)).join('\n');
  const index = indexOf([dumpOf('cut.jsonl', cut)]);
  const chain = index.chain(C);
  assert.deepEqual(chain.legs, [A, B, C]);
  assert.equal(chain.leg, 3);
  assert.equal(chain.partial, true);
  assert.equal(index.definitions(A).length, 0);
  // Leg 1 is still mentioned (as leg 2's PreviousContactId and leg 3's InitialContactId).
  assert.ok(index.mentions(A).length >= 2);
  assert.equal(index.summary(A)!.source, 'mentionOnly');
});

test('links found from the other side: a record that only the next leg points back to', () => {
  // Leg 1 without its NextContactId: leg 2's PreviousContactId still places it in the chain.
  const lines = sample('transfer-chain.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  lines[0].NextContactId = null;
  const index = indexOf([dumpOf('one-sided.jsonl', lines.map((l: Ctr) => JSON.stringify(l)).join('\n'))]);
  assert.deepEqual(index.chain(A).legs, [A, B, C]);
});

test('a loop of links stops and says so', () => {
  const a = { ...leg1, ContactId: 'loop-a-0000', PreviousContactId: 'loop-b-0000', NextContactId: 'loop-b-0000' };
  const b = { ...leg2, ContactId: 'loop-b-0000', PreviousContactId: 'loop-a-0000', NextContactId: 'loop-a-0000', InitialContactId: 'loop-a-0000' };
  const index = indexOf([dumpOf('loop.jsonl', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`)]);
  const chain = index.chain('loop-a-0000');
  assert.equal(chain.cycle, true);
  assert.deepEqual(new Set(chain.legs), new Set(['loop-a-0000', 'loop-b-0000']));
});

test('a re-delivered contact record: both copies are definitions, the newest one speaks for the contact', () => {
  const newer = { ...leg3, LastUpdateTimestamp: '2026-11-24T10:00:00Z', DisconnectReason: 'CUSTOMER_DISCONNECT' };
  const older = { ...leg3, DisconnectReason: 'AGENT_DISCONNECT' };
  // The newer copy comes first in the file: the timestamp decides, not the order.
  const index = indexOf([dumpOf('redelivered.jsonl', `${JSON.stringify(newer)}\n${JSON.stringify(older)}\n`)]);
  assert.equal(index.definitions(C).length, 2);
  assert.equal(index.record(C)!.record.index, 0);
  const s = index.summary(C)!;
  assert.equal(s.recordCount, 2);
  assert.equal(s.disconnectReason, 'CUSTOMER_DISCONNECT');
});

test('an agent event stream alone: the summary comes from the snapshots', () => {
  const events = dumpOf('transfer-chain-agent-events.jsonl');
  const index = indexOf([events]);
  const s = index.summary(A)!;
  assert.equal(s.source, 'agentEvent');
  assert.equal(s.recordCount, 0);
  assert.equal(s.channel, 'VOICE');
  assert.equal(s.initiationMethod, 'INBOUND');
  assert.equal(s.agent, leg1.Agent.Username);
  assert.equal(s.queue, leg1.Queue.Name);
  assert.equal(s.lastState?.state, 'ENDED');
  assert.equal(s.disconnectReason, undefined);
  // Leg 2's snapshots name leg 1 as initial contact, so the chain is known to start before leg 2.
  assert.equal(index.chain(B).initial, A);
  assert.equal(index.chain(B).partial, true);
});

test('a queued callback: the callback leg is the next leg of the inbound contact', () => {
  const index = indexOf([dumpOf('queued-callback.jsonl')]);
  const callbacks = index.mentions('cd43450f-5e1e-4da6-90d2-3e954215895f');
  assert.ok(callbacks.length > 0, 'the sample (samples/README.md) names this callback contact');
  const s = index.summary('cd43450f-5e1e-4da6-90d2-3e954215895f')!;
  assert.equal(s.initiationMethod, 'CALLBACK');
  assert.equal(s.chain.leg, 2);
  assert.equal(s.chain.previous, 'b72c8ecf-12b2-46e0-bf85-bbf342caf503');
});

test('per-dump parts are cached by Dump object: an edit of one dump does not rebuild the others', () => {
  const ctr = dumpOf('transfer-chain.jsonl');
  const events = dumpOf('transfer-chain-agent-events.jsonl');
  const first = indexOf([ctr, events]);
  const edited = dumpOf('transfer-chain.jsonl', sample('transfer-chain.jsonl').replace('"Name":"Billing"', '"Name":"Billing 2"'));
  const second = indexOf([edited, events]);
  const eventMentions = (ix: Index) => ix.mentions(B).filter((m) => m.kind === 'agentEvent');
  assert.ok(
    eventMentions(first).every((m, i) => m === eventMentions(second)[i]),
    'the events dump was not re-indexed',
  );
  assert.notEqual(first.definitions(B)[0], second.definitions(B)[0]);
  assert.equal(second.summary(B)!.queue, 'Billing 2');
});

test('contactIdFieldAt: which JSON paths hold a contact ID', () => {
  assert.equal(contactIdFieldAt('contactRecord', ['NextContactId']), 'NextContactId');
  assert.equal(contactIdFieldAt('contactRecord', ['RelatedContactId']), 'RelatedContactId');
  assert.equal(contactIdFieldAt('contactRecord', ['Agent', 'ARN']), undefined);
  assert.equal(contactIdFieldAt('contactRecord', ['Attributes', 'ContactId']), undefined);
  assert.equal(contactIdFieldAt('agentEvent', ['CurrentAgentSnapshot', 'Contacts', 0, 'ContactId']), 'ContactId');
  assert.equal(contactIdFieldAt('agentEvent', ['PreviousAgentSnapshot', 'Contacts', 2, 'InitialContactId']), 'InitialContactId');
  assert.equal(contactIdFieldAt('agentEvent', ['ContactId']), undefined);
  assert.equal(contactIdFieldAt('unknown', ['ContactId']), undefined);
});
