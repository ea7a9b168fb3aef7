// The timeline webview: receives a TimelineModel from the extension and draws it. Plain
// DOM, no framework. Dump values only ever go through textContent / setAttribute.

import { isTimelineExplain, type ExtensionToWebview, type SourceRef, type TimelineModel, type WebviewToExtension } from '../../../server/src/shared/timeline';
import { drawExplain, fromSources } from './explain';
import { formatDuration, formatFull } from './format';
import { render, type Item, type Measure, type Rendered, type View, KIND_LABEL, SVG_NS } from './render';
import { serializeSvg, svgToPng } from './export';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  model?: TimelineModel;
  view?: View;
}

const vscode = acquireVsCodeApi();

// ---- DOM skeleton (static text only) --------------------------------------------------

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
app.classList.add('timeline-app');

const header = h('header', { class: 'summary', hidden: '' });
const heading = h('h1', { class: 'summary-title' });
const facts = h('dl', { class: 'summary-facts' });
const zoneNote = h('p', { class: 'zone-note' });
header.append(heading, facts, zoneNote);

const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline tools', hidden: '' });
const btn = (label: string, title: string, action: string) => {
  const b = h('button', { type: 'button', title, 'data-action': action }, label);
  toolbar.appendChild(b);
  return b;
};
btn('+', 'Zoom in (+)', 'zoom-in');
btn('−', 'Zoom out (-)', 'zoom-out');
btn('Fit', 'Show the whole contact (0)', 'reset');
btn('Export SVG', 'Save the timeline as an SVG image', 'export-svg');
btn('Export PNG', 'Save the timeline as a PNG image', 'export-png');
const hint = h('span', { class: 'toolbar-hint' }, 'Wheel or +/− to zoom, drag or Shift+arrows to pan, arrows to move between bars, Enter to show the record');
toolbar.appendChild(hint);

const message = h('div', { class: 'state-message', role: 'status', 'aria-live': 'polite' }, 'Waiting for the timeline…');
const chartWrap = h('div', {
  class: 'chart',
  tabindex: '0',
  'aria-label': 'Timeline chart. Arrow keys pan, plus and minus zoom, Tab moves to the bars.',
  hidden: '',
});
const chart = document.createElementNS(SVG_NS, 'svg');
chart.setAttribute('class', 'timeline');
chart.setAttribute('role', 'group');
chart.setAttribute('aria-label', 'Contact timeline');
chartWrap.appendChild(chart);
const tooltip = h('div', { class: 'tooltip', role: 'tooltip', id: 'tl-tooltip', hidden: '' });
const notes = h('section', { class: 'notes', 'aria-label': 'Findings and notes', hidden: '' });
const explainSection = h('section', { class: 'explain', 'aria-label': 'Explain', hidden: '' });

app.append(header, toolbar, message, chartWrap, explainSection, notes, tooltip);

// ---- text measuring (for labels that must fit their bars) ------------------------------

const measureCtx = document.createElement('canvas').getContext('2d');
const fontCache = new Map<string, string>();
const measure: Measure = (text, cls) => {
  let font = fontCache.get(cls);
  if (font === undefined) {
    const probe = document.createElementNS(SVG_NS, 'text');
    probe.setAttribute('class', cls);
    chart.appendChild(probe);
    const cs = getComputedStyle(probe);
    font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    probe.remove();
    fontCache.set(cls, font);
  }
  if (!measureCtx) return text.length * 7;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
};

// ---- state ----------------------------------------------------------------------------

let model: TimelineModel | undefined;
let full: View = { t0: 0, t1: 1 };
let view: View = full;
let drawn: Rendered | undefined;
let itemsById = new Map<string, Item>();

function save(): void {
  const state: SavedState = { model, view: model ? view : undefined };
  vscode.setState(state);
}

