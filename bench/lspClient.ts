// A lean LSP client for the benchmark: like test/lsp/lspClient.ts, plus what measuring needs
// (the server's pid for /proc, arrival times of messages, listeners that go away when done).
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { SERVER_EXEC_ARGV } from '../server/src/shared/serverProcess';

type Handler = (params: any, at: number) => void;

export interface Publish {
  uri: string;
  version?: number;
  diagnostics: unknown[];
  at: number;
}

export class BenchLspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly spawnedAt = performance.now();
  private chunks: Buffer[] = [];
  private buffered = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Handler>>();
  /** The latest publishDiagnostics per URI. */
  readonly published = new Map<string, Publish>();
  stderr = '';
  exited = false;

  /**
   * `node`: the Node binary that runs the server (another server may need another Node);
   * `execArgv`: its Node flags, by default the ones our server ships with.
   */
  constructor(serverPath: string, args: string[] = ['--stdio'], node: string = process.execPath, execArgv: readonly string[] = SERVER_EXEC_ARGV) {
    this.proc = spawn(node, [...execArgv, serverPath, ...args], { stdio: 'pipe' });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.proc.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`server exited; stderr: ${this.stderr.slice(-2000)}`));
    });
    this.on('textDocument/publishDiagnostics', (p, at) => this.published.set(p.uri, { uri: p.uri, version: p.version, diagnostics: p.diagnostics, at }));
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  private onData(chunk: Buffer): void {
    const at = performance.now();
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    let buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) break;
      const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      buffer = buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body), at);
    }
    this.chunks = buffer.length ? [buffer] : [];
    this.buffered = buffer.length;
  }

  private dispatch(msg: any, at: number): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) {
      // Requests from the server: configuration (defaults), progress tokens, registrations.
      const result = msg.method === 'workspace/configuration' ? msg.params.items.map(() => ({})) : null;
      this.write({ jsonrpc: '2.0', id: msg.id, result });
    }
    for (const h of this.listeners.get(msg.method) ?? []) h(msg.params, at);
  }

  private write(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Subscribes; returns the unsubscribe function. */
  on(method: string, handler: Handler): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 60000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async initialize(rootUri: string | null = null, initializationOptions?: unknown): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      initializationOptions,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown'] },
          definition: { linkSupport: false },
        },
        window: { workDoneProgress: true },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  /** Resolves with the arrival time of the first publish for `uri` that `accept` takes. */
  waitForPublish(uri: string, accept: (p: Publish) => boolean, timeoutMs = 120000): Promise<Publish> {
    return new Promise((resolve, reject) => {
      const off = this.on('textDocument/publishDiagnostics', (p, at) => {
        const pub = { uri: p.uri, version: p.version, diagnostics: p.diagnostics, at };
        if (p.uri === uri && accept(pub)) {
          off();
          clearTimeout(timer);
          resolve(pub);
        }
      });
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
    });
  }

  /** Peak and current resident memory of the server process (Linux /proc). */
  memory(): { peakBytes: number; rssBytes: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
      return { peakBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
    } catch {
      return undefined;
    }
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, 5000);
      this.notify('exit', null);
    } catch {
      // fall through to kill
    }
    await new Promise<void>((resolve) => {
      if (this.exited) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
