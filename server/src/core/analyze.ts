// One entry point for a single document: text -> records + findings. Rules that look
// across records and documents (transitions, links) run on top of this.
import { parseDump, RecordReuse } from './dump';
import { adoptTree } from './positions';
import { perRecordFindings } from './kindRules';
import type { Dump, DumpRecord, Finding, RecordKind } from './types';

export interface DocumentAnalysis {
  dump: Dump;
  findings: Finding[];
  /** This version's records by their text: what the next version can take over (built on first need). */
  recordsByText(): Map<string, DumpRecord>;
}

/** Schema findings of a record, with offsets relative to the record's start. */
const recordFindings = new WeakMap<DumpRecord, Finding[]>();

function shift(f: Finding, by: number): Finding {
  return { ...f, start: f.start + by, end: f.end + by };
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
  for (const record of dump.records) {
    let relative = recordFindings.get(record);
    if (!relative) {
      relative = perRecordFindings(dump, record).map((f) => shift(f, -record.start));
      recordFindings.set(record, relative);
    }
    for (const f of relative) findings.push(shift(f, record.start));
  }
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

export function countKinds(dump: Dump): Record<RecordKind, number> {
  const kinds: Record<RecordKind, number> = { agentEvent: 0, contactRecord: 0, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 };
  for (const r of dump.records) kinds[r.kind ?? 'unknown']++;
  return kinds;
}

/** A document is an Amazon Connect dump when it holds at least one record of a kind we know. */
export function holdsConnectRecords(dump: Dump): boolean {
  return dump.records.some((r) => r.kind !== undefined && r.kind !== 'unknown');
}

/**
 * The first line of an extension-less Firehose file: a Connect key followed by a value only
 * Connect writes. package.json's `firstLine` for the connect-firehose language is this source.
 */
export const FIREHOSE_FIRST_LINE = /^\s*\{\s*"(?:AWSAccountId"\s*:\s*"\d{12}"|AWSContactTraceRecordFormatVersion"|(?:AgentARN|InstanceARN)"\s*:\s*"arn:aws[a-z-]*:connect:|EventType"\s*:\s*"(?:STATE_CHANGE|HEART_BEAT|LOGIN|LOGOUT)"|(?:EventId|ContactId)"\s*:\s*"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"|CurrentAgentSnapshot"\s*:\s*\{|InitiationMethod"\s*:\s*"(?:INBOUND|OUTBOUND|TRANSFER|QUEUE_TRANSFER|CALLBACK|API|MONITOR|DISCONNECT|EXTERNAL_OUTBOUND|AGENT_REPLY|FLOW|WEBRTC_API|CAMPAIGN_PREVIEW)"|Channel"\s*:\s*"(?:VOICE|CHAT|TASK|EMAIL)"|Agent"\s*:\s*(?:null|\{\s*"(?:ARN|AfterContactWork|AgentInteractionDuration|AgentPauseDuration|ConnectedToAgentTimestamp|CustomerHoldDuration))|AgentConnectionAttempts"\s*:\s*\d)/;
