// "Analyze Dump File...": the server streams a dump from disk (VS Code does not hand files
// over 50 MB to extensions), with a cancellable progress notification; the findings go into
// a tree view (file -> findings -> related locations) and into the Problems panel. A click
// opens the file at the finding, or, for a file too big for the editor, a read-only excerpt
// of the lines around it. A file analysed this way is analysed again when it changes on disk.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import {
  AnalyzeFileRequest,
  AnalyzeFileResult,
  FileExcerptParams,
  FileExcerptRequest,
  FileExcerptResult,
  FileFinding,
  FileFindingSource,
  FilePosition,
  FileRange,
} from '../../server/src/shared/protocol';
import { COMMANDS, CONTEXT_KEYS, DUMP_LANGUAGE_IDS, INTERNAL_COMMANDS, SETTINGS, settingKey, TREE_ITEM_CONTEXT, VIEWS } from '../../server/src/shared/ids';
import { FileDiagnostic, streamedDiagnostics } from './fileDiagnostics';
import { decodedUriOf } from '../../server/src/shared/decodedUri';
import { formatBytes } from './largeDump';
export const EXCERPT_SCHEME = 'connect-inspector-excerpt';

/** VS Code opens larger files in the editor but does not hand them to extensions. */
export const EXTENSION_SYNC_LIMIT = 50 * 1024 * 1024;
const MAX_EXCERPTS = 20;
const OPEN_FULL_FILE = 'Open Full File';
/** Name of the Problems-panel collection of streamed findings (the server's own are per open document). */
export const FILE_DIAGNOSTICS = 'connect-inspector-files';
/** A file rewritten on disk is analysed again once it has been quiet this long. */
const REANALYZE_DELAY_MS = 1500;
/** Languages the language server analyses once VS Code hands the document over. */
const LIVE_LANGUAGES = new Set(DUMP_LANGUAGE_IDS);

const VS_SEVERITY: Record<FileFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function toVsRange(r: FileRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toVsDiagnostic(d: FileDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toVsRange(d.range), d.message, VS_SEVERITY[d.severity]);
  out.source = d.source;
  out.code = { value: d.code, target: vscode.Uri.parse(d.href) };
  if (d.related.length)
    out.relatedInformation = d.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.uri), toVsRange(r.range)), r.message),
    );
  return out;
}

/**
 * Files larger than this open only after VS Code's large-file question
 * (`workbench.editorLargeFileConfirmation`, in MB: 10 on a remote, 50 in a browser, 1024 on
 * the desktop by default), or are not handed to extensions.
 */
function editorLimitBytes(): number {
  const confirmMb = vscode.workspace.getConfiguration('workbench').get<number>('editorLargeFileConfirmation');
  return Math.min(EXTENSION_SYNC_LIMIT, typeof confirmMb === 'number' && confirmMb > 0 ? confirmMb * 1024 * 1024 : EXTENSION_SYNC_LIMIT);
}

/** What other features need from the file analysis. */
export interface FileAnalysis {
  /** Fires after each analysis (the first one and the ones after a change on disk). */
  readonly onDidAnalyze: vscode.Event<AnalyzeFileResult>;
  /** The latest analysis of a file, until the findings are cleared. */
  resultFor(uri: vscode.Uri): AnalyzeFileResult | undefined;
  /** The file analysed last, until the findings are cleared. */
  latest(): vscode.Uri | undefined;
}

type Node =
  | { kind: 'file'; result: AnalyzeFileResult }
  | { kind: 'finding'; result: AnalyzeFileResult; finding: FileFinding }
  | { kind: 'related'; result: AnalyzeFileResult; finding: FileFinding; index: number }
  | { kind: 'note'; result: AnalyzeFileResult; label: string; detail?: string; icon: string };

const num = (n: number) => n.toLocaleString('en-US');

const SEVERITY_ICON: Record<FileFinding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  information: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

