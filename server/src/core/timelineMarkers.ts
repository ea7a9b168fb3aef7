// Markers between leg lanes for the links of the chain: a transfer, a queued callback, a
// related contact, or a plain next contact, placed at the transfer or the later leg's start.
import type { ChainEdge } from './chain';
import { idAt, JsonObject } from './json';
import type { ContactModel } from './model';
import { parseTimestamp } from './time';
import { iso, sourceOf } from './timelineSegments';
import type { TimelineMarker } from '../shared/timeline';

/** What the markers need of a leg lane. */
export interface MarkedLeg {
  laneId: string;
  /** The standing contact record. */
  record?: JsonObject;
  /** Without a record: the contact as an agent snapshot, else its contact events, describe it (contact record field names). */
  described?: JsonObject;
  startMs: number;
}

export function linkMarkers(model: ContactModel, edges: readonly ChainEdge[], legById: ReadonlyMap<string, MarkedLeg>): TimelineMarker[] {
  const markers: TimelineMarker[] = [];
  for (const edge of edges) {
    const from = legById.get(edge.from);
    const to = legById.get(edge.to);
    // A link a contact event wrote (a leg with no contact record) points at that event.
    const writer = model.record(edge.writtenBy) ?? model.contactEventsOf(edge.writtenBy)[0];
    if (!from || !to || !writer) continue;
    const toMethod = idAt(to.record, ['InitiationMethod']) ?? idAt(to.described, ['InitiationMethod']);
    const kind: TimelineMarker['kind'] =
      edge.kind === 'related'
        ? 'related'
        : toMethod === 'CALLBACK'
          ? 'callback'
          : toMethod === 'TRANSFER' || toMethod === 'QUEUE_TRANSFER'
            ? 'transfer'
            : 'link';
    const at =
      (edge.kind === 'chain' ? parseTimestamp(from.record?.TransferCompletedTimestamp) : undefined) ??
      parseTimestamp(to.record?.InitiationTimestamp) ??
      (Number.isFinite(to.startMs) ? to.startMs : undefined);
    if (at === undefined) continue;
    const label =
      kind === 'callback'
        ? 'Queued callback'
        : kind === 'transfer'
          ? `Transfer (${toMethod})`
          : kind === 'related'
            ? 'Related contact'
            : `Next contact${toMethod ? ` (${toMethod})` : ''}`;
    markers.push({
      id: `marker:${edge.from}->${edge.to}`,
      kind,
      label,
      at: iso(at),
      fromLaneId: from.laneId,
      toLaneId: to.laneId,
      source: sourceOf(writer),
    });
  }
  markers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return markers;
}
