// Quick fixes for findings whose repair is unambiguous (carried in Diagnostic.data).
import { CodeAction, CodeActionKind, CodeActionParams } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../shared/ids';
import type { ServerContext } from './context';
import type { DiagnosticData } from './diagnostics';

export function quickFixes(params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const fix = (d.data as DiagnosticData | undefined)?.fix;
    if (!fix || typeof fix.replacement !== 'string' || typeof fix.title !== 'string') continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [params.textDocument.uri]: [{ range: d.range, newText: fix.replacement }] } },
    });
  }
  return actions;
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params) => quickFixes(params));
}
