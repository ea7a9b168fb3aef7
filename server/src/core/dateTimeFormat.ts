// The schemas' `date-time` format, as ajv-formats checks it (RFC 3339, a zone required), with a
// fast path for the shapes Connect writes: `2024-03-12T08:03:03Z`, `2024-03-12T08:03:03.754Z`
// and the same with a `+hh:mm` offset. It runs for every time of every record; the fast path
// only ever says yes to what ajv-formats accepts, and hands anything else to ajv-formats, so
// the verdicts are the same. createAjv (schemaCompiler.ts) and the build-time validators (esbuild.mjs,
// `code.formats`) both take it from here.
import { fullFormats } from 'ajv-formats/dist/formats';
import { digits } from './time';

interface FormatDefinition {
  validate: (s: string) => boolean;
  compare: (a: string, b: string) => number | undefined;
}

const general = fullFormats['date-time'] as FormatDefinition;

/** Days in each month of a common year (index 1-12); February of a leap year has 29. */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDThh:mm:ss[.mmm](Z|±hh:mm)` with every field in range (no leap second): always a
 * valid RFC 3339 date-time. False means "not this shape", not "invalid".
 */
function canonicalDateTime(s: string): boolean {
  const n = s.length;
  // 20 and 24: Z after whole seconds or milliseconds; 25 and 29: an offset instead of Z.
  const fraction = n === 24 || n === 29;
  if (n !== 20 && n !== 24 && n !== 25 && n !== 29) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false; // - - T : :
  if (fraction && (s.charCodeAt(19) !== 46 || digits(s, 20, 3) < 0)) return false; // .
  const zone = fraction ? 23 : 19;
  if (n === 20 || n === 24) {
    if (s.charCodeAt(zone) !== 90) return false; // Z
  } else {
    const sign = s.charCodeAt(zone);
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(zone + 3) !== 58) return false; // + or -, :
    const zoneHour = digits(s, zone + 1, 2);
    const zoneMinute = digits(s, zone + 4, 2);
    if (zoneHour < 0 || zoneHour > 23 || zoneMinute < 0 || zoneMinute > 59) return false;
  }
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || digits(s, 17, 2) < 0 || digits(s, 17, 2) > 59) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]);
}

/** The `date-time` verdict of ajv-formats (full mode). */
export function isDateTime(s: string): boolean {
  return canonicalDateTime(s) || general.validate(s);
}

/** The formats the validators use, by name (what ajv's `code.formats` points to). */
export const formats: Record<'date-time', FormatDefinition> = {
  'date-time': { validate: isDateTime, compare: general.compare },
};
