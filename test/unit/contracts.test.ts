// The contracts between package.json, the client, the server, the webview and the tests
// live in server/src/shared/ids.ts (IDs, setting names), server/src/lsp/settings.ts (the
// defaults) and server/src/shared/protocol.ts (custom LSP messages). These tests fail when
// package.json contributes something the module does not name, or the other way round, and
// when an ID or method name is spelled out as a string anywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import {
  COMMANDS,
  CONFIGURATION_SECTION,
  CONTEXT_KEYS,
  INTERNAL_COMMANDS,
  LANGUAGES,
  SETTINGS,
  settingKey,
  TREE_ITEM_CONTEXT,
  VIEW_CONTAINERS,
  VIEWS,
  WEBVIEW_PANELS,
} from '../../server/src/shared/ids';
import * as protocol from '../../server/src/shared/protocol';

/** What these tests read of package.json. */
interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: Record<string, { id: string }[]>;
    languages: { id: string }[];
    grammars: { language?: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
}

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributes = pkg.contributes;
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('commands: package.json contributes exactly the commands the module names', () => {
  assert.deepEqual(sorted(contributes.commands.map((c) => c.command)), sorted(Object.values(COMMANDS)));
  for (const internal of Object.values(INTERNAL_COMMANDS)) assert.ok(!Object.values(COMMANDS).includes(internal as never), internal);
  const inMenus = Object.values(contributes.menus)
    .flat()
    .map((m) => m.command);
  for (const command of inMenus) assert.ok(Object.values(COMMANDS).includes(command as never), `menu entry for unknown command ${command}`);
});

test('views and the panel container: package.json and the module agree', () => {
  const views = Object.values(contributes.views)
    .flat()
    .map((v) => v.id);
  assert.deepEqual(sorted(views), sorted(Object.values(VIEWS)));
  const containers = Object.values(contributes.viewsContainers)
    .flat()
    .map((c) => c.id);
  assert.deepEqual(sorted(containers), sorted(Object.values(VIEW_CONTAINERS)));
  assert.deepEqual(Object.keys(contributes.views), Object.values(VIEW_CONTAINERS));
});

test('languages: package.json contributes exactly the languages the module names', () => {
  assert.deepEqual(sorted(contributes.languages.map((l) => l.id)), sorted(Object.values(LANGUAGES)));
  const grammarLanguages = contributes.grammars.flatMap((g) => (g.language ? [g.language] : []));
  for (const id of grammarLanguages) assert.ok((Object.values(LANGUAGES) as string[]).includes(id), id);
});

test("settings: package.json declares exactly the module's settings, with the reader's defaults", () => {
  const properties = contributes.configuration.properties;
  assert.deepEqual(sorted(Object.keys(properties)), sorted(Object.values(SETTINGS).map(settingKey)));
  assert.deepEqual(sorted(Object.keys(DEFAULT_SETTINGS)), sorted(Object.values(SETTINGS)));
  for (const name of Object.values(SETTINGS)) {
    assert.deepEqual(properties[settingKey(name)].default, DEFAULT_SETTINGS[name], `default of ${settingKey(name)}`);
  }
  for (const key of Object.keys(properties)) assert.ok(key.startsWith(`${CONFIGURATION_SECTION}.`), key);
  for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(key in properties, `restricted ${key} is declared`);
});

test('activation events and when clauses name only IDs the module holds', () => {
  const known = new Set<string>([
    ...Object.values(COMMANDS),
    ...Object.values(VIEWS),
    ...Object.values(CONTEXT_KEYS),
    ...Object.values(LANGUAGES),
    ...Object.values(TREE_ITEM_CONTEXT), // `viewItem == ...` in view/item/context menus
  ]);
  for (const event of pkg.activationEvents) {
    const [kind, id] = event.split(':');
    if (kind === 'onWebviewPanel') assert.ok(Object.values(WEBVIEW_PANELS).includes(id as never), event);
    else if (kind === 'onCommand') assert.ok(Object.values(COMMANDS).includes(id as never), event);
    else if (kind === 'onStartupFinished')
      continue; // names no ID
    else if (kind === 'onLanguage') assert.ok(['json', 'jsonl', ...Object.values(LANGUAGES)].includes(id), event);
    else assert.fail(`activation event ${event} is not checked here`);
  }
  const whens = JSON.stringify(contributes).match(/"when":"[^"]*"/g) ?? [];
  const used = new Set(whens.flatMap((w) => w.match(/connectInspector\.[\w.]+/g) ?? []));
  for (const id of used) assert.ok(known.has(id), `when clause names ${id}, which shared/ids.ts does not hold`);
  // Every context key is read by some when clause (or it is dead).
  for (const key of Object.values(CONTEXT_KEYS)) assert.ok(used.has(key), `${key} is read by no when clause`);
});

test('every custom LSP message is typed, under the connectInspector/ prefix, and unique', () => {
  const messages = Object.entries(protocol)
    .filter(([, v]) => v && typeof v === 'object' && 'type' in v)
    .map(([name, v]) => ({ name, method: (v as { type: { method: string } }).type.method, declared: (v as { method?: string }).method }));
  assert.ok(messages.length >= 4, JSON.stringify(messages));
  for (const m of messages) {
    assert.match(m.method, /^connectInspector\/[a-z][A-Za-z]+$/, m.name);
    assert.equal(m.declared, m.method, `${m.name}.method is its type's method`);
  }
  assert.equal(new Set(messages.map((m) => m.method)).size, messages.length, 'two messages share a method name');
});

/** The code files under these folders (generated code, fixtures and dependencies left out). */
function codeFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'generated' && name !== 'fixtures' && name !== 'node_modules') walk(full);
      } else if (/\.(ts|js|mjs)$/.test(name)) {
        out.push(full);
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return out;
}

const ID_LITERAL = /(['"`])(connectInspector[./][\w./]*)\1/g;
const ALL_IDS = new Set<string>([
  ...Object.values(COMMANDS),
  ...Object.values(INTERNAL_COMMANDS),
  ...Object.values(VIEWS),
  ...Object.values(WEBVIEW_PANELS),
  ...Object.values(CONTEXT_KEYS),
]);

test('no ID, setting name or method name is spelled as a string outside the modules that own them', () => {
  const owners = [join('shared', 'ids.ts'), join('shared', 'protocol.ts'), 'contracts.test.ts'];
  const files = codeFiles(['client/src', 'server/src', 'test/lsp', 'test/unit', 'test/webview', 'test/fuzz']).filter((f) => !owners.some((o) => f.endsWith(o)));
  const offenders: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(ID_LITERAL)) {
      if (ALL_IDS.has(m[2]) || m[2].startsWith('connectInspector/')) offenders.push(`${relative(root, file)}: ${m[0]}`);
    }
    if (/['"`]connect-firehose['"`]/.test(text) && !relative(root, file).startsWith('test')) offenders.push(`${relative(root, file)}: 'connect-firehose'`);
  }
  assert.deepEqual(offenders, []);
});

test('the end-to-end suite (plain JavaScript in the harness) names only IDs the module holds', () => {
  const found = codeFiles(['test/e2e']).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(ID_LITERAL)].map((m) => ({ file: relative(root, file), id: m[2] })),
  );
  assert.ok(found.length > 0, 'the suite names the timeline command');
  assert.deepEqual(
    found.filter((f) => !ALL_IDS.has(f.id)),
    [],
  );
});
