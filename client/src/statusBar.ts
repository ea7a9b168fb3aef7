// A status bar item for the active dump: what it holds and what was found in it; for a dump
// VS Code did not hand to extensions (too large, binary), an offer to analyse it from disk,
// then what that analysis found.
import * as vscode from 'vscode';
import { STATUS_BAR_ITEM_ID } from '../../server/src/shared/ids';
import type { AnalyzeFileResult, DocumentStats } from '../../server/src/shared/protocol';
import { formatBytes, LargeDumpOffer } from './largeDump';

const PROBLEMS_COMMAND = 'workbench.actions.view.problems';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  private readonly stats = new Map<string, DocumentStats>();
  private readonly listener = vscode.window.onDidChangeActiveTextEditor(() => this.render());
  /** The dump in the active tab that VS Code did not hand over, and its latest streamed analysis. */
  private largeDump: { offer: LargeDumpOffer; analysis?: AnalyzeFileResult } | undefined;

  constructor(private readonly analyzeCommand: string) {
    this.item.name = 'Connect Event Inspector';
    this.item.command = PROBLEMS_COMMAND;
  }

  update(stats: DocumentStats): void {
    this.stats.set(stats.uri, stats);
    this.render();
  }

  /**
   * Set while the active tab shows such a dump; undefined when another tab becomes active.
   */
  setLargeDump(offer: LargeDumpOffer | undefined, analysis?: AnalyzeFileResult): void {
    this.largeDump = offer && { offer, analysis: analysis?.uri === offer.uri && !analysis.error ? analysis : undefined };
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri ? this.stats.get(uri) : undefined;
    if (s?.isDump) this.renderStats(s);
    else if (this.largeDump && !vscode.window.activeTextEditor) this.renderLargeDump(this.largeDump.offer, this.largeDump.analysis);
    else this.item.hide();
  }

  private renderStats(s: DocumentStats): void {
    const f = s.findings;
    const problems = f.error + f.warning;
    this.item.text = `$(pulse) ${s.records.toLocaleString()} records ${problems ? `$(warning) ${problems}` : '$(check)'}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Connect Event Inspector**\n\n${s.kinds.agentEvent} agent events, ${s.kinds.contactRecord} contact records, ` +
        `${s.kinds.unknown} other (${s.format})\n\n${f.error} errors, ${f.warning} warnings, ${f.information} infos`,
    );
    this.item.command = PROBLEMS_COMMAND;
    this.item.show();
  }

  private renderLargeDump(offer: LargeDumpOffer, r: AnalyzeFileResult | undefined): void {
    const tooltip = new vscode.MarkdownString('**Connect Event Inspector**\n\n');
    if (!r) {
      this.item.text = `$(file-binary) ${offer.label}`;
      tooltip.appendText(
        `${offer.name} (${formatBytes(offer.size)}) is not handed to extensions by VS Code. Click to read it from disk and list its findings in the Problems panel.`,
      );
      this.item.command = { command: this.analyzeCommand, title: 'Analyze Dump File', arguments: [vscode.Uri.parse(offer.uri)] };
    } else {
      const problems = r.counts.error + r.counts.warning;
      this.item.text = `$(pulse) ${r.records.toLocaleString()} records ${problems ? `$(warning) ${problems.toLocaleString()}` : '$(check)'} (${formatBytes(r.size)})`;
      tooltip.appendText(
        `${offer.name}, read from disk: ${r.kinds.agentEvent} agent events, ${r.kinds.contactRecord} contact records, ${r.kinds.unknown} other. ` +
          `${r.counts.error} errors, ${r.counts.warning} warnings, ${r.counts.information} infos. Click for the Problems panel.`,
      );
      this.item.command = PROBLEMS_COMMAND;
    }
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.listener.dispose();
  }
}
