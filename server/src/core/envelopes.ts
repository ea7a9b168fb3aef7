// The envelopes Amazon Connect records travel in, recognised by their shape (never by file
// name), and the records decoded out of them. Each decoded record remembers the span of its
// encoded value in the original text, so that a finding inside it can be shown there.
// Shapes (field names from the AWS documentation, see ../shared/DOMAIN.md "Envelopes"):
// - `aws kinesis get-records`: {"Records":[{"SequenceNumber","ApproximateArrivalTimestamp","Data":<base64>,"PartitionKey"}],"NextShardIterator"}
//   (and its records one per line, as `jq -c '.Records[]'` prints them);
// - a Lambda Kinesis trigger: {"Records":[{"kinesis":{"data":<base64>,...},"eventSource":"aws:kinesis"}]};
// - the Firehose transformation event {"invocationId","records":[{"recordId","data":<base64>}]},
//   its response {"records":[{"recordId","result","data"}]} and error records in S3 ({"rawData","errorCode",...});
// - CloudWatch Logs: filter-log-events / get-log-events output {"events":[{"timestamp","message":<JSON text>}]},
//   subscription payloads {"messageType","logEvents":[{"id","timestamp","message"}]}, and the
//   gzip + base64 form Lambda receives ({"awslogs":{"data":<base64>}}).
// gzip files (as Firehose writes to S3) are read by readGzip, before any of this.
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { parseDump } from './dump';
import { locate, locateScalars } from './positions';
import { isObject, JsonObject } from './json';
import { classifyRecord } from './records';
import type { Dump, DumpRecord, Finding, JsonPath, RecordKind, Span } from './types';

export const ENVELOPE_KINDS = [
  'kinesis-get-records',
  'lambda-kinesis',
  'firehose-transform',
  'firehose-response',
  'firehose-error',
  'cloudwatch-logs',
  'cloudwatch-subscription',
  'gzip',
] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

/** Decompression limit (connectInspector.maxDecompressedSizeMB): a gzip bomb stops here. */
export const DEFAULT_MAX_DECOMPRESSED_MB = 1024;

export interface DecodeLimits {
  maxDecompressedBytes: number;
}

export const DEFAULT_LIMITS: DecodeLimits = { maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024 };

/** How a payload is encoded inside its envelope. */
type Encoding = 'base64' | 'text' | 'base64-gzip';

/** One encoded value found in an envelope record: where it is and how to read it. */
interface EncodedValue {
  envelope: EnvelopeKind;
  path: JsonPath;
  /** The field as the user sees it in messages ("Data", "kinesis.data", "message"). */
  label: string;
  encoding: Encoding;
  /** CloudWatch messages hold any log text: only Connect records in them count, the rest is not an error. */
  optional: boolean;
}

