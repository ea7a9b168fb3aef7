// Where the windows of a streamed analysis are read: in the reading thread (small inputs,
// tests) or in worker threads (big files: every core reads records). Both answer through
// callbacks, at once or later; the analysis (stream.ts) puts the answers back in order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CrossInput, CrossRead, crossCheckWindow, forgetWindows, readWindow, WindowInput, WindowRead } from './streamWindow';

export type WorkerRequest = { kind: 'read'; input: WindowInput } | { kind: 'cross'; input: CrossInput };
export type WorkerReply = { kind: 'read'; result: WindowRead } | { kind: 'cross'; result: CrossRead } | { kind: 'error'; seq: number; message: string };

export interface WindowRunner {
  read(input: WindowInput, done: (read: WindowRead) => void): void;
  cross(input: CrossInput, done: (read: CrossRead) => void): void;
  /** Stops: answers still due are dropped. */
  close(): void;
}

/** Reads windows in the calling thread, answering at once. */
export class InlineRunner implements WindowRunner {
  private run = -1;
  read(input: WindowInput, done: (read: WindowRead) => void): void {
    this.run = input.run;
    done(readWindow(input));
  }
  cross(input: CrossInput, done: (read: CrossRead) => void): void {
    done(crossCheckWindow(input));
  }
  close(): void {
    if (this.run >= 0) forgetWindows(this.run);
  }
}

/**
 * The worker script: dist/streamWorker.js next to the bundle that runs this (CLI, server),
 * or the TypeScript source when the core runs from source (tests, under tsx).
 */
function workerSource(): { file: string; evalCode?: string } | undefined {
  const bundled = join(__dirname, 'streamWorker.js');
  if (existsSync(bundled)) return { file: bundled };
  const source = join(__dirname, 'streamWorker.ts');
  if (existsSync(source)) return { file: source, evalCode: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});` };
  return undefined;
}

/** Whether worker threads can be started here (their script is found). */
export function workersAvailable(): boolean {
  return workerSource() !== undefined;
}

/** Windows spread over worker threads; a window's cross-record step runs where it was read. */
export class WorkerPool implements WindowRunner {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<string, (reply: WorkerReply) => void>();
  private closed = false;

  constructor(size: number, onError: (e: Error) => void) {
    const source = workerSource();
    if (!source) throw new Error('the worker script of the streamed analysis is missing');
    for (let i = 0; i < size; i++) {
      const worker = source.evalCode ? new Worker(source.evalCode, { eval: true }) : new Worker(source.file);
      worker.on('message', (reply: WorkerReply) => {
        const seq = reply.kind === 'error' ? reply.seq : reply.result.seq;
        const key = reply.kind === 'error' ? (this.waiting.has(`read:${seq}`) ? `read:${seq}` : `cross:${seq}`) : `${reply.kind}:${seq}`;
        const done = this.waiting.get(key);
        this.waiting.delete(key);
        if (reply.kind === 'error') {
          if (!this.closed) onError(new Error(`the streamed analysis failed in a worker: ${reply.message}`));
          return;
        }
        if (done && !this.closed) done(reply);
      });
      worker.on('error', (e) => {
        if (!this.closed) onError(e);
      });
      this.workers.push(worker);
    }
  }

  private post(request: WorkerRequest, done: (reply: WorkerReply) => void): void {
    if (this.closed) return;
    this.waiting.set(`${request.kind}:${request.input.seq}`, done);
    this.workers[request.input.seq % this.workers.length].postMessage(request);
  }

  read(input: WindowInput, done: (read: WindowRead) => void): void {
    this.post({ kind: 'read', input }, (reply) => done((reply as { result: WindowRead }).result));
  }

  cross(input: CrossInput, done: (read: CrossRead) => void): void {
    this.post({ kind: 'cross', input }, (reply) => done((reply as { result: CrossRead }).result));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting.clear();
    for (const w of this.workers) void w.terminate();
  }
}
