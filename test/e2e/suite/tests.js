// The end-to-end suite: runs inside a real extension host against the installed extension.
// Order matters: the first test checks that nothing activated the extension yet.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test, skip } = require('./framework');
const h = require('./helpers');

const FAULTY = 'samples/faults/schema-errors.jsonl';
const CLEAN = 'samples/transfer-chain.jsonl';
const KNOWN_CODES = new Set([
  'json-syntax',
  'schema',
  'unknown-record',
  'state-transition',
  'link-reciprocal',
  'link-missing',
  'link-cycle',
  'link-initial',
  'timestamp-order',
  'duplicate-id',
  'duration-mismatch',
  'unknown-value',
  'redacted',
  'arn-format',
  'phone-format',
  'envelope-decode',
  'event-resource',
  'event-order',
  'event-record-mismatch',
  'flow-error',
  'flow-outside-contact',
]);
// The first diagnostics wait includes the language server's cold start.
const FIRST_WAIT_MS = 60_000;

/** True when the product is the test-only stand-in of test/e2e/fixtures (CEI_E2E_STANDIN=1). */
function isStandin() {
  /** @type {unknown} */
  const raw = vscode.extensions.getExtension(h.EXTENSION_ID)?.packageJSON;
  const manifest = /** @type {{ displayName?: string } | undefined} */ (raw);
  return /e2e stand-in/.test(manifest?.displayName ?? '');
}

// A built-in extension that activates on `onLanguage:json` (and markdown) but not jsonc:
// if it is active before the suite opened anything, the workbench itself encountered a JSON
// model. VS Code 1.139 does that at startup (it reads User/chatLanguageModels.json through
// a text model), which activates every `onLanguage:json` extension without any dump open.
const JSON_SENTINEL = 'vscode.extension-editing';

test('extension is installed and not activated by the workbench alone (or only by onStartupFinished)', () => {
  const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  assert.ok(ext, `extension ${h.EXTENSION_ID} is not installed`);
  // Only workspace files count: the workbench itself keeps e.g. the user's settings.json open.
  const root = h.workspaceRoot().toString() + '/';
  const openJson = vscode.workspace.textDocuments.filter(
    (d) => d.uri.toString().startsWith(root) && /^(json|jsonc|jsonl|connect-firehose)$/.test(d.languageId),
  );
  assert.deepEqual(
    openJson.map((d) => d.uri.toString()),
    [],
    'a JSON document of the workspace was already open before the suite started',
  );
  if (!ext.isActive) return;
  // Activated at startup by design, to notice dumps VS Code does not hand to extensions (a
  // placeholder tab fires no onLanguage event); staying idle is what the next test checks.
  if ((ext.packageJSON.activationEvents ?? []).includes('onStartupFinished')) return;
  if (vscode.extensions.getExtension(JSON_SENTINEL)?.isActive) {
    skip(`active before any dump: the workbench fired onLanguage:json by itself (${JSON_SENTINEL} is active too); see the next test`);
  }
  const docs = vscode.workspace.textDocuments.map((d) => `${d.uri.toString()} (${d.languageId})`).join(', ');
  assert.fail(`the extension activated before any dump or JSON was opened; open documents: ${docs || 'none'}`);
});

test('no language server runs until a dump is opened (a non-dump JSON document only)', async () => {
  const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  assert.ok(ext);
  // Any JSON document fires onLanguage:json; the product may activate, but should stay idle.
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: '{\n  "name": "not-a-dump",\n  "version": "1.0.0"\n}\n' });
  await vscode.window.showTextDocument(doc);
  await h.waitFor(() => ext.isActive, { timeoutMs: 15_000, what: 'activation on onLanguage:json' }).catch(() => undefined);
  if (ext.isActive) await ext.activate(); // let activate() finish before looking
  const procs = h.processesUnder(ext.extensionPath);
  if (procs === undefined) skip('cannot list processes on this platform');
  assert.deepEqual(procs, [], `processes started from ${ext.extensionPath} before any dump was opened`);
  await h.closeAllEditors();
});

