// Helpers shared by the end-to-end tests: polling on real signals (diagnostics, tabs) rather
// than fixed sleeps, and locating values in sample text so the tests do not hard-code
// line/column numbers that would break whenever a sample is edited.
'use strict';

const vscode = require('vscode');

const EXTENSION_ID = 'connect-event-inspector.connect-event-inspector';
const SOURCE = 'connect-inspector';
// The suite runs in the harness extension, which cannot import server/src/shared/ids.ts;
// test/unit/contracts.test.ts checks that every ID spelled here is one that module holds.
const SHOW_TIMELINE_COMMAND = 'connectInspector.showTimeline';

/**
 * Polls `probe` until it returns a truthy value.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [opts]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(probe, opts = {}) {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      last = value;
      if (value) return /** @type {NonNullable<T>} */ (value);
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'condition'}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolves when diagnostics for `uri` change, or after `timeoutMs` (a clean document may get
 * an empty publish, which is still a change event, but a server is free to publish nothing).
 * Subscribe BEFORE the action that should trigger the change.
 * @param {vscode.Uri} uri
 */
function diagnosticsChange(uri, timeoutMs = 10_000) {
  /** @type {vscode.Disposable | undefined} */
  let sub;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const promise = new Promise((resolve) => {
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) resolve(true);
    });
    timer = setTimeout(() => resolve(false), timeoutMs);
  }).finally(() => {
    sub?.dispose();
    clearTimeout(timer);
  });
  return promise;
}

function workspaceRoot() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder that contains samples/');
  return folder.uri;
}

/** @param {string} rel path under the workspace root, e.g. `samples/transfer-chain.jsonl` */
function sampleUri(rel) {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** @param {vscode.Uri} uri */
async function exists(uri) {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Opens a document in an editor, like a user would. @param {vscode.Uri} uri */
async function openInEditor(uri) {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Our diagnostics for `uri` (other extensions' diagnostics are ignored). @param {vscode.Uri} uri */
function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** @param {Pick<vscode.Diagnostic, 'code'>} d */
function codeOf(d) {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Offset of group 1 of the first match of `re` (which must have the `d` flag and a group).
 * @param {string} text
 * @param {RegExp} re
 */
function groupOffset(text, re) {
  const m = re.exec(text);
  if (!m || !m.indices || !m.indices[1]) return undefined;
  return { start: m.indices[1][0], end: m.indices[1][1], value: m[1], match: m };
}

/** @param {vscode.Range} r */
function fmtRange(r) {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** @param {vscode.Diagnostic} d */
function fmtDiag(d) {
  return `[${codeOf(d)}] ${fmtRange(d.range)} ${vscode.DiagnosticSeverity[d.severity]} ${d.message}`;
}

/** Hover contents as plain text. @param {vscode.Hover[]} hovers */
function hoverText(hovers) {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}

/** Location or LocationLink to {uri, range}. @param {vscode.Location | vscode.LocationLink} l */
function normLocation(l) {
  return 'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range };
}

/**
 * Processes whose command line mentions `dir` (the product's language server is forked from
 * the extension's own folder). Linux only (/proc); undefined where that cannot be checked.
 * @param {string} dir
 */
function processesUnder(dir) {
  const fs = require('node:fs');
  if (process.platform !== 'linux' || !fs.existsSync('/proc/self/cmdline')) return undefined;
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmd;
    try {
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    // The whole command line: with a long cache path (an empty HOME under /tmp) a cut one
    // loses the script name that callers look for.
    if (cmd.includes(dir)) found.push(`${entry}: ${cmd}`);
  }
  return found;
}

async function closeAllEditors() {
  // Revert dirty editors (files and untitled) first so closing never stops on a
  // "save changes?" prompt.
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

module.exports = {
  EXTENSION_ID,
  SOURCE,
  SHOW_TIMELINE_COMMAND,
  waitFor,
  diagnosticsChange,
  workspaceRoot,
  sampleUri,
  exists,
  openInEditor,
  ours,
  codeOf,
  groupOffset,
  fmtRange,
  fmtDiag,
  hoverText,
  normLocation,
  processesUnder,
  closeAllEditors,
};
