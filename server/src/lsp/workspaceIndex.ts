// The workspace index: dumps read from disk (files that are not open), so links, go to
// definition and references reach across a folder of dumps (a Firehose prefix in S3 is
// many files). Built in the background after `initialized`, one file at a time; the files
// are read and parsed in a worker thread (lsp/indexReader.ts), so the main thread only
// lists files and receives each record's facts, and hovers stay answered. Kept current by
// workspace/didChangeWatchedFiles. Only files that hold Connect records stay in memory,
// as facts (lsp/indexedDump.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, Disposable, FileChangeType, FileEvent, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
import { FIREHOSE_FIRST_LINE } from '../core/analyze';
import type { ServerContext } from './context';
import { decodeLimits, looksGzipped } from './decoded';
import { uriKey, type IndexedFile } from './dumpStore';
import { forgetDiskText } from './indexedDump';
import { IndexReader } from './indexReader';
import { DEFAULT_SETTINGS, type Settings } from './settings';

/** What the index reads of the settings (server.ts hands them over; the index reads none itself). */
type IndexSettings = Pick<Settings, 'files' | 'exclude' | 'maxIndexedFileSizeMB'>;

// ---- globs ------------------------------------------------------------------------------
// A small matcher for the glob syntax VS Code settings use (`**`, `*`, `?`, `{a,b}`,
// `[abc]`, `[!abc]`), so the server needs no extra runtime dependency.

const REGEX_SPECIAL = /[.+^$()|\\]/;

/** Compiles a glob to an anchored RegExp over `/`-separated paths relative to a workspace folder. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  let g = glob.replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  else if (g.startsWith('/')) g = g.slice(1);
  let out = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const atStart = i === 0 || g[i - 1] === '/';
        if (atStart && g[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
          continue;
        } // `**/`: any number of folders, none included
        if (atStart && i + 2 === g.length && i > 0) {
          out = out.slice(0, -1) + '(?:/.*)?';
          i += 1;
          continue;
        } // trailing `/**`: the folder itself or anything in it
        out += '.*';
        i += 1;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = g.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else if (c === '/' && g[i + 1] === '/') {
      // collapse `//`
    } else {
      out += REGEX_SPECIAL.test(c) || c === '{' || c === '}' || c === '[' || c === ']' ? '\\' + c : c;
    }
  }
  while (braces-- > 0) out += ')';
  return new RegExp(`^${out}$`, ignoreCase ? 'i' : '');
}

export class GlobSet {
  private readonly regexps: RegExp[];
  constructor(globs: readonly string[]) {
    const ignoreCase = process.platform === 'win32' || process.platform === 'darwin';
    this.regexps = globs.map((g) => globToRegExp(g, ignoreCase));
  }
  matches(relPath: string): boolean {
    return this.regexps.some((r) => r.test(relPath));
  }
}

// ---- which files -------------------------------------------------------------------------

const DUMP_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.firehose', '.gz']);

/** `parse`: read and keep if it holds Connect records; `sniff`: an extension-less file, Firehose only if its first line says so. */
export function candidateKind(fileName: string): 'parse' | 'sniff' | undefined {
  const ext = path.extname(fileName).toLowerCase();
  if (DUMP_EXTENSIONS.has(ext)) return 'parse';
  // Firehose names its S3 objects without an extension; dotfiles (.gitignore) are not dumps.
  if (ext === '' && !fileName.startsWith('.')) return 'sniff';
  return undefined;
}

const SNIFF_BYTES = 4096;

