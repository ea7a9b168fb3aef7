// Navigation over LSP, end to end: the bundled server (`npm run build` first) started over
// stdio, a temporary workspace folder on disk, one document open and the rest only on disk
// (the workspace index). Records come from samples/ (AWS data models, invented IDs: see
// samples/README.md); the generated outline dump reuses them with IDs of the obviously
// invented form 00000000-0000-4000-8000-NNNNNNNNNNNN.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDump } from '../../server/src/core/dump';
import { contactSummary } from '../../server/src/core/contactSummary';
import { ContactModel } from '../../server/src/core/model';
import { summaryMarkdown } from '../../server/src/lsp/contactHover';
import { outline, MAX_OUTLINE_SYMBOLS } from '../../server/src/lsp/symbols';
import { readSettings } from '../../server/src/lsp/settings';
import { candidateKind, globToRegExp } from '../../server/src/lsp/workspaceIndex';
import { LspClient } from './lspClient';

const SAMPLES = path.resolve(__dirname, '../../samples');
const sample = (name: string): string => readFileSync(path.join(SAMPLES, name), 'utf8');
const ctrLines = sample('transfer-chain.jsonl').trim().split('\n');
const ctrs = ctrLines.map((l) => JSON.parse(l) as Record<string, any>);
const leg1 = ctrs.find((c) => c.PreviousContactId === null)!;
const leg2 = ctrs.find((c) => c.PreviousContactId === leg1.ContactId)!;
const leg3 = ctrs.find((c) => c.PreviousContactId === leg2.ContactId)!;
const [A, B, C] = [leg1.ContactId as string, leg2.ContactId as string, leg3.ContactId as string];
const lineOf = (c: Record<string, any>) => ctrLines[ctrs.indexOf(c)];

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}
interface Location {
  uri: string;
  range: Range;
}

