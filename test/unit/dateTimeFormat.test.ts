// The schemas' `date-time` format (core/dateTimeFormat.ts): its fast path for Connect's shapes
// must give ajv-formats' verdict on every string, valid or not, and the validators built at
// build time must use it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fullFormats } from 'ajv-formats/dist/formats';
import { formats, isDateTime } from '../../server/src/core/dateTimeFormat';
import { createAjv } from '../../server/src/core/schemaCompiler';
import * as generated from '../../server/src/core/generated/validators';

const reference = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const two = (n: number) => String(n).padStart(2, '0');

function agrees(s: string): void {
  assert.equal(isDateTime(s), reference(s), JSON.stringify(s));
}

test('dates: every month and day around the edges, leap years, with Connect times and zones', () => {
  let valid = 0;
  let checked = 0;
  for (const year of ['0000', '0050', '1900', '1970', '2000', '2023', '2024', '2100', '9999', '2O24', '-024'])
    for (let month = 0; month <= 13; month++)
      for (let day = 0; day <= 32; day++)
        for (const time of ['08:03:03Z', '08:03:03.754Z', '23:59:59+00:00', '00:00:00.000-05:30']) {
          const s = `${year}-${two(month)}-${two(day)}T${time}`;
          agrees(s);
          checked++;
          if (reference(s)) valid++;
        }
  // Both outcomes are exercised, many times over.
  assert.ok(valid > 5000 && checked - valid > 5000, `${valid} valid of ${checked}`);
});

test('times: hours, minutes, seconds, leap seconds, fractions, separators and zones', () => {
  let checked = 0;
  for (const date of ['2024-03-12', '2024-02-29', '2023-02-29'])
    for (const separator of ['T', 't', ' ', '_', ''])
      for (const hour of ['00', '12', '23', '24', '99', '1', 'ab'])
        for (const minute of ['00', '59', '60'])
          for (const second of ['00', '59', '60', '61'])
            for (const fraction of ['', '.', '.7', '.754', '.7540', '.75a'])
              for (const zone of [
                'Z',
                'z',
                '',
                '+00:00',
                '-00:00',
                '+05:30',
                '-23:59',
                '+24:00',
                '+00:60',
                '+0000',
                '+00',
                '+5:30',
                '*00:00',
                '+00;00',
                'Z ',
                '+00:00Z',
              ]) {
                agrees(`${date}${separator}${hour}:${minute}:${second}${fraction}${zone}`);
                checked++;
              }
  assert.equal(checked, 3 * 5 * 7 * 3 * 4 * 6 * 16);
});

test('every one-character change of each canonical shape', () => {
  const shapes = ['2024-03-12T08:03:03.754Z', '2024-03-12T08:03:03Z', '2024-03-12T08:03:03+00:00', '2024-03-12T08:03:03.754+00:00', '2016-12-31T23:59:60Z'];
  const replacements = ['0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x', '\u0660', '/', '\u00a0'];
  let checked = 0;
  for (const shape of shapes) {
    agrees(shape);
    for (let i = 0; i < shape.length; i++) {
      agrees(shape.slice(0, i) + shape.slice(i + 1)); // one character dropped
      for (const r of replacements) {
        agrees(shape.slice(0, i) + r + shape.slice(i + 1));
        agrees(shape.slice(0, i) + r + shape.slice(i)); // one character added
        checked += 2;
      }
    }
  }
  assert.ok(checked > 3000);
  for (const s of ['', 'now', '2024-03-12', '08:03:03Z', 'T', '2024-03-12T08:03:03.754Z\n', ' 2024-03-12T08:03:03.754Z']) agrees(s);
});

test('createAjv and the build-time validators check date-time through it', () => {
  assert.equal(createAjv().formats['date-time'], formats['date-time']);
  // esbuild.mjs points the generated code at this module (ajv's `code.formats`), not at ajv-formats.
  const code = readFileSync('server/src/core/generated/validators.js', 'utf8');
  assert.match(code, /require\("\.\.\/dateTimeFormat"\)\.formats\["date-time"\]/);
  assert.doesNotMatch(code, /ajv-formats/);
  const event = (time: string) => ({
    AWSAccountId: '123456789012',
    AgentARN: 'arn:aws:connect:us-east-1:123456789012:instance/invented/agent/invented',
    EventId: 'invented',
    EventTimestamp: time,
    EventType: 'HEART_BEAT',
    InstanceARN: 'arn:aws:connect:us-east-1:123456789012:instance/invented',
    Version: '2019-05-25',
  });
  for (const s of ['2024-03-12T08:03:03.754Z', '2024-02-30T08:03:03.754Z', '2016-12-31T23:59:60Z', '2024-03-12 08:03:03+0100', '2024-03-12T08:03:03'])
    assert.equal(generated.agentEvent(event(s)), reference(s), s);
});
