// Protections of the analysis against hostile dumps, each test failing if its protection
// goes: rules that stay linear when thousands of records share one ContactId, when a chain
// is thousands of legs long or loops through 10,000 contacts; `__proto__` / `constructor`
// in keys and IDs; values nested 100,000 deep.
//
// "Linear" is checked by counting work, not by timing: the records' values are wrapped in
// proxies that count every property read, and the count for n records may be at most 6x the
// count for n/4 (linear gives 4x, quadratic 16x). Time limits here are generous backstops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { contactSummary } from '../../server/src/core/contactSummary';
import { ContactModel } from '../../server/src/core/model';
import { parseDump } from '../../server/src/core/dump';
import { pathAt } from '../../server/src/core/positions';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { buildTimeline } from '../../server/src/core/timeline';
import type { Dump, Finding } from '../../server/src/core/types';
import { readSettings } from '../../server/src/lsp/settings';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8')) as Record<string, any>;
const ctr = fixture('contact-record.voice-inbound.json');
const event = fixture('determine-acw-time.1.json'); // STATE_CHANGE: ContactId-1 CONNECTED -> ENDED

/** The event without the agents' configuration (names, routing profile): 10,000 of them stay a few MB. */
function thinEvent(): Record<string, any> {
  const e = structuredClone(event);
  delete e.CurrentAgentSnapshot.Configuration;
  delete e.PreviousAgentSnapshot.Configuration;
  return e;
}

// Invented, obviously fake IDs (the fixtures' own IDs are placeholders too).
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString().replace('.000Z', 'Z');

/** A contact record with its identity, times and links (the rest of the model is not needed by the rules). */
function contact(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: at(0),
    DisconnectTimestamp: at(60),
    LastUpdateTimestamp: at(120),
    InitialContactId: null,
    PreviousContactId: null,
    NextContactId: null,
    ...fields,
  };
}

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const all = (m: Map<string, Finding[]>) => [...m.values()].flat();
const count = (fs: Finding[], code: string) => fs.filter((f) => f.code === code).length;

// ---- counting work ------------------------------------------------------------------------------

/** Wraps a parsed value so every property read (get, `in`, key listing) adds one to `counter.n`. */
function counted<T>(value: T, counter: { n: number }, cache = new WeakMap<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  const known = cache.get(value);
  if (known) return known as T;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      counter.n++;
      return counted(Reflect.get(target, key, receiver), counter, cache);
    },
    has(target, key) {
      counter.n++;
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      counter.n++;
      return Reflect.ownKeys(target);
    },
  });
  cache.set(value, proxy);
  return proxy;
}

/** Property reads the cross-record rules make on a dump built from `records`, and their findings. */
function work(records: unknown[]): { reads: number; findings: Finding[]; ms: number } {
  const dump = parseDump('file:///robustness/dump.jsonl', jsonl(records));
  const counter = { n: 0 };
  for (const r of dump.records) r.value = counted(r.value, counter);
  const started = performance.now();
  const findings = all(runWorkspaceRules([dump]));
  return { reads: counter.n, findings, ms: performance.now() - started };
}

function assertLinear(name: string, build: (n: number) => unknown[], n: number): Finding[] {
  const small = work(build(n / 4));
  const big = work(build(n));
  const ratio = big.reads / Math.max(1, small.reads);
  if (process.env.ROBUSTNESS_VERBOSE) console.log(`${name}: x${ratio.toFixed(2)}, ${big.reads} reads, ${big.ms.toFixed(0)} ms`);
  assert.ok(
    ratio <= 6,
    `${name}: ${big.reads} property reads for ${n} records vs ${small.reads} for ${n / 4} (x${ratio.toFixed(1)}; linear is x4, quadratic x16)`,
  );
  assert.ok(big.ms < 30_000, `${name}: ${big.ms.toFixed(0)} ms for ${n} records`);
  return big.findings;
}

// ---- thousands of records with one ContactId -----------------------------------------------------

