// The analyses of the open documents, cached by version, and the decision of which
// documents are Amazon Connect dumps at all (a package.json must get nothing).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, DocumentAnalysis, holdsConnectRecords } from '../core/analyze';
import { runWorkspaceRules } from '../core/rules';
import type { Dump, Finding } from '../core/types';

export const DUMP_LANGUAGES = new Set(['json', 'jsonl', 'connect-firehose']);

export interface StoredAnalysis extends DocumentAnalysis {
  version: number;
  /** True when the document holds at least one agent event or contact record. */
  isDump: boolean;
}

export class DumpStore {
  private readonly analyses = new Map<string, StoredAnalysis>();
  private generation = 0;
  private workspaceCache: { generation: number; findings: Map<string, Finding[]> } | undefined;

  /** The analysis of the document's current version, computed on first need. */
  get(doc: TextDocument): StoredAnalysis | undefined {
    if (!DUMP_LANGUAGES.has(doc.languageId)) return undefined;
    const cached = this.analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const analysis = analyzeText(doc.uri, doc.getText());
    const isDump = doc.languageId === 'connect-firehose' || holdsConnectRecords(analysis.dump);
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

  /** The dump of a document the store holds, if any. */
  dumpOf(uri: string): Dump | undefined {
    return this.analyses.get(uri)?.dump;
  }

  /** Cross-record findings per URI, recomputed only when some analysis changed. */
  workspaceFindings(): Map<string, Finding[]> {
    if (!this.workspaceCache || this.workspaceCache.generation !== this.generation) {
      this.workspaceCache = { generation: this.generation, findings: runWorkspaceRules(this.dumps()) };
    }
    return this.workspaceCache.findings;
  }

  /** Every dump analysed so far (open documents), for the rules that relate records. */
  dumps(): Dump[] {
    return [...this.analyses.values()].filter((a) => a.isDump).map((a) => a.dump);
  }
}
