import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDump } from '../../server/src/core/dump';
import { buildTimeline } from '../../server/src/core/timeline';
import type { Finding } from '../../server/src/core/types';
import { isWebviewToExtension, type TimelineModel } from '../../server/src/shared/timeline';
import * as fx from './fixtures';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelOf, SCREENSHOTS, useWebviewBrowser, type WebviewPage } from './harness';

interface BarInfo {
  id: string;
  kind: string;
  lane: string;
  aria: string;
  label: string;
  x: number;
  w: number;
  cls: string;
  tabindex: string | null;
}

async function bars(w: WebviewPage, laneId?: string): Promise<BarInfo[]> {
  const all = await w.page.$$eval('.lanes .bar', (els) =>
    els.map((el) => {
      // Geometry from the attributes the renderer wrote (no layout involved); diamonds from their box.
      const shape = el.querySelector('.shape') as SVGGraphicsElement;
      const box = shape.tagName === 'rect' ? { x: Number(shape.getAttribute('x')), width: Number(shape.getAttribute('width')) } : shape.getBBox();
      return {
        id: el.getAttribute('data-seg-id') ?? '',
        kind: el.getAttribute('data-kind') ?? '',
        lane: el.closest('.lane')?.getAttribute('data-lane-id') ?? '',
        aria: el.getAttribute('aria-label') ?? '',
        label: el.querySelector('.bar-label')?.textContent ?? '',
        x: box.x,
        w: box.width,
        cls: el.getAttribute('class') ?? '',
        tabindex: el.getAttribute('tabindex'),
      };
    }),
  );
  return laneId ? all.filter((b) => b.lane === laneId) : all;
}

const focusedId = (w: WebviewPage) =>
  w.page.evaluate(() => document.activeElement?.getAttribute('data-seg-id') ?? document.activeElement?.getAttribute('data-marker-id') ?? null);

const laneIds = (m: TimelineModel) => m.lanes.map((l) => l.id);

