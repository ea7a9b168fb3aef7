// A file the workspace index cannot read does not stop the others, nor the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';

const chain = readFileSync(path.join(__dirname, '../../samples/transfer-chain.jsonl'), 'utf8');
const legs = chain
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
let ws: string;
let client: LspClient;
const logs: string[] = [];

before(() => {
  ws = mkdtempSync(path.join(tmpdir(), 'cei-idxfail-'));
  // 600 MB of NULs (sparse: no disk used) is past V8's string limit: reading it as text fails.
  writeFileSync(path.join(ws, 'a-too-big.jsonl'), '');
  truncateSync(path.join(ws, 'a-too-big.jsonl'), 600 * 1024 * 1024);
  writeFileSync(path.join(ws, 'z-chain.jsonl'), chain);
});
after(async () => {
  await client?.shutdown();
  rmSync(ws, { recursive: true, force: true });
});

test('an unreadable file is logged and skipped; the files after it are indexed and the server lives', async () => {
  client = new LspClient();
  client.on('window/logMessage', (p) => logs.push(p.message));
  // Raise the size limit so that the index really tries to read the huge file.
  client.configuration = { maxIndexedFileSizeMB: 2000 };
  await client.initialize({ rootUri: pathToFileURL(ws).href });
  const done = await waitForLog(/Workspace index: \d+ dumps/, 120_000);
  assert.match(done, /1 unreadable/);
  assert.ok(
    logs.some((l) => /cannot read .*a-too-big\.jsonl/.test(l)),
    logs.join('\n'),
  );

  // The chain file (read after the failing one) resolves: open an events-only document and
  // jump from a contact ID to its record on disk.
  const uri = pathToFileURL(path.join(ws, 'open.jsonl')).href;
  const text = JSON.stringify({
    ...legs[1],
    ContactId: '00000000-0000-4000-8000-00000000abcd',
    PreviousContactId: legs[0].ContactId,
    NextContactId: null,
    InitialContactId: legs[0].ContactId,
  });
  client.open(uri, 'jsonl', text);
  await client.waitForDiagnostics(uri);
  const at = text.indexOf(legs[0].ContactId, text.indexOf('"PreviousContactId"'));
  const defs = await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: at + 3 } });
  const list = Array.isArray(defs) ? defs : [defs];
  assert.ok(
    list.some((d: { uri?: string; targetUri?: string }) => (d.uri ?? d.targetUri)?.endsWith('z-chain.jsonl')),
    JSON.stringify(defs),
  );
});

function waitForLog(re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no log matching ${re} in ${timeoutMs} ms:\n${logs.join('\n')}\n${client.stderr}`)), timeoutMs);
    const check = () => {
      const hit = logs.find((l) => re.test(l));
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
        return true;
      }
      return false;
    };
    if (!check()) client.on('window/logMessage', () => void check());
  });
}
