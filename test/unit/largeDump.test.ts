// Dumps VS Code does not hand to extensions (issue 16): which tabs count (client/src/largeDump.ts),
// with the verdict of the server's sniff (server/src/lsp/sniffFile.ts) read from real files;
// and the streamed findings as Problems-panel diagnostics (client/src/fileDiagnostics.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { streamedDiagnostics } from '../../client/src/fileDiagnostics';
import {
  ANALYZE_ACTION,
  DONT_ASK_ACTION,
  formatBytes,
  MIN_KEPT_BACK_BYTES,
  noticeActions,
  noticeMessage,
  offerFor,
  OPEN_DECODED_ACTION,
  TabFacts,
  unsyncedFileOf,
  worthSniffing,
} from '../../client/src/largeDump';
import { writeDump } from '../../bench/generate';
import { sniffFile } from '../../server/src/lsp/sniffFile';
import type { AnalyzeFileResult, FileFinding } from '../../server/src/shared/protocol';

const SAMPLES = resolve(__dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'cei-large-dump-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;

/** The tab VS Code shows for a file: a text input; `synced` when a TextDocument exists for it. */
function tab(file: string, synced = false, input: TabFacts['input'] = 'text'): TabFacts {
  const url = pathToFileURL(file);
  return { input, uri: { scheme: 'file', path: url.pathname, text: url.href }, synced };
}

/** What the VS Code wrapper does: candidate tab -> size check -> server sniff -> offer. */
async function offerForFile(facts: TabFacts) {
  const file = unsyncedFileOf(facts);
  const size = file ? statSync(fileURLToPath(file.uri), { throwIfNoEntry: false })?.size : undefined;
  return offerFor(facts, file && size !== undefined && worthSniffing(file, size) ? await sniffFile({ uri: file.uri }) : undefined);
}

/** The offer given the server's sniff, whatever the size (small samples stand for big files here). */
async function offerIfSniffed(facts: TabFacts) {
  const file = unsyncedFileOf(facts);
  return file && offerFor(facts, await sniffFile({ uri: file.uri }));
}

// A generated agent-event and contact-record dump (bench/generate.ts) over the web workbench's 10 MB.
const bigDump = join(dir, 'connect-export.jsonl');
const big = writeDump(bigDump, 'jsonl', 11 * MB, { seed: 16, faults: 0 });

test('a .jsonl dump over the web limit, not synced, gets an offer with its size', async () => {
  const offer = await offerForFile(tab(bigDump));
  assert.ok(offer, 'no offer for a generated 11 MB dump');
  assert.equal(offer.size, big.bytes);
  assert.equal(offer.compressed, false);
  assert.equal(offer.label, `Analyze dump (${Math.round(big.bytes / MB)} MB)`);
  assert.deepEqual(noticeActions(offer, true), [ANALYZE_ACTION, DONT_ASK_ACTION], 'decoded records are for compressed dumps only');
});

test('a .json over the limit: a dump (pretty-printed array) gets an offer; a large non-dump JSON gets none', async () => {
  const arrayDump = join(dir, 'contacts.json');
  writeDump(arrayDump, 'array', 11 * MB, { seed: 3, faults: 0 });
  assert.ok(await offerForFile(tab(arrayDump)), 'no offer for a pretty-printed array of contact records');

  // 11 MB of JSON that is not Amazon Connect data (a package lock-like file), with Connect-ish words in it.
  const packages: Record<string, unknown> = {};
  for (let i = 0; packages && JSON.stringify(packages).length < 11 * MB; i++) {
    for (let j = 0; j < 1000; j++)
      packages[`node_modules/pkg-${i}-${j}`] = {
        version: '1.0.0',
        resolved: `https://registry.example/pkg-${i}-${j}.tgz`,
        State: 'CONNECTED',
        Channel: 'VOICE',
      };
  }
  const lock = join(dir, 'package-lock.json');
  writeFileSync(lock, JSON.stringify({ name: 'not-a-dump', lockfileVersion: 3, packages }, null, 2));
  const sniff = await sniffFile({ uri: pathToFileURL(lock).href });
  assert.equal(sniff.verdict, 'not-dump');
  assert.equal(await offerForFile(tab(lock)), undefined);

  // JSON Lines of something else (application logs) get none either.
  const logs = join(dir, 'app-logs.jsonl');
  writeFileSync(logs, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ level: 'info', msg: `request ${i}`, ContactId: 'not a uuid' })).join('\n'));
  assert.equal(await offerForFile(tab(logs)), undefined);
});

