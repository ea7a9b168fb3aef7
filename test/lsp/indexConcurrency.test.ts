// The workspace index reads its files in a worker thread: a hover on the open dump is
// answered while the index is still reading a large folder, not after it. No timing is
// asserted, only the order: the hover's reply arrives before the index's progress `end`.
// The folder: three generated dumps of ~15 MB (bench/generate.ts, invented IDs and values
// shaped like the AWS data models); the open dump: samples/transfer-chain.jsonl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeDump } from '../../bench/generate';
import { LspClient } from './lspClient';

const MB = 1024 * 1024;
let ws: string;
let client: LspClient;

before(() => {
  ws = mkdtempSync(path.join(tmpdir(), 'cei-idxbusy-'));
  for (let i = 1; i <= 3; i++) writeDump(path.join(ws, 'exports', `day-${i}.jsonl`), 'jsonl', 15 * MB, { seed: 200 + i, faults: 0 });
});
after(async () => {
  await client?.shutdown();
  rmSync(ws, { recursive: true, force: true });
});

test('a hover is answered while the index is still reading a large folder', async () => {
  client = new LspClient();
  const events: string[] = [];
  const logs: string[] = [];
  let began!: () => void;
  const indexBegan = new Promise<void>((resolve) => (began = resolve));
  let ended!: () => void;
  const indexEnded = new Promise<void>((resolve) => (ended = resolve));
  client.on('$/progress', (p) => {
    if (p?.value?.kind === 'begin') {
      events.push('index begin');
      began();
    } else if (p?.value?.kind === 'end') {
      events.push('index end');
      ended();
    }
  });
  let summarised!: (line: string) => void;
  const summary = new Promise<string>((resolve) => (summarised = resolve));
  client.on('window/logMessage', (p) => {
    logs.push(p.message);
    if (/^Workspace index: \d+ dumps/.test(p.message)) summarised(p.message);
  });
  await client.initialize({ rootUri: pathToFileURL(ws).href });

  const text = readFileSync(path.join(__dirname, '../../samples/transfer-chain.jsonl'), 'utf8');
  const uri = pathToFileURL(path.join(ws, 'open.jsonl')).href;
  client.open(uri, 'jsonl', text);
  await client.waitForDiagnostics(uri, () => true, 60_000);
  await indexBegan;
  assert.ok(!events.includes('index end'), `the index read the folder before the test could ask (${events.join(', ')}): make the folder larger`);

  const at = text.indexOf('"Channel"') + 3;
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: at } });
  events.push('hover answered');
  assert.ok(hover?.contents, 'the hover has content');

  await indexEnded;
  assert.deepEqual(events, ['index begin', 'hover answered', 'index end']);
  // Every file was indexed (the worker's records reached the index), none failed.
  assert.match(await summary, /Workspace index: 3 dumps \(\d+ records\) in 3 files, 0 skipped, 0 unreadable/, logs.join('\n'));
});