test(
  `opening ${FAULTY} activates the extension and starts its language server`,
  async () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    assert.ok(ext);
    await h.openInEditor(h.sampleUri(FAULTY));
    await h.waitFor(() => ext.isActive, { timeoutMs: 30_000, what: 'activation after opening a dump' });
    // activate() settles with activation's own outcome: a throwing activate() fails here, clearly.
    await Promise.race([ext.activate(), new Promise((_, rej) => setTimeout(() => rej(new Error('activate() did not settle in 30 s')), 30_000))]);
    if (isStandin()) return; // the harness self-check has no server
    const serverBundle = require('node:path').join(ext.extensionPath, 'dist', 'server.js');
    assert.ok(require('node:fs').existsSync(serverBundle), `the package has no ${serverBundle}`);
    // Also the positive control of the "no language server yet" test: here it must be found.
    const procs = h.processesUnder(ext.extensionPath);
    if (procs !== undefined) {
      await h.waitFor(() => (h.processesUnder(ext.extensionPath) ?? []).some((p) => p.includes('server.js')), {
        timeoutMs: 30_000,
        what: `a process running ${serverBundle}`,
      });
    }
  },
  { fatal: true },
);

test(`${FAULTY}: diagnostics with codes and a range on the bad value`, async () => {
  const uri = h.sampleUri(FAULTY);
  const { doc } = await h.openInEditor(uri);
  const text = doc.getText();
  const video = h.groupOffset(text, /"Channel"\s*:\s*"(VIDEO)"/d);
  assert.ok(video, `${FAULTY} should contain "Channel": "VIDEO"`);
  const videoRange = new vscode.Range(doc.positionAt(video.start), doc.positionAt(video.end));

  const diag = await h.waitFor(
    // VIDEO is outside Channel's documented list: unknown-value, a warning (AWS adds channels).
    () => h.ours(uri).find((d) => h.codeOf(d) === 'unknown-value' && d.range.intersection(videoRange) !== undefined),
    { timeoutMs: FIRST_WAIT_MS, what: `an unknown-value diagnostic on VIDEO at ${h.fmtRange(videoRange)}; have: ${h.ours(uri).map(h.fmtDiag).join(' | ')}` },
  );
  const all = h.ours(uri);
  // The bad value: the range covers VIDEO and stays inside its quotes.
  assert.ok(diag.range.contains(videoRange), `range ${h.fmtRange(diag.range)} does not cover VIDEO ${h.fmtRange(videoRange)}`);
  const quoted = new vscode.Range(videoRange.start.translate(0, -1), videoRange.end.translate(0, 1));
  assert.ok(quoted.contains(diag.range), `range ${h.fmtRange(diag.range)} spills outside "VIDEO" ${h.fmtRange(quoted)}`);
  assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning, h.fmtDiag(diag));
  assert.match(diag.message, /VIDEO/, 'the message should name the offending value');

  const lastLine = doc.lineCount - 1;
  for (const d of all) {
    const code = h.codeOf(d);
    assert.ok(code && KNOWN_CODES.has(code), `unknown code: ${h.fmtDiag(d)}`);
    assert.ok(doc.validateRange(d.range).isEqual(d.range), `range outside the document: ${h.fmtDiag(d)}`);
    assert.ok(!(d.range.start.line === 0 && d.range.end.line >= lastLine && lastLine > 0), `range spans the whole file: ${h.fmtDiag(d)}`);
  }
});

// What samples/README.md promises for each faulty dump: [code, 1-based line] pairs that must
// be reported; `only` means nothing else may be. A line given as [a, b] accepts either.
/** @type {Record<string, { expect: [string, number | number[]][], only?: boolean }>} */
const FAULTS = {
  'samples/faults/schema-errors.jsonl': {
    expect: [
      ['unknown-value', 1],
      ['schema', 2],
      ['schema', 5],
      ['schema', 6],
    ],
    only: true,
  },
  'samples/faults/illegal-transition.jsonl': {
    expect: [
      ['state-transition', 7],
      ['state-transition', 12],
    ],
  },
  'samples/faults/broken-links.jsonl': {
    expect: [
      ['link-reciprocal', 2],
      ['link-missing', 4],
      ['link-cycle', [5, 6]],
      ['link-initial', 9],
    ],
  },
  'samples/faults/syntax-error.jsonl': { expect: [['json-syntax', 2]], only: true },
  'samples/faults/timestamps.jsonl': { expect: [['timestamp-order', 1]] },
  'samples/envelopes/faults/kinesis-get-records-schema-error.json': { expect: [['unknown-value', 12]], only: true },
  'samples/faults/flow-lambda-error.jsonl': { expect: [['flow-error', 2]], only: true },
};