test('10,000 copies of one ContactId: linear work, at most one duplicate-id finding per copy', { timeout: 120_000 }, () => {
  // Same LastUpdateTimestamp, different content: every copy after the first disagrees with it.
  const copies = (n: number) => Array.from({ length: n }, (_, i) => contact({ ContactId: id(1), Attributes: { copy: String(i) } }));
  const findings = assertLinear('one ContactId', copies, 10_000);
  const dups = findings.filter((f) => f.code === 'duplicate-id');
  assert.ok(dups.length >= 1, 'the disagreeing copies are reported');
  assert.ok(dups.length <= 9_999, `${dups.length} duplicate-id findings for 10,000 copies`);
  assert.ok(findings.length <= 10_000, `${findings.length} findings in all`);
  for (const f of dups) assert.ok((f.related ?? []).length <= 1, 'each names one other copy, not all of them');
});

test('one contact in 10,000 agent events of one agent: linear work, bounded findings', { timeout: 120_000 }, () => {
  const states = ['CONNECTED', 'CONNECTED_ONHOLD'];
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const e = thinEvent();
      e.EventId = id(100_000 + i);
      e.EventTimestamp = at(i).replace('Z', '.000Z');
      e.PreviousAgentSnapshot.Contacts[0].ContactId = id(2);
      e.PreviousAgentSnapshot.Contacts[0].State = states[i % 2];
      e.CurrentAgentSnapshot.Contacts[0].ContactId = id(2);
      e.CurrentAgentSnapshot.Contacts[0].State = states[(i + 1) % 2];
      return e;
    });
  const findings = assertLinear('one contact in many events', events, 10_000);
  assert.ok(findings.length <= 10_000, `${findings.length} findings for 10,000 events`);
});

test('10,000 deliveries of one EventId with different content: linear work, bounded findings', { timeout: 120_000 }, () => {
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const e = thinEvent();
      e.EventId = id(3);
      e.EventTimestamp = at(i).replace('Z', '.000Z');
      return e;
    });
  const findings = assertLinear('one EventId', events, 10_000);
  assert.ok(count(findings, 'duplicate-id') <= 9_999);
  assert.ok(findings.length <= 2 * 10_000, `${findings.length} findings for 10,000 events`);
});

// ---- many records without a line break ------------------------------------------------------------

test('a Firehose dump of 10,000 records back to back, with no line break, is split in linear time', { timeout: 120_000 }, () => {
  // Kinesis Data Firehose writes records one after another with no separator. Splitting is a
  // string scan (no property reads to count), so: the time for 4n records against n records,
  // with a floor under which any ratio passes. Linear is x4, quadratic x16.
  const record = JSON.stringify(contact({ ContactId: id(5) }));
  const time = (n: number) => {
    const text = record.repeat(n);
    const started = performance.now();
    const dump = parseDump('file:///robustness/firehose', text);
    const ms = performance.now() - started;
    assert.equal(dump.records.length, n);
    return ms;
  };
  time(500); // warm up
  const small = time(2_500);
  const big = time(10_000);
  assert.ok(big < 1_000 || big / small < 8, `${big.toFixed(0)} ms for 10,000 records vs ${small.toFixed(0)} ms for 2,500 (x${(big / small).toFixed(1)})`);
});

// ---- long chains and cycles -----------------------------------------------------------------------

function chain(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    contact({
      ContactId: id(i),
      InitiationMethod: i === 0 ? 'INBOUND' : 'TRANSFER',
      InitialContactId: i === 0 ? null : id(0),
      PreviousContactId: i === 0 ? null : id(i - 1),
      NextContactId: i === n - 1 ? null : id(i + 1),
    }),
  );
}

function cycle(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => contact({ ContactId: id(i), NextContactId: id((i + 1) % n), PreviousContactId: id((i - 1 + n) % n) }));
}

test('a chain 5,000 legs long: linear work, and a consistent chain has no link finding', { timeout: 120_000 }, () => {
  const findings = assertLinear('chain', chain, 5_000);
  assert.deepEqual(
    findings
      .filter((f) => f.code.startsWith('link-'))
      .map((f) => f.message)
      .slice(0, 3),
    [],
  );
  // Reversed in the file: the same contacts, the same verdict.
  const reversed = work(chain(5_000).reverse());
  assert.equal(reversed.findings.filter((f) => f.code.startsWith('link-')).length, 0);
});

