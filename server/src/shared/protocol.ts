// The custom LSP protocol between the client and the server, imported by both sides
// (in the spirit of vscode-eslint's customMessages.ts and rust-analyzer's lsp_ext.ts).
import type { EmptyReason, TimelineModel } from './timeline';
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export const DIAGNOSTIC_SOURCE = 'connect-inspector';

/** Where each finding code is documented (the README has one section per code). */
export function findingHelpUrl(code: string): string {
  return `https://github.com/connect-event-inspector/connect-event-inspector#finding-${code}`;
}

export interface DocumentStats {
  uri: string;
  /** False for JSON documents that are not Amazon Connect dumps (they get no findings). */
  isDump: boolean;
  format: string;
  records: number;
  kinds: { agentEvent: number; contactRecord: number; unknown: number };
  findings: { error: number; warning: number; information: number; hint: number };
}

/** Sent by the server after each analysis of an open document, for the status bar. */
export namespace DocumentStatsNotification {
  export const type = new NotificationType<DocumentStats>('connectInspector/documentStats');
}

export interface TimelineParams {
  uri: string;
  /** The cursor, as an LSP position. */
  position: { line: number; character: number };
  /** Set to draw a given contact rather than the one under the cursor. */
  contactId?: string;
}

export namespace TimelineRequest {
  // The result type is declared in shared/timeline.ts (the model the webview draws).
  export const method = 'connectInspector/timeline';
}

export type TimelineResult =
  | { kind: 'model'; model: TimelineModel }
  | { kind: 'empty'; reason: EmptyReason; contactId?: string }
  | { kind: 'error'; message: string };
