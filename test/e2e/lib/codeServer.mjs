// @ts-check
// code-server as the end-to-end tests run it, shared by test/e2e/run.mjs and
// scripts/try.mjs (`npm run try`): package the product, install extensions into a fresh
// profile, start the server on 127.0.0.1 in its own process group, and stop that group.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PRODUCT_ID = 'connect-event-inspector.connect-event-inspector';

/** A quiet, deterministic workbench: no welcome page, no trust prompt, no update checks. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a command to completion; throws with the tail of its output when it fails.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [opts]
 * @returns {string}
 */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${String(r.stdout ?? '').slice(-3000)}${String(r.stderr ?? '').slice(-3000)}`);
  return String(r.stdout);
}

/**
 * `npm run package` in the project, and the .vsix it made.
 * @param {string} root
 * @returns {string}
 */
export function packageProduct(root) {
  run('npm', ['run', 'package'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  const named = join(root, 'connect-event-inspector.vsix');
  if (existsSync(named)) return named;
  const any = readdirSync(root)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(root, f));
  any.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!any[0]) throw new Error('npm run package produced no .vsix at the project root');
  return any[0];
}

/** @returns {Promise<number>} a port on 127.0.0.1 that was free a moment ago */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => res(port));
    });
  });
}

/**
 * Polls until `probe` returns a truthy value; `what` names the signal in the error.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {string} what
 * @param {number} timeoutMs
 * @param {number} [intervalMs]
 * @returns {Promise<Exclude<T, false | null | undefined | 0 | ''>>}
 */
export async function waitFor(probe, what, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return /** @type {Exclude<T, false | null | undefined | 0 | ''>} */ (v);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * A code-server profile: its extensions and user-data folders, the workbench settings, and
 * the command line prefix that addresses them.
 * @param {{ node24: string, node24Dir: string, codeServerEntry: string }} tools from ensureE2eTools()
 * @param {string} dir where the profile lives
 * @param {{ settings?: boolean }} [opts]
 */
export function codeServerProfile(tools, dir, opts = {}) {
  const extensionsDir = join(dir, 'extensions');
  const userDataDir = join(dir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  if (opts.settings !== false) writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(WORKBENCH_SETTINGS, null, 2));
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PATH: `${join(tools.node24Dir, 'bin')}:${process.env.PATH}` };
  delete env.NODE_OPTIONS; // the driver's own loaders must not leak into code-server
  const args = [tools.codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  return {
    extensionsDir,
    userDataDir,
    env,
    /** @param {string[]} vsixes */
    install(vsixes) {
      run(tools.node24, [...args, ...vsixes.flatMap((v) => ['--install-extension', v])], { env, timeout: 120_000 });
      return run(tools.node24, [...args, '--list-extensions', '--show-versions'], { env, timeout: 60_000 });
    },
    /**
     * Starts code-server on 127.0.0.1:port in its own process group (so stopping it stops
     * its extension hosts and language servers too), logging to `logFile`.
     * @param {{ port: number, folder: string, logFile: string, env?: Record<string, string> }} o
     */
    start(o) {
      const logFd = openSync(o.logFile, 'w');
      return spawn(
        tools.node24,
        [
          ...args,
          '--auth',
          'none',
          '--bind-addr',
          `127.0.0.1:${o.port}`,
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--disable-getting-started-override',
          o.folder,
        ],
        { env: { ...env, ...o.env }, stdio: ['ignore', logFd, logFd], detached: true },
      );
    },
  };
}

/**
 * Waits until code-server answers /healthz; fails early when it exits.
 * @param {import('node:child_process').ChildProcess} server
 * @param {string} base http://127.0.0.1:port
 * @param {string} logFile
 */
export function waitForHealthy(server, base, logFile) {
  return waitFor(
    async () => {
      if (server.exitCode !== null || server.signalCode !== null) throw new Error(`code-server exited early; see ${logFile}`);
      return fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    'code-server /healthz',
    60_000,
  );
}

/**
 * Stops a detached child's whole process group: SIGTERM, then SIGKILL after `graceMs`.
 * @param {import('node:child_process').ChildProcess | undefined} child
 * @param {number} [graceMs]
 */
export async function stopProcessGroup(child, graceMs = 5000) {
  if (!child?.pid) return;
  const pid = child.pid;
  const signal = (/** @type {NodeJS.Signals} */ sig) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? true
      : await Promise.race([/** @type {Promise<boolean>} */ (new Promise((r) => child.once('exit', () => r(true)))), sleep(graceMs).then(() => false)]);
  // The server may be gone while its children (extension host, language server) linger.
  await waitFor(() => !groupAlive(pid), `process group ${pid} to end`, exited ? graceMs : 1).catch(() => signal('SIGKILL'));
}

/** @param {number} pgid */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
