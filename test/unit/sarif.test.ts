// The CLI's SARIF, checked by Microsoft's SARIF validator (Sarif.Multitool, installed once
// into the e2e tool cache by scripts/e2e-setup.mjs) with its SARIF and GitHub rule sets:
// what code scanning accepts without warnings. And the fingerprints that keep alerts from
// duplicating: the same across runs and across edits elsewhere in the file.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINDING_CODES } from '../../server/src/core/types';
import { FINGERPRINT_KEY } from '../../server/src/sarif';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist', 'cli.js');
let multitool = '';

interface SarifResult {
  ruleId: string;
  level?: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; name: string; helpUri: string; fullDescription: { text: string } }[] } }; results: SarifResult[] }[];
}

function sarifOf(dir: string): SarifLog {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '--fail-on', 'never', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as SarifLog;
}

function samplesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cei-sarif-'));
  cpSync(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
  return dir;
}

/** The validator's own findings on a SARIF file (its output is a SARIF log too). */
function validate(file: string): { ruleId: string; level: string; text: string }[] {
  const out = `${file}.validation.sarif`;
  const r = spawnSync(multitool, ['validate', '--rule-kind', 'Sarif;Gh', '--output', out, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `Sarif.Multitool validate exited ${r.status}: ${r.stdout.slice(-2000)}${r.stderr}`);
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string } }[] }[] };
  return log.runs.flatMap((run) =>
    (run.results ?? []).map((x) => ({ ruleId: x.ruleId, level: x.level ?? 'warning', text: x.message.text ?? x.message.id ?? '' })),
  );
}

before(async () => {
  const setup = (await import(join(ROOT, 'scripts', 'e2e-setup.mjs'))) as { ensureSarifMultitool(): Promise<{ exe: string }> };
  multitool = (await setup.ensureSarifMultitool()).exe;
});

test("the samples' SARIF passes Microsoft's validator (SARIF and GitHub rules) with no warning", { timeout: 120_000 }, () => {
  const dir = samplesCopy();
  const sarif = sarifOf(dir);
  assert.ok(sarif.runs[0].results.length > 10, 'the faulty samples give findings to validate');
  const file = join(dir, 'samples.sarif');
  writeFileSync(file, JSON.stringify(sarif));
  assert.deepEqual(validate(file), []);
});

test('the validator does catch a rule whose name is its id (so the test above can fail)', { timeout: 120_000 }, () => {
  const dir = samplesCopy();
  const sarif = sarifOf(dir);
  sarif.runs[0].tool.driver.rules[0].name = sarif.runs[0].tool.driver.rules[0].id;
  const file = join(dir, 'bad.sarif');
  writeFileSync(file, JSON.stringify(sarif));
  assert.deepEqual(
    validate(file).map((x) => x.ruleId),
    ['SARIF1001'],
  );
});

test('every rule has a PascalCase name, its README section and a full description', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rules = sarifOf(samplesCopy()).runs[0].tool.driver.rules;
  assert.ok(rules.length >= 5);
  for (const rule of rules) {
    assert.ok((FINDING_CODES as readonly string[]).includes(rule.id), rule.id);
    assert.match(rule.name, /^[A-Z][A-Za-z]+$/);
    const anchor = new URL(rule.helpUri).hash.slice(1);
    assert.ok(readme.includes(`<a id="${anchor}"></a>`), `${rule.helpUri} points at a README section`);
    assert.ok(rule.fullDescription.text.length > 40, rule.id);
  }
});

const prints = (sarif: ReturnType<typeof sarifOf>) =>
  sarif.runs[0].results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri} ${r.partialFingerprints[FINGERPRINT_KEY]}`);

test('fingerprints: unique, the same on a re-run, and unmoved by edits elsewhere in the file', () => {
  const dir = samplesCopy();
  const first = prints(sarifOf(dir));
  assert.equal(new Set(first).size, first.length, 'two results share a fingerprint');
  assert.deepEqual(prints(sarifOf(dir)), first, 'a re-run gives the same fingerprints');

  // Unrelated edits: blank lines before every record of every faulty sample and a clean
  // record appended (taken from a clean sample): every line number changes.
  const faults = join(dir, 'samples', 'faults');
  const clean = readFileSync(join(dir, 'samples', 'transfer-chain-agent-events.jsonl'), 'utf8').split('\n')[0];
  for (const name of readdirSync(faults).filter((n) => n.endsWith('.jsonl'))) {
    const text = readFileSync(join(faults, name), 'utf8');
    writeFileSync(join(faults, name), `\n\n${text.replace(/\n(?=.)/g, '\n\n')}${text.endsWith('\n') ? '' : '\n'}${clean}\n`);
  }
  const after = sarifOf(dir);
  const moved = after.runs[0].results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri.startsWith('samples/faults/'));
  assert.ok(moved.length > 5);
  const afterPrints = new Set(prints(after));
  assert.deepEqual(
    first.filter((p) => !afterPrints.has(p)),
    [],
    'every earlier finding keeps its fingerprint',
  );
});
