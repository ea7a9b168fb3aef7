// Export of the drawn timeline: the SVG is the DOM itself, with the theme colours (which
// live in CSS variables) resolved into presentation attributes so the file stands alone.
// No style attributes are written: the panel's CSP forbids inline styles.

import { SVG_NS } from './render';

const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'display',
] as const;

const DROP_ATTRS = [
  'tabindex',
  'class',
  'role',
  'data-seg-id',
  'data-marker-id',
  'data-start',
  'data-end',
  'data-kind',
  'data-lane-id',
  'data-lane-kind',
  'data-finding-count',
];

export interface ExportHeader {
  lines: string[];
  background: string;
  foreground: string;
  fontFamily: string;
}

export function serializeSvg(source: SVGSVGElement, header: ExportHeader): string {
  const clone = source.cloneNode(true) as SVGSVGElement;
  const from = [source, ...Array.from(source.querySelectorAll('*'))];
  const to = [clone, ...Array.from(clone.querySelectorAll('*'))];
  for (let i = 0; i < from.length; i++) {
    const cs = getComputedStyle(from[i]);
    const el = to[i];
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (!v) continue;
      if (p === 'display') {
        if (v === 'none') el.setAttribute('display', 'none');
      } else if (el.tagName !== 'svg') {
        el.setAttribute(p, v);
      }
    }
    for (const a of DROP_ATTRS) el.removeAttribute(a);
  }
  // Focus rings are invisible unless focused; leave them out of the file altogether.
  for (const ring of Array.from(clone.querySelectorAll('[display="none"]'))) ring.remove();

  const width = Number(source.getAttribute('width')) || source.clientWidth;
  const height = Number(source.getAttribute('height')) || source.clientHeight;
  const headerH = 16 + header.lines.length * 18;
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height + headerH));
  out.setAttribute('viewBox', `0 0 ${width} ${height + headerH}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', header.background);
  out.appendChild(bg);
  header.lines.forEach((line, i) => {
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '8');
    t.setAttribute('y', String(20 + i * 18));
    t.setAttribute('fill', header.foreground);
    t.setAttribute('font-family', header.fontFamily);
    t.setAttribute('font-size', i === 0 ? '14px' : '12px');
    if (i === 0) t.setAttribute('font-weight', 'bold');
    t.textContent = line;
    out.appendChild(t);
  });
  const body = document.createElementNS(SVG_NS, 'g');
  body.setAttribute('transform', `translate(0 ${headerH})`);
  while (clone.firstChild) body.appendChild(clone.firstChild);
  out.appendChild(body);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out);
}

/** Rasterises the exported SVG at `scale` and returns a PNG data URL. */
export function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = Math.ceil(width * scale);
        canvas.height = Math.ceil(height * scale);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2D canvas');
        ctx.scale(scale, scale);
        ctx.drawImage(img, 0, 0, width, height);
        resolve(canvas.toDataURL('image/png'));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    img.onerror = () => reject(new Error('the SVG could not be rasterised'));
    // A data: URL (allowed by the panel's img-src), not a blob: URL.
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText);
  });
}
