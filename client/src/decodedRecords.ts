// "Connect Inspector: Open Decoded Records": a read-only JSON Lines view of the records inside
// a file's envelopes (Kinesis, Lambda, Firehose, CloudWatch) or gzip stream, served by the
// language server. The view is synced to the server like any dump, so its findings, hover,
// go to definition and timeline are those of a bare dump; its CodeLenses lead back to the
// envelope. A `.gz` opens as binary in the editor: the command takes the active tab's file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DECODED_SCHEME, decodedUriOf, isDecodedUri, originalUriOf } from '../../server/src/shared/decodedUri';
import { DecodedRecordsRequest } from '../../server/src/shared/protocol';
import { COMMANDS, INTERNAL_COMMANDS } from '../../server/src/shared/ids';

/** The file the command is about: an argument (CodeLens, explorer), else the active editor or tab. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  if (arg instanceof vscode.Uri) return arg;
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor) return editor;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input && typeof input === 'object' && 'uri' in input && input.uri instanceof vscode.Uri ? input.uri : undefined;
}

export function registerDecodedRecords(context: vscode.ExtensionContext, ready: () => Promise<LanguageClient>): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri) {
      const original = originalUriOf(uri.toString());
      if (!original) return '';
      const client = await ready();
      const result = await client.sendRequest(DecodedRecordsRequest.type, { uri: original });
      if (result.error) void vscode.window.showWarningMessage(`Connect Inspector: ${result.error}`);
      return result.text;
    },
  };

  const open = async (arg?: unknown, line?: unknown) => {
    const uri = targetUri(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('Connect Inspector: open an envelope, dump or .gz file first.');
      return;
    }
    // From a view: it is already the decoded records.
    const viewUri = vscode.Uri.parse(isDecodedUri(uri.toString()) ? uri.toString() : decodedUriOf(uri.toString()));
    let doc = await vscode.workspace.openTextDocument(viewUri);
    if (doc.languageId !== 'jsonl') doc = await vscode.languages.setTextDocumentLanguage(doc, 'jsonl');
    const at = typeof line === 'number' ? new vscode.Position(line, 0) : undefined;
    await vscode.window.showTextDocument(doc, { preview: false, ...(at ? { selection: new vscode.Range(at, at) } : {}) });
  };

  const openEnvelope = async (uri: unknown, line: unknown, character: unknown) => {
    if (typeof uri !== 'string') return;
    const at = new vscode.Position(typeof line === 'number' ? line : 0, typeof character === 'number' ? character : 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at) });
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(DECODED_SCHEME, provider),
    vscode.commands.registerCommand(COMMANDS.openDecodedRecords, open),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.openEnvelope, openEnvelope),
    // The view follows edits of its file.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === DECODED_SCHEME) return;
      const view = decodedUriOf(e.document.uri.toString());
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === vscode.Uri.parse(view).toString())) changed.fire(vscode.Uri.parse(view));
    }),
  );
}
