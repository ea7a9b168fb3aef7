// The timeline of a contact in a file the editor does not hold (issue 16 item 3,
// core/streamTimeline.ts): which records the passes pick, how the chain grows pass by pass,
// where the bars point in the file, a .gz, and a contact the file does not name. The
// reference is the editor path: the same core functions over the whole file as one dump.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseDump } from '../../server/src/core/dump';
import { explainInDumps } from '../../server/src/core/explainInput';
import { withExplain } from '../../server/src/core/explainTimeline';
import { LineIndex } from '../../server/src/core/lineIndex';
import { StreamedRecord, streamedTimeline, StreamedTimeline } from '../../server/src/core/streamTimeline';
import { buildTimeline } from '../../server/src/core/timeline';
import { writeDump } from '../../bench/generate';
import type { TimelineModel } from '../../server/src/shared/timeline';

const SAMPLES = resolve(__dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'cei-stream-timeline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The sample chain (samples/README.md): leg 1 -> leg 2 -> leg 3, linked both ways.
const LEG1 = '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b';
const LEG2 = '94900a4f-4639-4ad4-89bc-12f495f8effd';
const LEG3 = '665db55d-690b-4b10-b56a-007346369638';

/**
 * A file with the chain's contact records and agent events scattered among 2 MB of
 * generated records about other contacts (bench/generate.ts, invented IDs). From leg 3
 * only its Previous link is kept (its `InitialContactId` dropped, in its record and its agent
 * events; leg 2's `NextContactId` dropped), so the chain is found one leg per pass.
 */
function chainFile(opts: { unnamedAfterAcw?: boolean } = {}): { file: string; text: string } {
  const filler = join(dir, 'filler.jsonl');
  writeDump(filler, 'jsonl', 2 * 1024 * 1024, { seed: 7, faults: 0 });
  const other = readFileSync(filler, 'utf8').trimEnd().split('\n');
  const chain = [
    ...readFileSync(join(SAMPLES, 'transfer-chain.jsonl'), 'utf8').trimEnd().split('\n'),
    ...readFileSync(join(SAMPLES, 'transfer-chain-agent-events.jsonl'), 'utf8').trimEnd().split('\n'),
  ].map((line) => {
    const v = JSON.parse(line) as Record<string, unknown>;
    if (v.ContactId === LEG3) delete v.InitialContactId;
    if (v.ContactId === LEG2) delete v.NextContactId;
    // (Invented) the agent's event after leg 1's after-contact work without its Previous
    // snapshot, as an exporter that drops it would write it: it no longer names leg 1.
    if (opts.unnamedAfterAcw && v.EventTimestamp === '2026-11-24T09:06:10.611Z') delete v.PreviousAgentSnapshot;
    for (const snapshot of ['CurrentAgentSnapshot', 'PreviousAgentSnapshot']) {
      const contacts = (v[snapshot] as { Contacts?: Record<string, unknown>[] } | null)?.Contacts ?? [];
      for (const c of contacts) if (c.ContactId === LEG3) delete c.InitialContactId;
    }
    return JSON.stringify(v);
  });
  const lines = [...other];
  chain.forEach((line, i) => lines.splice(Math.floor(((i + 1) * other.length) / (chain.length + 1)) + i, 0, line));
  const text = lines.join('\n') + '\n';
  const file = join(dir, opts.unnamedAfterAcw ? 'chain-unnamed.jsonl' : 'chain.jsonl');
  writeFileSync(file, text);
  return { file, text };
}

/** The editor path: the whole file as one open dump. */
function editorTimeline(uri: string, text: string, contactId: string): TimelineModel | undefined {
  const dumps = [parseDump(uri, text)];
  const model = buildTimeline(contactId, dumps);
  const explained = explainInDumps(contactId, dumps);
  return model && explained ? withExplain(model, explained) : model;
}

/** Every source of a model as `line:character-line:character` in the file, for comparing the two paths. */
function placed(model: TimelineModel, where: (uri: string, offset: number) => string): unknown {
  return JSON.parse(JSON.stringify(model), (key, value: unknown) => {
    if (value && typeof value === 'object' && 'uri' in value && 'start' in value && 'end' in value) {
      const s = value as { uri: string; start: number; end: number };
      return `${where(s.uri, s.start)}-${where(s.uri, s.end)}`;
    }
    return value;
  });
}

function inWholeFile(text: string): (uri: string, offset: number) => string {
  const lines = new LineIndex(text);
  return (_uri, offset) => {
    const p = lines.positionAt(offset);
    return `${p.line}:${p.character}`;
  };
}

function inStreamed(result: StreamedTimeline): (uri: string, offset: number) => string {
  return (uri, offset) => {
    const r = result.records.get(uri);
    assert.ok(r, `a source names ${uri}, which is not a kept record`);
    const p = new LineIndex(r.text).positionAt(offset);
    return p.line === 0 ? `${r.start.line}:${r.start.character + p.character}` : `${r.start.line + p.line}:${p.character}`;
  };
}

/** Whether a line names one of the IDs. */
const names = (line: string, ids: readonly string[]) => ids.some((id) => line.includes(id));

/** The kept records that name none of the chain's contacts: those of the agents' pass. */
function agentPassRecords(result: StreamedTimeline): StreamedRecord[] {
  return [...result.records.values()].filter((r) => !names(r.text, result.ids));
}

test('the passes keep exactly the records naming the chain, and the chain grows one leg per pass', async () => {
  const { file, text } = chainFile();
  const passes: number[] = [];
  const result = await streamedTimeline(file, LEG3, { uri: 'file:///chain.jsonl', onPass: (_n, records) => passes.push(records) });
  assert.deepEqual(result.ids, [LEG3, LEG2, LEG1]);
  assert.equal(result.passes, 3, 'leg 3, then leg 2 (its Previous), then leg 1 (leg 2 names it)');
  assert.equal(result.agentPass, true, "then one pass for the agents' other events");
  assert.equal(result.truncated, false);
  assert.equal(passes.length, 4);
  assert.ok(passes[0] < passes[2], `more records each pass: ${passes.join(', ')}`);
  const lines = text.split('\n');
  const naming = lines.flatMap((l, i) => (names(l, [LEG1, LEG2, LEG3]) ? [i] : []));
  assert.deepEqual(
    [...result.records.values()].filter((r) => names(r.text, result.ids)).map((r) => r.start.line),
    naming,
    'the records naming a leg are every line naming a leg, in file order',
  );
  // The agents' pass adds only events of the chain's three agents that change their status
  // (or end a run): the Offline STATE_CHANGE of each, and the STATE_CHANGE to Available before.
  const extra = agentPassRecords(result).map((r) => JSON.parse(r.text) as { EventType: string; EventTimestamp: string; AgentARN: string });
  assert.deepEqual(
    extra.map((e) => `${e.EventType} ${e.EventTimestamp} ${e.AgentARN.slice(-8)}`),
    [
      'STATE_CHANGE 2026-11-24T08:57:41.905Z de858355',
      'STATE_CHANGE 2026-11-24T08:58:05.482Z 23bc2edf',
      'STATE_CHANGE 2026-11-24T08:59:20.337Z e6d71927',
      'STATE_CHANGE 2026-11-24T09:07:45.250Z 23bc2edf',
      'STATE_CHANGE 2026-11-24T09:15:30.020Z de858355',
      'STATE_CHANGE 2026-11-24T09:23:10.550Z e6d71927',
    ],
  );
  for (const r of result.records.values()) {
    assert.equal(r.text, lines[r.start.line]);
    assert.equal(r.uri, `file:///chain.jsonl#L${r.start.line + 1}C1`);
    assert.equal(Buffer.from(text).subarray(r.byteStart, r.byteEnd).toString('utf8'), r.text, 'the byte range is the record');
  }
});

test('the timeline and Explain from the passes are those of the editor path, each bar pointing at its line', async () => {
  const { file, text } = chainFile();
  for (const id of [LEG1, LEG3]) {
    const result = await streamedTimeline(file, id, { uri: 'file:///chain.jsonl' });
    const editor = editorTimeline('file:///chain.jsonl', text, id);
    assert.ok(result.model && editor, id);
    assert.equal(result.model.lanes.filter((l) => l.kind === 'leg').length, 3);
    assert.ok(result.model.explain && result.model.explain.sentences.length > 0, 'an Explain section');
    assert.deepEqual(placed(result.model, inStreamed(result)), placed(editor, inWholeFile(text)));
  }
});

test("an agent's status runs on past the chain's last event to the agent's next status in the file, as in the editor", async () => {
  const { file, text } = chainFile();
  const lines = text.split('\n');
  const result = await streamedTimeline(file, LEG1, { uri: 'file:///chain.jsonl' });
  const editor = editorTimeline('file:///chain.jsonl', text, LEG1);
  for (const [path, model, where] of [
    ['file', result.model, inStreamed(result)],
    ['editor', editor, inWholeFile(text)],
  ] as const) {
    const lane = model?.lanes.find((l) => l.agentArn?.endsWith('23bc2edf'));
    assert.ok(lane?.background, path);
    // Leg 1's agent: Available from 08:58:05 (the STATE_CHANGE that set it, which names no
    // contact) until the STATE_CHANGE to Offline at 09:07:45, past the last event naming the
    // chain (09:06:10); closed there, not an open end.
    assert.deepEqual(
      lane.background.map((s) => [s.label, s.start, s.end, s.openEnd ?? false]),
      [['Available', '2026-11-24T08:58:05.482Z', '2026-11-24T09:07:45.250Z', false]],
      path,
    );
    const drawn = placed(model!, where) as { lanes: { id: string; background?: { source: string }[] }[] };
    const line = Number(/^(\d+):/.exec(drawn.lanes.find((l) => l.id === lane.id)!.background![0].source)![1]);
    assert.match(lines[line], /"EventTimestamp":"2026-11-24T08:58:05.482Z"/, `${path}: the bar opens the event that set the status`);
  }
});

test("a contact state ends at the agent's next event in the file even when that event no longer names the contact", async () => {
  const { file, text } = chainFile({ unnamedAfterAcw: true });
  const result = await streamedTimeline(file, LEG1, { uri: 'file:///chain.jsonl' });
  const editor = editorTimeline('file:///chain.jsonl', text, LEG1);
  assert.ok(result.model && editor);
  assert.deepEqual(placed(result.model, inStreamed(result)), placed(editor, inWholeFile(text)));
  const acw = result.model.lanes.find((l) => l.agentArn?.endsWith('23bc2edf'))?.segments.find((s) => s.label === 'ENDED');
  assert.deepEqual([acw?.start, acw?.end, acw?.openEnd], ['2026-11-24T09:05:32.404Z', '2026-11-24T09:06:10.611Z', undefined]);
});

test('real 2019 agent event: the file draws the ERROR seen only in the PreviousAgentSnapshot as the editor does', async () => {
  const file = resolve(__dirname, '../fixtures/real/agent-event.missed-contact-error-2019.json');
  const text = readFileSync(file, 'utf8');
  const id = 'c0000005-0000-4000-8000-000000000001';
  const result = await streamedTimeline(file, id, { uri: 'file:///real.json' });
  const editor = editorTimeline('file:///real.json', text, id);
  assert.ok(result.model && editor);
  assert.deepEqual(placed(result.model, inStreamed(result)), placed(editor, inWholeFile(text)));
  const bar = result.model.lanes.find((l) => l.kind === 'agent')?.segments[0];
  assert.deepEqual([bar?.kind, bar?.start, bar?.end], ['error', '2019-01-21T09:15:54.054Z', '2019-01-21T09:16:02.002Z']);
});

test("generated agent days, their lines out of time order: every agent lane from the file is the editor's, from a few events per agent", async () => {
  // bench/generate.ts (invented IDs): agents with breaks, heartbeats and many contacts a day.
  const gen = join(dir, 'agents.jsonl');
  writeDump(gen, 'jsonl', 1536 * 1024, { seed: 23, faults: 0 });
  // Kinesis shards interleave: blocks of lines swapped (a fixed permutation, not random).
  const ordered = readFileSync(gen, 'utf8').trimEnd().split('\n');
  const blocks: string[][] = [];
  for (let i = 0; i < ordered.length; i += 7) blocks.push(ordered.slice(i, i + 7));
  const shuffled = blocks.map((_, i) => blocks[(i * 5) % blocks.length]).flat();
  assert.equal(new Set(shuffled).size, new Set(ordered).size);
  const text = shuffled.join('\n') + '\n';
  writeFileSync(gen, text);
  const dumps = [parseDump('file:///agents.jsonl', text)];
  const agentEvents = new Map<string, number>();
  const contacts = new Set<string>();
  for (const line of shuffled) {
    const v = JSON.parse(line) as { AgentARN?: string; CurrentAgentSnapshot?: { Contacts?: { ContactId: string }[] } | null };
    if (!v.AgentARN) continue;
    agentEvents.set(v.AgentARN, (agentEvents.get(v.AgentARN) ?? 0) + 1);
    for (const c of v.CurrentAgentSnapshot?.Contacts ?? []) contacts.add(c.ContactId);
  }
  const picked = [...contacts].filter((_, i) => i % 3 === 0);
  assert.ok(picked.length >= 8, `contacts handled by agents: ${contacts.size}`);
  let statusRuns = 0;
  for (const id of picked) {
    const result = await streamedTimeline(gen, id, { uri: 'file:///agents.jsonl' });
    const model = buildTimeline(id, dumps);
    const explained = explainInDumps(id, dumps);
    const editor = model && explained ? withExplain(model, explained) : model;
    assert.ok(result.model && editor, id);
    assert.deepEqual(placed(result.model, inStreamed(result)), placed(editor, inWholeFile(text)), id);
    const lanes = result.model.lanes.filter((l) => l.kind === 'agent');
    statusRuns += lanes.reduce((n, l) => n + (l.background?.length ?? 0), 0);
    // Per agent lane: the first event of each status run drawn, of the run after, and of the
    // agent's next event after each open contact state; never the agent's whole stream.
    const extra = agentPassRecords(result);
    const bound = lanes.reduce((n, l) => n + (l.background?.length ?? 0) + 1 + l.segments.filter((s) => s.openEnd).length, 0);
    assert.ok(extra.length <= bound, `${id}: the agents' pass kept ${extra.length} events, more than ${bound}`);
    const inStream = lanes.reduce((n, l) => n + (agentEvents.get(l.agentArn!) ?? 0), 0);
    assert.ok(extra.length < inStream, `${id}: ${extra.length} kept of the agents' ${inStream} events`);
  }
  assert.ok(statusRuns > picked.length, `status runs drawn: ${statusRuns}`);
});

test('a .gz file: the same records and timeline as the plain file, positions in its decompressed text', async () => {
  const { file } = chainFile();
  const gz = join(dir, 'chain.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  const plain = await streamedTimeline(file, LEG2, { uri: 'file:///x' });
  const zipped = await streamedTimeline(gz, LEG2, { uri: 'file:///x' });
  assert.ok(zipped.model);
  assert.deepEqual(zipped.model, plain.model);
  assert.deepEqual([...zipped.records.values()], [...plain.records.values()]);
});

test('records inside envelopes are read from their decoded text and point at their encoded value', async () => {
  // The chain's three contact records, base64 in a Lambda Kinesis trigger event.
  const file = join(SAMPLES, 'envelopes/lambda-kinesis-event.json');
  const lines = readFileSync(file, 'utf8').split('\n');
  const result = await streamedTimeline(file, LEG2);
  assert.ok(result.model);
  assert.equal(result.model.lanes.filter((l) => l.kind === 'leg').length, 3);
  assert.equal(result.records.size, 3);
  for (const r of result.records.values()) {
    assert.ok(r.text.startsWith('{') && r.text.includes('"ContactId"'), 'the decoded record, not the envelope');
    assert.match(lines[r.start.line].slice(r.start.character), /^"[A-Za-z0-9+/=]+"/, 'the record sits on its encoded data string');
  }
});

test("findings on an envelope's encoded value mark the bars of the record it holds", async () => {
  const file = join(SAMPLES, 'envelopes/lambda-kinesis-event.json');
  const first = await streamedTimeline(file, LEG2);
  const leg2 = [...first.records.values()].find((r) => JSON.parse(r.text).ContactId === LEG2)!;
  // Where the streamed analysis puts a finding of a decoded record: on the encoded value (invented message).
  const finding = {
    code: 'unknown-value',
    severity: 'warning' as const,
    message: 'Data → Channel "HOLOGRAM" is not documented (invented)',
    range: { start: leg2.start, end: leg2.end },
    source: { byte: leg2.byteStart },
  };
  const stranger = { ...finding, code: 'no-such-code', message: 'from an unknown client' };
  const marked = await streamedTimeline(file, LEG2, { findings: [finding, stranger] });
  const bars = marked.model!.lanes.flatMap((l) => l.segments).filter((b) => b.findings?.length);
  assert.ok(bars.length > 0);
  for (const b of bars) {
    assert.equal(b.source.uri, leg2.uri, 'only the bars of the record holding the finding');
    assert.deepEqual(
      b.findings!.map((f) => f.message),
      [finding.message],
    );
  }
});

test('a contact the file does not name: no model, one pass, nothing kept', async () => {
  const { file } = chainFile();
  const result = await streamedTimeline(file, 'no-such-contact-0000');
  assert.equal(result.model, undefined);
  assert.equal(result.passes, 1);
  assert.equal(result.agentPass, false, 'no agent lane, no pass for agents');
  assert.equal(result.records.size, 0);
});

test('the bounds: the record cap and the pass cap stop the selection and say so', async () => {
  const { file } = chainFile();
  const kept: number[] = [];
  const result = await streamedTimeline(file, LEG1, { maxRecords: 5, onPass: (_n, records) => kept.push(records) });
  assert.ok(kept.length >= 2 && kept.every((n) => n === 5), `the cap bounds the chain's records, pass after pass: ${kept.join(', ')}`);
  assert.ok(result.records.size - 5 <= 3 * 3, `the agents' pass adds a few events per agent: ${result.records.size - 5}`);
  assert.equal(result.truncated, true);
  const capped = await streamedTimeline(file, LEG3, { maxPasses: 1 });
  assert.equal(capped.truncated, true, 'leg 2 was found but not searched');
  assert.ok(capped.model?.findings.some((f) => f.code === 'timeline-truncated'));
});
