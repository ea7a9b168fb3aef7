// Schema findings land on the offending value, with messages that name the values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { fieldDoc } from '../../server/src/core/schemaDocs';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const event = fixture('determine-acw-time.1.json'); // an AWS doc STATE_CHANGE with one contact
const ctr = fixture('contact-record.voice-inbound.json');
const line = (v: unknown) => JSON.stringify(v);

function findingsOf(text: string) {
  const { findings } = analyzeText('file:///t.jsonl', text);
  return findings.map((f) => ({ ...f, text: text.slice(f.start, f.end) }));
}

test('the AWS samples give no finding as JSON Lines, array and Firehose, but the masked names of the ACW samples', () => {
  const records = [fixture('sample-agent-event.json'), event, fixture('determine-acw-time.2.json'), ctr, fixture('contact-record.data-model.json')];
  for (const text of [records.map(line).join('\n'), JSON.stringify(records, null, 2), records.map(line).join('')]) {
    // The ACW page prints FirstName, LastName and Username as "(Removed)": AWS masked them.
    assert.deepEqual(
      findingsOf(text).map((f) => [f.code, f.severity, f.text]),
      [['redacted', 'information', '"(Removed)"']],
    );
    assert.match(findingsOf(text)[0].message, /12 values are masked, starting with "\(Removed\)"/);
  }
});

test('a value outside an open enum is unknown-value: underlined exactly, with the known values and the schema date', () => {
  const bad = { ...ctr, Channel: 'VIDEO' };
  const [f, ...rest] = findingsOf(line(bad));
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'unknown-value');
  assert.equal(f.severity, 'warning');
  assert.equal(f.text, '"VIDEO"');
  assert.match(f.message, /"VIDEO" is not one of the Channel values documented as of 2026-11-24 \(VOICE, CHAT, TASK, EMAIL\)/);
});

test('a wrong type where an enum goes stays a schema error, once', () => {
  const fs = findingsOf(line({ ...ctr, Channel: 5, InitiationMethod: 7 }));
  assert.deepEqual(
    fs.map((f) => [f.code, f.severity, f.text]),
    [
      ['schema', 'error', '5'],
      ['schema', 'error', '7'],
    ],
  );
  assert.match(fs[0].message, /Channel must be string, not number/);
});

test('the closed enum (agent event EventType) stays a schema error; open ones in agent events are unknown-value', () => {
  const typo = { ...fixture('sample-agent-event.json'), EventType: 'STATE_CHANGED' };
  assert.deepEqual(
    findingsOf(line(typo)).map((f) => [f.code, f.text]),
    [['schema', '"STATE_CHANGED"']],
  );
  const newState = structuredClone(event);
  newState.CurrentAgentSnapshot.Contacts[0].State = 'WRAPUP'; // invented: a state AWS might add
  const fs = findingsOf(line(newState)).filter((f) => f.code !== 'redacted'); // the sample's names are "(Removed)"
  assert.deepEqual(
    fs.map((f) => [f.code, f.severity, f.text]),
    [['unknown-value', 'warning', '"WRAPUP"']],
  );
});

test('CONNECTED_ ONHOLD (the doc misprint) gets a finding with a quick fix', () => {
  const bad = structuredClone(event);
  bad.CurrentAgentSnapshot.Contacts[0].State = 'CONNECTED_ ONHOLD';
  const text = line(bad);
  const fs = findingsOf(text).filter((f) => f.code !== 'redacted'); // the sample's names are "(Removed)"
  assert.equal(fs.length, 1);
  assert.equal(fs[0].code, 'schema');
  assert.equal(fs[0].text, '"CONNECTED_ ONHOLD"');
  assert.deepEqual(fs[0].fix, { title: 'Replace with "CONNECTED_ONHOLD"', replacement: '"CONNECTED_ONHOLD"' });
});

