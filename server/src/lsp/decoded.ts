// The decoded records of envelope and gzip files: the read-only view's content (a typed
// request), the CodeLenses between an envelope and its decoded records, and the hover that
// summarises what an encoded value holds. The view itself is an ordinary document for the
// server (it is synced like any dump), so findings, hover, definition and the timeline work
// in it as in a bare dump; dumpStore.ts keeps it and its file's decoded records as one.
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeLens, DefinitionParams, Hover, HoverParams, Location, LocationLink } from 'vscode-languageserver/node';
import { analyzeText, DocumentAnalysis } from '../core/analyze';
import { DecodedEntry, DecodeLimits, gunzipText, isGzip, oneLine } from '../core/envelopes';
import { isObject, str } from '../core/json';
import type { Finding } from '../core/types';
import { decodedUriKey, decodedUriOf, isDecodedUri } from '../shared/decodedUri';
import { DecodedRecordsRequest, DecodedRecordsResult } from '../shared/protocol';
import { MAX_CODE_LENSES } from './codeLens';
import type { ServerContext } from './context';
import { hoverContributors } from './hover';
import { toRange } from './ranges';
import { COMMANDS, INTERNAL_COMMANDS } from '../shared/ids';
import { clientCapabilities } from './workspaceIndex';

const OPEN_DECODED_COMMAND = COMMANDS.openDecodedRecords;
const OPEN_ENVELOPE_COMMAND = INTERNAL_COMMANDS.openEnvelope;

export function decodeLimits(ctx: ServerContext): DecodeLimits {
  return { maxDecompressedBytes: ctx.settings().maxDecompressedSizeMB * 1024 * 1024 };
}

/** The records of an analysis as JSON Lines: the decoded ones for envelopes, else its own, one per line. */
function viewText(a: DocumentAnalysis): { text: string; records: number } {
  if (a.decoded) return { text: a.decoded.dump.text, records: a.decoded.dump.records.length };
  const lines: string[] = [];
  for (const r of a.dump.records) {
    if (r.value === undefined) continue; // broken JSON is reported in the file itself
    lines.push(oneLine(a.dump, r));
  }
  return { text: lines.map((l) => l + '\n').join(''), records: lines.length };
}

/** The view's content: from the open document, else from the file on disk (gzip decompressed). */
export async function decodedRecords(ctx: ServerContext, uri: string): Promise<DecodedRecordsResult> {
  const viewUri = decodedUriOf(uri);
  const doc = ctx.documents.get(uri);
  const open = doc && ctx.store.get(doc);
  if (open) return { uri: viewUri, ...viewText(open), envelope: open.decoded?.kind ?? null };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(fileURLToPath(uri));
  } catch (e) {
    return { uri: viewUri, text: '', envelope: null, records: 0, error: `Cannot read ${uri}: ${(e as Error).message}` };
  }
  const limits = decodeLimits(ctx);
  let text: string;
  let notes: Finding[] = [];
  let gzip = false;
  if (isGzip(bytes)) {
    gzip = true;
    const out = await gunzipText(bytes, limits);
    text = out.text;
    if (out.damage) notes = [{ code: 'envelope-decode', severity: 'error', start: 0, end: 0, message: out.damage.message }];
  } else {
    text = bytes.toString('utf8');
  }
  const analysis = analyzeText(uri, text, undefined, { limits });
  const view = viewText(analysis);
  // The damage sits on the view's last line: where the readable records end.
  const end = view.text.length;
  const lastLine = view.text.lastIndexOf('\n', end - 2) + 1;
  notes = notes.map((n) => ({ ...n, start: Math.min(lastLine, end), end: Math.max(Math.min(lastLine, end), end - 1) }));
  notes.push(
    ...analysis.findings.filter((f) => f.code === 'envelope-decode').map((f) => ({ ...f, start: 0, end: Math.max(1, Math.min(view.text.indexOf('\n'), end)) })),
  );
  ctx.store.setViewNotes(viewUri, notes);
  return {
    uri: viewUri,
    ...view,
    envelope: gzip ? 'gzip' : (analysis.decoded?.kind ?? null),
    ...(notes.length ? { error: notes.map((n) => n.message).join(' ') } : {}),
  };
}

