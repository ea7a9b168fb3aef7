// Hover: the schema's documentation of the field under the cursor, and of the value
// itself when it is an enum value (contact states, event types, channels, ...).
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { pathAt } from '../core/positions';
import { fieldDoc } from '../core/schemaDocs';
import type { ServerContext } from './context';
import { toRange } from './ranges';

export type HoverContributor = (ctx: ServerContext, params: HoverParams) => Hover | undefined;

/** Other features (contact summaries) add their own hovers ahead of the schema's. */
export const hoverContributors: HoverContributor[] = [];

export function schemaHover(ctx: ServerContext, params: HoverParams): Hover | undefined {
  const doc = ctx.documents.get(params.textDocument.uri);
  const analysis = doc && ctx.store.get(doc);
  if (!doc || !analysis?.isDump) return undefined;
  const at = pathAt(analysis.dump, doc.offsetAt(params.position));
  if (!at || !at.record.kind) return undefined;
  const scalar = !at.onKey && (typeof at.value === 'string' || typeof at.value === 'number' || typeof at.value === 'boolean');
  const fieldDocs = fieldDoc(at.record.kind, at.path, scalar ? at.value : undefined);
  if (!fieldDocs) return undefined;
  const field = at.path.filter((s) => typeof s === 'string').join('.');
  const parts: string[] = [];
  if (fieldDocs.valueMarkdown) {
    // The schema's enum docs usually name the value already ("`CONNECTED`: ...").
    const named = fieldDocs.valueMarkdown.startsWith(`\`${String(at.value)}\``);
    parts.push(named ? fieldDocs.valueMarkdown : `**${String(at.value)}**: ${fieldDocs.valueMarkdown}`);
  }
  parts.push(
    `\`${field}\`${fieldDocs.title && fieldDocs.title !== at.path[at.path.length - 1] ? ` (${fieldDocs.title})` : ''}${fieldDocs.markdown ? `: ${fieldDocs.markdown}` : ''}`,
  );
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: toRange(analysis.dump, at.span) };
}

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params) => {
    for (const contribute of hoverContributors) {
      const hover = contribute(ctx, params);
      if (hover) return hover;
    }
    return schemaHover(ctx, params);
  });
}
