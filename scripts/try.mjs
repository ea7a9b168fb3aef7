#!/usr/bin/env node
// @ts-check
// `npm run try`: see the extension before installing it. Packages the .vsix, starts the
// end-to-end tests' code-server (its tools installed on first use, as `npm test` does) on
// 127.0.0.1 with the package installed and a copy of samples/ open, and prints the address.
// Ctrl+C (or SIGTERM) stops code-server with everything it started and removes the
// temporary profile and workspace.
//
//   npm run try                 # a free port
//   CEI_TRY_PORT=8080 npm run try
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2eTools } from './e2e-setup.mjs';
import { codeServerProfile, freePort, packageProduct, PRODUCT_ID, stopProcessGroup, waitForHealthy } from '../test/e2e/lib/codeServer.mjs';
import { e2eHost } from '../test/e2e/lib/host.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} msg */
const say = (msg) => console.log(`[try] ${msg}`);

/** @type {{ server: import('node:child_process').ChildProcess | undefined, dir: string, stopping: boolean }} */
const state = { server: undefined, dir: '', stopping: false };

/** @param {number} code */
async function stop(code) {
  if (state.stopping) return;
  state.stopping = true;
  const server = state.server;
  state.server = undefined;
  if (server) say('stopping code-server ...');
  await stopProcessGroup(server);
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  if (server) say('stopped; temporary profile and workspace removed.');
  process.exit(code);
}

for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(sig, () => void stop(0));

async function main() {
  const host = e2eHost();
  if (host.host !== 'code-server') {
    throw new Error(
      `code-server cannot run here (${host.reason}). Install the package instead: npm run package, then code --install-extension connect-event-inspector.vsix`,
    );
  }
  say('packaging the extension (npm run package) ...');
  const vsix = packageProduct(ROOT);
  say(`package: ${relative(ROOT, vsix)}`);
  say('code-server tools (installed into the cache on first use, a few minutes) ...');
  const tools = await ensureE2eTools();
  for (const [what, item] of tools.report) say(`${what} ${item}`);

  state.dir = mkdtempSync(join(tmpdir(), 'cei-try-'));
  const profile = codeServerProfile(tools, state.dir);
  const listed = profile.install([vsix]);
  if (!listed.toLowerCase().includes(PRODUCT_ID)) throw new Error(`${PRODUCT_ID} missing after install:\n${listed}`);
  const folder = join(state.dir, 'samples');
  cpSync(join(ROOT, 'samples'), folder, { recursive: true });

  const port = process.env.CEI_TRY_PORT ? Number(process.env.CEI_TRY_PORT) : await freePort();
  const logFile = join(state.dir, 'code-server.log');
  const server = profile.start({ port, folder, logFile });
  state.server = server;
  server.once('exit', (code, signal) => {
    if (state.stopping) return;
    console.error(`[try] code-server exited (${code ?? signal})`);
    void stop(1);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealthy(server, base, logFile);
  say(`Connect Event Inspector in VS Code (code-server), with a copy of samples/ open:`);
  console.log(`\n    ${base}/?folder=${encodeURIComponent(folder)}\n`);
  say('Press Ctrl+C to stop.');
}

main().catch((err) => {
  console.error(`[try] ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
