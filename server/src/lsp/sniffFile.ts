// connectInspector/sniffFile: does a file on disk that the editor did not hand over (too large,
// binary, gzip) hold Amazon Connect records? Reads its first bytes only (inflated when gzip)
// and answers with the core's own tests: the Firehose first-line pattern, or a record that
// the core classifies as an agent event or a contact record. Anything else is `not-dump`, so
// a large JSON file that is not a dump gets no offer.
import { createReadStream, promises as fsp } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { FIREHOSE_FIRST_LINE, holdsConnectRecords } from '../core/analyze';
import { parseDump } from '../core/dump';
import { SniffFileParams, SniffFileRequest, SniffFileResult } from '../shared/protocol';
import type { ServerContext } from './context';
import { isGzip } from '../core/envelopes';

/** Text read for the verdict: a few records of any real dump. */
export const SNIFF_BYTES = 64 * 1024;

async function readHead(file: string, max: number): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `max` bytes of the inflated stream; a stream cut short still gives what it inflated. */
async function inflatedHead(file: string, max: number): Promise<Buffer> {
  const source = createReadStream(file, { highWaterMark: 16 * 1024 });
  const gunzip = createGunzip();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of source.pipe(gunzip)) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= max) break;
    }
  } catch (e) {
    if (length === 0) throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max);
}

/** True when the start of a text holds an agent event or a contact record. */
export function headHoldsConnectRecords(head: string): boolean {
  const text = head.replace(/^\ufeff/, '');
  if (FIREHOSE_FIRST_LINE.test(text)) return true;
  // The last record is usually cut: keep whole lines (JSON Lines), or everything (one-line dumps).
  const cut = text.lastIndexOf('\n');
  return holdsConnectRecords(parseDump('sniff:', cut > 0 ? text.slice(0, cut) : text));
}

export async function sniffFile(params: SniffFileParams): Promise<SniffFileResult> {
  let file: string;
  let size = 0;
  let compressed = false;
  try {
    file = fileURLToPath(params.uri);
  } catch (e) {
    return { verdict: 'unreadable', size, compressed, error: `Not a file: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    const stat = await fsp.stat(file);
    if (!stat.isFile()) return { verdict: 'unreadable', size, compressed, error: `Not a file: ${file}` };
    size = stat.size;
    let head = await readHead(file, SNIFF_BYTES);
    compressed = isGzip(head);
    if (compressed) head = await inflatedHead(file, SNIFF_BYTES);
    return { verdict: headHoldsConnectRecords(head.toString('utf8')) ? 'dump' : 'not-dump', size, compressed };
  } catch (e) {
    return { verdict: 'unreadable', size, compressed, error: `Cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function registerSniffFile(ctx: ServerContext): void {
  ctx.connection.onRequest(SniffFileRequest.type, (params) => sniffFile(params));
}
