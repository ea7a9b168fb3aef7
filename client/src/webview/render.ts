// Draws a TimelineModel as SVG elements. Every value from a dump reaches the DOM through
// textContent or setAttribute only; colours come from CSS classes (timeline.css), which
// map to --vscode-* theme variables.

import type { SourceRef, TimelineFinding, TimelineLane, TimelineMarker, TimelineModel, TimelineSegment } from '../../../server/src/shared/timeline';
import { formatDuration, formatClock, ticks } from './format';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface View {
  t0: number;
  t1: number;
}

/** One focusable thing on the chart (a bar, a status band or a marker). */
export interface Item {
  id: string;
  laneIndex: number;
  startMs: number;
  endMs: number;
  /** Horizontal centre in pixels, for moving between lanes. */
  cx: number;
  el: SVGGElement;
  source: SourceRef;
  segment?: TimelineSegment;
  marker?: TimelineMarker;
  lane: TimelineLane;
  /** Extra tooltip lines computed here (holds and pauses known only as totals). */
  extra: string[];
}

export interface Rendered {
  items: Item[];
  /** Items per lane, in time order (what Left/Right walk through). */
  byLane: Item[][];
  height: number;
  plotX0: number;
  plotX1: number;
}

export type Measure = (text: string, cls: 'bar-label' | 'status-label' | 'lane-title' | 'lane-subtitle' | 'legend-label') => number;

/** Width of the lane headings: narrower in a narrow panel, so the time axis keeps most of it. */
const gutterFor = (width: number) => Math.round(Math.min(230, Math.max(140, width * 0.24)));
const AXIS_H = 46;
const LANE_H = 42;
const RIGHT_PAD = 16;
const STUB_W = 16; // open-ended bars: a hatched stub of this width after the last known time
const INSTANT = 6; // half-size of the diamond drawn for an instant

const SEVERITY_RANK: Record<string, number> = { error: 3, warning: 2, information: 1, hint: 0 };

export const KIND_LABEL: Record<string, string> = {
  initiation: 'Initiation (flow)',
  queue: 'In queue',
  incoming: 'Incoming (callback)',
  pending: 'Pending (callback)',
  connecting: 'Connecting',
  connected: 'Connected',
  hold: 'On hold',
  paused: 'Paused',
  acw: 'After-contact work',
  missed: 'Missed',
  rejected: 'Rejected',
  error: 'Error',
  disconnect: 'Disconnect',
  missing: 'Missing from the dumps',
  'flow-block': 'Flow block',
  'flow-failed': 'Flow block failed',
  external: 'External party (after the agent left)',
  other: 'Other state',
};

const STATUS_LABEL: Record<string, string> = {
  routable: 'Agent status: routable',
  custom: 'Agent status: custom',
  offline: 'Agent status: offline',
  unknown: 'Agent status',
};

const MARKER_LABEL: Record<string, string> = {
  transfer: 'Transfer',
  callback: 'Queued callback',
  related: 'Related contact',
  link: 'Linked contact',
  event: 'Contact event (EventBridge)',
};

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined>, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  parent?.appendChild(el);
  return el;
}

function text(parent: Element, x: number, y: number, value: string, cls: string, attrs: Record<string, string | number> = {}): SVGTextElement {
  const t = svg('text', { x, y, class: cls, ...attrs }, parent);
  t.textContent = value;
  return t;
}

/** Cuts `value` to fit `maxPx`, ending with an ellipsis. */
function fit(value: string, maxPx: number, measure: Measure, cls: Parameters<Measure>[1]): string {
  if (measure(value, cls) <= maxPx) return value;
  let lo = 0;
  let hi = value.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(value.slice(0, mid) + '…', cls) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : value.slice(0, lo) + '…';
}

export function statusClass(seg: TimelineSegment): string {
  const t = (seg.statusType ?? '').toLowerCase();
  return t === 'routable' || t === 'custom' || t === 'offline' ? t : 'unknown';
}

