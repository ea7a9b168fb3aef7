// Short hand masks (`xx`, `xx-xx`) through the document analysis and the workspace rules:
// a mask where the field cannot hold x's (IDs, ARNs, the account, endpoint addresses,
// timestamps), and a real value where it can (names, labels, user data). Records: modified
// copies of test/fixtures/real (real shapes, invented values; SOURCES.md there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, workspaceDumps } from '../../server/src/core/analyze';
import { explainInDumps } from '../../server/src/core/explainInput';
import { isMasked } from '../../server/src/core/masking';
import { runWorkspaceRules } from '../../server/src/core/rules';

type Rec = Record<string, any>;
const real = (name: string): Rec => JSON.parse(readFileSync(join(__dirname, '../fixtures/real', name), 'utf8'));

/** Every finding of the records (document and workspace rules) as `code value-at-the-finding`. */
function findings(records: readonly Rec[]): string[] {
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const analysis = analyzeText('file:///masked.jsonl', text);
  const cross = runWorkspaceRules(workspaceDumps(analysis)).get('file:///masked.jsonl') ?? [];
  return [...analysis.findings, ...cross].map((f) => `${f.code} ${text.slice(f.start, f.end)}`);
}

test('the x-masked flow log entry: ContactId "xx-xx" and ContactFlowId "xx" are masks, its Identifier "xx" (a block label may read so) is not', () => {
  const text = readFileSync(join(__dirname, '../fixtures/real/flow-log.masked-set-attributes.json'), 'utf8');
  const [f, ...rest] = analyzeText('file:///real/flow.json', text).findings;
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'redacted');
  assert.equal(text.slice(f.start, f.end), '"xx-xx"');
  assert.match(f.message, /2 values are masked, starting with "xx-xx"/);
});

test('short masks in IDs, ARNs, the account and addresses of a contact record: one redacted, no schema or arn-format finding', () => {
  const r = real('ctr.inbound-short-call.json');
  r.AWSAccountId = 'xx'; // the schema's 12-digit pattern would fail on it
  r.ContactId = 'xx-xx';
  r.InstanceARN = 'arn:aws:connect:us-east-1:xx:instance/xx';
  r.CustomerEndpoint.Address = 'XXX-XXX';
  assert.deepEqual(findings([r]), ['redacted "xx"']);
  const [f] = analyzeText('file:///m.json', JSON.stringify(r)).findings;
  assert.match(f.message, /4 values are masked/);
});

test('"XX" where a real value can read so is not a mask: attributes, names, block parameters', () => {
  const r = real('ctr.inbound-short-call.json');
  r.Attributes = { ContactId: 'xx', tier: 'XX', code: 'x-x' }; // user data, even under an ID-like key
  r.Agent.Username = 'xx';
  r.Queue.Name = 'XX';
  assert.deepEqual(findings([r]), []);
  const flow = real('flow-log.masked-set-attributes.json');
  flow.ContactId = 'c0000009-0000-4000-8000-000000000001';
  flow.ContactFlowId = 'arn:aws:connect:us-east-1:111122223333:instance/0000aaaa-1111-4222-8333-444455550009/contact-flow/f0000009-0000-4000-8000-000000000001';
  flow.Parameters.Value = 'XX';
  assert.deepEqual(findings([flow]), []);
});

test('a masked link is no link-missing and no link-initial: what it named is not in the dumps either way', () => {
  const first = real('ctr.inbound-short-call.json');
  const second: Rec = { ...real('ctr.inbound-short-call.json'), ContactId: 'c0000002-0000-4000-8000-000000000002', InitiationMethod: 'TRANSFER' };
  for (const mask of ['xx-xx', 'xx', '**********']) {
    second.PreviousContactId = mask;
    second.InitialContactId = mask;
    assert.deepEqual(findings([first, second]), [`redacted ${JSON.stringify(mask)}`], mask);
  }
  // Unmasked, the same link is information that the dump is partial: the rule still works.
  second.PreviousContactId = 'c0000002-0000-4000-8000-000000000099';
  second.InitialContactId = 'c0000002-0000-4000-8000-000000000099';
  assert.deepEqual(
    findings([first, second]).map((f) => f.split(' ')[0]),
    ['link-missing', 'link-missing'],
  );
});

test('isMasked: a short mask needs its place; the unmistakable masks do not', () => {
  assert.equal(isMasked('xx'), false);
  assert.equal(isMasked('xx', ['ContactId']), true);
  assert.equal(isMasked('xx-xx', ['Contacts', 0, 'ContactId']), true);
  assert.equal(isMasked('xx', ['Attributes', 'ContactId']), false);
  assert.equal(isMasked('Xavier', ['ContactId']), false);
  assert.equal(isMasked('xx', ['Name']), false);
  assert.equal(isMasked('arn:aws:connect:us-east-1:xx:instance/abc'), true);
  assert.equal(isMasked('arn:aws:connect:us-east-1:111122223333:instance/abc'), false);
  assert.equal(isMasked('**********'), true);
});

test('two contacts whose links are masked alike are not one chain: explain follows no masked link', () => {
  const a: Rec = { ...real('ctr.inbound-short-call.json'), ContactId: 'c0000002-0000-4000-8000-00000000000a', InitiationMethod: 'TRANSFER' };
  const b: Rec = { ...real('ctr.inbound-short-call.json'), ContactId: 'c0000002-0000-4000-8000-00000000000b', InitiationMethod: 'TRANSFER' };
  for (const mask of ['xx-xx', '**********']) {
    a.PreviousContactId = a.InitialContactId = b.PreviousContactId = b.InitialContactId = mask;
    const analysis = analyzeText('file:///two.jsonl', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
    const e = explainInDumps(a.ContactId, workspaceDumps(analysis));
    assert.deepEqual(
      e?.explanation.chain.map((l) => l.contactId),
      [a.ContactId],
      mask,
    );
  }
  // The same shared link unmasked is one chain: the walker still follows real links.
  a.PreviousContactId = a.InitialContactId = b.PreviousContactId = b.InitialContactId = 'c0000002-0000-4000-8000-000000000099';
  const analysis = analyzeText('file:///two.jsonl', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
  assert.deepEqual(
    explainInDumps(a.ContactId, workspaceDumps(analysis))
      ?.explanation.chain.map((l) => l.contactId)
      .sort(),
    [a.ContactId, b.ContactId].sort(),
  );
});