function positionAt(text: string, offset: number): Pos {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The range of the n-th (0-based) occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `occurrence ${nth} of ${needle}`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** A position inside the value of `"key":"id"` (the first such property in the text). */
function inValue(text: string, key: string, id: string): Pos {
  const r = rangeOf(text, `"${key}":"${id}"`);
  return { line: r.start.line, character: r.start.character + key.length + 6 };
}

const until = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('navigation across a workspace of dumps', () => {
  let ws: string;
  let client: LspClient;
  const file = (rel: string) => path.join(ws, rel);
  const uri = (rel: string) => pathToFileURL(file(rel)).href;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(file(rel)), { recursive: true });
    writeFileSync(file(rel), text);
  };
  const progress: string[] = [];
  // The open document: legs 1 and 2. Its file on disk has them in the other order, so a
  // location in the open text proves the open document won over its on-disk copy.
  const openText = `${lineOf(leg1)}\n${lineOf(leg2)}\n`;
  const eventsFirehose = sample('transfer-chain-agent-events.jsonl').trim().split('\n').join('');

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'cei-nav-'));
    write('open/chain-1-2.jsonl', `${lineOf(leg2)}\n${lineOf(leg1)}\n`);
    write('disk/leg-3.jsonl', `${lineOf(leg3)}\n`);
    // A Firehose object as S3 names it: no extension, records back to back.
    write('firehose/connect-agent-events-1-2026-11-24-09-00-00-0000', eventsFirehose);
    // Excluded by default: must never be found.
    write('node_modules/some-package/leg-3-copy.jsonl', `${lineOf(leg3)}\n`);
    write('.git/leg-3-copy.json', `[${lineOf(leg3)}]`);
    // Not dumps: ignored.
    write('package.json', '{"name":"not-a-dump","version":"1.0.0"}');
    write('notes/README', 'plain text, no extension');
    write('notes/leg-3.txt', lineOf(leg3));
    // Unreadable as JSON: skipped without stopping the others.
    write('garbage.json', '\u0000\u0001{{{ not json');

    client = new LspClient();
    client.on('$/progress', (p) => progress.push(p.value?.kind));
    const indexed = new Promise<void>((resolve) =>
      client.on('$/progress', (p) => {
        if (p.value?.kind === 'end') resolve();
      }),
    );
    const init = await client.initialize({ rootUri: pathToFileURL(ws).href });
    assert.equal(init.capabilities.definitionProvider, true);
    assert.equal(init.capabilities.referencesProvider, true);
    assert.ok(init.capabilities.documentSymbolProvider);
    await indexed;
    client.open(uri('open/chain-1-2.jsonl'), 'jsonl', openText);
  });

  after(async () => {
    await client?.shutdown();
    rmSync(ws, { recursive: true, force: true });
  });

  test('the index is built with work-done progress', () => {
    assert.equal(progress[0], 'begin');
    assert.equal(progress[progress.length - 1], 'end');
  });

  test('go to definition from an open dump into a file that is only on disk', async () => {
    const result: Location[] = await client.request('textDocument/definition', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: inValue(openText, 'NextContactId', C),
    });
    assert.deepEqual(result, [{ uri: uri('disk/leg-3.jsonl'), range: rangeOf(lineOf(leg3), `"${C}"`) }]);
  });

  test('go to definition inside the open dump lands in the open text, not in its on-disk copy', async () => {
    const result: Location[] = await client.request('textDocument/definition', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: inValue(openText, 'NextContactId', B),
    });
    const own = rangeOf(openText, `"ContactId":"${B}"`);
    own.start.character += '"ContactId":'.length;
    assert.deepEqual(result, [{ uri: uri('open/chain-1-2.jsonl'), range: own }]);
    assert.equal(own.start.line, 1);
  });

  test('go to definition on a property name works too; on a field that is not a contact ID it gives nothing', async () => {
    const onKey = rangeOf(openText, '"NextContactId"', 1).start; // leg 2's: the link to leg 3
    const result: Location[] = await client.request('textDocument/definition', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: { line: onKey.line, character: onKey.character + 3 },
    });
    assert.equal(result[0].uri, uri('disk/leg-3.jsonl'));
    const channel = rangeOf(openText, '"Channel":"VOICE"').start;
    const none = await client.request('textDocument/definition', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: { line: channel.line, character: channel.character + 14 },
    });
    assert.equal(none, null);
  });

  test('find references lists every record and event that mentions the contact, across files', async () => {
    const refs: Location[] = await client.request('textDocument/references', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: inValue(openText, 'NextContactId', C),
      context: { includeDeclaration: true },
    });
    const count = (text: string) => text.split(`"${C}"`).length - 1;
    const byUri = new Map<string, Range[]>();
    for (const r of refs) byUri.set(r.uri, [...(byUri.get(r.uri) ?? []), r.range]);
    assert.deepEqual(
      [...byUri.keys()].sort(),
      [uri('disk/leg-3.jsonl'), uri('firehose/connect-agent-events-1-2026-11-24-09-00-00-0000'), uri('open/chain-1-2.jsonl')].sort(),
    );
    assert.deepEqual(byUri.get(uri('open/chain-1-2.jsonl')), [rangeOf(openText, `"${C}"`)]);
    assert.deepEqual(byUri.get(uri('disk/leg-3.jsonl')), [rangeOf(lineOf(leg3), `"${C}"`)]);
    const events = byUri.get(uri('firehose/connect-agent-events-1-2026-11-24-09-00-00-0000'))!;
    assert.equal(events.length, count(eventsFirehose));
    assert.ok(events.length >= 3);
    assert.deepEqual(events[0], rangeOf(eventsFirehose, `"${C}"`));

    const withoutDeclaration: Location[] = await client.request('textDocument/references', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: inValue(openText, 'NextContactId', C),
      context: { includeDeclaration: false },
    });
    assert.equal(withoutDeclaration.length, refs.length - 1);
    assert.ok(!withoutDeclaration.some((r) => r.uri === uri('disk/leg-3.jsonl')));
  });

  test('hover on a contact ID summarises the contact, ahead of the field documentation', async () => {
    const hover = await client.request('textDocument/hover', {
      textDocument: { uri: uri('open/chain-1-2.jsonl') },
      position: inValue(openText, 'NextContactId', C),
    });
    const text: string = hover.contents.value;
    assert.match(text, new RegExp(`\\*\\*Contact\\*\\* \`${C}\` · VOICE · TRANSFER`));
    assert.ok(text.includes(`Agent: ${leg3.Agent.Username}`), text);
    assert.ok(text.includes(`Queue: ${leg3.Queue.Name}`), text);
    assert.ok(text.includes(`Disconnect reason: ${leg3.DisconnectReason.replace(/_/g, '\\_')}`), text);
    assert.ok(text.includes(`Chain: leg 3 of 3 (previous \`${B}\`, initial \`${A}\`)`), text);
    assert.ok(text.includes('NextContactId'), 'the schema documentation of the field follows');
    assert.deepEqual(
      hover.range,
      (() => {
        const r = rangeOf(openText, `"${C}"`);
        return r;
      })(),
    );
  });

  test('after indexing, the open dump has no link-missing finding for a contact that is on disk', async () => {
    const diagnostics = await client.waitForDiagnostics(uri('open/chain-1-2.jsonl'));
    assert.ok(
      !diagnostics.some((d) => d.code === 'link-missing' && d.message.includes(C)),
      JSON.stringify(diagnostics.filter((d) => d.code === 'link-missing')),
    );
    // The rule is alive: a link to a contact that is nowhere is reported.
    const nowhere = '00000000-0000-4000-8000-0000000000d0';
    const dangling = lineOf(leg3).replaceAll(C, '00000000-0000-4000-8000-0000000000d1').replaceAll(B, nowhere);
    client.open(uri('extra/dangling.jsonl'), 'jsonl', dangling);
    const found = await client.waitForDiagnostics(uri('extra/dangling.jsonl'), (p) => p.diagnostics.some((d) => d.code === 'link-missing'));
    assert.ok(found.some((d) => d.code === 'link-missing' && d.message.includes(nowhere)));
    client.notify('textDocument/didClose', { textDocument: { uri: uri('extra/dangling.jsonl') } });
  });

  test('an indexed file opened and closed: the open text stands while open, the file on disk again after the close', async () => {
    const at = { textDocument: { uri: uri('open/chain-1-2.jsonl') }, position: inValue(openText, 'NextContactId', C) };
    const definition = async () => (await client.request<Location[] | null>('textDocument/definition', at))?.[0];
    // Open with a blank line first: a location on line 1 comes from the open text.
    client.open(uri('disk/leg-3.jsonl'), 'jsonl', `\n${lineOf(leg3)}\n`);
    await client.waitForDiagnostics(uri('disk/leg-3.jsonl'));
    await until(async () => ((await definition())?.range.start.line === 1 ? true : undefined), 'the definition in the open text');
    // Closed: the store held no disk copy while it was open; the index reads the file again.
    client.notify('textDocument/didClose', { textDocument: { uri: uri('disk/leg-3.jsonl') } });
    const back = await until(async () => {
      const d = await definition();
      return d?.uri === uri('disk/leg-3.jsonl') && d.range.start.line === 0 ? d : undefined;
    }, 'the definition in the file on disk');
    assert.deepEqual(back, { uri: uri('disk/leg-3.jsonl'), range: rangeOf(lineOf(leg3), `"${C}"`) });
  });

  test('a file changed, moved and deleted on disk (didChangeWatchedFiles) updates the index', async () => {
    const at = { textDocument: { uri: uri('open/chain-1-2.jsonl') }, position: inValue(openText, 'NextContactId', C) };
    // Changed: leg 3 now sits in another queue.
    write('disk/leg-3.jsonl', `${lineOf(leg3).replace(`"Name":"${leg3.Queue.Name}"`, '"Name":"Renamed Queue"')}\n`);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('disk/leg-3.jsonl'), type: 2 }] });
    await until(async () => {
      const h = await client.request('textDocument/hover', at);
      return h?.contents.value.includes('Queue: Renamed Queue') ? true : undefined;
    }, 'the changed file in the hover');

    // Moved: deleted here, created in a new folder (after a blank line, so its range differs).
    unlinkSync(file('disk/leg-3.jsonl'));
    write('disk/archive/leg-3.jsonl', `\n${lineOf(leg3)}\n`);
    client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('disk/leg-3.jsonl'), type: 3 },
        { uri: uri('disk/archive/leg-3.jsonl'), type: 1 },
      ],
    });
    const moved = await until(async () => {
      const r: Location[] | null = await client.request('textDocument/definition', at);
      return r?.[0]?.uri === uri('disk/archive/leg-3.jsonl') ? r : undefined;
    }, 'the definition in the moved file');
    assert.equal(moved.length, 1);
    assert.equal(moved[0].range.start.line, 1);

    // Deleted (the whole folder): no record of leg 3 anywhere any more, so definition falls
    // back to the agent event where the contact first appears.
    rmSync(file('disk/archive'), { recursive: true });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('disk/archive'), type: 3 }] });
    const fallback = await until(async () => {
      const r: Location[] | null = await client.request('textDocument/definition', at);
      return r?.[0]?.uri !== uri('disk/archive/leg-3.jsonl') ? r : undefined;
    }, 'the definition to leave the deleted folder');
    assert.deepEqual(fallback, [{ uri: uri('firehose/connect-agent-events-1-2026-11-24-09-00-00-0000'), range: rangeOf(eventsFirehose, `"${C}"`) }]);
    // The open dump's diagnostics were published again: its link to leg 3 now points nowhere.
    await client.waitForDiagnostics(uri('open/chain-1-2.jsonl'), (p) => p.diagnostics.some((d) => d.code === 'link-missing' && d.message.includes(C)));
  });

  test('the outline of a 10,000-record dump: by contact, capped, with a closing "more" entry', async (t) => {
    // 2,500 contacts, each one contact record and three agent events about it.
    const event = sample('transfer-chain-agent-events.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.CurrentAgentSnapshot?.Contacts?.[0]?.ContactId === A);
    assert.ok(event, 'an agent event about leg 1');
    const ctrText = JSON.stringify({ ...leg1, NextContactId: null });
    const eventText = JSON.stringify(event);
    const lines: string[] = [];
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    for (let n = 0; n < 2500; n++) {
      lines.push(ctrText.replaceAll(A, id(n)));
      for (let k = 0; k < 3; k++) lines.push(eventText.replaceAll(A, id(n)));
    }
    const big = lines.join('\n') + '\n';
    const bigUri = uri('outline/generated.jsonl');
    client.open(bigUri, 'jsonl', big);
    // The analysis on open (schema, cross-record rules) is not the outline's cost: let it finish first.
    const analysed = Date.now();
    await client.waitForDiagnostics(bigUri, () => true, 60_000);
    const analysisMs = Date.now() - analysed;
    const started = Date.now();
    const symbols: any[] = await client.request('textDocument/documentSymbol', { textDocument: { uri: bigUri } });
    const ms = Date.now() - started;
    // 5 symbols per contact (the contact and its 4 records): 2,000 contacts fit in 10,000.
    assert.equal(symbols.length, 2001);
    assert.equal(symbols.reduce((n, s) => n + 1 + (s.children?.length ?? 0), 0) - 1, MAX_OUTLINE_SYMBOLS);
    const first = symbols[0];
    assert.equal(first.name, id(0));
    assert.match(first.detail, /^VOICE · 1 contact record, 3 agent events$/);
    assert.deepEqual(
      first.children.map((c: any) => c.name),
      ['Contact record', event.EventType, event.EventType, event.EventType],
    );
    assert.deepEqual(
      first.children.map((c: any) => c.range.start.line),
      [0, 1, 2, 3],
    );
    assert.match(first.children[0].detail, /^VOICE · INBOUND · 2026-/);
    assert.deepEqual(first.children[0].selectionRange, rangeOf(lines[0], '"ContactId"'), "the record's own ContactId is selected");
    assert.deepEqual(first.children[1].selectionRange.start.line, 1);
    assert.deepEqual(first.range, { start: { line: 0, character: 0 }, end: { line: 3, character: eventText.length } });
    assert.equal(symbols[1999].name, id(1999));
    const last = symbols[2000];
    assert.equal(last.name, '... 2,000 more records');
    assert.equal(last.range.start.line, 8000);
    // Speed is the bench's business (timed assertions fail on a loaded machine); the figure is shown.
    t.diagnostic(`outline took ${ms} ms (analysis on open: ${analysisMs} ms)`);
  });
});