function fullView(m: TimelineModel): View {
  const times: number[] = [];
  for (const lane of m.lanes) {
    for (const s of lane.segments) times.push(Date.parse(s.start), Date.parse(s.end));
  }
  for (const mk of m.markers) times.push(Date.parse(mk.at));
  const finite = times.filter(Number.isFinite);
  if (finite.length === 0) return { t0: 0, t1: 60_000 };
  let t0 = finite.reduce((a, b) => (b < a ? b : a));
  let t1 = finite.reduce((a, b) => (b > a ? b : a));
  if (t1 - t0 < 10_000) {
    const mid = (t0 + t1) / 2;
    t0 = mid - 5_000;
    t1 = mid + 5_000;
  }
  const pad = (t1 - t0) * 0.04;
  return { t0: t0 - pad, t1: t1 + pad };
}

function setMode(mode: 'model' | 'message'): void {
  const showModel = mode === 'model';
  header.hidden = !showModel;
  toolbar.hidden = !showModel;
  chartWrap.hidden = !showModel;
  notes.hidden = !showModel || notes.childElementCount === 0;
  explainSection.hidden = !showModel || explainSection.childElementCount === 0;
  message.hidden = showModel;
  if (!showModel) hideTooltip();
}

function showMessage(kind: 'empty' | 'error', title: string, detail?: string): void {
  model = undefined;
  drawn = undefined;
  itemsById = new Map();
  message.className = `state-message state-${kind}`;
  message.replaceChildren(h('p', { class: 'state-title' }, title));
  if (detail) message.appendChild(h('p', { class: 'state-detail' }, detail));
  setMode('message');
  save();
}

// ---- drawing --------------------------------------------------------------------------

function fmtMs(ms: number | undefined): string {
  return ms === undefined ? 'unknown' : formatDuration(ms);
}

function drawSummary(m: TimelineModel): void {
  const s = m.summary;
  heading.replaceChildren();
  heading.append('Contact ', h('span', { class: 'contact-id' }, m.contactId));
  if (s.channel) heading.append(' ', h('span', { class: 'badge channel' }, s.channel));
  const rows: [string, string][] = [
    ['Total', fmtMs(s.totalMs)],
    ['In queue', fmtMs(s.queueMs)],
    ['Talk', fmtMs(s.talkMs)],
    ['Hold', fmtMs(s.holdMs)],
    ['ACW', fmtMs(s.acwMs)],
  ];
  if (s.pauseMs !== undefined) rows.push(['Paused', fmtMs(s.pauseMs)]);
  rows.push(['Legs', String(s.legs)], ['Agents', String(s.agents)]);
  if (s.initialContactId && s.initialContactId !== m.contactId) rows.push(['Initial contact', s.initialContactId]);
  facts.replaceChildren();
  for (const [k, v] of rows) {
    const div = h('div', { class: 'fact' });
    div.append(h('dt', {}, k), h('dd', {}, v));
    facts.appendChild(div);
  }
  zoneNote.textContent = s.timeZone.note;
}

function drawNotes(m: TimelineModel): void {
  notes.replaceChildren();
  const laneNotes = m.lanes.flatMap((l) => (l.notes ?? []).map((n) => ({ lane: l.title, text: n })));
  if (m.findings.length > 0) {
    notes.appendChild(h('h2', {}, `Findings (${m.findings.length})`));
    const ul = h('ul', { class: 'findings' });
    for (const f of m.findings) {
      const li = h('li', { class: `sev-${f.severity}` });
      li.append(h('span', { class: 'finding-code' }, f.code), ' ', h('span', {}, f.message));
      if (f.source) {
        const source = f.source;
        const b = h('button', { type: 'button', class: 'link' }, 'Show record');
        b.addEventListener('click', () => reveal(source));
        li.append(' ', b);
      }
      ul.appendChild(li);
    }
    notes.appendChild(ul);
  }
  if (laneNotes.length > 0) {
    notes.appendChild(h('h2', {}, 'Missing from the dumps'));
    const ul = h('ul', { class: 'lane-notes' });
    for (const n of laneNotes) ul.appendChild(h('li', {}, `${n.lane}: ${n.text}`));
    notes.appendChild(ul);
  }
}

function chartWidth(): number {
  return Math.max(420, Math.floor(chartWrap.clientWidth || document.documentElement.clientWidth || 900));
}

