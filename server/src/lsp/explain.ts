// connectInspector/explain: the narrative of the contact under the cursor (or a given one).
import { explainInDumps } from '../core/explainInput';
import { explanationMarkdown, explanationText } from '../core/explainText';
import { contactIdAt } from '../core/contactAt';
import { isContactIdLength } from '../core/contactIdLength';
import { ExplainParams, ExplainRequest, ExplainResponse } from '../shared/protocol';
import type { ServerContext } from './context';
import { contactModelOf } from './definition';

export function explainFor(ctx: ServerContext, params: ExplainParams): ExplainResponse {
  const doc = ctx.documents.get(params.uri);
  const analysis = doc && ctx.store.get(doc);
  const contactId = params.contactId ?? (doc && analysis?.isDump ? contactIdAt(analysis.dump, doc.offsetAt(params.position)) : undefined);
  // An ID longer than a contact ID can be is no contact (its schema finding says why).
  if (!contactId || !isContactIdLength(contactId)) return { kind: 'empty', reason: 'no-contact' };
  const result = explainInDumps(contactId, ctx.store.dumps(), contactModelOf(ctx));
  if (!result) return { kind: 'empty', reason: 'not-found', contactId };
  return {
    kind: 'explained',
    contactId,
    markdown: explanationMarkdown(result.explanation, result.refs),
    text: explanationText(result.explanation, result.refs),
  };
}

export function registerExplain(ctx: ServerContext): void {
  ctx.connection.onRequest(ExplainRequest.type, (params: ExplainParams): ExplainResponse => {
    try {
      return explainFor(ctx, params);
    } catch (e) {
      return { kind: 'error', message: `Could not explain the contact: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}
