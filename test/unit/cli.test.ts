// The CLI as users run it: `node dist/cli.js check ...` (built by `npm run build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli.js');
const ctr = JSON.parse(readFileSync(join(__dirname, '../fixtures/aws/contact-record.voice-inbound.json'), 'utf8'));
const event = JSON.parse(readFileSync(join(__dirname, '../fixtures/aws/sample-agent-event.json'), 'utf8'));

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cei-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

// A schema error: a timestamp that is not ISO 8601 (a value outside an enum is only a warning).
const BAD_VALUE = '"24/11/2026 13:46:33"';
const bad = JSON.stringify({ ...ctr, LastUpdateTimestamp: JSON.parse(BAD_VALUE) });
const good = JSON.stringify(ctr);

test('text output is file:line:col severity code message, exit 1 on an error', () => {
  const dir = workspace({ 'a.jsonl': good + '\n' + bad + '\n' });
  const r = run(['check', join(dir, 'a.jsonl')]);
  assert.equal(r.code, 1);
  const col = bad.indexOf(BAD_VALUE) + 1;
  assert.match(r.stdout, new RegExp(`a\\.jsonl:2:${col} error schema LastUpdateTimestamp "24/11/2026 13:46:33" is not a valid date-time`));
});

test('--format json prints exactly one object with 0-based LSP ranges and kinds', () => {
  const dir = workspace({ 'a.jsonl': JSON.stringify(event) + '\n' + bad + '\n' });
  const r = run(['check', '--format', 'json', join(dir, 'a.jsonl')]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.files.length, 1);
  const f = out.files[0];
  assert.equal(f.records, 2);
  assert.deepEqual(f.kinds, { agentEvent: 1, contactRecord: 1, contactEvent: 0, flowLog: 0, apiContact: 0, unknown: 0 });
  const d = f.diagnostics.find((x: { code: string }) => x.code === 'schema');
  const col = bad.indexOf(BAD_VALUE);
  assert.deepEqual(d.range, { start: { line: 1, character: col }, end: { line: 1, character: col + BAD_VALUE.length } });
  assert.equal(d.severity, 'error');
});

test('kinds counts contact events, flow log entries and describe-contact output; a walked .json of flow logs is a dump', () => {
  const fixtures = join(__dirname, '../fixtures/aws');
  const dir = workspace({
    'events.jsonl':
      [readFileSync(join(fixtures, 'contact-event.queued.json'), 'utf8'), readFileSync(join(fixtures, 'contact-event.scv-disconnected.json'), 'utf8')]
        .map((t) => JSON.stringify(JSON.parse(t)))
        .join('\n') + '\n',
    'flow.json': readFileSync(join(fixtures, 'flow-log.lambda.jsonl'), 'utf8').trim().split('\n').join(',\n').replace(/^/, '[').concat(']'),
    'contact.json': JSON.stringify({
      Contact: {
        Id: 'f65d6e8b-7a8d-4140-9c88-a7041333a39c',
        Arn: 'arn:aws:connect:us-west-2:804094754830:instance/ba24bb27-e8be-415f-9f82-8de74eb8ce78/contact/f65d6e8b-7a8d-4140-9c88-a7041333a39c',
      },
    }),
  });
  const out = JSON.parse(run(['check', '--format', 'json', dir]).stdout);
  const byName = Object.fromEntries(out.files.map((f: { path: string; kinds: Record<string, number> }) => [f.path.split(/[\\/]/).pop(), f.kinds]));
  assert.equal(byName['events.jsonl'].contactEvent, 2);
  assert.equal(byName['flow.json'].flowLog, 2);
  assert.equal(byName['contact.json'].apiContact, 1);
  const flow = out.files.find((f: { path: string }) => f.path.endsWith('flow.json'));
  // The published entries mask their IDs (xxxxxxxxxxxx): one `redacted` for the file, then the failed Lambda.
  assert.deepEqual(
    flow.diagnostics.map((d: { code: string }) => d.code),
    ['redacted', 'flow-error'],
  );
});

test('--format sarif is SARIF 2.1.0 with 1-based regions and rules', () => {
  const dir = workspace({ 'a.jsonl': bad });
  const r = run(['check', '--format=sarif', 'a.jsonl'], dir);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'connect-inspect');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'schema'));
  const res = run0.results[0];
  assert.equal(res.ruleId, 'schema');
  assert.equal(res.level, 'error');
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'a.jsonl');
  assert.equal(res.locations[0].physicalLocation.region.startLine, 1);
  assert.equal(res.locations[0].physicalLocation.region.startColumn, bad.indexOf(BAD_VALUE) + 1);
});

