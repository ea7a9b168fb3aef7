// The analyses of the open documents, cached by version, and the decision of which
// documents are Amazon Connect dumps at all (a package.json must get nothing); merged with
// the dumps the workspace index read from disk (an open document wins over its file).
import { fileURLToPath } from 'node:url';
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisHoldsConnectRecords, analyzeText, DecodedView, DocumentAnalysis, foldEdit, TextEdit } from '../core/analyze';
import { DEFAULT_LIMITS, DecodeLimits } from '../core/envelopes';
import { runWorkspaceRules } from '../core/rules';
import type { Dump, Finding } from '../core/types';
import { decodedUriKey, isDecodedUri } from '../shared/decodedUri';
import { DUMP_LANGUAGE_IDS, LANGUAGES } from '../shared/ids';
import { COLLECT_AFTER_EDITS_OF_BYTES, collectGarbage } from './heap';
import { DumpTextDocument } from './dumpTextDocument';
import { useDocumentPositions } from './ranges';

export const DUMP_LANGUAGES = new Set(DUMP_LANGUAGE_IDS);

/** A file the workspace index read from disk, with the records decoded out of its envelopes. */
export interface IndexedFile {
  dump: Dump;
  decoded?: DecodedView;
}

export interface StoredAnalysis extends DocumentAnalysis {
  version: number;
  /** True when the document holds at least one agent event or contact record. */
  isDump: boolean;
}

/**
 * One key per file whatever spelling of its URI (VS Code writes `file:///c%3A/x`, Node
 * `file:///C:/x`): the file system path, case-folded where the file system ignores case.
 */
export function uriKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    const p = fileURLToPath(uri);
    return process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p;
  } catch {
    return uri;
  }
}

/** The changes of a document since the version the store analysed last: one region, or unknown (a whole-text replacement). */
interface EditLog {
  from: number;
  to: number;
  edit: TextEdit | undefined;
  whole: boolean;
}

export class DumpStore {
  private readonly edits = new Map<string, EditLog>();
  private readonly analyses = new Map<string, StoredAnalysis>();
  /** Dumps read from disk by the workspace index, by uriKey. */
  private readonly indexed = new Map<string, IndexedFile>();
  /**
   * Indexed files that are open: their disk copy is not kept (the open document stands for
   * the file, and a second copy of a 10 MB dump costs as much memory as the first), by uriKey
   * to URI. Closing the document hands the file back to the index (`onReleased`).
   */
  private readonly shadowed = new Map<string, string>();
  /** uriKey of each open document analysed. */
  private readonly openKeys = new Map<string, string>();
  private readonly releaseListeners: ((uri: string) => void)[] = [];
  /** Findings about a decoded view that its text cannot show (a damaged gzip), by decodedUriKey. */
  private readonly viewNotes = new Map<string, Finding[]>();
  /** Decoding limits, from the settings (lsp/decoded.ts keeps them current). */
  limits: () => DecodeLimits = () => DEFAULT_LIMITS;
  private generation = 0;
  private workspaceCache: { generation: number; findings: Map<string, Finding[]> } | undefined;
  private dumpsCache: { generation: number; dumps: Dump[] } | undefined;
  private readonly workspaceQueryListeners: (() => void)[] = [];

  /** The analysis of the document's current version, computed on first need. */
  get(doc: TextDocument): StoredAnalysis | undefined {
    const cached = this.analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const view = isDecodedUri(doc.uri);
    if (!DUMP_LANGUAGES.has(doc.languageId) && !view) return undefined;
    if (!cached) {
      this.shadow(doc.uri);
      // The open's message (its bytes and its JSON, several times the text) and the dropped
      // disk copy are garbage now: collected before the records are read, they are not part of the peak.
      if (doc.getText().length >= COLLECT_AFTER_EDITS_OF_BYTES) collectGarbage();
    }
    const log = this.edits.get(doc.uri);
    this.edits.delete(doc.uri);
    const edit = cached && log && !log.whole && log.from === cached.version && log.to === doc.version ? log.edit : undefined;
    const analysis = analyzeText(doc.uri, doc.getText(), cached, { limits: this.limits(), edit }); // takes over unchanged records
    const notes = view ? this.viewNotes.get(decodedUriKey(doc.uri)) : undefined;
    if (notes) analysis.findings.push(...notes);
    const isDump = view || doc.languageId === LANGUAGES.firehose || analysisHoldsConnectRecords(analysis);
    useDocumentPositions(analysis.dump, doc);
    const stored = { ...analysis, version: doc.version, isDump };
    this.analyses.set(doc.uri, stored);
    this.generation++;
    return stored;
  }

