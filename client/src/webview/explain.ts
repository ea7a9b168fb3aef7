// The Explain section of the timeline: the narrative of `connect-inspect explain`, one
// sentence per item. Pointing at a sentence lights up the bars drawn from the records it
// is read from; activating it shows the first of those records. Text only: sentences are
// set with textContent, never parsed as HTML.
import type { SourceRef, TimelineExplain, TimelineExplainSentence } from '../../../server/src/shared/timeline';

export interface ExplainHooks {
  /** Light up the bars of these records; undefined clears. */
  highlight(sources: SourceRef[] | undefined): void;
  reveal(source: SourceRef): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function item(s: TimelineExplainSentence, hooks: ExplainHooks): HTMLLIElement {
  const li = el('li', `explain-item explain-${s.kind}`);
  if (s.sources.length === 0) {
    li.textContent = s.text;
    return li;
  }
  const b = el('button', 'explain-sentence', s.text);
  b.type = 'button';
  b.title = `Read from ${s.sources.length} record${s.sources.length === 1 ? '' : 's'}: point to light up their bars, activate to show the first record`;
  if (s.contactId) b.setAttribute('data-contact-id', s.contactId);
  const on = () => hooks.highlight(s.sources);
  const off = () => hooks.highlight(undefined);
  b.addEventListener('mouseenter', on);
  b.addEventListener('focus', on);
  b.addEventListener('mouseleave', off);
  b.addEventListener('blur', off);
  b.addEventListener('click', () => {
    on();
    hooks.reveal(s.sources[0]);
  });
  li.appendChild(b);
  return li;
}

/** Fills the section; hides it when there is nothing to explain. */
export function drawExplain(section: HTMLElement, explain: TimelineExplain | undefined, hooks: ExplainHooks): void {
  section.replaceChildren();
  if (!explain || explain.sentences.length === 0) {
    section.hidden = true;
    return;
  }
  section.append(el('h2', 'explain-title', 'Explain'));
  const story = el('ul', 'explain-story');
  const gaps = el('ul', 'explain-gaps');
  for (const s of explain.sentences) (s.kind === 'gap' ? gaps : story).appendChild(item(s, hooks));
  section.appendChild(story);
  if (gaps.childElementCount > 0) section.append(el('h3', 'explain-gaps-title', 'Not in the dumps'), gaps);
  section.hidden = false;
}

/** Whether a bar drawn from `bar` comes from one of `sources` (the same record). */
export function fromSources(bar: SourceRef, sources: readonly SourceRef[]): boolean {
  return sources.some((s) => s.uri === bar.uri && bar.start >= s.start && bar.end <= s.end);
}
