// Test-only extension installed next to the product in code-server: when the environment
// variable CEI_E2E_RESULTS names a file (the extension host inherits code-server's
// environment), it runs the suite and writes {passed, failed, tests} there for the driver.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Writes atomically so the driver never reads half a file. */
function writeJson(file, value) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}

function activate() {
  const results = process.env.CEI_E2E_RESULTS;
  if (!results) return;
  const log = [];
  const started = Date.now();
  // A marker lets the driver tell "harness never started" apart from "suite hangs".
  writeJson(`${results}.started`, { pid: process.pid, started: new Date(started).toISOString() });
  // Let activation finish before the suite opens documents (it runs in the background).
  setTimeout(async () => {
    let out;
    try {
      const suite = require(path.join(__dirname, 'suite', 'index.js'));
      out = await suite.runSuite({
        log: (line) => {
          log.push(line);
          // One line per finished test, for the driver to show progress while it waits.
          fs.appendFileSync(`${results}.progress`, `${line}\n`);
        },
      });
    } catch (err) {
      out = { passed: 0, failed: 1, tests: [{ name: 'harness: load and run the suite', ok: false, error: String(err && err.stack || err), ms: Date.now() - started }] };
    }
    const vscode = require('vscode');
    writeJson(results, { ...out, vscodeVersion: vscode.version, ms: Date.now() - started, log });
  }, 0);
}

function deactivate() {}

module.exports = { activate, deactivate };
