#!/usr/bin/env node
// @ts-check
// End-to-end run in a real VS Code: code-server (VS Code's workbench and Node extension host)
// in headless Chromium. Installs the packaged .vsix — what users install — plus a test-only
// harness extension that runs test/e2e/suite inside the extension host, then drives the UI
// with Playwright like a user and saves screenshots.
//
//   node test/e2e/run.mjs                   # npm run package, then test connect-event-inspector.vsix
//   CEI_E2E_VSIX=path.vsix node test/e2e/run.mjs      # test an existing package
//   CEI_E2E_STANDIN=1 node test/e2e/run.mjs # self-check of the harness with the stand-in extension
//   CEI_E2E_FILTER=regex                    # run only the suite tests whose names match
//   CEI_E2E_TIMEOUT_MS=360000               # hard limit once the tools are there (default 6 min)
//   CEI_E2E_SETUP_TIMEOUT_MS=900000         # hard limit for packaging + first-time tool install
//   CEI_E2E_KEEP=1                          # keep the temp workspace and print its path
//   CEI_E2E_HOST=code-server|electron       # force the host (default: lib/host.mjs decides)
//
// Where code-server's tools cannot be installed (macOS, Windows, non-root Linux, no apt),
// the same suite runs under @vscode/test-electron instead (runElectron.mjs); the first line
// printed names the host and why.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2eTools } from '../../scripts/e2e-setup.mjs';
import { codeServerProfile, freePort, packageProduct, PRODUCT_ID, run, sleep, stopProcessGroup, waitFor, waitForHealthy } from './lib/codeServer.mjs';
import { e2eHost } from './lib/host.mjs';
import { LARGE_DUMP, LARGE_GZ_DUMP, writeLargeDump } from './lib/largeDump.mjs';
import { packVsix } from './lib/vsix.mjs';
import { workbench } from './lib/workbench.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const OUT = join(ROOT, '.test-output', 'e2e');
const SHOTS = join(ROOT, '.test-output', 'screenshots');
const STANDIN = process.env.CEI_E2E_STANDIN === '1';
const HARD_TIMEOUT_MS = Number(process.env.CEI_E2E_TIMEOUT_MS ?? 6 * 60_000);
const t0 = Date.now();