describe('timeline webview in headless Chromium', () => {
  // Nothing any test did may break the CSP, throw, or open a dialog (checked after the suite).
  const open = useWebviewBrowser();

  test('posts ready on load and waits for a model', async () => {
    const w = await open();
    assert.deepEqual(await w.posted(), [{ type: 'ready' }]);
    assert.equal((await w.page.textContent('.state-message'))?.trim(), 'Waiting for the timeline…');
    assert.equal(await w.page.isVisible('svg.timeline'), false);
  });

  test('three-leg transfer chain: lanes, bars, labels, axis and order in time', async () => {
    const model = modelOf(fx.transferChain());
    const w = await open();
    await w.send({ type: 'model', model });

    const lanes = await w.page.$$eval('.lanes .lane', (els) =>
      els.map((e) => [e.getAttribute('data-lane-id'), e.getAttribute('data-lane-kind'), e.querySelector('.lane-title')?.textContent]),
    );
    assert.deepEqual(
      lanes.map((l) => l[0]),
      laneIds(model),
    );
    assert.deepEqual(
      lanes.map((l) => l[2]),
      ['Leg 1 · INBOUND', 'Leg 2 · QUEUE_TRANSFER', 'Leg 3 · TRANSFER', 'alice.example', 'bob.example', 'carol.example'],
    );

    // One bar per segment and status band, with its kind and accessible label.
    const all = await bars(w);
    const expected = model.lanes.flatMap((l) => [...(l.background ?? []), ...l.segments]);
    assert.deepEqual(all.map((b) => b.id).sort(), expected.map((s) => s.id).sort());
    assert.ok(all.every((b) => b.tabindex === '0'));
    const legA = await bars(w, `leg:${fx.TRANSFER.A}`);
    assert.deepEqual(
      legA.map((b) => b.kind),
      ['initiation', 'queue', 'connecting', 'connected', 'acw', 'disconnect'],
    );
    assert.deepEqual(
      legA.map((b) => b.aria),
      [
        'Initiated (INBOUND), 09:00:00 UTC, 20 s',
        'In queue, 09:00:20 UTC, 45 s',
        'Connecting, 09:01:05 UTC, 7 s',
        'Connected, 09:01:12 UTC, 4 min 18 s',
        'After-contact work, 09:05:30 UTC, 40 s',
        'Disconnected: AGENT_DISCONNECT, 09:05:30 UTC, instant',
      ],
    );
    // Bars sit left to right in time order, with widths proportional to their durations.
    for (let i = 1; i < 5; i++) assert.ok(legA[i].x >= legA[i - 1].x + legA[i - 1].w - 0.5, `${legA[i].kind} after ${legA[i - 1].kind}`);
    const connected = legA[3];
    const queue = legA[1];
    assert.ok(Math.abs(connected.w / queue.w - 258 / 45) < 0.05, 'width ratio follows durations');
    assert.equal(connected.label, 'Connected · 4 min 18 s'); // fits on the bar
    // Leg 3 starts to the right of leg 2's start, leg 2 to the right of leg 1's.
    const firstX = async (laneId: string) => (await bars(w, laneId))[0].x;
    assert.ok((await firstX(`leg:${fx.TRANSFER.A}`)) < (await firstX(`leg:${fx.TRANSFER.B}`)));
    assert.ok((await firstX(`leg:${fx.TRANSFER.B}`)) < (await firstX(`leg:${fx.TRANSFER.C}`)));

    const alice = await bars(w, `agent:${fx.agentArn(fx.ALICE)}`);
    assert.deepEqual(
      alice.map((b) => b.kind),
      ['agent-status', 'connecting', 'connected', 'hold', 'connected', 'acw'],
    );
    assert.match(alice[0].cls, /status-routable/);
    assert.equal(alice.find((b) => b.kind === 'hold')!.aria, 'CONNECTED_ONHOLD, 09:03:00 UTC, 40 s');

    // Axis: ticks in the dump's zone, with the date and the zone named.
    const ticks = await w.page.$$eval('.tick-label', (els) => els.map((e) => e.textContent));
    assert.ok(ticks.length >= 5, `ticks: ${ticks.join(' ')}`);
    assert.ok(ticks.every((t) => /^\d\d:\d\d(:\d\d)?$/.test(t ?? '')));
    assert.ok(ticks.includes('09:00') && ticks.includes('09:10'), ticks.join(' '));
    assert.equal(await w.page.textContent('.tick-date'), '2024-03-14');
    assert.equal(await w.page.textContent('.axis-caption'), 'Time (UTC)');
    const tickX = await w.page.$$eval('.tick-label', (els) => els.map((e) => Number(e.getAttribute('x'))));
    assert.deepEqual(
      tickX,
      [...tickX].sort((a, b) => a - b),
    );

    // Transfer markers between the legs.
    const markers = await w.page.$$eval('.markers .marker', (els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(markers, [
      'Transfer (QUEUE_TRANSFER), 09:05:30 UTC, from Leg 1 · INBOUND to Leg 2 · QUEUE_TRANSFER',
      'Transfer (TRANSFER), 09:10:00 UTC, from Leg 2 · QUEUE_TRANSFER to Leg 3 · TRANSFER',
    ]);

    // Summary header and legend.
    const facts = await w.page.$$eval('.fact', (els) => els.map((e) => `${e.querySelector('dt')?.textContent}=${e.querySelector('dd')?.textContent}`));
    assert.deepEqual(facts, [
      'Total=15 min',
      'In queue=2 min 21 s',
      'Talk=10 min 28 s',
      'Hold=40 s',
      'ACW=2 min 10 s',
      'Legs=3',
      'Agents=3',
      `Initial contact=${fx.TRANSFER.A}`,
    ]);
    assert.equal(await w.page.textContent('.contact-id'), fx.TRANSFER.B);
    assert.equal(await w.page.textContent('.zone-note'), 'All timestamps in the dumps are UTC.');
    const legend = await w.page.$$eval('.legend-label', (els) => els.map((e) => e.textContent));
    for (const l of [
      'Initiation (flow)',
      'In queue',
      'Connecting',
      'Connected',
      'On hold',
      'After-contact work',
      'Disconnect',
      'Agent status: routable',
      'Transfer',
    ]) {
      assert.ok(legend.includes(l), `legend has ${l}: ${legend.join(', ')}`);
    }

    // Colours come from the theme variables.
    const fill = await w.page.$eval(`[data-seg-id="${connected.id}"] .shape`, (e) => getComputedStyle(e).fill);
    assert.equal(fill, 'rgb(56, 138, 52)'); // --vscode-charts-green of the light theme
    await w.screenshot('transfer-chain');
  });

  test('click and Enter post reveal with the source of the bar', async () => {
    const model = modelOf(fx.transferChain());
    const w = await open();
    await w.send({ type: 'model', model });
    const hold = model.lanes.find((l) => l.id === `agent:${fx.agentArn(fx.ALICE)}`)!.segments.find((s) => s.kind === 'hold')!;
    await w.page.click(`[data-seg-id="${hold.id}"]`);
    let posted = await w.posted();
    assert.deepEqual(posted.at(-1), { type: 'reveal', source: hold.source });
    assert.ok(isWebviewToExtension(posted.at(-1)));

    const queueB = model.lanes.find((l) => l.id === `leg:${fx.TRANSFER.B}`)!.segments.find((s) => s.kind === 'queue')!;
    await w.page.focus(`[data-seg-id="${queueB.id}"]`);
    await w.page.keyboard.press('Enter');
    posted = await w.posted();
    assert.deepEqual(posted.at(-1), { type: 'reveal', source: queueB.source });

    // Markers reveal the record that holds the link.
    await w.page.click('.markers .marker >> nth=0');
    assert.deepEqual((await w.posted()).at(-1), { type: 'reveal', source: model.markers[0].source });

    // The tooltip shows exact times and the duration.
    await w.page.hover(`[data-seg-id="${queueB.id}"]`);
    const tip = await w.page.textContent('.tooltip');
    assert.match(tip!, /Start 2024-03-14 09:05:30\.000 UTC/);
    assert.match(tip!, /End 2024-03-14 09:07:00\.000 UTC/);
    assert.match(tip!, /Duration 1 min 30 s \(90000 ms\)/);
    assert.match(tip!, /Queue BillingQueue/);
  });

  test('keyboard: arrows move between bars and lanes, Tab reaches them, focus is visible', async () => {
    const model = modelOf(fx.transferChain());
    const w = await open();
    await w.send({ type: 'model', model });
    const legA = model.lanes[0].segments;
    await w.page.focus('.chart');
    await w.page.keyboard.press('Tab');
    assert.equal(await focusedId(w), legA[0].id, 'Tab from the chart reaches the first bar');
    await w.page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(w), legA[1].id);
    await w.page.keyboard.press('ArrowRight');
    await w.page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(w), legA[3].id); // Connected of leg 1
    const ring = await w.page.$eval(`[data-seg-id="${legA[3].id}"] .focus-ring`, (e) => {
      const cs = getComputedStyle(e);
      return { display: cs.display, stroke: cs.stroke };
    });
    assert.deepEqual(ring, { display: 'inline', stroke: 'rgb(0, 95, 184)' }); // --vscode-focusBorder
    await w.page.keyboard.press('ArrowLeft');
    assert.equal(await focusedId(w), legA[2].id);
    // Left/Right follow time: the disconnect instant (09:05:30) comes before the ACW that runs on to 09:06:10.
    await w.page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(w), legA[3].id);
    await w.page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(w), legA[5].id);
    await w.page.keyboard.press('End');
    assert.equal(await focusedId(w), legA[4].id);
    await w.page.keyboard.press('Home');
    assert.equal(await focusedId(w), legA[0].id);
    // Down goes to the next lane, to the bar nearest in time.
    await w.page.keyboard.press('ArrowDown');
    const legB = model.lanes[1];
    assert.equal(await focusedId(w), legB.segments[0].id);
    // Down from the last leg lands in Alice's lane on the state nearest in time, not the status band.
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('ArrowDown');
    const id = await focusedId(w);
    const alice = model.lanes[3];
    assert.ok(
      alice.segments.some((s) => s.id === id),
      `focused ${id} in Alice's states`,
    );
    await w.page.keyboard.press('Tab');
    assert.notEqual(await focusedId(w), id);
    // The tooltip follows the focus and is referenced for screen readers.
    assert.equal(await w.page.isVisible('.tooltip'), true);
    assert.equal(await w.page.$eval(`[data-seg-id="${legA[0].id}"]`, (e) => e.getAttribute('aria-describedby')), 'tl-tooltip');
  });

  test('zoom and pan with keys, wheel, drag and the toolbar; the view is kept in the state', async () => {
    const model = modelOf(fx.transferChain());
    const w = await open();
    await w.send({ type: 'model', model });
    const connectedId = model.lanes[0].segments[3].id;
    const width = async () => (await bars(w)).find((b) => b.id === connectedId)!.w;
    const x = async () => (await bars(w)).find((b) => b.id === connectedId)!.x;
    const w0 = await width();
    await w.page.focus('.chart');
    await w.page.keyboard.press('+');
    const w1 = await width();
    assert.ok(w1 > w0 * 1.5, `zoomed in: ${w0} -> ${w1}`);
    await w.page.keyboard.press('-');
    const wBack = await width();
    assert.ok(Math.abs(wBack - w0) < 1, `zoomed back out: ${w0} -> ${w1} -> ${wBack}`);
    await w.page.keyboard.press('+');
    const before = await x();
    await w.page.keyboard.press('Shift+ArrowRight');
    assert.ok((await x()) < before - 10, 'panned right: bars move left');
    await w.page.keyboard.press('0');
    assert.ok(Math.abs((await width()) - w0) < 1, '0 fits the whole contact again');

    // Wheel over the plot zooms around the pointer.
    const box = (await w.page.locator('svg.timeline').boundingBox())!;
    await w.page.mouse.move(box.x + box.width * 0.6, box.y + 80);
    await w.page.mouse.wheel(0, -400);
    await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
    assert.ok((await width()) > w0 * 1.3, 'wheel zoomed in');
    // Drag pans without revealing anything.
    const postedBefore = (await w.posted()).length;
    const xBefore = await x();
    await w.page.mouse.move(box.x + 600, box.y + 70);
    await w.page.mouse.down();
    await w.page.mouse.move(box.x + 500, box.y + 70, { steps: 5 });
    await w.page.mouse.up();
    assert.ok(Math.abs((await x()) - (xBefore - 100)) < 2, 'dragged 100 px left');
    assert.equal((await w.posted()).length, postedBefore, 'a drag is not a click');
    await w.page.click('button[data-action="reset"]');
    assert.ok(Math.abs((await width()) - w0) < 1);
    await w.page.click('button[data-action="zoom-in"]');
    assert.ok((await width()) > w0 * 1.5);
    const state = (await w.state()) as { model: TimelineModel; view: { t0: number; t1: number } };
    assert.equal(state.model.contactId, model.contactId);
    assert.ok(state.view.t1 > state.view.t0);
  });

  test('queued callback: the callback leg, the INCOMING offer, the callback link and holds known only as totals', async () => {
    const model = modelOf(fx.queuedCallback());
    const w = await open({ width: 1600 }); // wide enough for the hold total on the connected bar
    await w.send({ type: 'model', model });
    const dana = await bars(w, `agent:${fx.agentArn(fx.DANA)}`);
    assert.deepEqual(
      dana.map((b) => b.kind),
      ['agent-status', 'incoming', 'connecting', 'connected', 'acw'],
    );
    const cbLane = await bars(w, `leg:${fx.CALLBACK.callback}`);
    assert.deepEqual(
      cbLane.map((b) => b.kind),
      ['initiation', 'queue', 'connecting', 'connected', 'acw', 'disconnect'],
    );
    assert.equal(cbLane[1].label, 'In queue · 17 min 56 s');
    assert.deepEqual(await w.page.$$eval('.markers .marker', (els) => els.map((e) => e.getAttribute('data-kind'))), ['callback']);
    // The record's hold total is shown next to the connected bar and in its tooltip.
    const connected = cbLane[3];
    assert.equal(connected.label, 'Connected · 5 min 35 s · 1 hold · 45 s');
    assert.equal(connected.aria, 'Connected, 10:20:25 UTC, 5 min 35 s, 1 hold · 45 s');
    await w.page.focus(`[data-seg-id="${model.lanes[1].segments[3].id}"]`);
    assert.match((await w.page.textContent('.tooltip'))!, /Holds: 1 hold · 45 s \(from the contact record; times not known\)/);
    await w.screenshot('queued-callback');
  });

  test('task with pauses: PAUSED bars and the pause total', async () => {
    const model = modelOf(fx.taskWithPauses());
    const w = await open();
    await w.send({ type: 'model', model });
    const erin = await bars(w, `agent:${fx.agentArn(fx.ERIN)}`);
    const paused = erin.filter((b) => b.kind === 'paused');
    assert.deepEqual(
      paused.map((b) => b.aria),
      ['PAUSED, 11:05:00 UTC, 10 min', 'PAUSED, 11:20:00 UTC, 2 min'],
    );
    assert.ok(Math.abs(paused[0].w / paused[1].w - 5) < 0.05);
    assert.equal(await w.page.textContent('.badge.channel'), 'TASK');
    const facts = await w.page.$$eval('.fact', (els) => els.map((e) => e.textContent));
    assert.ok(facts.includes('Paused12 min'), facts.join(' | '));
    await w.screenshot('task-pauses');
  });

  test('missing pieces are hatched, open ends are stubs, and lanes say what is missing', async () => {
    const model = modelOf(fx.missingEvents());
    const w = await open();
    await w.send({ type: 'model', model });
    const leg = await bars(w, `leg:${fx.MISSING}`);
    assert.deepEqual(
      leg.map((b) => b.kind),
      ['initiation', 'missing', 'connected', 'missing', 'disconnect'],
    );
    assert.equal(leg[1].aria, 'Missing: In queue; dequeue time missing, 12:00:10 UTC, 50 s');
    assert.equal(leg[3].aria, 'Missing: ACW end missing, 12:04:00 UTC, end not in the dumps');
    assert.match(leg[3].cls, /open-end/);
    const fill = await w.page.$eval(`[data-seg-id="${model.lanes[0].segments[1].id}"] .shape`, (e) => getComputedStyle(e).fill);
    assert.match(fill, /url\("?#tl-hatch"?\)/);
    const frank = await bars(w, `agent:${fx.agentArn(fx.FRANK)}`);
    assert.deepEqual(
      frank.map((b) => b.kind),
      ['agent-status', 'connecting', 'missing', 'acw'],
    );
    assert.equal(frank[2].aria, 'Missing: Events missing (CONNECTING → ENDED), 12:00:55 UTC, 3 min 5 s');
    const legend = await w.page.$$eval('.legend-label', (els) => els.map((e) => e.textContent));
    assert.ok(legend.includes('Missing from the dumps') && legend.includes('End not in the dumps'));
    const facts = await w.page.$$eval('.fact', (els) => els.map((e) => e.textContent));
    assert.ok(facts.includes('ACWunknown') && facts.includes('In queueunknown'), facts.join(' | '));
    await w.screenshot('missing-events');
  });

  test('findings are marked on the bars of the record they concern, and listed', async () => {
    const sc = fx.transferChain();
    const dumps = Object.entries(sc.files).map(([uri, text]) => parseDump(uri, text));
    const ctrDump = dumps.find((d) => d.uri.includes('ctr'))!;
    const recB = ctrDump.records[1];
    const finding: Finding = {
      code: 'link-reciprocal',
      severity: 'warning',
      message: `NextContactId ${fx.TRANSFER.C} does not point back`,
      start: recB.start + 2,
      end: recB.start + 10,
    };
    const model = buildTimeline(fx.TRANSFER.B, dumps, { findings: new Map([[ctrDump.uri, [finding]]]) })!;
    const w = await open();
    await w.send({ type: 'model', model });
    const legB = await bars(w, `leg:${fx.TRANSFER.B}`);
    // One marker for the record, on its first bar wide enough (not the 2 s initiation); every bar names the finding.
    const marked = await w.page.$$eval(`[data-lane-id="leg:${fx.TRANSFER.B}"] .bar`, (els) => els.map((e) => e.querySelector('.finding.sev-warning') !== null));
    assert.deepEqual(
      marked,
      legB.map((b) => b.kind === 'queue'),
    );
    assert.equal(await w.page.locator('.lanes .finding').count(), 1, 'only leg 2 is marked');
    assert.ok(
      legB.every((b) => b.aria.endsWith(', 1 finding')),
      legB[0].aria,
    );
    const markerFill = await w.page.$eval('.lanes .finding', (e) => getComputedStyle(e).fill);
    assert.equal(markerFill, 'rgb(191, 136, 3)'); // --vscode-editorWarning-foreground
    await w.page.focus(`[data-seg-id="${legB[1].id}"]`);
    assert.match((await w.page.textContent('.tooltip'))!, /warning: link-reciprocal: NextContactId .* does not point back/);
    const legend = await w.page.$$eval('.legend-label', (els) => els.map((e) => e.textContent));
    assert.ok(legend.includes('Finding: warning'));
    assert.equal(await w.page.textContent('.notes h2'), 'Findings (1)');
    await w.page.click('.notes button');
    assert.deepEqual((await w.posted()).at(-1), { type: 'reveal', source: { uri: ctrDump.uri, start: recB.start, end: recB.end } });
    await w.screenshot('findings');
  });

  test('hostile values stay text: no element, no script, no request', async () => {
    const model = modelOf(fx.hostileValues());
    const w = await open();
    await w.send({ type: 'model', model });
    assert.equal(await w.page.locator('img').count(), 0);
    assert.equal(await w.page.locator('script').count(), 1); // only the bundle
    const agentLane = `agent:${fx.agentArn(fx.MALLORY)}`;
    const title = await w.page.$eval(`[data-lane-id="${agentLane}"] .lane-head > title`, (e) => e.textContent);
    assert.ok(title.startsWith(fx.XSS), title);
    assert.ok((await w.page.$eval(`[data-lane-id="${agentLane}"]`, (e) => e.getAttribute('aria-label')))!.startsWith(fx.XSS));
    const visibleTitle = await w.page.textContent(`[data-lane-id="${agentLane}"] .lane-title`);
    assert.ok(visibleTitle!.startsWith('<img src=x'), visibleTitle!);
    const legLabel = await w.page.$eval(`[data-lane-id="leg:${fx.XSS_CONTACT}"]`, (e) => e.getAttribute('aria-label'));
    assert.ok(legLabel!.endsWith(`VOICE · ${fx.XSS}`), legLabel!); // the queue name
    const disconnect = model.lanes[0].segments.find((s) => s.kind === 'disconnect')!;
    await w.page.focus(`[data-seg-id="${disconnect.id}"]`);
    const tip = await w.page.textContent('.tooltip');
    assert.ok(tip!.includes(`Disconnected: ${fx.XSS}`), tip!);
    const status = model.lanes[1].background![0];
    assert.equal(
      await w.page.$eval(`[data-seg-id="${status.id}"]`, (e) => e.getAttribute('aria-label')),
      `Status ${fx.XSS}, 12:50:00 UTC, at least 13 min 30 s, end not in the dumps`,
    );
    // The export escapes it too.
    await w.page.click('button[data-action="export-svg"]');
    const exp = (await w.posted()).at(-1) as { type: string; data: string };
    assert.equal(exp.type, 'export');
    assert.ok(!exp.data.includes('<img'), 'no raw tag in the SVG file');
    assert.ok(exp.data.includes('&lt;img src=x onerror=alert(1)&gt;'));
    await w.page.waitForTimeout(100);
    assert.equal(await w.page.evaluate(() => document.querySelectorAll('img, iframe, object, embed').length), 0);
    await w.screenshot('hostile-values');
  });

  test('a dump with script payloads in every string field renders inert', async () => {
    // Every string of every record becomes a payload, except what the chain needs to hold
    // together (contact IDs, ARNs) and to be drawn at all (timestamps, states, enums).
    const PAYLOADS = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(2)</script>',
      '"><svg onload=alert(3)>',
      'javascript:alert(4)',
      '{{constructor.constructor("alert(5)")()}}',
    ];
    const KEEP = /(ContactId|ARN|Arn|Timestamp|^State$|^Channel$|^InitiationMethod$|^EventType$|^Type$|^Version$|^AWSAccountId$|^EventId$)$/;
    let n = 0;
    const poison = (v: unknown, key = ''): unknown => {
      if (Array.isArray(v)) return v.map((x) => poison(x, key));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, poison(x, k)]));
      if (typeof v === 'string' && !KEEP.test(key)) return PAYLOADS[n++ % PAYLOADS.length];
      return v;
    };
    const sc = fx.transferChain();
    const files = Object.fromEntries(
      Object.entries(sc.files).map(([uri, text]) => [
        uri,
        text
          .trim()
          .split('\n')
          .map((l) => JSON.stringify(poison(JSON.parse(l))))
          .join('\n') + '\n',
      ]),
    );
    assert.ok(n > 50, `only ${n} strings were poisoned`);
    const model = modelOf({ ...sc, files });
    const w = await open();
    await w.send({ type: 'model', model });
    const text = await w.page.evaluate(() => document.body.textContent ?? '');
    assert.ok(
      PAYLOADS.some((p) => text.includes(p)),
      'the payloads are shown as text',
    );
    const live = await w.page.evaluate(() => ({
      elements: document.querySelectorAll('img, iframe, object, embed, svg svg').length,
      scripts: document.querySelectorAll('script').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      links: Array.from(document.querySelectorAll('[href]')).filter((e) => /javascript:/i.test(e.getAttribute('href') ?? '')).length,
    }));
    assert.deepEqual(live, { elements: 0, scripts: 1, handlers: 0, links: 0 });
    // Focus every bar: tooltips render the values too.
    for (const id of await w.page.$$eval('[data-seg-id]', (els) => els.map((e) => e.getAttribute('data-seg-id')))) await w.page.focus(`[data-seg-id="${id}"]`);
    assert.equal(await w.page.evaluate(() => document.querySelectorAll('img, iframe, object, embed').length), 0);
  });

  test('empty and error states', async () => {
    const w = await open();
    await w.send({ type: 'empty', reason: 'no-contact' });
    assert.equal(await w.page.textContent('.state-title'), 'No contact under the cursor');
    assert.equal(await w.page.isVisible('svg.timeline'), false);
    await w.screenshot('empty');
    await w.send({ type: 'empty', reason: 'no-events', contactId: fx.XSS });
    assert.equal(await w.page.textContent('.state-title'), 'This contact has no events in the open dumps');
    assert.equal(await w.page.textContent('.state-detail'), `Contact ${fx.XSS}`);
    await w.send({ type: 'error', message: 'Could not build the timeline: boom' });
    assert.equal(await w.page.textContent('.state-title'), 'The timeline could not be built');
    assert.equal(await w.page.textContent('.state-detail'), 'Could not build the timeline: boom');
    // A model after an empty state draws; a malformed one is an error, not a crash.
    await w.send({ type: 'model', model: modelOf(fx.taskWithPauses()) });
    assert.equal(await w.page.isVisible('svg.timeline'), true);
    await w.send({ type: 'model', model: { contactId: 'x', lanes: 'nope' } });
    assert.equal(await w.page.textContent('.state-title'), 'The timeline could not be drawn');
    await w.send({ type: 'reveal', source: { uri: 'file:///x', start: 0, end: 1 } }); // not a message for the webview: ignored
    assert.equal(await w.page.textContent('.state-title'), 'The timeline could not be drawn');
  });

  test('a reloaded panel draws its saved model before the extension answers', async () => {
    const model = modelOf(fx.queuedCallback());
    const first = await open();
    await first.send({ type: 'model', model });
    await first.page.keyboard.press('+');
    const saved = await first.state();
    const second = await open({ state: saved });
    assert.deepEqual(await second.posted(), [{ type: 'ready' }]);
    assert.equal(await second.page.isVisible('svg.timeline'), true);
    assert.equal(await second.page.textContent('.contact-id'), fx.CALLBACK.callback);
    const barsFirst = await bars(first);
    const barsSecond = await bars(second);
    assert.deepEqual(
      barsSecond.map((b) => [b.id, Math.round(b.x), Math.round(b.w)]),
      barsFirst.map((b) => [b.id, Math.round(b.x), Math.round(b.w)]),
    );
  });

  test('export as SVG and PNG posts messages the extension accepts', async () => {
    const model = modelOf(fx.transferChain());
    const w = await open();
    await w.send({ type: 'model', model });
    await w.page.click('button[data-action="export-svg"]');
    const svgMsg = (await w.posted()).at(-1) as { type: string; format: string; data: string };
    assert.ok(isWebviewToExtension(svgMsg));
    assert.equal(svgMsg.format, 'svg');
    assert.match(svgMsg.data, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svgMsg.data.includes(`Contact ${fx.TRANSFER.B}`));
    assert.ok(svgMsg.data.includes('Leg 2 · QUEUE_TRANSFER'));
    assert.ok(!svgMsg.data.includes('var(--'), 'theme colours are resolved in the file');
    assert.ok(!svgMsg.data.includes('tabindex'));
    assert.ok(svgMsg.data.includes('fill="rgb(56, 138, 52)"'), 'connected bars keep their colour');
    // The exported SVG renders on its own (load it as an image in a blank page).
    const size = await w.page.evaluate(async (text) => {
      const img = new Image();
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, svgMsg.data);
    assert.ok(size[0] >= 420 && size[1] > 300, `svg size ${size.join(' x ')}`);

    await w.page.click('button[data-action="export-png"]');
    await w.page.waitForFunction(() => (window as unknown as { __posted: { format?: string }[] }).__posted.some((m) => m.format === 'png'));
    const pngMsg = (await w.posted()).at(-1) as { type: string; format: string; data: string };
    assert.ok(isWebviewToExtension(pngMsg));
    const bytes = Buffer.from(pngMsg.data.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
    const pngWidth = bytes.readUInt32BE(16);
    assert.equal(pngWidth, size[0] * 2, 'PNG at twice the SVG size');
    // Keep both files: they are what a user attaches to a bug report.
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, 'timeline-export.svg'), svgMsg.data);
    writeFileSync(join(SCREENSHOTS, 'timeline-export.png'), bytes);
  });

  for (const theme of ['dark', 'high-contrast'] as const) {
    test(`${theme} theme: colours follow the theme variables`, async () => {
      const model = modelOf(fx.transferChain());
      const w = await open({ theme });
      await w.send({ type: 'model', model });
      const connected = model.lanes[0].segments[3];
      const style = await w.page.$eval(`[data-seg-id="${connected.id}"] .shape`, (e) => ({
        fill: getComputedStyle(e).fill,
        stroke: getComputedStyle(e).stroke,
      }));
      assert.equal(style.fill, 'rgb(137, 209, 133)'); // charts.green in both
      const bg = await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (theme === 'dark') {
        assert.equal(bg, 'rgb(31, 31, 31)');
      } else {
        assert.equal(bg, 'rgb(0, 0, 0)');
        assert.equal(style.stroke, 'rgb(111, 195, 223)', 'high contrast outlines every bar with contrastBorder');
      }
      await w.page.focus(`[data-seg-id="${connected.id}"]`);
      await w.screenshot(theme);
    });
  }
});
