// Runs the built webview bundle (dist/webview.js) in headless Chromium inside a page set up
// like the real panel: a strict nonce CSP, the stylesheet from media/, and a fake
// acquireVsCodeApi that records what the webview posts. Everything is served from an
// intercepted origin, so no request leaves the machine.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseDump } from '../../server/src/core/dump';
import { buildTimeline } from '../../server/src/core/timeline';
import type { TimelineModel } from '../../server/src/shared/timeline';
import type { Scenario } from './fixtures';

export const ROOT = resolve(__dirname, '../..');
export const BUNDLE = join(ROOT, 'dist/webview.js');
export const SCREENSHOTS = join(ROOT, '.test-output/screenshots');
const ORIGIN = 'https://webview.test';
const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/webview.js (same options as esbuild.mjs) when it is missing or older than its sources. */
export async function ensureBundle(): Promise<void> {
  const sources = Math.max(newestMtime(join(ROOT, 'client/src/webview')), statSync(join(ROOT, 'server/src/shared/timeline.ts')).mtimeMs);
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  await build({
    entryPoints: [join(ROOT, 'client/src/webview/main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type Theme = 'light' | 'dark' | 'high-contrast';

// Approximations of VS Code's Light Modern, Dark Modern and Dark High Contrast values for
// the variables the stylesheet uses; in VS Code the host injects the real ones.
const THEMES: Record<Theme, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'editor-background': '#ffffff',
      foreground: '#3b3b3b',
      descriptionForeground: '#717171',
      disabledForeground: 'rgba(97, 97, 97, 0.5)',
      errorForeground: '#f85149',
      focusBorder: '#005fb8',
      'widget-border': '#e5e5e5',
      'widget-shadow': 'rgba(0, 0, 0, 0.16)',
      'charts-foreground': '#616161',
      'charts-lines': 'rgba(97, 97, 97, 0.5)',
      'charts-red': '#e51400',
      'charts-blue': '#1a85ff',
      'charts-yellow': '#bf8803',
      'charts-orange': '#d18616',
      'charts-green': '#388a34',
      'charts-purple': '#652d90',
      'terminal-ansiCyan': '#0598bc',
      'terminal-ansiMagenta': '#bc05bc',
      'terminal-ansiBrightMagenta': '#bc05bc',
      'editorError-foreground': '#e51400',
      'editorWarning-foreground': '#bf8803',
      'editorInfo-foreground': '#1a85ff',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'list-hoverBackground': '#f2f2f2',
      'editorIndentGuide-background': '#d3d3d3',
      'editorHoverWidget-background': '#f8f8f8',
      'editorHoverWidget-foreground': '#3b3b3b',
      'editorHoverWidget-border': '#c8c8c8',
      'textLink-foreground': '#005fb8',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      disabledForeground: 'rgba(204, 204, 204, 0.5)',
      errorForeground: '#f85149',
      focusBorder: '#0078d4',
      'widget-border': '#313131',
      'widget-shadow': 'rgba(0, 0, 0, 0.36)',
      'charts-foreground': '#cccccc',
      'charts-lines': 'rgba(204, 204, 204, 0.5)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#cca700',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
      'terminal-ansiCyan': '#11a8cd',
      'terminal-ansiMagenta': '#bc3fbc',
      'terminal-ansiBrightMagenta': '#d670d6',
      'editorError-foreground': '#f14c4c',
      'editorWarning-foreground': '#cca700',
      'editorInfo-foreground': '#3794ff',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'list-hoverBackground': '#2a2d2e',
      'editorIndentGuide-background': '#404040',
      'editorHoverWidget-background': '#202020',
      'editorHoverWidget-foreground': '#cccccc',
      'editorHoverWidget-border': '#454545',
      'textLink-foreground': '#4daafc',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000',
      foreground: '#ffffff',
      descriptionForeground: 'rgba(255, 255, 255, 0.7)',
      disabledForeground: '#a5a5a5',
      errorForeground: '#f48771',
      focusBorder: '#f38518',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'widget-border': '#6fc3df',
      'charts-foreground': '#ffffff',
      'charts-lines': 'rgba(255, 255, 255, 0.5)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#cca700',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
      'terminal-ansiCyan': '#00ffff',
      'terminal-ansiMagenta': '#ff00ff',
      'terminal-ansiBrightMagenta': '#ff00ff',
      'editorError-foreground': '#f48771',
      'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'editorIndentGuide-background': '#ffffff',
      'editorHoverWidget-background': '#0c141f',
      'editorHoverWidget-foreground': '#ffffff',
      'editorHoverWidget-border': '#6fc3df',
      'textLink-foreground': '#21a6ff',
    },
  },
};

function themeCss(theme: Theme): string {
  const decls = Object.entries(THEMES[theme].vars).map(([k, v]) => `  --vscode-${k}: ${v};`);
  decls.push(
    `  --vscode-font-family: "DejaVu Sans", system-ui, sans-serif;`,
    `  --vscode-font-size: 13px;`,
    `  --vscode-editor-font-family: "DejaVu Sans Mono", monospace;`,
  );
  return `:root {\n${decls.join('\n')}\n}\n`;
}

export interface OpenOptions {
  theme?: Theme;
  width?: number;
  height?: number;
  /** What getState() returns at start (a reload of the panel). */
  state?: unknown;
}

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted to the "extension", in order. */
  posted(): Promise<unknown[]>;
  state(): Promise<unknown>;
  send(message: unknown): Promise<void>;
  dialogs: string[];
  pageErrors: string[];
  /** Requests that tried to leave the served files (an injected <img src=x> would show here). */
  strayRequests: string[];
  cspViolations(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWebview(browser: Browser, opts: OpenOptions = {}): Promise<WebviewPage> {
  const theme = opts.theme ?? 'light';
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1100, height: opts.height ?? 640 } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const strayRequests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (process.env.TL_DEBUG) page.on('console', (m) => console.error(`[webview ${m.type()}] ${m.text()}`));

  const csp = [`default-src 'none'`, `img-src ${ORIGIN} data:`, `style-src ${ORIGIN}`, `script-src 'nonce-${NONCE}'`].join('; ');
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/theme.css"><link rel="stylesheet" href="${ORIGIN}/media/timeline.css">
<title>Contact Timeline</title></head>
<body class="${THEMES[theme].bodyClass}"><div id="app" role="application" aria-label="Contact timeline"></div>
<script nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script></body></html>`;
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/index.html': { type: 'text/html', body: html },
    '/theme.css': { type: 'text/css', body: themeCss(theme) },
    '/media/timeline.css': { type: 'text/css', body: readFileSync(join(ROOT, 'media/timeline.css')) },
    '/dist/webview.js': { type: 'text/javascript', body: readFileSync(BUNDLE) },
  };
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    if (!file && url.href === `${ORIGIN}/favicon.ico`) return route.fulfill({ status: 404, body: '' }); // the browser's own request
    if (!file) {
      strayRequests.push(route.request().url());
      return route.abort();
    }
    return route.fulfill({ status: 200, contentType: file.type, body: file.body });
  });
  // VS Code provides acquireVsCodeApi from outside the page's own scripts; so does this.
  // (A string, not a function: tsx would add helpers the page does not have.)
  await page.addInitScript(`(() => {
    const posted = [];
    const violations = [];
    let state = ${JSON.stringify(opts.state ?? null)};
    let acquired = false;
    window.__posted = posted;
    window.__violations = violations;
    window.getStateForTest = () => state;
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return Object.freeze({
        postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
        getState: () => state,
        setState: (s) => { state = JSON.parse(JSON.stringify(s)); return s; },
      });
    };
  })();`);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => ((window as unknown as { __posted: unknown[] }).__posted ?? []).length > 0);

  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.slice()),
    state: () => page.evaluate(() => (window as unknown as { getStateForTest: () => unknown }).getStateForTest()),
    send: async (message) => {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      // A task queued after the message event, then a frame: the drawing has settled.
      await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => r(undefined)), 0)));
    },
    dialogs,
    pageErrors,
    strayRequests,
    cspViolations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.slice()),
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `timeline-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => context.close(),
  };
}

