// The custom LSP protocol between the client and the server, imported by both sides and by
// the tests (in the spirit of vscode-eslint's customMessages.ts and rust-analyzer's
// lsp_ext.ts): every custom request and notification is a typed `RequestType` /
// `NotificationType` here, and nothing else spells its method name.
import type { EmptyReason, TimelineModel } from './timeline';
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

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
  export const method = 'connectInspector/documentStats';
  export const type = new NotificationType<DocumentStats>(method);
}

export interface TimelineParams {
  uri: string;
  /** The cursor, as an LSP position. */
  position: { line: number; character: number };
  /** Set to draw a given contact rather than the one under the cursor. */
  contactId?: string;
}

/** The model the webview draws (declared in shared/timeline.ts), or why there is none. */
export type TimelineResult =
  { kind: 'model'; model: TimelineModel } | { kind: 'empty'; reason: EmptyReason; contactId?: string } | { kind: 'error'; message: string };

/** The timeline of the contact under the cursor (or of `contactId`). */
export namespace TimelineRequest {
  export const method = 'connectInspector/timeline';
  export const type = new RequestType<TimelineParams, TimelineResult, void>(method);
}

// --- Analyze Dump File: files on disk of any size, streamed by the server (issue 6) ---

export interface FilePosition {
  line: number;
  character: number;
}

export interface FileRange {
  start: FilePosition;
  end: FilePosition;
}

export interface AnalyzeFileParams {
  /** A `file:` URI, or `path`. */
  uri?: string;
  path?: string;
  /** Findings returned at most (default: connectInspector.maxFindingsPerDocument); the rest are counted. */
  maxFindings?: number;
  /** Work-done progress token (LSP): the server reports bytes read through it. */
  workDoneToken?: string | number;
}

/** Where a finding sits in bytes, so that an excerpt of the file can be read around it. */
export interface FileFindingSource {
  byte: number;
  record?: { index: number; byteStart: number; byteEnd: number; start: FilePosition };
}

export interface FileFinding {
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: FileRange;
  related?: { uri: string; range: FileRange; message: string; source?: FileFindingSource }[];
  source: FileFindingSource;
}

export interface AnalyzeFileResult {
  uri: string;
  path: string;
  /** Set when the file could not be read; nothing else is meaningful then. */
  error?: string;
  size: number;
  bytesRead: number;
  records: number;
  kinds: { agentEvent: number; contactRecord: number; unknown: number };
  format: string;
  /** Findings kept, in file order: errors first when there are more than the cap. */
  findings: FileFinding[];
  /** All findings found (after severity settings), and how many are not in `findings`. */
  total: number;
  omitted: number;
  counts: { error: number; warning: number; information: number; hint: number };
  /** True when the request was cancelled: the result covers the part read. */
  cancelled: boolean;
  elapsedMs: number;
  /** What the streaming analysis does not check (shown to the user). */
  notChecked: string[];
}

export namespace AnalyzeFileRequest {
  export const method = 'connectInspector/analyzeFile';
  export const type = new RequestType<AnalyzeFileParams, AnalyzeFileResult, void>(method);
}

export interface FileExcerptParams {
  uri: string;
  /** The finding's start, and where it sits in bytes. */
  position: FilePosition;
  source: FileFindingSource;
  /** Lines shown before and after the record (default 3). */
  contextLines?: number;
}

export interface FileExcerptResult {
  text: string;
  /** Line and character in the file of the excerpt's first character. */
  firstLine: number;
  firstCharacter: number;
  /** True when the record was longer than the excerpt can hold. */
  truncated: boolean;
  size: number;
  error?: string;
  /** A gzip file: the record as its line in the decoded view (then `text` is that line). */
  decodedLine?: string;
}

/** Text around a finding of a file too large for the editor, read from disk by the server. */
export namespace FileExcerptRequest {
  export const method = 'connectInspector/fileExcerpt';
  export const type = new RequestType<FileExcerptParams, FileExcerptResult, void>(method);
}

// --- Dumps the editor does not hand over (issue 16) ---

