// Which VS Code the end-to-end suite runs in (test/e2e/lib/host.mjs): code-server where its
// tools can be installed, @vscode/test-electron everywhere else, so `npm test` does not
// fail on tool setup on macOS, Windows or a non-root Linux.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

interface Facts {
  platform: NodeJS.Platform;
  arch: string;
  uid: number | undefined;
  apt: boolean;
  aptPackagesPresent: boolean;
  forced: string | undefined;
}
type Choose = (facts: Facts) => { host: 'code-server' | 'electron'; reason: string };

const load = async () => (await import(join(__dirname, '../e2e/lib/host.mjs'))) as { chooseE2eHost: Choose; hostFacts: () => Facts };
const debianRoot: Facts = { platform: 'linux', arch: 'x64', uid: 0, apt: true, aptPackagesPresent: false, forced: undefined };

test('code-server where apt can install its packages or they are already there', async () => {
  const { chooseE2eHost } = await load();
  assert.equal(chooseE2eHost(debianRoot).host, 'code-server');
  assert.equal(chooseE2eHost({ ...debianRoot, uid: 1000, aptPackagesPresent: true }).host, 'code-server', 'non-root, packages already installed');
  assert.equal(chooseE2eHost({ ...debianRoot, apt: false, aptPackagesPresent: true }).host, 'code-server');
});

test('@vscode/test-electron on macOS, Windows, non-root Linux, Linux without apt, and arm64', async () => {
  const { chooseE2eHost } = await load();
  const cases: [string, Facts][] = [
    ['macOS', { ...debianRoot, platform: 'darwin', uid: 501, apt: false }],
    ['macOS even as root with packages', { ...debianRoot, platform: 'darwin', aptPackagesPresent: true }],
    ['Windows', { ...debianRoot, platform: 'win32', uid: undefined, apt: false }],
    ['non-root Debian', { ...debianRoot, uid: 1000 }],
    ['Fedora (no apt)', { ...debianRoot, apt: false }],
    ['Linux arm64', { ...debianRoot, arch: 'arm64', aptPackagesPresent: true }],
  ];
  for (const [name, facts] of cases) {
    const choice = chooseE2eHost(facts);
    assert.equal(choice.host, 'electron', name);
    assert.ok(choice.reason.length > 5, `${name}: a reason is given`);
  }
});

test('CEI_E2E_HOST forces a host; a wrong value is an error, not a silent default', async () => {
  const { chooseE2eHost } = await load();
  assert.equal(chooseE2eHost({ ...debianRoot, forced: 'electron' }).host, 'electron');
  assert.equal(chooseE2eHost({ ...debianRoot, platform: 'darwin', forced: 'code-server' }).host, 'code-server');
  assert.throws(() => chooseE2eHost({ ...debianRoot, forced: 'firefox' }), /CEI_E2E_HOST/);
});

test("this machine's facts are read without throwing and give a host", async () => {
  const { chooseE2eHost, hostFacts } = await load();
  const facts = hostFacts();
  assert.equal(facts.platform, process.platform);
  assert.ok(['code-server', 'electron'].includes(chooseE2eHost(facts).host));
});
