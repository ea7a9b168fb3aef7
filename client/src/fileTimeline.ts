// "Show Contact Timeline from File...": the timeline (with Explain) of a contact in a file the
// editor does not hold (too large, .gz), built by the server from the file on disk
// (connectInspector/fileTimeline). From a finding of Dump File Findings: the contact of its
// record; from the file's entry, the palette or an argument: a contact ID. A click on a bar
// opens the record in the file, in the read-only excerpt, or in the decoded view of a .gz.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import { COMMANDS, INTERNAL_COMMANDS } from '../../server/src/shared/ids';
import type {
  AnalyzeFileResult,
  FileFinding,
  FileFindingSource,
  FileTimelineParams,
  FileTimelineRecord,
  FileTimelineResult,
} from '../../server/src/shared/protocol';
import { FileTimelineRequest } from '../../server/src/shared/protocol';
import { FileAnalysis, revealDecodedLine } from './analyzeFileView';
import { tabFacts } from './largeDumpNotice';
import type { TimelinePanel } from './timelinePanel';

/** What a Dump File Findings entry hands to its context menu: the file's result, and the finding (and which of its related locations). */
interface FindingsNode {
  result: AnalyzeFileResult;
  finding?: FileFinding;
  index?: number;
}

/** The place whose record tells the contact: a related location's, else the finding's. */
function sourceOf(node: FindingsNode | undefined): FileFindingSource | undefined {
  const related = node?.index !== undefined ? node.finding?.related?.[node.index] : undefined;
  return related?.source ?? node?.finding?.source;
}

function isFindingsNode(x: unknown): x is FindingsNode {
  return typeof x === 'object' && x !== null && 'result' in x && typeof (x as FindingsNode).result?.uri === 'string';
}

/** Where a timeline built from a file came from, and how its bars open their records. */
export class FileTimelineOrigin {
  private readonly records: Map<string, FileTimelineRecord>;

  constructor(
    readonly fileUri: vscode.Uri,
    readonly contactId: string,
    records: FileTimelineRecord[],
    private readonly size: number,
    private readonly compressed: boolean,
  ) {
    this.records = new Map(records.map((r) => [r.uri, r]));
  }

  has(sourceUri: string): boolean {
    return this.records.has(sourceUri);
  }

  async reveal(sourceUri: string): Promise<void> {
    const record = this.records.get(sourceUri);
    if (!record) return;
    if (!this.compressed) {
      // As a finding of the file: the editor when it can hold the file, else the excerpt.
      const file = { uri: this.fileUri.toString(), path: this.fileUri.fsPath, size: this.size };
      await vscode.commands.executeCommand(INTERNAL_COMMANDS.revealFileFinding, file, record.range, record.source);
      return;
    }
    // A .gz: its line in the decoded view (one record per line).
    await revealDecodedLine(this.fileUri, record.line ?? '');
  }
}

/** The file a command without a file argument is about: the active tab's, else the latest analysed one. */
function activeFile(files: FileAnalysis): vscode.Uri | undefined {
  const tab = tabFacts(vscode.window.tabGroups.activeTabGroup.activeTab);
  if (tab.uri?.scheme === 'file') return vscode.Uri.parse(tab.uri.text);
  return files.latest();
}

export function registerFileTimeline(context: vscode.ExtensionContext, ready: () => Promise<LanguageClient>, panel: TimelinePanel, files: FileAnalysis): void {
  let runs = 0;

  async function request(client: LanguageClient, params: FileTimelineParams): Promise<FileTimelineResult | undefined> {
    const name = path.basename(vscode.Uri.parse(params.uri).fsPath);
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Reading ${params.contactId ? `contact ${params.contactId}` : 'the contact'} from ${name}`,
        cancellable: true,
      },
      async (progress, token) => {
        const workDoneToken = `${COMMANDS.showFileTimeline}.${process.pid}.${++runs}`;
        const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'report') progress.report({ message: `${value.message ?? ''} ${value.percentage ?? 0}%` });
        });
        try {
          return await client.sendRequest(FileTimelineRequest.type, { ...params, workDoneToken }, token);
        } catch (e) {
          if (token.isCancellationRequested) return undefined;
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Resolves with the server's answer (for tests), after the panel shows it or a message says why not. */
  async function show(arg?: unknown, contactArg?: unknown): Promise<FileTimelineResult | undefined> {
    const node = isFindingsNode(arg) ? arg : undefined;
    const uri = node
      ? vscode.Uri.parse(node.result.uri)
      : typeof arg === 'string'
        ? vscode.Uri.parse(arg)
        : arg instanceof vscode.Uri
          ? arg
          : activeFile(files);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Connect Inspector: open or analyse a dump file first (the timeline is read from the file on disk).');
      return undefined;
    }
    let contactId = typeof contactArg === 'string' && contactArg.trim() ? contactArg.trim() : undefined;
    if (!contactId && !node?.finding) {
      contactId = (
        await vscode.window.showInputBox({
          title: `Contact timeline from ${path.basename(uri.fsPath)}`,
          prompt: 'The ContactId to draw (its chain is followed through the file)',
          placeHolder: 'e.g. 1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b',
          validateInput: (v) => (v.trim() ? undefined : 'A contact ID'),
        })
      )?.trim();
      if (!contactId) return undefined;
    }
    const client = await ready();
    // The file's findings from its analysis mark the bars of the records they are in.
    const findings = (node?.result ?? files.resultFor(uri))?.findings;
    let result = await request(client, { uri: uri.toString(), contactId, source: contactId ? undefined : sourceOf(node), findings });
    if (result?.kind === 'choose') {
      const picked = await vscode.window.showQuickPick(result.contactIds, { title: 'This record names several contacts: which timeline?' });
      if (!picked) return result;
      result = await request(client, { uri: uri.toString(), contactId: picked, findings });
    }
    if (!result) return undefined;
    switch (result.kind) {
      case 'model': {
        const origin = new FileTimelineOrigin(uri, result.model.contactId, result.records, result.size, result.compressed);
        panel.showFileModel(result.model, origin);
        if (result.truncated)
          void vscode.window.showInformationMessage(
            `The timeline of ${result.model.contactId} shows the contacts found in ${result.passes} passes over the file; the chain goes further.`,
          );
        break;
      }
      case 'empty':
        void vscode.window.showWarningMessage(`Connect Inspector: ${result.message}`);
        break;
      case 'error':
        void vscode.window.showErrorMessage(`Connect Inspector: ${result.message}`);
        break;
      case 'choose':
        break;
    }
    return result;
  }

  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showFileTimeline, show));
}