  /**
   * Notes a change of an open document, from its `didChange` (`range`: offsets in the text
   * before it; none: the whole text replaced), so that the next analysis reads only the
   * records around the changes.
   */
  noteChange(uri: string, fromVersion: number, toVersion: number, range: { start: number; end: number; length: number } | undefined): void {
    let log = this.edits.get(uri);
    if (!log || log.to !== fromVersion) log = { from: fromVersion, to: fromVersion, edit: undefined, whole: false };
    log.to = toVersion;
    if (range) log.edit = foldEdit(log.edit, range.start, range.end, range.length);
    else log.whole = true;
    this.edits.set(uri, log);
  }

  forget(uri: string): void {
    this.edits.delete(uri);
    if (this.analyses.delete(uri)) this.generation++;
    const key = uriKey(uri);
    if (this.openKeys.get(key) === uri) this.openKeys.delete(key);
    const file = this.shadowed.get(key);
    if (file !== undefined && !this.openKeys.has(key)) {
      this.shadowed.delete(key);
      for (const listener of this.releaseListeners) listener(file);
    }
  }

  /** The document is open: its file's disk copy, if indexed, is dropped (and marked to be read again on close). */
  private shadow(uri: string): void {
    const key = uriKey(uri);
    this.openKeys.set(key, uri);
    const file = this.indexed.get(key);
    if (file) {
      this.indexed.delete(key);
      this.shadowed.set(key, file.dump.uri);
    }
  }

  /** Called with the URI of an indexed file whose document was closed: its disk copy must be read again. */
  onReleased(listener: (uri: string) => void): void {
    this.releaseListeners.push(listener);
  }

  /** The version of the document the store analysed last, if any. */
  analysedVersion(uri: string): number | undefined {
    return this.analyses.get(uri)?.version;
  }

  has(uri: string): boolean {
    return this.analyses.has(uri);
  }

  /** The dump of a document the store holds (open, else indexed from disk, else a file's decoded records), if any. */
  dumpOf(uri: string): Dump | undefined {
    const own = this.analyses.get(uri)?.dump ?? this.indexed.get(uriKey(uri))?.dump;
    if (own || !isDecodedUri(uri)) return own;
    return this.decodedViews().get(decodedUriKey(uri))?.dump;
  }

  /** Adds or replaces (a dump, with its decoded records) or drops (undefined) the on-disk copy of a file. */
  setIndexed(uri: string, file: Dump | IndexedFile | undefined): void {
    const key = uriKey(uri);
    if (file && this.openKeys.has(key)) {
      // Open: the document stands for the file; keep only the note to read it again on close.
      this.shadowed.set(key, ('text' in file ? file : file.dump).uri);
      if (!this.indexed.delete(key)) return;
    } else if (file) {
      this.indexed.set(key, 'text' in file ? { dump: file } : file);
    } else {
      const dropped = this.shadowed.delete(key);
      if (!this.indexed.delete(key) && !dropped) return;
    }
    this.generation++;
  }

  /** URIs of the dumps the workspace index holds (open ones included: their copy waits for the close). */
  indexedUris(): string[] {
    return [...[...this.indexed.values()].map((d) => d.dump.uri), ...this.shadowed.values()];
  }

  /** A view's findings its text cannot show (a damaged gzip): added to its analysis. */
  setViewNotes(viewUri: string, notes: Finding[]): void {
    const key = decodedUriKey(viewUri);
    if (notes.length) this.viewNotes.set(key, notes);
    else this.viewNotes.delete(key);
    for (const uri of this.analyses.keys()) if (decodedUriKey(uri) === key) this.analyses.delete(uri);
    this.generation++;
  }

  /** The decoded records of every envelope file the store knows, by decodedUriKey of their view. */
  decodedViews(): Map<string, DecodedView> {
    const views = new Map<string, DecodedView>();
    for (const a of this.analyses.values()) if (a.decoded) views.set(decodedUriKey(a.decoded.dump.uri), a.decoded);
    for (const f of this.indexed.values())
      if (f.decoded && !views.has(decodedUriKey(f.decoded.dump.uri))) views.set(decodedUriKey(f.decoded.dump.uri), f.decoded);
    return views;
  }

