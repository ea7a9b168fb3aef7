// One entry point for a single document: text -> records + findings. Rules that look
// across records and documents (transitions, links) run on top of this.
import { decodedUriOf } from '../shared/decodedUri';
import { parseDump, RecordReuse } from './dump';
import { DecodedEntry, decodeEnvelopes, DecodeLimits, DEFAULT_LIMITS, EnvelopeKind } from './envelopes';
import { parseEdited } from './editedDump';
import { adoptTree } from './positions';
import { checkRecord, RecordCheck, redactedFinding } from './recordChecks';
import type { Dump, DumpRecord, Finding, RecordKind } from './types';

export interface DocumentAnalysis {
  dump: Dump;
  /** Findings on this document's text (those inside encoded records sit on their encoded value). */
  findings: Finding[];
  /** This version's records by their text: what the next version can take over (built on first need). */
  recordsByText(): Map<string, DumpRecord>;
  /** The records decoded out of envelopes, when the document holds envelopes. */
  decoded?: DecodedView;
}

/**
 * The decoded records of an envelope file as a JSON Lines dump of their own (its URI is the
 * decoded view's), analysed like any bare dump; findings in it move back onto the encoded
 * values of the original with `toOriginal`.
 */
export interface DecodedView {
  kind: EnvelopeKind;
  /** The document the envelopes are in. */
  originalUri: string;
  /** Ordinals of the original dump's records that are envelopes (checked through their decoded records). */
  envelopeRecords: ReadonlySet<number>;
  dump: Dump;
  /** Where each record of `dump` came from (same order). */
  entries: DecodedEntry[];
  /** The per-record findings of `dump`, in its own coordinates. */
  findings: Finding[];
  /** The entry a decoded-text offset falls in. */
  entryAt(offset: number): DecodedEntry | undefined;
  /** A finding in `dump` (or a related location in it) moved onto its encoded value in the original. */
  toOriginal(f: Finding): Finding;
}

export interface AnalyzeOptions {
  limits?: DecodeLimits;
  /** What changed since `previous` (see `TextEdit`): records outside it are moved, not read again. */
  edit?: TextEdit;
}

/**
 * The one region of the previous text that an edit (or a run of edits) replaced: `[start,
 * oldEnd)` of the previous text is `[start, newEnd)` of this one; everything before `start`
 * and after it is the same text.
 */
export interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Folds the next change (`[start, end)` of the current text replaced by `length` characters) into the edit so far. */
export function foldEdit(so: TextEdit | undefined, start: number, end: number, length: number): TextEdit {
  if (!so) return { start, oldEnd: end, newEnd: start + length };
  // so.newEnd is in current coordinates: text from max(so.newEnd, end) on is still the previous text, moved.
  const grow = length - (end - start);
  const after = Math.max(so.newEnd, end);
  return { start: Math.min(so.start, start), oldEnd: so.oldEnd + (after - so.newEnd), newEnd: after + grow };
}

/** Per-record findings (schema, order, durations, values) and masks, with offsets relative to the record's start. */
const recordFindings = new WeakMap<DumpRecord, RecordCheck>();

function shift(f: Finding, by: number): Finding {
  // Related locations of a per-record check lie in the same record: they move with it.
  const related = f.related?.map((r) => ({ ...r, start: r.start + by, end: r.end + by }));
  return { ...f, start: f.start + by, end: f.end + by, ...(related ? { related } : {}) };
}

function shiftCheck(c: RecordCheck, by: number): RecordCheck {
  if (c.findings.length === 0 && !c.masked.first) return c;
  const first = c.masked.first && { start: c.masked.first.start + by, end: c.masked.first.end + by };
  return { findings: c.findings.map((f) => shift(f, by)), masked: first ? { ...c.masked, first } : c.masked };
}

/**
 * Analyses one document. With the analysis of its previous version, records whose text
 * did not change are neither parsed nor validated again.
 */
export function analyzeText(uri: string, text: string, previous?: DocumentAnalysis, options: AnalyzeOptions = {}): DocumentAnalysis {
  const follow = (old: DumpRecord, fresh: DumpRecord) => {
    adoptTree(old, fresh);
    const cached = recordFindings.get(old);
    if (cached) recordFindings.set(fresh, cached);
  };
  // An edit whose region is known re-reads only the records it touched; anything else (a
  // first open, a whole-text replacement, a region the edited path declines) reads it all,
  // taking over the records whose text did not change.
  let dump = previous && options.edit ? parseEdited(uri, text, previous.dump, options.edit, follow) : undefined;
  let reuse: RecordReuse | undefined;
  if (!dump) {
    reuse = {
      previous: previous?.recordsByText(),
      // Hashing every record's text costs ~10% of an analysis: a first open skips it (the
      // map is built if an edit comes); an edit builds it as it goes, for the next edit.
      next: previous ? new Map() : undefined,
      onReuse: follow,
    };
    dump = parseDump(uri, text, reuse);
  }
  const findings: Finding[] = [...dump.syntaxFindings];
  const masks: RecordCheck['masked'][] = [];
  const envelopes = decodeEnvelopes(dump, options.limits ?? DEFAULT_LIMITS);
  let decoded: DecodedView | undefined;
  if (envelopes) {
    decoded = decodedView(uri, envelopes.kind, envelopes.entries, envelopes.envelopeRecords);
    findings.push(...envelopes.findings, ...decoded.findings.map((f) => decoded!.toOriginal(f)));
  }
  for (const record of dump.records) {
    if (envelopes?.envelopeRecords.has(record.index)) continue; // read through its decoded records
    let relative = recordFindings.get(record);
    if (!relative) {
      relative = shiftCheck(checkRecord(dump, record), -record.start);
      recordFindings.set(record, relative);
    }
    const check = shiftCheck(relative, record.start);
    findings.push(...check.findings);
    masks.push(check.masked);
  }
  const redacted = redactedFinding(masks);
  if (redacted) findings.push(redacted);
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  let byText = reuse?.next;
  const parsed = dump;
  const recordsByText = () => {
    if (!byText) {
      byText = new Map();
      for (const r of parsed.records) if (r.value !== undefined) byText.set(parsed.text.slice(r.start, r.end), r);
    }
    return byText;
  };
  return { dump, findings, recordsByText, ...(decoded ? { decoded } : {}) };
}

