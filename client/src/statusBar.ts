// A status bar item for the active dump: what it holds and what was found in it.
import * as vscode from 'vscode';
import { STATUS_BAR_ITEM_ID } from '../../server/src/shared/ids';
import type { DocumentStats } from '../../server/src/shared/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  private readonly stats = new Map<string, DocumentStats>();
  private readonly listener = vscode.window.onDidChangeActiveTextEditor(() => this.render());

  constructor() {
    this.item.name = 'Connect Event Inspector';
    this.item.command = 'workbench.actions.view.problems';
  }

  update(stats: DocumentStats): void {
    this.stats.set(stats.uri, stats);
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri ? this.stats.get(uri) : undefined;
    if (!s || !s.isDump) { this.item.hide(); return; }
    const f = s.findings;
    const problems = f.error + f.warning;
    this.item.text = `$(pulse) ${s.records.toLocaleString()} records ${problems ? `$(warning) ${problems}` : '$(check)'}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Connect Event Inspector**\n\n${s.kinds.agentEvent} agent events, ${s.kinds.contactRecord} contact records, ` +
      `${s.kinds.unknown} other (${s.format})\n\n${f.error} errors, ${f.warning} warnings, ${f.information} infos`);
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.listener.dispose();
  }
}
