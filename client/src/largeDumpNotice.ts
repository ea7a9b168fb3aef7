// Notices a dump in the active tab that VS Code did not hand to extensions (see largeDump.ts
// for which tabs count) and offers the streamed analysis: at once in the status bar, and the
// first time per file and session in a notification, unless the user said not to ask again.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SniffFileRequest, SniffFileResult } from '../../server/src/shared/protocol';
import type { FileAnalysis } from './analyzeFileView';
import {
  ANALYZE_ACTION,
  DONT_ASK_ACTION,
  noticeActions,
  noticeMessage,
  offerFor,
  OPEN_DECODED_ACTION,
  TabFacts,
  UnsyncedFile,
  unsyncedFileOf,
  worthSniffing,
} from './largeDump';
import type { StatusBar } from './statusBar';
import { COMMANDS } from '../../server/src/shared/ids';

/** Added by the envelopes work (issue 10); the button shows only when the command exists. */
export const OPEN_DECODED_RECORDS_COMMAND = COMMANDS.openDecodedRecords;
/** globalState: URIs of files the user does not want to be asked about again. */
export const DONT_ASK_KEY = 'connectInspector.largeDump.dontAsk';
/** Tab events come in bursts, and the document of a tab may be synced just after the tab opens. */
const SETTLE_MS = 200;

export function tabFacts(tab: vscode.Tab | undefined): TabFacts {
  const input = tab?.input;
  const kind = input instanceof vscode.TabInputText ? 'text' : input instanceof vscode.TabInputCustom ? 'custom' : 'other';
  const uri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  const text = uri?.toString();
  return {
    input: kind,
    uri: uri && text ? { scheme: uri.scheme, path: uri.path, text } : undefined,
    synced: text !== undefined && vscode.workspace.textDocuments.some((d) => d.uri.toString() === text),
  };
}

export function registerLargeDumpNotice(
  context: vscode.ExtensionContext,
  ready: () => Promise<LanguageClient>,
  statusBar: StatusBar,
  files: FileAnalysis,
  analyzeCommand: string,
): void {
  /** Sniffs by URI, size and modification time: a file rewritten on disk is sniffed again. */
  const sniffs = new Map<string, Promise<SniffFileResult>>();
  const noticed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;

  async function sniff(file: UnsyncedFile): Promise<SniffFileResult | undefined> {
    const uri = vscode.Uri.parse(file.uri);
    const stat = await vscode.workspace.fs.stat(uri);
    // Not a file VS Code keeps back: no server start for it.
    if (!worthSniffing(file, stat.size)) return undefined;
    const key = `${uri.toString()}|${stat.size}|${stat.mtime}`;
    let pending = sniffs.get(key);
    if (!pending) {
      pending = ready().then((client) => client.sendRequest(SniffFileRequest.type, { uri: uri.toString() }));
      sniffs.set(key, pending);
      pending.catch(() => sniffs.delete(key));
    }
    return pending;
  }

  async function check(): Promise<void> {
    const mine = ++generation;
    const facts = tabFacts(vscode.window.tabGroups.activeTabGroup.activeTab);
    const file = unsyncedFileOf(facts);
    if (!file) {
      statusBar.setLargeDump(undefined);
      return;
    }
    const result = await sniff(file);
    // Another tab became active meanwhile, or the document got synced: that check decides.
    if (mine !== generation) return;
    const offer = offerFor(tabFacts(vscode.window.tabGroups.activeTabGroup.activeTab), result);
    const canOpenDecoded = !!offer?.compressed && (await vscode.commands.getCommands(true)).includes(OPEN_DECODED_RECORDS_COMMAND);
    if (mine !== generation) return;
    statusBar.setLargeDump(offer, offer && files.resultFor(vscode.Uri.parse(offer.uri)));
    if (!offer || noticed.has(offer.uri) || files.resultFor(vscode.Uri.parse(offer.uri))) return;
    if ((context.globalState.get<string[]>(DONT_ASK_KEY) ?? []).includes(offer.uri)) return;
    noticed.add(offer.uri);
    // Not awaited: a notification nobody answers must not hold the next check.
    void vscode.window.showInformationMessage(noticeMessage(offer), ...noticeActions(offer, canOpenDecoded)).then(async (choice) => {
      const uri = vscode.Uri.parse(offer.uri);
      if (choice === ANALYZE_ACTION) await vscode.commands.executeCommand(analyzeCommand, uri);
      else if (choice === OPEN_DECODED_ACTION) await vscode.commands.executeCommand(OPEN_DECODED_RECORDS_COMMAND, uri);
      else if (choice === DONT_ASK_ACTION) {
        const list = context.globalState.get<string[]>(DONT_ASK_KEY) ?? [];
        if (!list.includes(offer.uri)) await context.globalState.update(DONT_ASK_KEY, [...list, offer.uri]);
      }
    });
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      check().catch(() => statusBar.setLargeDump(undefined)); // an unreadable file gets no offer
    }, SETTLE_MS);
  };
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(schedule),
    vscode.window.tabGroups.onDidChangeTabGroups(schedule),
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidCloseTextDocument(schedule),
    // The status bar moves from "Analyze dump" to the findings once the analysis is done.
    files.onDidAnalyze(schedule),
    { dispose: () => clearTimeout(timer) },
  );
  schedule();
}
