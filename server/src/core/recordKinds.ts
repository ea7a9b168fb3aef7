// Recognises the record kinds beyond agent events and contact records: EventBridge contact
// events (envelope or bare `detail`), contact flow log entries and `describe-contact` output.
// Each test uses the fields only that kind's data model has (DOMAIN.md, "EventBridge ...",
// "Contact flow logs", "Envelopes"). records.ts asks here first.
import { isObject as isObj, type JsonObject } from './records';
import type { RecordKind } from './types';

/** EventBridge's detail type of contact events (admin guide, "Contact events"). */
export const CONTACT_EVENT_DETAIL_TYPE = 'Amazon Connect Contact Event';
/** EventBridge's source of Amazon Connect events. */
export const CONNECT_EVENT_SOURCE = 'aws.connect';

/**
 * The `eventType`s of contact events the admin guide lists ("Contact events data model").
 * The set is open (AWS adds types); a bare PascalCase `detail` is recognised only by these.
 */
export const CONTACT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'INITIATED', 'CONNECTED_TO_SYSTEM', 'CONTACT_DATA_UPDATED', 'QUEUED', 'CONNECTED_TO_AGENT',
  'DISCONNECTED', 'COMPLETED', 'PAUSED', 'RESUMED', 'AMD_DISABLED',
]);

const has = (o: JsonObject, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A contact event's `detail`, camelCase as AWS sends it or PascalCase as some doc samples print it. */
function isContactEventDetail(o: JsonObject): boolean {
  if (typeof o.eventType === 'string' && has(o, 'contactId')) return true;
  return typeof o.EventType === 'string' && CONTACT_EVENT_TYPES.has(o.EventType) && has(o, 'ContactId') && !has(o, 'AgentARN');
}

/** The kind of a record of the newer kinds, or undefined to let the agent event / contact record tests decide. */
export function classifyOtherKind(o: JsonObject): RecordKind | undefined {
  if (o['detail-type'] === CONTACT_EVENT_DETAIL_TYPE) return 'contactEvent';
  if (o.source === CONNECT_EVENT_SOURCE && isObj(o.detail) && isContactEventDetail(o.detail)) return 'contactEvent';
  if (isContactEventDetail(o)) return 'contactEvent';
  if (typeof o.ContactFlowModuleType === 'string' || (has(o, 'ContactFlowId') && has(o, 'ContactId') && has(o, 'Timestamp'))) return 'flowLog';
  if (isObj(o.Contact) && (has(o.Contact, 'Id') || has(o.Contact, 'Arn'))) return 'apiContact';
  return undefined;
}

/** The `detail` of a contact event record: the envelope's, or the record itself when it is a bare detail. */
export function contactEventDetail(o: JsonObject): { detail: JsonObject; path: string[] } | undefined {
  if (isObj(o.detail)) return { detail: o.detail, path: ['detail'] };
  return isContactEventDetail(o) ? { detail: o, path: [] } : undefined;
}

/**
 * Where each contact event type carries its own time (admin guide, "Contact events data
 * model"): the moment the event reports. Types not listed (PAUSED, RESUMED,
 * CONTACT_DATA_UPDATED, ...) carry none; the envelope's `time` is only when EventBridge got it.
 */
export const EVENT_OWN_TIME: Readonly<Record<string, readonly (readonly string[])[]>> = {
  INITIATED: [['initiationTimestamp']],
  CONNECTED_TO_SYSTEM: [['connectedToSystemTimestamp']],
  QUEUED: [['queueInfo', 'enqueueTimestamp']],
  CONNECTED_TO_AGENT: [['agentInfo', 'connectedToAgentTimestamp']],
  DISCONNECTED: [['disconnectTimestamp']],
  COMPLETED: [['agentInfo', 'afterContactWorkEndTimestamp'], ['disconnectTimestamp']],
};

/**
 * The order of a contact's life that its events report (admin guide, "Contact events"):
 * initiated, queued, connected to an agent, disconnected, completed. CONNECTED_TO_SYSTEM is
 * left out (an outbound call reaches the customer after the agent), as are the types that can
 * come at any time of the contact (PAUSED, RESUMED, CONTACT_DATA_UPDATED, AMD_DISABLED).
 */
export const EVENT_LIFE_ORDER: Readonly<Record<string, number>> = {
  INITIATED: 0, QUEUED: 1, CONNECTED_TO_AGENT: 2, DISCONNECTED: 3, COMPLETED: 4,
};

/** True when a detail writes its keys in PascalCase (`EventType`, `ContactId`), as some AWS doc samples do. */
export function isPascalCaseDetail(detail: JsonObject): boolean {
  return typeof detail.EventType === 'string' && !has(detail, 'eventType');
}
