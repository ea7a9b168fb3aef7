// The timeline's Explain section in headless Chromium: the narrative of `explain`, each
// sentence lighting up the bars of the records it is read from and revealing them, chain
// labels on the leg lanes, dump text kept as text, a malformed part left out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../../server/src/core/dump';
import { explainInDumps } from '../../server/src/core/explainInput';
import { withExplain } from '../../server/src/core/explainTimeline';
import { buildTimeline } from '../../server/src/core/timeline';
import type { TimelineModel } from '../../server/src/shared/timeline';
import { ROOT, useWebviewBrowser } from './harness';

const L2 = '94900a4f-4639-4ad4-89bc-12f495f8effd';

function explainedModel(contactId: string, files: string[], edit?: (text: string) => string): TimelineModel {
  const dumps = files.map((f) => {
    const text = readFileSync(join(ROOT, f), 'utf8');
    return parseDump(`file:///samples/${f}`, edit ? edit(text) : text);
  });
  const model = buildTimeline(contactId, dumps)!;
  return withExplain(model, explainInDumps(contactId, dumps)!);
}

const CHAIN = ['samples/transfer-chain.jsonl', 'samples/transfer-chain-agent-events.jsonl'];

describe('Explain section of the timeline webview', () => {
  const openWebviewTall = useWebviewBrowser();
  const open = () => openWebviewTall({ height: 900 });

  test('the narrative is listed, legs carry their chain labels', async () => {
    const model = explainedModel(L2, CHAIN);
    const w = await open();
    await w.send({ type: 'model', model });
    assert.equal(await w.page.isVisible('section.explain'), true);
    assert.equal(await w.page.textContent('section.explain h2'), 'Explain');
    const story = await w.page.$$eval('.explain-story > li', (els) => els.map((e) => e.textContent));
    const expected = model.explain!.sentences.filter((s) => s.kind !== 'gap').map((s) => s.text);
    assert.deepEqual(story, expected);
    assert.match(story[0], /leg 2 of a chain of 3/);
    assert.equal(await w.page.textContent('section.explain h3'), 'Not in the dumps');
    const gaps = await w.page.$$eval('.explain-gaps > li', (els) => els.map((e) => e.textContent));
    assert.deepEqual(
      gaps,
      model.explain!.sentences.filter((s) => s.kind === 'gap').map((s) => s.text),
    );
    const titles = await w.page.$$eval('.lanes .lane-leg .lane-title', (els) => els.map((e) => e.textContent));
    assert.deepEqual(titles, ['Leg 1 · initial · INBOUND', 'Leg 2 · transfer · TRANSFER', 'Leg 3 · transfer · TRANSFER']);
    await w.screenshot('explain');
  });

  test('pointing at a sentence lights up the bars of its records; activating it reveals the first record', async () => {
    const model = explainedModel(L2, CHAIN);
    const w = await open();
    await w.send({ type: 'model', model });
    const legSentence = model.explain!.sentences.find((s) => s.kind === 'leg' && s.contactId === L2)!;
    const button = w.page.locator('.explain-sentence', { hasText: `Leg 2, ${L2}` });
    await button.hover();
    const lit = await w.page.$$eval('.explain-linked', (els) => els.map((e) => e.getAttribute('data-seg-id') ?? e.getAttribute('data-marker-id')));
    // Exactly the drawn items whose record is one the sentence is read from.
    const expected = model.lanes
      .flatMap((l) => [...(l.background ?? []), ...l.segments])
      .filter((s) => legSentence.sources.some((r) => r.uri === s.source.uri && s.source.start >= r.start && s.source.end <= r.end))
      .map((s) => s.id);
    const markers = model.markers
      .filter((m) => legSentence.sources.some((r) => r.uri === m.source.uri && m.source.start >= r.start && m.source.end <= r.end))
      .map((m) => m.id);
    assert.ok(expected.length > 3, 'the leg sentence has bars to light');
    assert.deepEqual([...lit].sort(), [...expected, ...markers].sort());
    // Leg 2's own contact record bars are among them; leg 3's are not.
    const leg3 = model.lanes.find((l) => l.contactId === '665db55d-690b-4b10-b56a-007346369638')!.segments.map((s) => s.id);
    assert.ok(!lit.some((id) => leg3.includes(id!)));
    await w.page.mouse.move(5, 5);
    await button.blur();
    assert.equal(await w.page.$$eval('.explain-linked', (els) => els.length), 0);

    await button.click();
    assert.deepEqual((await w.posted()).at(-1), { type: 'reveal', source: legSentence.sources[0] });
    // Keyboard: Tab reaches the sentences, Enter reveals.
    await button.focus();
    assert.ok((await w.page.$$eval('.explain-linked', (els) => els.length)) > 0);
    await w.page.keyboard.press('Enter');
    assert.deepEqual((await w.posted()).at(-1), { type: 'reveal', source: legSentence.sources[0] });
  });

  test('dump values in the narrative stay text; a malformed explain part is left out', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const model = explainedModel(L2, CHAIN, (t) => t.replaceAll('"Billing"', JSON.stringify(evil)));
    assert.ok(model.explain!.sentences.some((s) => s.text.includes(evil)));
    const w = await open();
    await w.send({ type: 'model', model });
    assert.equal(await w.page.$$eval('section.explain img', (els) => els.length), 0);
    assert.ok((await w.page.textContent('section.explain'))!.includes(evil));

    const broken = { ...model, explain: { sentences: [{ kind: 'leg', text: 'x', sources: [{ uri: 'file:///a', start: 5, end: 1 }] }] } };
    await w.send({ type: 'model', model: broken });
    assert.equal(await w.page.isVisible('section.explain'), false);
    assert.equal(await w.page.isVisible('svg.timeline'), true);
    // A model without an explain part (an older server) draws as before.
    await w.send({ type: 'model', model: { ...model, explain: undefined } });
    assert.equal(await w.page.isVisible('section.explain'), false);
  });
});
