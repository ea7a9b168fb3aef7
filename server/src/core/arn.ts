// `arn-format` (warning): a Connect ARN that is damaged, or that names another account, Region
// or instance than the record's own InstanceARN and AWSAccountId. Real dumps carry both:
// `instance\2f...` where an exporter escaped the `/`, and `::` where a tool dropped the
// account (DOMAIN.md, "Damaged values occur"). Masked ARNs are the `redacted` finding's
// business, never this one's.
import { shownId } from './contactIdLength';
import { isMasked } from './masking';
import { findingOn, pathLabel, relatedOn, valueAt, visitStrings } from './recordPaths';
import { describeValue } from './records';
import { ownTextOf } from './sharedParts';
import type { Dump, DumpRecord, Finding, JsonPath, RelatedLocation } from './types';

/**
 * ARN format, from the IAM User Guide ("IAM identifiers", ARN format):
 * `arn:partition:service:region:account-id:resource`. Connect resources live under an
 * instance, `instance/<instance-id>/<type>/<id>`, except a few such as
 * `phone-number/<id>` (Amazon Connect API reference, resource types).
 */
const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
/** What damage leaves in an ARN: an escape or URL encoding. */
const DAMAGE = /[\\%]/;

/** User data: values there are whatever the contact centre put in, not ARNs Connect wrote. */
const USER_DATA_KEYS: ReadonlySet<string> = new Set(['Attributes', 'ContactDetails', 'Tags', 'SegmentAttributes', 'References']);

export interface ConnectArn {
  region: string;
  account: string;
  /** The instance ID for instance-scoped resources. */
  instanceId?: string;
}

/** Parses a Connect ARN; `problems` says what is malformed (empty when nothing is). */
export function parseConnectArn(value: string): { arn?: ConnectArn; problems: string[] } {
  // Dumps repeat the same few ARNs (queues, routing profiles) thousands of times.
  let parsed = parsedArns.get(value);
  if (!parsed) {
    if (parsedArns.size >= 10_000) parsedArns.clear();
    parsedArns.set(value, (parsed = parseUncached(value)));
  }
  return parsed;
}

const parsedArns = new Map<string, { arn?: ConnectArn; problems: string[] }>();

function parseUncached(value: string): { arn?: ConnectArn; problems: string[] } {
  const parts = value.split(':');
  const problems: string[] = [];
  if (parts.length < 6) return { problems: [`it has ${parts.length - 1} colons where an ARN has 5 (arn:partition:service:region:account:resource)`] };
  const [, partition, , region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition)) problems.push(`the partition ${describeValue(partition)} is not one of aws, aws-cn, aws-us-gov, ...`);
  if (region === '') problems.push('the Region is empty');
  else if (!REGION.test(region)) problems.push(`${describeValue(region)} is not a Region name`);
  if (account === '') problems.push('the account ID is empty (a doubled "::" where the 12-digit account goes)');
  else if (!ACCOUNT.test(account)) problems.push(`the account ID ${describeValue(account)} is not 12 digits`);
  if (/\\/.test(resource)) problems.push('the resource holds a backslash (an escaped "/", e.g. "\\2f", left by an exporter)');
  else if (/%[0-9a-fA-F]{2}/.test(resource)) problems.push('the resource is URL-encoded ("%2F" for "/")');
  if (resource === '') problems.push('the resource is empty');
  else if (/^instance(?!\/)/.test(resource) || /^instance\/(?:$|\/)/.test(resource) || resource.includes('//'))
    problems.push(`the resource "${resource.length > 40 ? resource.slice(0, 37) + '...' : resource}" is not instance/<instance-id>/...`);
  if (problems.length > 0) return { problems };
  const m = /^instance\/([^/]+)/.exec(resource);
  return { arn: { region, account, ...(m ? { instanceId: m[1] } : {}) }, problems };
}

/**
 * `arn:<partition>:connect:...`, without splitting the whole string; also
 * `arn:<partition>::connect:...`, the service shifted one field right, as the admin guide's
 * contact event samples print it: meant as a Connect ARN, and damaged.
 */
