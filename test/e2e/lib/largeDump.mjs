// Writes the large dumps the end-to-end tests open (issue 16): a realistic agent-event and
// contact-record dump from bench/generate.ts, over the 10 MB at which the web workbench (with
// a remote: code-server, Codespaces) stops handing files to the editor without a click; and
// a gzip-compressed Firehose delivery (records back to back, as Firehose writes them to S3),
// which the workbench shows as a binary file. Generated at test time into the test
// workspace, never committed.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where the suite and the UI driver find it, under the workspace folder. */
export const LARGE_DUMP = 'large/connect-export.jsonl';
export const LARGE_DUMP_BYTES = 12 * 1024 * 1024;
/** The S3 object name Firehose gives a delivery (`<stream>-<version>-<date>-<uuid>.gz`), invented. */
export const LARGE_GZ_DUMP = 'large/connect-ctr-1-2026-11-24-10-00-00-6ed1a2c3.gz';
export const LARGE_GZ_DUMP_BYTES = 4 * 1024 * 1024;

/**
 * Writes `LARGE_DUMP` and `LARGE_GZ_DUMP` under `workspace`; returns what was written (of the first, and the .gz's size).
 * @param {string} workspace
 */
export function writeLargeDump(workspace) {
  const file = join(workspace, ...LARGE_DUMP.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  // bench/generate.ts is TypeScript: run it with tsx (a dev dependency) in a child process.
  const code =
    `const g = require(${JSON.stringify(join(ROOT, 'bench', 'generate.ts'))});` +
    `const r = g.writeDump(${JSON.stringify(file)}, 'jsonl', ${LARGE_DUMP_BYTES}, { seed: 16, faults: 0.003 });` +
    // The .gz: a Firehose-form dump of its own, compressed; the uncompressed file is not kept.
    `const gz = ${JSON.stringify(join(workspace, ...LARGE_GZ_DUMP.split('/')))};` +
    `g.writeDump(gz + '.tmp', 'firehose', ${LARGE_GZ_DUMP_BYTES}, { seed: 18, faults: 0.005 });` +
    `const fs = require('node:fs'); fs.writeFileSync(gz, require('node:zlib').gzipSync(fs.readFileSync(gz + '.tmp'))); fs.rmSync(gz + '.tmp');` +
    'process.stdout.write(JSON.stringify({ bytes: r.bytes, records: r.records, faults: r.faults, gzBytes: fs.statSync(gz).size }));';
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`generating ${file} failed: ${r.stderr || r.error}`);
  return { file, ...JSON.parse(r.stdout) };
}
