// connectInspector/timeline: the model of the contact under the cursor, for the webview.
import { contactIdAt } from '../core/contactAt';
import { isContactIdLength } from '../core/contactIdLength';
import { explainInDumps } from '../core/explainInput';
import { withExplain } from '../core/explainTimeline';
import { buildTimeline } from '../core/timeline';
import { contactModelOf } from './definition';
import { TimelineRequest, TimelineParams, TimelineResult } from '../shared/protocol';
import type { ServerContext } from './context';

export function timelineFor(ctx: ServerContext, params: TimelineParams): TimelineResult {
  const doc = ctx.documents.get(params.uri);
  const analysis = doc && ctx.store.get(doc);
  if (!doc || !analysis?.isDump) return { kind: 'empty', reason: 'no-contact' };
  const contactId = params.contactId ?? contactIdAt(analysis.dump, doc.offsetAt(params.position));
  // An ID longer than a contact ID can be is no contact (its schema finding says why).
  if (!contactId || !isContactIdLength(contactId)) return { kind: 'empty', reason: 'no-contact' };
  const model = buildTimeline(contactId, ctx.store.dumps(), { findings: ctx.store.allFindings() });
  if (!model) return { kind: 'empty', reason: 'no-events', contactId };
  const explained = explainInDumps(contactId, ctx.store.dumps(), contactModelOf(ctx));
  return { kind: 'model', model: explained ? withExplain(model, explained) : model };
}

export function registerTimeline(ctx: ServerContext): void {
  ctx.connection.onRequest(TimelineRequest.type, (params: TimelineParams) => {
    try {
      return timelineFor(ctx, params);
    } catch (e) {
      return { kind: 'error', message: `Could not build the timeline: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}
