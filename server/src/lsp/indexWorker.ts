// The workspace index's reader, in a worker thread (its own bundle, dist/indexWorker.js):
// reads a file (gzip decompressed, envelopes decoded), parses it and posts back only the
// facts of each record, so the server's main thread never parses a file of the index.
import { open, readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { compactValue, INDEX_FACTS, KeyLists } from '../core/compactValue';
import { isGzip } from '../core/envelopes';
import type { Dump } from '../core/types';
import { readIndexedFile } from './indexedFile';
import { BATCHES_IN_FLIGHT, RECORDS_PER_MESSAGE, type CompactRecord, type ReaderMessage, type ReaderRequest, type ReadFileRequest } from './indexProtocol';

const port = parentPort;
if (!port) throw new Error('indexWorker.js runs as a worker thread of the language server.');

const keyLists = new KeyLists();
const readText = (file: string): Promise<string> => readFile(file, 'utf8');

/** Batches the main thread may still receive before it acknowledges one. */
let credits = BATCHES_IN_FLIGHT;
let acknowledged: (() => void) | undefined;

async function postRecords(id: number, part: 'dump' | 'decoded', dump: Dump): Promise<void> {
  for (let from = 0; from < dump.records.length; from += RECORDS_PER_MESSAGE) {
    while (credits === 0) await new Promise<void>((resolve) => (acknowledged = resolve));
    credits--;
    const records: CompactRecord[] = dump.records.slice(from, from + RECORDS_PER_MESSAGE).map((r) => ({
      index: r.index,
      start: r.start,
      end: r.end,
      kind: r.kind,
      value: r.kind === undefined ? r.value : compactValue(r.value, INDEX_FACTS[r.kind], keyLists),
    }));
    post({ id, type: 'records', part, json: JSON.stringify(records), keyLists: keyLists.takeNew() });
  }
}

function post(message: ReaderMessage): void {
  port!.postMessage(message);
}

async function read(request: ReadFileRequest): Promise<void> {
  const { id } = request;
  try {
    const file = await readIndexedFile(request.uri, request.file, readText, request.limits);
    if (!file) return post({ id, type: 'done', notADump: true });
    const { dump, decoded } = file;
    await postRecords(id, 'dump', dump);
    if (decoded) await postRecords(id, 'decoded', decoded.dump);
    // A plain file's text is read back from disk when a position is needed; a decoded one's is sent.
    const plain = !decoded && !(await startsWithGzipMagic(request.file));
    post({
      id,
      type: 'done',
      dump: { uri: dump.uri, format: dump.format, syntaxFindings: dump.syntaxFindings },
      ...(plain ? {} : { text: dump.text }),
      ...(decoded
        ? {
            decoded: {
              uri: decoded.dump.uri,
              format: decoded.dump.format,
              syntaxFindings: decoded.dump.syntaxFindings,
              kind: decoded.kind,
              envelopeRecords: [...decoded.envelopeRecords],
              text: decoded.dump.text,
            },
          }
        : {}),
    });
  } catch (e) {
    post({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return isGzip(head);
  } finally {
    await handle.close();
  }
}

// One file at a time, in the order asked.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ReaderRequest) => {
  if (request.type === 'ack') {
    credits++;
    acknowledged?.();
    acknowledged = undefined;
    return;
  }
  queue = queue.then(() => read(request));
});
