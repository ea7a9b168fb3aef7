// Document symbols: an outline by contact. Each contact gets one entry with its contact
// records and the agent events that mention it underneath; agent events without a contact
// (heartbeats, logins) sit under their agent. VS Code's JSON outline stops at 5,000 items
// (json.maxItemsComputed); ours stays useful on 100,000-record dumps by grouping, and caps
// the total at MAX_OUTLINE_SYMBOLS with a last entry that says how many records are left.
import { DocumentSymbol, DocumentSymbolParams, SymbolKind } from 'vscode-languageserver/node';
import { shownId } from '../core/contactIdLength';
import { isObject, JsonObject, objectsAt, str } from '../core/json';
import { SNAPSHOTS } from '../core/model';
import { contactEventDetail, detailAt, flowBlockFailure, otherKindContactId } from '../core/recordKinds';
import type { Dump, DumpRecord, Span } from '../core/types';
import type { ServerContext } from './context';
import { toRange } from './ranges';

/** Symbols (groups and their children) returned at most, not counting the closing "more" entry. */
export const MAX_OUTLINE_SYMBOLS = 10_000;

interface Group {
  name: string;
  kind: SymbolKind;
  records: DumpRecord[];
  contactId?: string;
  channel?: string;
}

function agentLabel(event: JsonObject): string | undefined {
  const snapshot = isObject(event.CurrentAgentSnapshot) ? event.CurrentAgentSnapshot : undefined;
  const config = snapshot && isObject(snapshot.Configuration) ? snapshot.Configuration : undefined;
  const username = config && str(config.Username);
  if (username) return username;
  const arn = str(event.AgentARN);
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
}

/** The contact an agent event is filed under: the first contact of its current snapshot, else of the previous one. */
function eventContact(event: JsonObject): JsonObject | undefined {
  // Direct reads, no array built: this runs for every record of a 100,000-record dump.
  for (const snapshot of SNAPSHOTS) {
    const snap = event[snapshot];
    const contacts = isObject(snap) ? snap.Contacts : undefined;
    if (!Array.isArray(contacts)) continue;
    for (const c of contacts) if (isObject(c) && str(c.ContactId)) return c;
  }
  return undefined;
}

function groupOf(groups: Map<string, Group>, key: string, make: () => Group): Group {
  let g = groups.get(key);
  if (!g) {
    g = make();
    groups.set(key, g);
  }
  return g;
}

function join(parts: (string | undefined)[]): string {
  return parts.filter((p) => p).join(' · ');
}

/**
 * A span to select inside the record: the identifying property name, found by a text search
 * (no syntax tree: this runs for thousands of records), else the record's first character.
 * The search runs only when the record has the key, so it ends inside the record.
 */
function selectionSpan(dump: Dump, record: DumpRecord, key: string): Span {
  const has = isObject(record.value) && key in record.value;
  const at = has ? dump.text.indexOf(`"${key}"`, record.start) : -1;
  if (at < 0 || at >= record.end) return { start: record.start, end: Math.min(record.end, record.start + 1) };
  return { start: at, end: at + key.length + 2 };
}

function recordSymbol(dump: Dump, record: DumpRecord, group: Group): DocumentSymbol {
  const range = toRange(dump, record);
  const value = isObject(record.value) ? record.value : undefined;
  if (record.kind === 'contactRecord' && value) {
    return {
      name: 'Contact record',
      kind: SymbolKind.Struct,
      range,
      selectionRange: toRange(dump, selectionSpan(dump, record, 'ContactId')),
      detail: join([str(value.Channel), str(value.InitiationMethod), str(value.InitiationTimestamp)]),
    };
  }
  if (record.kind === 'agentEvent' && value) {
    let state: string | undefined;
    if (group.contactId) {
      const mine = objectsAt(value, ['CurrentAgentSnapshot', 'Contacts']).find((c) => c.ContactId === group.contactId);
      state = mine && str(mine.State);
    }
    const status =
      isObject(value.CurrentAgentSnapshot) && isObject(value.CurrentAgentSnapshot.AgentStatus) ? str(value.CurrentAgentSnapshot.AgentStatus.Name) : undefined;
    return {
      name: str(value.EventType) || 'Agent event',
      kind: SymbolKind.Event,
      range,
      selectionRange: toRange(dump, selectionSpan(dump, record, 'EventType')),
      detail: join([str(value.EventTimestamp), state, group.contactId ? agentLabel(value) : status]),
    };
  }
  if (record.kind === 'contactEvent' && value) {
    const found = contactEventDetail(value);
    const type = found && str(detailAt(found.detail, ['eventType'])?.value);
    return {
      name: type || 'Contact event',
      kind: SymbolKind.Event,
      range,
      selectionRange: toRange(dump, selectionSpan(dump, record, 'detail' in value ? 'detail' : 'eventType')),
      detail: join(['contact event', str(value.time)]),
    };
  }
  if (record.kind === 'flowLog' && value) {
    return {
      name: str(value.ContactFlowModuleType) || 'Flow block',
      kind: SymbolKind.Function,
      range,
      selectionRange: toRange(dump, selectionSpan(dump, record, 'ContactFlowModuleType')),
      detail: join([str(value.Identifier), str(value.ContactFlowName), str(value.Timestamp), flowBlockFailure(value) ? 'failed' : undefined]),
    };
  }
  if (record.kind === 'apiContact' && value) {
    return {
      name: 'DescribeContact',
      kind: SymbolKind.Struct,
      range,
      selectionRange: toRange(dump, selectionSpan(dump, record, 'Contact')),
      detail: join([
        str(isObject(value.Contact) ? value.Contact.Channel : undefined),
        str(isObject(value.Contact) ? value.Contact.InitiationMethod : undefined),
      ]),
    };
  }
  const selection = toRange(dump, { start: record.start, end: Math.min(record.end, record.start + 1) });
  return {
    name: `Record ${record.index + 1}`,
    kind: SymbolKind.Object,
    range,
    selectionRange: selection,
    detail: record.value === undefined ? 'invalid JSON' : 'not a record of a kind this extension reads',
  };
}

