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

test('the canonical shapes (whole seconds or milliseconds, Z) read as Date.parse reads them, out-of-range fields as the general path does', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  let checked = 0;
  for (const year of ['0050', '1000', '1970', '2024', '2023', '9999'])
    for (let month = 0; month <= 13; month++)
      for (let day = 0; day <= 32; day++)
        for (const time of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60'])
          for (const fraction of ['', '.000', '.999']) {
            const s = `${year}-${two(month)}-${two(day)}T${time}${fraction}Z`;
            const t = Date.parse(s);
            assert.equal(parseTimestamp(s), Number.isFinite(t) ? t : undefined, s);
            checked++;
          }
  assert.equal(checked, 6 * 14 * 33 * 5 * 3);
  // Invented near-misses of the canonical shape: the general path decides.
  assert.equal(parseTimestamp('2024-01-05T17:20:32.5Z'), Date.UTC(2024, 0, 5, 17, 20, 32, 500));
  assert.equal(parseTimestamp('2024-01-05T17:2a:32Z'), undefined);
  assert.equal(parseTimestamp('2024-01-05X17:20:32.000Z'), undefined);
});
