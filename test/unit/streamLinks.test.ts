// The streamed analysis checks links and duplicates between contact records across the whole
// file (core/streamLinks.ts): with the legs of each fault many windows apart, the streamed
// link-reciprocal, link-cycle, link-initial and duplicate-id findings are analyzeText's for the
// same text (codes, messages, ranges, related locations), in JSON Lines, Firehose (objects back
// to back), gzip, Kinesis envelopes, in this thread and in a worker thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeText } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/lineIndex';
import { runWorkspaceRules } from '../../server/src/core/rules';
import { analyzeFileStream, StreamAnalyzer, StreamFinding, StreamOptions } from '../../server/src/core/stream';
import { CarriedLinks, WindowLinkFacts } from '../../server/src/core/streamLinks';
import type { Finding } from '../../server/src/core/types';

const ROOT = resolve(__dirname, '../..');
const CODES = new Set(['link-reciprocal', 'link-cycle', 'link-initial', 'duplicate-id']);
/** A window holds one or two contact records (each ~2.8 K characters). */
const WINDOW = 4096;
/** Records between the legs of a fault: every leg is more than 10 windows from the next. */
const GAP = 16;

// The three legs of samples/transfer-chain.jsonl (the admin guide's chain; INBOUND, TRANSFER, TRANSFER).
const LEGS = readFileSync(join(ROOT, 'samples/transfer-chain.jsonl'), 'utf8').trim().split('\n');
const LEG_IDS = LEGS.map((l) => /"ContactId":"([^"]+)"/.exec(l)![1]);

/** Invented IDs, one per chain and leg. */
const id = (chain: number, leg: number) => `00000000-0000-4000-8000-${String(chain).padStart(6, '0')}${String(leg).padStart(6, '0')}`;

/** The sample chain under fresh IDs (chain `n`), each leg's text passed through `edit`. */
function chain(n: number, edit: (leg: number, text: string) => string = (_, t) => t): string[] {
  return LEGS.map((l, i) => {
    let t = l;
    LEG_IDS.forEach((old, j) => (t = t.split(old).join(id(n, j))));
    return edit(i, t);
  });
}

const set = (text: string, field: string, value: string | null) =>
  text.replace(new RegExp(`"${field}":(null|"[^"]*")`), `"${field}":${value === null ? 'null' : JSON.stringify(value)}`);

/** Contact records of unrelated INBOUND contacts (leg 1 with its links cleared), to put windows between legs. */
function filler(n: number): string[] {
  return Array.from({ length: GAP }, (_, i) => set(set(LEGS[0].split(LEG_IDS[0]).join(id(900 + n, i)), 'NextContactId', null), 'InitialContactId', null));
}

/** The records in order, GAP unrelated records between each two. */
function spread(records: string[]): string[] {
  return records.flatMap((r, i) => (i === 0 ? [r] : [...filler(i), r]));
}

/** One dump with every fault, each leg far from the others. */
function faultyRecords(): string[] {
  // link-reciprocal: leg 2 forgets its PreviousContactId (blank), leg 1 still names it as next.
  const reciprocal = chain(1, (leg, t) => (leg === 1 ? set(t, 'PreviousContactId', null) : t));
  // link-cycle: leg 3 names leg 2 as its next contact, and leg 2 names leg 3.
  const cycle = chain(2, (leg, t) => (leg === 2 ? set(t, 'NextContactId', id(2, 1)) : t));
  // link-initial: leg 3 names leg 2 as the initial contact.
  const initial = chain(3, (leg, t) => (leg === 2 ? set(t, 'InitialContactId', id(3, 1)) : t));
  // duplicate-id: a second copy of leg 1 with the same LastUpdateTimestamp and other content.
  const duplicate = chain(4);
  const changed = duplicate[0].replace('"Channel":"VOICE"', '"Channel":"VOICE","Attributes2":{"x":"1"}');
  // Values the text writes in other ways: leg 1's NextContactId with an escaped character, leg 2
  // blank; leg 2 with a contact attribute named NextContactId holding its own next contact
  // (invented, as a flow may set one), and leg 3 naming another previous contact.
  const written = chain(8, (leg, t) => {
    if (leg === 0) return t.replace(`"NextContactId":"${id(8, 1)}"`, `"NextContactId":"${id(8, 1).replace(/0/, '\\u0030')}"`);
    if (leg === 1) return set(t, 'PreviousContactId', null).replace('"Attributes":{', `"Attributes":{"NextContactId":"${id(8, 2)}",`);
    return set(t, 'PreviousContactId', id(8, 0));
  });
  // link-reciprocal: leg 1 forgets its next contact and so has no link at all, named only by
  // leg 2, the last leg (the generator's fault in test/lsp/analyzeFile.test.ts).
  const unlinked = chain(9, (leg, t) => (leg < 2 ? set(t, 'NextContactId', null) : t));
  return spread([
    unlinked[0],
    reciprocal[0],
    cycle[0],
    initial[0],
    duplicate[0],
    written[0],
    reciprocal[1],
    cycle[1],
    initial[1],
    written[1],
    reciprocal[2],
    cycle[2],
    initial[2],
    changed,
    written[2],
    unlinked[1],
  ]);
}

