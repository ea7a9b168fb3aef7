// A file of the workspace index as the rest of the server sees it: an ordinary Dump whose
// records hold only their facts (core/compactValue.ts; any other field is read from the
// record's text on demand) and whose text is read back from disk when a position is needed
// (go to definition, a related location), not kept. Files that are not plain text on disk
// (gzip, envelopes) keep their decoded text, as it would otherwise need decoding again.
import { readFileSync, statSync } from 'node:fs';
import { decodedView, type DecodedView } from '../core/analyze';
import { expandCompact, INDEX_FACTS, type KeyLists } from '../core/compactValue';
import { parseDump } from '../core/dump';
import { decodeEnvelopes, type DecodeLimits, type EnvelopeKind } from '../core/envelopes';
import type { Dump, DumpFormat, DumpRecord, Finding } from '../core/types';
import type { IndexedFile } from './dumpStore';
import type { CompactRecord, DumpOutline } from './indexProtocol';

/** Texts read back from disk, the most recently used last: a few, so that memory stays flat. */
const diskTexts = new Map<string, string>();
const DISK_TEXTS_KEPT = 2;
/** Full values of records parsed again, most recently used last. */
const fullValues = new Map<DumpRecord, unknown>();
const FULL_VALUES_KEPT = 512;

function remember<K, V>(cache: Map<K, V>, key: K, value: V, kept: number): V {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > kept) cache.delete(cache.keys().next().value as K);
  return value;
}

/** The text of a plain file as the index read it; `onStale` when the file changed since (the index reads it again). */
export function diskText(file: string, read: { size: number; mtimeMs: number }, onStale: () => void): () => string {
  return () => {
    const cached = diskTexts.get(file);
    if (cached !== undefined) return remember(diskTexts, file, cached, DISK_TEXTS_KEPT);
    let text = '';
    try {
      const now = statSync(file);
      if (now.size !== read.size || now.mtimeMs !== read.mtimeMs) onStale();
      text = readFileSync(file, 'utf8');
    } catch {
      onStale(); // deleted or unreadable meanwhile: positions fall back to nothing until the index catches up
    }
    return remember(diskTexts, file, text, DISK_TEXTS_KEPT);
  };
}

/** Forgets the text read back for a file (it changed, or the index dropped it). */
export function forgetDiskText(file: string): void {
  diskTexts.delete(file);
}

class IndexedDump implements Dump {
  uri = '';
  format: DumpFormat = 'empty';
  syntaxFindings: Finding[] = [];
  readonly records: DumpRecord[] = [];
  private source: () => string = () => '';

  get text(): string {
    return this.source();
  }

  /** Adds records received from the reader, their facts made readable as full values. */
  add(records: readonly CompactRecord[], lists: KeyLists): void {
    for (const r of records) {
      const record: DumpRecord = { index: r.index, start: r.start, end: r.end, kind: r.kind, value: undefined };
      record.value = r.kind === undefined ? r.value : expandCompact(r.value, INDEX_FACTS[r.kind], lists, () => this.fullValue(record));
      this.records.push(record);
    }
  }

  finish(outline: DumpOutline, source: () => string): this {
    this.uri = outline.uri;
    this.format = outline.format;
    this.syntaxFindings = outline.syntaxFindings;
    this.source = source;
    return this;
  }

  private fullValue(record: DumpRecord): unknown {
    if (fullValues.has(record)) return remember(fullValues, record, fullValues.get(record), FULL_VALUES_KEPT);
    let value: unknown;
    try {
      value = JSON.parse(this.text.slice(record.start, record.end));
    } catch {
      value = undefined; // the file changed under the index: the facts stand until it is read again
    }
    return remember(fullValues, record, value, FULL_VALUES_KEPT);
  }
}

/**
 * One file's records as the reader's messages bring them (each batch made readable as it
 * arrives, so no message costs the main thread more than a batch), then the IndexedFile.
 */
export class IndexedFileBuilder {
  private readonly own = new IndexedDump();
  private readonly decoded = new IndexedDump();

  constructor(private readonly lists: KeyLists) {}

  add(part: 'dump' | 'decoded', records: CompactRecord[]): void {
    (part === 'dump' ? this.own : this.decoded).add(records, this.lists);
  }

  build(
    outline: DumpOutline,
    source: () => string,
    limits: DecodeLimits,
    decoded?: DumpOutline & { kind: EnvelopeKind; envelopeRecords: number[]; text: string },
  ): IndexedFile {
    const dump = this.own.finish(outline, source);
    if (!decoded) return { dump };
    const view = this.decoded.finish(decoded, () => decoded.text);
    return { dump, decoded: indexedView(dump, view, decoded.kind, new Set(decoded.envelopeRecords), limits) };
  }
}

/**
 * The decoded view of an indexed envelope file: its records as facts; the entries (with
 * their values and sources) are decoded again from the file's text when something asks
 * (the lenses of an open view), which is rare.
 */
function indexedView(original: Dump, dump: Dump, kind: EnvelopeKind, envelopeRecords: ReadonlySet<number>, limits: DecodeLimits): DecodedView {
  let full: DecodedView | undefined;
  const decodeAgain = (): DecodedView => {
    if (!full) {
      const envelopes = decodeEnvelopes(parseDump(original.uri, original.text), limits);
      full = envelopes
        ? decodedView(original.uri, envelopes.kind, envelopes.entries, envelopes.envelopeRecords)
        : decodedView(original.uri, kind, [], envelopeRecords);
    }
    return full;
  };
  return {
    kind,
    originalUri: original.uri,
    envelopeRecords,
    dump,
    get entries() {
      return decodeAgain().entries;
    },
    get findings() {
      return decodeAgain().findings;
    },
    entryAt: (offset) => decodeAgain().entryAt(offset),
    toOriginal: (f) => decodeAgain().toOriginal(f),
  };
}
