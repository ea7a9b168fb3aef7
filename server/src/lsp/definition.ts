// Go to definition on a contact ID value: the contact's record, in any dump the server
// knows (open documents and the workspace index). Also the shared lookup of "which
// contact ID is under the cursor" used by references and the contact hover.
import type { Definition, DefinitionParams, LocationLink, Position } from 'vscode-languageserver/node';
import { isContactIdLength } from '../core/contactIdLength';
import { at as valueAt } from '../core/json';
import { ContactIdField, contactIdFieldAt, Mention } from '../core/mentions';
import { byEventTime, contactModel, ContactModel } from '../core/model';
import { locate, pathAt } from '../core/positions';
import type { Dump, Span } from '../core/types';
import type { ServerContext } from './context';
import { toRange } from './ranges';
import { clientCapabilities } from './workspaceIndex';
import { encodedValueDefinition } from './decoded';

export interface ContactIdAt {
  dump: Dump;
  id: string;
  field: ContactIdField;
  /** The span of the ID value (also when the cursor is on its property name). */
  span: Span;
  /** True when the cursor is on the property name. */
  onKey: boolean;
}

/** The contact ID value (or ID property) at a position of an open dump. */
export function contactIdAt(ctx: ServerContext, uri: string, position: Position): ContactIdAt | undefined {
  const doc = ctx.documents.get(uri);
  const analysis = doc && ctx.store.get(doc);
  if (!doc || !analysis?.isDump) return undefined;
  const dump = analysis.dump;
  const at = pathAt(dump, doc.offsetAt(position));
  if (!at) return undefined;
  const field = contactIdFieldAt(at.record.kind, at.path);
  if (!field) return undefined;
  const id = valueAt(at.record.value, at.path);
  // A value longer than any contact ID is no contact (its schema finding says why).
  if (typeof id !== 'string' || !isContactIdLength(id)) return undefined;
  return { dump, id, field, span: at.onKey ? locate(dump, at.record, at.path) : at.span, onKey: at.onKey };
}

/** The contact model over every dump the store knows (the store keeps one dumps() array per generation, so the rules' model is reused). */
export function contactModelOf(ctx: ServerContext): ContactModel {
  return contactModel(ctx.store.dumps());
}

/**
 * The contact's records; with no contact record anywhere (an agent event stream alone),
 * the agent event where the contact first appears.
 */
export function definitionTargets(model: ContactModel, id: string): Mention[] {
  const records = model.definitions(id);
  if (records.length > 0) return records;
  let first: (typeof model.events)[number] | undefined;
  for (const s of model.sightings(id)) if (!first || byEventTime(s.event, first) < 0) first = s.event;
  if (!first) return [];
  const event = first.record;
  const mention = model.mentions(id).find((m) => m.record === event && m.field === 'ContactId');
  return mention ? [mention] : [];
}

export function definition(ctx: ServerContext, params: DefinitionParams): Definition | LocationLink[] | null {
  const at = contactIdAt(ctx, params.textDocument.uri, params.position);
  if (!at) return encodedValueDefinition(ctx, params) ?? null; // an envelope's encoded value: its decoded records (decoded.ts)
  const targets = definitionTargets(contactModelOf(ctx), at.id);
  if (targets.length === 0) return null;
  if (clientCapabilities()?.textDocument?.definition?.linkSupport) {
    const origin = toRange(at.dump, at.span);
    return targets.map((m) => ({
      originSelectionRange: origin,
      targetUri: m.uri,
      targetRange: toRange(m.dump, m.record),
      targetSelectionRange: toRange(m.dump, m.span),
    }));
  }
  return targets.map((m) => ({ uri: m.uri, range: toRange(m.dump, m.span) }));
}

export function registerDefinition(ctx: ServerContext): void {
  ctx.connection.onDefinition((params) => definition(ctx, params));
}
