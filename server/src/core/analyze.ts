// One entry point for a single document: text -> records + findings. Rules that look
// across records and documents (transitions, links) run on top of this.
import { parseDump } from './dump';
import { validateRecord } from './schema';
import type { Dump, Finding } from './types';

export interface DocumentAnalysis {
  dump: Dump;
  findings: Finding[];
}

export function analyzeText(uri: string, text: string): DocumentAnalysis {
  const dump = parseDump(uri, text);
  const findings: Finding[] = [...dump.syntaxFindings];
  for (const record of dump.records) findings.push(...validateRecord(dump, record));
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { dump, findings };
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

/** The first line of an extension-less Firehose file: an object that opens with a Connect field. */
export const FIREHOSE_FIRST_LINE = /^\s*\{\s*"(AWSAccountId|AWSContactTraceRecordFormatVersion|AgentARN|EventId|EventType|EventTimestamp|ContactId|InitialContactId|InstanceARN|Agent|Channel|InitiationMethod|Version)"/;
