// Validates records against the bundled JSON Schemas with ajv and maps each error to a
// finding on the offending value (RFC 6901 pointer -> path -> span, anchored by keyword).
import type { ErrorObject, ValidateFunction } from 'ajv';
import agentEventSchema from '../../../schemas/agent-event.schema.json';
import contactRecordSchema from '../../../schemas/contact-record.schema.json';
import contactEventSchema from '../../../schemas/contact-event.schema.json';
import flowLogSchema from '../../../schemas/flow-log.schema.json';
import apiContactSchema from '../../../schemas/api-contact.schema.json';
import { arnFindings } from './arn';
import { recordKindFindings } from './kindRules';
import { otherConnectDataNotice } from './recordKinds';
import { durationFindings } from './durations';
import { isMasked } from './masking';
import { contactRecordOrderFindings } from './ordering';
import { phoneFindings } from './phone';
import { locate } from './positions';
import { describeValue } from './records';
import { sharesEverySnapshotConfiguration } from './sharedParts';
import * as generated from './generated/validators';
import type { Dump, DumpRecord, Finding, JsonPath, RecordKind } from './types';

export const schemas: Record<Exclude<RecordKind, 'unknown'>, object> = {
  agentEvent: agentEventSchema,
  contactRecord: contactRecordSchema,
  contactEvent: contactEventSchema,
  flowLog: flowLogSchema,
  apiContact: apiContactSchema,
};

/** The date each schema's enum lists were read from the AWS documentation. */
export const ENUMS_AS_OF: Record<Exclude<RecordKind, 'unknown'>, string> = {
  agentEvent: String((agentEventSchema as { enumsAsOf?: string }).enumsAsOf ?? 'unknown'),
  contactRecord: String((contactRecordSchema as { enumsAsOf?: string }).enumsAsOf ?? 'unknown'),
  // Their documented sets are open (anyOf enum | string): no value of theirs is ever an unknown-value.
  contactEvent: 'unknown',
  flowLog: 'unknown',
  apiContact: 'unknown',
};

/**
 * Enums whose list is closed: a value outside it is a `schema` error. Every other enum is
 * open: AWS keeps adding values (EMAIL joined Channel in 2024; InitiationMethod, DisconnectReason,
 * Endpoint.Type and MediaStream.Type have all grown; even the contact State list grew PAUSED
 * for tasks), and "Any changes we make to the data model are backward compatible" (contact
 * records data model) means new values, so a value outside an open list is `unknown-value`
 * (warning), never an error on every record the day AWS ships it.
 *
 * Closed: the agent event's `EventType`. It decides how the whole record is read (snapshots,
 * heartbeats, login), has been STATE_CHANGE, HEART_BEAT, LOGIN, LOGOUT since the agent event
 * stream launched in 2017 (agent event streams data model), and a value outside it is far more
 * likely a hand-made dump's typo than a new event type.
 */
export const CLOSED_ENUMS: readonly { kind: 'agentEvent' | 'contactRecord'; path: JsonPath }[] = [{ kind: 'agentEvent', path: ['EventType'] }];

function isClosedEnum(kind: RecordKind, path: JsonPath): boolean {
  return CLOSED_ENUMS.some((c) => c.kind === kind && c.path.length === path.length && c.path.every((seg, i) => seg === path[i]));
}

// Compiled at build time (esbuild.mjs, ajv standalone code): nothing is compiled or eval'd at run time.
const validators: Record<Exclude<RecordKind, 'unknown'>, ValidateFunction> = generated;

