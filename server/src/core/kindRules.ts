// Rules that read one EventBridge contact event or one flow log entry on its own (no other
// record needed): `event-resource`, `flow-error`, and the `schema` hint on PascalCase detail.
// The rules that join records (event order, event vs contact record, flow log vs contact
// window) work on the workspace model instead.
import { shownId } from './contactIdLength';
import { locate } from './positions';
import { isObject, str, type JsonObject } from './json';
import { describeFlowBlock, flowBlockFailure, contactEventDetail, isPascalCaseDetail } from './recordKinds';
import type { Dump, DumpRecord, Finding } from './types';

/** Findings of one record of the newer kinds; offsets are absolute in the dump's text. */
export function recordKindFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (!isObject(record.value)) return [];
  if (record.kind === 'contactEvent') return contactEventFindings(dump, record, record.value);
  if (record.kind === 'flowLog') return flowErrorFindings(dump, record, record.value);
  return [];
}

// ---------- contact events ----------

/**
 * A Connect ARN: `arn:<partition>:connect:<region>:<account>:instance/<instance-id>[/contact/<contact-id>]`
 * (admin guide, "Contact events": `resources` holds the contact ARN and the instance ARN).
 */
const CONNECT_ARN = /^arn:aws[a-z-]*:connect:[^:]*:[^:]*:instance\/([^/]+)(?:\/contact\/([^/]+))?$/;

function parseConnectArn(value: unknown): { instanceId: string; contactId?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = CONNECT_ARN.exec(value);
  // Masked dumps print `**********`: nothing to compare.
  if (!m || value.includes('*')) return undefined;
  return { instanceId: m[1], contactId: m[2] };
}

/** A detail field under either spelling (camelCase as sent, PascalCase as some doc samples print it). */
function detailField(detail: JsonObject, ...names: string[]): { key: string; value: unknown } | undefined {
  for (const key of names) if (key in detail) return { key, value: detail[key] };
  return undefined;
}

function contactEventFindings(dump: Dump, record: DumpRecord, value: JsonObject): Finding[] {
  const found = contactEventDetail(value);
  if (!found) return [];
  const { detail, path } = found;
  const findings: Finding[] = [];
  if (isPascalCaseDetail(detail)) {
    const span = locate(dump, record, [...path, 'EventType'], 'key');
    findings.push({
      code: 'schema',
      severity: 'hint',
      ...span,
      message:
        'This detail writes its keys in PascalCase (EventType, ContactId), as some AWS documentation samples print them; Amazon Connect sends camelCase (eventType, contactId), so its fields are not checked against the schema.',
    });
  }
  const resources = value.resources;
  if (!Array.isArray(resources)) return findings;
  const contact = detailField(detail, 'contactId', 'ContactId');
  const instance = detailField(detail, 'instanceArn', 'instanceARN', 'InstanceArn', 'InstanceARN');
  const contactId = str(contact?.value);
  const instanceId = parseConnectArn(instance?.value)?.instanceId;
  resources.forEach((resource, i) => {
    const arn = parseConnectArn(resource);
    if (!arn) return;
    const at = locate(dump, record, ['resources', i]);
    const relatedTo = (key: string | undefined, what: string) =>
      key ? [{ uri: dump.uri, ...locate(dump, record, [...path, key]), message: what }] : undefined;
    if (arn.contactId !== undefined && contactId !== undefined && arn.contactId !== contactId) {
      findings.push({
        code: 'event-resource',
        severity: 'warning',
        ...at,
        message: `The contact ARN in resources names contact ${shownId(arn.contactId)}, but detail.${contact?.key} is ${shownId(contactId)}: the event's resources and detail describe different contacts.`,
        related: relatedTo(contact?.key, `detail.${contact?.key}`),
      });
    }
    if (instanceId !== undefined && arn.instanceId !== instanceId) {
      findings.push({
        code: 'event-resource',
        severity: 'warning',
        ...at,
        message: `This resource names instance ${shownId(arn.instanceId)}, but detail.${instance?.key} names instance ${shownId(instanceId)}.`,
        related: relatedTo(instance?.key, `detail.${instance?.key}`),
      });
    }
  });
  return findings;
}

// ---------- flow log entries ----------

function flowErrorFindings(dump: Dump, record: DumpRecord, entry: JsonObject): Finding[] {
  const failure = flowBlockFailure(entry);
  if (!failure) return [];
  const functionArn = isObject(entry.Parameters) ? str(entry.Parameters.FunctionArn) : undefined;
  return [
    {
      code: 'flow-error',
      severity: 'warning',
      ...locate(dump, record, failure.path),
      message: `${describeFlowBlock(entry)} failed: ${failure.reason}${functionArn ? ` (Lambda ${functionArn})` : ''}.`.replace(/\.\.$/, '.'),
    },
  ];
}
