// connectInspector/fileTimeline: the timeline (with Explain) of a contact in a file the editor
// does not hold, streamed from disk by core/streamTimeline.ts. Given a finding of the streamed
// analysis instead of a contact, the contact is read off the finding's record. The answer
// says where each record of the model is in the file, so that the client can open it there
// (or in the read-only excerpt, or in the decoded view of a .gz).
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { contactIdAt } from '../core/contactAt';
import { isContactIdLength, MAX_CONTACT_ID_CHARS, shownId } from '../core/contactIdLength';
import { parseDump } from '../core/dump';
import { decodeEnvelopes, DecodeLimits, gunzipStream, oneLine } from '../core/envelopes';
import { contactMentions } from '../core/mentions';
import { startsWithGzip } from '../core/stream';
import { streamedTimeline, StreamedRecord } from '../core/streamTimeline';
import type { Dump } from '../core/types';
import { FileFindingSource, FileTimelineParams, FileTimelineRecord, FileTimelineRequest, FileTimelineResult } from '../shared/protocol';
import type { ServerContext } from './context';
import { decodeLimits } from './decoded';

/** A finding's record is read whole only up to this size (an envelope file may be one record). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Bytes [from, to) of the file, or of its decompressed text for a gzip file. */
async function readBytes(file: string, from: number, to: number, gzip: boolean, limits: DecodeLimits): Promise<Buffer> {
  if (!gzip) {
    const fh = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(to - from);
      const { bytesRead } = await fh.read(buf, 0, buf.length, from);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  const parts: Buffer[] = [];
  let at = 0;
  await gunzipStream(createReadStream(file, { highWaterMark: 1024 * 1024 }), limits, (piece) => {
    const end = at + piece.length;
    if (end > from && at < to) parts.push(piece.subarray(Math.max(0, from - at), Math.min(piece.length, to - at)));
    at = end;
  });
  return Buffer.concat(parts);
}

/**
 * The records a finding is about, as a dump: its record, or for an envelope the records
 * decoded out of the encoded value the finding sits on (all of them when it sits elsewhere).
 */
async function recordsOfFinding(file: string, source: FileFindingSource, gzip: boolean, limits: DecodeLimits): Promise<Dump | undefined> {
  const rec = source.record;
  if (!rec || rec.byteEnd <= rec.byteStart || rec.byteEnd - rec.byteStart > MAX_RECORD_BYTES) return undefined;
  const bytes = await readBytes(file, rec.byteStart, rec.byteEnd, gzip, limits);
  const dump = parseDump('finding:', bytes.toString('utf8'));
  const envelopes = decodeEnvelopes(dump, limits);
  if (!envelopes) return dump;
  const at = bytes.subarray(0, Math.max(0, source.byte - rec.byteStart)).toString('utf8').length;
  const here = envelopes.entries.filter((e) => e.source.start <= at && at < e.source.end);
  return parseDump('finding:decoded', (here.length ? here : envelopes.entries).map((e) => e.line + '\n').join(''));
}

/**
 * The contacts a finding's record is about: each record's own contact (a contact record's
 * ContactId, an agent event's first contact, ...), else every contact it names.
 */
export async function contactsOfFinding(file: string, source: FileFindingSource, gzip: boolean, limits: DecodeLimits): Promise<string[]> {
  const dump = await recordsOfFinding(file, source, gzip, limits);
  if (!dump) return [];
  const own = new Set<string>();
  for (const r of dump.records) {
    const id = contactIdAt(dump, r.start);
    if (id) own.add(id);
  }
  return own.size > 0 ? [...own] : [...contactMentions(dump).mentions.keys()].filter(isContactIdLength);
}

/** A finding's record of a gzip file as its line in the decoded view (undefined for a record that is not valid JSON). */
export async function decodedLineOfFinding(file: string, source: FileFindingSource, limits: DecodeLimits): Promise<string | undefined> {
  const dump = await recordsOfFinding(file, source, true, limits);
  const record = dump?.records[0];
  return dump && record?.value !== undefined ? oneLine(dump, record) : undefined;
}

function fileRecord(r: StreamedRecord, gzip: boolean): FileTimelineRecord {
  const out: FileTimelineRecord = {
    uri: r.uri,
    range: { start: r.start, end: r.end },
    source: { byte: r.byteStart, record: { index: 0, byteStart: r.byteStart, byteEnd: r.byteEnd, start: r.start } },
  };
  if (gzip) {
    const dump = parseDump(r.uri, r.text);
    if (dump.records[0]) out.line = oneLine(dump, dump.records[0]);
  }
  return out;
}

export async function fileTimeline(
  ctx: ServerContext,
  params: FileTimelineParams,
  token?: CancellationToken,
  progress?: WorkDoneProgressReporter,
): Promise<FileTimelineResult> {
  let file: string;
  try {
    if (!params.uri.startsWith('file:')) return { kind: 'error', message: `Only files on disk can be read, not ${params.uri}.` };
    file = fileURLToPath(params.uri);
  } catch (e) {
    return { kind: 'error', message: `Not a file: ${e instanceof Error ? e.message : String(e)}` };
  }
  const name = path.basename(file);
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (e) {
    return { kind: 'error', message: `Cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const gzip = startsWithGzip(file);
  const limits = decodeLimits(ctx);
  let contactId = params.contactId?.trim();
  if (!contactId) {
    if (!params.source) return { kind: 'empty', message: 'No contact given.' };
    const ids = await contactsOfFinding(file, params.source, gzip, limits);
    if (ids.length === 0) return { kind: 'empty', message: `The record of this finding in ${name} names no contact.` };
    if (ids.length > 1) return { kind: 'choose', contactIds: ids };
    contactId = ids[0];
  }
  if (!isContactIdLength(contactId))
    return { kind: 'empty', message: `${shownId(contactId)} is no contact ID: Amazon Connect's have at most ${MAX_CONTACT_ID_CHARS} characters.` };

  const abort = new AbortController();
  const subscription = token?.onCancellationRequested(() => abort.abort());
  progress?.begin(`Reading contact ${contactId} from ${name}`, 0, undefined, true);
  let pass = 1;
  try {
    const result = await streamedTimeline(file, contactId, {
      uri: params.uri,
      limits,
      signal: abort.signal,
      findings: Array.isArray(params.findings) ? params.findings : undefined,
      onPass: (n) => (pass = n + 1),
      onProgress: (bytes) => progress?.report(size > 0 ? Math.min(100, Math.floor((bytes / size) * 100)) : 100, `pass ${pass}`),
    });
    if (result.cancelled) return { kind: 'empty', contactId, message: `Reading ${name} for contact ${contactId} was cancelled.` };
    if (!result.model) return { kind: 'empty', contactId, message: `No record in ${name} mentions contact ${contactId}.` };
    return {
      kind: 'model',
      model: result.model,
      records: [...result.records.values()].map((r) => fileRecord(r, gzip)),
      size,
      compressed: gzip,
      passes: result.passes,
      truncated: result.truncated,
    };
  } catch (e) {
    return { kind: 'error', message: `Could not build the timeline from ${name}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    subscription?.dispose();
    progress?.done();
  }
}

export function registerFileTimeline(ctx: ServerContext): void {
  ctx.connection.onRequest(FileTimelineRequest.type, (params, token) =>
    fileTimeline(ctx, params, token, ctx.connection.window.attachWorkDoneProgress(params.workDoneToken)),
  );
}
