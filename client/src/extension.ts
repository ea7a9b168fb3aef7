// Starts the language server and wires the client-side features: status bar, timeline.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { DocumentStatsNotification } from '../../server/src/shared/protocol';
import { registerAnalyzeFile } from './analyzeFileView';
import { StatusBar } from './statusBar';
import { TimelinePanel } from './timelinePanel';

let client: LanguageClient | undefined;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'json' }, { scheme: 'file', language: 'jsonl' }, { scheme: 'file', language: 'connect-firehose' },
  { scheme: 'untitled', language: 'json' }, { scheme: 'untitled', language: 'jsonl' }, { scheme: 'untitled', language: 'connect-firehose' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Connect Event Inspector', { log: true });
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'connectInspector' },
    outputChannel: output,
    // Restarts are reported once in the output channel rather than as a flood of notifications.
    connectionOptions: { maxRestartCount: 5 },
  };
  client = new LanguageClient('connectInspector', 'Connect Event Inspector', serverOptions, clientOptions);

  const statusBar = new StatusBar();
  context.subscriptions.push(statusBar);
  const timeline = new TimelinePanel(context, client);
  context.subscriptions.push(timeline);
  registerAnalyzeFile(context, client);
  context.subscriptions.push(
    // From the palette or context menu: no arguments; from a CodeLens: the document URI (a string) and a contact ID.
    vscode.commands.registerCommand('connectInspector.showTimeline', (uri?: vscode.Uri | string, contactId?: unknown) =>
      timeline.show(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined, typeof contactId === 'string' ? contactId : undefined)),
    vscode.commands.registerCommand('connectInspector.showOutput', () => output.show()),
    vscode.window.registerWebviewPanelSerializer(TimelinePanel.viewType, timeline),
  );

  await client.start();
  context.subscriptions.push(client.onNotification(DocumentStatsNotification.type, (stats) => statusBar.update(stats)));
  output.info(`Connect Event Inspector started (VS Code ${vscode.version}).`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
