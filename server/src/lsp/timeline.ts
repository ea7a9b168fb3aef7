// connectInspector/timeline: the model of the contact under the cursor, for the webview.
import { contactIdAt } from '../core/contactAt';
import { buildTimeline } from '../core/timeline';
import { TimelineRequest, TimelineParams, TimelineResult } from '../shared/protocol';
import type { ServerContext } from './context';

export function timelineFor(ctx: ServerContext, params: TimelineParams): TimelineResult {
  const doc = ctx.documents.get(params.uri);
  const analysis = doc && ctx.store.get(doc);
  if (!doc || !analysis?.isDump) return { kind: 'empty', reason: 'no-contact' };
  const contactId = params.contactId ?? contactIdAt(analysis.dump, doc.offsetAt(params.position));
  if (!contactId) return { kind: 'empty', reason: 'no-contact' };
  const model = buildTimeline(contactId, ctx.store.dumps(), { findings: ctx.store.allFindings() });
  if (!model) return { kind: 'empty', reason: 'no-events', contactId };
  return { kind: 'model', model };
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