test('--fail-on decides the exit code', () => {
  const dir = workspace({ 'a.jsonl': bad });
  assert.equal(run(['check', '--fail-on', 'never', join(dir, 'a.jsonl')]).code, 0);
  const clean = workspace({ 'a.jsonl': good });
  assert.equal(run(['check', join(clean, 'a.jsonl')]).code, 0);
  // An unknown record is a warning: it fails only --fail-on warning.
  const warn = workspace({ 'a.jsonl': good + '\n{"hello": 1}\n' });
  assert.equal(run(['check', join(warn, 'a.jsonl')]).code, 0);
  assert.equal(run(['check', '--fail-on', 'warning', join(warn, 'a.jsonl')]).code, 1);
});

test('directories are walked for dumps; unrelated JSON, node_modules and dot-folders are skipped', () => {
  const dir = workspace({
    'dumps/a.jsonl': good,
    'dumps/b.ndjson': JSON.stringify(event),
    'dumps/firehose-2026-11-24-10': good + JSON.stringify(event),
    'dumps/notes.txt': 'hello',
    'package.json': '{"name":"x"}',
    'node_modules/x/bad.json': bad,
    '.git/bad.json': bad,
  });
  const out = JSON.parse(run(['check', '--format', 'json', dir]).stdout);
  const names = out.files.map((f: { path: string }) => f.path.slice(dir.length + 1)).sort();
  assert.deepEqual(names, ['dumps/a.jsonl', 'dumps/b.ndjson', 'dumps/firehose-2026-11-24-10']);
  const firehose = out.files.find((f: { path: string }) => f.path.endsWith('10'));
  assert.equal(firehose.records, 2);
});

test('usage and I/O errors exit 2 with a message on stderr', () => {
  for (const args of [[], ['lint', 'x'], ['check'], ['check', '--format', 'xml', 'x'], ['check', '--bogus', 'x'], ['check', '/nonexistent/dump.jsonl']]) {
    const r = run(args);
    assert.equal(r.code, 2, `args ${args.join(' ')}`);
    assert.match(r.stderr, /connect-inspect: /);
    assert.equal(r.stdout, '');
  }
  assert.equal(run(['--help']).code, 0);
});

test('bad input gives findings, never a crash: empty, not JSON, truncated, binary, BOM and CRLF', () => {
  const dir = workspace({
    'empty.jsonl': '',
    'text.jsonl': 'this is not json\n',
    'cut.jsonl': good + '\n' + good.slice(0, 100),
    'bom.jsonl': '\ufeff' + good + '\r\n' + good.replace(ctr.ContactId, '11111111-2222-4333-8444-555555555555') + '\r\n',
  });
  writeFileSync(join(dir, 'binary.json'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)));
  const out = JSON.parse(
    run(['check', '--format', 'json', '--fail-on', 'never', ...['empty.jsonl', 'text.jsonl', 'cut.jsonl', 'bom.jsonl', 'binary.json'].map((f) => join(dir, f))])
      .stdout,
  );
  const byName = Object.fromEntries(out.files.map((f: { path: string }) => [f.path.slice(dir.length + 1), f]));
  assert.equal(byName['empty.jsonl'].records, 0);
  assert.deepEqual(byName['empty.jsonl'].diagnostics, []);
  assert.equal(byName['text.jsonl'].diagnostics[0].code, 'json-syntax');
  assert.deepEqual(
    byName['cut.jsonl'].diagnostics.map((d: { code: string; range: { start: { line: number } } }) => [d.code, d.range.start.line]),
    [['json-syntax', 1]],
  );
  assert.deepEqual(byName['bom.jsonl'].diagnostics, []);
  assert.equal(byName['bom.jsonl'].records, 2);
  assert.ok(byName['binary.json'].diagnostics.length >= 1);
});

test('the bundled samples: clean ones pass, faulty ones report what samples/README.md lists', () => {
  const root = resolve(__dirname, '../..');
  const out = JSON.parse(run(['check', '--format', 'json', 'samples'], root).stdout);
  const codes = (name: string) => out.files.find((f: { path: string }) => f.path === name)?.diagnostics.map((d: { code: string }) => d.code);
  for (const clean of [
    'samples/transfer-chain.jsonl',
    'samples/transfer-chain.json',
    'samples/queued-callback.jsonl',
    'samples/task-paused.json',
    'samples/chat.firehose',
    'samples/firehose/chat-2026-11-24-10',
    'samples/transfer-chain-flow-logs.jsonl',
    'samples/transfer-chain-contact-events.jsonl',
  ]) {
    assert.deepEqual(codes(clean), [], clean);
  }
  assert.deepEqual(codes('samples/faults/schema-errors.jsonl'), ['unknown-value', 'schema', 'schema', 'schema']);
  assert.deepEqual(codes('samples/faults/syntax-error.jsonl'), ['json-syntax']);
  assert.deepEqual(codes('samples/faults/flow-lambda-error.jsonl'), ['flow-error']);
});
