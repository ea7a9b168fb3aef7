// A streamed analysis (Analyze Dump File) as Problems-panel diagnostics. Pure (no vscode
// import) so test/unit can check it; analyzeFileView.ts turns these into vscode.Diagnostics.
// The server already capped the findings (connectInspector.maxFindingsPerDocument, errors
// kept first); the rest are summed up in one `too-many-findings` entry, as for open documents.
import { DIAGNOSTIC_SOURCE, findingHelpUrl } from '../../server/src/shared/ids';
import { AnalyzeFileResult, FileFinding, FileRange } from '../../server/src/shared/protocol';

export interface FileDiagnostic {
  range: FileRange;
  severity: FileFinding['severity'];
  message: string;
  source: string;
  code: string;
  href: string;
  related: { uri: string; range: FileRange; message: string }[];
}

const FIRST_CHARACTER: FileRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

export function streamedDiagnostics(result: AnalyzeFileResult): FileDiagnostic[] {
  if (result.error) return [];
  const out: FileDiagnostic[] = result.findings.map((f) => ({
    range: f.range,
    severity: f.severity,
    message: f.message,
    source: DIAGNOSTIC_SOURCE,
    code: f.code,
    href: findingHelpUrl(f.code),
    related: (f.related ?? []).map((r) => ({ uri: r.uri, range: r.range, message: r.message })),
  }));
  if (result.omitted > 0) {
    out.push({
      range: FIRST_CHARACTER,
      severity: 'information',
      source: DIAGNOSTIC_SOURCE,
      code: 'too-many-findings',
      href: findingHelpUrl('too-many-findings'),
      message:
        `${result.omitted.toLocaleString('en-US')} more findings are not shown (connectInspector.maxFindingsPerDocument is ${result.findings.length}); ` +
        'run the CLI for the full list.',
      related: [],
    });
  }
  return out;
}