test('every sample: the findings samples/README.md promises, and none on clean dumps', async () => {
  // A .gz is binary for the editor: the decoded-view test below opens it.
  const files = (await vscode.workspace.findFiles('samples/**/*', '**/*.md')).filter((u) => !/\/\.[^/]*$/.test(u.path) && !/\.gz$/.test(u.path));
  assert.ok(files.length > 0, 'no samples found');
  const problems = [];
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > 5_000_000) continue; // large bench-style dumps are not what this checks
    const rel = vscode.workspace.asRelativePath(uri);
    const changed = h.diagnosticsChange(uri);
    const { doc } = await h.openInEditor(uri);
    const faulty = /(^|\/)faults\//.test(rel);
    // The stand-in (harness self-check) has its own tiny samples, not the README's.
    const spec = isStandin() ? undefined : FAULTS[rel];
    /** @param {vscode.Diagnostic} d @param {[string, number | number[]]} e */
    const matches = (d, [code, line]) => h.codeOf(d) === code && [line].flat().includes(d.range.start.line + 1);
    if (faulty) {
      const done = () => (spec ? spec.expect.every((e) => h.ours(uri).some((d) => matches(d, e))) : h.ours(uri).length > 0);
      await h.waitFor(done, { timeoutMs: 30_000, what: `the findings of ${rel}` }).catch(() => undefined);
    } else {
      await changed;
    }
    const diags = h.ours(uri);
    const have = diags.map(h.fmtDiag).join(' | ') || 'none';
    for (const d of diags) {
      const code = h.codeOf(d);
      if (!code || !KNOWN_CODES.has(code)) problems.push(`${rel}: unknown code ${h.fmtDiag(d)}`);
      if (!doc.validateRange(d.range).isEqual(d.range)) problems.push(`${rel}: range outside the document ${h.fmtDiag(d)}`);
    }
    if (!faulty) {
      if (diags.length) problems.push(`${rel} (clean): ${have}`);
    } else if (spec) {
      for (const e of spec.expect)
        if (!diags.some((d) => matches(d, e))) problems.push(`${rel}: missing ${e[0]} on line ${[e[1]].flat().join(' or ')}; have: ${have}`);
      if (spec.only) {
        for (const d of diags) if (!spec.expect.some((e) => matches(d, e))) problems.push(`${rel}: unexpected ${h.fmtDiag(d)}`);
      }
    } else if (!diags.length) {
      problems.push(`${rel}: a faulty sample with no findings`);
    }
  }
  await h.closeAllEditors();
  assert.deepEqual(problems, []);
});

test(`${CLEAN}: a clean dump gets no error diagnostics`, async () => {
  const uri = h.sampleUri(CLEAN);
  // Still open from the previous test: it was analysed then, and no new publish will come.
  const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  const changed = h.diagnosticsChange(uri);
  await h.openInEditor(uri);
  if (!wasOpen) await changed;
  const errors = h.ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert.deepEqual(errors.map(h.fmtDiag), []);
});