  /** The open view document showing exactly these decoded records, if any (it stands for them in the workspace). */
  private openView(decoded: DecodedView): (StoredAnalysis & { uri: string }) | undefined {
    const key = decodedUriKey(decoded.dump.uri);
    for (const [uri, a] of this.analyses) if (decodedUriKey(uri) === key && a.dump.text === decoded.dump.text) return { ...a, uri };
    return undefined;
  }

  /** Called each time the cross-record findings are asked for (after `initialized` and every configuration refresh, via publishAll). */
  onWorkspaceQuery(listener: () => void): void {
    this.workspaceQueryListeners.push(listener);
  }

  /** Cross-record findings per URI, recomputed only when some analysis changed. */
  workspaceFindings(): Map<string, Finding[]> {
    for (const listener of this.workspaceQueryListeners) listener();
    if (!this.workspaceCache || this.workspaceCache.generation !== this.generation) {
      const findings = runWorkspaceRules(this.dumps());
      // Findings in decoded records also sit on their encoded value in the envelope file.
      for (const [uri, a] of this.analyses) {
        if (!a.decoded || !a.isDump) continue;
        const viewUri = this.openView(a.decoded)?.uri ?? a.decoded.dump.uri;
        const moved = (findings.get(viewUri) ?? []).map((f) =>
          a.decoded!.toOriginal(f.related ? { ...f, related: f.related.map((r) => (r.uri === viewUri ? { ...r, uri: a.decoded!.dump.uri } : r)) } : f),
        );
        if (moved.length)
          findings.set(
            uri,
            [...(findings.get(uri) ?? []), ...moved].sort((x, y) => x.start - y.start || x.end - y.end),
          );
      }
      this.workspaceCache = { generation: this.generation, findings };
    }
    return this.workspaceCache.findings;
  }

  /** Per-document and cross-record findings of the open documents, by URI (for the timeline's markers). */
  allFindings(): Map<string, Finding[]> {
    const all = new Map<string, Finding[]>();
    for (const [uri, a] of this.analyses) if (a.isDump) all.set(uri, [...a.findings]);
    for (const [uri, fs] of this.workspaceFindings()) all.set(uri, [...(all.get(uri) ?? []), ...fs]);
    return all;
  }

  /** Every dump the server knows: open documents, then indexed files that are not open. */
  dumps(): readonly Dump[] {
    if (this.dumpsCache?.generation === this.generation) return this.dumpsCache.dumps;
    const open: Dump[] = [];
    const openKeys = new Set<string>();
    const openViews = new Set<string>();
    for (const uri of this.analyses.keys()) {
      openKeys.add(uriKey(uri));
      if (isDecodedUri(uri)) openViews.add(decodedUriKey(uri));
    }
    for (const [uri, a] of this.analyses) {
      if (!a.isDump) continue;
      // An open decoded view stands for its file's decoded records (the same text): never both.
      if (isDecodedUri(uri) && this.viewIsStale(uri, a)) continue;
      open.push(a.dump);
      if (a.decoded && !this.openView(a.decoded)) open.push(a.decoded.dump);
    }
    const dumps = [...open];
    for (const [key, file] of this.indexed) {
      if (openKeys.has(key)) continue;
      dumps.push(file.dump);
      if (file.decoded && !openViews.has(decodedUriKey(file.decoded.dump.uri))) dumps.push(file.decoded.dump);
    }
    this.dumpsCache = { generation: this.generation, dumps };
    return dumps;
  }

  /** A view whose file changed since it was opened: its records are the file's older ones, left out of the workspace. */
  private viewIsStale(viewUri: string, view: StoredAnalysis): boolean {
    const decoded = this.decodedViews().get(decodedUriKey(viewUri));
    return !!decoded && decoded.dump.text !== view.dump.text;
  }
}

/** TextDocuments' configuration: the server's own documents, telling the store where each change fell. */
export function trackEdits(store: DumpStore): TextDocumentsConfiguration<DumpTextDocument> {
  return {
    create: (uri, languageId, version, content) => new DumpTextDocument(uri, languageId, version, content),
    update: (doc, changes, version) => {
      // Applied one by one: each change's range is in the text left by the one before.
      for (const change of changes) {
        const from = doc.version;
        if ('range' in change) {
          const start = doc.offsetAt(change.range.start);
          store.noteChange(doc.uri, from, version, { start, end: doc.offsetAt(change.range.end), length: change.text.length });
        } else store.noteChange(doc.uri, from, version, undefined);
        doc.update([change], version);
      }
      return doc;
    },
  };
}
