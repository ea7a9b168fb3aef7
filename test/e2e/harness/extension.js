// Test-only extension installed next to the product in code-server: when the environment
// variable CEI_E2E_RESULTS names a file (the extension host inherits code-server's
// environment), it runs the suite and writes {passed, failed, tests} there for the driver.
// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Writes atomically so the driver never reads half a file.
 * @param {string} file
 * @param {unknown} value
 */
function writeJson(file, value) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}

function activate() {
  const results = process.env.CEI_E2E_RESULTS;
  if (!results) return;
  /** @type {string[]} */
  const log = [];
  const started = Date.now();
  // A marker lets the driver tell "harness never started" apart from "suite hangs".
  writeJson(`${results}.started`, { pid: process.pid, started: new Date(started).toISOString() });
  // Let activation finish before the suite opens documents (it runs in the background).
  setTimeout(() => void runAndReport(results, log, started), 0);
}

/**
 * @param {string} results
 * @param {string[]} log
 * @param {number} started
 */
async function runAndReport(results, log, started) {
  /** @type {{ passed: number, failed: number, tests: unknown[] }} */
  let out;
  try {
    /** @type {unknown} */
    const loaded = require(path.join(__dirname, 'suite', 'index.js'));
    const suite = /** @type {{ runSuite(o: { log(line: string): void }): Promise<{ passed: number, failed: number, tests: unknown[] }> }} */ (loaded);
    out = await suite.runSuite({
      log: (/** @type {string} */ line) => {
        log.push(line);
        // One line per finished test, for the driver to show progress while it waits.
        fs.appendFileSync(`${results}.progress`, `${line}\n`);
      },
    });
  } catch (err) {
    out = {
      passed: 0,
      failed: 1,
      tests: [{ name: 'harness: load and run the suite', ok: false, error: String((err instanceof Error && err.stack) || err), ms: Date.now() - started }],
    };
  }
  /** @type {typeof import('vscode')} */
  const vscode = require('vscode');
  writeJson(results, { ...out, vscodeVersion: vscode.version, ms: Date.now() - started, log });
}

function deactivate() {}

module.exports = { activate, deactivate };
