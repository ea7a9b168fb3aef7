// What every LSP feature gets: the connection, the open documents and their analyses.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DumpStore } from './dumpStore';
import type { Settings } from './settings';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  store: DumpStore;
  settings(): Settings;
}