test('a chain 5,000 legs long where every leg names the wrong InitialContactId: one finding per leg at most', { timeout: 120_000 }, () => {
  const wrong = (n: number) => chain(n).map((r, i) => (i === 0 ? r : { ...r, InitialContactId: id(i - 1) }));
  const findings = assertLinear('chain with wrong initials', wrong, 5_000);
  const initial = count(findings, 'link-initial');
  assert.ok(initial >= 1 && initial <= 4_999, `${initial} link-initial findings`);
});

test('a 10,000-contact cycle: linear work, one link-cycle finding with a bounded message', { timeout: 120_000 }, () => {
  const findings = assertLinear('cycle', cycle, 10_000);
  const cycles = findings.filter((f) => f.code === 'link-cycle');
  assert.equal(cycles.length, 1, 'one loop, linked both ways, is one finding');
  assert.ok(cycles[0].message.length < 2_000, `a message of ${cycles[0].message.length} characters`);
  assert.ok((cycles[0].related ?? []).length <= 2);
  assert.ok(
    findings.length <= 10,
    `${findings.length} findings: ${findings
      .slice(0, 3)
      .map((f) => f.message)
      .join(' / ')}`,
  );
});

test('hover summaries and the timeline follow a long chain and a cycle only a bounded number of legs', { timeout: 120_000 }, () => {
  const long = parseDump('file:///robustness/chain.jsonl', jsonl(chain(5_000)));
  const loop = parseDump('file:///robustness/cycle.jsonl', jsonl(cycle(10_000)));
  const inChain = contactSummary(new ContactModel([long]), id(2_500));
  assert.ok(inChain, 'the contact is found');
  assert.ok(inChain.chain.legs.length <= 1_000, `${inChain.chain.legs.length} legs walked`);
  const inLoop = contactSummary(new ContactModel([loop]), id(0));
  assert.ok(inLoop);
  assert.ok(inLoop.chain.legs.length <= 1_000, `${inLoop.chain.legs.length} legs walked`);
  for (const [dump, contactId] of [
    [long, id(2_500)],
    [loop, id(0)],
  ] as const) {
    const started = performance.now();
    const model = buildTimeline(contactId, [dump]);
    assert.ok(model, 'a timeline is built');
    assert.ok(model.lanes.length <= 1_000, `${model.lanes.length} lanes`);
    assert.ok(performance.now() - started < 30_000);
  }
});

// ---- __proto__ and friends ---------------------------------------------------------------------------

test('__proto__ / constructor / prototype keys and IDs do not pollute Object.prototype or fool the link rules', () => {
  const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const withKeys = (json: string) =>
    `{"__proto__":{"polluted":"yes","ContactId":"x"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},${json.slice(1)}`;
  const evil = contact({
    ContactId: 'hasOwnProperty',
    NextContactId: 'constructor',
    PreviousContactId: '__proto__',
    InitialContactId: 'toString',
    RelatedContactId: 'valueOf',
    Attributes: JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"x"}'),
  });
  const ev = structuredClone(event);
  ev.AgentARN = '__proto__';
  ev.EventId = 'constructor';
  ev.CurrentAgentSnapshot.Contacts[0].ContactId = '__proto__';
  ev.CurrentAgentSnapshot.Contacts[0].State = 'toString';
  ev.PreviousAgentSnapshot.Contacts[0].ContactId = '__proto__';
  const text = [withKeys(JSON.stringify(evil)), withKeys(JSON.stringify(ev)), withKeys(JSON.stringify(ctr))].join('\n');

  const analysis = analyzeText('file:///robustness/proto.jsonl', text);
  const cross = all(runWorkspaceRules([analysis.dump]));
  for (let offset = 0; offset < text.length; offset += 97) pathAt(analysis.dump, offset);
  const model = new ContactModel([analysis.dump]);
  for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype']) {
    contactSummary(model, name);
    buildTimeline(name, [analysis.dump]);
  }
  const settings = readSettings(JSON.parse('{"rules":{"__proto__":"off","constructor":"off","schema":"warning"},"__proto__":{"maxFindingsPerDocument":3}}'));

  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), objectKeys);
  assert.equal(Object.getPrototypeOf(settings.rules), Object.prototype);
  assert.equal(settings.maxFindingsPerDocument, 1000, 'a __proto__ member of the settings is not read as settings');
  assert.equal(settings.rules.schema, 'warning');

  // The IDs name no contact in the dump: a lookup in a plain object would find Object.prototype's members.
  const missing = cross.filter((f) => f.code === 'link-missing').map((f) => f.message);
  for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) {
    assert.ok(
      missing.some((m) => m.includes(` ${name} of contact hasOwnProperty`)),
      `link-missing for ${name}: ${JSON.stringify(missing)}`,
    );
  }
  assert.ok(analysis.findings.every((f) => f.start >= 0 && f.end <= text.length));
});

