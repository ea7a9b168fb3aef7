// The timeline webview panel: lifecycle, following the cursor, messages, reveal-in-source.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, DUMP_LANGUAGE_IDS, WEBVIEW_PANELS } from '../../server/src/shared/ids';
import { TimelineParams, TimelineRequest, TimelineResult } from '../../server/src/shared/protocol';
import { ExtensionToWebview, idLabel, isWebviewToExtension, TimelineModel, WebviewToExtension } from '../../server/src/shared/timeline';
import type { FileTimelineOrigin } from './fileTimeline';

/** The source URIs of a timeline read from a file on disk: `<file>#L<line>C<column>` (core/streamTimeline.ts). */
const FILE_RECORD_FRAGMENT = /^L\d+C\d+/;

/** What the webview keeps with setState (its last model), read back after a reload. */
interface PanelState {
  model?: TimelineModel;
}

export class TimelinePanel implements vscode.WebviewPanelSerializer<PanelState>, vscode.Disposable {
  static readonly viewType = WEBVIEW_PANELS.timeline;
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pending: ExtensionToWebview | undefined;
  private model: TimelineModel | undefined;
  /** Set while the panel shows a timeline read from a file on disk (fileTimeline.ts): its bars open through it. */
  private origin: FileTimelineOrigin | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  /** Listeners that live as long as the open panel: disposed when it closes. */
  private panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly clientReady: () => Promise<LanguageClient>,
  ) {}

  async show(uri?: vscode.Uri, contactId?: string): Promise<void> {
    this.ensurePanel();
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    await this.refresh(target, contactId, editor && (!uri || editor.document.uri.toString() === uri.toString()) ? editor.selection.active : undefined);
  }

  /** A timeline the server read from a file on disk: drawn as it is (it does not follow the cursor of that file). */
  showFileModel(model: TimelineModel, origin: FileTimelineOrigin): void {
    this.ensurePanel();
    this.origin = origin;
    this.model = model;
    if (this.panel) this.panel.title = `Contact Timeline: ${idLabel(model.contactId)}`;
    this.post({ type: 'model', model });
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    this.adopt(panel);
    const model = state?.model;
    const sourceUri = model?.lanes.flatMap((l) => l.segments).find((s) => typeof s.source?.uri === 'string')?.source.uri;
    const uri = sourceUri ? vscode.Uri.parse(sourceUri) : undefined;
    if (uri && FILE_RECORD_FRAGMENT.test(uri.fragment) && typeof model?.contactId === 'string') {
      // Read from a file on disk: read again (opening the file as a document is what the user avoided).
      await vscode.commands.executeCommand(COMMANDS.showFileTimeline, uri.with({ fragment: '' }), model.contactId);
      return;
    }
    if (uri) {
      try {
        await vscode.workspace.openTextDocument(uri); // the server only knows open documents
      } catch {
        /* the file is gone: the panel says so below */
      }
    }
    await this.refresh(uri, typeof model?.contactId === 'string' ? model.contactId : undefined, undefined);
  }

  private ensurePanel(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    this.adopt(
      vscode.window.createWebviewPanel(
        TimelinePanel.viewType,
        'Contact Timeline',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      ),
    );
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.disposePanelListeners();
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.model = undefined;
        this.origin = undefined;
        this.pending = undefined;
        this.disposePanelListeners();
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const editor = vscode.window.activeTextEditor;
        if (editor && e.document === editor.document) this.follow(editor, true);
      }),
    );
  }

  private disposePanelListeners(): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = undefined;
    const listeners = this.panelDisposables;
    this.panelDisposables = [];
    for (const d of listeners) d.dispose();
  }

  /** Redraws for the contact under the cursor when it changes (debounced). */
  private follow(editor: vscode.TextEditor, contentChanged = false): void {
    if (!this.panel || !DUMP_LANGUAGE_IDS.includes(editor.document.languageId)) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(
      () => {
        void this.refresh(editor.document.uri, undefined, editor.selection.active, !contentChanged);
      },
      contentChanged ? 400 : 200,
    );
  }

  private async refresh(
    uri: vscode.Uri | undefined,
    contactId: string | undefined,
    position: vscode.Position | undefined,
    onlyIfContactChanged = false,
  ): Promise<void> {
    if (!this.panel) return;
    if (!uri) {
      this.post({ type: 'empty', reason: 'no-contact' });
      return;
    }
    const params: TimelineParams = {
      uri: uri.toString(),
      position: position ? { line: position.line, character: position.character } : { line: 0, character: 0 },
      contactId,
    };
    let result: TimelineResult;
    try {
      result = await (await this.clientReady()).sendRequest(TimelineRequest.type, params);
    } catch (e) {
      result = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    if (result.kind === 'model') {
      if (onlyIfContactChanged && this.model && this.model.contactId === result.model.contactId && JSON.stringify(this.model) === JSON.stringify(result.model))
        return;
      this.model = result.model;
      this.origin = undefined;
      this.panel.title = `Contact Timeline: ${idLabel(result.model.contactId)}`;
      this.post({ type: 'model', model: result.model });
    } else if (onlyIfContactChanged && this.model) {
      // Moving the cursor off a contact keeps the last timeline on screen.
      return;
    } else if (result.kind === 'empty') {
      this.model = undefined;
      this.origin = undefined;
      this.post({ type: 'empty', reason: result.reason, contactId: result.contactId });
    } else {
      this.post({ type: 'error', message: result.message });
    }
  }

  private post(message: ExtensionToWebview): void {
    if (!this.panel) return;
    if (!this.ready) {
      this.pending = message;
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** Every message is checked against its type before the extension acts on it. */
  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewToExtension(raw)) return;
    const m: WebviewToExtension = raw;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.pending) {
          const p = this.pending;
          this.pending = undefined;
          this.post(p);
        }
        return;
      case 'reveal':
        return this.reveal(m.source);
      case 'export':
        return this.export(m.format, m.data);
    }
  }

  private knownUris(): Set<string> {
    const uris = new Set<string>();
    const visit = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      if (Array.isArray(x)) {
        x.forEach(visit);
        return;
      }
      for (const [k, v] of Object.entries(x)) {
        if (k === 'uri' && typeof v === 'string') uris.add(v);
        else visit(v);
      }
    };
    visit(this.model);
    return uris;
  }

  private async reveal(source: { uri: string; start: number; end: number }): Promise<void> {
    if (this.origin?.has(source.uri)) return this.origin.reveal(source.uri);
    // Only documents the current timeline came from: the webview cannot open arbitrary files.
    if (!this.knownUris().has(source.uri)) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri));
    const range = new vscode.Range(doc.positionAt(source.start), doc.positionAt(source.end));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
  }

  private async export(format: 'svg' | 'png', data: string): Promise<void> {
    const name = `contact-timeline-${this.model?.contactId ?? 'export'}.${format}`.replace(/[^\w.-]/g, '_');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    let bytes: Uint8Array;
    if (format === 'svg') bytes = Buffer.from(data, 'utf8');
    else {
      const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
      if (!match) return;
      bytes = Buffer.from(match[1], 'base64');
    }
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Timeline saved to ${target.fsPath}`);
  }

  private html(webview: vscode.Webview): string {
    const nonce = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256))).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'timeline.css'));
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}"><title>Contact Timeline</title></head>
<body><div id="app" role="application" aria-label="Contact timeline"></div>
<script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanelListeners();
  }
}