test('hover on a contact State value shows its documentation', async () => {
  // Any sample with a contact in state CONNECTED will do; prefer the clean chain.
  // Prefer the clean agent-event sample; any sample with a contact in CONNECTED will do.
  const files = (await vscode.workspace.findFiles('samples/**/*', '**/*.md')).sort(
    (a, b) =>
      Number(!a.path.endsWith('/transfer-chain-agent-events.jsonl')) - Number(!b.path.endsWith('/transfer-chain-agent-events.jsonl')) ||
      a.path.localeCompare(b.path),
  );
  let found;
  for (const uri of files) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const at = h.groupOffset(text, /"State"\s*:\s*"(CONNECTED)"/d);
    if (at) {
      found = { uri, at };
      break;
    }
  }
  assert.ok(found, 'no sample has "State": "CONNECTED"');
  const { doc } = await h.openInEditor(found.uri);
  const pos = doc.positionAt(found.at.start + 3);
  const text = await h.waitFor(
    async () => {
      const hovers = /** @type {vscode.Hover[]} */ (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
      const t = h.hoverText(hovers);
      return /accepted/i.test(t) ? t : '';
    },
    {
      timeoutMs: 30_000,
      intervalMs: 300,
      what: `a hover mentioning "accepted" at ${vscode.workspace.asRelativePath(doc.uri)}:${pos.line + 1}:${pos.character + 1}`,
    },
  );
  assert.match(text, /CONNECTED|connected/);
});

test(`${CLEAN}: go to definition on NextContactId lands on that contact's record`, async () => {
  const uri = h.sampleUri(CLEAN);
  const { doc } = await h.openInEditor(uri);
  const text = doc.getText();
  const next = h.groupOffset(text, /"NextContactId"\s*:\s*"([^"]+)"/d);
  assert.ok(next, `${CLEAN} should have a NextContactId`);
  const escaped = next.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const target = h.groupOffset(text, new RegExp(`"ContactId"\\s*:\\s*"(${escaped})"`, 'd'));
  assert.ok(target, `${CLEAN} should hold the record of contact ${next.value}`);
  const targetLine = doc.positionAt(target.start).line;
  const pos = doc.positionAt(next.start + 2);
  const locations = await h.waitFor(
    async () => {
      const res = /** @type {(vscode.Location | vscode.LocationLink)[]} */ (
        await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, pos)
      );
      return res && res.length ? res.map(h.normLocation) : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 300, what: `a definition for NextContactId ${next.value}` },
  );
  const hit = locations.find((l) => l.uri.toString() === doc.uri.toString() && l.range.start.line === targetLine);
  assert.ok(
    hit,
    `expected a location on line ${targetLine + 1} of ${CLEAN}; got ${locations.map((l) => `${vscode.workspace.asRelativePath(l.uri)}:${h.fmtRange(l.range)}`).join(', ')}`,
  );
});

test('timeline command opens the Contact Timeline webview for the contact under the cursor', async () => {
  const uri = h.sampleUri(CLEAN);
  const { doc, editor } = await h.openInEditor(uri);
  const at = h.groupOffset(doc.getText(), /"ContactId"\s*:\s*"([^"]+)"/d);
  assert.ok(at, 'no ContactId in the clean sample');
  const pos = doc.positionAt(at.start);
  editor.selection = new vscode.Selection(pos, pos);
  await vscode.commands.executeCommand(h.SHOW_TIMELINE_COMMAND);
  const tab = await h.waitFor(
    () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Contact Timeline')),
    { timeoutMs: 30_000, what: 'a webview tab titled "Contact Timeline..."' },
  );
  assert.ok(tab.label.startsWith('Contact Timeline'));
  await vscode.window.tabGroups.close(tab);
});

test('diagnostics follow an edit that introduces a bad enum value, and clear when it is undone', async () => {
  const uri = h.sampleUri(CLEAN);
  const { doc } = await h.openInEditor(uri);
  const ch = h.groupOffset(doc.getText(), /"Channel"\s*:\s*"([A-Z_]+)"/d);
  assert.ok(ch, 'no Channel value in the clean sample');
  const original = ch.value;
  const range = new vscode.Range(doc.positionAt(ch.start), doc.positionAt(ch.end));
  const bad = 'CARRIER_PIGEON';
  const badRange = new vscode.Range(range.start, range.start.translate(0, bad.length));
  const before = h.ours(uri).filter((d) => d.range.intersection(badRange)).length;
  assert.equal(before, 0, 'the clean value already had a diagnostic');

  let edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, bad);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
  const diag = await h.waitFor(() => h.ours(uri).find((d) => h.codeOf(d) === 'unknown-value' && d.range.contains(badRange)), {
    timeoutMs: 30_000,
    what: `an unknown-value diagnostic on ${bad} at ${h.fmtRange(badRange)}; have: ${h.ours(uri).map(h.fmtDiag).join(' | ')}`,
  });
  assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);

  edit = new vscode.WorkspaceEdit();
  edit.replace(uri, badRange, original);
  assert.ok(await vscode.workspace.applyEdit(edit), 'undo edit failed');
  await h.waitFor(() => !h.ours(uri).some((d) => d.range.intersection(range) && h.codeOf(d) === 'unknown-value'), {
    timeoutMs: 30_000,
    what: 'the unknown-value diagnostic to go away after restoring the value',
  });
  await vscode.commands.executeCommand('workbench.action.files.revert');
});