/** "Open decoded records" above each envelope of a file; "Envelope" above each record of a view. */
export function decodedLenses(ctx: ServerContext, uri: string, a: DocumentAnalysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  if (a.decoded) {
    const firstLine = new Map<number, { line: number; count: number }>();
    a.decoded.entries.forEach((e, i) => {
      const seen = firstLine.get(e.envelopeRecord);
      if (seen) seen.count++;
      else firstLine.set(e.envelopeRecord, { line: i, count: 1 });
    });
    for (const index of a.decoded.envelopeRecords) {
      if (lenses.length >= MAX_CODE_LENSES) break;
      const record = a.dump.records[index];
      const at = firstLine.get(index);
      const range = toRange(a.dump, { start: record.start, end: record.start });
      const title = `$(file-code) Open decoded records (${at?.count ?? 0}, ${a.decoded.kind})`;
      lenses.push({ range, command: { title, command: OPEN_DECODED_COMMAND, arguments: [uri, at?.line ?? 0] } });
    }
    return lenses;
  }
  if (!isDecodedUri(uri)) return lenses;
  // A view: each record links back to its encoded value in the envelope file.
  const source = ctx.store.decodedViews().get(decodedUriKey(uri));
  const original = source && ctx.store.dumpOf(source.originalUri);
  if (!source || !original || source.dump.text !== a.dump.text) return lenses;
  a.dump.records.forEach((record, i) => {
    const e = source.entries[i];
    if (!e || lenses.length >= MAX_CODE_LENSES) return;
    const at = toRange(original, e.source).start;
    lenses.push({
      range: toRange(a.dump, { start: record.start, end: record.start }),
      command: {
        title: `$(arrow-left) ${e.label} in ${e.envelope}, line ${at.line + 1}`,
        command: OPEN_ENVELOPE_COMMAND,
        arguments: [source.originalUri, at.line, at.character],
      },
    });
  });
  return lenses;
}

/** What a decoded record is, in a few words and its IDs. */
function describeEntry(e: DecodedEntry): string {
  const v = isObject(e.value) ? e.value : {};
  if (e.kind === 'agentEvent') {
    const agent = str(v.AgentARN)?.split('/').pop();
    return `agent event \`${str(v.EventType) ?? '?'}\`${agent ? ` of agent \`${agent}\`` : ''}${str(v.EventTimestamp) ? ` at ${str(v.EventTimestamp)}` : ''}${str(v.EventId) ? ` (EventId \`${str(v.EventId)}\`)` : ''}`;
  }
  if (e.kind === 'contactRecord') {
    return `contact record \`${str(v.ContactId) ?? '?'}\` (${[str(v.Channel), str(v.InitiationMethod)].filter(Boolean).join(', ')})${str(v.InitiationTimestamp) ? `, initiated ${str(v.InitiationTimestamp)}` : ''}`;
  }
  return 'a record that is neither an agent event nor a contact record';
}

/** Hover on an encoded value: what it decodes to. */
export function encodedValueHover(ctx: ServerContext, params: HoverParams): Hover | undefined {
  const doc = ctx.documents.get(params.textDocument.uri);
  const a = doc && ctx.store.get(doc);
  if (!doc || !a?.decoded) return undefined;
  const offset = doc.offsetAt(params.position);
  const here = a.decoded.entries.filter((e) => e.source.start <= offset && offset < e.source.end);
  if (here.length === 0) return undefined;
  const lines = here.slice(0, 10).map((e) => `- ${describeEntry(e)}`);
  if (here.length > 10) lines.push(`- … and ${here.length - 10} more`);
  const value = [
    `**\`${here[0].label}\`** (${here[0].envelope}) decodes to ${here.length === 1 ? 'one record' : `${here.length} records`}:`,
    lines.join('\n'),
    `*Connect Inspector: Open Decoded Records* shows them as JSON Lines.`,
  ].join('\n\n');
  return { contents: { kind: 'markdown', value }, range: toRange(a.dump, here[0].source) };
}

/**
 * Go to definition on an encoded value (a Kinesis `Data`, a Firehose `data`, ...): the
 * records it decodes to, in the decoded view (`connect-decoded:`), whole record selected.
 */
export function encodedValueDefinition(ctx: ServerContext, params: DefinitionParams): Location[] | LocationLink[] | undefined {
  const doc = ctx.documents.get(params.textDocument.uri);
  const a = doc && ctx.store.get(doc);
  if (!doc || !a?.decoded) return undefined;
  const decoded = a.decoded;
  const offset = doc.offsetAt(params.position);
  // The view's records are the decoded entries, in the same order (analyze.ts decodedView).
  const here = decoded.entries.flatMap((e, i) => (e.source.start <= offset && offset < e.source.end && decoded.dump.records[i] ? [i] : []));
  if (here.length === 0) return undefined;
  const viewUri = decodedUriOf(params.textDocument.uri);
  const target = (i: number) => toRange(decoded.dump, decoded.dump.records[i]);
  if (clientCapabilities()?.textDocument?.definition?.linkSupport) {
    const origin = toRange(a.dump, decoded.entries[here[0]].source);
    return here.map((i) => ({ originSelectionRange: origin, targetUri: viewUri, targetRange: target(i), targetSelectionRange: target(i) }));
  }
  return here.map((i) => ({ uri: viewUri, range: target(i) }));
}

export function registerDecodedRecords(ctx: ServerContext): void {
  ctx.store.limits = () => decodeLimits(ctx);
  hoverContributors.unshift(encodedValueHover);
  ctx.connection.onRequest(DecodedRecordsRequest.type, (params) => decodedRecords(ctx, params.uri));
}

/** The first bytes of a gzip file, as readHead's UTF-8 decoding shows them. */
export function looksGzipped(head: string): boolean {
  return head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0xfffd;
}
