// A bounded slice of the fuzz suite for `npm test`: a fixed seed, at most 400 inputs or
// 30 seconds, the core on every input and a sample through the CLI (all three formats) and
// the language server. `npm run fuzz` runs the long version (see fuzz.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport, runFuzz } from './fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

test(`fuzz slice (seed ${SEED}): every input gets findings or a clear message, in bounded time and memory`, { timeout: 180_000 }, async () => {
  const lines: string[] = [];
  const report = await runFuzz({
    seed: SEED,
    maxInputs: 400,
    budgetMs: Number(process.env.FUZZ_BUDGET ?? 30) * 1000,
    cliEvery: 8,
    lspEvery: 5,
    log: (l) => lines.push(l),
  });
  const summary = formatReport(report);
  console.log(summary);
  assert.ok(report.inputs >= 60, `only ${report.inputs} inputs ran`);
  for (const format of ['text', 'json', 'sarif']) assert.ok(report.runs.cliByFormat[format] >= 1, `no CLI run with --format ${format}`);
  assert.ok(report.runs.lsp >= 5, `only ${report.runs.lsp} inputs went to the server`);
  assert.deepEqual(
    report.failures.map((g) => `[${g.failure.target} ${g.failure.stage}] ${g.failure.message.slice(0, 300)} (input ${g.crashFile ?? g.inputs[0]})`),
    [],
    summary,
  );
});