test('an unrelated JSON file (package.json-like) gets no diagnostics from us', async () => {
  // Outside the workspace, so that running the suite on the repository itself leaves no file.
  const dir = vscode.Uri.file(require('node:path').join(require('node:os').tmpdir(), `cei-e2e-unrelated-${process.pid}`));
  const uri = vscode.Uri.joinPath(dir, 'package.json');
  const content = JSON.stringify(
    { name: 'not-a-dump', version: '1.0.0', description: 'has State and Channel words', scripts: { State: 'CONNECTED', Channel: 'VIDEO' }, dependencies: {} },
    null,
    2,
  );
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content + '\n'));
  const changed = h.diagnosticsChange(uri, 5_000);
  await h.openInEditor(uri);
  await changed;
  try {
    assert.deepEqual(h.ours(uri).map(h.fmtDiag), []);
  } finally {
    await h.closeAllEditors();
    await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
  }
});

// Generated at test time by test/e2e/lib/largeDump.mjs (over 10 MB, with a few planted faults).
const LARGE_DUMP = 'large/connect-export.jsonl';

test('Analyze Dump File on a dump that is not open: its findings in Problems, re-analysed when it changes on disk, gone when cleared', async () => {
  if (isStandin()) return; // the stand-in has no analysis
  const fs = require('node:fs');
  const source = h.sampleUri(LARGE_DUMP);
  assert.ok(await h.exists(source), `${LARGE_DUMP} is missing: the e2e runner generates it into the workspace`);
  // A copy: the UI part of the run opens the original as a new user would.
  const uri = h.sampleUri('large/suite-copy.jsonl');
  await vscode.workspace.fs.copy(source, uri, { overwrite: true });
  const file = uri.fsPath;
  try {
    /** @type {unknown} */
    const answer = await vscode.commands.executeCommand('connectInspector.analyzeFile', uri);
    const [result] = /** @type {[import('../../../server/src/shared/protocol').AnalyzeFileResult | undefined]} */ (answer);
    assert.ok(result && !result.error, `no result: ${result?.error}`);
    if (!result) return;
    assert.ok(result.total > 0, 'the planted faults were not found');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the analysis opened the file as a document');
    const expected = result.findings.length + (result.omitted > 0 ? 1 : 0);
    const diags = await h.waitFor(() => (h.ours(uri).length === expected ? h.ours(uri) : undefined), {
      timeoutMs: 10_000,
      what: `${expected} diagnostics for ${result.total} findings; have ${h.ours(uri).length}`,
    });
    const byLine = new Set(result.findings.map((f) => `${f.code}:${f.range.start.line}`));
    for (const d of diags) {
      assert.ok(h.codeOf(d), `no code: ${h.fmtDiag(d)}`);
      if (h.codeOf(d) !== 'too-many-findings') assert.ok(byLine.has(`${h.codeOf(d)}:${d.range.start.line}`), `not a finding of the analysis: ${h.fmtDiag(d)}`);
    }

    const text = fs.readFileSync(file, 'utf8');
    // Where VS Code would ask before opening the file (code-server: over 10 MB), each entry
    // also links its record alone, read from disk, with the cursor on the finding.
    const limitMb = vscode.workspace.getConfiguration('workbench').get('editorLargeFileConfirmation');
    const asks = result.size > Math.min(50 * 1048576, typeof limitMb === 'number' ? limitMb * 1048576 : Infinity);
    const excerptOf = (/** @type {import('vscode').Diagnostic} */ d) =>
      d.relatedInformation?.find((r) => r.location.uri.scheme === 'connect-inspector-excerpt');
    const linked = diags.filter(excerptOf);
    assert.equal(
      linked.length,
      asks ? result.findings.length : 0,
      `excerpt links on ${linked.length} entries; editorLargeFileConfirmation ${limitMb} MB, file ${result.size} bytes`,
    );
    if (asks) {
      const d = linked.find((x) => x.range.start.line === x.range.end.line) ?? linked[0];
      const link = excerptOf(d);
      assert.ok(link, 'an excerpt link');
      const excerpt = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(link.location.uri));
      const lines = text.split('\n');
      const want = lines[d.range.start.line].slice(d.range.start.character, d.range.start.line === d.range.end.line ? d.range.end.character : undefined);
      assert.ok(excerpt.document.getText().includes(lines[d.range.start.line].slice(0, 300)), "the excerpt does not hold the finding's line");
      await h.waitFor(() => excerpt.document.getText(excerpt.selection) === want, {
        timeoutMs: 5_000,
        what: `the cursor on ${JSON.stringify(want.slice(0, 60))} in the excerpt; selected ${JSON.stringify(excerpt.document.getText(excerpt.selection).slice(0, 60))}`,
      });
      await h.closeAllEditors();
    }

    // Rewritten on disk: one more record with an impossible Channel, at the end.
    const parse = (/** @type {string} */ line) => {
      try {
        return JSON.parse(line);
      } catch {
        return undefined; // a planted json-syntax fault
      }
    };
    // A contact record (agent events mention InitiationMethod inside their snapshots too).
    const record = text
      .split('\n')
      .filter((l) => l.includes('"AWSContactTraceRecordFormatVersion"'))
      .map(parse)
      .find((r) => r && 'Channel' in r);
    assert.ok(record, 'no contact record in the generated dump');
    record.ContactId = require('node:crypto').randomUUID();
    record.Channel = 'CARRIER_PIGEON';
    const lastLine = (text.endsWith('\n') ? text : `${text}\n`).split('\n').length - 1;
    fs.writeFileSync(file, `${text.endsWith('\n') ? text : `${text}\n`}${JSON.stringify(record)}\n`);
    const fresh = await h.waitFor(() => h.ours(uri).find((d) => /CARRIER_PIGEON/.test(d.message)), {
      timeoutMs: 30_000,
      what: 'a diagnostic on CARRIER_PIGEON after the file changed on disk',
    });
    assert.equal(fresh.range.start.line, lastLine, h.fmtDiag(fresh));
    assert.equal(h.codeOf(fresh), 'unknown-value');

    await vscode.commands.executeCommand('connectInspector.fileFindings.clear');
    await h.waitFor(() => h.ours(uri).length === 0, { timeoutMs: 5_000, what: 'the streamed diagnostics to go when the findings are cleared' });
    // Cleared means no longer watched: another change on disk brings nothing back (the
    // re-analysis would come after 1.5 s of quiet plus about 1 s of reading).
    fs.appendFileSync(file, `${JSON.stringify({ ...record, ContactId: require('node:crypto').randomUUID() })}\n`);
    await new Promise((r) => setTimeout(r, 5_000));
    assert.deepEqual(h.ours(uri).map(h.fmtDiag), [], 'the file was analysed again after its findings were cleared');
  } finally {
    await vscode.workspace.fs.delete(uri, { useTrash: false });
  }
});