test('a synced document gets no offer: VS Code handed it over and the language server has it', async () => {
  assert.equal(unsyncedFileOf(tab(bigDump, true)), undefined);
  assert.equal(await offerForFile(tab(bigDump, true)), undefined);
});

test('a .gz dump gets an offer (compressed), with Open Decoded Records only when that command exists', async () => {
  const gz = join(dir, 'agent-events.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(bigDump)));
  const offer = await offerForFile(tab(gz));
  assert.ok(offer, 'no offer for a gzip-compressed dump');
  assert.equal(offer.compressed, true);
  // The streamed analysis inflates gzip as it reads: Analyze works on it.
  assert.match(offer.label, /^Analyze dump \(\d+(\.\d)? (KB|MB)\)$/);
  assert.deepEqual(noticeActions(offer, true), [ANALYZE_ACTION, OPEN_DECODED_ACTION, DONT_ASK_ACTION]);
  assert.deepEqual(noticeActions(offer, false), [ANALYZE_ACTION, DONT_ASK_ACTION]);
  assert.match(noticeMessage(offer), /compressed/);
  // The binary viewer's tab (a custom editor input) counts the same way.
  assert.ok(await offerForFile(tab(gz, false, 'custom')));

  const gzLogs = join(dir, 'logs.json.gz');
  writeFileSync(gzLogs, gzipSync(Buffer.from(JSON.stringify({ not: 'a dump', items: Array.from({ length: 5000 }, (_, i) => i) }))));
  assert.equal(await offerForFile(tab(gzLogs)), undefined, 'a compressed non-dump');
});

test('which tabs count at all: file URIs with a dump name, in a text or custom editor', async () => {
  const firehose = join(dir, 'chat-2026-11-24-10'); // Firehose's S3 objects have no extension
  copyFileSync(join(SAMPLES, 'chat.firehose'), firehose);
  assert.ok(await offerIfSniffed(tab(firehose)), 'an extension-less Firehose object');
  assert.ok(await offerIfSniffed(tab(join(SAMPLES, 'chat.firehose'))));
  const ndjson = join(dir, 'events.ndjson');
  copyFileSync(join(SAMPLES, 'transfer-chain-agent-events.jsonl'), ndjson);
  assert.ok(await offerIfSniffed(tab(ndjson)));
  assert.equal(await offerIfSniffed(tab(join(SAMPLES, 'README.md'))), undefined, 'not a dump name');

  // A small file whose document is not synced yet is one VS Code is still opening: the server
  // is not even asked (it may not be running); a small .gz is kept back at any size.
  assert.equal(await offerForFile(tab(ndjson)), undefined);
  assert.equal(worthSniffing({ uri: 'file:///a.jsonl', name: 'a.jsonl' }, MIN_KEPT_BACK_BYTES - 1), false);
  assert.equal(worthSniffing({ uri: 'file:///a.jsonl', name: 'a.jsonl' }, MIN_KEPT_BACK_BYTES), true);
  assert.equal(worthSniffing({ uri: 'file:///a.jsonl.gz', name: 'a.jsonl.gz' }, 2_000), true);

  assert.equal(unsyncedFileOf(tab(bigDump, false, 'other')), undefined, 'a webview, notebook or diff tab');
  assert.equal(unsyncedFileOf({ input: 'text', uri: { scheme: 'untitled', path: 'Untitled-1', text: 'untitled:Untitled-1' }, synced: false }), undefined);
  assert.equal(
    unsyncedFileOf({ input: 'text', uri: { scheme: 'vscode-remote', path: '/x/a.jsonl', text: 'vscode-remote://h/x/a.jsonl' }, synced: false }),
    undefined,
  );
  assert.equal(unsyncedFileOf({ input: 'text', synced: false }), undefined);
  assert.equal(unsyncedFileOf(tab(join(dir, 'big.log'))), undefined, 'not a dump name');
  assert.equal(unsyncedFileOf(tab(join(dir, '.gitignore'))), undefined, 'a dotfile');
  assert.equal(await offerForFile(tab(join(dir, 'gone.jsonl'))), undefined, 'a file that is not there');
});

test('sizes read the way people say them', () => {
  assert.equal(formatBytes(46 * MB + 300_000), '46 MB');
  assert.equal(formatBytes(9.5 * MB), '9.5 MB');
  assert.equal(formatBytes(820 * 1024), '820 KB');
  assert.equal(formatBytes(3 * 1024 * MB), '3.00 GB');
});

// --- Streamed findings in the Problems panel ---

function finding(line: number, severity: FileFinding['severity'], code: string, related?: FileFinding['related']): FileFinding {
  return {
    code,
    severity,
    message: `${code} on line ${line + 1}`,
    range: { start: { line, character: 4 }, end: { line, character: 9 } },
    source: { byte: line * 100 + 4 },
    related,
  };
}

function result(findings: FileFinding[], extra: Partial<AnalyzeFileResult> = {}): AnalyzeFileResult {
  return {
    uri: 'file:///data/big.jsonl',
    path: '/data/big.jsonl',
    size: 46 * MB,
    bytesRead: 46 * MB,
    records: 9000,
    kinds: { agentEvent: 8000, contactRecord: 1000, unknown: 0 },
    format: 'jsonl',
    findings,
    total: findings.length,
    omitted: 0,
    counts: { error: 0, warning: 0, information: 0, hint: 0 },
    cancelled: false,
    elapsedMs: 1,
    notChecked: [],
    ...extra,
  };
}

test('streamed findings become diagnostics with code, link, severity, range and related locations', () => {
  const related = [
    {
      uri: 'file:///data/big.jsonl',
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } },
      message: 'the other leg',
      source: { byte: 200 },
    },
  ];
  const diags = streamedDiagnostics(result([finding(0, 'error', 'schema'), finding(7, 'warning', 'link-reciprocal', related)]));
  assert.equal(diags.length, 2);
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity, d.range.start.line, d.source]),
    [
      ['schema', 'error', 0, 'connect-inspector'],
      ['link-reciprocal', 'warning', 7, 'connect-inspector'],
    ],
  );
  assert.match(diags[0].href, /#finding-schema$/);
  assert.deepEqual(diags[1].related, [{ uri: related[0].uri, range: related[0].range, message: 'the other leg' }]);
  assert.deepEqual(diags[0].range, { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } });
});

test('past the cap, one too-many-findings summary says how many are not shown; an unreadable file has none', () => {
  const kept = [finding(1, 'error', 'schema'), finding(5, 'error', 'json-syntax')];
  const diags = streamedDiagnostics(result(kept, { total: 1502, omitted: 1500 }));
  assert.equal(diags.length, 3);
  const summary = diags[2];
  assert.equal(summary.code, 'too-many-findings');
  assert.equal(summary.severity, 'information');
  assert.match(summary.message, /1,500 more findings are not shown \(connectInspector\.maxFindingsPerDocument is 2\)/);
  assert.deepEqual(streamedDiagnostics(result([], { error: 'Cannot read /data/big.jsonl: EACCES' })), []);
  assert.deepEqual(streamedDiagnostics(result([])), [], 'a clean file: nothing in Problems');
});
