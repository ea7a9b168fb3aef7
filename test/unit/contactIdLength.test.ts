// A value longer than any contact ID (Amazon Connect's have at most 256 characters): the core
// picks no contact for it, a chain does not follow a link to it, and text names it cut short.
// test/lsp/hugeIds.test.ts checks the same through the server, answer by answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { walkChain } from '../../server/src/core/chain';
import { contactIdAt } from '../../server/src/core/contactAt';
import { MAX_CONTACT_ID_CHARS, shownId } from '../../server/src/core/contactIdLength';
import { explanationText } from '../../server/src/core/explainText';
import { explainInDumps } from '../../server/src/core/explainInput';
import { contactModel } from '../../server/src/core/model';
import { buildTimeline } from '../../server/src/core/timeline';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const ctr = fixture('contact-record.voice-inbound.json'); // ContactId "ContactId-1"
const flowLog = fixture('flow-log.admin-guide.set-queue.json');
const HUGE = 'f0b21968-952b-47ba-b764-f29a57bcf626'.repeat(30_000); // invented, 1 MB

test('shownId keeps an ID of up to 256 characters whole, and cuts a longer one with … and its length', () => {
  const longest = 'a'.repeat(MAX_CONTACT_ID_CHARS);
  assert.equal(shownId(longest), longest);
  assert.equal(shownId(HUGE), `${HUGE.slice(0, 40)}… (1,080,000 characters)`);
  // Never half a surrogate pair before the ellipsis.
  assert.equal(shownId(`${'a'.repeat(39)}${'😀'.repeat(200)}`), `${'a'.repeat(39)}… (439 characters)`);
});

test('a contact ID past 256 characters is no contact: none at the cursor, no timeline leg through a link to it', () => {
  const text = [
    { ...flowLog, ContactId: HUGE },
    { ...ctr, PreviousContactId: HUGE, InitialContactId: HUGE },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n');
  const a = analyzeText('file:///huge/ids.jsonl', text);
  const [entry, record] = a.dump.records;
  assert.equal(contactIdAt(a.dump, entry.start + 20), undefined, 'the flow log entry names no contact');
  assert.equal(contactIdAt(a.dump, record.start + 20), 'ContactId-1');
  assert.ok(
    a.findings.some((f) => f.code === 'schema' && f.start > entry.start && f.end < entry.end && /256/.test(f.message)),
    'a schema finding on the flow log entry says the ID is too long',
  );

  const model = contactModel([a.dump]);
  const walk = walkChain(model, 'ContactId-1', 100);
  assert.deepEqual(
    walk.members.map((m) => m.id),
    ['ContactId-1'],
  );
  assert.deepEqual(walk.edges, []);
  const timeline = buildTimeline('ContactId-1', [a.dump]);
  assert.ok(timeline);
  assert.ok(JSON.stringify(timeline).length < 64 * 1024, 'the timeline carries no copy of the huge ID');
  assert.equal(timeline.summary.initialContactId, shownId(HUGE));
  const explained = explainInDumps('ContactId-1', [a.dump], model);
  assert.ok(explained);
  const narrative = explanationText(explained.explanation, explained.refs);
  assert.ok(narrative.length < 16 * 1024, `a narrative of ${narrative.length} characters`);
  assert.match(narrative, /PreviousContactId f0b21968-952b-47ba-b764-f29a57bcf626f0b2… \(1,080,000 characters\)/);
});
