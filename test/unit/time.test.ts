// The one timestamp policy (core/time.ts): what every rule, the model and the timeline read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestamp, timestampZone, UNSET_TIMESTAMP } from '../../server/src/core/time';

test('ISO 8601 with a zone, whole seconds or milliseconds, T or space', () => {
  assert.equal(parseTimestamp('2022-01-05T17:20:32Z'), Date.UTC(2022, 0, 5, 17, 20, 32));
  assert.equal(parseTimestamp('2019-05-25T18:43:59.051Z'), Date.UTC(2019, 4, 25, 18, 43, 59, 51));
  assert.equal(parseTimestamp('2022-01-05 17:20:32+0100'), Date.UTC(2022, 0, 5, 16, 20, 32));
  assert.equal(parseTimestamp('2022-01-05T17:20:32-05:00'), Date.UTC(2022, 0, 5, 22, 20, 32));
});

test('a missing zone is UTC (Athena drops the Z), never local time', () => {
  assert.equal(parseTimestamp('2022-01-05 17:20:32.000'), Date.UTC(2022, 0, 5, 17, 20, 32));
  assert.equal(timestampZone('2022-01-05 17:20:32.000'), null);
  assert.equal(timestampZone('2022-01-05T17:20:32z'), 'Z');
  assert.equal(timestampZone('2022-01-05T17:20:32+0530'), '+05:30');
});

test('not a timestamp, or the "not set" marker of contact events: undefined', () => {
  for (const v of ['12/03/2024 08:15:00', '2022-01-05', '', 'now', 1641403232000, null, undefined, {}, UNSET_TIMESTAMP]) {
    assert.equal(parseTimestamp(v), undefined, JSON.stringify(v) ?? 'undefined');
  }
  assert.equal(timestampZone('12/03/2024 08:15:00'), undefined);
});