/** An envelope record's payloads, or undefined when the record is not an envelope. */
interface EnvelopeShape {
  kind: EnvelopeKind;
  values: EncodedValue[];
  /** The key of the array of records when it is empty (a finding: nothing in it can be checked). */
  empty?: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';

function listOf(value: JsonObject, key: string): unknown[] | undefined {
  const v = value[key];
  return Array.isArray(v) ? v : undefined;
}

/** The envelope shape of one top-level record (a page of records or a single entry). */
export function envelopeShape(value: unknown): EnvelopeShape | undefined {
  if (!isObject(value)) return undefined;
  const one = (kind: EnvelopeKind, path: JsonPath, label: string, encoding: Encoding, optional = false): EnvelopeShape => ({
    kind,
    values: [{ envelope: kind, path, label, encoding, optional }],
  });
  const each = (kind: EnvelopeKind, key: string, items: unknown[], rest: JsonPath, label: string, encoding: Encoding, optional = false): EnvelopeShape => ({
    kind,
    values: items.map((_, i) => ({ envelope: kind, path: [key, i, ...rest], label, encoding, optional })),
    ...(items.length === 0 ? { empty: key } : {}),
  });
  // Kinesis: a get-records page, a Lambda trigger event, or one get-records entry on its own line.
  const records = listOf(value, 'Records');
  if (records) {
    const first = records.find(isObject);
    if (first && isObject(first.kinesis)) return each('lambda-kinesis', 'Records', records, ['kinesis', 'data'], 'kinesis.data', 'base64');
    if (first && 'Data' in first) return each('kinesis-get-records', 'Records', records, ['Data'], 'Data', 'base64');
    if (records.length === 0 && ('NextShardIterator' in value || 'MillisBehindLatest' in value))
      return each('kinesis-get-records', 'Records', records, ['Data'], 'Data', 'base64');
    if (records.length === 0) return each('lambda-kinesis', 'Records', records, ['kinesis', 'data'], 'kinesis.data', 'base64');
  }
  if (isString(value.Data) && 'SequenceNumber' in value) return one('kinesis-get-records', ['Data'], 'Data', 'base64');
  if (isObject(value.kinesis) && 'data' in value.kinesis) return one('lambda-kinesis', ['kinesis', 'data'], 'kinesis.data', 'base64');
  // Firehose.
  const fh = listOf(value, 'records');
  if (fh && (isString(value.invocationId) || 'deliveryStreamArn' in value)) return each('firehose-transform', 'records', fh, ['data'], 'data', 'base64');
  if (fh && (fh.length === 0 || fh.some((r) => isObject(r) && 'recordId' in r))) {
    const response = fh.some((r) => isObject(r) && 'result' in r);
    return each(response ? 'firehose-response' : 'firehose-transform', 'records', fh, ['data'], 'data', 'base64');
  }
  if (isString(value.rawData) && ('errorCode' in value || 'errorMessage' in value || 'attemptsMade' in value))
    return one('firehose-error', ['rawData'], 'rawData', 'base64');
  // CloudWatch Logs.
  if (isObject(value.awslogs) && 'data' in value.awslogs) return one('cloudwatch-subscription', ['awslogs', 'data'], 'awslogs.data', 'base64-gzip');
  const logEvents = listOf(value, 'logEvents');
  if (logEvents && 'messageType' in value) {
    // A CONTROL_MESSAGE (the service checking the destination) holds no data: not an empty envelope.
    const shape = each('cloudwatch-subscription', 'logEvents', logEvents, ['message'], 'message', 'text', true);
    if (value.messageType !== 'DATA_MESSAGE') delete shape.empty;
    return shape;
  }
  const events = listOf(value, 'events');
  if (
    events &&
    (events.length === 0
      ? 'nextForwardToken' in value || 'nextToken' in value || 'searchedLogStreams' in value
      : events.some((e) => isObject(e) && isString(e.message) && 'timestamp' in e))
  ) {
    return each('cloudwatch-logs', 'events', events, ['message'], 'message', 'text', true);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Decoding.

/** A decoded record: its text (one JSON Lines line of the decoded view) and where it came from. */
export interface DecodedEntry {
  /** The record as one line of JSON. */
  line: string;
  value: unknown;
  kind: RecordKind;
  /** The encoded value in the original text (the whole string, quotes included). */
  source: Span;
  /** The decoded field as messages name it ("Data", "awslogs.data → message"). */
  label: string;
  envelope: EnvelopeKind;
  /** The envelope record holding the encoded value (its ordinal in the original dump). */
  envelopeRecord: number;
}

export interface DecodedEnvelopes {
  /** The outermost envelope kind of the file (the first one found). */
  kind: EnvelopeKind;
  entries: DecodedEntry[];
  /** `envelope-decode` findings, on the original text. */
  findings: Finding[];
  /** Ordinals (in the original dump) of the records that are envelopes. */
  envelopeRecords: Set<number>;
}

/** How base64 text may end (padding only there); what comes before is checked by decoding. */
const BASE64_ENDS = /^(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)?$/;

function decodeFinding(source: Span, message: string, severity: Finding['severity'] = 'error'): Finding {
  return { code: 'envelope-decode', severity, start: source.start, end: source.end, message };
}

// An empty page is what a caught-up `get-records` or a `filter-log-events` page with only a
// nextToken returns: real output, not damage, so it is said (information), not an error.
const EMPTY_PAGE_NOTE = ' (a caught-up shard or an empty page of results returns this)';

/** A decoded payload's text: bytes -> string, or why it cannot be read. */
function payloadText(raw: string, encoding: Encoding, limits: DecodeLimits): { text: string } | { error: string } {
  if (encoding === 'text') return { text: raw };
  const compact = raw.trim();
  let bytes = Buffer.from(compact, 'base64');
  // Node's decoder skips what is not base64: a shorter result than the text promises means there was some.
  if (compact.length % 4 !== 0 || bytes.length !== Buffer.byteLength(compact, 'base64') || !BASE64_ENDS.test(compact.slice(-4))) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    return { error: bad ? `is not base64 (character ${JSON.stringify(bad[0])} at ${bad.index + 1})` : 'is not base64 (its length is not a multiple of 4)' };
  }
  if (encoding === 'base64-gzip' || (bytes[0] === 0x1f && bytes[1] === 0x8b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limits.maxDecompressedBytes });
    } catch (e) {
      const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      return {
        error: tooLarge
          ? `decompresses to more than ${mb(limits.maxDecompressedBytes)} (connectInspector.maxDecompressedSizeMB): not read`
          : `is base64 of a damaged gzip stream (${(e as Error).message})`,
      };
    }
  }
  return { text: bytes.toString('utf8') };
}

