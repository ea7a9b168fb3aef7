// Entry point of the end-to-end suite for both hosts:
//  - @vscode/test-electron loads this file as `--extensionTestsPath` and calls `run()`;
//  - the harness extension (code-server) calls `runSuite()` and writes the results itself.
'use strict';

const { runAll } = require('./framework');
require('./tests');

/** Runs every test and returns `{passed, failed, tests}`. */
async function runSuite(opts = {}) {
  const filter = process.env.CEI_E2E_FILTER ? new RegExp(process.env.CEI_E2E_FILTER) : undefined;
  const results = await runAll({ filter, ...opts });
  const { closeAllEditors } = require('./helpers');
  await closeAllEditors().catch(() => undefined);
  return results;
}

/** test-electron contract: resolve on success, reject on failure. */
async function run() {
  const results = await runSuite();
  console.log(`${results.passed} passed, ${results.failed} failed`);
  if (process.env.CEI_E2E_RESULTS) {
    require('node:fs').writeFileSync(process.env.CEI_E2E_RESULTS, JSON.stringify(results, null, 2));
  }
  if (results.failed > 0) throw new Error(`${results.failed} end-to-end test(s) failed`);
}

module.exports = { run, runSuite };
