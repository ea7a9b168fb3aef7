// Tokenizes real lines with the same TextMate engine VS Code uses (vscode-textmate +
// the oniguruma wasm) and checks the scopes our grammars give them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { Registry, INITIAL, parseRawGrammar, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..');
const FIREHOSE = 'source.connect-firehose';
const INJECTION = 'connect-inspector.values.injection';
const STATE = 'constant.other.contact-state.connect';
const EVENT_TYPE = 'constant.other.event-type.connect';

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

/**
 * VS Code derives its JSON Lines grammar from the JSON grammar by renaming every
 * `.json` scope to `.json.lines`; doing the same here lets the test check the
 * injection against the scope names the real JSONL grammar has.
 */
function asJsonLines(jsonGrammarText: string): string {
  const g = JSON.parse(jsonGrammarText) as Record<string, unknown>;
  const rename = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(rename);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    for (const key of ['name', 'contentName']) {
      if (typeof obj[key] === 'string') obj[key] = obj[key].replace(/\.json\b/g, '.json.lines');
    }
    Object.values(obj).forEach(rename);
  };
  rename(g.repository);
  g.scopeName = 'source.json.lines';
  return JSON.stringify(g);
}

const grammarFiles: Record<string, { file: string; text: () => string }> = {
  [FIREHOSE]: { file: 'connect-firehose.tmLanguage.json', text: () => read('syntaxes/connect-firehose.tmLanguage.json') },
  [INJECTION]: { file: 'injection.tmLanguage.json', text: () => read('syntaxes/connect-values.injection.tmLanguage.json') },
  'source.json': { file: 'json.tmLanguage.json', text: () => read('test/fixtures/grammars/json.tmLanguage.json') },
  'source.json.lines': { file: 'jsonl.tmLanguage.json', text: () => asJsonLines(read('test/fixtures/grammars/json.tmLanguage.json')) },
};

let onigLib: Promise<{ createOnigScanner(p: string[]): oniguruma.OnigScanner; createOnigString(s: string): oniguruma.OnigString }>;

function registry(withInjection: boolean): Registry {
  return new Registry({
    onigLib,
    loadGrammar: (scopeName: string): Promise<IRawGrammar | null> => {
      const entry = grammarFiles[scopeName];
      return Promise.resolve(entry ? parseRawGrammar(entry.text(), entry.file) : null);
    },
    // What package.json's injectTo: ["source.json", "source.json.lines"] asks VS Code to do.
    getInjections: (scopeName: string) => (withInjection && (scopeName === 'source.json' || scopeName === 'source.json.lines') ? [INJECTION] : undefined),
  });
}

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, text: string, withInjection = true): Promise<Token[]> {
  const grammar: IGrammar | null = await registry(withInjection).loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) tokens.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return tokens;
}

