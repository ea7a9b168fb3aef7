// The messages between the workspace index (main thread) and its reader (a worker thread):
// the main thread asks for one file at a time; the worker answers with the records' facts
// in batches (each one quick to receive, so hovers keep being answered), then the file's
// outline. Plain data only: it is copied between threads.
import type { EnvelopeKind, DecodeLimits } from '../core/envelopes';
import type { DumpFormat, Finding, RecordKind } from '../core/types';

export interface ReadFileRequest {
  id: number;
  uri: string;
  file: string;
  limits: DecodeLimits;
}

/**
 * Main thread -> worker: a file to read, or an acknowledgement of one batch of records. The
 * worker keeps at most BATCHES_IN_FLIGHT batches unacknowledged, and the main thread
 * acknowledges a batch only after a turn of its event loop: otherwise the batches of a
 * whole file would queue up and be received in one go, and a hover would wait behind them.
 */
export type ReaderRequest = ({ type: 'read' } & ReadFileRequest) | { type: 'ack' };

export const BATCHES_IN_FLIGHT = 2;

/** One record's place and facts (core/compactValue.ts). */
export interface CompactRecord {
  index: number;
  start: number;
  end: number;
  kind: RecordKind | undefined;
  value: unknown;
}

export interface DumpOutline {
  uri: string;
  format: DumpFormat;
  syntaxFindings: Finding[];
}

export type ReaderMessage =
  | {
      id: number;
      type: 'records';
      part: 'dump' | 'decoded';
      /** CompactRecord[] as JSON: a string crosses threads as one copy, and JSON.parse reads it faster than the structured clone of the objects would. */
      json: string;
      /** Key lists first used by these records (core/compactValue.ts KeyLists). */
      keyLists: [number, string[]][];
    }
  | {
      id: number;
      type: 'done';
      /** The file holds no Connect record (nothing else of it was sent). */
      notADump?: true;
      dump?: DumpOutline;
      /** The text, for files that are not plain text on disk (gzip, envelopes): read back from disk, it would need decoding again. */
      text?: string;
      decoded?: DumpOutline & { kind: EnvelopeKind; envelopeRecords: number[]; text: string };
    }
  | { id: number; type: 'error'; message: string };

/** Records per message: the main thread reads a batch in a few milliseconds, so a hover waits no longer. */
export const RECORDS_PER_MESSAGE = 100;