function redraw(): void {
  if (!model) return;
  const focusedId = document.activeElement?.getAttribute?.('data-seg-id') ?? document.activeElement?.getAttribute?.('data-marker-id') ?? undefined;
  drawn = render(chart, model, view, chartWidth(), measure);
  itemsById = new Map(drawn.items.map((i) => [i.id, i]));
  highlightSources(lit);
  for (const item of drawn.items) item.el.setAttribute('aria-describedby', 'tl-tooltip');
  if (focusedId && itemsById.has(focusedId)) {
    const item = itemsById.get(focusedId)!;
    item.el.focus({ preventScroll: true });
    showTooltipFor(item);
  }
}

/** The records the pointed Explain sentence is read from; their bars stay lit across redraws. */
let lit: SourceRef[] | undefined;

function highlightSources(sources: SourceRef[] | undefined): void {
  lit = sources;
  for (const item of drawn?.items ?? []) item.el.classList.toggle('explain-linked', !!sources && fromSources(item.source, sources));
}

function showModel(m: TimelineModel, keepView: View | undefined): void {
  const sameContact = model?.contactId === m.contactId;
  // A malformed explain part is left out; the timeline is still drawn.
  if (m.explain !== undefined && !isTimelineExplain(m.explain)) m = { ...m, explain: undefined };
  model = m;
  full = fullView(m);
  // Live edits of the same contact keep the zoom; another contact starts from the whole.
  view = keepView ?? (sameContact ? view : full);
  lit = undefined;
  drawSummary(m);
  drawNotes(m);
  drawExplain(explainSection, m.explain, { highlight: highlightSources, reveal });
  setMode('model');
  redraw();
  save();
}

// ---- tooltip --------------------------------------------------------------------------

function tooltipLines(item: Item): { title: string; lines: string[] } {
  const zone = model!.summary.timeZone;
  const lines: string[] = [];
  if (item.segment) {
    const s = item.segment;
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    const kind =
      s.kind === 'agent-status' ? `Agent status${s.statusType ? ` (${s.statusType})` : ''}` : Object.hasOwn(KIND_LABEL, s.kind) ? KIND_LABEL[s.kind] : s.kind;
    if (kind !== s.label) lines.push(kind);
    lines.push(`Start ${formatFull(start, zone.offsetMinutes, zone.label)}`);
    if (s.openEnd) lines.push(`Last seen ${formatFull(end, zone.offsetMinutes, zone.label)} (end not in the dumps)`);
    else if (s.durationMs > 0) lines.push(`End ${formatFull(end, zone.offsetMinutes, zone.label)}`);
    lines.push(
      s.openEnd
        ? `Duration at least ${formatDuration(s.durationMs)}`
        : s.durationMs === 0
          ? 'Instant'
          : `Duration ${formatDuration(s.durationMs)} (${s.durationMs} ms)`,
    );
    if (s.contactId && item.lane.kind === 'agent') lines.push(`Contact ${s.contactId}`);
    for (const d of s.details ?? []) lines.push(d);
    for (const d of item.extra) lines.push(d);
    for (const f of s.findings ?? []) lines.push(`${f.severity}: ${f.code}: ${f.message}`);
    return { title: s.label, lines };
  }
  const mk = item.marker!;
  lines.push(`At ${formatFull(Date.parse(mk.at), zone.offsetMinutes, zone.label)}`);
  const from = model!.lanes.find((l) => l.id === mk.fromLaneId)?.title ?? mk.fromLaneId;
  const to = model!.lanes.find((l) => l.id === mk.toLaneId)?.title ?? mk.toLaneId;
  if (mk.kind === 'event') lines.push(`On ${from}`);
  else lines.push(`From ${from}`, `To ${to}`);
  for (const d of mk.details ?? []) lines.push(d);
  return { title: mk.label, lines };
}

function showTooltipFor(item: Item, clientX?: number, clientY?: number): void {
  const { title, lines } = tooltipLines(item);
  tooltip.replaceChildren(h('strong', {}, title));
  for (const l of lines) tooltip.appendChild(h('div', {}, l));
  tooltip.appendChild(h('div', { class: 'tooltip-hint' }, 'Enter or click: show the record in the dump'));
  tooltip.hidden = false;
  const r = item.el.getBoundingClientRect();
  const x = clientX ?? r.left + Math.min(r.width, 40);
  const y = clientY ?? r.bottom;
  const tw = tooltip.offsetWidth;
  const th = tooltip.offsetHeight;
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  let left = x + 12;
  let top = y + 12;
  if (left + tw > vw - 4) left = Math.max(4, vw - tw - 4);
  if (top + th > vh - 4) top = Math.max(4, (clientY ?? r.top) - th - 12);
  // CSSOM writes are allowed by the CSP (style attributes are not).
  tooltip.style.left = `${left + window.scrollX}px`;
  tooltip.style.top = `${top + window.scrollY}px`;
}