async function readHead(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// ---- initialize parameters ---------------------------------------------------------------
// server.ts owns the one `initialize` handler; it spreads workspaceIndexCapabilities(params)
// into its capabilities, which is how the index learns the folders and client abilities.

let initParams: InitializeParams | undefined;

/** The client's capabilities, once `initialize` has been answered. */
export function clientCapabilities(): InitializeParams['capabilities'] | undefined {
  return initParams?.capabilities;
}

export function workspaceIndexCapabilities(params: InitializeParams): Pick<ServerCapabilities, 'workspace'> {
  initParams = params;
  return { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
}

/** Only `file:` folders are indexed: a virtual workspace has nothing on disk to read. */
function folderPaths(folders: readonly { uri: string }[], log: (m: string) => void): string[] {
  const out: string[] = [];
  for (const f of folders) {
    if (!f.uri.startsWith('file:')) {
      log(`Workspace index: skipping ${f.uri} (not on disk).`);
      continue;
    }
    try {
      out.push(fileURLToPath(f.uri));
    } catch {
      log(`Workspace index: skipping ${f.uri} (not a local path).`);
    }
  }
  return out;
}

// ---- the index -------------------------------------------------------------------------------

type Put = (uri: string, file: IndexedFile | undefined) => void;

/**
 * A build hands the files it read to the store in groups, not one by one: each change of the
 * store makes the next contact hover or definition rebuild the workspace model over every
 * dump, which a folder of many files would pay per file, during the hovers the index must
 * not slow down.
 */
const COMMIT_EVERY_MS = 15_000;

export interface IndexStats {
  files: number;
  dumps: number;
  records: number;
  skipped: number;
  failed: number;
  ms: number;
}

export class WorkspaceIndex {
  private settings: IndexSettings = DEFAULT_SETTINGS;
  private files = new GlobSet(DEFAULT_SETTINGS.files);
  private exclude = new GlobSet(DEFAULT_SETTINGS.exclude);
  private folders: string[] = [];
  private started = false;
  /** Bumped to abandon a rebuild in flight (settings or folders changed). */
  private token = 0;
  /** Index work runs one task at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: Disposable | undefined;
  private watchedGlobs: string | undefined;
  /** The last full build, for tests and logs. */
  lastBuild: IndexStats | undefined;
  /** Reads and parses files in a worker thread. */
  private readonly reader = new IndexReader();

  constructor(
    private readonly ctx: ServerContext,
    private readonly republish: () => void,
  ) {}

  private log(message: string): void {
    this.ctx.connection.console.log(message);
  }

  /** Reads the folders and builds the index with these settings (after `initialized`). Idempotent. */
  start(settings: IndexSettings): void {
    if (this.started) return;
    this.started = true;
    const params = initParams;
    const folders = params?.workspaceFolders ?? (params?.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.folders = folderPaths(folders, (m) => this.log(m));
    try {
      if (params?.capabilities.workspace?.workspaceFolders) {
        this.ctx.connection.workspace.onDidChangeWorkspaceFolders((e) => {
          const removed = new Set(folderPaths(e.removed, () => undefined));
          this.folders = [...this.folders.filter((f) => !removed.has(f)), ...folderPaths(e.added, (m) => this.log(m))];
          void this.rebuild();
        });
      }
    } catch (e) {
      this.log(`Workspace index: folder changes will not be followed (${String(e)}).`);
    }
    void this.useSettings(settings).then(() => this.rebuild());
  }

  /** The settings changed (server.ts): rebuild when the file selection changed. */
  settingsChanged(settings: IndexSettings): void {
    if (!this.started) return;
    const before = JSON.stringify(this.selection(this.settings));
    void this.useSettings(settings).then(() => {
      if (JSON.stringify(this.selection(this.settings)) !== before) void this.rebuild();
    });
  }

  private selection(s: IndexSettings): IndexSettings {
    return { files: s.files, exclude: s.exclude, maxIndexedFileSizeMB: s.maxIndexedFileSizeMB };
  }

  private async useSettings(settings: IndexSettings): Promise<void> {
    this.settings = this.selection(settings);
    this.files = new GlobSet(this.settings.files);
    this.exclude = new GlobSet(this.settings.exclude);
    await this.registerWatcher();
  }

  /** Asks the client to watch the indexed globs, when it lets servers register watchers themselves. */
  private async registerWatcher(): Promise<void> {
    if (!initParams?.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const globs = JSON.stringify(this.settings.files);
    if (this.watcher && globs === this.watchedGlobs) return;
    this.watchedGlobs = globs;
    try {
      this.watcher?.dispose();
      this.watcher = await this.ctx.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: this.settings.files.map((globPattern) => ({ globPattern })),
      });
    } catch (e) {
      this.log(`Workspace index: could not register a file watcher (${String(e)}).`);
    }
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The folder `file` lies in and its `/`-separated path relative to it. */
  private relative(file: string): { folder: string; rel: string } | undefined {
    for (const folder of this.folders) {
      const rel = path.relative(folder, file);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { folder, rel: rel.split(path.sep).join('/') };
    }
    return undefined;
  }

  private wanted(rel: string): boolean {
    return this.files.matches(rel) && !this.exclude.matches(rel) && candidateKind(path.posix.basename(rel)) !== undefined;
  }

  /** Lists the candidate files under a folder, pruning excluded folders; never follows symbolic links. */
  private async walk(root: string, dir: string, out: string[], token: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      this.log(`Workspace index: cannot list ${dir}: ${(e as Error).message}`);
      return;
    }
    for (const entry of entries) {
      if (token !== this.token) return;
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!this.exclude.matches(rel)) await this.walk(root, full, out, token);
      } else if (entry.isFile() && this.wanted(rel)) {
        out.push(full);
      }
    }
  }

  /** Rebuilds from scratch (in the background, with progress); stale entries are dropped at the end. */
  rebuild(): Promise<IndexStats | undefined> {
    const token = ++this.token;
    return this.enqueue(() => this.build(token));
  }

  private async build(token: number): Promise<IndexStats | undefined> {
    if (token !== this.token) return undefined;
    if (this.folders.length === 0) {
      // No folder on disk (a single file, or a virtual workspace): nothing to index, no progress to show.
      for (const uri of this.ctx.store.indexedUris()) this.ctx.store.setIndexed(uri, undefined);
      return undefined;
    }
    const started = Date.now();
    const progress = await this.ctx.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Connect Inspector: indexing dumps', 0, 'listing files', true);
    const stats: IndexStats = { files: 0, dumps: 0, records: 0, skipped: 0, failed: 0, ms: 0 };
    const seen = new Set<string>();
    let cancelled = false;
    let read: [string, IndexedFile | undefined][] = [];
    let committed = Date.now();
    const commit = () => {
      for (const [uri, file] of read) this.ctx.store.setIndexed(uri, file);
      read = [];
      committed = Date.now();
    };
    try {
      const files: string[] = [];
      for (const folder of this.folders) await this.walk(folder, folder, files, token);
      for (const [i, file] of files.entries()) {
        if (token !== this.token || progress?.token.isCancellationRequested) {
          cancelled = true;
          break;
        }
        const uri = pathToFileURL(file).href;
        seen.add(uriKey(uri));
        const result = await this.indexFile(file, uri, (u, f) => read.push([u, f]));
        if (Date.now() - committed >= COMMIT_EVERY_MS) commit();
        stats.files++;
        if (result === 'skipped') stats.skipped++;
        else if (result === 'failed') stats.failed++;
        else if (typeof result === 'number') {
          stats.dumps++;
          stats.records += result;
        }
        if (i % 10 === 0) progress?.report(Math.round((100 * (i + 1)) / files.length), `${i + 1} of ${files.length} files`);
        await yieldToEventLoop();
      }
      commit(); // a cancelled build keeps what it read, as links may still use it
      if (!cancelled) {
        for (const uri of this.ctx.store.indexedUris()) if (!seen.has(uriKey(uri))) this.ctx.store.setIndexed(uri, undefined);
      }
    } finally {
      progress?.done();
    }
    stats.ms = Date.now() - started;
    if (!cancelled) {
      this.lastBuild = stats;
      this.log(
        `Workspace index: ${stats.dumps} dumps (${stats.records} records) in ${stats.files} files, ` +
          `${stats.skipped} skipped, ${stats.failed} unreadable, ${stats.ms} ms.`,
      );
    } else if (token === this.token) {
      this.log('Workspace index: indexing cancelled; links may miss records from files not read.');
    }
    if (token === this.token) this.republish();
    return cancelled ? undefined : stats;
  }

  /** Whether the file is open and analysed (the store keeps no disk copy of it, and reads it again on close). */
  private isOpen(uri: string): boolean {
    const key = uriKey(uri);
    return this.ctx.documents.all().some((d) => uriKey(d.uri) === key && this.ctx.store.has(d.uri));
  }

  /** Hands a file read (or undefined: not a dump) to the store at once (watcher events, a document closed). */
  private readonly putNow: Put = (uri, file) => this.ctx.store.setIndexed(uri, file);

  /** Reads one file into the store; never throws. Returns the record count of a dump kept. */
  private async indexFile(file: string, uri: string, put: Put = this.putNow): Promise<number | 'not-a-dump' | 'skipped' | 'failed'> {
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) {
        put(uri, undefined);
        return 'not-a-dump';
      }
      if (stat.size > this.settings.maxIndexedFileSizeMB * 1024 * 1024) {
        this.log(
          `Workspace index: skipping ${file} (${(stat.size / 1048576).toFixed(1)} MB, over connectInspector.maxIndexedFileSizeMB = ${this.settings.maxIndexedFileSizeMB}).`,
        );
        put(uri, undefined);
        return 'skipped';
      }
      if (candidateKind(path.basename(file)) === 'sniff' && !((head) => FIREHOSE_FIRST_LINE.test(head) || looksGzipped(head))(await readHead(file))) {
        put(uri, undefined);
        return 'not-a-dump';
      }
      if (this.isOpen(uri)) {
        // The open document stands for the file: the store only notes the URI, to have it read
        // when the document closes (at once, not with the build's group: it may close first).
        this.putNow(uri, { dump: { uri, text: '', format: 'empty', records: [], syntaxFindings: [] } });
        return 'not-a-dump';
      }
      // gzip decompressed and envelopes decoded (lsp/decoded.ts), in the reader's thread.
      forgetDiskText(file);
      let stale = false;
      const readAgain = () => {
        if (stale) return;
        stale = true;
        void this.reread(uri);
      };
      const read = await this.reader.read(uri, file, { size: stat.size, mtimeMs: stat.mtimeMs }, decodeLimits(this.ctx), readAgain);
      if (!read) {
        put(uri, undefined);
        return 'not-a-dump';
      }
      put(uri, read);
      return read.dump.records.length + (read.decoded?.dump.records.length ?? 0);
    } catch (e) {
      // One unreadable file (permissions, deleted meanwhile) must not stop the others.
      this.log(`Workspace index: cannot read ${file}: ${(e as Error).message}`);
      put(uri, undefined);
      return 'failed';
    }
  }

  /** Reads one indexed file again (its document was closed: the store held no disk copy while it was open). */
  reread(uri: string): Promise<void> {
    return this.enqueue(async () => {
      let file: string;
      try {
        file = fileURLToPath(uri);
      } catch {
        return;
      }
      await this.indexFile(file, uri);
      this.republish();
    });
  }

  /** Applies file watcher events: changed and created files are read again, deleted ones dropped. */
  filesChanged(changes: readonly FileEvent[]): Promise<void> {
    return this.enqueue(async () => {
      let touched = false;
      for (const change of changes) {
        if (!change.uri.startsWith('file:')) continue;
        let file: string;
        try {
          file = fileURLToPath(change.uri);
        } catch {
          continue;
        }
        const where = this.relative(file);
        if (!where || this.exclude.matches(where.rel)) continue;
        const uri = pathToFileURL(file).href;
        if (change.type === FileChangeType.Deleted) {
          // A deleted folder takes its files with it.
          const prefix = uriKey(uri) + path.sep;
          for (const u of this.ctx.store.indexedUris()) {
            const key = uriKey(u);
            if (key === uriKey(uri) || key.startsWith(prefix)) {
              this.ctx.store.setIndexed(u, undefined);
              touched = true;
            }
          }
          continue;
        }
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat?.isDirectory()) {
          // A folder moved in: index what it holds.
          const found: string[] = [];
          await this.walk(where.folder, file, found, this.token);
          for (const f of found) {
            await this.indexFile(f, pathToFileURL(f).href);
            await yieldToEventLoop();
          }
          touched = touched || found.length > 0;
        } else if (this.wanted(where.rel)) {
          await this.indexFile(file, uri);
          touched = true;
          await yieldToEventLoop();
        }
      }
      if (touched) this.republish();
    });
  }
}

/**
 * Creates the index and wires file events; server.ts starts it after `initialized` and
 * hands it every settings change.
 */
export function registerWorkspaceIndex(ctx: ServerContext, republish: () => void): WorkspaceIndex {
  const index = new WorkspaceIndex(ctx, republish);
  ctx.store.onReleased((uri) => void index.reread(uri));
  ctx.connection.onDidChangeWatchedFiles((params) => void index.filesChanged(params.changes));
  return index;
}