export function modelOf(sc: Scenario, contactId = sc.contactId): TimelineModel {
  const dumps = Object.entries(sc.files).map(([uri, text]) => parseDump(uri, text));
  const model = buildTimeline(contactId, dumps);
  if (!model) throw new Error(`no timeline for ${contactId}`);
  return model;
}

/**
 * One browser for the enclosing describe(): launched before its tests, closed after them,
 * after checking that nothing any test did broke the CSP, threw, opened a dialog or
 * requested a file outside the served ones. Returns the function that opens a webview page.
 */
export function useWebviewBrowser(): (opts?: OpenOptions) => Promise<WebviewPage> {
  let browser: Browser;
  const opened: WebviewPage[] = [];
  before(async () => {
    await ensureBundle();
    browser = await launch();
  });
  after(async () => {
    for (const w of opened) {
      assert.deepEqual(await w.cspViolations(), [], 'no CSP violations');
      assert.deepEqual(w.pageErrors, [], 'no page errors');
      assert.deepEqual(w.dialogs, [], 'no dialogs');
      assert.deepEqual(w.strayRequests, [], 'no requests outside the served files');
      await w.close();
    }
    await browser?.close();
  });
  return async (opts = {}) => {
    const w = await openWebview(browser, opts);
    opened.push(w);
    return w;
  };
}
