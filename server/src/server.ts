// The language server: thin wiring of the analysis core to LSP, one feature per file in lsp/.
// `node dist/server.js --stdio` serves LSP over stdio (tests, other editors); VS Code uses IPC.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { registerAnalyzeFile } from './lsp/analyzeFile';
import { registerCodeActions } from './lsp/codeActions';
import { registerCodeLens } from './lsp/codeLens';
import { registerContactHover } from './lsp/contactHover';
import type { ServerContext } from './lsp/context';
import { registerDecodedRecords } from './lsp/decoded';
import { registerDefinition } from './lsp/definition';
import { registerExplain } from './lsp/explain';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { DumpStore, trackEdits } from './lsp/dumpStore';
import { registerHover } from './lsp/hover';
import { registerReferences } from './lsp/references';
import { DEFAULT_SETTINGS, readSettings, Settings } from './lsp/settings';
import { registerSniffFile } from './lsp/sniffFile';
import { registerSymbols } from './lsp/symbols';
import { registerTimeline } from './lsp/timeline';
import { registerWorkspaceIndex, workspaceIndexCapabilities } from './lsp/workspaceIndex';
import { CONFIGURATION_SECTION } from './shared/ids';

const connection = createConnection(ProposedFeatures.all);
const store = new DumpStore();
const documents = new TextDocuments(trackEdits(store)); // tells the store where each edit fell
let settings: Settings = readSettings(DEFAULT_SETTINGS);
let canPullConfiguration = false;

const ctx: ServerContext = { connection, documents, store, settings: () => settings };
const publisher = new DiagnosticsPublisher(ctx);
const workspaceIndex = registerWorkspaceIndex(ctx, () => publisher.publishAll());

connection.onInitialize((params) => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  settings = readSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: { label: 'Connect contacts' },
      ...workspaceIndexCapabilities(params),
    },
    serverInfo: { name: 'connect-event-inspector' },
  };
});

/**
 * The one settings flow: the client pushes `{ connectInspector: {...} }` with
 * workspace/didChangeConfiguration (vscode-languageclient's `synchronize.configurationSection`);
 * a push without them (other editors send `{}` or null) makes the server pull them once.
 * Every feature reads ctx.settings(); the index and the diagnostics follow a change here.
 */
async function loadSettings(pushed: unknown): Promise<void> {
  if (pushed && typeof pushed === 'object') {
    settings = readSettings(pushed);
  } else if (canPullConfiguration) {
    try {
      settings = readSettings(await connection.workspace.getConfiguration(CONFIGURATION_SECTION));
    } catch (e) {
      connection.console.log(`Could not read the settings, keeping the previous ones (${String(e)}).`);
    }
  }
  workspaceIndex.settingsChanged(settings);
  publisher.publishAll();
}

connection.onInitialized(() => void loadSettings(undefined).then(() => workspaceIndex.start(settings)));
connection.onDidChangeConfiguration((change) => {
  void loadSettings((change.settings as Record<string, unknown> | null | undefined)?.[CONFIGURATION_SECTION]);
});

// Fires on open too: a document seen for the first time is analysed at once, edits are debounced.
documents.onDidChangeContent((e) => publisher.schedule(e.document, !ctx.store.has(e.document.uri)));
documents.onDidClose((e) => {
  ctx.store.forget(e.document.uri);
  publisher.clear(e.document.uri);
  publisher.schedule(e.document);
});

registerHover(ctx);
registerCodeActions(ctx);
registerTimeline(ctx);
registerExplain(ctx);
registerCodeLens(ctx);
registerContactHover(ctx);
registerDefinition(ctx);
registerReferences(ctx);
registerSymbols(ctx);
registerAnalyzeFile(ctx);
registerSniffFile(ctx);
registerDecodedRecords(ctx);

documents.listen(connection);
connection.listen();