function worstSeverity(findings: TimelineFinding[]): string {
  return findings.reduce((w, f) => ((SEVERITY_RANK[f.severity] ?? 0) > (SEVERITY_RANK[w] ?? 0) ? f.severity : w), 'hint');
}

export function segmentAriaLabel(seg: TimelineSegment, zone: { offsetMinutes: number; label: string }): string {
  const start = `${formatClock(Date.parse(seg.start), zone.offsetMinutes)} ${zone.label}`;
  const duration = seg.openEnd
    ? seg.durationMs > 0
      ? `at least ${formatDuration(seg.durationMs)}, end not in the dumps`
      : 'end not in the dumps'
    : seg.durationMs === 0
      ? 'instant'
      : formatDuration(seg.durationMs);
  const what = seg.kind === 'missing' ? `Missing: ${seg.label}` : seg.kind === 'agent-status' ? `Status ${seg.label}` : seg.label;
  const findings = seg.findings?.length ? `, ${seg.findings.length} finding${seg.findings.length > 1 ? 's' : ''}` : '';
  return `${what}, ${start}, ${duration}${findings}`;
}

function tallyText(kind: 'hold' | 'pause', t: NonNullable<TimelineLane['holds']>): string | undefined {
  if (!t.count && !t.totalMs) return undefined;
  const n = t.count ?? 0;
  const noun = kind === 'hold' ? (n === 1 ? 'hold' : 'holds') : n === 1 ? 'pause' : 'pauses';
  const parts = [t.count !== undefined ? `${n} ${noun}` : kind === 'hold' ? 'holds' : 'pauses'];
  if (t.totalMs !== undefined) parts.push(formatDuration(t.totalMs));
  return parts.join(' · ');
}