function summary(r: AnalyzeFileResult): string {
  const parts = [`${num(r.total)} finding${r.total === 1 ? '' : 's'}`, `${num(r.records)} records`, formatBytes(r.size)];
  if (r.cancelled) parts.push(`cancelled at ${r.size > 0 ? Math.floor((r.bytesRead / r.size) * 100) : 0}%`);
  return parts.join(' · ');
}

class FindingsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One entry per file, the latest analysis; newest first. */
  private results: Node[] = [];

  set(result: AnalyzeFileResult): Node {
    const node: Node = { kind: 'file', result };
    this.results = [node, ...this.results.filter((n) => n.kind === 'file' && n.result.uri !== result.uri)];
    this.changed.fire(undefined);
    return node;
  }

  clear(): void {
    this.results = [];
    this.changed.fire(undefined);
  }

  get isEmpty(): boolean {
    return this.results.length === 0;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.results;
    const r = node.result;
    if (node.kind === 'file') {
      if (r.error) return [{ kind: 'note', result: r, label: r.error, icon: 'error' }];
      const out: Node[] = r.findings.map((finding) => ({ kind: 'finding', result: r, finding }));
      if (r.omitted > 0) {
        out.push({
          kind: 'note',
          result: r,
          icon: 'ellipsis',
          label: `${num(r.omitted)} more findings not shown`,
          detail: `raise ${settingKey(SETTINGS.maxFindingsPerDocument)}, or run connect-inspect check for the full list`,
        });
      }
      if (r.total === 0) out.push({ kind: 'note', result: r, icon: 'pass', label: r.cancelled ? 'No findings in the part read' : 'No findings' });
      return out;
    }
    if (node.kind === 'finding') return (node.finding.related ?? []).map((_, index) => ({ kind: 'related', result: r, finding: node.finding, index }));
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'file') return undefined;
    const file = this.results.find((n) => n.result === node.result);
    if (node.kind === 'related') return { kind: 'finding', result: node.result, finding: node.finding };
    return file;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const r = node.result;
    switch (node.kind) {
      case 'file': {
        const item = new vscode.TreeItem(path.basename(r.path), vscode.TreeItemCollapsibleState.Expanded);
        item.resourceUri = vscode.Uri.parse(r.uri);
        item.iconPath = vscode.ThemeIcon.File;
        item.description = r.error ? 'could not be read' : summary(r);
        item.contextValue = TREE_ITEM_CONTEXT.fileResult;
        const md = new vscode.MarkdownString();
        md.appendText(r.path);
        md.appendMarkdown('\n\n');
        if (!r.error) {
          md.appendText(
            `${summary(r)}. ${num(r.counts.error)} errors, ${num(r.counts.warning)} warnings, ${num(r.counts.information)} information. ` +
              `${num(r.kinds.contactRecord)} contact records, ${num(r.kinds.agentEvent)} agent events. Read in ${(r.elapsedMs / 1000).toFixed(1)} s.`,
          );
          md.appendMarkdown('\n\n**Not checked by the streaming analysis:**\n');
          for (const n of r.notChecked) md.appendMarkdown(`\n- ${escapeMarkdown(n)}`);
        }
        item.tooltip = md;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, f.related?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = `${f.code} · Ln ${f.range.start.line + 1}, Col ${f.range.start.character + 1}`;
        item.iconPath = SEVERITY_ICON[f.severity];
        item.tooltip = new vscode.MarkdownString().appendText(
          `${f.message}\n\n${f.severity} ${f.code}, line ${f.range.start.line + 1}, column ${f.range.start.character + 1}`,
        );
        item.command = { command: INTERNAL_COMMANDS.revealFileFinding, title: 'Go to Finding', arguments: [r, f.range, f.source] };
        item.contextValue = TREE_ITEM_CONTEXT.fileFinding;
        return item;
      }
      case 'related': {
        const rel = node.finding.related![node.index];
        const item = new vscode.TreeItem(rel.message, vscode.TreeItemCollapsibleState.None);
        item.description = `Ln ${rel.range.start.line + 1}, Col ${rel.range.start.character + 1}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.command = { command: INTERNAL_COMMANDS.revealFileFinding, title: 'Go to Related Location', arguments: [r, rel.range, rel.source] };
        // The related record's contact timeline (the other leg of a broken link, the first copy of a duplicate).
        item.contextValue = TREE_ITEM_CONTEXT.fileRelated;
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Read-only documents holding excerpts of files too large for the editor, by URI. */
/** Where a range of the file lands in an excerpt of it. */
function toExcerptRange(excerpt: { firstLine: number; firstCharacter: number }, range: FileRange): vscode.Range {
  const at = (p: FilePosition) =>
    new vscode.Position(Math.max(0, p.line - excerpt.firstLine), Math.max(0, p.character - (p.line === excerpt.firstLine ? excerpt.firstCharacter : 0)));
  return new vscode.Range(at(range.start), at(range.end));
}

/** A finding whose excerpt is read from disk only when its URI is opened (a Problems entry's link). */
interface LazyExcerpt {
  uri: string;
  range: FileRange;
  source: FileFindingSource;
}

class ExcerptProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  /** Lazy excerpts read so far: where their finding is. */
  private readonly placed = new Map<string, vscode.Range>();
  private counter = 0;

  constructor(private readonly read: (params: FileExcerptParams) => Promise<FileExcerptResult>) {}

  /** An excerpt of the record of `finding`, read when first opened. */
  lazyUri(fileUri: string, finding: FileFinding): vscode.Uri {
    const fileName = path.posix.basename(vscode.Uri.parse(fileUri).path);
    const spec: LazyExcerpt = { uri: fileUri, range: finding.range, source: finding.source };
    return vscode.Uri.from({
      scheme: EXCERPT_SCHEME,
      path: `/${fileName} (record at line ${num(finding.range.start.line + 1)})${excerptExtension(fileName)}`,
      query: JSON.stringify(spec),
    });
  }

  /** The finding's range in a lazy excerpt that has been read. */
  placedRange(uri: vscode.Uri): vscode.Range | undefined {
    return this.placed.get(uri.toString());
  }

  add(fileName: string, label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EXCERPT_SCHEME, path: `/${fileName} (${label})${excerptExtension(fileName)}`, query: String(++this.counter) });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > MAX_EXCERPTS) this.texts.delete(this.texts.keys().next().value as string);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const text = this.texts.get(uri.toString());
    if (text !== undefined) return text;
    const gone = 'This excerpt is no longer available: click the finding again.';
    let spec: LazyExcerpt;
    try {
      spec = JSON.parse(uri.query) as LazyExcerpt;
    } catch {
      return gone;
    }
    if (typeof spec !== 'object' || spec === null || typeof spec.uri !== 'string' || !spec.range || !spec.source) return gone;
    const excerpt = await this.read({ uri: spec.uri, position: spec.range.start, source: spec.source, contextLines: 3 });
    if (excerpt.error) return excerpt.error;
    this.placed.set(uri.toString(), toExcerptRange(excerpt, spec.range));
    return excerpt.text;
  }
}

/** A record of a gzip file at its line of the decoded view (one record per line), or the view's top. */
export async function revealDecodedLine(fileUri: vscode.Uri, line: string): Promise<void> {
  const view = await vscode.workspace.openTextDocument(vscode.Uri.parse(decodedUriOf(fileUri.toString())));
  const at = view.getText().indexOf(line);
  await vscode.commands.executeCommand(COMMANDS.openDecodedRecords, fileUri, at >= 0 ? view.positionAt(at).line : 0);
}

/** Highlighted as JSON Lines (or Firehose); the language server does not analyse this scheme. */
function excerptExtension(fileName: string): string {
  return path.extname(fileName).toLowerCase() === '.firehose' ? '.firehose' : '.jsonl';
}

/** `ready` starts the language server if it is not running yet and resolves with its client. */
export function registerAnalyzeFile(
  context: vscode.ExtensionContext,
  ready: () => Promise<LanguageClient>,
  log: (message: string) => void = () => {},
): FileAnalysis {
  const provider = new FindingsProvider();
  const excerpts = new ExcerptProvider(async (params) => (await ready()).sendRequest(FileExcerptRequest.type, params));
  // Client-side rather than published by the server: the findings arrive here with the
  // request's answer; the server's publisher owns the diagnostics of open documents and
  // republishes (or clears) them per URI, which would wipe these; and here they live and die
  // with the view (cleared with it, replaced when the document itself gets synced).
  const diagnostics = vscode.languages.createDiagnosticCollection(FILE_DIAGNOSTICS);
  const results = new Map<string, AnalyzeFileResult>();
  const watchers = new Map<string, vscode.Disposable>();
  const analyzed = new vscode.EventEmitter<AnalyzeFileResult>();
  context.subscriptions.push(diagnostics, analyzed, { dispose: () => stopWatching() });

  const isSynced = (uri: string) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri && LIVE_LANGUAGES.has(d.languageId));
  function publish(result: AnalyzeFileResult): void {
    const uri = vscode.Uri.parse(result.uri);
    // A document VS Code handed over gets live diagnostics from the server: no second copy.
    if (result.error || isSynced(result.uri)) {
      diagnostics.delete(uri);
      return;
    }
    const out = streamedDiagnostics(result).map(toVsDiagnostic);
    // Where opening the file itself means VS Code's large-file question (or a huge editor that
    // no extension sees), each entry also links the record alone, as a read-only excerpt.
    if (result.size > editorLimitBytes()) {
      const message = `Show this record without opening the whole ${formatBytes(result.size)} file (read-only excerpt)`;
      result.findings.forEach((f, i) => {
        const excerpt = new vscode.DiagnosticRelatedInformation(new vscode.Location(excerpts.lazyUri(result.uri, f), new vscode.Position(0, 0)), message);
        out[i].relatedInformation = [excerpt, ...(out[i].relatedInformation ?? [])];
      });
    }
    diagnostics.set(uri, out);
  }

  function stopWatching(): void {
    for (const w of watchers.values()) w.dispose();
    watchers.clear();
  }

  /** Analyses the file again (quietly, progress in the status bar) once it has stopped changing on disk. */
  function watch(uri: vscode.Uri): void {
    const key = uri.toString();
    if (watchers.has(key)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), path.basename(uri.fsPath)));
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!watchers.has(key)) return;
        log(`${uri.fsPath} changed on disk: analysing it again.`);
        analyze(uri, { quiet: true }).then(
          (r) => log(r ? `${uri.fsPath}: ${r.error ?? summary(r)}.` : `${uri.fsPath}: the analysis was cancelled.`),
          (e) => log(`${uri.fsPath}: the analysis failed: ${e instanceof Error ? e.message : String(e)}`),
        );
      }, REANALYZE_DELAY_MS);
    };
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(() => {
      clearTimeout(timer);
      diagnostics.delete(uri);
    });
    watchers.set(key, {
      dispose: () => {
        clearTimeout(timer);
        watcher.dispose();
      },
    });
  }
  // A view the manifest does not declare cannot be shown (VS Code only reports an error): then
  // the findings go to a quick pick instead.
  const views = (context.extension.packageJSON as { contributes?: { views?: Record<string, { id?: string }[]> } }).contributes?.views ?? {};
  const declared = Object.values(views).some((list) => Array.isArray(list) && list.some((v) => v.id === VIEWS.fileFindings));
  let view: vscode.TreeView<Node> | undefined;
  if (declared) {
    view = vscode.window.createTreeView(VIEWS.fileFindings, { treeDataProvider: provider, showCollapseAll: true });
    context.subscriptions.push(view);
  }
  let runs = 0;

  async function analyze(uri: vscode.Uri, options: { quiet?: boolean } = {}): Promise<AnalyzeFileResult | undefined> {
    const client = await ready();
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Analyze Dump File works on files on disk, not ${uri.toString(true)}.`);
      return undefined;
    }
    const name = path.basename(uri.fsPath);
    const result = await vscode.window.withProgress(
      {
        location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: `Analyzing ${name}`,
        cancellable: !options.quiet,
      },
      async (progress, token) => {
        const workDoneToken = `${COMMANDS.analyzeFile}.${process.pid}.${++runs}`;
        let done = 0;
        const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const percentage = value.percentage ?? done;
          progress.report({ increment: Math.max(0, percentage - done), message: value.message });
          done = Math.max(done, percentage);
        });
        try {
          return await client.sendRequest(AnalyzeFileRequest.type, { uri: uri.toString(), workDoneToken }, token);
        } catch (e) {
          if (token.isCancellationRequested) return undefined;
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!result) {
      if (!options.quiet) void vscode.window.showInformationMessage(`The analysis of ${name} was cancelled.`);
      return undefined;
    }
    const node = provider.set(result);
    results.delete(result.uri); // re-inserted: the map's order is the order of analysis
    results.set(result.uri, result);
    publish(result);
    if (!result.error) watch(uri);
    analyzed.fire(result);
    if (options.quiet) {
      if (view) await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasFileFindings, true);
      return result;
    }
    if (!view) {
      if (result.error) void vscode.window.showErrorMessage(result.error);
      else await pick(result);
      return result;
    }
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasFileFindings, true);
    try {
      // A view that is not on screen (its panel closed, or just made visible by the context key) is opened.
      if (!view.visible) await vscode.commands.executeCommand(`${VIEWS.fileFindings}.focus`);
      await view.reveal(node, { expand: true, focus: false, select: false });
    } catch {
      /* the view could not be shown: the message below still tells */
    }
    if (result.error) void vscode.window.showErrorMessage(result.error);
    else if (result.cancelled) void vscode.window.showInformationMessage(`Analysis of ${name} cancelled: ${summary(result)} in the part read.`);
    else void vscode.window.setStatusBarMessage(`Connect Inspector: ${name}: ${summary(result)}`, 8000);
    return result;
  }

  async function reveal(result: AnalyzeFileResult, range: FileRange, source: FileFindingSource | undefined): Promise<void> {
    const uri = vscode.Uri.parse(result.uri);
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    let size = result.size;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      /* keep the size the analysis saw */
    }
    // A .gz is binary for the editor: its records are shown by the decoded view (showExcerpt).
    if (size <= EXTENSION_SYNC_LIMIT && !/\.gz$/i.test(uri.path)) {
      try {
        await vscode.window.showTextDocument(uri, { selection, preview: true });
        return;
      } catch {
        /* refused: fall back to the excerpt */
      }
    }
    await showExcerpt(result, uri, size, range, selection, source);
  }

  async function showExcerpt(
    result: AnalyzeFileResult,
    uri: vscode.Uri,
    size: number,
    range: FileRange,
    selection: vscode.Range,
    source: FileFindingSource | undefined,
  ): Promise<void> {
    const at = source;
    if (!at) {
      void vscode.window.showWarningMessage('This location cannot be shown: the file is too large for the editor.');
      return;
    }
    const client = await ready();
    const excerpt = await client.sendRequest(FileExcerptRequest.type, { uri: result.uri, position: range.start, source: at, contextLines: 3 });
    if (excerpt.error) {
      void vscode.window.showErrorMessage(excerpt.error);
      return;
    }
    if (excerpt.decodedLine !== undefined) {
      await revealDecodedLine(uri, excerpt.decodedLine);
      return;
    }
    const lineCount = excerpt.text.split('\n').length;
    const first = excerpt.firstLine + 1,
      last = excerpt.firstLine + lineCount;
    const label = first === last ? `line ${num(first)}` : `lines ${num(first)}-${num(last)}`;
    const docUri = excerpts.add(path.basename(uri.fsPath), label, excerpt.text);
    const doc = await vscode.workspace.openTextDocument(docUri);
    const local = toExcerptRange(excerpt, range);
    await vscode.window.showTextDocument(doc, { selection: doc.validateRange(local), preview: true });
    // Not awaited: the excerpt is already on screen, the message only explains it.
    void vscode.window
      .showInformationMessage(
        `${path.basename(uri.fsPath)} is ${formatBytes(size)}, more than VS Code hands to extensions: this read-only excerpt shows ${label} of the file ` +
          `(its line 1 is line ${num(first)}${excerpt.firstCharacter > 0 ? `, from column ${num(excerpt.firstCharacter + 1)}` : ''})` +
          `${excerpt.truncated ? '; the record is longer than the excerpt and is cut short' : ''}.`,
        OPEN_FULL_FILE,
      )
      .then((choice) => {
        if (choice === OPEN_FULL_FILE) void vscode.commands.executeCommand('vscode.open', uri, { selection } satisfies vscode.TextDocumentShowOptions);
      });
  }

  /** Without the view (package.json does not declare it): the findings in a quick pick. */
  async function pick(result: AnalyzeFileResult): Promise<void> {
    const items = result.findings.map((finding) => ({
      label: `$(${SEVERITY_ICON[finding.severity].id}) ${finding.message}`,
      description: `${finding.code} · Ln ${finding.range.start.line + 1}, Col ${finding.range.start.character + 1}`,
      finding,
    }));
    const chosen = await vscode.window.showQuickPick(items, { title: `${path.basename(result.path)}: ${summary(result)}`, matchOnDescription: true });
    if (chosen) await reveal(result, chosen.finding.range, chosen.finding.source);
  }

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EXCERPT_SCHEME, excerpts),
    // From the palette: an open dialog; from the explorer: the file clicked (and any others selected).
    // Resolves with the results (for tests and other extensions).
    vscode.commands.registerCommand(COMMANDS.analyzeFile, async (clicked?: vscode.Uri, selected?: vscode.Uri[]): Promise<AnalyzeFileResult[]> => {
      let uris = selected?.length ? selected : clicked instanceof vscode.Uri ? [clicked] : undefined;
      if (!uris) {
        uris = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Analyze',
          title: 'Analyze Dump File',
          filters: { 'Amazon Connect dumps': ['json', 'jsonl', 'ndjson', 'firehose'], 'All files': ['*'] },
        });
      }
      const results: AnalyzeFileResult[] = [];
      for (const uri of uris ?? []) {
        try {
          const result = await analyze(uri);
          if (result) results.push(result);
        } catch (e) {
          void vscode.window.showErrorMessage(`Could not analyze ${path.basename(uri.fsPath)}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return results;
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.revealFileFinding, async (result: AnalyzeFileResult, range: FileRange, source?: FileFindingSource) => {
      try {
        await reveal(result, range, source);
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not open ${path.basename(result.path)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.clearFileFindings, async () => {
      provider.clear();
      results.clear();
      diagnostics.clear();
      stopWatching();
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasFileFindings, false);
    }),
    // A record's excerpt opened from the Problems panel: put the cursor on the finding.
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor?.document.uri.scheme !== EXCERPT_SCHEME || !editor.selection.isEmpty || !editor.selection.start.isEqual(new vscode.Position(0, 0))) return;
      const range = excerpts.placedRange(editor.document.uri);
      if (!range) return;
      const at = editor.document.validateRange(range);
      editor.selection = new vscode.Selection(at.start, at.end);
      editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    // Opened and handed over (e.g. "Open Anyway" in the web workbench): the server's live
    // diagnostics take over; closed again: the streamed findings come back.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (LIVE_LANGUAGES.has(doc.languageId) && diagnostics.has(doc.uri)) diagnostics.delete(doc.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const result = results.get(doc.uri.toString());
      if (result) setTimeout(() => publish(result), 0); // after VS Code dropped the document
    }),
  );
  return {
    onDidAnalyze: analyzed.event,
    resultFor: (uri) => results.get(uri.toString()),
    latest: () => {
      const last = [...results.keys()].pop();
      return last === undefined ? undefined : vscode.Uri.parse(last);
    },
  };
}