const host = e2eHost();
if (host.host === 'electron') {
  console.log(`[e2e] host: @vscode/test-electron (${host.reason})`);
  const r = spawnSync(process.execPath, [join(HERE, 'runElectron.mjs')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
console.log(`[e2e] host: code-server + headless Chromium (${host.reason})`);

/** Everything started here, so every exit path can stop it. */
const state = {
  server: /** @type {import('node:child_process').ChildProcess | undefined} */ (undefined),
  browser: /** @type {import('playwright-core').Browser | undefined} */ (undefined),
  workspace: '',
};

/** @typedef {{ name: string, ok: boolean, error: string | null, ms: number, skipped?: boolean }} TestResult */
/** @typedef {{ passed: number, failed: number, vscodeVersion?: string, tests: TestResult[] }} SuiteResults */
/** @typedef {{ contributes?: { commands?: { command: string, title: string | { value: string }, category?: string | { value: string } }[], views?: Record<string, { id: string, name: string }[]> } }} Manifest */

/** @param {string} msg */
function log(msg) {
  console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

async function cleanup() {
  const browser = state.browser;
  state.browser = undefined;
  if (browser) await Promise.race([browser.close().catch(() => undefined), sleep(5000)]);
  const server = state.server;
  state.server = undefined;
  // code-server runs in its own process group (detached): stop the group, then force it.
  await stopProcessGroup(server);
  if (state.workspace && process.env.CEI_E2E_KEEP !== '1') rmSync(state.workspace, { recursive: true, force: true });
}

// Two hard limits: installing the tools on a cold machine (minutes, once) and the test run
// itself (code-server + Chromium). Either one stops everything this script started.
const SETUP_TIMEOUT_MS = Number(process.env.CEI_E2E_SETUP_TIMEOUT_MS ?? 15 * 60_000);
/** @type {NodeJS.Timeout | undefined} */
let hardTimer;
/**
 * @param {number} ms
 * @param {string} what
 */
function armHardTimeout(ms, what) {
  clearTimeout(hardTimer);
  hardTimer = setTimeout(() => {
    console.error(`[e2e] hard timeout: ${what} took over ${ms / 1000} s; stopping code-server and Chromium`);
    void cleanup().then(() => {
      console.log('e2e: 0 passed, 1 failed');
      process.exit(2);
    });
  }, ms);
}
armHardTimeout(SETUP_TIMEOUT_MS, 'packaging and installing the tools');
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => void cleanup().then(() => process.exit(130)));
}

/** The product under test: the stand-in, a given .vsix, or a fresh `npm run package`. */
function productVsix() {
  if (STANDIN) {
    const fx = join(HERE, 'fixtures', 'standin');
    return packVsix({ files: { 'package.json': join(fx, 'package.json'), 'extension.js': join(fx, 'extension.js') }, out: join(OUT, 'standin.vsix') });
  }
  if (process.env.CEI_E2E_VSIX) {
    const p = resolve(process.env.CEI_E2E_VSIX);
    if (!existsSync(p)) throw new Error(`CEI_E2E_VSIX=${p} does not exist`);
    return p;
  }
  log('npm run package ...');
  return packageProduct(ROOT);
}

function harnessVsix() {
  const h = join(HERE, 'harness');
  return packVsix({
    files: { 'package.json': join(h, 'package.json'), 'extension.js': join(h, 'extension.js'), suite: join(HERE, 'suite') },
    out: join(OUT, 'cei-e2e-harness.vsix'),
  });
}

/**
 * Where the installed product's manifest is, to read command titles for the palette.
 * @param {string} extDir
 * @returns {Manifest}
 */
function installedManifest(extDir) {
  const dir = readdirSync(extDir).find((d) => d.toLowerCase().startsWith(`${PRODUCT_ID}-`));
  if (!dir) throw new Error(`${PRODUCT_ID} is not in ${extDir} after --install-extension`);
  /** @type {unknown} */
  const manifest = JSON.parse(readFileSync(join(extDir, dir, 'package.json'), 'utf8'));
  return /** @type {Manifest} */ (manifest);
}

/**
 * Line/column (1-based) of group 1 of `re` in a file.
 * @param {string} file
 * @param {RegExp} re
 */
function locate(file, re) {
  const text = readFileSync(file, 'utf8');
  const m = re.exec(text);
  if (!m || !m.indices?.[1]) return undefined;
  const off = m.indices[1][0];
  const before = text.slice(0, off);
  const line = before.split('\n').length;
  return { line, column: off - before.lastIndexOf('\n'), value: m[1] };
}

/** @type {TestResult[]} */
const uiResults = [];
/** Error notifications seen in the workbench (an extension's failing command shows up here). */
const errorToasts = new Set();
async function collectErrorToasts() {
  const texts = await page
    .locator('.notification-toast')
    .filter({ has: page.locator('.codicon-error') })
    .allInnerTexts()
    .catch(() => []);
  for (const t of texts) errorToasts.add(t.replace(/\s+/g, ' ').trim());
}

/** The extension's output channel, as the extension host logged it under --user-data-dir. */
function outputChannelLog() {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'Connect Event Inspector.log') found.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  const logs = join(OUT, 'user-data', 'logs');
  if (existsSync(logs)) walk(logs);
  return found.join('\n');
}

/**
 * @param {string} name
 * @param {() => Promise<void>} fn
 */
async function uiStep(name, fn) {
  const start = Date.now();
  try {
    await fn();
    await collectErrorToasts();
    uiResults.push({ name, ok: true, error: null, ms: Date.now() - start });
    log(`ok     UI: ${name}`);
  } catch (err) {
    await collectErrorToasts();
    const error = String(err instanceof Error ? err.message : err)
      .split('\n')
      .slice(0, 6)
      .join('\n');
    uiResults.push({ name, ok: false, error, ms: Date.now() - start });
    log(`FAILED UI: ${name}\n       ${error.split('\n').join('\n       ')}`);
    await shot(`e2e-failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
  }
}

/** Set in main() before any step uses it. @type {import('playwright-core').Page} */
let page = /** @type {any} */ (undefined);
/** The palette, Quick Open, Go to Line and tree actions on `page` (lib/workbench.mjs); set with it. @type {ReturnType<typeof workbench>} */
let wb = /** @type {any} */ (undefined);
/** @type {string[]} */
const shots = [];
/** @param {string} name */
async function shot(name) {
  const p = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: p });
  shots.push(p);
  return p;
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (/^e2e-.*\.png$/.test(f)) rmSync(join(SHOTS, f));

  const vsix = productVsix();
  log(`product package: ${relative(ROOT, vsix) || vsix} (${(statSync(vsix).size / 1024).toFixed(1)} KiB)${STANDIN ? ' [stand-in]' : ''}`);
  const harness = harnessVsix();

  const tools = await ensureE2eTools();
  for (const [what, item] of tools.report) log(`${what} ${item}`);
  armHardTimeout(HARD_TIMEOUT_MS, 'the run in code-server');
  const profile = codeServerProfile(tools, OUT, { settings: !process.env.CEI_E2E_NO_SETTINGS });

  log('installing the product and the harness with --install-extension ...');
  const listed = profile.install([vsix, harness]);
  log(`installed: ${listed.trim().split('\n').join(', ')}`);
  if (!listed.toLowerCase().includes(PRODUCT_ID)) throw new Error(`${PRODUCT_ID} missing after install:\n${listed}`);
  const manifest = installedManifest(profile.extensionsDir);

  const samplesSrc = STANDIN ? join(HERE, 'fixtures', 'samples') : join(ROOT, 'samples');
  if (!existsSync(samplesSrc)) throw new Error(`no samples at ${samplesSrc}`);
  state.workspace = mkdtempSync(join(tmpdir(), 'cei-e2e-ws-'));
  cpSync(samplesSrc, join(state.workspace, 'samples'), { recursive: true });
  if (!STANDIN) {
    const large = writeLargeDump(state.workspace);
    log(`generated ${LARGE_DUMP}: ${(large.bytes / 1048576).toFixed(1)} MB, ${large.records} records, faults ${JSON.stringify(large.faults)}`);
    log(`generated ${LARGE_GZ_DUMP}: ${(large.gzBytes / 1024).toFixed(0)} KB compressed`);
  }

  const results = join(OUT, 'results.json');
  const port = await freePort();
  const serverLog = join(OUT, 'code-server.log');
  log(`starting code-server on 127.0.0.1:${port} (log: ${relative(ROOT, serverLog)})`);
  state.server = profile.start({ port, folder: state.workspace, logFile: serverLog, env: { CEI_E2E_RESULTS: results } });
  /** @type {Promise<string>} */
  const serverExit = new Promise((r) => state.server?.once('exit', (code, sig) => r(`code-server exited (${code ?? sig})`)));
  const base = `http://127.0.0.1:${port}`;
  await waitForHealthy(state.server, base, serverLog);

  const { chromium } = await import('playwright-core');
  state.browser = await chromium.launch({
    executablePath: tools.chromium,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  page = await state.browser.newPage({ viewport: { width: 1400, height: 900 } });
  wb = workbench(page, log);
  /** @type {string[]} */
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${base}/?folder=${encodeURIComponent(state.workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  log('workbench is up; waiting for the suite in the extension host ...');

  // The suite's own results: the harness writes them when it is done.
  const started = `${results}.started`;
  await Promise.race([
    waitFor(() => existsSync(started), 'the harness extension to start (CEI_E2E_RESULTS.started)', 90_000),
    serverExit.then((m) => Promise.reject(new Error(m))),
  ]);
  let shown = 0;
  const showProgress = () => {
    const p = `${results}.progress`;
    if (!existsSync(p)) return;
    const lines = readFileSync(p, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.slice(shown)) log(`  suite: ${line.split('\n')[0]}`);
    shown = lines.length;
  };
  const suite = await Promise.race([
    waitFor(
      () => (showProgress(), existsSync(results) && /** @type {SuiteResults} */ (JSON.parse(readFileSync(results, 'utf8')))),
      'the suite results file',
      4 * 60_000,
    ),
    serverExit.then((m) => Promise.reject(new Error(m))),
  ]);
  log(`suite finished in the extension host (VS Code ${suite.vscodeVersion}): ${suite.passed} passed, ${suite.failed} failed`);
  await shot('e2e-workbench');
  await collectErrorToasts();

  const bail = suite.tests.find((t) => String(t.error ?? '').startsWith('not run:'));
  if (bail) {
    // The extension is not working at all: the UI steps would only time out one by one.
    for (const name of UI_STEPS) uiResults.push({ name, ok: false, error: bail.error, ms: 0 });
  } else {
    await driveUi(manifest);
  }
  if (suite.tests.some((t) => t.ok && /restarted quietly/.test(t.name))) {
    await uiStep('the server restart is reported once in the output channel, not in notifications', async () => {
      const lines = outputChannelLog()
        .split('\n')
        .filter((l) => /The language server stopped unexpectedly; restarting it\./.test(l));
      if (lines.length !== 1) throw new Error(`expected one restart line in the "Connect Event Inspector" output, found ${lines.length}`);
      await collectErrorToasts();
      if (errorToasts.size) throw new Error([...errorToasts].join('\n'));
    });
  }

  return { suite, consoleErrors };
}

const UI_STEPS = [
  'open the faulty dump from the explorer and see its problems counted',
  'hover a contact State value and read the hover widget',
  'run the timeline from the command palette and read the webview, a flow block name included',
  'the timeline explains the contact in its Explain section',
  'open a dump over 10 MB without Open Anyway: the status bar offers the analysis, Problems counts its findings',
  "a finding's contact in Dump File Findings: its timeline, read from the file, draws its bars and explains it; a bar opens the file",
  'open a .gz dump (binary placeholder): the status bar offers the analysis, Problems counts its findings',
  'no error notifications appeared',
];

/**
 * Findings of a file by the product's own CLI, streamed as the extension streams it.
 * @param {string} file
 * @returns {number}
 */
function cliFindingCount(file) {
  const out = run(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'never', file], {
    env: { ...process.env, CONNECT_INSPECT_STREAM_MB: '1' },
    timeout: 120_000,
  });
  /** @type {unknown} */
  const parsed = JSON.parse(out);
  return /** @type {{ files: { diagnostics: unknown[] }[] }} */ (parsed).files.reduce((n, f) => n + f.diagnostics.length, 0);
}

/**
 * The user's view: explorer, Problems, hover, command palette, webview.
 * @param {Manifest} manifest
 */
async function driveUi(manifest) {
  const ws = state.workspace;
  const clean = join(ws, 'samples', 'transfer-chain.jsonl');

  await uiStep(UI_STEPS[0], async () => {
    const explorer = page.locator('.explorer-folders-view');
    if (!(await explorer.isVisible())) await page.keyboard.press('Control+Shift+E');
    await explorer.waitFor({ state: 'visible', timeout: 15_000 });
    for (const name of ['samples', 'faults']) {
      const row = explorer.locator(`.monaco-list-row[aria-label="${name}"]`).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    }
    const file = explorer.locator('.monaco-list-row[aria-label="schema-errors.jsonl"]').first();
    await file.click();
    await page.locator('.tab.active[aria-label*="schema-errors.jsonl"]').first().waitFor({ timeout: 15_000 });
    // The status bar's problems item: wait until it counts at least one error.
    const item = page.locator('[id="status.problems"]').first();
    const label = await waitFor(
      async () => {
        // innerText is "<errors> <warnings>"; aria-label words vary between releases.
        const t = await item.innerText().catch(() => '');
        const n = /\d+/.exec(t);
        return n && Number(n[0]) > 0 ? `${(await item.getAttribute('aria-label')) ?? ''} [${t.replace(/\s+/g, ' ').trim()}]` : undefined;
      },
      'the status bar to count errors',
      45_000,
    );
    log(`status bar problems: ${label}`);
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel .monaco-list-row');
    await markers.first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = await waitFor(
      async () => {
        const t = await page.locator('.markers-panel').innerText();
        // An error of the faulty sample (errors sort first, so it is on screen; VIDEO is a warning now).
        return /24\/11\/2026 13:46:33/.test(t) ? t : undefined;
      },
      'a Problems entry that names the bad LastUpdateTimestamp',
      15_000,
    );
    log(`problems panel: ${text.split('\n').filter(Boolean).slice(0, 6).join(' | ')}`);
    await shot('e2e-problems');
    await page.keyboard.press('Control+Shift+M'); // hide the panel again
  });

  await uiStep(UI_STEPS[1], async () => {
    // A sample that has a contact in state CONNECTED (an agent event or the chain).
    const dir = join(ws, 'samples');
    // Prefer the clean agent-event sample (a faulty one would show its squiggles too).
    const preferred = 'transfer-chain-agent-events.jsonl';
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => /\.jsonl?$/.test(f))
      .sort((a, b) => Number(a !== preferred) - Number(b !== preferred) || a.localeCompare(b));
    let hit;
    for (const f of files) {
      const at = locate(join(dir, f), /"State"\s*:\s*"(CONNECTED)"/d);
      if (at) {
        hit = { f, at };
        break;
      }
    }
    if (!hit) throw new Error('no sample has "State": "CONNECTED"');
    await wb.openByQuickOpen(hit.f.split('/').pop() ?? hit.f);
    await wb.goToLineColumn(hit.at.line, hit.at.column + 3);
    // Point the mouse at the text under the caret (now inside CONNECTED), as a user would.
    let hoverText = '';
    let how = 'mouse';
    const caret = await page
      .locator('.monaco-editor.focused .cursors-layer .cursor')
      .first()
      .boundingBox()
      .catch(() => null);
    if (caret) {
      await page.mouse.move(caret.x + 2, caret.y + caret.height / 2, { steps: 4 });
      hoverText = await readHover(8_000).catch(() => '');
    }
    if (!/accepted/i.test(hoverText)) {
      // Fall back to the keyboard hover at the cursor (Ctrl+K Ctrl+I).
      how = 'keyboard';
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      hoverText = await readHover(15_000);
    }
    log(`hover (${how}) in ${hit.f}:${hit.at.line}: ${hoverText.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (!/accepted/i.test(hoverText)) throw new Error(`hover text does not mention "accepted": ${hoverText.slice(0, 300)}`);
    await shot('e2e-hover');
    await page.keyboard.press('Escape');
  });

  await uiStep(UI_STEPS[2], async () => {
    const cmd = (manifest.contributes?.commands ?? []).find((c) => c.command === 'connectInspector.showTimeline');
    if (!cmd) throw new Error('connectInspector.showTimeline is not contributed in package.json');
    const title = typeof cmd.title === 'string' ? cmd.title : cmd.title?.value;
    const category = typeof cmd.category === 'string' ? cmd.category : cmd.category?.value;
    const label = category ? `${category}: ${title}` : title;
    // The chain's flow logs open beside it: the timeline draws their blocks under each leg.
    await wb.openByQuickOpen('transfer-chain-flow-logs.jsonl');
    await wb.openByQuickOpen('transfer-chain.jsonl');
    const at = locate(clean, /"ContactId"\s*:\s*"([^"]+)"/d);
    if (!at) throw new Error('no ContactId in transfer-chain.jsonl');
    await wb.goToLineColumn(at.line, at.column + 1);
    const tab = page.locator('.tab[aria-label^="Contact Timeline"]').first();
    await wb.runCommandFromPalette({ title: label, id: cmd.command, until: () => tab.isVisible(), untilMs: 30_000 });
    // The panel's content lives two iframes deep; read every frame's text until the
    // contact ID shows up.
    const text = await waitFor(
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const t = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (t.includes(at.value)) return t;
        }
        return undefined;
      },
      `the webview to show contact ${at.value}`,
      30_000,
    );
    log(`webview text: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    // A flow lane under leg 1 names the blocks its flow ran (each bar's accessible name).
    const blocks = await waitFor(
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const names = await f
            .evaluate(() => Array.from(document.querySelectorAll('.lane-flow .bar')).map((e) => e.getAttribute('aria-label') ?? ''))
            .catch(() => []);
          if (names.some((n) => n.startsWith('Look up customer,'))) return names;
        }
        return undefined;
      },
      'a flow lane with the block "Look up customer"',
      30_000,
    );
    log(`flow blocks: ${blocks.slice(0, 4).join(' | ')}`);
    // For a readable picture: hide the side bar and park the mouse where it shows no tooltip.
    await page.keyboard.press('Control+B');
    await page
      .locator('.explorer-folders-view')
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => undefined);
    await page.mouse.move(300, 600, { steps: 5 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await shot('e2e-timeline');
  });

  await uiStep(UI_STEPS[3], async () => {
    if (STANDIN) return log('stand-in: it has no Explain section; step not applicable');
    // The cursor is on leg 1 of the three-leg sample chain: the narrative says so, and the
    // legs carry their chain labels.
    const found = await waitFor(
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const section = f.locator('section.explain');
          if (!(await section.isVisible().catch(() => false))) continue;
          const t = await section.innerText().catch(() => '');
          if (/leg 1 of a chain of 3/.test(t)) return { frame: f, text: t };
        }
        return undefined;
      },
      'the Explain section to say "leg 1 of a chain of 3"',
      30_000,
    );
    if (!/^Explain/.test(found.text.trim())) throw new Error(`the section does not start with its heading: ${found.text.slice(0, 100)}`);
    if (!/DisconnectReason CUSTOMER_DISCONNECT, so the customer ended it/.test(found.text))
      throw new Error(`no disconnect sentence: ${found.text.slice(0, 400)}`);
    // The full lane heading is the SVG <title> of the lane head (the drawn text is cut to the gutter).
    const titles = await found.frame.locator('.lane-leg .lane-head > title').allTextContents();
    if (!titles.some((t) => /^Leg 2 · transfer · TRANSFER/.test(t))) throw new Error(`no chain label on the legs: ${titles.join(' | ')}`);
    log(`explain: ${found.text.replace(/\s+/g, ' ').slice(0, 200)}`);
    await found.frame.locator('section.explain').scrollIntoViewIfNeeded();
    await shot('e2e-explain');
  });

  await uiStep(UI_STEPS[4], async () => {
    // Quick Open, not the explorer: the samples tree is long enough that the folder may be
    // scrolled out of the explorer's virtual list. Opened either way, VS Code never hands it over.
    await analyzeKeptBackDump({
      file: LARGE_DUMP,
      // VS Code's own placeholder, whose "Open Anyway" is never clicked here.
      placeholder: /not displayed in the text editor because it is very large/i,
      label: /^Analyze dump \(12 MB\)$/,
      buttons: ['Analyze', "Don't ask again for this file"],
      analysed: /records.*MB/,
      shots: 'e2e-large-dump',
    });
  });

  await uiStep(UI_STEPS[5], async () => {
    if (STANDIN) return log('stand-in: it has no file timeline; step not applicable');
    // No editor left (the sample timeline's panel included), then the findings view, where the user picks a finding.
    const tabs = page.locator('.tabs-container .tab');
    await wb.runCommandFromPalette({ title: 'View: Close All Editors', id: 'workbench.action.closeAllEditors', until: async () => (await tabs.count()) === 0 });
    const row = page.locator('.part.panel .monaco-list-row', { hasText: 'state-transition' }).first();
    // VS Code gives each contributed view a "Focus on <name> View" command, `<view id>.focus`.
    const view = Object.values(manifest.contributes?.views ?? {})
      .flat()
      .find((v) => v.name === 'Dump File Findings');
    if (!view) throw new Error('the Dump File Findings view is not contributed in package.json');
    await wb.runCommandFromPalette({ title: `Focus on ${view.name} View`, id: `${view.id}.focus`, until: () => row.isVisible() });
    // The record's contact is read off the file, then its records and its chain's, in passes:
    // the click took when the progress notification or the panel shows, or the command answered.
    const tab = page.locator('.tab[aria-label^="Contact Timeline"]').first();
    const answer = page.locator('.notification-toast', { hasText: /Reading .*connect-export\.jsonl|Connect Inspector:/ }).first();
    const clicked = await wb.clickRowAction(row, {
      action: 'Show Contact Timeline from File',
      until: async () => (await tab.isVisible()) || (await answer.isVisible()),
    });
    log(`file timeline: asked from the finding "${clicked.slice(0, 100)}"`);
    await tab.waitFor({ timeout: 60_000 }).catch(async (/** @type {unknown} */ e) => {
      const toasts = await page
        .locator('.notification-toast')
        .allInnerTexts()
        .catch(() => []);
      throw new Error(
        `no Contact Timeline panel (notifications: ${toasts.map((t) => t.replace(/\s+/g, ' ')).join(' | ') || 'none'}): ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    const short = await waitFor(
      async () => /Contact Timeline: ([0-9a-f-]{8})/.exec((await tab.getAttribute('aria-label')) ?? '')?.[1],
      "the panel's title to name the finding's contact",
      60_000,
    );
    // The finding clicked names its contact: the panel is that contact's, not a neighbour row's.
    const named = /Contact ([0-9a-f-]{36})/.exec(clicked)?.[1];
    if (!named?.startsWith(short)) throw new Error(`the panel shows contact ${short}, not the finding's contact ${named ?? '(none named)'}`);
    const drawn = await waitFor(
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const bars = await f
            .locator('.lane-leg .bar')
            .count()
            .catch(() => 0);
          const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (bars > 0 && text.includes(`Contact ${short}`)) return { frame: f, bars, text };
        }
        return undefined;
      },
      `the timeline webview to draw the leg bars of contact ${short}`,
      60_000,
    );
    const explain = await drawn.frame
      .locator('section.explain')
      .innerText()
      .catch(() => '');
    log(`file timeline: ${drawn.bars} leg bars; ${drawn.text.replace(/\s+/g, ' ').slice(0, 160)}; explain: ${explain.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (!new RegExp(`^Explain[\\s\\S]*Contact ${short}`).test(explain.trim())) throw new Error(`no Explain section about ${short}: ${explain.slice(0, 200)}`);
    await page.mouse.move(300, 600);
    await shot('e2e-file-timeline');
    // A bar opens its record in the file (VS Code opens a file under 50 MB for an extension; past that, the excerpt).
    await drawn.frame.locator('.lane-leg .bar').first().click();
    const name = LARGE_DUMP.split('/').pop() ?? LARGE_DUMP;
    await page.locator(`.tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 30_000 });
    await shot('e2e-file-timeline-reveal');
  });

  await uiStep(UI_STEPS[6], async () => {
    await analyzeKeptBackDump({
      file: LARGE_GZ_DUMP,
      // VS Code's binary-file placeholder.
      placeholder: /not displayed in the text editor because it is either binary/i,
      label: /^Analyze dump \(\d+ KB\)$/,
      buttons: ['Analyze', 'Open Decoded Records'],
      analysed: /records.*KB/,
      shots: 'e2e-gz-dump',
    });
  });

  await uiStep(UI_STEPS[7], async () => {
    await collectErrorToasts();
    if (errorToasts.size) throw new Error([...errorToasts].join('\n'));
  });
}

/**
 * Opens a dump VS Code keeps from extensions (Quick Open), checks the status bar's offer and
 * the first-time notification, clicks the status bar, and compares the Problems panel's count
 * for the file with the product's CLI.
 * @param {{ file: string, placeholder: RegExp, label: RegExp, buttons: string[], analysed: RegExp, shots: string }} o
 */
async function analyzeKeptBackDump(o) {
  const name = o.file.split('/').pop() ?? o.file;
  await wb.openByQuickOpen(name);
  await page.getByText(o.placeholder).first().waitFor({ timeout: 15_000 });
  const item = page.locator('.statusbar-item', { hasText: 'Analyze dump' }).first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  const label = (await item.innerText()).replace(/\s+/g, ' ').trim();
  log(`status bar: ${label}`);
  if (!o.label.test(label)) throw new Error(`status bar says "${label}", not ${o.label}`);
  // The first time for this file, a notification offers the same, and not to ask again.
  const toast = page.locator('.notification-toast', { hasText: 'looks like an Amazon Connect dump' }).first();
  await toast.waitFor({ state: 'visible', timeout: 15_000 });
  for (const button of o.buttons) {
    if (!(await toast.locator('.monaco-button', { hasText: button }).count())) throw new Error(`the notification has no "${button}" button`);
  }
  await shot(`${o.shots}-offer`);
  const expected = cliFindingCount(join(state.workspace, ...o.file.split('/')));
  await item.click();
  await page.mouse.move(300, 600);
  // The analysis reveals its findings view in the panel; the Problems panel counts the file's diagnostics.
  await page.locator('.statusbar-item', { hasText: o.analysed }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const count = Number(await row.locator('.monaco-count-badge').innerText());
  const shown = Math.min(expected, 1000) + (expected > 1000 ? 1 : 0);
  log(`problems panel: ${name} has ${count} problems; the CLI finds ${expected}`);
  if (count !== shown) throw new Error(`the Problems panel counts ${count} for ${name}; the CLI finds ${expected} (expected ${shown} entries)`);
  if (count === 0) throw new Error(`${name} has planted faults, but no findings were shown`);
  await shot(`${o.shots}-problems`);
}

/** @param {number} timeoutMs */
async function readHover(timeoutMs) {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  return waitFor(
    async () => {
      const t = await hover.innerText().catch(() => '');
      return t && !/^Loading/.test(t.trim()) ? t : undefined;
    },
    'hover content',
    timeoutMs,
  );
}

/** @type {number} */
let exitCode;
try {
  const { suite, consoleErrors } = await main();
  const all = [...suite.tests.map((t) => ({ ...t, name: `suite: ${t.name}` })), ...uiResults.map((t) => ({ ...t, name: `UI: ${t.name}` }))];
  const failed = all.filter((t) => !t.ok);
  console.log('\nEnd-to-end results (code-server + headless Chromium):');
  for (const t of all)
    console.log(
      `  ${t.skipped ? 'skip  ' : t.ok ? 'ok    ' : 'FAILED'} ${t.name} (${t.ms} ms)${t.ok && !t.skipped ? '' : `\n         ${String(t.error).split('\n').join('\n         ')}`}`,
    );
  if (consoleErrors.length) console.log(`  (page errors seen: ${consoleErrors.length}; first: ${consoleErrors[0].slice(0, 200)})`);
  writeFileSync(join(OUT, 'summary.json'), JSON.stringify({ passed: all.length - failed.length, failed: failed.length, tests: all }, null, 2));
  console.log(`Screenshots: ${shots.map((s) => relative(ROOT, s)).join(', ') || '(none)'} (in ${SHOTS})`);
  console.log(`Logs: ${relative(ROOT, join(OUT, 'code-server.log'))}, extension host logs under ${relative(ROOT, join(OUT, 'user-data', 'logs'))}`);
  console.log(`Total time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const skipped = all.filter((t) => t.skipped).length;
  console.log(`e2e: ${all.length - failed.length - skipped} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
  exitCode = failed.length ? 1 : 0;
} catch (err) {
  console.error(`[e2e] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  if (page) await shot('e2e-failed-run').catch(() => undefined);
  console.error(`Logs: ${relative(ROOT, join(OUT, 'code-server.log'))}, ${relative(ROOT, join(OUT, 'user-data', 'logs'))}`);
  console.log(`e2e: ${uiResults.filter((t) => t.ok).length} passed, ${uiResults.filter((t) => !t.ok).length + 1} failed`);
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(hardTimer);
}
process.exit(exitCode);