/** Groups the records of a dump: by contact, then agent events without a contact by agent, then the rest. */
export function groupRecords(dump: Dump): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const record of dump.records) {
    const value = isObject(record.value) ? record.value : undefined;
    let group: Group;
    if (record.kind === 'contactRecord' && value && str(value.ContactId)) {
      const id = str(value.ContactId)!;
      group = groupOf(groups, `c:${id}`, () => ({ name: id, kind: SymbolKind.Object, records: [], contactId: id }));
      group.channel ??= str(value.Channel);
    } else if (record.kind === 'agentEvent' && value) {
      const contact = eventContact(value);
      if (contact) {
        const id = str(contact.ContactId)!;
        group = groupOf(groups, `c:${id}`, () => ({ name: id, kind: SymbolKind.Object, records: [], contactId: id }));
        group.channel ??= str(contact.Channel);
      } else {
        const agent = str(value.AgentARN) ?? '';
        group = groupOf(groups, `a:${agent}`, () => ({
          name: `Agent ${agentLabel(value) ?? '(no AgentARN)'}`,
          kind: SymbolKind.Class,
          records: [],
        }));
      }
    } else if (otherKindContactId(record.kind, value)) {
      const id = otherKindContactId(record.kind, value)!;
      group = groupOf(groups, `c:${id}`, () => ({ name: id, kind: SymbolKind.Object, records: [], contactId: id }));
    } else {
      group = groupOf(groups, 'other', () => ({ name: 'Other records', kind: SymbolKind.Namespace, records: [] }));
    }
    group.records.push(record);
  }
  return groups;
}

export function outline(dump: Dump, max = MAX_OUTLINE_SYMBOLS): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  let budget = max;
  let omitted = 0;
  let firstOmitted: DumpRecord | undefined;
  for (const group of groupRecords(dump).values()) {
    if (budget < 2) {
      // No room for a group and one child: everything from here on is counted, not shown.
      omitted += group.records.length;
      firstOmitted ??= group.records[0];
      continue;
    }
    budget--;
    const shown = group.records.slice(0, budget);
    budget -= shown.length;
    if (shown.length < group.records.length) {
      omitted += group.records.length - shown.length;
      firstOmitted ??= group.records[shown.length];
    }
    const children = shown.map((r) => recordSymbol(dump, r, group));
    let start = Infinity,
      end = -Infinity;
    for (const r of shown) {
      start = Math.min(start, r.start);
      end = Math.max(end, r.end);
    }
    const n: Partial<Record<string, number>> = {};
    for (const r of group.records) if (r.kind) n[r.kind] = (n[r.kind] ?? 0) + 1;
    const count = (k: string, one: string, many: string) => (n[k] ? `${n[k]} ${n[k] === 1 ? one : many}` : undefined);
    const counts = [
      count('contactRecord', 'contact record', 'contact records'),
      count('agentEvent', 'agent event', 'agent events'),
      count('contactEvent', 'contact event', 'contact events'),
      count('flowLog', 'flow log entry', 'flow log entries'),
      count('apiContact', 'DescribeContact output', 'DescribeContact outputs'),
    ]
      .filter(Boolean)
      .join(', ');
    out.push({
      name: shownId(group.name),
      kind: group.kind,
      detail: join([group.channel, counts || `${group.records.length} records`]),
      range: toRange(dump, { start, end }),
      selectionRange: children[0].selectionRange,
      children,
    });
  }
  if (omitted > 0 && firstOmitted) {
    const range = toRange(dump, { start: firstOmitted.start, end: Math.min(firstOmitted.end, firstOmitted.start + 1) });
    out.push({
      name: `... ${omitted.toLocaleString('en-US')} more records`,
      kind: SymbolKind.Null,
      range,
      selectionRange: range,
      detail: `the outline shows at most ${max.toLocaleString('en-US')} entries`,
    });
  }
  return out;
}

export function documentSymbols(ctx: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] | null {
  const doc = ctx.documents.get(params.textDocument.uri);
  const analysis = doc && ctx.store.get(doc);
  if (!analysis?.isDump) return null;
  return outline(analysis.dump);
}

export function registerSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol((params) => documentSymbols(ctx, params));
}
