// The contact timeline: the model the server builds and the messages that cross the
// webview boundary. Imported by the server (core/timeline.ts), the client panel and the
// webview bundle, so it must stay free of runtime dependencies (no vscode, no node).

/** Where a bar came from: the record's text span in its document (for click-to-source). */
export interface SourceRef {
  uri: string;
  /** UTF-16 offsets of the record's text, as in `DumpRecord.start` / `end`. */
  start: number;
  end: number;
}

export type TimelineSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface TimelineFinding {
  /** A finding code of DESIGN.md section 3 (e.g. `state-transition`, `link-missing`). */
  code: string;
  message: string;
  severity: TimelineSeverity;
  /** The record the finding is about, when there is one. */
  source?: SourceRef;
}

export type SegmentKind =
  | 'initiation' // InitiationTimestamp until the contact is queued / connected (flow time)
  | 'queue' // Queue.EnqueueTimestamp -> DequeueTimestamp
  | 'incoming' // agent event state INCOMING (queued callback offered)
  | 'pending' // agent event state PENDING (queued callback)
  | 'connecting' // ringing / being offered to the agent
  | 'connected'
  | 'hold' // CONNECTED_ONHOLD
  | 'paused' // task paused
  | 'acw' // after-contact work (agent state ENDED, or the contact record's ACW span)
  | 'missed'
  | 'rejected'
  | 'error'
  | 'disconnect' // an instant: DisconnectTimestamp, with the reason in the label
  | 'agent-status' // the agent's own status (Available, custom, Offline), drawn behind
  | 'missing' // a span the dumps do not cover; bounded by known times, never invented
  | 'flow-block' // a flow lane: one block run (flow log entry), until the contact's next block
  | 'flow-failed' // a flow lane: a block whose entry says it failed (a `flow-error` finding)
  | 'external' // a leg after a transfer to an external number: TransferCompletedTimestamp -> DisconnectTimestamp
  | 'other'; // a state this version does not know

export interface TimelineSegment {
  /** Unique within the model; stable for the same input (used to keep focus across redraws). */
  id: string;
  kind: SegmentKind;
  /** Short text drawn on the bar and read by screen readers, e.g. "CONNECTED", "In queue". */
  label: string;
  /** The raw value from the data when there is one: a contact state or an agent status name. */
  state?: string;
  /** ISO 8601 timestamps, exactly as found in (or computed from) the records. */
  start: string;
  end: string;
  /** end - start; 0 for an instant (initiation without a later time, disconnect). */
  durationMs: number;
  /** The contact leg this segment belongs to (agent lanes mix legs). */
  contactId?: string;
  /** For agent-status segments: ROUTABLE | CUSTOM | OFFLINE. */
  statusType?: string;
  /** The end is not known from the dumps: the bar is drawn as an open stub. */
  openEnd?: boolean;
  /** Extra lines for the tooltip (queue name, disconnect reason, what is missing, ...). */
  details?: string[];
  source: SourceRef;
  findings?: TimelineFinding[];
}

/** Hold or pause totals known only as counts and durations (no times to draw them at). */
export interface DurationTally {
  count?: number;
  totalMs?: number;
  longestMs?: number;
  /** Where the numbers come from. */
  from: 'agent-events' | 'contact-record';
}

export interface TimelineLane {
  id: string;
  /** `flow`: the flow blocks a leg ran (its flow log entries), drawn under the leg. */
  kind: 'leg' | 'agent' | 'flow';
  /** Lane heading: "Leg 1 · INBOUND", the agent's user name, or "Flows · leg 1". */
  title: string;
  /** Second line: contact ID, queue, channel; or the agent ARN. */
  subtitle?: string;
  /** For a leg: its ContactId. */
  contactId?: string;
  /** For a leg: how it relates to the contact asked for. */
  relation?: 'self' | 'chain' | 'related';
  /** For an agent lane: the agent ARN. */
  agentArn?: string;
  segments: TimelineSegment[];
  /** Agent status segments drawn behind the state bars (agent lanes only). */
  background?: TimelineSegment[];
  holds?: DurationTally;
  pauses?: DurationTally;
  /** Plain-language notes about what is missing for this lane. */
  notes?: string[];
  /** For a leg: how it came to be (initial, transfer, consult, ...), from the explanation. */
  chainLabel?: string;
}

export interface TimelineMarker {
  id: string;
  /**
   * A link between two legs: a transfer, a queued callback, or another relation; or `event`:
   * an EventBridge contact event on its leg (from and to are the same lane; label = eventType).
   */
  kind: 'transfer' | 'callback' | 'related' | 'link' | 'event';
  label: string;
  /** ISO time the marker stands at. */
  at: string;
  fromLaneId: string;
  toLaneId: string;
  /** Extra tooltip lines (an event's queue, agent, disconnect reason). */
  details?: string[];
  source: SourceRef;
}

export interface TimeZoneInfo {
  /** "UTC", "UTC+02:00", ... the zone the dumps' timestamps are written in. */
  label: string;
  /** Offset used for tick labels, minutes east of UTC. */
  offsetMinutes: number;
  /** One sentence for the header, e.g. "All timestamps in the dumps are UTC (Z)." */
  note: string;
}

