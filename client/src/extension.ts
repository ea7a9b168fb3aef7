// Wires the client-side features (status bar, timeline, file analysis) and starts the
// language server once a dump needs it: opening an unrelated JSON file starts nothing.
import * as path from 'path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { COMMANDS, CONFIGURATION_SECTION, DUMP_LANGUAGE_IDS, LANGUAGE_CLIENT_ID, LANGUAGES } from '../../server/src/shared/ids';
import { DocumentStatsNotification } from '../../server/src/shared/protocol';
import { DECODED_SCHEME } from '../../server/src/shared/decodedUri';
import { SERVER_EXEC_ARGV } from '../../server/src/shared/serverProcess';
import { registerAnalyzeFile } from './analyzeFileView';
import { registerExplainCommand } from './explainCommand';
import { registerFileTimeline } from './fileTimeline';
import { registerLargeDumpNotice } from './largeDumpNotice';
import { registerDecodedRecords } from './decodedRecords';
import { StatusBar } from './statusBar';
import { TimelinePanel } from './timelinePanel';

let client: LanguageClient | undefined;

/** Fields only Amazon Connect records carry, near the top of a JSON document. */
// Envelope fields too (Kinesis get-records, Lambda, Firehose, CloudWatch Logs): their records are encoded.
const CONNECT_FIELD =
  /"(EventType|AgentARN|CurrentAgentSnapshot|ContactId|InitialContactId|InitiationMethod|AWSContactTraceRecordFormatVersion|SequenceNumber|kinesisSchemaVersion|invocationId|recordId|rawData|awslogs|logEvents|ingestionTime)"\s*:/;

/** Cheap client-side guess; the server decides for real (and ignores JSON that is not a dump). */
export function mayBeDump(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== DECODED_SCHEME) return false;
  if (doc.languageId === 'jsonl' || doc.languageId === LANGUAGES.firehose) return true;
  return doc.languageId === 'json' && CONNECT_FIELD.test(doc.getText(new vscode.Range(0, 0, 400, 0)));
}

export const DOCUMENT_SELECTOR = [
  ...['file', 'untitled'].flatMap((scheme) => DUMP_LANGUAGE_IDS.map((language) => ({ scheme, language }))),
  { scheme: DECODED_SCHEME, language: 'jsonl' }, // decodedRecords.ts: the decoded records of envelopes and .gz files
];

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * A server that dies is restarted and said so once in the output channel, not with a
 * notification each time; only when it keeps dying does the user get one message.
 */
function restartQuietly(output: vscode.LogOutputChannel): NonNullable<LanguageClientOptions['errorHandler']> {
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        output.error(`The language server stopped ${MAX_RESTARTS + 1} times in 3 minutes; it is not restarted again.`);
        return {
          action: CloseAction.DoNotRestart,
          message: 'Connect Event Inspector: the language server keeps stopping; see the output channel. Reload the window to try again.',
        };
      }
      restarts.push(now);
      output.warn('The language server stopped unexpectedly; restarting it.');
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Connect Event Inspector', { log: true });
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // Pushes the settings with workspace/didChangeConfiguration at start and on every change.
    synchronize: { configurationSection: CONFIGURATION_SECTION },
    outputChannel: output,
    connectionOptions: { maxRestartCount: MAX_RESTARTS },
    errorHandler: restartQuietly(output),
  };
  const languageClient = new LanguageClient(LANGUAGE_CLIENT_ID, 'Connect Event Inspector', serverOptions, clientOptions);
  client = languageClient;

  const statusBar = new StatusBar(COMMANDS.analyzeFile);
  context.subscriptions.push(statusBar);
  let starting: Promise<LanguageClient> | undefined;
  const ready = (): Promise<LanguageClient> => {
    starting ??= languageClient.start().then(() => {
      context.subscriptions.push(languageClient.onNotification(DocumentStatsNotification.type, (stats) => statusBar.update(stats)));
      output.info(`Connect Event Inspector language server started (VS Code ${vscode.version}).`);
      return languageClient;
    });
    return starting;
  };
  const timeline = new TimelinePanel(context, ready);
  context.subscriptions.push(timeline);
  const files = registerAnalyzeFile(context, ready, (message) => output.info(message));
  registerLargeDumpNotice(context, ready, statusBar, files, COMMANDS.analyzeFile);
  registerDecodedRecords(context, ready);
  registerFileTimeline(context, ready, timeline, files);
  registerExplainCommand(context, ready);
  context.subscriptions.push(
    // From the palette or context menu: no arguments; from a CodeLens: the document URI (a string) and a contact ID.
    vscode.commands.registerCommand(COMMANDS.showTimeline, (uri?: vscode.Uri | string, contactId?: unknown) =>
      timeline.show(
        typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined,
        typeof contactId === 'string' ? contactId : undefined,
      ),
    ),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
    vscode.window.registerWebviewPanelSerializer(TimelinePanel.viewType, timeline),
  );

  // Start the server for the first document that may be a dump (already open, or opened later).
  const startIfDump = (doc: vscode.TextDocument) => {
    if (starting || !mayBeDump(doc)) return;
    void ready();
    opened.dispose();
    changed.dispose();
  };
  // A pasted dump in an untitled JSON editor counts too.
  const opened = vscode.workspace.onDidOpenTextDocument(startIfDump);
  const changed = vscode.workspace.onDidChangeTextDocument((e) => startIfDump(e.document));
  context.subscriptions.push(opened, changed);
  vscode.workspace.textDocuments.forEach(startIfDump);
  if (!starting) output.info('Connect Event Inspector is idle until an Amazon Connect dump is opened.');
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