export interface SniffFileParams {
  /** A `file:` URI. */
  uri: string;
}

export interface SniffFileResult {
  /** `dump` only when the first bytes hold an agent event or a contact record. */
  verdict: 'dump' | 'not-dump' | 'unreadable';
  /** Size on disk, in bytes (compressed size for a gzip file). */
  size: number;
  /** The file is gzip-compressed (the head was inflated before the verdict). */
  compressed: boolean;
  /** Why the file is unreadable. */
  error?: string;
}

/** Reads the first bytes of a file on disk (inflated if gzip) and says whether it holds Connect records. */
export namespace SniffFileRequest {
  export const method = 'connectInspector/sniffFile';
  export const type = new RequestType<SniffFileParams, SniffFileResult, void>(method);
}

export interface DecodedRecordsParams {
  /** The original document or file (an envelope file, a `.gz`, any dump). */
  uri: string;
}

export interface DecodedRecordsResult {
  /** The view's URI (`connect-decoded:`, see decodedUri.ts). */
  uri: string;
  /** The decoded records as JSON Lines, one record per line. */
  text: string;
  /** The envelope they came in (`kinesis-get-records`, `gzip`, ...), null for a bare dump. */
  envelope: string | null;
  records: number;
  /** Why nothing (or not everything) could be decoded, for the user. */
  error?: string;
}

/** The decoded records of a file as JSON Lines, for the read-only decoded view. */
export namespace DecodedRecordsRequest {
  export const method = 'connectInspector/decodedRecords';
  export const type = new RequestType<DecodedRecordsParams, DecodedRecordsResult, void>(method);
}

// --- Explain Contact: the narrative of the contact under the cursor, as the command copies it ---

export interface ExplainParams {
  uri: string;
  /** The cursor, as an LSP position. */
  position: { line: number; character: number };
  /** Set to explain a given contact rather than the one under the cursor. */
  contactId?: string;
}

export type ExplainResponse =
  | { kind: 'explained'; contactId: string; markdown: string; text: string }
  | { kind: 'empty'; reason: 'no-contact' | 'not-found'; contactId?: string }
  | { kind: 'error'; message: string };

export namespace ExplainRequest {
  export const method = 'connectInspector/explain';
  export const type = new RequestType<ExplainParams, ExplainResponse, void>(method);
}

// --- The timeline of a contact in a file the editor does not hold (issue 16) ---

export interface FileTimelineParams {
  /** A `file:` URI (a dump of any size, or a `.gz`). */
  uri: string;
  /** The contact to draw. Without it, the contact of `source`'s record. */
  contactId?: string;
  /** A finding of the streamed analysis (Dump File Findings): its record tells the contact. */
  source?: FileFindingSource;
  /** The file's findings from its streamed analysis (Dump File Findings): those in the timeline's records mark its bars. */
  findings?: FileFinding[];
  /** Work-done progress token (LSP): the server reports the passes over the file through it. */
  workDoneToken?: string | number;
}

/** A record the timeline's bars come from: the URI its sources name, and where it is in the file. */
export interface FileTimelineRecord {
  uri: string;
  range: FileRange;
  source: FileFindingSource;
  /** For a gzip file: the record as its line in the decoded view (Open Decoded Records). */
  line?: string;
}

export type FileTimelineResult =
  | {
      kind: 'model';
      model: TimelineModel;
      /** Where each source of the model (bars, markers, explain sentences) is in the file. */
      records: FileTimelineRecord[];
      size: number;
      compressed: boolean;
      /** Passes over the file: the contact's own, then one per round of linked contacts. */
      passes: number;
      truncated: boolean;
    }
  /** The record names several contacts: the client asks which. */
  | { kind: 'choose'; contactIds: string[] }
  | { kind: 'empty'; contactId?: string; message: string }
  | { kind: 'error'; message: string };

/** Streams a file from disk for one contact's records (and its chain's) and builds its timeline with the Explain section. */
export namespace FileTimelineRequest {
  export const method = 'connectInspector/fileTimeline';
  export const type = new RequestType<FileTimelineParams, FileTimelineResult, void>(method);
}
