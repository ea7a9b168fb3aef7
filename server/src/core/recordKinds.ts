// The record kinds beyond agent events and contact records: EventBridge contact events
// (envelope or bare `detail`), contact flow log entries and `describe-contact` output. How
// each is recognised (by the fields only its data model has: DOMAIN.md, "EventBridge ...",
// "Contact flow logs", "Envelopes"; records.ts asks here first), the facts of each kind the
// rules and the timeline share, and how a record becomes its model ref (model.ts).
import { shownId } from './contactIdLength';
import { isObject as isObj, str, type JsonObject } from './json';
import type { ContactEventRef, FlowLogRef, RecordRef } from './model';
import { describeValue } from './records';
import { parseTimestamp } from './time';
import type { JsonPath, RecordKind } from './types';

/** EventBridge's detail type of contact events (admin guide, "Contact events"). */
export const CONTACT_EVENT_DETAIL_TYPE = 'Amazon Connect Contact Event';
/** EventBridge's source of Amazon Connect events. */
export const CONNECT_EVENT_SOURCE = 'aws.connect';

/**
 * The `eventType`s of contact events the admin guide lists ("Contact events data model").
 * The set is open (AWS adds types); a bare PascalCase `detail` is recognised only by these.
 */
export const CONTACT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'INITIATED',
  'CONNECTED_TO_SYSTEM',
  'CONTACT_DATA_UPDATED',
  'QUEUED',
  'CONNECTED_TO_AGENT',
  'DISCONNECTED',
  'COMPLETED',
  'PAUSED',
  'RESUMED',
  'AMD_DISABLED',
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
  INITIATED: 0,
  QUEUED: 1,
  CONNECTED_TO_AGENT: 2,
  DISCONNECTED: 3,
  COMPLETED: 4,
};

