// What the shipped bundles (dist/, built by esbuild.mjs before the tests) hold: the schemas'
// validators compiled at build time and nothing that compiles or evaluates code at run time
// (no ajv compiler, no `new Function`, no `eval`), and no LSP library in the CLI and the
// workers. Each of these costs every process its start (the compiler alone was ~210 KB of
// the CLI's 1.9 MB).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIST = join(__dirname, '..', '..', 'dist');
const NODE_BUNDLES = ['cli.js', 'server.js', 'streamWorker.js', 'indexWorker.js'];

/** The node_modules packages a bundle holds (esbuild names each source file in a comment). */
function packagesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\/(\S+)$/gm)) out.add(`${m[1]}/${m[2]}`);
  return out;
}

test('no bundle compiles or evaluates code at run time', () => {
  for (const file of NODE_BUNDLES) {
    const path = join(DIST, file);
    assert.ok(existsSync(path), `${path} is built before the tests`);
    const text = readFileSync(path, 'utf8');
    const files = [...packagesIn(text)];
    assert.ok(
      files.some((f) => f.startsWith('ajv/dist/runtime/')),
      `${file}: the generated validators' runtime helpers are there`,
    );
    assert.deepEqual(
      files.filter((f) => f.startsWith('ajv/') && !f.startsWith('ajv/dist/runtime/')),
      [],
      `${file}: ajv's compiler`,
    );
    assert.doesNotMatch(text, /new Function\(|\beval\(/, `${file}: code evaluated at run time`);
  }
});

test('the CLI and the workers carry no LSP library', () => {
  for (const file of ['cli.js', 'streamWorker.js', 'indexWorker.js']) {
    const files = [...packagesIn(readFileSync(join(DIST, file), 'utf8'))];
    assert.deepEqual(
      files.filter((f) => /^vscode-(languageserver|jsonrpc)/.test(f)),
      [],
      file,
    );
  }
});
