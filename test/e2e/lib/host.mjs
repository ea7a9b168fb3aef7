// @ts-check
// Which VS Code the end-to-end suite runs in. code-server + headless Chromium needs a
// Linux x64 machine where the Debian packages (chromium, libkrb5-dev) are installed or apt
// can install them (root, apt-get, dpkg); elsewhere (macOS, Windows, a non-root Linux, a
// distribution without dpkg) the same suite runs under @vscode/test-electron, which
// downloads VS Code itself. CEI_E2E_HOST=code-server|electron forces a host.
import { spawnSync } from 'node:child_process';
import { aptPackagesPresent } from '../../../scripts/e2e-setup.mjs';

/**
 * @typedef {object} HostFacts
 * @property {NodeJS.Platform} platform
 * @property {string} arch
 * @property {number | undefined} uid    undefined where there are no Unix user IDs (Windows)
 * @property {boolean} apt               apt-get and dpkg-query are on PATH
 * @property {boolean} aptPackagesPresent chromium and libkrb5-dev are already installed
 * @property {string | undefined} forced CEI_E2E_HOST
 */

/** @typedef {{ host: 'code-server' | 'electron', reason: string }} HostChoice */

/**
 * The decision alone, from facts passed in (test/unit/e2eHost.test.ts).
 * @param {HostFacts} facts
 * @returns {HostChoice}
 */
export function chooseE2eHost(facts) {
  if (facts.forced === 'code-server' || facts.forced === 'electron') return { host: facts.forced, reason: 'CEI_E2E_HOST' };
  if (facts.forced) throw new Error(`CEI_E2E_HOST must be code-server or electron, not "${facts.forced}"`);
  if (facts.platform !== 'linux') return { host: 'electron', reason: `${facts.platform}: code-server's tools here are Linux-only` };
  if (facts.arch !== 'x64') return { host: 'electron', reason: `${facts.arch}: the cached Node 24 for code-server is x64-only` };
  if (facts.aptPackagesPresent) return { host: 'code-server', reason: 'chromium and libkrb5-dev are installed' };
  if (!facts.apt) return { host: 'electron', reason: 'no apt-get/dpkg to install chromium and libkrb5-dev' };
  if (facts.uid !== 0) return { host: 'electron', reason: 'not root, so apt cannot install chromium and libkrb5-dev' };
  return { host: 'code-server', reason: 'apt installs chromium and libkrb5-dev on first use' };
}

/** @param {string} cmd */
function onPath(cmd) {
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

/** @returns {HostFacts} this machine's facts */
export function hostFacts() {
  const linux = process.platform === 'linux';
  return {
    platform: process.platform,
    arch: process.arch,
    uid: process.getuid?.(),
    apt: linux && onPath('apt-get') && onPath('dpkg-query'),
    aptPackagesPresent: linux && aptPackagesPresent(),
    forced: process.env.CEI_E2E_HOST || undefined,
  };
}

/** @returns {HostChoice} */
export function e2eHost() {
  return chooseE2eHost(hostFacts());
}
