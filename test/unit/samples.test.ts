// The sample dumps a new user opens first: they must parse, the clean ones must follow the
// AWS data models (our JSON Schemas), tell a consistent story, and each faulty one must
// carry exactly the fault samples/README.md says it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Rec = Record<string, any>;

const root = path.resolve(__dirname, '..', '..');
const samplesDir = path.join(root, 'samples');
const read = (rel: string) => readFileSync(path.join(samplesDir, rel), 'utf8');

const CLEAN = [
  'transfer-chain.jsonl',
  'transfer-chain.json',
  'transfer-chain-agent-events.jsonl',
  'queued-callback.jsonl',
  'task-paused.json',
  'chat.firehose',
  'firehose/chat-2026-11-24-10',
];
const FAULTS = [
  'faults/schema-errors.jsonl',
  'faults/illegal-transition.jsonl',
  'faults/broken-links.jsonl',
  'faults/syntax-error.jsonl',
  'faults/timestamps.jsonl',
  'faults/flow-lambda-error.jsonl',
];
/** Clean samples of the newer kinds: the transfer chain's flow logs and contact events. */
const CHAIN_KINDS = ['transfer-chain-flow-logs.jsonl', 'transfer-chain-contact-events.jsonl'];

// samples/envelopes/: the clean samples' records (and one faulty one) in each envelope they ship in.
const ENVELOPES = [
  'envelopes/kinesis-get-records.json',
  'envelopes/kinesis-records.jsonl',
  'envelopes/lambda-kinesis-event.json',
  'envelopes/firehose-transform-event.json',
  'envelopes/firehose-transform-response.json',
  'envelopes/firehose-processing-failed.jsonl',
  'envelopes/cloudwatch-filter-log-events.json',
  'envelopes/cloudwatch-subscription.json',
  'envelopes/lambda-cloudwatch-logs-event.json',
  'envelopes/chat-2026-11-24-10.gz',
  'envelopes/faults/kinesis-get-records-schema-error.json',
];

/** Splits values written back to back (as Kinesis Data Firehose writes them) with a string-aware scan. */
function splitConcatenated(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) out.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) {
      throw new Error(`unexpected ${JSON.stringify(c)} between records at ${i}`);
    }
  }
  assert.equal(depth, 0, 'the last record is complete');
  return out;
}

function isFirehose(rel: string) {
  return rel.endsWith('.firehose') || rel.startsWith('firehose/');
}

/** Records of a sample; a span that is not JSON comes back as an Error in its place. */
function records(rel: string): (Rec | Error)[] {
  const text = read(rel);
  const parse = (s: string): Rec | Error => {
    try {
      return JSON.parse(s);
    } catch (e) {
      return e as Error;
    }
  };
  if (rel.endsWith('.jsonl'))
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(parse);
  if (isFirehose(rel)) return splitConcatenated(text).map(parse);
  const value = JSON.parse(text);
  assert.ok(Array.isArray(value), `${rel} is a JSON array`);
  return value;
}

function parsed(rel: string): Rec[] {
  const rs = records(rel);
  rs.forEach((r, i) => assert.ok(!(r instanceof Error), `${rel} record ${i + 1}: ${(r as Error).message}`));
  return rs;
}

const isEvent = (r: Rec) => 'EventType' in r;
const ms = (s: string) => Date.parse(s);

// ---------- schemas (written by another part of the project; the test waits for them) ----------
const schemaFiles = {
  agentEvent: path.join(root, 'schemas/agent-event.schema.json'),
  contactRecord: path.join(root, 'schemas/contact-record.schema.json'),
};
const schemasMissing = Object.values(schemaFiles).some((f) => !existsSync(f)) ? 'schemas/*.schema.json not written yet' : false;

let validators: { agentEvent: ValidateFunction; contactRecord: ValidateFunction } | undefined;
function validatorFor(r: Rec): ValidateFunction {
  if (!validators) {
    const agentEvent = JSON.parse(readFileSync(schemaFiles.agentEvent, 'utf8'));
    const contactRecord = JSON.parse(readFileSync(schemaFiles.contactRecord, 'utf8'));
    // draft-07 today; follow the schemas if they move to 2020-12.
    const ajv = String(agentEvent.$schema).includes('2020-12') ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validators = { agentEvent: ajv.compile(agentEvent), contactRecord: ajv.compile(contactRecord) };
  }
  return isEvent(r) ? validators.agentEvent : validators.contactRecord;
}
function schemaErrors(r: Rec): ErrorObject[] {
  const v = validatorFor(r);
  return v(r) ? [] : [...(v.errors ?? [])];
}