/** Builds and analyses the decoded dump: one JSON Lines line per decoded record. */
export function decodedView(originalUri: string, kind: EnvelopeKind, entries: DecodedEntry[], envelopeRecords: ReadonlySet<number>): DecodedView {
  const starts: number[] = [];
  let at = 0;
  for (const e of entries) {
    starts.push(at);
    at += e.line.length + 1;
  }
  const uri = decodedUriOf(originalUri);
  const dump = parseDump(uri, entries.map((e) => e.line + '\n').join(''));
  const findings: Finding[] = [...dump.syntaxFindings];
  const masks: RecordCheck['masked'][] = [];
  for (const record of dump.records) {
    const check = checkRecord(dump, record);
    findings.push(...check.findings);
    masks.push(check.masked);
  }
  const redacted = redactedFinding(masks);
  if (redacted) findings.push(redacted);
  const entryAt = (offset: number): DecodedEntry | undefined => {
    let lo = 0,
      hi = starts.length - 1,
      found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 ? entries[found] : undefined;
  };
  const toOriginal = (f: Finding): Finding => {
    const e = entryAt(f.start);
    if (!e) return f;
    return {
      ...f,
      start: e.source.start,
      end: e.source.end,
      message: `${e.label} → ${f.message}`,
      ...(f.related
        ? {
            related: f.related.map((r) => {
              const other = r.uri === uri ? entryAt(r.start) : undefined;
              return other ? { uri: originalUri, start: other.source.start, end: other.source.end, message: `${other.label} → ${r.message}` } : r;
            }),
          }
        : {}),
    };
  };
  return { kind, originalUri, envelopeRecords, dump, entries, findings, entryAt, toOriginal };
}

export function countKinds(dump: Dump): Record<RecordKind, number> {
  const kinds: Record<RecordKind, number> = { agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 };
  for (const r of dump.records) kinds[r.kind ?? 'unknown']++;
  return kinds;
}

/** A document is an Amazon Connect dump when it holds at least one record of a kind we know. */
export function holdsConnectRecords(dump: Dump): boolean {
  return dump.records.some((r) => r.kind !== undefined && r.kind !== 'unknown');
}

/** The same for an analysis: its own records or those decoded out of its envelopes; an envelope that cannot be decoded counts too (its finding must be seen). */
export function analysisHoldsConnectRecords(a: DocumentAnalysis): boolean {
  return holdsConnectRecords(a.dump) || (!!a.decoded && (holdsConnectRecords(a.decoded.dump) || a.findings.some((f) => f.code === 'envelope-decode')));
}

/** The dumps an analysis adds to the workspace: its own and, for envelopes, its decoded records. */
export function workspaceDumps(a: Pick<DocumentAnalysis, 'dump' | 'decoded'>): Dump[] {
  return a.decoded ? [a.dump, a.decoded.dump] : [a.dump];
}

/**
 * The first line of an extension-less Firehose file: a Connect key followed by a value only
 * Connect writes. package.json's `firstLine` for the connect-firehose language is this source.
 */
export const FIREHOSE_FIRST_LINE =
  /^\s*\{\s*"(?:AWSAccountId"\s*:\s*"\d{12}"|AWSContactTraceRecordFormatVersion"|(?:AgentARN|InstanceARN)"\s*:\s*"arn:aws[a-z-]*:connect:|EventType"\s*:\s*"(?:STATE_CHANGE|HEART_BEAT|LOGIN|LOGOUT)"|(?:EventId|ContactId)"\s*:\s*"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"|CurrentAgentSnapshot"\s*:\s*\{|InitiationMethod"\s*:\s*"(?:INBOUND|OUTBOUND|TRANSFER|QUEUE_TRANSFER|CALLBACK|API|MONITOR|DISCONNECT|EXTERNAL_OUTBOUND|AGENT_REPLY|FLOW|WEBRTC_API|CAMPAIGN_PREVIEW)"|Channel"\s*:\s*"(?:VOICE|CHAT|TASK|EMAIL)"|Agent"\s*:\s*(?:null|\{\s*"(?:ARN|AfterContactWork|AgentInteractionDuration|AgentPauseDuration|ConnectedToAgentTimestamp|CustomerHoldDuration))|AgentConnectionAttempts"\s*:\s*\d)/;
