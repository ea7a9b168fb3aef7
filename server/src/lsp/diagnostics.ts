// Findings -> LSP diagnostics: severity per rule from settings, a cap per document,
// related information in other documents, a code with a link to its documentation.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { countKinds } from '../core/analyze';
import type { Dump, Finding, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE, findingHelpUrl } from '../shared/ids';
import { DocumentStatsNotification } from '../shared/protocol';
import type { ServerContext } from './context';
import { COLLECT_AFTER_EDITS_OF_BYTES, collectGarbage } from './heap';
import { toRange } from './ranges';
import type { Settings } from './settings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fix?: Finding['fix'];
}

export function toDiagnostics(dump: Dump, findings: readonly Finding[], settings: Settings, dumpOf: (uri: string) => Dump | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  let dropped = 0;
  for (const f of findings) {
    const setting = settings.rules[f.code] ?? f.severity;
    if (setting === 'off') continue;
    if (out.length >= settings.maxFindingsPerDocument) {
      dropped++;
      continue;
    }
    const d: Diagnostic = {
      range: toRange(dump, f),
      severity: SEVERITY[setting],
      source: DIAGNOSTIC_SOURCE,
      code: f.code,
      codeDescription: { href: findingHelpUrl(f.code) },
      message: f.message,
    };
    if (f.related?.length) {
      d.relatedInformation = f.related.flatMap((r) => {
        const other = r.uri === dump.uri ? dump : dumpOf(r.uri);
        return other ? [{ location: { uri: r.uri, range: toRange(other, r) }, message: r.message }] : [];
      });
    }
    if (f.fix) d.data = { fix: f.fix } satisfies DiagnosticData;
    out.push(d);
  }
  if (dropped > 0) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      code: 'too-many-findings',
      codeDescription: { href: findingHelpUrl('too-many-findings') },
      message: `${dropped} more findings are not shown (connectInspector.maxFindingsPerDocument is ${settings.maxFindingsPerDocument}); run the CLI for the full list.`,
    });
  }
  return out;
}

/**
 * How long an edit that finds the document idle waits: long enough for the changes of one
 * keystroke or paste to arrive together, short enough to feel instant.
 */
const IDLE_DELAY_MS = 10;

/**
 * Re-analyses and publishes diagnostics per document: an edit that finds the document idle
 * at once; edits that arrive while another waits (a burst: typing faster than the server
 * answers, or keystrokes queued behind a long analysis) once the burst ends, so typing stays
 * fluid and a large document is analysed at most once per burst.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Whether an analysis of a large document ran since the last collection. */
  private garbage = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly delayMs = 120,
  ) {}

  schedule(doc: TextDocument, immediately = false): void {
    const pending = this.timers.get(doc.uri);
    if (pending) clearTimeout(pending);
    if (immediately) {
      this.timers.delete(doc.uri);
      this.publishAll();
      return;
    }
    this.timers.set(
      doc.uri,
      setTimeout(
        () => {
          this.timers.delete(doc.uri);
          this.publishAll();
        },
        pending ? this.delayMs : IDLE_DELAY_MS,
      ),
    );
  }

  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Publishes every open dump: cross-record rules can change findings in other documents. */
  publishAll(): void {
    const { store, documents, connection } = this.ctx;
    const settings = this.ctx.settings();
    // A bug on one document must neither kill the server nor hold back the others' diagnostics.
    const guard = <T>(what: string, fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        connection.console.error(`Connect Event Inspector: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return undefined;
      }
    };
    for (const doc of documents.all()) {
      // A first analysis collected before it ran (dumpStore.ts) and leaves little behind; a
      // re-analysis leaves the previous version of the text and model.
      const analysed = store.analysedVersion(doc.uri);
      const again = analysed !== undefined && analysed !== doc.version;
      guard(`analysing ${doc.uri}`, () => store.get(doc));
      if (again && doc.getText().length >= COLLECT_AFTER_EDITS_OF_BYTES) this.garbage = true;
    }
    const crossFindings = guard('the cross-record rules', () => store.workspaceFindings()) ?? new Map<string, Finding[]>();
    for (const doc of documents.all()) guard(`publishing ${doc.uri}`, () => this.publishOne(doc, crossFindings, settings));
    // The previous version's text and model go once the diagnostics are out (see heap.ts):
    // collected before the next edit copies the text again, so that at most two versions of
    // it are ever alive.
    if (this.garbage) {
      this.garbage = false;
      setImmediate(collectGarbage);
    }
  }

  private publishOne(doc: TextDocument, crossFindings: Map<string, Finding[]>, settings: Settings): void {
    const { store, connection } = this.ctx;
    const analysis = store.get(doc);
    if (!analysis) return;
    const findings = analysis.isDump ? [...analysis.findings, ...(crossFindings.get(doc.uri) ?? [])].sort((a, b) => a.start - b.start) : [];
    const diagnostics = toDiagnostics(analysis.dump, findings, settings, (uri) => store.dumpOf(uri));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const d of diagnostics) counts[(['error', 'warning', 'information', 'hint'] as const)[(d.severity ?? 1) - 1]]++;
    const kinds = countKinds(analysis.dump);
    void connection.sendNotification(DocumentStatsNotification.type, {
      uri: doc.uri,
      isDump: analysis.isDump,
      format: analysis.dump.format,
      records: analysis.dump.records.length,
      kinds,
      findings: counts,
    });
  }
}
