// The analyses of the open documents, cached by version, and the decision of which
// documents are Amazon Connect dumps at all (a package.json must get nothing); merged with
// the dumps the workspace index read from disk (an open document wins over its file).
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, DocumentAnalysis, holdsConnectRecords } from '../core/analyze';
import { runWorkspaceRules } from '../core/rules';
import type { Dump, Finding } from '../core/types';
import { DUMP_LANGUAGE_IDS, LANGUAGES } from '../shared/ids';

export const DUMP_LANGUAGES = new Set(DUMP_LANGUAGE_IDS);

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

export class DumpStore {
  private readonly analyses = new Map<string, StoredAnalysis>();
  /** Dumps read from disk by the workspace index, by uriKey. */
  private readonly indexed = new Map<string, Dump>();
  private generation = 0;
  private workspaceCache: { generation: number; findings: Map<string, Finding[]> } | undefined;
  private dumpsCache: { generation: number; dumps: Dump[] } | undefined;
  private readonly workspaceQueryListeners: (() => void)[] = [];

  /** The analysis of the document's current version, computed on first need. */
  get(doc: TextDocument): StoredAnalysis | undefined {
    if (!DUMP_LANGUAGES.has(doc.languageId)) return undefined;
    const cached = this.analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const analysis = analyzeText(doc.uri, doc.getText(), cached); // takes over unchanged records
    const isDump = doc.languageId === LANGUAGES.firehose || holdsConnectRecords(analysis.dump);
    const stored = { ...analysis, version: doc.version, isDump };
    this.analyses.set(doc.uri, stored);
    this.generation++;
    return stored;
  }

  forget(uri: string): void {
    if (this.analyses.delete(uri)) this.generation++;
  }

  has(uri: string): boolean {
    return this.analyses.has(uri);
  }

  /** The dump of a document the store holds (open, else indexed from disk), if any. */
  dumpOf(uri: string): Dump | undefined {
    return this.analyses.get(uri)?.dump ?? this.indexed.get(uriKey(uri));
  }

  /** Adds or replaces (dump) or drops (undefined) the on-disk copy of a file. */
  setIndexed(uri: string, dump: Dump | undefined): void {
    const key = uriKey(uri);
    if (dump) this.indexed.set(key, dump);
    else if (!this.indexed.delete(key)) return;
    this.generation++;
  }

  /** URIs of the dumps the workspace index holds. */
  indexedUris(): string[] {
    return [...this.indexed.values()].map((d) => d.uri);
  }

  /** Called each time the cross-record findings are asked for (after `initialized` and every configuration refresh, via publishAll). */
  onWorkspaceQuery(listener: () => void): void {
    this.workspaceQueryListeners.push(listener);
  }

  /** Cross-record findings per URI, recomputed only when some analysis changed. */
  workspaceFindings(): Map<string, Finding[]> {
    for (const listener of this.workspaceQueryListeners) listener();
    if (!this.workspaceCache || this.workspaceCache.generation !== this.generation) {
      this.workspaceCache = { generation: this.generation, findings: runWorkspaceRules(this.dumps()) };
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
    for (const [uri, a] of this.analyses) {
      openKeys.add(uriKey(uri));
      if (a.isDump) open.push(a.dump);
    }
    const dumps = [...open];
    for (const [key, dump] of this.indexed) if (!openKeys.has(key)) dumps.push(dump);
    this.dumpsCache = { generation: this.generation, dumps };
    return dumps;
  }
}