// Comparing copies key by key must keep a "__proto__" key a key (assigning it would set a prototype and lose it).
test('two copies of a contact that differ only inside a "__proto__" member are still told apart', () => {
  const a = `{"__proto__":{"note":"first"},${JSON.stringify(contact({ ContactId: id(4) })).slice(1)}`;
  const fields = contact({ ContactId: id(4) });
  // The same fields in another order, so the texts differ and the copies are compared by content.
  const b = `{"__proto__":{"note":"second"},${Object.keys(fields)
    .reverse()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(fields[k])}`)
    .join(',')}}`;
  const findings = all(runWorkspaceRules([parseDump('file:///robustness/proto-dup.jsonl', `${a}\n${b}\n`)]));
  assert.equal(count(findings, 'duplicate-id'), 1);
});

// ---- 100,000-deep nesting ---------------------------------------------------------------------------

const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

test('a record nested 100,000 deep is reported, not a crash (JSON Lines and array)', () => {
  for (const [name, text] of [
    ['jsonl array', `${JSON.stringify(ctr)}\n${deepArray}\n`],
    ['jsonl object', `${deepObject}\n${JSON.stringify(ctr)}\n`],
    ['array', `[${JSON.stringify(ctr)},${deepArray}]`],
  ]) {
    const a = analyzeText(`file:///robustness/deep-${name}.json`, text);
    assert.equal(a.dump.records.length, 2, name);
    assert.ok(
      a.findings.some((f) => f.code === 'unknown-record'),
      `${name}: the deep record is named as not a Connect record`,
    );
    runWorkspaceRules([a.dump]);
    for (const offset of [0, 10, text.length >> 1, text.length - 2]) pathAt(a.dump, offset);
  }
});

test('an unclosed 100,000-deep value is a json-syntax finding and the next line is still read', () => {
  const text = `${JSON.stringify(ctr)}\n${'['.repeat(DEPTH)}\n${JSON.stringify({ ...ctr, Channel: 'VIDEO' })}\n`;
  const a = analyzeText('file:///robustness/deep-unclosed.jsonl', text);
  assert.ok(a.findings.some((f) => f.code === 'json-syntax'));
  assert.ok(
    a.findings.some((f) => f.code === 'unknown-value' && f.message.includes('VIDEO')),
    'the record after it is checked',
  );
});

test('a field holding a value nested 100,000 deep gets a schema finding on that field', () => {
  const text = JSON.stringify({ ...ctr, Channel: '__DEEP__' }).replace('"__DEEP__"', deepArray);
  const a = analyzeText('file:///robustness/deep-field.jsonl', text);
  const channel = a.findings.find((f) => f.code === 'schema' && f.message.includes('Channel'));
  assert.ok(channel, JSON.stringify(a.findings.map((f) => f.message)));
  assert.equal(channel.start, text.indexOf('"Channel":') + '"Channel":'.length);
  assert.ok(channel.message.length < 1_000);
  runWorkspaceRules([a.dump]);
});

test('a link field holding a value nested 100,000 deep does not break the link rules', () => {
  // A names B as next; B's PreviousContactId is the deep value: a reciprocal-link finding quotes it.
  const a = JSON.stringify(contact({ ContactId: id(10), NextContactId: id(11) }));
  const b = JSON.stringify(contact({ ContactId: id(11), PreviousContactId: '__DEEP__', InitialContactId: id(10) })).replace('"__DEEP__"', deepArray);
  const dump: Dump = parseDump('file:///robustness/deep-link.jsonl', `${a}\n${b}\n`);
  const findings = all(runWorkspaceRules([dump]));
  const reciprocal = findings.find((f) => f.code === 'link-reciprocal');
  assert.ok(reciprocal, 'the broken link is still reported');
  assert.ok(reciprocal.message.length < 1_000, `a message of ${reciprocal.message.length} characters`);
});