function mb(bytes: number): string {
  const n = bytes / (1024 * 1024);
  return `${n >= 10 ? Math.round(n) : Math.round(n * 10) / 10} MB`;
}

/** One line of JSON for the decoded view: the record's own text when it is on one line already. */
export function oneLine(dump: Dump, record: DumpRecord): string {
  const slice = dump.text.slice(record.start, record.end);
  return /[\r\n\u2028\u2029]/.test(slice) ? JSON.stringify(record.value) : slice;
}

/**
 * Reads one encoded value: its records (recursing into envelopes inside it, such as the
 * subscription payload in `awslogs.data`) or an `envelope-decode` finding on `source`.
 */
function decodeValue(
  raw: unknown,
  enc: EncodedValue,
  source: Span,
  label: string,
  envelopeRecord: number,
  limits: DecodeLimits,
  out: DecodedEnvelopes,
  depth: number,
): void {
  if (!isString(raw)) {
    out.findings.push(decodeFinding(source, `${label} should hold an encoded record, but it is ${raw === null ? 'null' : typeof raw}.`));
    return;
  }
  const decoded = payloadText(raw, enc.encoding, limits);
  if ('error' in decoded) {
    out.findings.push(decodeFinding(source, `${label} ${decoded.error}.`));
    return;
  }
  const text = decoded.text.replace(/^\ufeff/, '');
  const head = text.trimStart();
  if (enc.optional && !head.startsWith('{')) return; // a plain log line: not ours, not an error
  const inner = parseDump('payload', text);
  if (inner.syntaxFindings.length > 0 || inner.records.length === 0 || inner.records.some((r) => r.value === undefined)) {
    const what =
      enc.encoding === 'text'
        ? 'is JSON text that is broken'
        : head.startsWith('{') || head.startsWith('[')
          ? 'decodes to broken JSON'
          : 'decodes to text that is not JSON';
    const first = inner.syntaxFindings[0];
    const why = first ? `: ${first.message.replace(/^Invalid JSON: /, '').replace(/\.$/, '')}` : '';
    out.findings.push(decodeFinding(source, `${label} ${what}${why} (${JSON.stringify(head.slice(0, 40))}${head.length > 40 ? '…' : ''}).`));
    return;
  }
  inner.records.forEach((record, i) => {
    const shape = depth < 2 ? envelopeShape(record.value) : undefined;
    const name = inner.records.length > 1 ? `${label} (record ${i + 1} of ${inner.records.length})` : label;
    if (shape) {
      if (shape.empty)
        out.findings.push(
          decodeFinding(
            source,
            `${name} holds a ${shape.kind} envelope whose "${shape.empty}" is an empty array: no record to check${EMPTY_PAGE_NOTE}.`,
            'information',
          ),
        );
      for (const v of shape.values) {
        const value = valueAt(record.value, v.path);
        decodeValue(value, v, source, `${name} → ${v.label}`, envelopeRecord, limits, out, depth + 1);
      }
      return;
    }
    const kind = classifyRecord(record.value);
    if (enc.optional && kind === 'unknown') return; // a log message that is not a Connect record
    out.entries.push({ line: oneLine(inner, record), value: record.value, kind, source, label: name, envelope: enc.envelope, envelopeRecord });
  });
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isObject(v) ? v[seg] : undefined;
  }
  return v;
}

/**
 * The envelopes of a parsed dump, decoded; undefined when no record of it is an envelope
 * (a bare dump: nothing changes for it).
 */
