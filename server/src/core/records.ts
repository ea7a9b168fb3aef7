// Tells agent events from contact records by the fields each data model always carries.
import { isObject } from './json';
import { classifyOtherKind } from './recordKinds';
import type { RecordKind } from './types';

const AGENT_EVENT_TYPES = new Set(['STATE_CHANGE', 'HEART_BEAT', 'LOGIN', 'LOGOUT']);

// Fields only the contact record model has (the agent event model nests contacts in snapshots).
const CONTACT_RECORD_MARKERS = [
  'InitiationMethod',
  'InitiationTimestamp',
  'AWSContactTraceRecordFormatVersion',
  'DisconnectTimestamp',
  'Channel',
  'CustomerEndpoint',
  'SystemEndpoint',
];

export function classifyRecord(value: unknown): RecordKind {
  if (!isObject(value)) return 'unknown';
  const other = classifyOtherKind(value);
  if (other) return other;
  const eventType = value.EventType;
  if (typeof eventType === 'string' && (AGENT_EVENT_TYPES.has(eventType) || 'AgentARN' in value)) return 'agentEvent';
  if ('AgentARN' in value && ('CurrentAgentSnapshot' in value || 'EventId' in value)) return 'agentEvent';
  // A record that lost its ContactId is still a (broken) contact record if its other fields say so.
  const markers = CONTACT_RECORD_MARKERS.filter((k) => k in value).length;
  if (markers >= 2 || ('ContactId' in value && markers >= 1)) return 'contactRecord';
  return 'unknown';
}

/** A short rendering of a value for a message: never the whole of a big or deep value. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
