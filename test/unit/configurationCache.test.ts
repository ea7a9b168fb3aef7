// Snapshot Configurations shared between agent events (core/configurationCache.ts, core/sharedParts.ts): through the
// document analysis, a dump read with sharing gives the same values (key order included) and
// the same findings, at the same places, as the same dump read with every record parsed whole
// (the cache turned off). Fixtures: the AWS-model agent streams of test/fixtures/rules (values
// invented), changed where a test says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText, DocumentAnalysis } from '../../server/src/core/analyze';
import { clearConfigurationCache, CONFIGURATION_CACHE_LIMITS, configurationCacheStats } from '../../server/src/core/configurationCache';
import { sharedPartsOf } from '../../server/src/core/sharedParts';
import { analyzeFileStream, type StreamFinding } from '../../server/src/core/stream';
import { agentFourEvents, INSTANCE_ARN, jsonl, prettyArray, transferChainEvents } from '../fixtures/rules/connect';

type Rec = Record<string, any>;
const URI = 'file:///agents.jsonl';

/** Runs `read` with the cache off: every record parsed whole, as before sharing. */
function withoutSharing<T>(read: () => T): T {
  const saved = { ...CONFIGURATION_CACHE_LIMITS };
  CONFIGURATION_CACHE_LIMITS.entries = 0;
  clearConfigurationCache();
  try {
    return read();
  } finally {
    Object.assign(CONFIGURATION_CACHE_LIMITS, saved);
    clearConfigurationCache();
  }
}

/** The analysis of `text` with sharing (fresh cache) and without; asserts they agree on values and findings. */
function bothWays(text: string): { shared: DocumentAnalysis; whole: DocumentAnalysis; sharing: number } {
  const whole = withoutSharing(() => analyzeText(URI, text));
  clearConfigurationCache();
  const shared = analyzeText(URI, text);
  assert.equal(shared.dump.records.length, whole.dump.records.length);
  shared.dump.records.forEach((r, i) => {
    assert.deepEqual(r.value, whole.dump.records[i].value, `record ${i}`);
    // Same key order, everywhere.
    assert.equal(JSON.stringify(r.value), JSON.stringify(whole.dump.records[i].value), `record ${i}`);
    assert.equal(r.kind, whole.dump.records[i].kind);
  });
  assert.deepEqual(shared.findings, whole.findings);
  for (const r of whole.dump.records) assert.equal(sharedPartsOf(r.value), undefined, 'the cache was off');
  return { shared, whole, sharing: shared.dump.records.filter((r) => sharedPartsOf(r.value)).length };
}

const configurationOf = (r: { value: unknown }, snapshot = 'CurrentAgentSnapshot'): unknown => (r.value as Rec)[snapshot]?.Configuration;

