// The timeline's lanes for the newer kinds, drawn in headless Chromium from the transfer chain
// sample with its flow logs and contact events: a flow lane under each leg (blocks named,
// a failed block marked and clickable to its log line), contact events as markers on their
// leg, and an external transfer drawn until the disconnect. Variants are invented and say so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { parseDump } from '../../server/src/core/dump';
import { buildTimeline } from '../../server/src/core/timeline';
import type { Finding } from '../../server/src/core/types';
import { isWebviewToExtension, type TimelineModel } from '../../server/src/shared/timeline';
import { useWebviewBrowser } from './harness';

type Rec = Record<string, any>;
const sample = (rel: string) => readFileSync(join(__dirname, '..', '..', 'samples', rel), 'utf8');
const lines = (rel: string): Rec[] =>
  sample(rel)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const jsonl = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join('\n') + '\n';
const [legA, legB, legC] = lines('transfer-chain.jsonl');

/** The chain with two invented changes: leg 1's customer lookup fails, leg 3 ends in a transfer to an external number. */
function scenario(): { model: TimelineModel; flowText: string; flowUri: string } {
  const records = lines('transfer-chain.jsonl');
  Object.assign(records[2], {
    TransferredToEndpoint: { Address: '+13125550199', Type: 'TELEPHONE_NUMBER' },
    TransferCompletedTimestamp: '2026-11-24T09:18:00Z',
  });
  const flows = lines('transfer-chain-flow-logs.jsonl');
  const lookup = flows.find((e) => e.Identifier === 'Look up customer')!;
  delete lookup.ExternalResults;
  lookup.Results = 'The Lambda Function Returned An Error.';
  const files: Record<string, string> = {
    'file:///samples/transfer-chain.jsonl': jsonl(records),
    'file:///samples/transfer-chain-agent-events.jsonl': sample('transfer-chain-agent-events.jsonl'),
    'file:///samples/transfer-chain-flow-logs.jsonl': jsonl(flows),
    'file:///samples/transfer-chain-contact-events.jsonl': sample('transfer-chain-contact-events.jsonl'),
  };
  const findings = new Map<string, Finding[]>();
  for (const [uri, text] of Object.entries(files)) findings.set(uri, analyzeText(uri, text).findings);
  const model = buildTimeline(
    legA.ContactId,
    Object.entries(files).map(([uri, text]) => parseDump(uri, text)),
    { findings },
  );
  assert.ok(model);
  return { model, flowText: files['file:///samples/transfer-chain-flow-logs.jsonl'], flowUri: 'file:///samples/transfer-chain-flow-logs.jsonl' };
}