/** Decodes an ajv instancePath (RFC 6901) into path segments, numbers for array indexes. */
export function decodePointer(pointer: string, root: unknown): JsonPath {
  if (pointer === '') return [];
  const path: JsonPath = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(key);
      path.push(i);
      node = node[i];
    } else {
      path.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const seg of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

function fieldName(path: JsonPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path.slice(i).map(String).join('.');
  return 'record';
}

const KIND_LABEL: Record<RecordKind, string> = {
  agentEvent: 'agent event',
  contactRecord: 'contact record',
  contactEvent: 'contact event',
  flowLog: 'flow log entry',
  apiContact: 'DescribeContact output',
  unknown: 'record',
};

function errorToFinding(dump: Dump, record: DumpRecord, kind: RecordKind, e: ErrorObject): Finding {
  const path = decodePointer(e.instancePath, record.value);
  const value = valueAt(record.value, path);
  const field = fieldName(path);
  let message: string;
  let span = locate(dump, record, path, 'value');
  let fix: Finding['fix'];
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      span = locate(dump, record, path, 'object');
      message = `${path.length ? `${field} is` : `The ${KIND_LABEL[kind]} is`} missing the required property "${missing}".`;
      break;
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const known = allowed
        .filter((a) => a !== null)
        .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        .join(', ');
      if (typeof value === 'string') {
        const squeezed = value.replace(/\s+/g, '');
        if (squeezed !== value && allowed.includes(squeezed)) {
          // A known value with a stray space is a misprint, never a new value.
          message = `${describeValue(value)} is not a valid ${field}: expected one of ${known}. The documentation misprints "${squeezed}" as "${value}"; the real value has no space.`;
          fix = { title: `Replace with "${squeezed}"`, replacement: JSON.stringify(squeezed) };
          break;
        }
      }
      if (!isClosedEnum(kind, path) && kind !== 'unknown') {
        const asOf = ENUMS_AS_OF[kind];
        return {
          code: 'unknown-value',
          severity: 'warning',
          start: span.start,
          end: span.end,
          message: `${describeValue(value)} is not one of the ${field} values documented as of ${asOf} (${known}). AWS adds values over time: a newer one is fine; otherwise it is a typo.`,
        };
      }
      message = `${describeValue(value)} is not a valid ${field}: expected one of ${known}.`;
      break;
    }
    case 'type':
      message = `${field} must be ${String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')}, not ${value === null || typeof value !== 'object' ? `${value === null ? 'null' : typeof value} (${describeValue(value)})` : describeValue(value)}.`;
      break;
    case 'format':
      message =
        `${field} ${describeValue(value)} is not a valid ${(e.params as { format: string }).format}` +
        ((e.params as { format: string }).format === 'date-time' ? ' (ISO 8601 with a time zone, e.g. 2019-05-25T18:43:59.049Z).' : '.');
      break;
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      span = locate(dump, record, [...path, extra], 'key');
      message = `${field} has an unexpected property "${extra}".`;
      break;
    }
    default:
      message = `${field} ${describeValue(value)} ${e.message ?? 'does not match the schema'}.`;
  }
  return { code: 'schema', severity: 'error', start: span.start, end: span.end, message, ...(fix ? { fix } : {}) };
}

/**
 * Every finding about one record on its own: classification, the schema, and the checks that
 * need nothing but the record (the order of its times, its durations, its ARNs and phone
 * numbers). The document analysis and the streaming reader both call this.
 */
export function validateRecord(dump: Dump, record: DumpRecord): Finding[] {
  const findings = schemaFindings(dump, record);
  if (record.kind === 'contactRecord' || record.kind === 'agentEvent') {
    findings.push(...contactRecordOrderFindings(dump, record), ...durationFindings(dump, record), ...arnFindings(dump, record), ...phoneFindings(dump, record));
  } else {
    findings.push(...recordKindFindings(dump, record));
  }
  return findings;
}

/** Schema and classification findings for one record. */
function schemaFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (record.kind === undefined) return [];
  if (record.kind === 'unknown') {
    const span = locate(dump, record, [], 'object');
    const what =
      record.value === null ? 'null' : Array.isArray(record.value) ? 'an array' : typeof record.value === 'object' ? 'an object' : typeof record.value;
    const other = otherConnectDataNotice(record.value);
    if (other) return [{ code: 'unknown-record', start: span.start, end: span.end, ...other }];
    return [
      {
        code: 'unknown-record',
        severity: 'warning',
        start: span.start,
        end: span.end,
        message: `This record is neither an agent event (EventType, AgentARN, EventId), a contact record (ContactId, InitiationMethod, Channel), an EventBridge contact event (detail-type, detail.eventType), a flow log entry (ContactFlowModuleType) nor describe-contact output (Contact.Id): it is ${what} that is not checked.`,
      },
    ];
  }
  // Snapshot Configurations shared with other records passed their sub-schema on their own (sharedParts.ts).
  const validate =
    record.kind === 'agentEvent' && sharesEverySnapshotConfiguration(record.value) ? generated.agentEventSharedConfiguration : validators[record.kind];
  if (validate(record.value)) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  // A number where an enum of strings goes is a wrong type: one `schema` finding, not also an unknown value.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    // anyOf/oneOf branches repeat themselves; keep one finding per place and keyword.
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key) || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    if (e.keyword === 'enum' && wrongType.has(e.instancePath)) continue;
    // A masked value ("**********" for an account ID) breaks patterns and enums only because of the mask.
    if (e.keyword !== 'required' && e.keyword !== 'additionalProperties') {
      const at = decodePointer(e.instancePath, record.value);
      if (isMasked(valueAt(record.value, at), at)) continue;
    }
    seen.add(key);
    findings.push(errorToFinding(dump, record, record.kind, e));
  }
  return findings;
}
