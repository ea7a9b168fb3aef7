// Rules that read one EventBridge contact event or one flow log entry on its own (no other
// record needed): `event-resource`, `arn-format` on a contact event's own ARNs, `flow-error`,
// and the `schema` hint on PascalCase detail.
// The rules that join records (event order, event vs contact record, flow log vs contact
// window) work on the workspace model instead.
import { isConnectArn, parseConnectArn as arnForm } from './arn';
import { shownId } from './contactIdLength';
import { isMasked } from './masking';
import { locate } from './positions';
import { isObject, str, type JsonObject } from './json';
import { describeValue } from './records';
import { findingOn, pathLabel } from './recordPaths';
import { describeFlowBlock, flowBlockFailure, contactEventDetail, detailAt, isPascalCaseDetail } from './recordKinds';
import type { Dump, DumpRecord, Finding, JsonPath } from './types';

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
  findings.push(...eventArnFindings(dump, record, value, detail, path));
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

/** The ARNs a contact event's detail carries (admin guide, "Contact events"), each under either spelling. */
const DETAIL_ARNS: readonly (readonly string[])[] = [
  ['queueInfo', 'queueArn'],
  ['agentInfo', 'agentArn'],
];

/**
 * `arn-format` on the ARNs Connect wrote into a contact event: `resources`, the detail's
 * instance, queue and agent ARNs. Only a value meant as a Connect ARN (arn.ts says which) is
 * parsed, so the documentation's placeholders (`"arn"`, `"arn:aws:..."`) pass; masks are the
 * `redacted` finding's. The admin guide's samples print `arn:aws::connect:us-west-2:...`
 * (the service shifted one field right), which people paste as test events. The form is
 * arn.ts's; comparing instances is `event-resource`'s.
 */
function eventArnFindings(dump: Dump, record: DumpRecord, value: JsonObject, detail: JsonObject, detailPath: string[]): Finding[] {
  const candidates: { path: JsonPath; value: unknown }[] = [];
  if (Array.isArray(value.resources)) value.resources.forEach((v, i) => candidates.push({ path: ['resources', i], value: v }));
  const instance = detailField(detail, 'instanceArn', 'instanceARN', 'InstanceArn', 'InstanceARN');
  if (instance) candidates.push({ path: [...detailPath, instance.key], value: instance.value });
  for (const p of DETAIL_ARNS) {
    const found = detailAt(detail, p);
    if (found) candidates.push({ path: [...detailPath, ...found.path], value: found.value });
  }
  const out: Finding[] = [];
  for (const { path, value: v } of candidates) {
    if (typeof v !== 'string' || !v.startsWith('arn:') || !isConnectArn(v) || isMasked(v)) continue;
    const { problems } = arnForm(v);
    if (problems.length === 0) continue;
    out.push(
      findingOn(dump, record, path, 'arn-format', 'warning', `${pathLabel(path)} ${describeValue(v)} is not a well-formed ARN: ${problems.join('; ')}.`),
    );
  }
  return out;
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
      message: `${describeFlowBlock(entry)} failed: ${failure.reason}${functionArn ? ` (Lambda ${shownId(functionArn)})` : ''}.`.replace(/\.\.$/, '.'),
    },
  ];
}
