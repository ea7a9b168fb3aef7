// Shared vocabulary of the analysis core. No vscode / LSP imports here: the core works
// in character offsets into a document's text; the LSP layer turns them into ranges.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Stable finding codes (see DESIGN.md section 3). Users filter and configure by them. */
export const FINDING_CODES = [
  'json-syntax',
  'schema',
  'unknown-record',
  'state-transition',
  'link-reciprocal',
  'link-missing',
  'link-cycle',
  'link-initial',
  'timestamp-order',
  'heartbeat-gap',
  'duplicate-id',
  'too-many-findings',
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
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** A span of text in one document, as UTF-16 offsets (what JS strings and LSP use). */
export interface Span {
  start: number;
  end: number;
}

export interface RelatedLocation extends Span {
  /** The document the related span lives in. */
  uri: string;
  message: string;
}

export interface Finding extends Span {
  code: FindingCode;
  severity: Severity;
  message: string;
  related?: RelatedLocation[];
  /** Machine-readable data for quick fixes (e.g. the replacement text). */
  fix?: { title: string; replacement: string };
}

/**
 * What a record is. `contactEvent`: an EventBridge "Amazon Connect Contact Event" (envelope or
 * bare `detail`); `flowLog`: one contact flow log entry; `apiContact`: `describe-contact` output.
 */
export type RecordKind = 'agentEvent' | 'contactRecord' | 'contactEvent' | 'flowLog' | 'apiContact' | 'unknown';

export type DumpFormat = 'empty' | 'object' | 'array' | 'jsonl' | 'concatenated';

/** One record of a dump: its text span and, when it parsed, its value. */
export interface DumpRecord {
  /** Ordinal of the record in its document. */
  index: number;
  /** Offsets of the record's own text (from its first to its last character). */
  start: number;
  end: number;
  /** The parsed value, or undefined when the span is not valid JSON. */
  value: unknown;
  /** undefined when the span did not parse. */
  kind: RecordKind | undefined;
}

export interface Dump {
  uri: string;
  text: string;
  format: DumpFormat;
  records: DumpRecord[];
  /** Findings about the dump's structure (syntax errors between or inside records). */
  syntaxFindings: Finding[];
}

/** A JSON pointer as a list of segments (object keys and array indexes). */
export type JsonPath = (string | number)[];
