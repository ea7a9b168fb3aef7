#!/usr/bin/env node
// The same end-to-end suite under @vscode/test-electron, the standard runner: it downloads a
// VS Code build (so it needs a machine that can reach Microsoft's update service; on the
// project's CI machines use test/e2e/run.mjs, which runs code-server instead).
//
//   node test/e2e/runElectron.mjs           # build, then the suite in VS Code stable
//   CEI_VSCODE_VERSION=1.91.0 node test/e2e/runElectron.mjs   # the oldest supported engine
//   CEI_E2E_SKIP_BUILD=1                    # reuse dist/
//
// The extension is loaded from this folder (--extensionDevelopmentPath), like F5 does; the
// packaged .vsix is what the code-server run tests.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLargeDump } from './lib/largeDump.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const OUT = join(ROOT, '.test-output', 'electron');

let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch {
  console.error('@vscode/test-electron is not installed: npm install -D @vscode/test-electron@2.5.2');
  process.exit(1);
}

if (process.env.CEI_E2E_SKIP_BUILD !== '1') {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync(OUT, { recursive: true, force: true });
const userData = join(OUT, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
    },
    null,
    2,
  ),
);
// A throwaway copy of the samples: the suite edits documents (and reverts them).
const workspace = mkdtempSync(join(tmpdir(), 'cei-e2e-electron-ws-'));
cpSync(join(ROOT, 'samples'), join(workspace, 'samples'), { recursive: true });
writeLargeDump(workspace);
const results = join(OUT, 'results.json');

let code = 0;
try {
  await runTests({
    version: process.env.CEI_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(HERE, 'suite', 'index.js'),
    extensionTestsEnv: { CEI_E2E_RESULTS: results, ...(process.env.CEI_E2E_FILTER ? { CEI_E2E_FILTER: process.env.CEI_E2E_FILTER } : {}) },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${userData}`,
      `--extensions-dir=${join(OUT, 'extensions')}`,
    ],
  });
} catch (err) {
  console.error(`[e2e electron] ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
if (existsSync(results)) {
  /** @type {unknown} */
  const raw = JSON.parse(readFileSync(results, 'utf8'));
  const r = /** @type {{ passed: number, failed: number, vscodeVersion?: string }} */ (raw);
  console.log(`e2e (host: @vscode/test-electron, VS Code ${r.vscodeVersion ?? '?'}): ${r.passed} passed, ${r.failed} failed`);
} else if (code) {
  console.log('e2e (electron): 0 passed, 1 failed');
}
process.exit(code);