describe('the index follows connectInspector.files, .exclude and .maxIndexedFileSizeMB', () => {
  let ws: string;
  let client: LspClient;
  const logs: string[] = [];
  const file = (rel: string) => path.join(ws, rel);
  const uri = (rel: string) => pathToFileURL(file(rel)).href;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(file(rel)), { recursive: true });
    writeFileSync(file(rel), text);
  };
  let ends = 0;
  const openText = `${lineOf(leg2)}\n`;
  const at = (key: string, id: string) => ({ textDocument: { uri: uri('open.jsonl') }, position: inValue(openText, key, id) });

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'cei-idx-'));
    write('s3/leg-3.jsonl', `${lineOf(leg3)}\n`);
    write('s3/old/leg-1.jsonl', `${lineOf(leg1)}\n`);
    write('elsewhere/leg-1.jsonl', `${lineOf(leg1)}\n`);
    write('s3/big.jsonl', `${lineOf(leg1)}\n${lineOf(leg1)}\n`);
    client = new LspClient();
    client.configuration = { files: ['s3/**'], exclude: ['s3/old/**'], maxIndexedFileSizeMB: 0.004 };
    client.on('window/logMessage', (p) => logs.push(p.message));
    const indexed = new Promise<void>((resolve) =>
      client.on('$/progress', (p) => {
        if (p.value?.kind === 'end' && ++ends === 1) resolve();
      }),
    );
    await client.initialize({ rootUri: pathToFileURL(ws).href });
    await indexed;
    client.open(uri('open.jsonl'), 'jsonl', openText);
  });

  after(async () => {
    await client?.shutdown();
    rmSync(ws, { recursive: true, force: true });
  });

  test('only files under the globs, minus the excluded ones and the too-big ones, are indexed', async () => {
    const next: Location[] = await client.request('textDocument/definition', at('NextContactId', C));
    assert.deepEqual(
      next.map((l) => l.uri),
      [uri('s3/leg-3.jsonl')],
    );
    // Leg 1 is in s3/old (excluded), elsewhere/ (not under s3/**) and s3/big.jsonl (over the size limit).
    assert.equal(await client.request('textDocument/definition', at('PreviousContactId', A)), null);
    assert.ok(
      logs.some((m) => m.includes('skipping') && m.includes('big.jsonl')),
      logs.join('\n'),
    );
  });

  test('a configuration change rebuilds the index', async () => {
    client.configuration = { files: ['elsewhere/**'] };
    const rebuilt = new Promise<void>((resolve) =>
      client.on('$/progress', (p) => {
        if (p.value?.kind === 'end') resolve();
      }),
    );
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    await rebuilt;
    const prev: Location[] = await client.request('textDocument/definition', at('PreviousContactId', A));
    assert.deepEqual(
      prev.map((l) => l.uri),
      [uri('elsewhere/leg-1.jsonl')],
    );
    assert.equal(await client.request('textDocument/definition', at('NextContactId', C)), null, 's3/ is no longer indexed');
  });
});