test('a missing required property is reported on the first key of its object', () => {
  const bad = { ...ctr };
  delete bad.ContactId;
  const [f] = findingsOf(line(bad));
  assert.equal(f.code, 'schema');
  assert.match(f.message, /missing the required property "ContactId"/);
  assert.equal(f.text, '"AWSAccountId"');
});

test('wrong type and bad timestamp name the field and the value', () => {
  const bad = { ...ctr, InitiationTimestamp: 'yesterday', AgentConnectionAttempts: 'two' };
  const fs = findingsOf(line(bad));
  const ts = fs.find((f) => f.text === '"yesterday"');
  assert.ok(ts && /InitiationTimestamp "yesterday" is not a valid date-time/.test(ts.message), JSON.stringify(fs));
  const ty = fs.find((f) => f.text === '"two"');
  assert.ok(ty && /AgentConnectionAttempts must be/.test(ty.message), JSON.stringify(fs));
});

test('records that are neither agent events nor contact records are flagged once, not validated', () => {
  const text = [line(ctr), line({ hello: 'world' }), '42'].join('\n');
  const fs = findingsOf(text);
  assert.deepEqual(
    fs.map((f) => [f.code, f.text]),
    [
      ['unknown-record', '"hello"'],
      ['unknown-record', '42'],
    ],
  );
});

test('unknown properties that AWS may add later are accepted', () => {
  assert.deepEqual(findingsOf(line({ ...ctr, SomeFutureField: { x: 1 } })), []);
});

test('hover docs come from the schema: field descriptions and contact state values', () => {
  const state = fieldDoc('agentEvent', ['CurrentAgentSnapshot', 'Contacts', 0, 'State'], 'CONNECTED');
  assert.match(state?.valueMarkdown ?? '', /accepted/);
  assert.ok(fieldDoc('contactRecord', ['Agent', 'NumberOfHolds'])?.markdown);
  assert.match(fieldDoc('agentEvent', ['EventType'], 'HEART_BEAT')?.valueMarkdown ?? '', /120/);
});

test('package.json recognises Firehose files with the same first-line pattern the CLI uses', async () => {
  const { FIREHOSE_FIRST_LINE } = await import('../../server/src/core/analyze');
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'connect-firehose');
  assert.equal(new RegExp(lang.firstLine).source, FIREHOSE_FIRST_LINE.source);
});

test('a wrong value nested 100,000 deep is described briefly, without a stack overflow', () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const text = line({ ...ctr, Attributes: 'X' }).replace('"X"', deep);
  const [f] = findingsOf(text);
  assert.equal(f.code, 'schema');
  assert.equal(f.message, 'Attributes must be object or null, not an array of 1 item.');
});

test('locating without a tree (records too deep for jsonc-parser) finds the same spans as with one', async () => {
  const { parseDump } = await import('../../server/src/core/dump');
  const { locate } = await import('../../server/src/core/positions');
  // The same record, once shallow and once with a 100,000-deep tail that defeats the tree.
  const shallow = JSON.stringify(event, null, 1);
  const deepTail = shallow.replace(/}\s*$/, `, "Deep": ${'['.repeat(100000)}${']'.repeat(100000)}}`);
  const a = parseDump('u', shallow),
    b = parseDump('u', deepTail);
  const paths: (string | number)[][] = [
    [],
    ['EventType'],
    ['CurrentAgentSnapshot', 'Contacts', 0, 'State'],
    ['CurrentAgentSnapshot', 'Configuration', 'RoutingProfile', 'Concurrency', 1, 'Channel'],
    ['Nope', 'x'],
    ['CurrentAgentSnapshot', 'Contacts', 5],
  ];
  for (const path of paths) {
    for (const anchor of ['value', 'key', 'object'] as const) {
      const want = locate(a, a.records[0], path, anchor);
      const got = locate(b, b.records[0], path, anchor);
      // The whole record (no path, or a path that is absent) differs by its deep tail.
      if ((path.length === 0 || path[0] === 'Nope') && anchor !== 'object') continue;
      assert.deepEqual(got, want, `${path.join('.')} ${anchor}`);
    }
  }
});