test('Show Contact Timeline from File: a contact of the large dump and its chain, read from disk; an unknown contact says so', async () => {
  if (isStandin()) return; // the stand-in has no file timeline
  const uri = h.sampleUri(LARGE_DUMP);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  // A contact record that links to the next leg of its chain (the generator writes transfers).
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /"AWSContactTraceRecordFormatVersion"/.test(l) && /"NextContactId":"[^"]+"/.test(l));
  assert.ok(at >= 0, 'no chained contact record in the generated dump');
  const record = JSON.parse(lines[at]);
  /** @type {unknown} */
  const answer = await vscode.commands.executeCommand('connectInspector.showFileTimeline', uri, record.ContactId);
  const result = /** @type {import('../../../server/src/shared/protocol').FileTimelineResult | undefined} */ (answer);
  assert.ok(result && result.kind === 'model', `no timeline: ${JSON.stringify(result).slice(0, 300)}`);
  if (result.kind !== 'model') return;
  const legs = result.model.lanes.filter((l) => l.kind === 'leg');
  assert.ok(legs.length >= 2, `the chain's next leg is drawn too: ${legs.map((l) => l.title).join(', ')}`);
  assert.ok(
    legs.some((l) => l.contactId === record.NextContactId),
    'the next leg, found by a second pass',
  );
  assert.ok(result.model.explain && result.model.explain.sentences.length > 0, 'an Explain section');
  const self = result.records.find((r) => r.range.start.line === at);
  assert.ok(self, `the contact record at line ${at + 1} is among the records the bars point at`);
  assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file was opened as a document');
  await h.waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /^Contact Timeline/.test(t.label))), {
    timeoutMs: 10_000,
    what: 'the timeline panel',
  });

  // From a related location in Dump File Findings (as its context menu hands it over): the related record's contact.
  const links = h.sampleUri('samples/faults/broken-links.jsonl');
  const [analysed] = /** @type {import('../../../server/src/shared/protocol').AnalyzeFileResult[]} */ (
    await vscode.commands.executeCommand('connectInspector.analyzeFile', links)
  );
  const reciprocal = analysed.findings.find((f) => f.related?.length);
  assert.ok(reciprocal?.related, `a finding with a related location: ${analysed.findings.map((f) => f.code).join(', ')}`);
  const linesOfLinks = new TextDecoder().decode(await vscode.workspace.fs.readFile(links)).split('\n');
  const relatedContact = JSON.parse(linesOfLinks[reciprocal.related[0].range.start.line]).ContactId;
  const ownContact = JSON.parse(linesOfLinks[reciprocal.range.start.line]).ContactId;
  assert.notEqual(relatedContact, ownContact);
  /** @type {unknown} */
  const fromRelated = await vscode.commands.executeCommand('connectInspector.showFileTimeline', { result: analysed, finding: reciprocal, index: 0 });
  const related = /** @type {import('../../../server/src/shared/protocol').FileTimelineResult | undefined} */ (fromRelated);
  assert.ok(related?.kind === 'model', `no timeline from the related location: ${JSON.stringify(related).slice(0, 300)}`);
  assert.equal(related.model.contactId, relatedContact);

  /** @type {unknown} */
  const none = await vscode.commands.executeCommand('connectInspector.showFileTimeline', uri, 'ffffffff-0000-4000-8000-000000000000');
  assert.deepEqual(none, {
    kind: 'empty',
    contactId: 'ffffffff-0000-4000-8000-000000000000',
    message: 'No record in connect-export.jsonl mentions contact ffffffff-0000-4000-8000-000000000000.',
  });
  await h.closeAllEditors();
});