export function isConnectArn(s: string): boolean {
  const p = s.indexOf(':', 4);
  return p > 0 && (s.startsWith(':connect:', p) || s.startsWith('::connect:', p));
}

/**
 * From the record's own text, without walking it: every string that starts with "arn:" is the
 * instance's own ARN or under it, and nothing in the record is escaped (so each string is its
 * text verbatim) or URL-encoded. Then no ARN can be damaged or disagree.
 */
function onlyOwnArns(text: string, instanceArn: string): boolean {
  if (text.includes('\\') || text.includes('%')) return false;
  // One native regex scan per record: a JS loop of indexOf/startsWith over every ARN costs
  // several times as much.
  return !foreignArn(instanceArn).test(text);
}

/**
 * Matches a quoted string starting "arn:" that is not the instance's own ARN (closed there) or
 * under it (a "/" and no "//"), compiled once per instance ARN.
 */
function foreignArn(instanceArn: string): RegExp {
  let re = foreignArnRes.get(instanceArn);
  if (!re) {
    if (foreignArnRes.size >= 1_000) foreignArnRes.clear();
    const own = instanceArn.startsWith('arn:') ? `(?!${instanceArn.slice(4).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}(?:"|/(?!/)))` : '';
    foreignArnRes.set(instanceArn, (re = new RegExp(`"arn:${own}`)));
  }
  return re;
}

const foreignArnRes = new Map<string, RegExp>();

/** What a record's ARNs are compared with: its own InstanceARN and AWSAccountId. */
interface ArnContext {
  instanceRaw: unknown;
  accountRaw: unknown;
  instance?: ConnectArn;
  account?: string;
  /** The record's well-formed instance ARN and "/", when the account agrees: ARNs under it need no parsing. */
  ownPrefix?: string;
}

function arnContext(value: unknown): ArnContext {
  const instanceRaw = valueAt(value, ['InstanceARN']);
  const instance = typeof instanceRaw === 'string' && isConnectArn(instanceRaw) && !isMasked(instanceRaw) ? parseConnectArn(instanceRaw).arn : undefined;
  const accountRaw = valueAt(value, ['AWSAccountId']);
  const account = typeof accountRaw === 'string' && ACCOUNT.test(accountRaw) ? accountRaw : undefined;
  const ownPrefix = instance && (account === undefined || account === instance.account) ? `${instanceRaw as string}/` : undefined;
  return { instanceRaw, accountRaw, instance, account, ownPrefix };
}

/** What is wrong with one string of a record: its form, or the instance, Region or account it names. */
type ArnIssue = { problems: string[] } | { arn: ConnectArn; vsInstance: string[]; vsAccount: boolean };

/** The issue of the string `s` at `path` of a record with context `ctx`; undefined when it is fine or not a Connect ARN Connect wrote. */
function arnIssue(path: readonly (string | number)[], s: string, ctx: ArnContext): ArnIssue | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const { instance, account, ownPrefix } = ctx;
  if (ownPrefix !== undefined && s.startsWith(ownPrefix) && !DAMAGE.test(s) && !s.includes('//', ownPrefix.length - 1)) return undefined;
  if (!isConnectArn(s) || isMasked(s)) return undefined;
  const { arn, problems } = parseConnectArn(s);
  if (problems.length > 0) return { problems };
  if (!arn) return undefined;
  const isInstance = path.length === 1 && path[0] === 'InstanceARN';
  const vsInstance: string[] = [];
  if (!isInstance && instance && arn.instanceId !== undefined) {
    if (arn.instanceId !== instance.instanceId) vsInstance.push(`instance ${shownId(arn.instanceId)} where it is ${shownId(String(instance.instanceId))}`);
    if (arn.region !== instance.region) vsInstance.push(`Region ${arn.region} where it is ${instance.region}`);
    if (arn.account !== instance.account) vsInstance.push(`account ${arn.account} where it is ${instance.account}`);
  }
  const vsAccount = account !== undefined && arn.account !== account;
  return vsInstance.length === 0 && !vsAccount ? undefined : { arn, vsInstance, vsAccount };
}

