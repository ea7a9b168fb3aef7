// A minimal sequential test runner. The same suite runs in two hosts (the harness extension
// inside code-server and @vscode/test-electron), so it carries its own tiny runner instead of
// depending on mocha being resolvable inside a packaged extension.
'use strict';

/** @typedef {{ name: string, fn: () => Promise<void> | void, timeoutMs: number, fatal?: boolean }} TestCase */
/** @typedef {{ name: string, ok: boolean, error: string | null, ms: number, skipped?: boolean }} TestResult */

/** Thrown by a test that cannot judge in this host; reported as skipped with the reason. */
class Skip extends Error {}
/** @param {string} reason */
function skip(reason) {
  throw new Skip(reason);
}

/** @type {(TestCase & { fatal?: boolean })[]} */
const tests = [];

/**
 * Registers a test. Tests run in registration order: some depend on the state that earlier
 * ones leave (the activation check must run before anything opens a JSON document).
 * @param {string} name
 * @param {() => Promise<void> | void} fn
 * `fatal`: when this test fails the rest cannot mean anything (e.g. the extension does not
 * activate), so they are reported as failed without running instead of each timing out.
 * @param {{ timeoutMs?: number, fatal?: boolean }} [opts]
 */
function test(name, fn, opts = {}) {
  tests.push({ name, fn, timeoutMs: opts.timeoutMs ?? 90_000, fatal: opts.fatal });
}

/**
 * @param {{ log?: (line: string) => void, filter?: RegExp }} [opts]
 * @returns {Promise<{ passed: number, failed: number, tests: TestResult[] }>}
 */
async function runAll(opts = {}) {
  const log = opts.log ?? ((line) => console.log(line));
  /** @type {TestResult[]} */
  const results = [];
  /** @type {string | undefined} */
  let bailedBecause;
  for (const t of tests) {
    if (opts.filter && !opts.filter.test(t.name)) continue;
    if (bailedBecause) {
      results.push({ name: t.name, ok: false, error: `not run: "${bailedBecause}" failed`, ms: 0 });
      log(`FAILED ${t.name} (not run: "${bailedBecause}" failed)`);
      continue;
    }
    const start = Date.now();
    let error = null;
    let skipped = false;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    try {
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs);
        }),
      ]);
    } catch (err) {
      if (err instanceof Skip) {
        skipped = true;
        error = err.message;
      } else
        error =
          err instanceof Error
            ? `${err.message.trim()}\n${(err.stack ?? '')
                .split('\n')
                .filter((l) => /^\s+at /.test(l))
                .slice(0, 3)
                .join('\n')}`.trim()
            : String(err);
    } finally {
      clearTimeout(timer);
    }
    const ms = Date.now() - start;
    const ok = error === null || skipped;
    if (!ok && t.fatal) bailedBecause = t.name;
    results.push({ name: t.name, ok, error, ms, ...(skipped ? { skipped } : {}) });
    log(`${skipped ? 'skip  ' : ok ? 'ok    ' : 'FAILED'} ${t.name} (${ms} ms)${error ? `\n       ${error.split('\n').join('\n       ')}` : ''}`);
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, tests: results };
}

module.exports = { test, runAll, skip };