/** The contact a record of the newer kinds is about: its detail's contactId, its ContactId, or its Contact.Id. */
export function otherKindContactId(kind: RecordKind | undefined, value: unknown): string | undefined {
  if (!isObj(value)) return undefined;
  let id: unknown;
  if (kind === 'contactEvent') {
    const found = contactEventDetail(value);
    id = found && detailAt(found.detail, ['contactId'])?.value;
  } else if (kind === 'flowLog') id = value.ContactId;
  else if (kind === 'apiContact') id = isObj(value.Contact) ? value.Contact.Id : undefined;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** True when a detail writes its keys in PascalCase (`EventType`, `ContactId`), as some AWS doc samples do. */
export function isPascalCaseDetail(detail: JsonObject): boolean {
  return typeof detail.EventType === 'string' && !has(detail, 'eventType');
}

// ---------- flow log entries ----------

/** Block types that call a Lambda: `ExternalResults` holds what it returned, absent when it failed (admin guide, "Invoke AWS Lambda function"). */
export const LAMBDA_BLOCK_TYPES: ReadonlySet<string> = new Set(['InvokeExternalResource', 'InvokeLambdaFunction']);

/**
 * Words in `Results` that say the block failed: `The Lambda Function Returned An Error.`,
 * `Error`, `Timeout`, `Status Code: 403; Error Code: AccessDeniedException`, ... (admin guide
 * "Data in flow logs"; entries published by users). Whole words only: a branch named
 * "NoErrorsFound" or an intent such as "ReportIssue" is not an error.
 */
const ERROR_WORDS = /\b(?:error|errors|exception|timed ?out|timeout|access ?denied|failed|failure|throttl(?:ed|ing))\b/i;
/** An exception name such as `AccessDeniedException` or `ServiceError` (case matters: "terror" is no error). */
const ERROR_NAME = /[a-z](?:Error|Exception)\b/;

/** Why a flow log entry says its block failed, and where; undefined when it did not. */
export function flowBlockFailure(entry: JsonObject): { reason: string; path: JsonPath } | undefined {
  const results = entry.Results;
  if (typeof results === 'string' && (ERROR_WORDS.test(results) || ERROR_NAME.test(results))) return { reason: shownId(results), path: ['Results'] };
  for (const key of ['Error', 'ErrorDetails']) {
    if (key in entry && entry[key] !== null) return { reason: `${key} ${describeValue(entry[key])}`, path: [key] };
  }
  const type = str(entry.ContactFlowModuleType);
  if (type && LAMBDA_BLOCK_TYPES.has(type) && !('ExternalResults' in entry) && results === undefined) {
    return {
      reason: 'no ExternalResults: the Lambda returned nothing the flow could use (Connect leaves ExternalResults out when the call fails)',
      path: ['ContactFlowModuleType'],
    };
  }
  return undefined;
}

/** The flow a log entry belongs to, by name or else by the last part of its ARN. */
export function flowName(entry: JsonObject): string | undefined {
  const flowId = str(entry.ContactFlowId);
  return str(entry.ContactFlowName) ?? (flowId ? flowId.slice(flowId.lastIndexOf('/') + 1) : undefined);
}

/**
 * How a message names a flow log entry's block: `Flow "Main": the PlayPrompt block "Welcome"`.
 * Each name is cut short past 256 characters (a damaged entry's 100 KB block type made a
 * message of 100 KB).
 */
export function describeFlowBlock(entry: JsonObject): string {
  const flow = flowName(entry);
  const type = str(entry.ContactFlowModuleType) ?? 'unnamed';
  const id = str(entry.Identifier);
  return `${flow ? `Flow "${shownId(flow)}": the` : 'The'} ${shownId(type)} block${id ? ` "${shownId(id)}"` : ''}`;
}

// ---------- model refs ----------

/**
 * A detail field by its camelCase path, also found under PascalCase keys (as some doc samples
 * print them). Returns the value and the path it was found at, relative to the detail.
 */
export function detailAt(detail: JsonObject, path: readonly string[]): { value: unknown; path: string[] } | undefined {
  let node: unknown = detail;
  const found: string[] = [];
  for (const seg of path) {
    if (!isObj(node)) return undefined;
    const pascal = seg.charAt(0).toUpperCase() + seg.slice(1);
    const key = seg in node ? seg : pascal in node ? pascal : undefined;
    if (key === undefined) return undefined;
    found.push(key);
    node = node[key];
  }
  return { value: node, path: found };
}

/** The model's ref of a contact event record: its contact, type, id and the time it reports. */
export function readContactEvent(base: RecordRef): ContactEventRef | undefined {
  const found = contactEventDetail(base.value);
  if (!found) return undefined;
  const contactId = str(detailAt(found.detail, ['contactId'])?.value);
  if (!contactId) return undefined;
  const eventType = str(detailAt(found.detail, ['eventType'])?.value);
  // The latest of the listed times: COMPLETED reports the end of after-contact work, or the
  // disconnect when the customer stayed on after the agent left (external transfer).
  let time: number | undefined;
  let timePath: JsonPath | undefined;
  for (const p of (eventType && EVENT_OWN_TIME[eventType]) || []) {
    const at = detailAt(found.detail, p);
    const t = parseTimestamp(at?.value);
    if (t !== undefined && (time === undefined || t > time)) {
      time = t;
      timePath = [...found.path, ...at!.path];
    }
  }
  return { ...base, detail: found.detail, detailPath: found.path, contactId, eventId: str(base.value.id), eventType, time, timePath };
}

/** The model's ref of a flow log entry: its contact, its time, and why its block failed, if it did. */
export function readFlowLog(base: RecordRef): FlowLogRef | undefined {
  const contactId = str(base.value.ContactId);
  if (!contactId) return undefined;
  return { ...base, contactId, time: parseTimestamp(base.value.Timestamp), failure: flowBlockFailure(base.value)?.reason };
}

// ---------- Connect data that is no record of these kinds ----------

/**
 * The event Amazon Connect sends a Lambda function invoked from a flow: `{"Name":
 * "ContactFlowEvent", "Details": {"ContactData": {...}, "Parameters": {...}}}` (Lambda
 * developer guide, "Using Lambda with Amazon Connect"; admin guide, "Grant Amazon Connect
 * access to your AWS Lambda functions", "Configure your Lambda function to parse the event").
 * People log it from their function and paste it; it is the contact as one flow block saw it,
 * not a record Connect exports.
 */
export const LAMBDA_EVENT_NAME = 'ContactFlowEvent';

export function isLambdaInvocationEvent(o: JsonObject): boolean {
  return o.Name === LAMBDA_EVENT_NAME && isObj(o.Details) && isObj(o.Details.ContactData);
}

/**
 * The `unknown-record` finding of a record that is Connect data of a kind not read here,
 * named for what it is (information: it is no fault); undefined for anything else.
 */
export function otherConnectDataNotice(value: unknown): { severity: 'information'; message: string } | undefined {
  if (!isObj(value) || !isLambdaInvocationEvent(value)) return undefined;
  const data = (value.Details as JsonObject).ContactData as JsonObject;
  const id = str(data.ContactId);
  return {
    severity: 'information',
    message: `This is the event Amazon Connect sends a Lambda function invoked from a flow (Name "${LAMBDA_EVENT_NAME}", Details.ContactData${
      id ? ` of contact ${describeValue(id)}` : ''
    }, Details.Parameters), not a record Connect exports: it is not checked, and its contact is not linked to the records of the dumps. The contact's contact record, agent events, contact events and flow log entries are.`,
  };
}
