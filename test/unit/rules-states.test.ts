import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTACT_STATES, ContactState, judgeTransition, reachableFrom, SOURCES, STATE_DOCS, TRANSITIONS, unusedStates } from '../../server/src/core/states';

const inEvent = { acrossEvents: false, reoffer: false };
const across = { acrossEvents: true, reoffer: true };
const ok = (from: ContactState, to: ContactState, profile = {}, ctx = inEvent) => judgeTransition(from, to, profile, ctx).ok;

test('every state is documented and every row names a known source', () => {
  for (const s of CONTACT_STATES) {
    assert.ok(STATE_DOCS[s].summary.length > 10, s);
    assert.ok(SOURCES[STATE_DOCS[s].source], s);
  }
  for (const row of TRANSITIONS) {
    assert.ok(CONTACT_STATES.includes(row.from) && CONTACT_STATES.includes(row.to), `${row.from} -> ${row.to}`);
    assert.ok(SOURCES[row.source], `${row.from} -> ${row.to}`);
    assert.ok(row.note.length > 0);
  }
  assert.match(STATE_DOCS.INCOMING.summary, /queued callback/);
  assert.match(STATE_DOCS.CONNECTING.summary, /ringing/);
  assert.match(STATE_DOCS.ENDED.summary, /after-contact work/);
});

test('final states have no successor inside one event; only a contact never connected is offered again', () => {
  for (const s of ['MISSED', 'REJECTED', 'ERROR', 'ENDED'] as const) {
    assert.equal(STATE_DOCS[s].final, true);
    assert.equal(reachableFrom(s, {}, false).size, 0, s);
  }
  assert.deepEqual([...reachableFrom('ENDED', {}, true)], []);
  assert.ok(reachableFrom('MISSED', { channel: 'VOICE' }, true).has('CONNECTED'));
  assert.equal(ok('MISSED', 'CONNECTING', { channel: 'VOICE' }, across), true);
  assert.equal(ok('MISSED', 'CONNECTING', { channel: 'VOICE' }, { acrossEvents: true, reoffer: false }), false);
  assert.equal(ok('MISSED', 'CONNECTING', { channel: 'VOICE' }), false);
});

test('moves real data shows are allowed', () => {
  const v = { channel: 'VOICE', initiationMethod: 'INBOUND' };
  assert.ok(ok('CONNECTING', 'CONNECTED', v));
  assert.ok(ok('CONNECTING', 'MISSED', v));
  assert.ok(ok('CONNECTING', 'ERROR', v));
  assert.ok(ok('CONNECTING', 'ENDED', { channel: 'VOICE', initiationMethod: 'OUTBOUND' }));
  assert.ok(ok('CONNECTED', 'CONNECTED_ONHOLD', v));
  assert.ok(ok('CONNECTED_ONHOLD', 'CONNECTED', v));
  assert.ok(ok('CONNECTED_ONHOLD', 'ENDED', v));
  assert.ok(ok('CONNECTED', 'ENDED', v));
  assert.ok(ok('CONNECTED', 'CONNECTED', v), 'same state is not a transition');
  const cb = { channel: 'VOICE', initiationMethod: 'CALLBACK' };
  assert.ok(ok('INCOMING', 'PENDING', cb) && ok('PENDING', 'CONNECTING', cb) && ok('INCOMING', 'CONNECTING', cb));
  const task = { channel: 'TASK', initiationMethod: 'API' };
  assert.ok(ok('CONNECTED', 'PAUSED', task) && ok('PAUSED', 'CONNECTED', task) && ok('PAUSED', 'ENDED', task));
  assert.ok(ok('CONNECTING', 'REJECTED', { channel: 'CHAT' }));
  // Across events with events missing, skipping states is fine.
  assert.ok(ok('CONNECTING', 'ENDED', v, across));
  assert.ok(ok('INCOMING', 'CONNECTED', cb, across));
});

test('moves nothing can explain are refused, with a reason', () => {
  const v = { channel: 'VOICE', initiationMethod: 'INBOUND' };
  const reason = (from: ContactState, to: ContactState, profile = {}, ctx = inEvent) => {
    const verdict = judgeTransition(from, to, profile, ctx);
    assert.equal(verdict.ok, false, `${from} -> ${to}`);
    return verdict.ok ? '' : verdict.reason;
  };
  assert.match(reason('ENDED', 'CONNECTED', v), /ENDED is final/);
  assert.match(reason('ENDED', 'CONNECTED', v, across), /ENDED is final/);
  assert.match(reason('CONNECTED', 'CONNECTING', v), /cannot follow/);
  assert.match(reason('CONNECTED', 'MISSED', v), /cannot follow/);
  assert.match(reason('CONNECTING', 'INCOMING', { channel: 'VOICE', initiationMethod: 'CALLBACK' }), /cannot follow/);
  assert.match(reason('CONNECTING', 'REJECTED', { channel: 'VOICE' }), /not used for voice/);
  assert.match(reason('CONNECTED', 'PAUSED', { channel: 'CHAT' }), /only used for tasks/);
  assert.match(reason('CONNECTED', 'PAUSED', { channel: 'VOICE' }), /only used for tasks/);
  // Out of a state the channel never uses: already reported on the way in, not judged again.
  assert.equal(ok('INCOMING', 'CONNECTING', { channel: 'VOICE', initiationMethod: 'INBOUND' }), true);
});

test('channel quirks as data', () => {
  assert.deepEqual([...unusedStates({ channel: 'VOICE', initiationMethod: 'INBOUND' }).keys()].sort(), ['INCOMING', 'PAUSED', 'PENDING', 'REJECTED']);
  assert.deepEqual([...unusedStates({ channel: 'VOICE', initiationMethod: 'CALLBACK' }).keys()].sort(), ['PAUSED', 'REJECTED']);
  assert.deepEqual([...unusedStates({ channel: 'VOICE' }).keys()].sort(), ['PAUSED', 'REJECTED']);
  assert.deepEqual([...unusedStates({ channel: 'CHAT' }).keys()].sort(), ['INCOMING', 'PAUSED', 'PENDING']);
  assert.deepEqual([...unusedStates({ channel: 'TASK' }).keys()].sort(), ['INCOMING', 'PENDING']);
  assert.deepEqual([...unusedStates({ channel: 'EMAIL' }).keys()], [], 'unknown to the table: nothing is ruled out');
  assert.deepEqual([...unusedStates({}).keys()], []);
});
