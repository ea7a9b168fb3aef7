// Find references on a contact ID value: every contact record and agent event, in every
// dump the server knows, that writes the ID (links, snapshot contacts, the record itself).
import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { contactIdAt, contactModelOf } from './definition';
import { toRange } from './ranges';

export function references(ctx: ServerContext, params: ReferenceParams): Location[] | null {
  const at = contactIdAt(ctx, params.textDocument.uri, params.position);
  if (!at) return null;
  const out: Location[] = [];
  for (const m of contactModelOf(ctx).mentions(at.id)) {
    if (!params.context.includeDeclaration && m.isDefinition) continue;
    out.push({ uri: m.uri, range: toRange(m.dump, m.span) });
  }
  return out;
}

export function registerReferences(ctx: ServerContext): void {
  ctx.connection.onReferences((params) => references(ctx, params));
}