export function decodeEnvelopes(dump: Dump, limits: DecodeLimits = DEFAULT_LIMITS): DecodedEnvelopes | undefined {
  let out: DecodedEnvelopes | undefined;
  for (const record of dump.records) {
    if (record.kind !== 'unknown') continue;
    const shape = envelopeShape(record.value);
    if (!shape) continue;
    const found: DecodedEnvelopes = (out ??= { kind: shape.kind, entries: [], findings: [], envelopeRecords: new Set() });
    found.envelopeRecords.add(record.index);
    if (shape.empty) {
      found.findings.push(
        decodeFinding(
          locate(dump, record, [shape.empty]),
          `This ${shape.kind} envelope's "${shape.empty}" is an empty array: it holds no record to check${EMPTY_PAGE_NOTE}.`,
          'information',
        ),
      );
      continue;
    }
    const sources = locateScalars(
      dump,
      record,
      shape.values.map((v) => v.path),
      shape.values.map((v) => valueAt(record.value, v.path)),
    );
    shape.values.forEach((v, i) => decodeValue(valueAt(record.value, v.path), v, sources[i], v.label, record.index, limits, found, 0));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// gzip files.

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** What went wrong while decompressing, if anything (the output before it is still read). */
export type GunzipDamage = { kind: 'too-large'; message: string } | { kind: 'damaged'; message: string };

/**
 * Decompresses a gzip stream chunk by chunk (several members back to back too), handing
 * each piece of output on as it comes: memory stays flat. Stops at `maxDecompressedBytes`
 * (a gzip bomb) and at damage, reporting either; everything decompressed before is kept.
 */
export function gunzipStream(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  limits: DecodeLimits,
  onData: (piece: Buffer) => void | Promise<void>,
): Promise<GunzipDamage | undefined> {
  return new Promise((resolve) => {
    // Big output pieces: each costs a callback into JavaScript.
    const gunzip = createGunzip({ chunkSize: GUNZIP_OUTPUT });
    let total = 0;
    let done = false;
    const finish = (damage: GunzipDamage | undefined) => {
      if (done) return;
      done = true;
      resolve(damage);
    };
    gunzip.on('data', (piece: Buffer) => {
      if (done) return;
      const room = limits.maxDecompressedBytes - total;
      if (piece.length > room) {
        if (room > 0) void onData(piece.subarray(0, room));
        total = limits.maxDecompressedBytes;
        gunzip.destroy();
        finish({
          kind: 'too-large',
          message: `The file decompresses to more than ${mb(limits.maxDecompressedBytes)} (connectInspector.maxDecompressedSizeMB, CLI --max-decompressed-mb): only the first ${mb(limits.maxDecompressedBytes)} were read.`,
        });
        return;
      }
      total += piece.length;
      const more = onData(piece);
      if (more) {
        // The reader is busy (worker threads): hold the output until it takes more.
        gunzip.pause();
        void more.then(
          () => gunzip.resume(),
          () => gunzip.resume(),
        );
      }
    });
    gunzip.on('error', (e: Error) =>
      finish({
        kind: 'damaged',
        message: `The gzip stream is ${/unexpected end/i.test(e.message) ? 'cut short (truncated)' : `damaged (${e.message})`} after ${total} decompressed bytes: the records before the damage were checked.`,
      }),
    );
    gunzip.on('end', () => finish(undefined));
    void (async () => {
      try {
        for await (const chunk of chunks) {
          // Small writes: zlib hands on its output after each, so damage loses at most one slice's worth.
          for (let i = 0; i < chunk.length; i += GUNZIP_SLICE) {
            if (done) return;
            if (!gunzip.write(chunk.subarray(i, i + GUNZIP_SLICE))) await new Promise<void>((r) => gunzip.once('drain', r));
          }
        }
        gunzip.end();
      } catch (e) {
        finish({ kind: 'damaged', message: `The file could not be read: ${(e as Error).message}` });
      }
    })();
  });
}

const GUNZIP_SLICE = 64 * 1024;
const GUNZIP_OUTPUT = 256 * 1024;

/** Decompresses a whole gzip buffer into text (small files: the editor's decoded view, the CLI). */
export async function gunzipText(bytes: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<{ text: string; damage?: GunzipDamage }> {
  const pieces: Buffer[] = [];
  const damage = await gunzipStream([bytes], limits, (p) => {
    pieces.push(p);
  });
  let out: Buffer = Buffer.concat(pieces);
  if (damage?.kind === 'damaged' && bytes.length <= MAX_RECOVERY_BYTES) out = longestReadablePrefix(bytes, limits, out);
  return { text: out.toString('utf8'), damage };
}

const MAX_RECOVERY_BYTES = 16 * 1024 * 1024;

/**
 * Everything a damaged gzip buffer yields before its damage. The stream drops the output of
 * the write the damage is in; a prefix of the input that stops before the damage decodes
 * without error (flushed, not finished), so the longest such prefix is found by bisection.
 */
function longestReadablePrefix(bytes: Buffer, limits: DecodeLimits, fallback: Buffer): Buffer {
  const attempt = (n: number): Buffer | undefined => {
    try {
      return gunzipSync(bytes.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: limits.maxDecompressedBytes });
    } catch {
      return undefined;
    }
  };
  let best = fallback;
  let lo = 0,
    hi = bytes.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const out = attempt(mid);
    if (out) {
      lo = mid;
      if (out.length > best.length) best = out;
    } else hi = mid - 1;
  }
  return best;
}