const ENVELOPE_FAULT = 'samples/envelopes/faults/kinesis-get-records-schema-error.json';

/**
 * Runs Open Decoded Records on `uri` and returns the view's document once it is the active editor.
 * @param {import('vscode').Uri} uri
 */
async function openDecodedView(uri) {
  await vscode.commands.executeCommand('connectInspector.openDecodedRecords', uri);
  const editor = await h.waitFor(
    () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.scheme === 'connect-decoded' ? e : undefined;
    },
    { timeoutMs: 30_000, what: `the decoded view of ${uri.path}` },
  );
  return editor.document;
}

test(`${ENVELOPE_FAULT}: the finding sits on the encoded Data string; the decoded view shows it on the value`, async () => {
  if (isStandin()) skip('the stand-in reads no envelopes');
  const uri = h.sampleUri(ENVELOPE_FAULT);
  const { doc } = await h.openInEditor(uri);
  const diag = await h.waitFor(() => h.ours(uri).find((d) => h.codeOf(d) === 'unknown-value'), {
    timeoutMs: 30_000,
    what: `an unknown-value finding in ${ENVELOPE_FAULT}`,
  });
  assert.equal(diag.range.start.line, 11);
  assert.match(diag.message, /^Data → "VIDEO" is not one of the Channel values documented/);
  const encoded = doc.getText(diag.range);
  assert.ok(/^"[A-Za-z0-9+/=]+"$/.test(encoded), `the range is the whole Data string: ${encoded.slice(0, 40)}`);
  const lenses = /** @type {vscode.CodeLens[]} */ (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri));
  assert.ok(
    lenses.some((l) => l.command?.command === 'connectInspector.openDecodedRecords'),
    'a CodeLens opens the decoded records',
  );

  const view = await openDecodedView(uri);
  assert.equal(view.lineCount >= 2, true);
  assert.match(view.lineAt(1).text, /"Channel":"VIDEO"/);
  const inView = await h.waitFor(() => h.ours(view.uri).find((d) => h.codeOf(d) === 'unknown-value'), {
    timeoutMs: 30_000,
    what: 'the unknown-value finding in the decoded view',
  });
  assert.equal(inView.range.start.line, 1);
  assert.equal(view.getText(inView.range), '"VIDEO"');
  await h.closeAllEditors();
});