test('two copies of a 100,000-deep contact record, formatted differently, are compared without a crash', () => {
  const one = JSON.stringify(contact({ ContactId: id(12), Attributes: '__DEEP__' })).replace('"__DEEP__"', deepObject);
  const other = one.replace('"ContactId":', '"ContactId" :');
  const findings = all(runWorkspaceRules([parseDump('file:///robustness/deep-dup.jsonl', `${one}\n${other}\n`)]));
  // Too deep to compare key by key, the copies are compared as text: at most one finding.
  assert.ok(count(findings, 'duplicate-id') <= 1);
});

test('a flow log entry whose block type is nested 100,000 deep: a schema finding, and the model, hover and timeline do not crash', () => {
  // Fuzz seed 4242 input 494: the key that merges an entry exported twice was String() of each field.
  const flowLog = fixture('flow-log.admin-guide.set-queue.json');
  const deep = JSON.stringify({ ...flowLog, ContactFlowModuleType: '__DEEP__' }).replace('"__DEEP__"', deepArray);
  // The same entry with its block type as an object, and a copy of it: two entries, the copy merged.
  const objectType = JSON.stringify({ ...flowLog, ContactFlowModuleType: { Type: 'SetQueue' } });
  const a = analyzeText('file:///robustness/deep-flow-log.jsonl', `${deep}\n${objectType}\n${objectType}\n`);
  assert.ok(a.findings.some((f) => f.code === 'schema' && f.message.includes('ContactFlowModuleType')));
  runWorkspaceRules([a.dump]);
  const model = new ContactModel([a.dump]);
  assert.equal(model.flowLogs.length, 2, 'the deep entry and the object-typed one; its copy stands once');
  assert.ok(contactSummary(model, flowLog.ContactId));
  assert.ok(buildTimeline(flowLog.ContactId, [a.dump]));
});

test('an ARN whose account or instance is 300,000 characters long: an arn-format finding with a short message', () => {
  const long = '1'.repeat(300_000);
  const text = [
    JSON.stringify({ ...ctr, ContactId: id(20), Queue: { ...ctr.Queue, ARN: `arn:aws:connect:us-east-1:${long}:instance/x/queue/y` } }),
    JSON.stringify({ ...ctr, ContactId: id(21), Queue: { ...ctr.Queue, ARN: ctr.Queue.ARN.replace(/instance\/[^/]+/, `instance/${long}`) } }),
  ].join('\n');
  const a = analyzeText('file:///robustness/long-arn.jsonl', text);
  const arn = a.findings.filter((f) => f.code === 'arn-format');
  assert.equal(arn.length, 2, JSON.stringify(a.findings.map((f) => f.message.slice(0, 200))));
  for (const f of arn) {
    assert.ok(f.message.length < 1_000, `a message of ${f.message.length} characters`);
    for (const r of f.related ?? []) assert.ok(r.message.length < 1_000);
  }
});

test('a flow log entry whose block type, name, result or Lambda ARN is 100,000 characters long: a flow-error finding with a short message', () => {
  // Shape: test/fixtures/aws/flow-log.access-denied.json (a real Lambda failure); the long values are invented.
  const entry = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'aws', 'flow-log.access-denied.json'), 'utf8'));
  const long = 'x'.repeat(100_000);
  const text = [
    { ...entry, ContactFlowModuleType: long },
    { ...entry, ContactFlowName: long, Identifier: long },
    { ...entry, Results: `Status Code: 403; Error Code: AccessDeniedException ${long}` },
    { ...entry, Parameters: { FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${long}` } },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n');
  const a = analyzeText('file:///robustness/long-flow-block.jsonl', text);
  const flow = a.findings.filter((f) => f.code === 'flow-error');
  assert.equal(flow.length, 4, JSON.stringify(a.findings.map((f) => f.message.slice(0, 200))));
  for (const f of flow) assert.ok(f.message.length < 2_000, `a message of ${f.message.length} characters`);
});
