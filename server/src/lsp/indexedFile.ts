// Reads one file for the workspace index, in the index worker (indexWorker.ts): gzip
// decompressed, envelopes decoded. Kept apart from the LSP features (decoded.ts and the
// handlers it imports) so the worker's bundle carries no LSP library to load at its start.
import { promises as fs } from 'node:fs';
import { decodedView, holdsConnectRecords } from '../core/analyze';
import { parseDump } from '../core/dump';
import { decodeEnvelopes, DecodeLimits, gunzipText, isGzip } from '../core/envelopes';
import type { IndexedFile } from './dumpStore';

/**
 * A file for the workspace index: gzip decompressed, envelopes decoded; undefined when it
 * holds no Connect record. `readText` reads a plain file (in chunks).
 */
export async function readIndexedFile(
  uri: string,
  file: string,
  readText: (file: string) => Promise<string>,
  limits: DecodeLimits,
): Promise<IndexedFile | undefined> {
  const handle = await fs.open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const text = isGzip(head) ? (await gunzipText(await fs.readFile(file), limits)).text : await readText(file);
  const dump = parseDump(uri, text);
  const envelopes = decodeEnvelopes(dump, limits);
  const decoded = envelopes && decodedView(uri, envelopes.kind, envelopes.entries, envelopes.envelopeRecords);
  if (!holdsConnectRecords(dump) && !(decoded && holdsConnectRecords(decoded.dump))) return undefined;
  return { dump, ...(decoded ? { decoded } : {}) };
}
