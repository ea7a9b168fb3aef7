// The main thread's side of the index's reader (lsp/indexWorker.ts): one worker thread,
// started on first need, reading one file at a time. A worker that dies (a crash, out of
// memory) fails the files it was asked for with its error, and the next file starts a new
// one: the index goes on and never waits forever.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KeyLists } from '../core/compactValue';
import type { DecodeLimits } from '../core/envelopes';
import type { IndexedFile } from './dumpStore';
import { diskText, IndexedFileBuilder } from './indexedDump';
import type { CompactRecord, ReaderMessage, ReaderRequest } from './indexProtocol';

/** The worker's bundle, beside the server's (dist/). */
const WORKER_FILE = path.join(__dirname, 'indexWorker.js');
/**
 * A worker is replaced once it has read this much (and has nothing in flight): its heap
 * keeps the garbage of the files it parsed until V8 collects it, which a heap that size may
 * put off; a fresh worker costs a few tens of milliseconds, on its own thread.
 */
const RECYCLE_AFTER_BYTES = 32 * 1024 * 1024;

interface Pending {
  builder: IndexedFileBuilder;
  stat: { size: number; mtimeMs: number };
  file: string;
  limits: DecodeLimits;
  onStale: () => void;
  resolve(file: IndexedFile | undefined): void;
  reject(error: Error): void;
}

export class IndexReader {
  /** `workerFile`: the reader's script (tests give one that fails on purpose). */
  constructor(private readonly workerFile = WORKER_FILE) {}

  private worker: Worker | undefined;
  /** The key lists of the current worker (a new worker starts its own). */
  private keyLists = new KeyLists();
  /** Bytes the current worker was asked to read. */
  private bytesRead = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * The file's records as facts, or undefined when it holds no Connect record. Rejects when
   * it cannot be read. `stat`: what the caller saw of the file (its text is read back later
   * only if it is still the same); `onStale`: the file changed since.
   */
  read(uri: string, file: string, stat: { size: number; mtimeMs: number }, limits: DecodeLimits, onStale: () => void): Promise<IndexedFile | undefined> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { builder: new IndexedFileBuilder(this.keyLists), stat, file, limits, onStale, resolve, reject });
      const request: ReaderRequest = { type: 'read', id, uri, file, limits };
      this.bytesRead += stat.size;
      worker.ref(); // a file in flight keeps the process up; an idle reader does not
      worker.postMessage(request);
    });
  }

  /** Stops the worker (the server is shutting down); files in flight fail. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the workspace index stopped'));
    void worker?.terminate();
  }

  /** Lets the current worker go (its heap with it); the next file starts a new one. */
  private recycle(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    this.keyLists = new KeyLists();
    this.bytesRead = 0;
    worker.on('message', (m: ReaderMessage) => this.receive(worker, m));
    worker.on('error', (e) => this.workerGone(worker, e));
    worker.on('exit', (code) => this.workerGone(worker, new Error(`the index's reader stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private workerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  private receive(worker: Worker, m: ReaderMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'records') {
      this.keyLists.learn(m.keyLists);
      p.builder.add(m.part, JSON.parse(m.json) as CompactRecord[]);
      // The next batch only after requests waiting on this thread had their turn.
      const ack: ReaderRequest = { type: 'ack' };
      setImmediate(() => {
        if (this.worker === worker) worker.postMessage(ack);
      });
      return;
    }
    this.pending.delete(m.id);
    if (this.pending.size === 0) {
      if (this.bytesRead >= RECYCLE_AFTER_BYTES) this.recycle();
      else worker.unref();
    }
    if (m.type === 'error') return p.reject(new Error(m.message));
    if (m.notADump || !m.dump) return p.resolve(undefined);
    const text = m.text;
    const source = text !== undefined ? () => text : diskText(p.file, p.stat, p.onStale);
    p.resolve(p.builder.build(m.dump, source, p.limits, m.decoded));
  }
}