/** Correct chains whose legs are far apart, re-delivered copies (identical, updated, older) far from the first. */
function cleanRecords(): string[] {
  const a = chain(5);
  const b = chain(6);
  // An older copy of leg 1, written before leg 2 existed (no next contact yet), after the newer one.
  const older = set(set(b[0], 'NextContactId', null), 'LastUpdateTimestamp', '2026-11-24T09:05:00Z');
  // The same record pretty-printed on one line with keys in another order: the same content.
  const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(a[2]) as object).reverse()));
  return spread([a[0], b[0], a[1], b[1], a[2], b[2], a[0], older, reordered]);
}

const at = (p: { line: number; character: number }) => `${p.line}:${p.character}`;
type Row = string;

/** analyzeText's findings of CODES (the editor: the document and its decoded view), as sorted rows. */
function expected(text: string): Row[] {
  const a = analyzeText('u', text);
  const index = new LineIndex(text);
  const pos = (o: number) => at(index.positionAt(o));
  const byUri = runWorkspaceRules(a.decoded ? [a.dump, a.decoded.dump] : [a.dump]);
  const all: Finding[] = [...(byUri.get('u') ?? []), ...(a.decoded ? (byUri.get(a.decoded.dump.uri) ?? []).map((f) => a.decoded!.toOriginal(f)) : [])];
  return all
    .filter((f) => CODES.has(f.code))
    .map((f) => [f.code, pos(f.start), pos(f.end), f.message, ...(f.related ?? []).map((r) => `${pos(r.start)}-${pos(r.end)} ${r.message}`)].join(' | '))
    .sort();
}

function rows(findings: readonly StreamFinding[]): Row[] {
  return findings
    .filter((f) => CODES.has(f.code))
    .map((f) =>
      [f.code, at(f.range.start), at(f.range.end), f.message, ...(f.related ?? []).map((r) => `${at(r.range.start)}-${at(r.range.end)} ${r.message}`)].join(
        ' | ',
      ),
    )
    .sort();
}

function streamText(text: string, options: Omit<StreamOptions, 'onFinding'> = {}): StreamFinding[] {
  const findings: StreamFinding[] = [];
  const analyzer = new StreamAnalyzer({ uri: 'u', windowChars: WINDOW, ...options, onFinding: (f) => findings.push(f) });
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 5000) analyzer.write(bytes.subarray(i, i + 5000));
  analyzer.end();
  return findings;
}

const jsonl = (records: string[]) => records.join('\n') + '\n';
const firehose = (records: string[]) => records.join('');

test('link and duplicate faults whose legs are 10+ windows apart: the streamed findings are analyzeText’s', () => {
  for (const [form, text] of [
    ['jsonl', jsonl(faultyRecords())],
    ['firehose', firehose(faultyRecords())],
  ] as const) {
    const want = expected(text);
    // Each planted fault is found by the editor's analysis (the test would prove nothing otherwise).
    for (const code of CODES)
      assert.ok(
        want.some((r) => r.startsWith(code)),
        `${form}: analyzeText finds no ${code}: ${want.join('\n')}`,
      );
    // Chain 8: on leg 2's blank PreviousContactId, and on its own NextContactId (not the attribute's).
    assert.equal(want.filter((r) => r.startsWith('link-reciprocal') && r.includes(`Contact ${id(8, 1)} has no PreviousContactId`)).length, 1, form);
    assert.equal(want.filter((r) => r.startsWith('link-reciprocal') && r.includes(`Contact ${id(8, 1)} names ${id(8, 2)}`)).length, 1, form);
    // Chain 9: on leg 1's blank NextContactId (a record with no link of its own).
    assert.equal(want.filter((r) => r.startsWith('link-reciprocal') && r.includes(`Contact ${id(9, 0)} has no NextContactId`)).length, 1, form);
    assert.ok(filler(1).join('').length > 10 * WINDOW, 'the legs are more than 10 windows apart');
    const got = rows(streamText(text));
    assert.deepEqual(got, want, form);
    // The findings carry their places in the file: each sits on its record's line.
    const found = streamText(text).filter((f) => CODES.has(f.code));
    for (const f of found) assert.ok(f.source.record && f.source.byte >= f.source.record.byteStart && f.source.byte < f.source.record.byteEnd, f.message);
  }
});