export function render(root: SVGSVGElement, model: TimelineModel, view: View, width: number, measure: Measure): Rendered {
  while (root.firstChild) root.removeChild(root.firstChild);
  const zone = model.summary.timeZone;
  const GUTTER = gutterFor(width);
  const plotX0 = GUTTER;
  const plotX1 = Math.max(plotX0 + 100, width - RIGHT_PAD);
  const span = Math.max(1, view.t1 - view.t0);
  const x = (ms: number) => plotX0 + ((ms - view.t0) / span) * (plotX1 - plotX0);
  const lanesTop = AXIS_H;
  const lanesBottom = lanesTop + model.lanes.length * LANE_H;

  // Patterns, arrow heads and the plot clip.
  const defs = svg('defs', {}, root);
  const hatch = svg('pattern', { id: 'tl-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
  svg('rect', { width: 6, height: 6, class: 'hatch-bg' }, hatch);
  svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }, hatch);
  const arrow = svg('marker', { id: 'tl-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }, arrow);
  const clip = svg('clipPath', { id: 'tl-plot-clip' }, defs);
  svg('rect', { x: plotX0, y: 0, width: plotX1 - plotX0, height: lanesBottom + 4 }, clip);

  // Lane backgrounds first, so the grid lines stay visible on top of them.
  const backs = svg('g', { class: 'lane-backgrounds', 'aria-hidden': 'true' }, root);
  model.lanes.forEach((lane, i) => {
    const top = lanesTop + i * LANE_H;
    svg('rect', { x: 0, y: top, width: plotX1, height: LANE_H, class: `lane-bg ${i % 2 ? 'odd' : 'even'}` }, backs);
    if (i > 0 && lane.kind === 'agent' && model.lanes[i - 1].kind !== 'agent') {
      svg('line', { x1: 0, y1: top, x2: plotX1, y2: top, class: 'group-separator' }, backs);
    }
  });

  // Axis: ticks in the dump's zone, grid lines through every lane.
  const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' }, root);
  text(axis, 8, 20, `Time (${zone.label})`, 'axis-caption');
  svg('line', { x1: plotX0, y1: AXIS_H - 1, x2: plotX1, y2: AXIS_H - 1, class: 'axis-line' }, axis);
  for (const tick of ticks(view.t0, view.t1, plotX1 - plotX0, zone.offsetMinutes)) {
    const tx = x(tick.ms);
    svg('line', { x1: tx, y1: AXIS_H - 6, x2: tx, y2: lanesBottom, class: 'grid' }, axis);
    text(axis, tx, AXIS_H - 10, tick.label, 'tick-label', { 'text-anchor': 'middle' });
    if (tick.date) text(axis, tx, 14, tick.date, 'tick-date', { 'text-anchor': 'middle' });
  }

  const items: Item[] = [];
  const byLane: Item[][] = [];
  const lanesGroup = svg('g', { class: 'lanes' }, root);

  model.lanes.forEach((lane, laneIndex) => {
    const top = lanesTop + laneIndex * LANE_H;
    const g = svg('g', { class: `lane lane-${lane.kind}`, role: 'group', 'data-lane-id': lane.id, 'data-lane-kind': lane.kind }, lanesGroup);
    g.setAttribute('aria-label', `${lane.title}${lane.chainLabel ? `, ${lane.chainLabel}` : ''}${lane.subtitle ? `, ${lane.subtitle}` : ''}`);
    // The heading is cut to the gutter; the full text is in its <title> (a hover tooltip).
    const head = svg('g', { class: 'lane-head' }, g);
    const full = svg('title', {}, head);
    // A leg's chain label (transfer, consult, ...) right after "Leg N", where a narrow gutter still shows it.
    const [head0, ...rest] = lane.title.split(' · ');
    const title = lane.chainLabel ? [head0, lane.chainLabel, ...rest].join(' · ') : lane.title;
    full.textContent = [title, lane.subtitle, ...(lane.notes ?? [])].filter(Boolean).join('\n');
    text(head, 8, top + 17, fit(title, GUTTER - 16, measure, 'lane-title'), 'lane-title');
    if (lane.subtitle) text(head, 8, top + 32, fit(lane.subtitle, GUTTER - 16, measure, 'lane-subtitle'), 'lane-subtitle');
    if (lane.notes?.length) {
      const note = text(g, GUTTER - 14, top + 17, '⚠', 'lane-note', { 'text-anchor': 'middle' });
      const nt = svg('title', {}, note);
      nt.textContent = lane.notes.join('\n');
    }

    const plot = svg('g', { class: 'plot', 'clip-path': 'url(#tl-plot-clip)' }, g);
    const laneItems: Item[] = [];
    // One finding marker per record and lane (on its first bar), not one per bar: a contact
    // record gives a leg all its bars. Every bar still names the findings to screen readers.
    // The marker goes on the record's first bar wide enough to show it, else its first bar.
    const markOn = new Map<string, string>();
    for (const seg of lane.segments) {
      if (!seg.findings?.length) continue;
      const key = `${seg.source.uri}#${seg.source.start}`;
      const wide = x(Date.parse(seg.end)) - x(Date.parse(seg.start)) >= 16;
      const chosen = markOn.get(key);
      if (chosen === undefined) markOn.set(key, wide ? seg.id : `?${seg.id}`);
      else if (chosen.startsWith('?') && wide) markOn.set(key, seg.id);
    }
    const markIds = new Set([...markOn.values()].map((id) => id.replace(/^\?/, '')));
    const draw = (seg: TimelineSegment, background: boolean): void => {
      const markFindings = !background && markIds.has(seg.id);
      // Agent lanes: the status band fills the row, its name sits above the state bars.
      // An external party's span overlaps the leg's after-contact work (the agent left): a band under the bars.
      const external = seg.kind === 'external';
      const y = background ? top + 2 : external ? top + 33 : lane.kind === 'agent' ? top + 15 : top + 9;
      const h = background ? LANE_H - 4 : external ? 7 : lane.kind === 'agent' ? 21 : 24;
      const extra: string[] = [];
      let tally: string | undefined;
      if (lane.kind === 'leg' && seg.kind === 'connected') {
        const holds = lane.holds && tallyText('hold', lane.holds);
        if (holds) extra.push(`Holds: ${holds} (from ${lane.holds!.from === 'contact-record' ? 'the contact record; times not known' : 'agent events'})`);
        const pauses = lane.pauses && tallyText('pause', lane.pauses);
        if (pauses) extra.push(`Pauses: ${pauses} (from ${lane.pauses!.from === 'contact-record' ? 'the contact record; times not known' : 'agent events'})`);
        // Totals known only from the contact record have no times: they go on the connected bar.
        tally =
          [lane.holds?.from === 'contact-record' ? holds : undefined, lane.pauses?.from === 'contact-record' ? pauses : undefined]
            .filter(Boolean)
            .join(' · ') || undefined;
      }
      const item = drawSegment(plot, seg, laneIndex, y, h, background, x, plotX0, plotX1, measure, zone, extra, tally, lane, markFindings);
      laneItems.push(item);
    };
    for (const seg of lane.background ?? []) draw(seg, true);
    for (const seg of lane.segments) draw(seg, false);
    byLane.push(laneItems);
  });

  // Links between legs.
  const markersGroup = svg('g', { class: 'markers', 'clip-path': 'url(#tl-plot-clip)' }, root);
  for (const marker of model.markers) {
    const from = model.lanes.findIndex((l) => l.id === marker.fromLaneId);
    const to = model.lanes.findIndex((l) => l.id === marker.toLaneId);
    if (from < 0 || to < 0) continue;
    const at = Date.parse(marker.at);
    const mx = x(at);
    if (marker.kind === 'event') {
      byLane[from]?.push(drawEventMarker(markersGroup, marker, model.lanes[from], from, mx, at, lanesTop + from * LANE_H, zone));
      continue;
    }
    const y0 = lanesTop + from * LANE_H + LANE_H / 2;
    const y1 = lanesTop + to * LANE_H + (to > from ? 7 : LANE_H - 7);
    const g = svg(
      'g',
      {
        class: `marker kind-${marker.kind}`,
        tabindex: 0,
        role: 'button',
        'data-marker-id': marker.id,
        'data-kind': marker.kind,
      },
      markersGroup,
    );
    g.setAttribute(
      'aria-label',
      `${marker.label}, ${formatClock(at, zone.offsetMinutes)} ${zone.label}, from ${model.lanes[from].title} to ${model.lanes[to].title}`,
    );
    svg('line', { x1: mx, y1: y0, x2: mx, y2: y1, class: 'marker-line', 'marker-end': 'url(#tl-arrow)' }, g);
    svg('circle', { cx: mx, cy: y0, r: 5, class: 'marker-handle shape' }, g);
    svg('circle', { cx: mx, cy: y0, r: 8, class: 'focus-ring' }, g);
    const item: Item = {
      id: marker.id,
      laneIndex: to,
      startMs: at,
      endMs: at,
      cx: mx,
      el: g,
      source: marker.source,
      marker,
      lane: model.lanes[to],
      extra: [],
    };
    byLane[to]?.push(item);
  }

  for (const list of byLane) {
    list.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
    items.push(...list);
  }

  const legendTop = lanesBottom + 14;
  const legendHeight = drawLegend(root, model, legendTop, width, measure);
  const height = legendTop + legendHeight + 8;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { items, byLane, height, plotX0, plotX1 };
}

/** An EventBridge contact event: a tick across its leg's lane with a flag on top, named by its type. */
function drawEventMarker(
  parent: SVGGElement,
  marker: TimelineMarker,
  lane: TimelineLane,
  laneIndex: number,
  mx: number,
  at: number,
  top: number,
  zone: { offsetMinutes: number; label: string },
): Item {
  const g = svg('g', { class: 'marker kind-event', tabindex: 0, role: 'button', 'data-marker-id': marker.id, 'data-kind': 'event' }, parent);
  g.setAttribute('aria-label', `Contact event ${marker.label}, ${formatClock(at, zone.offsetMinutes)} ${zone.label}, on ${lane.title}`);
  svg('line', { x1: mx, y1: top + 3, x2: mx, y2: top + LANE_H - 3, class: 'event-tick' }, g);
  svg('path', { d: `M${mx - 4},${top + 1} L${mx + 4},${top + 1} L${mx},${top + 7} z`, class: 'event-flag shape' }, g);
  svg('rect', { x: mx - 6, y: top, width: 12, height: LANE_H, rx: 3, class: 'focus-ring' }, g);
  return { id: marker.id, laneIndex, startMs: at, endMs: at, cx: mx, el: g, source: marker.source, marker, lane, extra: [] };
}

function drawSegment(
  parent: SVGGElement,
  seg: TimelineSegment,
  laneIndex: number,
  y: number,
  h: number,
  background: boolean,
  x: (ms: number) => number,
  plotX0: number,
  plotX1: number,
  measure: Measure,
  zone: { offsetMinutes: number; label: string },
  extra: string[],
  tally: string | undefined,
  lane: TimelineLane,
  markFindings: boolean,
): Item {
  const startMs = Date.parse(seg.start);
  const endMs = Date.parse(seg.end);
  const x0 = x(startMs);
  const x1 = x(endMs);
  const classes = ['bar', `kind-${seg.kind}`];
  if (background) classes.push('status', `status-${statusClass(seg)}`);
  if (seg.openEnd) classes.push('open-end');
  const g = svg('g', { class: classes.join(' '), tabindex: 0, role: 'button', 'data-seg-id': seg.id, 'data-kind': seg.kind }, parent);
  g.setAttribute('aria-label', segmentAriaLabel(seg, zone) + (tally ? `, ${tally}` : ''));
  g.setAttribute('data-start', seg.start);
  g.setAttribute('data-end', seg.end);

  const instant = seg.durationMs === 0 && !seg.openEnd;
  let left: number;
  let right: number;
  if (instant) {
    const cy = y + h / 2;
    svg('path', { d: `M${x0},${cy - INSTANT - 2} L${x0 + INSTANT},${cy} L${x0},${cy + INSTANT + 2} L${x0 - INSTANT},${cy} z`, class: 'shape instant' }, g);
    left = x0 - INSTANT;
    right = x0 + INSTANT;
  } else {
    const w = Math.max(2, x1 - x0);
    if (x1 - x0 > 0 || !seg.openEnd) svg('rect', { x: x0, y, width: w, height: h, rx: background ? 0 : 2, class: 'shape' }, g);
    left = x0;
    right = x0 + (x1 - x0 > 0 || !seg.openEnd ? w : 0);
    if (seg.openEnd) {
      svg('rect', { x: right, y, width: STUB_W, height: h, class: 'shape open-stub' }, g);
      right += STUB_W;
    }
  }
  svg('rect', { x: left - 2, y: y - 2, width: right - left + 4, height: h + 4, rx: 3, class: 'focus-ring' }, g);

  // A label inside the bar when it fits in the visible part.
  if (!instant) {
    const visibleLeft = Math.max(left, plotX0);
    const visibleRight = Math.min(right, plotX1);
    const room = visibleRight - visibleLeft - 8;
    const duration = seg.openEnd ? '' : formatDuration(seg.durationMs);
    const withDuration = duration ? `${seg.label} · ${duration}` : seg.label;
    const candidates = background ? [seg.label] : [tally ? `${withDuration} · ${tally}` : '', withDuration, seg.label, duration];
    const label = candidates.find((c) => c && measure(c, background ? 'status-label' : 'bar-label') <= room);
    if (label && background) text(g, visibleLeft + 4, y + 7, label, 'status-label', { 'dominant-baseline': 'central' });
    else if (label) text(g, visibleLeft + 4, y + h / 2, label, 'bar-label', { 'dominant-baseline': 'central' });
  }

  if (seg.findings?.length && markFindings) {
    const fx = Math.min(Math.max(left + 7, plotX0 + 7), plotX1 - 7);
    const sev = worstSeverity(seg.findings);
    const c = svg('circle', { cx: fx, cy: y + 1, r: 5, class: `finding sev-${sev}` }, g);
    c.setAttribute('data-finding-count', String(seg.findings.length));
  }

  return {
    id: seg.id,
    laneIndex,
    startMs,
    endMs,
    cx: (left + right) / 2,
    el: g,
    source: seg.source,
    segment: seg,
    lane,
    extra,
  };
}

function drawLegend(root: SVGSVGElement, model: TimelineModel, top: number, width: number, measure: Measure): number {
  const entries: { cls: string; label: string; shape: 'rect' | 'circle' | 'line' }[] = [];
  const kinds = new Set<string>();
  const statuses = new Set<string>();
  const severities = new Set<string>();
  let open = false;
  for (const lane of model.lanes) {
    for (const s of lane.segments) {
      kinds.add(s.kind);
      if (s.openEnd) open = true;
      for (const f of s.findings ?? []) severities.add(f.severity);
    }
    for (const s of lane.background ?? []) statuses.add(statusClass(s));
  }
  for (const k of Object.keys(KIND_LABEL)) if (kinds.has(k)) entries.push({ cls: `kind-${k}`, label: KIND_LABEL[k], shape: 'rect' });
  if (open) entries.push({ cls: 'open-end', label: 'End not in the dumps', shape: 'rect' });
  for (const s of ['routable', 'custom', 'offline', 'unknown'])
    if (statuses.has(s)) entries.push({ cls: `status status-${s}`, label: STATUS_LABEL[s], shape: 'rect' });
  for (const k of Object.keys(MARKER_LABEL))
    if (model.markers.some((m) => m.kind === k)) entries.push({ cls: `link kind-${k}`, label: MARKER_LABEL[k], shape: 'line' });
  for (const s of ['error', 'warning', 'information', 'hint'])
    if (severities.has(s)) entries.push({ cls: `finding sev-${s}`, label: `Finding: ${s}`, shape: 'circle' });

  const g = svg('g', { class: 'legend', role: 'list', 'aria-label': 'Legend' }, root);
  let lx = 8;
  let ly = top;
  const rowH = 20;
  for (const e of entries) {
    const w = 18 + measure(e.label, 'legend-label') + 18;
    if (lx + w > width - 8 && lx > 8) {
      lx = 8;
      ly += rowH;
    }
    const item = svg('g', { class: 'legend-item', role: 'listitem' }, g);
    // The swatch carries the entry's classes (in a group, so `.kind-x .shape` rules apply); the label does not.
    const swatch = svg('g', { class: e.cls }, item);
    if (e.shape === 'rect') {
      svg('rect', { x: lx, y: ly + 2, width: 12, height: 12, rx: 2, class: e.cls.includes('open-end') ? 'shape open-stub' : 'shape' }, swatch);
    } else if (e.shape === 'circle') {
      swatch.setAttribute('class', 'legend-swatch');
      svg('circle', { cx: lx + 6, cy: ly + 8, r: 5, class: e.cls }, swatch);
    } else {
      svg('line', { x1: lx + 6, y1: ly, x2: lx + 6, y2: ly + 15, class: 'marker-line', 'marker-end': 'url(#tl-arrow)' }, swatch);
    }
    text(item, lx + 18, ly + 8, e.label, 'legend-label', { 'dominant-baseline': 'central' });
    lx += w;
  }
  return entries.length ? ly - top + rowH : 0;
}