function hideTooltip(): void {
  tooltip.hidden = true;
}

// ---- messages to the extension ---------------------------------------------------------

function reveal(source: SourceRef): void {
  vscode.postMessage({ type: 'reveal', source: { uri: source.uri, start: source.start, end: source.end } });
}

function exportHeader(): { lines: string[]; background: string; foreground: string; fontFamily: string } {
  const m = model!;
  const s = m.summary;
  const cs = getComputedStyle(document.body);
  const parts = [
    s.channel,
    `${s.legs} leg${s.legs === 1 ? '' : 's'}`,
    `total ${fmtMs(s.totalMs)}`,
    `queue ${fmtMs(s.queueMs)}`,
    `talk ${fmtMs(s.talkMs)}`,
    `hold ${fmtMs(s.holdMs)}`,
    `ACW ${fmtMs(s.acwMs)}`,
  ].filter(Boolean);
  return {
    lines: [`Contact ${m.contactId}`, parts.join(' · '), s.timeZone.note],
    background: cs.getPropertyValue('--vscode-editor-background').trim() || cs.backgroundColor,
    foreground: cs.color,
    fontFamily: cs.fontFamily,
  };
}

function exportSvgText(): string {
  return serializeSvg(chart, exportHeader());
}

async function exportAs(format: 'svg' | 'png'): Promise<void> {
  if (!model) return;
  const svgText = exportSvgText();
  if (format === 'svg') {
    vscode.postMessage({ type: 'export', format: 'svg', data: svgText });
    return;
  }
  const m = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svgText);
  const width = m ? Number(m[1]) : chartWidth();
  const height = m ? Number(m[2]) : (drawn?.height ?? 400);
  try {
    vscode.postMessage({ type: 'export', format: 'png', data: await svgToPng(svgText, width, height) });
  } catch (e) {
    message.textContent = `PNG export failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

// ---- zoom and pan ---------------------------------------------------------------------

const MIN_SPAN = 500;

function setView(t0: number, t1: number): void {
  const fullSpan = full.t1 - full.t0;
  let span = Math.min(Math.max(t1 - t0, MIN_SPAN), fullSpan * 4);
  const mid = (t0 + t1) / 2;
  t0 = mid - span / 2;
  // Keep some of the contact on screen.
  const lo = full.t0 - span * 0.75;
  const hi = full.t1 + span * 0.75;
  if (t0 < lo) t0 = lo;
  if (t0 + span > hi) t0 = hi - span;
  span = Math.max(span, 1);
  view = { t0, t1: t0 + span };
  redraw();
  save();
}

function zoom(factor: number, anchorMs?: number): void {
  const a = anchorMs ?? (view.t0 + view.t1) / 2;
  setView(a - (a - view.t0) * factor, a + (view.t1 - a) * factor);
}

function pan(fraction: number): void {
  const d = (view.t1 - view.t0) * fraction;
  setView(view.t0 + d, view.t1 + d);
}

function msAtClientX(clientX: number): number | undefined {
  if (!drawn) return undefined;
  const r = chart.getBoundingClientRect();
  const px = clientX - r.left;
  if (px < drawn.plotX0) return undefined;
  return view.t0 + ((px - drawn.plotX0) / (drawn.plotX1 - drawn.plotX0)) * (view.t1 - view.t0);
}

function ensureVisible(item: Item): void {
  const span = view.t1 - view.t0;
  if (item.startMs >= view.t0 && item.endMs <= view.t1) return;
  if (item.endMs - item.startMs < span * 0.9) {
    const mid = (item.startMs + item.endMs) / 2;
    setView(mid - span / 2, mid + span / 2);
  } else {
    setView(item.startMs - span * 0.05, item.startMs + span * 0.95);
  }
}

chartWrap.addEventListener(
  'wheel',
  (e) => {
    if (!model) return;
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      pan((e.deltaX || e.deltaY) / 1000);
    } else {
      zoom(Math.exp(e.deltaY * 0.0015), msAtClientX(e.clientX));
    }
  },
  { passive: false },
);

let drag: { x: number; t0: number; t1: number; moved: boolean } | undefined;
let suppressClick = false;
chartWrap.addEventListener('pointerdown', (e) => {
  if (!model || e.button !== 0 || !drawn) return;
  suppressClick = false; // a drag released outside the chart leaves no click to swallow
  drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false };
});
window.addEventListener('pointermove', (e) => {
  if (!drag || !drawn) return;
  const dx = e.clientX - drag.x;
  if (!drag.moved && Math.abs(dx) < 4) return;
  if (!drag.moved) {
    drag.moved = true;
    chartWrap.classList.add('dragging');
    hideTooltip();
  }
  const dt = (dx / (drawn.plotX1 - drawn.plotX0)) * (drag.t1 - drag.t0);
  setView(drag.t0 - dt, drag.t1 - dt);
});
window.addEventListener('pointerup', () => {
  if (drag?.moved) suppressClick = true;
  drag = undefined;
  chartWrap.classList.remove('dragging');
});

function itemOf(target: EventTarget | null): Item | undefined {
  const el = (target as Element | null)?.closest?.('[data-seg-id],[data-marker-id]');
  if (!el) return undefined;
  const id = el.getAttribute('data-seg-id') ?? el.getAttribute('data-marker-id');
  return id ? itemsById.get(id) : undefined;
}

chartWrap.addEventListener('click', (e) => {
  if (suppressClick) {
    suppressClick = false;
    return;
  }
  const item = itemOf(e.target);
  if (item) {
    item.el.focus({ preventScroll: true });
    reveal(item.source);
  }
});

chartWrap.addEventListener('mouseover', (e) => {
  if (drag?.moved) return;
  const item = itemOf(e.target);
  if (item) showTooltipFor(item, e.clientX, e.clientY);
});
chartWrap.addEventListener('mouseout', (e) => {
  if (itemOf(e.target) && !itemOf(e.relatedTarget)) {
    const focused = itemOf(document.activeElement);
    if (focused) showTooltipFor(focused);
    else hideTooltip();
  }
});
chartWrap.addEventListener('focusin', (e) => {
  const item = itemOf(e.target);
  if (item) showTooltipFor(item);
});
chartWrap.addEventListener('focusout', (e) => {
  if (!itemOf(e.relatedTarget)) hideTooltip();
});

// ---- keyboard -------------------------------------------------------------------------

function focusItem(item: Item | undefined): void {
  if (!item) return;
  ensureVisible(item);
  const current = itemsById.get(item.id) ?? item; // redraw may have replaced the element
  current.el.focus({ preventScroll: false });
  showTooltipFor(current);
}

function neighbour(item: Item, key: string): Item | undefined {
  if (!drawn) return undefined;
  const lane = drawn.byLane[item.laneIndex] ?? [];
  const i = lane.findIndex((x) => x.id === item.id);
  switch (key) {
    case 'ArrowRight':
      return lane[i + 1];
    case 'ArrowLeft':
      return lane[i - 1];
    case 'Home':
      return lane[0];
    case 'End':
      return lane[lane.length - 1];
    case 'ArrowUp':
    case 'ArrowDown': {
      const step = key === 'ArrowUp' ? -1 : 1;
      for (let l = item.laneIndex + step; l >= 0 && l < drawn.byLane.length; l += step) {
        const candidates = drawn.byLane[l];
        if (candidates.length === 0) continue;
        // The bar of that lane closest in time to this one.
        const t = (item.startMs + item.endMs) / 2;
        const dist = (x: Item) => (t < x.startMs ? x.startMs - t : t > x.endMs ? t - x.endMs : 0);
        return candidates.reduce((best, x) =>
          dist(x) < dist(best) || (dist(x) === dist(best) && x.segment?.kind !== 'agent-status' && best.segment?.kind === 'agent-status') ? x : best,
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

document.addEventListener('keydown', (e) => {
  if (!model) return;
  const target = e.target as Element | null;
  if (target?.closest('button, input, textarea, select')) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const item = itemOf(target);
  switch (e.key) {
    case '+':
    case '=':
      zoom(0.6, item ? (item.startMs + item.endMs) / 2 : undefined);
      break;
    case '-':
    case '_':
      zoom(1 / 0.6, item ? (item.startMs + item.endMs) / 2 : undefined);
      break;
    case '0':
      setView(full.t0, full.t1);
      break;
    case 'Escape':
      hideTooltip();
      break;
    case 'Enter':
    case ' ':
      if (!item) return;
      reveal(item.source);
      break;
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown':
    case 'Home':
    case 'End':
      if (e.shiftKey || !item) {
        if (e.key === 'ArrowLeft') pan(-0.2);
        else if (e.key === 'ArrowRight') pan(0.2);
        else if (!item && drawn?.items.length && (e.key === 'ArrowDown' || e.key === 'Home')) focusItem(drawn.items[0]);
        else return;
      } else {
        focusItem(neighbour(item, e.key));
      }
      break;
    default:
      return;
  }
  e.preventDefault();
});

toolbar.addEventListener('click', (e) => {
  const action = (e.target as Element | null)?.closest('button')?.getAttribute('data-action');
  if (action === 'zoom-in') zoom(0.6);
  else if (action === 'zoom-out') zoom(1 / 0.6);
  else if (action === 'reset') setView(full.t0, full.t1);
  else if (action === 'export-svg') void exportAs('svg');
  else if (action === 'export-png') void exportAs('png');
});

let resizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => redraw());
}).observe(chartWrap);

// ---- messages from the extension -------------------------------------------------------

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The extension is trusted, but a malformed model must not break the page. */
function looksLikeModel(m: unknown): m is TimelineModel {
  if (!isObj(m) || typeof m.contactId !== 'string' || !isObj(m.summary) || !Array.isArray(m.lanes) || !Array.isArray(m.markers)) return false;
  if (!Array.isArray(m.findings) || !isObj(m.summary.timeZone)) return false;
  const segOk = (s: unknown) =>
    isObj(s) &&
    typeof s.id === 'string' &&
    typeof s.kind === 'string' &&
    typeof s.label === 'string' &&
    typeof s.start === 'string' &&
    typeof s.end === 'string' &&
    typeof s.durationMs === 'number' &&
    isObj(s.source);
  return m.lanes.every(
    (l) =>
      isObj(l) &&
      typeof l.id === 'string' &&
      typeof l.title === 'string' &&
      Array.isArray(l.segments) &&
      l.segments.every(segOk) &&
      (l.background === undefined || (Array.isArray(l.background) && l.background.every(segOk))),
  );
}

function handle(msg: ExtensionToWebview): void {
  switch (msg.type) {
    case 'model':
      if (!looksLikeModel(msg.model)) {
        showMessage('error', 'The timeline could not be drawn', 'The model sent by the extension is malformed.');
        return;
      }
      showModel(msg.model, undefined);
      return;
    case 'empty':
      if (msg.reason === 'no-events') {
        showMessage('empty', 'This contact has no events in the open dumps', msg.contactId ? `Contact ${msg.contactId}` : undefined);
      } else {
        showMessage('empty', 'No contact under the cursor', 'Put the cursor in a contact record or an agent event of an open dump.');
      }
      return;
    case 'error':
      showMessage('error', 'The timeline could not be built', typeof msg.message === 'string' ? msg.message : undefined);
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const data: unknown = e.data;
  if (!isObj(data) || typeof data.type !== 'string') return;
  if (data.type === 'model' || data.type === 'empty' || data.type === 'error') handle(data as unknown as ExtensionToWebview);
});

// Restore the last drawing at once (reload, panel moved), then ask for a fresh model.
const saved = vscode.getState() as SavedState | undefined;
if (saved && looksLikeModel(saved.model)) {
  const v = saved.view;
  showModel(saved.model, v && Number.isFinite(v.t0) && Number.isFinite(v.t1) && v.t1 > v.t0 ? v : undefined);
}
vscode.postMessage({ type: 'ready' });
