// A minimal LSP client for tests: starts `node <SERVER_EXEC_ARGV> dist/server.js --stdio` and speaks
// JSON-RPC over its stdin/stdout like an editor would.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import { SERVER_EXEC_ARGV } from '../../server/src/shared/serverProcess';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: Diagnostic['range'] }; message: string }[];
  data?: unknown;
}

type Handler = (params: any) => void;

export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Handler[]>();
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  /** Answers to the server's workspace/configuration requests. */
  configuration: unknown = {};
  stderr = '';

  constructor(args: string[] = ['--stdio']) {
    this.proc = spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, ...args], { stdio: 'pipe' });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.on('textDocument/publishDiagnostics', (p) => this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics }));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body));
    }
  }

  private dispatch(msg: any): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    } else if (msg.id !== undefined) {
      // A request from the server.
      let result: unknown = null;
      if (msg.method === 'workspace/configuration') result = msg.params.items.map(() => this.configuration);
      this.write({ jsonrpc: '2.0', id: msg.id, result });
    } else {
      for (const h of this.listeners.get(msg.method) ?? []) h(msg.params);
    }
  }

  private write(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  on(method: string, handler: Handler): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), handler]);
  }

  /** A custom request is sent by its type from server/src/shared/protocol.ts, standard LSP ones by method name. */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<T = any>(method: string, params: unknown): Promise<T>;
  request(methodOrType: string | { method: string }, params: unknown): Promise<unknown> {
    const method = typeof methodOrType === 'string' ? methodOrType : methodOrType.method;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify<P>(type: NotificationType<P>, params: P): void;
  notify(method: string, params: unknown): void;
  notify(methodOrType: string | { method: string }, params: unknown): void {
    const method = typeof methodOrType === 'string' ? methodOrType : methodOrType.method;
    this.write({ jsonrpc: '2.0', method, params });
  }

  async initialize(options: { rootUri?: string | null; initializationOptions?: unknown; configuration?: boolean } = {}): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      workspaceFolders: options.rootUri ? [{ uri: options.rootUri, name: 'ws' }] : null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: { configuration: options.configuration ?? true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown'] } },
        window: { workDoneProgress: true },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.diagnostics.delete(uri);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Resolves with the diagnostics of `uri` once a publish satisfies `accept` (default: any publish for `version`). */
  waitForDiagnostics(
    uri: string,
    accept: (d: { version?: number; diagnostics: Diagnostic[] }) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) {
        resolve(current.diagnostics);
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.on('textDocument/publishDiagnostics', (p) => {
        if (p.uri === uri && accept(p)) {
          clearTimeout(timer);
          resolve(p.diagnostics);
        }
      });
    });
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.proc.kill(), 500).unref();
    }
  }
}
