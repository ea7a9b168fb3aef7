// The README documents every finding code (diagnostics link to these anchors) and the
// manifest offers every code in the rules setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from '../../server/src/core/types';
import { findingHelpUrl } from '../../server/src/shared/ids';

const root = join(__dirname, '../..');

test('every finding code has a README section that its diagnostics link to', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const code of FINDING_CODES) {
    const anchor = new URL(findingHelpUrl(code)).hash.slice(1);
    assert.ok(readme.includes(`<a id="${anchor}"></a>\n#### \`${code}\``), `README has no section for ${code}`);
  }
});

test('the rules setting names every configurable code', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const doc: string = pkg.contributes.configuration.properties['connectInspector.rules'].markdownDescription;
  for (const code of FINDING_CODES.filter((c) => c !== 'too-many-findings')) assert.ok(doc.includes(`\`${code}\``), code);
});

test('untrusted workspaces: settings that change what is checked or read are restricted to trusted workspaces', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const untrusted = pkg.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  for (const key of ['connectInspector.rules', 'connectInspector.files', 'connectInspector.exclude']) {
    assert.ok(untrusted.restrictedConfigurations.includes(key), key);
    assert.ok(pkg.contributes.configuration.properties[key], `${key} is a declared setting`);
  }
});
