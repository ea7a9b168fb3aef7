// One entry point for a single document: text -> records + findings. Rules that look
// across records and documents (transitions, links) run on top of this.
import { parseDump, RecordReuse } from './dump';
import { adoptTree } from './positions';
import { checkRecord, RecordCheck, redactedFinding } from './recordChecks';
import type { Dump, DumpRecord, Finding } from './types';

export interface DocumentAnalysis {
  dump: Dump;
  findings: Finding[];
  /** This version's records by their text: what the next version can take over (built on first need). */
  recordsByText(): Map<string, DumpRecord>;
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
export function analyzeText(uri: string, text: string, previous?: DocumentAnalysis): DocumentAnalysis {
  const reuse: RecordReuse = {
    previous: previous?.recordsByText(),
    // Hashing every record's text costs ~10% of an analysis: a first open skips it (the
    // map is built if an edit comes); an edit builds it as it goes, for the next edit.
    next: previous ? new Map() : undefined,
    onReuse: (old, fresh) => {
      adoptTree(old, fresh);
      const cached = recordFindings.get(old);
      if (cached) recordFindings.set(fresh, cached);
    },
  };
  const dump = parseDump(uri, text, reuse);
  const findings: Finding[] = [...dump.syntaxFindings];
  const masks: RecordCheck['masked'][] = [];
  for (const record of dump.records) {
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
  let byText = reuse.next;
  const recordsByText = () => {
    if (!byText) {
      byText = new Map();
      for (const r of dump.records) if (r.value !== undefined) byText.set(dump.text.slice(r.start, r.end), r);
    }
    return byText;
  };
  return { dump, findings, recordsByText };
}

export function countKinds(dump: Dump): { agentEvent: number; contactRecord: number; unknown: number } {
  const kinds = { agentEvent: 0, contactRecord: 0, unknown: 0 };
  for (const r of dump.records) kinds[r.kind ?? 'unknown']++;
  return kinds;
}

/** A document is an Amazon Connect dump when it holds at least one agent event or contact record. */
export function holdsConnectRecords(dump: Dump): boolean {
  return dump.records.some((r) => r.kind === 'agentEvent' || r.kind === 'contactRecord');
}

/**
 * The first line of an extension-less Firehose file: a Connect key followed by a value only
 * Connect writes. package.json's `firstLine` for the connect-firehose language is this source.
 */
export const FIREHOSE_FIRST_LINE = /^\s*\{\s*"(?:AWSAccountId"\s*:\s*"\d{12}"|AWSContactTraceRecordFormatVersion"|(?:AgentARN|InstanceARN)"\s*:\s*"arn:aws[a-z-]*:connect:|EventType"\s*:\s*"(?:STATE_CHANGE|HEART_BEAT|LOGIN|LOGOUT)"|(?:EventId|ContactId)"\s*:\s*"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"|CurrentAgentSnapshot"\s*:\s*\{|InitiationMethod"\s*:\s*"(?:INBOUND|OUTBOUND|TRANSFER|QUEUE_TRANSFER|CALLBACK|API|MONITOR|DISCONNECT|EXTERNAL_OUTBOUND|AGENT_REPLY|FLOW|WEBRTC_API|CAMPAIGN_PREVIEW)"|Channel"\s*:\s*"(?:VOICE|CHAT|TASK|EMAIL)"|Agent"\s*:\s*(?:null|\{\s*"(?:ARN|AfterContactWork|AgentInteractionDuration|AgentPauseDuration|ConnectedToAgentTimestamp|CustomerHoldDuration))|AgentConnectionAttempts"\s*:\s*\d)/;