const isUserData = (key: string): boolean => USER_DATA_KEYS.has(key);

/**
 * Whether a snapshot Configuration (`part`, parsed from `partText`) gives no `arn-format`
 * finding in a record whose InstanceARN and AWSAccountId are those of `recordValue`; with no
 * record, whether it holds no malformed ARN (what no record's context changes). Known once per
 * part and context (most dumps have one context): configurationCache.ts shares only a part
 * clean in its record, and arnFindings then leaves its text out.
 */
export function snapshotPartArnsClean(part: object, partText: string, recordValue: unknown): boolean {
  const instanceRaw = valueAt(recordValue, ['InstanceARN']);
  const accountRaw = valueAt(recordValue, ['AWSAccountId']);
  let known = cleanIn.get(part);
  if (!known) cleanIn.set(part, (known = []));
  const seen = known.find((k) => k.instanceRaw === instanceRaw && k.accountRaw === accountRaw);
  if (seen) return seen.clean;
  const ctx = arnContext(recordValue);
  let clean = ctx.ownPrefix !== undefined && onlyOwnArns(partText, ctx.instanceRaw as string);
  if (!clean) {
    clean = true;
    // Walked where it sits in a record (two levels down), so that paths and depths are the record's.
    visitStrings({ CurrentAgentSnapshot: { Configuration: part } }, (at, s) => (clean &&= arnIssue(at, s, ctx) === undefined), isUserData);
  }
  if (known.length >= 4) known.shift();
  known.push({ instanceRaw: ctx.instanceRaw, accountRaw: ctx.accountRaw, clean });
  return clean;
}

const cleanIn = new WeakMap<object, { instanceRaw: unknown; accountRaw: unknown; clean: boolean }[]>();

/** `arn-format` findings of one record (contact record or agent event). */
export function arnFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (record.kind !== 'contactRecord' && record.kind !== 'agentEvent') return [];
  const value = record.value;
  const instancePath: JsonPath = ['InstanceARN'];
  const ctx = arnContext(value);
  const { instanceRaw, account, ownPrefix } = ctx;
  const out: Finding[] = [];
  // Connect ARNs that Connect wrote into the record: not in user data, not masked.
  // Fast path for the common case: an ARN under the record's own, well-formed instance, in
  // a record whose account agrees, with nothing escaped in the rest. Snapshot Configurations
  // shared with other records are left out: they are clean in this record (sharedParts.ts).
  if (ownPrefix !== undefined && ownTextOf(dump.text, record).every((t) => onlyOwnArns(t, instanceRaw as string))) return out;
  visitStrings(
    value,
    (at, s) => {
      const issue = arnIssue(at, s, ctx);
      if (!issue) return;
      const path = [...at];
      const related: RelatedLocation[] = [];
      let message: string;
      if ('problems' in issue) message = `${pathLabel(path)} ${describeValue(s)} is not a well-formed ARN: ${issue.problems.join('; ')}.`;
      else {
        const reasons: string[] = [];
        if (issue.vsInstance.length > 0) {
          reasons.push(`it names ${issue.vsInstance.join(', ')} in the record's InstanceARN`);
          related.push(relatedOn(dump, record, instancePath, `InstanceARN ${shownId(instanceRaw as string)}.`));
        }
        if (issue.vsAccount) {
          reasons.push(`its account ${issue.arn.account} is not the record's AWSAccountId ${account}`);
          related.push(relatedOn(dump, record, ['AWSAccountId'], `AWSAccountId ${account}.`));
        }
        message = `${pathLabel(path)} disagrees with the record: ${reasons.join('; ')}. One record belongs to one instance of one account.`;
      }
      out.push(findingOn(dump, record, path, 'arn-format', 'warning', message, related));
    },
    isUserData,
  );
  return out;
}