describe('contact hover text, in process', () => {
  test('values from the dump stay text: Markdown links and HTML are escaped', () => {
    const hostile = { ...leg3, Queue: { ...leg3.Queue, Name: '<img src=x onerror=alert(1)> [click](https://example.com) *bold*' } };
    const dump = parseDump('file:///hostile.jsonl', JSON.stringify(hostile));
    const text = summaryMarkdown(contactSummary(new ContactModel([dump]), C)!);
    assert.ok(text.includes('Queue: \\<img src=x onerror=alert\\(1\\)\\> \\[click\\]\\(https://example.com\\) \\*bold\\*'), text);
  });

  test('agent events alone: no leg number is made up', () => {
    const events = parseDump('file:///events.jsonl', sample('transfer-chain-agent-events.jsonl'));
    const text = summaryMarkdown(contactSummary(new ContactModel([events]), B)!);
    assert.ok(text.includes(`Chain: a later leg (initial \`${A}\`)`), text);
    assert.ok(text.includes('Seen in: no contact record'), text);
    assert.ok(!text.includes('Disconnect reason'), text);
  });
});

describe('outline, in process', () => {
  test('100,000 records: grouped and capped', (t) => {
    // Small heartbeat-like records of 200 agents, plus contact records for 1,000 contacts.
    const lines: string[] = [];
    for (let i = 0; i < 99_000; i++) {
      lines.push(
        `{"AgentARN":"arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000000/agent/00000000-0000-4000-8000-${String(i % 200).padStart(12, '0')}","EventId":"x-${i}","EventTimestamp":"2026-11-24T09:00:00.000Z","EventType":"HEART_BEAT"}`,
      );
    }
    for (let i = 0; i < 1000; i++) lines.push(`{"Channel":"CHAT","ContactId":"c-${i}","InitiationMethod":"API"}`);
    const dump = parseDump('file:///big.jsonl', lines.join('\n'));
    assert.equal(dump.records.length, 100_000);
    const started = performance.now();
    const symbols = outline(dump);
    const ms = performance.now() - started;
    t.diagnostic(`outline took ${ms.toFixed(0)} ms`);
    // 200 agent groups (heartbeats have no contact), then contacts until the cap.
    assert.equal(symbols[0].name, 'Agent 00000000-0000-4000-8000-000000000000');
    assert.equal(symbols[0].kind, 5 /* Class */);
    const groups = symbols.slice(0, -1);
    const shownRecords = groups.reduce((n, s) => n + (s.children?.length ?? 0), 0);
    assert.equal(groups.length + shownRecords, MAX_OUTLINE_SYMBOLS);
    assert.equal(groups.length, 21, '20 whole agents (1 + 495 each) and the start of the 21st');
    assert.equal(groups[20].children!.length, MAX_OUTLINE_SYMBOLS - 20 * 496 - 1);
    assert.equal(symbols[symbols.length - 1].name, `... ${(100_000 - shownRecords).toLocaleString('en-US')} more records`);
  });
});