describe('timeline webview: flow lanes, contact events, external transfers', () => {
  const open = useWebviewBrowser();

  test('a flow lane under each leg, its blocks named and in time order; the failed block marked and clickable to its log line', async () => {
    const { model, flowText, flowUri } = scenario();
    const w = await open();
    await w.send({ type: 'model', model });
    const lanes = await w.page.$$eval('.lanes .lane', (els) =>
      els.map((e) => [e.getAttribute('data-lane-kind'), e.querySelector('.lane-title')?.textContent ?? '']),
    );
    assert.deepEqual(lanes.slice(0, 6), [
      ['leg', 'Leg 1 · INBOUND'],
      ['flow', 'Flows · leg 1'],
      ['leg', 'Leg 2 · TRANSFER'],
      ['flow', 'Flows · leg 2'],
      ['leg', 'Leg 3 · TRANSFER'],
      ['flow', 'Flows · leg 3'],
    ]);
    const blocks = await w.page.$$eval(`.lane[data-lane-id="flow:${legA.ContactId}"] .bar`, (els) =>
      els.map((e) => ({
        kind: e.getAttribute('data-kind'),
        aria: e.getAttribute('aria-label') ?? '',
        id: e.getAttribute('data-seg-id') ?? '',
        x: Number(e.querySelector('.shape')?.getAttribute('x') ?? NaN),
        finding: e.querySelector('.finding')?.getAttribute('class') ?? '',
      })),
    );
    assert.deepEqual(
      blocks.map((b) => b.aria.split(',')[0]),
      ['Enable flow logs', 'Voice', 'Welcome', 'Look up customer', 'Store tier', 'Main menu', 'Store intent', 'Support queue', 'To Support'],
    );
    assert.match(blocks[3].aria, /^Look up customer, 09:00:04 UTC, .*1 finding/);
    assert.deepEqual(
      blocks.map((b) => b.kind),
      ['flow-block', 'flow-block', 'flow-block', 'flow-failed', 'flow-block', 'flow-block', 'flow-block', 'flow-block', 'flow-block'],
    );
    assert.match(blocks[3].finding, /sev-warning/);
    const xs = blocks.filter((b) => Number.isFinite(b.x)).map((b) => b.x);
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
      'left to right in time',
    );

    // The failed block, reached from the keyboard (blocks a fraction of a second apart overlap
    // at this zoom): Enter asks the extension to reveal its log line.
    await w.page.focus(`[data-seg-id="${blocks[3].id}"]`);
    await w.page.keyboard.press('Enter');
    const posted = (await w.posted()).at(-1) as { type: string; source: { uri: string; start: number; end: number } };
    assert.ok(isWebviewToExtension(posted));
    assert.equal(posted.source.uri, flowUri);
    const line = flowText.slice(posted.source.start, posted.source.end);
    assert.equal(JSON.parse(line).Identifier, 'Look up customer');
    const tip = await w.page.textContent('.tooltip'); // focus shows it
    assert.match(tip!, /Flow Main IVR/);
    assert.match(tip!, /flow-error: Flow "Main IVR": the InvokeExternalResource block "Look up customer" failed/);
    // The legend names the new kinds.
    const legend = await w.page.$$eval('.legend-label', (els) => els.map((e) => e.textContent));
    for (const l of ['Flow block', 'Flow block failed', 'Contact event (EventBridge)', 'External party (after the agent left)'])
      assert.ok(legend.includes(l), `${l} in ${legend.join(', ')}`);
    await w.screenshot('flows');
  });

  test('contact events are markers on their leg, once per event id, clickable to their line', async () => {
    const { model } = scenario();
    const w = await open();
    await w.send({ type: 'model', model });
    const events = await w.page.$$eval('.markers .marker.kind-event', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(events.length, 15, 'five per leg; the re-delivered one once');
    assert.ok(events.includes('Contact event QUEUED, 09:00:42 UTC, on Leg 1 · INBOUND'), events.join('\n'));
    assert.ok(events.includes('Contact event COMPLETED, 09:22:30 UTC, on Leg 3 · TRANSFER'), events.join('\n'));
    const queued = model.markers.find((m) => m.kind === 'event' && m.label === 'QUEUED' && m.fromLaneId === `leg:${legB.ContactId}`)!;
    await w.page.click(`[data-marker-id="${queued.id}"]`);
    assert.deepEqual((await w.posted()).at(-1), { type: 'reveal', source: queued.source });
    await w.page.hover(`[data-marker-id="${queued.id}"]`);
    const tip = await w.page.textContent('.tooltip');
    assert.match(tip!, /On Leg 2 · TRANSFER/);
    assert.match(tip!, /Queue arn:aws:connect:.*\/queue\//);
  });

  test('an external transfer is drawn from TransferCompletedTimestamp to the disconnect, labelled with the endpoint', async () => {
    const { model } = scenario();
    const w = await open();
    await w.send({ type: 'model', model });
    const ext = await w.page.$$eval(`.lane[data-lane-id="leg:${legC.ContactId}"] .bar[data-kind="external"]`, (els) =>
      els.map((e) => e.getAttribute('aria-label')),
    );
    assert.deepEqual(ext, ['External: +13125550199, 09:18:00 UTC, 3 min 5 s']);
  });

  test('a chain known only from contact events and flow logs: legs drawn from the events, a flow-only leg empty, the notes say so', async () => {
    // The sample's contact events for legs 2 and 3 and its flow logs, without records or agent
    // events; leg 1 is then known only from its flow logs.
    const events = lines('transfer-chain-contact-events.jsonl').filter((e) => e.detail.contactId !== legA.ContactId);
    const dumps = [parseDump('file:///only/events.jsonl', jsonl(events)), parseDump('file:///only/flows.jsonl', sample('transfer-chain-flow-logs.jsonl'))];
    const model = buildTimeline(legB.ContactId, dumps);
    assert.ok(model);
    const w = await open();
    await w.send({ type: 'model', model });
    const lanes = await w.page.$$eval('.lanes .lane', (els) =>
      els.map((e) => [e.getAttribute('data-lane-kind'), e.querySelector('.lane-title')?.textContent ?? '', e.querySelectorAll('.bar').length]),
    );
    assert.deepEqual(lanes, [
      ['leg', 'Leg 1 · Contact', 0],
      ['flow', 'Flows · leg 1', 9],
      ['leg', 'Leg 2 · TRANSFER', 5],
      ['flow', 'Flows · leg 2', 3],
      ['leg', 'Leg 3 · TRANSFER', 5],
      ['flow', 'Flows · leg 3', 3],
    ]);
    const notes = await w.page.$$eval('.lane-notes li', (els) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(
      notes.map((n) => n.replace(/: Built from (.*?) only.*/, ': $1')),
      [
        'Leg 1 · Contact: contact flow logs',
        'Leg 2 · TRANSFER: EventBridge contact events and contact flow logs',
        'Leg 3 · TRANSFER: EventBridge contact events and contact flow logs',
      ],
    );
    const queue = await w.page.$eval(`.lane[data-lane-id="leg:${legB.ContactId}"] .bar[data-kind="queue"]`, (e) => e.getAttribute('aria-label'));
    assert.match(queue!, /^In queue, 09:05:31 UTC, 1 min 21 s/);
    assert.deepEqual(await w.cspViolations(), []);
    await w.screenshot('kinds-only');
  });
});
