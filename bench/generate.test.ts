// The generator's promises: the same seed gives the same bytes; clean dumps really are clean
// for our own analysis; the scenarios the bench claims to cover are in the data; faults,
// when asked for, are found. Nothing here is timed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeText } from '../server/src/core/analyze';
import { runWorkspaceRules } from '../server/src/core/rules';
import { DumpGenerator, FORMS, writeDump, writeWorkspace } from './generate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cei-bench-gen-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function findings(file: string): Record<string, number> {
  const uri = 'file://' + file;
  const analysis = analyzeText(uri, fs.readFileSync(file, 'utf8'));
  const cross = runWorkspaceRules([analysis.dump]).get(uri) ?? [];
  const counts: Record<string, number> = {};
  for (const f of [...analysis.findings, ...cross]) counts[f.code] = (counts[f.code] ?? 0) + 1;
  return counts;
}

describe('bench generator', () => {
  it('writes the same bytes for the same seed, other bytes for another seed', () => {
    const a = writeDump(path.join(dir, 'a.jsonl'), 'jsonl', 300_000, { seed: 1, faults: 0 });
    const b = writeDump(path.join(dir, 'b.jsonl'), 'jsonl', 300_000, { seed: 1, faults: 0 });
    const c = writeDump(path.join(dir, 'c.jsonl'), 'jsonl', 300_000, { seed: 2, faults: 0 });
    assert.equal(fs.readFileSync(a.path, 'utf8'), fs.readFileSync(b.path, 'utf8'));
    assert.notEqual(fs.readFileSync(a.path, 'utf8'), fs.readFileSync(c.path, 'utf8'));
  });

  for (const form of FORMS) {
    it(`writes a clean ${form} dump of about the size asked that our analysis finds nothing in`, () => {
      const d = writeDump(path.join(dir, `clean.${form}`), form, 1_000_000, { seed: 42, faults: 0 });
      assert.ok(Math.abs(d.bytes - 1_000_000) < 100_000, `size ${d.bytes}`);
      assert.ok(d.agentEvents > 0 && d.contactRecords > 0);
      assert.deepEqual(findings(d.path), {});
      const dump = analyzeText('file://x', fs.readFileSync(d.path, 'utf8')).dump;
      assert.equal(dump.records.length, d.records);
      assert.equal(dump.format, form === 'array' ? 'array' : form === 'jsonl' ? 'jsonl' : 'concatenated');
      if (form === 'firehose')
        assert.equal(
          d.lengths!.reduce((s, n) => s + n, 0),
          fs.readFileSync(d.path, 'utf8').length,
        );
    });
  }

  it('covers transfer chains, queued callbacks, holds, missed offers, chats, tasks with pauses and heartbeats', () => {
    const gen = new DumpGenerator({ seed: 42, faults: 0 });
    const records = [];
    while (records.length < 3000) records.push(...gen.take());
    records.push(...gen.finish());
    const ctrs = records.filter((r) => r.kind === 'contactRecord').map((r) => r.value as Record<string, any>);
    const events = records.filter((r) => r.kind === 'agentEvent').map((r) => r.value as Record<string, any>);
    const methods = new Set(ctrs.map((c) => c.InitiationMethod));
    for (const m of ['INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API']) assert.ok(methods.has(m), m);
    assert.deepEqual(new Set(ctrs.map((c) => c.Channel)), new Set(['VOICE', 'CHAT', 'TASK']));
    assert.ok(
      ctrs.some((c) => c.Agent?.NumberOfHolds > 0),
      'holds',
    );
    assert.ok(
      ctrs.some((c) => c.TotalPauseCount > 0),
      'task pauses',
    );
    assert.ok(
      ctrs.some((c) => c.AgentConnectionAttempts > 1),
      'missed offers',
    );
    // Chains link both ways: A.NextContactId = B exactly when B.PreviousContactId = A.
    const byId = new Map(ctrs.map((c) => [c.ContactId, c]));
    const linked = ctrs.filter((c) => c.NextContactId);
    assert.ok(linked.length > 10);
    for (const c of linked) {
      const next = byId.get(c.NextContactId);
      if (next) assert.equal(next.PreviousContactId, c.ContactId);
    }
    const states = new Set(events.flatMap((e) => (e.CurrentAgentSnapshot?.Contacts ?? []).map((x: { State: string }) => x.State)));
    for (const s of ['PENDING', 'INCOMING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED', 'MISSED', 'ENDED']) assert.ok(states.has(s), s);
    assert.ok(events.some((e) => e.EventType === 'HEART_BEAT'));
    assert.match(events[0].EventTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(events[0].Version, '2019-05-25');
  });

  it('sprinkles faults on request, and our analysis finds them', () => {
    const d = writeDump(path.join(dir, 'faults.jsonl'), 'jsonl', 4_000_000, { seed: 42, faults: 0.03 });
    const injected = Object.values(d.faults).reduce((s, n) => s + (n ?? 0), 0);
    assert.ok(injected > 0);
    const found = findings(d.path);
    // Each injected fault shows up under its finding code.
    const expected: Record<string, number> = {};
    for (const [fault, n] of Object.entries(d.faults)) {
      const code = fault.startsWith('schema-') ? 'schema' : fault;
      expected[code] = (expected[code] ?? 0) + (n ?? 0);
    }
    assert.ok(Object.keys(expected).length >= 4, `only ${JSON.stringify(d.faults)} injected`);
    for (const [code, n] of Object.entries(expected)) assert.ok((found[code] ?? 0) >= n, `${code}: injected ${n}, found ${JSON.stringify(found)}`);
  });

  it('splits one stream into workspace files, agent events and contact records apart', () => {
    const ws = writeWorkspace(path.join(dir, 'ws'), 10, 100_000, { seed: 42, faults: 0 });
    assert.equal(ws.files.length, 10);
    assert.ok(ws.files.some((f) => f.path.includes(`${path.sep}ctr${path.sep}`)));
    assert.ok(ws.files.some((f) => f.path.includes(`${path.sep}agent-events${path.sep}`)));
    for (const f of ws.files) assert.ok(fs.statSync(f.path).size === f.bytes);
  });
});