describe('workspace index settings and globs', () => {
  const m = (glob: string, p: string) => globToRegExp(glob).test(p);

  test('globs: ** crosses folders, * does not, braces and classes', () => {
    assert.ok(m('**/*', 'a.json'));
    assert.ok(m('**/*', 'deep/er/a'));
    assert.ok(m('**/*.{json,jsonl,ndjson}', 'x/y/dump.ndjson'));
    assert.ok(!m('**/*.{json,jsonl,ndjson}', 'x/y/dump.txt'));
    assert.ok(m('dumps/*.jsonl', 'dumps/a.jsonl'));
    assert.ok(!m('dumps/*.jsonl', 'dumps/sub/a.jsonl'));
    assert.ok(m('dumps/**/*.jsonl', 'dumps/a.jsonl'));
    assert.ok(m('dumps/**/*.jsonl', 'dumps/sub/a.jsonl'));
    assert.ok(m('**/node_modules/**', 'node_modules'), 'the folder itself, so the walk prunes it');
    assert.ok(m('**/node_modules/**', 'a/node_modules/b/c.json'));
    assert.ok(!m('**/node_modules/**', 'a/node_modules2/c.json'));
    assert.ok(m('file?.json', 'file1.json'));
    assert.ok(!m('file?.json', 'file10.json'));
    assert.ok(m('[ab].json', 'a.json'));
    assert.ok(!m('[!ab].json', 'a.json'));
    assert.ok(m('a.b(c)+.json', 'a.b(c)+.json'), 'regex characters are literal');
    assert.ok(!m('a.json', 'abjson'));
    assert.ok(m('./s3/**', 's3/x'));
  });

  test('settings: defaults, and malformed values fall back to them', () => {
    const index = ({ files, exclude, maxIndexedFileSizeMB }: ReturnType<typeof readSettings>) => ({ files, exclude, maxIndexedFileSizeMB });
    assert.deepEqual(index(readSettings(undefined)), { files: ['**/*'], exclude: ['**/node_modules/**', '**/.git/**'], maxIndexedFileSizeMB: 50 });
    assert.deepEqual(index(readSettings({ files: ['s3/**'], exclude: [], maxIndexedFileSizeMB: 5 })), {
      files: ['s3/**'],
      exclude: [],
      maxIndexedFileSizeMB: 5,
    });
    assert.deepEqual(index(readSettings({ files: 'oops', exclude: [3, ''], maxIndexedFileSizeMB: -1 })), {
      files: ['**/*'],
      exclude: [],
      maxIndexedFileSizeMB: 50,
    });
  });

  test('which files are candidates: dump extensions, and extension-less files to sniff', () => {
    assert.equal(candidateKind('a.json'), 'parse');
    assert.equal(candidateKind('a.JSONL'), 'parse');
    assert.equal(candidateKind('a.ndjson'), 'parse');
    assert.equal(candidateKind('a.firehose'), 'parse');
    assert.equal(candidateKind('connect-stream-1-2026-11-24-10-00-00-abcd'), 'sniff');
    assert.equal(candidateKind('.gitignore'), undefined);
    assert.equal(candidateKind('notes.txt'), undefined);
  });
});
