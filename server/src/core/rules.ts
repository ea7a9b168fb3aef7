// Rules that relate records to each other, across every dump the server knows
// (state transitions, contact-ID links, timestamp order, duplicates). They all read the one
// contact model (model.ts, one pass over the records); every rule then works on Maps keyed
// by ContactId or agent, so the cost stays near-linear in the number of records whatever
// the input looks like.
import { duplicateFindings } from './duplicates';
import { duplicateEventFindings, eventLinkFindings, eventOrderFindings, eventRecordMismatchFindings } from './eventRules';
import { flowOutsideContactFindings } from './flowRules';
import { linkFindings } from './links';
import type { Located } from './located';
import { contactModel } from './model';
import { heartbeatGapFindings, stateStartOrderFindings } from './timestamps';
import { agentTimelines, contactTracks, transitionFindings } from './transitions';
import type { Dump, Finding } from './types';

/** Findings per document URI for the rules that look across records and documents. */
export function runWorkspaceRules(dumps: readonly Dump[]): Map<string, Finding[]> {
  const ws = contactModel(dumps);
  const timelines = agentTimelines(ws.events);
  const tracks = contactTracks(timelines);
  const transitions = transitionFindings(ws, tracks);
  const all: Located[] = [
    ...duplicateFindings(ws),
    ...transitions.findings,
    ...linkFindings(ws),
    ...stateStartOrderFindings(tracks, transitions.flagged),
    ...heartbeatGapFindings(timelines),
    ...duplicateEventFindings(ws.allContactEvents),
    ...eventLinkFindings(ws),
  ];
  // EventBridge contact events and flow log entries, against each other and the contact record that stands.
  for (const [id, events] of ws.contactEventsByContact()) all.push(...eventOrderFindings(events), ...eventRecordMismatchFindings(events, ws.record(id)));
  for (const [id, entries] of ws.flowLogsByContact()) all.push(...flowOutsideContactFindings(entries, ws.record(id)));
  return groupByUri(all);
}

const MAX_MESSAGE = 1000;

function groupByUri(all: readonly Located[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const seen = new Set<string>();
  for (const { uri, finding } of all) {
    // The same finding twice (two dumps opened under one URI, say) is shown once.
    const key = `${uri}\u0000${finding.code}\u0000${finding.start}\u0000${finding.end}\u0000${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // IDs and timestamps come from the dump: a megabyte-long one must not make a megabyte message.
    if (finding.message.length > MAX_MESSAGE) finding.message = finding.message.slice(0, MAX_MESSAGE - 1) + '…';
    const list = out.get(uri);
    if (list) list.push(finding);
    else out.set(uri, [finding]);
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}