export interface TimelineSummary {
  contactId: string;
  initialContactId?: string;
  channel?: string;
  /** First and last known times of the whole chain. */
  start?: string;
  end?: string;
  totalMs?: number;
  queueMs?: number;
  talkMs?: number;
  holdMs?: number;
  acwMs?: number;
  pauseMs?: number;
  legs: number;
  agents: number;
  timeZone: TimeZoneInfo;
}

export interface TimelineModel {
  /** The contact the timeline was asked for. */
  contactId: string;
  channel?: string;
  summary: TimelineSummary;
  /** Legs first (in chain order), then agents (in order of first appearance). */
  lanes: TimelineLane[];
  markers: TimelineMarker[];
  /** Every finding shown on the timeline, plus chain-level ones (links that do not resolve). */
  findings: TimelineFinding[];
  /** The Explain section: the narrative of `connect-inspect explain` (core/explainText.ts). */
  explain?: TimelineExplain;
}

export type ExplainSentenceKind = 'overview' | 'leg' | 'disconnect' | 'totals' | 'gap';

/** One sentence of the narrative, with the records it is read from (the bars drawn from them light up). */
export interface TimelineExplainSentence {
  kind: ExplainSentenceKind;
  text: string;
  /** The leg the sentence is about, when it is about one. */
  contactId?: string;
  sources: SourceRef[];
}

export interface TimelineExplain {
  sentences: TimelineExplainSentence[];
}

const EXPLAIN_SENTENCE_KINDS: readonly string[] = ['overview', 'leg', 'disconnect', 'totals', 'gap'];
const MAX_EXPLAIN_SENTENCES = 500;
const MAX_SENTENCE_CHARS = 20_000;

/**
 * Checks the explain part of a model before the webview draws it: every field typed, sizes
 * bounded. A part that fails is left out (the timeline is still drawn).
 */
export function isTimelineExplain(x: unknown): x is TimelineExplain {
  if (!isRecord(x) || !hasOnlyKeys(x, ['sentences']) || !Array.isArray(x.sentences) || x.sentences.length > MAX_EXPLAIN_SENTENCES) return false;
  return x.sentences.every(
    (s) =>
      isRecord(s) &&
      hasOnlyKeys(s, ['kind', 'text', 'contactId', 'sources']) &&
      typeof s.kind === 'string' &&
      EXPLAIN_SENTENCE_KINDS.includes(s.kind) &&
      typeof s.text === 'string' &&
      s.text.length <= MAX_SENTENCE_CHARS &&
      (s.contactId === undefined || typeof s.contactId === 'string') &&
      Array.isArray(s.sources) &&
      s.sources.every(isSourceRef),
  );
}

// ---- Messages between the webview and the extension ----------------------------------

export type WebviewToExtension =
  | { type: 'ready' }
  | { type: 'reveal'; source: SourceRef }
  /** svg: the serialised <svg> markup; png: a `data:image/png;base64,` URL. */
  | { type: 'export'; format: 'svg' | 'png'; data: string };

export type EmptyReason = 'no-contact' | 'no-events';

export type ExtensionToWebview =
  { type: 'model'; model: TimelineModel } | { type: 'empty'; reason: EmptyReason; contactId?: string } | { type: 'error'; message: string };

/** Biggest export the extension accepts from the webview (a PNG of a long chain at 2x). */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
const MAX_URI_CHARS = 8192;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function hasOnlyKeys(x: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(x).every((k) => keys.includes(k));
}

function isOffset(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

export function isSourceRef(x: unknown): x is SourceRef {
  return (
    isRecord(x) &&
    hasOnlyKeys(x, ['uri', 'start', 'end']) &&
    typeof x.uri === 'string' &&
    x.uri.length > 0 &&
    x.uri.length <= MAX_URI_CHARS &&
    isOffset(x.start) &&
    isOffset(x.end) &&
    x.start <= x.end
  );
}

/**
 * Checks every field of a message from the webview: the webview renders dump content, so
 * the extension treats what it posts as untrusted. The extension must still check that a
 * `reveal` URI is one of the dumps it knows before opening it.
 */
export function isWebviewToExtension(x: unknown): x is WebviewToExtension {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
      return hasOnlyKeys(x, ['type']);
    case 'reveal':
      return hasOnlyKeys(x, ['type', 'source']) && isSourceRef(x.source);
    case 'export': {
      if (!hasOnlyKeys(x, ['type', 'format', 'data'])) return false;
      if (typeof x.data !== 'string' || x.data.length > MAX_EXPORT_CHARS) return false;
      if (x.format === 'svg') return /^(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(x.data);
      if (x.format === 'png') return /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(x.data);
      return false;
    }
    default:
      return false;
  }
}

/**
 * A contact ID as a label in a title (the timeline panel's "Contact Timeline: f0b21968…",
 * the CodeLens "Timeline of f0b21968…"): the first 8 characters of a long one.
 */
export function idLabel(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}