// ---------- parsing ----------
test('every sample parses in its own format', () => {
  for (const rel of CLEAN) {
    const rs = parsed(rel);
    assert.ok(rs.length > 0, rel);
    for (const r of rs) assert.ok(isEvent(r) || typeof r.ContactId === 'string', `${rel}: a record is an agent event or a contact record`);
  }
  for (const rel of FAULTS.filter((f) => f !== 'faults/syntax-error.jsonl')) parsed(rel);
});

test('firehose samples are objects back to back with no separator, one copy with and one without an extension', () => {
  const withExt = read('chat.firehose');
  const bare = read('firehose/chat-2026-11-24-10');
  assert.equal(bare, withExt);
  assert.ok(!bare.includes('\n'), 'Firehose writes no newline');
  assert.ok(bare.includes('}{'), 'records touch');
  assert.equal(path.extname('firehose/chat-2026-11-24-10'), '', 'the S3-style file has no extension');
  const rs = parsed('firehose/chat-2026-11-24-10');
  assert.equal(rs.filter((r) => !isEvent(r)).length, 1, 'one chat contact record');
  assert.ok(rs.filter(isEvent).length >= 6, 'and its agent events');
});

test('the JSON array and the JSONL dump of the transfer chain hold the same records', () => {
  assert.deepEqual(parsed('transfer-chain.json'), parsed('transfer-chain.jsonl'));
  assert.match(read('transfer-chain.json'), /^\[\n {2}\{\n {4}"AWSAccountId"/, 'pretty-printed');
});

// ---------- schemas ----------
test('every record of the clean samples follows its schema', { skip: schemasMissing }, () => {
  for (const rel of CLEAN) {
    for (const [i, r] of parsed(rel).entries()) {
      const errors = schemaErrors(r);
      assert.deepEqual(
        errors.map((e) => `${e.instancePath} ${e.message}`),
        [],
        `${rel} record ${i + 1} (${r.EventType ?? r.ContactId})`,
      );
    }
  }
});

test('schema-errors.jsonl: each record breaks the schema exactly once, in the way the README says', { skip: schemasMissing }, () => {
  const found = parsed('faults/schema-errors.jsonl').map((r) => schemaErrors(r).map((e) => ({ keyword: e.keyword, at: e.instancePath, params: e.params })));
  const broken = found.filter((errs) => errs.length > 0);
  assert.equal(broken.length, 4, JSON.stringify(found));
  for (const errs of broken) assert.equal(errs.length, 1, JSON.stringify(errs));
  const flat = broken.map((e) => e[0]);
  assert.ok(
    flat.some((e) => e.keyword === 'enum' && e.at === '/Channel'),
    'Channel VIDEO',
  );
  assert.ok(
    flat.some((e) => e.keyword === 'format' && e.at === '/LastUpdateTimestamp'),
    'a timestamp that is not ISO 8601',
  );
  assert.ok(
    flat.some((e) => e.keyword === 'required' && (e.params as { missingProperty: string }).missingProperty === 'EventId'),
    'EventId left out',
  );
  assert.ok(
    flat.some((e) => e.keyword === 'enum' && e.at === '/CurrentAgentSnapshot/Contacts/0/State'),
    'CONNECTED_ ONHOLD',
  );
  assert.ok(read('faults/schema-errors.jsonl').includes('"State":"CONNECTED_ ONHOLD"'));
});

test('the other faulty samples are schema-valid, so they show only their own fault', { skip: schemasMissing }, () => {
  for (const rel of ['faults/illegal-transition.jsonl', 'faults/broken-links.jsonl', 'faults/timestamps.jsonl']) {
    for (const [i, r] of parsed(rel).entries())
      assert.deepEqual(
        schemaErrors(r).map((e) => `${e.instancePath} ${e.message}`),
        [],
        `${rel} record ${i + 1}`,
      );
  }
  const rs = records('faults/syntax-error.jsonl');
  for (const r of rs) if (!(r instanceof Error)) assert.deepEqual(schemaErrors(r), []);
});

// ---------- the transfer chain ----------
test('transfer chain: three legs linked both ways under one initial contact', () => {
  const legs = parsed('transfer-chain.jsonl');
  assert.equal(legs.length, 3);
  const byId = new Map(legs.map((l) => [l.ContactId, l]));
  const [first, second, third] = legs;
  assert.deepEqual(
    legs.map((l) => l.InitiationMethod),
    ['INBOUND', 'TRANSFER', 'TRANSFER'],
  );
  // Connect writes null as the first leg's InitialContactId; every later leg names the first leg.
  assert.equal(first.InitialContactId, null);
  assert.equal(first.PreviousContactId, null);
  assert.equal(third.NextContactId, null);
  for (const leg of [second, third]) assert.equal(leg.InitialContactId, first.ContactId);
  for (const leg of legs) {
    if (leg.NextContactId) assert.equal(byId.get(leg.NextContactId)?.PreviousContactId, leg.ContactId, `${leg.ContactId} -> next -> previous`);
    if (leg.PreviousContactId) assert.equal(byId.get(leg.PreviousContactId)?.NextContactId, leg.ContactId, `${leg.ContactId} -> previous -> next`);
  }
  assert.equal(new Set(legs.map((l) => l.Agent.Username)).size, 3, 'three different agents');
  assert.deepEqual(
    legs.map((l) => l.DisconnectReason),
    ['AGENT_DISCONNECT', 'AGENT_DISCONNECT', 'CUSTOMER_DISCONNECT'],
  );
});

test('transfer chain: timestamps and durations of every leg agree', () => {
  for (const leg of parsed('transfer-chain.jsonl')) {
    const order = [
      leg.InitiationTimestamp,
      leg.Queue.EnqueueTimestamp,
      leg.Queue.DequeueTimestamp,
      leg.Agent.ConnectedToAgentTimestamp,
      leg.DisconnectTimestamp,
      leg.Agent.AfterContactWorkEndTimestamp,
      leg.LastUpdateTimestamp,
    ];
    for (let i = 1; i < order.length; i++) assert.ok(ms(order[i - 1]) <= ms(order[i]), `${leg.ContactId}: ${order[i - 1]} <= ${order[i]}`);
    const sec = (a: string, b: string) => (ms(b) - ms(a)) / 1000;
    assert.equal(leg.Queue.Duration, sec(leg.Queue.EnqueueTimestamp, leg.Queue.DequeueTimestamp));
    assert.equal(leg.Agent.AfterContactWorkStartTimestamp, leg.DisconnectTimestamp);
    assert.equal(leg.Agent.AfterContactWorkDuration, sec(leg.Agent.AfterContactWorkStartTimestamp, leg.Agent.AfterContactWorkEndTimestamp));
    assert.equal(leg.Agent.AgentInteractionDuration, sec(leg.Agent.ConnectedToAgentTimestamp, leg.DisconnectTimestamp) - leg.Agent.CustomerHoldDuration);
    assert.ok(leg.Agent.LongestHoldDuration <= leg.Agent.CustomerHoldDuration);
  }
  const holds = parsed('transfer-chain.jsonl').map((l) => l.Agent.NumberOfHolds);
  assert.deepEqual(holds, [0, 2, 0], 'the second leg was put on hold twice');
});

// ---------- agent events ----------
/** Agent events of a sample, per agent, in time order. */
function eventsByAgent(rs: Rec[]): Map<string, Rec[]> {
  const m = new Map<string, Rec[]>();
  for (const e of rs.filter(isEvent)) m.set(e.AgentARN, [...(m.get(e.AgentARN) ?? []), e]);
  for (const list of m.values()) list.sort((a, b) => ms(a.EventTimestamp) - ms(b.EventTimestamp));
  return m;
}

/** The states one contact goes through in an agent's Current snapshots, repeats folded. */
function statePath(events: Rec[], contactId: string): string[] {
  const path: string[] = [];
  for (const e of events) {
    const c = (e.CurrentAgentSnapshot.Contacts as Rec[]).find((x) => x.ContactId === contactId);
    if (c && path[path.length - 1] !== c.State) path.push(c.State);
  }
  return path;
}

test('clean agent events: snapshots chain, heartbeats every 120 s, LOGIN/LOGOUT without a previous snapshot', () => {
  for (const rel of CLEAN) {
    for (const [agentArn, events] of eventsByAgent(parsed(rel))) {
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        const where = `${rel} ${agentArn.split('/').pop()} ${e.EventTimestamp} ${e.EventType}`;
        if (e.EventType === 'LOGIN' || e.EventType === 'LOGOUT') assert.equal(e.PreviousAgentSnapshot, undefined, where);
        else assert.ok(e.PreviousAgentSnapshot, where);
        if (e.EventType === 'HEART_BEAT') assert.deepEqual(e.PreviousAgentSnapshot, e.CurrentAgentSnapshot, where);
        if (i === 0) continue;
        const before = events[i - 1];
        assert.ok(ms(e.EventTimestamp) - ms(before.EventTimestamp) <= 120_000, `${where}: no more than 120 s without an event`);
        if (e.PreviousAgentSnapshot)
          assert.deepEqual(e.PreviousAgentSnapshot, before.CurrentAgentSnapshot, `${where}: previous snapshot is the last current one`);
      }
      assert.equal(events[0].EventType, 'LOGIN', rel);
      assert.equal(events[events.length - 1].EventType, 'LOGOUT', rel);
    }
  }
});

test('clean agent events: each contact goes through the states its story says', () => {
  const chain = parsed('transfer-chain.jsonl');
  const chainEvents = eventsByAgent(parsed('transfer-chain-agent-events.jsonl'));
  assert.equal(chainEvents.size, 3);
  const expected = [
    ['CONNECTING', 'CONNECTED', 'ENDED'],
    ['CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'CONNECTED', 'CONNECTED_ONHOLD', 'CONNECTED', 'ENDED'],
    ['CONNECTING', 'CONNECTED', 'ENDED'],
  ];
  chain.forEach((leg, i) => {
    const events = chainEvents.get(leg.Agent.ARN);
    assert.ok(events, `agent events for ${leg.Agent.Username}`);
    assert.deepEqual(statePath(events, leg.ContactId), expected[i], leg.Agent.Username);
    const holds = statePath(events, leg.ContactId).filter((s) => s === 'CONNECTED_ONHOLD').length;
    assert.equal(holds, leg.Agent.NumberOfHolds);
    const contact = events.flatMap((e) => e.CurrentAgentSnapshot.Contacts as Rec[]).find((c) => c.ContactId === leg.ContactId)!;
    assert.equal(contact.InitialContactId, leg.InitialContactId);
    assert.equal(contact.InitiationMethod, leg.InitiationMethod);
    assert.equal(contact.Queue.ARN, leg.Queue.ARN);
  });

  const callback = parsed('queued-callback.jsonl');
  const cbRecord = callback.find((r) => r.InitiationMethod === 'CALLBACK')!;
  const inbound = callback.find((r) => r.InitiationMethod === 'INBOUND')!;
  assert.equal(inbound.NextContactId, cbRecord.ContactId);
  assert.equal(cbRecord.PreviousContactId, inbound.ContactId);
  assert.equal(cbRecord.InitialContactId, inbound.ContactId);
  const [cbEvents] = eventsByAgent(callback).values();
  // Streams docs: a queued callback is INCOMING until accepted, PENDING before CONNECTING.
  assert.deepEqual(statePath(cbEvents, cbRecord.ContactId), ['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'ENDED']);

  const taskDump = parsed('task-paused.json');
  const task = taskDump.find((r) => !isEvent(r))!;
  assert.equal(task.Channel, 'TASK');
  const [taskEvents] = eventsByAgent(taskDump).values();
  assert.deepEqual(statePath(taskEvents, task.ContactId), ['CONNECTING', 'CONNECTED', 'PAUSED', 'CONNECTED', 'ENDED']);
  const paused = taskEvents.find((e) => e.CurrentAgentSnapshot.Contacts[0]?.State === 'PAUSED')!;
  const resumed = taskEvents.find(
    (e) => e.PreviousAgentSnapshot?.Contacts[0]?.State === 'PAUSED' && e.CurrentAgentSnapshot.Contacts[0]?.State === 'CONNECTED',
  )!;
  assert.equal(task.Agent.AgentPauseDuration, Math.round((ms(resumed.EventTimestamp) - ms(paused.EventTimestamp)) / 1000));

  const chatDump = parsed('chat.firehose');
  const chat = chatDump.find((r) => !isEvent(r))!;
  const [chatEvents] = eventsByAgent(chatDump).values();
  assert.equal(chat.Channel, 'CHAT');
  assert.deepEqual(statePath(chatEvents, chat.ContactId), ['CONNECTING', 'CONNECTED', 'ENDED']);
});

// ---------- faults ----------
test('illegal-transition.jsonl: ENDED -> CONNECTED in one event, MISSED -> CONNECTED across two', () => {
  const [events] = eventsByAgent(parsed('faults/illegal-transition.jsonl')).values();
  const states = (snap: Rec | undefined) => new Map(((snap?.Contacts ?? []) as Rec[]).map((c) => [c.ContactId, c.State]));
  const within = events.filter((e) => {
    const before = states(e.PreviousAgentSnapshot);
    return [...states(e.CurrentAgentSnapshot)].some(([id, s]) => before.get(id) === 'ENDED' && s === 'CONNECTED');
  });
  assert.equal(within.length, 1);
  const across = events.filter((e, i) => {
    if (i === 0) return false;
    const last = states(events[i - 1].CurrentAgentSnapshot);
    const before = states(e.PreviousAgentSnapshot);
    return [...states(e.CurrentAgentSnapshot)].some(([id, s]) => last.get(id) === 'MISSED' && s === 'CONNECTED' && before.get(id) !== 'MISSED');
  });
  assert.equal(across.length, 1, 'the event itself looks legal; only the one before it shows MISSED');
});

test('broken-links.jsonl: one of each broken link and nothing else wrong', () => {
  const rs = parsed('faults/broken-links.jsonl');
  const byId = new Map(rs.map((r) => [r.ContactId, r]));
  // reciprocal: a NextContactId whose target names another previous leg
  const notReciprocal = rs.filter((r) => r.NextContactId && byId.has(r.NextContactId) && byId.get(r.NextContactId)!.PreviousContactId !== r.ContactId);
  assert.equal(notReciprocal.length, 1);
  // missing: a PreviousContactId not in the dump
  const missing = rs.filter((r) => r.PreviousContactId && !byId.has(r.PreviousContactId));
  assert.equal(missing.length, 1);
  // cycle: following NextContactId comes back
  const cycles = rs.filter((r) => {
    const seen = new Set<string>();
    for (let cur: Rec | undefined = r; cur; cur = byId.get(cur.NextContactId)) {
      if (seen.has(cur.ContactId)) return cur.ContactId === r.ContactId;
      seen.add(cur.ContactId);
    }
    return false;
  });
  assert.equal(cycles.length, 2, 'A -> B -> A');
  // initial: walk back to the first leg of a chain without a cycle
  const head = (r: Rec): Rec | undefined => {
    const seen = new Set<string>();
    let cur = r;
    while (cur.PreviousContactId && byId.has(cur.PreviousContactId)) {
      if (seen.has(cur.ContactId)) return undefined;
      seen.add(cur.ContactId);
      cur = byId.get(cur.PreviousContactId)!;
    }
    return cur.PreviousContactId ? undefined : cur;
  };
  const wrongInitial = rs.filter((r) => {
    const h = head(r);
    return h && h !== r && r.InitialContactId !== h.ContactId;
  });
  assert.equal(wrongInitial.length, 1);
  for (const r of rs) {
    for (const [a, b] of [
      [r.InitiationTimestamp, r.DisconnectTimestamp],
      [r.DisconnectTimestamp, r.LastUpdateTimestamp],
    ])
      assert.ok(ms(a) <= ms(b));
  }
});

test('syntax-error.jsonl: the middle line is cut, the lines around it are whole', () => {
  const rs = records('faults/syntax-error.jsonl');
  assert.equal(rs.length, 3);
  assert.ok(!(rs[0] instanceof Error));
  assert.ok(rs[1] instanceof Error);
  assert.ok(!(rs[2] instanceof Error));
});

test('timestamps.jsonl: one record disconnects before it starts, the other is in order', () => {
  const [bad, good] = parsed('faults/timestamps.jsonl');
  assert.ok(ms(bad.DisconnectTimestamp) < ms(bad.InitiationTimestamp));
  assert.ok(ms(good.InitiationTimestamp) <= ms(good.DisconnectTimestamp));
});

// ---------- across samples ----------
test('an ID that appears in two samples names the same record (no accidental duplicate-id)', () => {
  const seen = new Map<string, { rel: string; r: Rec }>();
  for (const rel of [...CLEAN, ...FAULTS]) {
    for (const r of records(rel)) {
      if (r instanceof Error) continue;
      // Flow log entries share their contact's ContactId by design: only records are keyed here.
      const id = r.EventId ?? (isEvent(r) || 'ContactFlowModuleType' in r ? undefined : r.ContactId);
      if (!id) continue;
      const other = seen.get(id);
      if (other && other.rel !== rel) assert.deepEqual(r, other.r, `${id} in ${rel} and ${other.rel}`);
      else if (other) assert.fail(`${id} twice in ${rel}`);
      seen.set(id, { rel, r });
    }
  }
});

test('samples/README.md lists every sample file', () => {
  const readme = read('README.md');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(path.join(samplesDir, dir))) {
      const rel = dir ? `${dir}/${f}` : f;
      if (statSync(path.join(samplesDir, rel)).isDirectory()) walk(rel);
      else if (rel !== 'README.md' && !f.startsWith('.')) files.push(rel);
    }
  };
  walk('');
  assert.deepEqual(files.sort(), [...CLEAN, ...CHAIN_KINDS, ...FAULTS, ...ENVELOPES].sort(), 'the test knows every sample');
  for (const f of files) assert.ok(readme.includes(`\`${f}\``), `README mentions ${f}`);
});

// ---------- the analysis core, where it exists ----------
test('the analysis core finds nothing in the clean samples', async () => {
  const { analyzeText } = await import('../../server/src/core/analyze');
  for (const rel of [...CLEAN, ...CHAIN_KINDS]) {
    const { findings } = analyzeText(`file:///samples/${rel}`, read(rel));
    assert.deepEqual(
      findings.map((f) => `${f.code}: ${f.message}`),
      [],
      rel,
    );
  }
});

test('the analysis core reports the syntax and schema faults the README lists', async () => {
  const { analyzeText } = await import('../../server/src/core/analyze');
  const codes = (rel: string) => analyzeText(`file:///samples/${rel}`, read(rel)).findings.map((f) => f.code);
  assert.deepEqual(codes('faults/syntax-error.jsonl'), ['json-syntax']);
  // Line 1's "VIDEO" is outside Channel's documented list: unknown-value (AWS adds channels), not a schema error.
  assert.deepEqual(codes('faults/schema-errors.jsonl'), ['unknown-value', 'schema', 'schema', 'schema']);
});

test('every envelope sample holds records of the clean samples, byte for byte, and only the faulty one has a finding', async () => {
  const { analyzeText } = await import('../../server/src/core/analyze');
  const { gunzipText } = await import('../../server/src/core/envelopes');
  const known = new Set<string>();
  for (const rel of [...CLEAN, 'faults/schema-errors.jsonl']) for (const r of records(rel)) if (!(r instanceof Error)) known.add(JSON.stringify(r));
  for (const rel of ENVELOPES) {
    const file = path.join(samplesDir, rel);
    const text = rel.endsWith('.gz') ? (await gunzipText(readFileSync(file))).text : read(rel);
    const a = analyzeText(`file:///samples/${rel}`, text);
    const decoded = a.decoded?.dump ?? a.dump;
    assert.ok(decoded.records.length > 0, rel);
    for (const r of decoded.records) assert.ok(known.has(JSON.stringify(r.value)), `${rel}: a record that is in no clean sample`);
    const expected = rel.includes('/faults/') ? ['unknown-value'] : [];
    assert.deepEqual(
      a.findings.map((f) => f.code),
      expected,
      rel,
    );
  }
});

// ---------- the transfer chain's flow logs and contact events ----------
test("the chain's flow logs and contact events are of their kinds and follow their schemas", async () => {
  const { analyzeText } = await import('../../server/src/core/analyze');
  const kinds = (rel: string) => new Set(analyzeText(`file:///samples/${rel}`, read(rel)).dump.records.map((r) => r.kind));
  assert.deepEqual([...kinds('transfer-chain-flow-logs.jsonl')], ['flowLog']);
  assert.deepEqual([...kinds('transfer-chain-contact-events.jsonl')], ['contactEvent']);
  assert.deepEqual([...kinds('faults/flow-lambda-error.jsonl')], ['flowLog']);
});

test("each leg's flow log entries fall between its initiation and its enqueue, in the legs of the chain", () => {
  const legs = new Map(parsed('transfer-chain.jsonl').map((r) => [r.ContactId, r]));
  const entries = parsed('transfer-chain-flow-logs.jsonl');
  assert.deepEqual(new Set(entries.map((e) => e.ContactId)), new Set(legs.keys()), 'every leg logs, under its own ContactId');
  for (const e of entries) {
    const leg = legs.get(e.ContactId)!;
    assert.ok(ms(e.Timestamp) >= ms(leg.InitiationTimestamp) && ms(e.Timestamp) <= ms(leg.Queue.EnqueueTimestamp) + 1000, `${e.Identifier} at ${e.Timestamp}`);
    assert.match(e.ContactFlowId, new RegExp(`^${leg.InstanceARN}/contact-flow/`));
  }
  const times = entries.map((e) => ms(e.Timestamp));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'exported in time order',
  );
});

test('the contact events agree with the contact records (times within 1 s), and only delivery order and one re-delivery differ from the story', () => {
  const legs = new Map(parsed('transfer-chain.jsonl').map((r) => [r.ContactId, r]));
  const events = parsed('transfer-chain-contact-events.jsonl');
  const near = (a: string, b: string, what: string) => assert.ok(Math.abs(ms(a) - ms(b)) <= 1000, `${what}: ${a} vs ${b}`);
  for (const e of events) {
    const d = e.detail;
    const leg = legs.get(d.contactId)!;
    assert.ok(leg, d.contactId);
    assert.deepEqual(
      [d.channel, d.initiationMethod, d.instanceArn, d.initialContactId ?? null, d.previousContactId ?? null],
      [leg.Channel, leg.InitiationMethod, leg.InstanceARN, leg.InitialContactId, leg.PreviousContactId],
    );
    assert.deepEqual(e.resources.sort(), [leg.InstanceARN, `${leg.InstanceARN}/contact/${leg.ContactId}`].sort());
    near(d.initiationTimestamp, leg.InitiationTimestamp, 'initiation');
    if (d.queueInfo) {
      assert.equal(d.queueInfo.queueArn, leg.Queue.ARN);
      near(d.queueInfo.enqueueTimestamp, leg.Queue.EnqueueTimestamp, 'enqueue');
    }
    if (d.agentInfo) {
      assert.equal(d.agentInfo.agentArn, leg.Agent.ARN);
      near(d.agentInfo.connectedToAgentTimestamp, leg.Agent.ConnectedToAgentTimestamp, 'connected to agent');
    }
    if (d.disconnectTimestamp) near(d.disconnectTimestamp, leg.DisconnectTimestamp, 'disconnect');
  }
  const ids = events.map((e) => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.equal(repeated.length, 1, 'one re-delivery');
  const copies = events.filter((e) => e.id === repeated[0]);
  assert.deepEqual(copies[0], copies[1], 'identical content');
  assert.equal(new Set(ids).size, 15, 'five events per leg');
});

test('flow-lambda-error.jsonl: one flow-error, on line 2, naming the flow, the block and the error', async () => {
  const { analyzeText } = await import('../../server/src/core/analyze');
  const text = read('faults/flow-lambda-error.jsonl');
  const { findings } = analyzeText('file:///samples/faults/flow-lambda-error.jsonl', text);
  assert.deepEqual(
    findings.map((f) => [f.code, text.slice(0, f.start).split('\n').length]),
    [['flow-error', 2]],
  );
  assert.match(findings[0].message, /Flow "Main IVR": the InvokeExternalResource block "Look up customer" failed: The Lambda Function Returned An Error\./);
});