test('a .gz file: Open Decoded Records shows its records with their findings', async () => {
  if (isStandin()) skip('the stand-in reads no gzip');
  const zlib = require('node:zlib');
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(h.sampleUri('samples/faults/schema-errors.jsonl')));
  const first = text.split('\n')[0]; // "Channel": "VIDEO"
  const clean = new TextDecoder().decode(await vscode.workspace.fs.readFile(h.sampleUri('samples/transfer-chain.jsonl'))).split('\n')[0];
  const gz = h.sampleUri('samples/envelopes/e2e-faulty.gz');
  // Two gzip members, a NUL between the records, as Firehose writes them to S3.
  await vscode.workspace.fs.writeFile(gz, Buffer.concat([zlib.gzipSync(clean), zlib.gzipSync('\0' + first)]));
  try {
    const view = await openDecodedView(gz);
    assert.equal(view.getText().trim().split('\n').length, 2);
    const diag = await h.waitFor(() => h.ours(view.uri).find((d) => h.codeOf(d) === 'unknown-value'), {
      timeoutMs: 30_000,
      what: 'an unknown-value finding in the decoded .gz',
    });
    assert.equal(diag.range.start.line, 1);
    assert.equal(view.getText(diag.range), '"VIDEO"');
  } finally {
    await h.closeAllEditors();
    await vscode.workspace.fs.delete(gz);
  }
});

test('a language server that dies is restarted quietly and diagnostics come back', async () => {
  const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  assert.ok(ext);
  const servers = () => (h.processesUnder(ext.extensionPath) ?? []).filter((p) => p.includes('server.js'));
  if (h.processesUnder(ext.extensionPath) === undefined) skip('cannot list processes on this platform');
  const before = servers();
  assert.ok(before.length > 0, 'no language server is running');
  for (const p of before) process.kill(Number(p.split(':')[0]), 'SIGKILL');
  const pids = new Set(before.map((p) => p.split(':')[0]));
  await h.waitFor(() => servers().some((p) => !pids.has(p.split(':')[0])), { timeoutMs: 30_000, what: 'a new language server process' });

  // The new server works: an edit gets a fresh diagnostic.
  const uri = h.sampleUri(CLEAN);
  const { doc } = await h.openInEditor(uri);
  const ch = h.groupOffset(doc.getText(), /"Channel"\s*:\s*"([A-Z_]+)"/d);
  assert.ok(ch);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(ch.start), doc.positionAt(ch.end)), 'SMOKE_SIGNAL');
  assert.ok(await vscode.workspace.applyEdit(edit));
  try {
    await h.waitFor(() => h.ours(uri).some((d) => h.codeOf(d) === 'unknown-value' && /SMOKE_SIGNAL/.test(d.message)), {
      timeoutMs: 30_000,
      what: 'an unknown-value diagnostic from the restarted server',
    });
  } finally {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await h.closeAllEditors();
  }
});
