// The explanation on the timeline: the narrative as the Explain section, each sentence
// with the records it is read from, and each leg lane labelled with its chain label.
import type { ExplainResult } from './explain';
import { explanationSentences } from './explainText';
import type { TimelineModel } from '../shared/timeline';

export function withExplain(model: TimelineModel, result: ExplainResult): TimelineModel {
  const { explanation, refs } = result;
  model.explain = {
    sentences: explanationSentences(explanation, refs).map((s) => ({
      kind: s.kind,
      text: s.text,
      ...(s.contactId ? { contactId: s.contactId } : {}),
      sources: s.refs.map((r) => ({ uri: r.uri, start: r.start, end: r.end })),
    })),
  };
  const labels = new Map(explanation.chain.map((l) => [l.contactId, l.label]));
  for (const lane of model.lanes) {
    const label = lane.kind === 'leg' && lane.contactId ? labels.get(lane.contactId) : undefined;
    if (label) lane.chainLabel = label;
  }
  return model;
}