/** Every offset at which `needle` starts in `text`. */
function offsetsOf(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

// Copied through JSON: the builder's events share snapshot objects (one event's current snapshot is the next one's previous).
const events = (): Rec[] => JSON.parse(JSON.stringify([...transferChainEvents(), ...agentFourEvents()])) as Rec[];

test('agent events that repeat a Configuration share one frozen value, equal to the whole parse, with the same findings', () => {
  const text = jsonl(events());
  const { shared, sharing } = bothWays(text);
  // Every event but the first of each configuration text shares: most of them.
  const agentEvents = shared.dump.records.filter((r) => r.kind === 'agentEvent');
  assert.ok(sharing >= agentEvents.length / 2, `${sharing} of ${agentEvents.length} share`);
  const [a, b] = agentEvents.filter((r) => sharedPartsOf(r.value) && configurationOf(r) === configurationOf(r, 'PreviousAgentSnapshot'));
  assert.ok(a && b, 'two events whose snapshots carry the same text');
  assert.ok(Object.isFrozen(configurationOf(a)));
  assert.ok(Object.isFrozen((configurationOf(a) as Rec).RoutingProfile.InboundQueues[0]));
  // The hover reads of a snapshot (user name, routing profile) read the shared value.
  assert.equal((configurationOf(a) as Rec).RoutingProfile.ARN.startsWith(`${INSTANCE_ARN}/routing-profile/`), true);
  const sameAgent = agentEvents.filter((r) => (r.value as Rec).AgentARN === (a.value as Rec).AgentARN && sharedPartsOf(r.value));
  assert.ok(
    sameAgent.some((r) => r !== a && configurationOf(r) === configurationOf(a)),
    'one object for one text',
  );
  assert.deepEqual(shared.findings, []);
});

/** The agent-one events of the transfer chain, events 3 to 5 with both snapshots' Configuration changed by `fault`. */
function faulty(fault: (configuration: Rec) => void): { text: string; faultyLines: number[] } {
  const all = events();
  const one = all.filter((e) => e.AgentARN === all[0].AgentARN);
  const faultyLines = [3, 4, 5];
  for (const i of faultyLines) {
    for (const s of ['CurrentAgentSnapshot', 'PreviousAgentSnapshot']) {
      const c = structuredClone(one[i][s].Configuration);
      fault(c);
      one[i][s].Configuration = c;
    }
  }
  return { text: jsonl(one), faultyLines };
}

/** The findings of `code` in `a`, as [line of the record, text under the finding]. */
function placed(a: DocumentAnalysis, text: string, code: string): [number, string][] {
  return a.findings.filter((f) => f.code === code).map((f) => [text.slice(0, f.start).split('\n').length - 1, text.slice(f.start, f.end)] as [number, string]);
}

test('a damaged ARN in a repeated Configuration is reported in each record that carries it, on each snapshot', () => {
  const damaged = `${INSTANCE_ARN.replace('instance/', 'instance\\2f')}/routing-profile/x`;
  const { text, faultyLines } = faulty((c) => (c.RoutingProfile.ARN = damaged));
  const { shared } = bothWays(text);
  const expected = faultyLines.flatMap((l) => [
    [l, JSON.stringify(damaged)],
    [l, JSON.stringify(damaged)],
  ]);
  assert.deepEqual(placed(shared, text, 'arn-format'), expected);
  assert.deepEqual(
    shared.findings.filter((f) => f.code === 'arn-format').map((f) => f.start),
    offsetsOf(text, JSON.stringify(damaged)),
  );
  // The faulty text is never shared; the clean ones of the same agent still are.
  for (const l of faultyLines) assert.equal(sharedPartsOf(shared.dump.records[l].value), undefined);
  assert.ok(shared.dump.records.some((r) => sharedPartsOf(r.value)));
});

test("an ARN of another account in a Configuration is reported (a part clean in one record's context is not in another's)", () => {
  const foreign = INSTANCE_ARN.replace('111122223333', '999988887777') + '/queue/q';
  const { text, faultyLines } = faulty((c) => (c.RoutingProfile.DefaultOutboundQueue.ARN = foreign));
  const { shared } = bothWays(text);
  assert.deepEqual(
    placed(shared, text, 'arn-format').map(([l]) => l),
    faultyLines.flatMap((l) => [l, l]),
  );
  assert.deepEqual(
    shared.findings.filter((f) => f.code === 'arn-format').map((f) => f.start),
    offsetsOf(text, JSON.stringify(foreign)),
  );
  // Another record's context: the same Configuration texts, clean in the first half's
  // records, in records of another account. There they name the wrong account: not shared.
  const clean = events().filter((e) => e.AgentARN === events()[0].AgentARN);
  const otherAccount = clean.map((e) => ({ ...e, AWSAccountId: '999988887777' }));
  const mixed = jsonl([...clean, ...otherAccount]);
  const both = bothWays(mixed);
  assert.ok(both.shared.dump.records.slice(0, clean.length).some((r) => sharedPartsOf(r.value)));
  assert.equal(both.shared.dump.records.slice(clean.length).filter((r) => sharedPartsOf(r.value)).length, 0);
  const lines = new Set(placed(both.shared, mixed, 'arn-format').map(([l]) => l));
  assert.deepEqual(
    [...lines],
    otherAccount.map((_, i) => clean.length + i),
  );
});

test('an enum value outside the list, a wrong type and a value below its minimum in a repeated Configuration: reported at their exact place in each record', () => {
  const { text, faultyLines } = faulty((c) => {
    c.RoutingProfile.Concurrency[0].Channel = 'SMS';
    c.Username = 42;
    c.RoutingProfile.Concurrency[0].MaximumSlots = -1;
  });
  const { shared } = bothWays(text);
  const twice = (s: string) =>
    faultyLines.flatMap((l) => [
      [l, s],
      [l, s],
    ]);
  assert.deepEqual(placed(shared, text, 'unknown-value'), twice('"SMS"'));
  assert.deepEqual(placed(shared, text, 'schema').sort(), [...twice('42'), ...twice('-1')].sort());
  const messages = shared.findings.filter((f) => f.code === 'schema').map((f) => f.message);
  assert.ok(
    messages.some((m) => /CurrentAgentSnapshot\.Configuration\.Username|Username must be/.test(m)),
    messages.join('\n'),
  );
});

test('a masked value in a repeated Configuration counts in every record that carries it', () => {
  const { text, faultyLines } = faulty((c) => (c.LastName = 'XXXX'));
  const { shared } = bothWays(text);
  const redacted = shared.findings.filter((f) => f.code === 'redacted');
  assert.equal(redacted.length, 1);
  assert.match(redacted[0].message, new RegExp(`${faultyLines.length * 2} values are masked`));
  assert.equal(redacted[0].start, offsetsOf(text, '"XXXX"')[0]);
});

test('a Configuration missing fields (no RoutingProfile, no names) is shared like any other: no finding, same values', () => {
  const { text } = faulty((c) => {
    delete c.RoutingProfile;
    delete c.FirstName;
  });
  const { shared, sharing } = bothWays(text);
  assert.deepEqual(shared.findings, []);
  // Lines 4 and 5 repeat line 3's text.
  assert.ok(sharedPartsOf(shared.dump.records[4].value) && sharedPartsOf(shared.dump.records[5].value));
  assert.ok(sharing > 2);
});

/** The same value with every object's keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, reversed(x)]),
  );
}

test('records with their keys in another order, and pretty-printed records, share too', () => {
  const reorderedText = jsonl(events().map(reversed));
  const reordered = bothWays(reorderedText);
  assert.ok(reordered.sharing > 10);
  const prettyText = prettyArray(events());
  const pretty = bothWays(prettyText);
  assert.ok(pretty.sharing > 10);
  // Whitespace around the key's colon, as some producers write.
  const spacedText = jsonl(events()).replace(/"Configuration":/g, '"Configuration" :  ');
  const spaced = bothWays(spacedText);
  assert.ok(spaced.sharing > 10);
  // A faulty value keeps its place in the pretty-printed text.
  const bad = events();
  bad[5].CurrentAgentSnapshot.Configuration.RoutingProfile.Concurrency[0].Channel = 'SMS';
  bad[6].PreviousAgentSnapshot.Configuration.RoutingProfile.Concurrency[0].Channel = 'SMS';
  const badText = prettyArray(bad);
  const { shared } = bothWays(badText);
  assert.deepEqual(
    shared.findings.filter((f) => f.code === 'unknown-value').map((f) => f.start),
    offsetsOf(badText, '"SMS"'),
  );
});

test('a "Configuration" key in an unexpected place is never grafted there: values stay those of the whole parse', () => {
  const base = events().filter((e) => e.AgentARN === events()[0].AgentARN);
  const configuration = base[2].CurrentAgentSnapshot.Configuration;
  const odd: Rec[] = [];
  // The same text as a shared part, under a contact of the snapshot (three "Configuration" objects).
  odd.push({ ...structuredClone(base[2]), EventId: 'odd-1' });
  odd[0].CurrentAgentSnapshot.Contacts = [{ ContactId: 'c-1', State: 'CONNECTED', Channel: 'VOICE', Configuration: configuration }];
  // At the top of the record instead of in a snapshot.
  odd.push({ ...structuredClone(base[2]), EventId: 'odd-2', Configuration: configuration });
  delete odd[1].PreviousAgentSnapshot;
  delete odd[1].CurrentAgentSnapshot.Configuration;
  // A key that ends in "Configuration" inside a string, and a snapshot whose Configuration is not an object.
  odd.push({ ...structuredClone(base[2]), EventId: 'odd-3', 'say "Configuration': configuration });
  odd.push({ ...structuredClone(base[2]), EventId: 'odd-4' });
  odd[3].PreviousAgentSnapshot.Configuration = 'Configuration';
  const lines = [...base.map((e) => JSON.stringify(e)), ...odd.map((e) => JSON.stringify(e))];
  // The same key twice in one snapshot: JSON.parse keeps the last value, in the first key's place.
  const twice = JSON.stringify({ ...base[3], EventId: 'odd-5' }).replace(
    '"Configuration":',
    `"Configuration":${JSON.stringify(base[1].CurrentAgentSnapshot.Configuration)},"Configuration":`,
  );
  lines.push(twice);
  const text = lines.join('\n') + '\n';
  const { shared } = bothWays(text);
  const records = shared.dump.records.slice(base.length);
  assert.equal(records.length, 5);
  const contact = (records[0].value as Rec).CurrentAgentSnapshot.Contacts[0].Configuration;
  assert.deepEqual(contact, configuration);
  assert.equal(Object.isFrozen(contact), false, "a contact's Configuration is the record's own");
  assert.equal(Object.isFrozen((records[1].value as Rec).Configuration), false);
  assert.equal(Object.isFrozen((records[2].value as Rec)['say "Configuration']), false);
  assert.equal((records[3].value as Rec).PreviousAgentSnapshot.Configuration, 'Configuration');
  assert.deepEqual((records[4].value as Rec).CurrentAgentSnapshot.Configuration, base[3].CurrentAgentSnapshot.Configuration);
  assert.deepEqual(Object.keys((records[4].value as Rec).CurrentAgentSnapshot), Object.keys(base[3].CurrentAgentSnapshot));
});

test('the cache stays within its bounds; past them, records still read right', () => {
  const saved = { ...CONFIGURATION_CACHE_LIMITS };
  try {
    const text = jsonl(events());
    const whole = withoutSharing(() => analyzeText(URI, text));
    for (const limits of [{ entries: 3 }, { chars: 4_000 }, { perAgent: 1 }]) {
      Object.assign(CONFIGURATION_CACHE_LIMITS, saved, limits);
      clearConfigurationCache();
      const shared = analyzeText(URI, text);
      const stats = configurationCacheStats();
      assert.ok(stats.entries <= CONFIGURATION_CACHE_LIMITS.entries && stats.chars <= CONFIGURATION_CACHE_LIMITS.chars, JSON.stringify({ limits, stats }));
      if (limits.perAgent) assert.ok(stats.entries <= stats.agents, JSON.stringify(stats));
      assert.deepEqual(
        shared.dump.records.map((r) => r.value),
        whole.dump.records.map((r) => r.value),
      );
      assert.deepEqual(shared.findings, whole.findings);
    }
  } finally {
    Object.assign(CONFIGURATION_CACHE_LIMITS, saved);
    clearConfigurationCache();
  }
});

test("an edit of one record's Configuration: the edited document reads as a fresh one would", () => {
  const text = jsonl(events());
  clearConfigurationCache();
  const first = analyzeText(URI, text);
  const line = text.split('\n')[4];
  const arn = (JSON.parse(line) as Rec).CurrentAgentSnapshot.Configuration.RoutingProfile.ARN as string;
  const damaged = arn.replace('instance/', 'instance%2F');
  const at = text.indexOf(arn, text.indexOf(line));
  const edited = text.slice(0, at) + damaged + text.slice(at + arn.length);
  const edit = { start: at, oldEnd: at + arn.length, newEnd: at + damaged.length };
  const incremental = analyzeText(URI, edited, first, { edit });
  const byText = analyzeText(URI, edited, first);
  const fresh = withoutSharing(() => analyzeText(URI, edited));
  assert.deepEqual(incremental.findings, fresh.findings);
  assert.deepEqual(byText.findings, fresh.findings);
  assert.deepEqual(
    fresh.findings.map((f) => [f.code, edited.slice(f.start, f.end)]),
    [['arn-format', JSON.stringify(damaged)]],
  );
  assert.deepEqual(
    incremental.dump.records.map((r) => r.value),
    fresh.dump.records.map((r) => r.value),
  );
});

test('streamed with worker threads (each with its own cache) the findings are those of the reading thread with no cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cei-configuration-'));
  try {
    // The agent streams over and over (new event IDs), with faulty Configurations now and then.
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 1_500_000; i++) {
      const round = events().map((e): Rec => ({ ...e, EventId: `${e.EventId}-${i}` }));
      if (i % 5 === 2) round[3].CurrentAgentSnapshot.Configuration.RoutingProfile.Concurrency[0].Channel = 'SMS';
      if (i % 7 === 3) round[4].PreviousAgentSnapshot.Configuration.LastName = 'XXXX';
      if (i % 9 === 4) round[5].CurrentAgentSnapshot.Configuration.RoutingProfile.ARN += '%2F';
      lines.push(...round.map((e) => JSON.stringify(e)));
    }
    const file = join(dir, 'agents.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const read = async (workers: number) => {
      const found: StreamFinding[] = [];
      await analyzeFileStream(file, { workers, windowChars: 128 * 1024, chunkBytes: 64 * 1024, onFinding: (f) => found.push(f) });
      return found.map((f) => JSON.stringify([f.code, f.message, f.range, f.source]));
    };
    const parallel = await read(2);
    const saved = { ...CONFIGURATION_CACHE_LIMITS };
    CONFIGURATION_CACHE_LIMITS.entries = 0;
    clearConfigurationCache();
    const expected = await read(0).finally(() => Object.assign(CONFIGURATION_CACHE_LIMITS, saved));
    assert.ok(
      expected.some((f) => f.includes('unknown-value')) && expected.some((f) => f.includes('arn-format')) && expected.some((f) => f.includes('redacted')),
    );
    assert.deepEqual(parallel, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