test('correct chains and re-delivered copies spread over many windows give no link or duplicate finding', () => {
  for (const text of [jsonl(cleanRecords()), firehose(cleanRecords())]) {
    assert.deepEqual(expected(text), []);
    assert.deepEqual(rows(streamText(text)), []);
  }
});

test('which copy stands is decided over the whole file: a later update fixes a link an earlier copy broke, and the reverse', () => {
  const [p, b] = chain(7);
  // P's first copy, written before B existed, has no NextContactId; its update, far later, names B.
  const early = set(set(p, 'NextContactId', null), 'LastUpdateTimestamp', '2026-11-24T09:05:40Z');
  const fixed = jsonl(spread([early, b, p]));
  assert.deepEqual(expected(fixed), []);
  assert.deepEqual(rows(streamText(fixed)), []);
  // The other way round: the copy that names B is older than a later one that forgot it (a fault).
  const forgot = set(set(p, 'NextContactId', null), 'LastUpdateTimestamp', '2026-11-24T09:20:00Z');
  const broken = jsonl(spread([p, b, forgot]));
  const want = expected(broken);
  assert.equal(want.length, 1, want.join('\n'));
  assert.match(want[0], /^link-reciprocal/);
  assert.deepEqual(rows(streamText(broken)), want);
});

test('files: JSON Lines, Firehose and gzip, read in this thread and by a worker thread, give analyzeText’s findings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stream-links-'));
  try {
    for (const [name, text] of [
      ['faults.jsonl', jsonl(faultyRecords())],
      ['faults.firehose', firehose(faultyRecords())],
    ] as const) {
      const want = expected(text);
      const plain = join(dir, name);
      const gz = join(dir, `${name}.gz`);
      writeFileSync(plain, text);
      writeFileSync(gz, gzipSync(Buffer.from(text)));
      for (const file of [plain, gz]) {
        for (const workers of [0, 1]) {
          const findings: StreamFinding[] = [];
          await analyzeFileStream(file, { uri: 'u', windowChars: WINDOW, chunkBytes: 10_000, workers, onFinding: (f) => findings.push(f) });
          assert.deepEqual(rows(findings), want, `${file} workers ${workers}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('records decoded out of envelopes (Kinesis Data, base64) are checked across windows too, on their encoded values', () => {
  // Each contact record in a Kinesis record of its own (the shape of samples/envelopes/kinesis-records.jsonl).
  const envelope = (record: string, n: number) =>
    JSON.stringify({
      SequenceNumber: `4963${String(n).padStart(52, '0')}`,
      ApproximateArrivalTimestamp: '2026-11-24T09:30:00.000Z',
      Data: Buffer.from(record).toString('base64'),
      PartitionKey: 'contact',
    });
  const text = jsonl(faultyRecords().map(envelope));
  const want = expected(text);
  for (const code of CODES)
    assert.ok(
      want.some((r) => r.startsWith(code)),
      `analyzeText finds no ${code}`,
    );
  assert.deepEqual(rows(streamText(text, { windowChars: WINDOW * 1.4 })), want);
});

test('the rules run over groups of linked contacts a batch at a time: any batch size gives the same findings', () => {
  const text = jsonl(faultyRecords());
  // The facts each window hands on, as the reading thread takes them.
  const windows: WindowLinkFacts[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below, then put back
  const add = CarriedLinks.prototype.add;
  CarriedLinks.prototype.add = function (facts: WindowLinkFacts) {
    windows.push(structuredClone(facts));
    add.call(this, facts);
  };
  let streamed: StreamFinding[];
  try {
    streamed = streamText(text).filter((f) => CODES.has(f.code));
  } finally {
    CarriedLinks.prototype.add = add;
  }
  assert.ok(windows.length > 100, `${windows.length} windows`);
  const findings = (batchRecords: number) => {
    const links = new CarriedLinks(batchRecords);
    for (const w of windows) links.add(structuredClone(w));
    return links.findings('u');
  };
  const one = findings(1);
  assert.deepEqual(rows(one), rows(streamed));
  assert.deepEqual(rows(findings(5)), rows(one));
  assert.deepEqual(rows(findings(1e9)), rows(one));
});