/** The nth token whose text is exactly `text`. */
function tok(tokens: Token[], text: string, nth = 0): Token {
  const found = tokens.filter((t) => t.text === text);
  assert.ok(found.length > nth, `token ${JSON.stringify(text)} #${nth} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found[nth];
}

const has = (t: Token, scope: string) => t.scopes.some((s) => s === scope || s.startsWith(scope + '.'));

before(() => {
  const wasm = readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  const buffer = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  onigLib = oniguruma.loadWASM(buffer).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
  return onigLib.then(() => undefined);
});

test('firehose: two objects back to back on one line are two top-level objects', async () => {
  const line =
    '{"EventType":"STATE_CHANGE","CurrentAgentSnapshot":{"Contacts":[{"State":"CONNECTED"}]}}' +
    '{"ContactId":"5b8f3c1e-0d2a-4c6b-9e7f-111111111111","Agent":{"NumberOfHolds":2},"InitialContactId":null}';
  const tokens = await tokenize(FIREHOSE, line);
  const dictionaryDepth = (t: Token) => t.scopes.filter((s) => s === 'meta.structure.dictionary.json.connect-firehose').length;

  const secondOpen = tokens.find(
    (t) =>
      t.text === '{' && t.scopes.includes('punctuation.definition.dictionary.begin.json.connect-firehose') && dictionaryDepth(t) === 1 && tokens.indexOf(t) > 0,
  );
  assert.ok(secondOpen, 'the second object opens at the top level, not nested in the first');
  assert.ok(has(tok(tokens, 'ContactId'), 'support.type.property-name.json'));
  assert.equal(dictionaryDepth(tok(tokens, 'ContactId')), 1);
  assert.ok(has(tok(tokens, 'STATE_CHANGE'), EVENT_TYPE));
  assert.ok(has(tok(tokens, 'CONNECTED'), STATE));
  assert.ok(has(tok(tokens, 'CONNECTED'), 'string.quoted.double.json'), 'the value stays a JSON string for themes');
  assert.ok(has(tok(tokens, '2'), 'constant.numeric.json.connect-firehose'));
  assert.ok(has(tok(tokens, 'null'), 'constant.language.json.connect-firehose'));
  assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid.'))), 'no invalid token');
});

test('firehose: escaped quotes neither end the string nor make a state value', async () => {
  const line = '{"Attributes":{"note":"agent said \\"ENDED\\" twice","s":"MISSED"},"Channel":"VOICE"}';
  const tokens = await tokenize(FIREHOSE, line);
  const escapes = tokens.filter((t) => t.text === '\\"');
  assert.equal(escapes.length, 2);
  for (const e of escapes) assert.ok(has(e, 'constant.character.escape.json'));
  const ended = tokens.find((t) => t.text.includes('ENDED'));
  assert.ok(ended && !has(ended, STATE), 'ENDED between escaped quotes is free text');
  assert.ok(has(tok(tokens, 's'), 'support.type.property-name.json'), 'the string closed where it should');
  assert.ok(has(tok(tokens, 'MISSED'), STATE));
  assert.ok(has(tok(tokens, 'Channel'), 'support.type.property-name.json'));
});

test('firehose: only whole string values are Connect values, never keys or free text', async () => {
  const tokens = await tokenize(FIREHOSE, '{"PENDING":"An ERROR occurred","x":"ENDED ","y":"LOGINS","z":"LOGOUT"}');
  assert.ok(!has(tok(tokens, 'PENDING'), STATE), 'a key is not a value');
  assert.ok(!tokens.some((t) => has(t, STATE)), 'ERROR inside a sentence and "ENDED " are not states');
  assert.ok(!has(tok(tokens, 'LOGINS'), EVENT_TYPE), 'LOGINS is not LOGIN');
  assert.ok(has(tok(tokens, 'LOGOUT'), EVENT_TYPE));
});

test('firehose: every contact state and event type gets its own scope', async () => {
  const states = ['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED', 'MISSED', 'ERROR', 'ENDED', 'REJECTED'];
  const types = ['STATE_CHANGE', 'HEART_BEAT', 'LOGIN', 'LOGOUT'];
  const line = '[' + [...states, ...types].map((s) => `"${s}"`).join(',') + ']';
  const tokens = await tokenize(FIREHOSE, line);
  for (const s of states) {
    assert.ok(has(tok(tokens, s), STATE), s);
    assert.ok(!has(tok(tokens, s), EVENT_TYPE), s);
  }
  for (const s of types) {
    assert.ok(has(tok(tokens, s), EVENT_TYPE), s);
    assert.ok(!has(tok(tokens, s), STATE), s);
  }
});

test('firehose: the documentation misprint "CONNECTED_ ONHOLD" is marked invalid', async () => {
  const tokens = await tokenize(FIREHOSE, '{"State":"CONNECTED_ ONHOLD"}');
  const t = tok(tokens, 'CONNECTED_ ONHOLD');
  assert.ok(has(t, 'invalid.illegal.contact-state.connect'));
  assert.ok(!has(t, STATE));
});

test('firehose: one object per line and pretty-printed objects carry state across lines', async () => {
  const text = ['{"EventType":"HEART_BEAT"}', '{"Contacts":[', '  {', '    "State": "PAUSED"', '  }', ']}{"EventType":"LOGOUT"}'].join('\n');
  const tokens = await tokenize(FIREHOSE, text);
  const paused = tok(tokens, 'PAUSED');
  assert.equal(paused.line, 3);
  assert.ok(has(paused, STATE));
  assert.ok(paused.scopes.includes('meta.structure.array.json.connect-firehose'));
  assert.ok(has(tok(tokens, 'LOGOUT'), EVENT_TYPE));
  assert.ok(has(tok(tokens, 'EventType', 1), 'support.type.property-name.json'));
});

test('firehose: a stray separator between records is marked, the next record still highlights', async () => {
  const tokens = await tokenize(FIREHOSE, '{"State":"ENDED"},{"State":"ERROR"}');
  assert.ok(has(tok(tokens, ','), 'invalid.illegal'));
  assert.ok(has(tok(tokens, 'ERROR'), STATE));
});

test('firehose: every sample that Firehose wrote tokenizes without an invalid token', async () => {
  const files = ['samples/chat.firehose', ...readdirSync(path.join(root, 'samples/firehose')).map((f) => `samples/firehose/${f}`)];
  for (const f of files) {
    const tokens = await tokenize(FIREHOSE, read(f));
    assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid.'))), f);
    assert.ok(
      tokens.some((t) => has(t, STATE)),
      `${f} shows contact states`,
    );
    assert.ok(
      tokens.some((t) => has(t, EVENT_TYPE)),
      `${f} shows event types`,
    );
  }
});

test('injection: states and event types inside JSON strings get the Connect scopes', async () => {
  const tokens = await tokenize('source.json', '{"State": "CONNECTED_ONHOLD", "EventType": "HEART_BEAT", "ENDED": "call ENDED"}');
  const onHold = tok(tokens, 'CONNECTED_ONHOLD');
  assert.ok(has(onHold, STATE));
  assert.ok(has(onHold, 'string.quoted.double.json'), 'still inside the JSON string');
  assert.ok(has(tok(tokens, 'HEART_BEAT'), EVENT_TYPE));
  assert.ok(!tokens.some((t) => t.text === 'ENDED' && has(t, STATE)), 'not in a key, not in free text');
});

test('injection: the JSON Lines grammar (scopes renamed to .json.lines) gets the same scopes', async () => {
  const text = '{"Contacts":[{"State":"MISSED"}],"EventType":"STATE_CHANGE"}\n{"Contacts":[{"State":"REJECTED"}]}';
  const tokens = await tokenize('source.json.lines', text);
  assert.ok(tok(tokens, 'MISSED').scopes.includes('string.quoted.double.json.lines'));
  assert.ok(has(tok(tokens, 'MISSED'), STATE));
  assert.ok(has(tok(tokens, 'STATE_CHANGE'), EVENT_TYPE));
  assert.equal(tok(tokens, 'REJECTED').line, 1);
  assert.ok(has(tok(tokens, 'REJECTED'), STATE));
});

test('injection: escaped quotes inside a JSON string are not a value boundary', async () => {
  const tokens = await tokenize('source.json', '{"a": "x \\"PENDING\\" y", "b": "PENDING"}');
  const states = tokens.filter((t) => has(t, STATE));
  assert.equal(states.length, 1, 'only the value of "b" is a state');
  assert.ok(tokens.indexOf(states[0]) > tokens.indexOf(tok(tokens, 'b')));
  assert.ok(has(tok(tokens, ' y'), 'string.quoted.double.json'), 'the string did not end at the escaped quote');
});

test('control: without the injection the JSON grammar alone gives no Connect scope', async () => {
  const tokens = await tokenize('source.json', '{"State": "CONNECTED"}', false);
  assert.ok(!has(tok(tokens, 'CONNECTED'), STATE));
});

test('the injection grammar and the firehose grammar match the same values', () => {
  const injection = JSON.parse(read('syntaxes/connect-values.injection.tmLanguage.json'));
  const firehose = JSON.parse(read('syntaxes/connect-firehose.tmLanguage.json'));
  const fromInjection = Object.values(injection.repository as Record<string, { match: string; name: string }>).map((r) => [r.name, r.match]);
  const fromFirehose = (firehose.repository['connect-values'].patterns as { match: string; name: string }[]).map((r) => [r.name, r.match]);
  assert.deepEqual(fromFirehose, fromInjection);
  assert.equal(injection.scopeName, INJECTION);
  assert.match(injection.injectionSelector, /L:source\.json string\.quoted\.double\.json/);
});

// The firstLine regex for contributes.languages: a first key AND a value of the shape only
// Connect writes, so arbitrary JSON whose first key happens to be "Agent" is not taken.
// (VS Code only consults firstLine when the file's extension did not decide the language.)
const FIRST_LINE =
  '^\\s*\\{\\s*"(?:AWSAccountId"\\s*:\\s*"\\d{12}"|AWSContactTraceRecordFormatVersion"|' +
  '(?:AgentARN|InstanceARN)"\\s*:\\s*"arn:aws[a-z-]*:connect:|' +
  'EventType"\\s*:\\s*"(?:STATE_CHANGE|HEART_BEAT|LOGIN|LOGOUT)"|' +
  '(?:EventId|ContactId)"\\s*:\\s*"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"|' +
  'CurrentAgentSnapshot"\\s*:\\s*\\{|' +
  'InitiationMethod"\\s*:\\s*"(?:INBOUND|OUTBOUND|TRANSFER|QUEUE_TRANSFER|CALLBACK|API|MONITOR|DISCONNECT|EXTERNAL_OUTBOUND|AGENT_REPLY|FLOW|WEBRTC_API|CAMPAIGN_PREVIEW)"|' +
  'Channel"\\s*:\\s*"(?:VOICE|CHAT|TASK|EMAIL)"|' +
  'Agent"\\s*:\\s*(?:null|\\{\\s*"(?:ARN|AfterContactWork|AgentInteractionDuration|AgentPauseDuration|ConnectedToAgentTimestamp|CustomerHoldDuration))|' +
  'AgentConnectionAttempts"\\s*:\\s*\\d)';

test('firstLine recognises Connect records and leaves other JSON alone', () => {
  const re = new RegExp(FIRST_LINE);
  const samples = [
    'samples/firehose/chat-2026-11-24-10',
    'samples/chat.firehose',
    'samples/transfer-chain.jsonl',
    'samples/transfer-chain-agent-events.jsonl',
    'samples/queued-callback.jsonl',
  ];
  for (const f of samples) assert.match(read(f).split('\n')[0], re, f);
  const connectish = [
    '{"AgentARN":"arn:aws:connect:eu-west-2:111122223333:instance/x/agent/y"}',
    '{ "EventType": "HEART_BEAT" }',
    '{"ContactId":"5b8f3c1e-0d2a-4c6b-9e7f-111111111111","Channel":"CHAT"}',
    '{"Agent":null,"AgentConnectionAttempts":0}',
    '{"InitiationMethod":"CALLBACK"}',
  ];
  for (const l of connectish) assert.match(l, re, l);
  const other = [
    '{"name":"connect-event-inspector","version":"0.1.0"}',
    '{"AWSAccountId":"not-an-account"}',
    '{"EventType":"click","Channel":"web"}',
    '{"ContactId":42}',
    '{"eventVersion":"1.08","userIdentity":{"accountId":"111122223333"}}',
    '[{"AWSAccountId":"111122223333"}]',
    '{"Agent":"Mozilla/5.0"}',
    '{"Version":"2012-10-17","Statement":[]}',
  ];
  for (const l of other) assert.doesNotMatch(l, re, l);
});

test('package.json declares the connect-firehose language with that firstLine and both grammars', () => {
  const pkg = JSON.parse(read('package.json'));
  const lang = (pkg.contributes?.languages ?? []).find((l: { id: string }) => l.id === 'connect-firehose');
  assert.ok(lang, 'contributes.languages has connect-firehose');
  assert.equal(lang.firstLine, FIRST_LINE, 'the firstLine tested above');
  assert.equal(lang.configuration, './language-configuration.json');
  const grammars: { scopeName: string; path: string; language?: string; injectTo?: string[] }[] = pkg.contributes?.grammars ?? [];
  const firehose = grammars.find((g) => g.scopeName === FIREHOSE);
  assert.deepEqual(firehose && { language: firehose.language, path: firehose.path }, {
    language: 'connect-firehose',
    path: './syntaxes/connect-firehose.tmLanguage.json',
  });
  const injection = grammars.find((g) => g.scopeName === INJECTION);
  assert.ok(injection, 'the injection grammar is contributed');
  assert.equal(injection.path, './syntaxes/connect-values.injection.tmLanguage.json');
  assert.deepEqual([...(injection.injectTo ?? [])].sort(), ['source.json', 'source.json.lines']);
});

test('language configuration pairs brackets and keeps ARNs and timestamps as one word', () => {
  const conf = JSON.parse(read('language-configuration.json'));
  assert.deepEqual(conf.brackets, [
    ['{', '}'],
    ['[', ']'],
  ]);
  const word = new RegExp(conf.wordPattern, 'g');
  const line = '"AgentARN":"arn:aws:connect:us-east-1:111122223333:instance/a1/agent/b2","T":"2026-11-24T09:01:10.127Z","N":5';
  assert.deepEqual(line.match(word), ['AgentARN', 'arn:aws:connect:us-east-1:111122223333:instance/a1/agent/b2', 'T', '2026-11-24T09:01:10.127Z', 'N', '5']);
  const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
  const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
  assert.match('  "Contacts": [', inc);
  assert.match('{', inc);
  assert.doesNotMatch('  "State": "ENDED",', inc);
  assert.match('  },', dec);
  assert.doesNotMatch('  "a": 1', dec);
});
