// `phone-format` (warning): the address of a TELEPHONE_NUMBER endpoint that is a damaged phone
// number. The data model says the address "is a phone number in E.164 format" (contact
// records data model, Endpoint); real dumps carry `" 19182690528"`, where a URL decoder
// turned the `+` into a space (DOMAIN.md, "Damaged values occur").
import { isMasked } from './masking';
import { findingOn, pathLabel, visitObjects } from './recordPaths';
import type { Dump, DumpRecord, Finding } from './types';

/** E.164: a `+` and at most 15 digits (ITU-T E.164). */
export const E164 = /^\+\d{1,15}$/;

/** A country code whose national numbers all have one length, and where that is written down. */
export interface NationalNumberLength {
  countryCode: string;
  /** Digits after the country code. */
  digits: number;
  plan: string;
  /** What the length is made of, for the message. */
  shape: string;
  source: string;
}

/**
 * Only where a source fixes the length; other country codes get the E.164 check alone (their
 * plans mix lengths). Country code 1 is World Zone 1 of ITU-T E.164's country codes: the whole
 * of the North American Numbering Plan (Guam is +1 671, not a code of its own), so every
 * "+1" number is a NANP number.
 */
export const NATIONAL_NUMBER_LENGTHS: readonly NationalNumberLength[] = [
  {
    countryCode: '1',
    digits: 10,
    plan: 'North American Numbering Plan',
    shape: '3-digit area code, 3-digit office code, 4-digit line number',
    source:
      'ATIS Telecom Glossary, "North American Number Plan (NANP)": "a plan for the allocation of unique 10-digit address numbers" (ANSI T1.104-1988); NANPA: NPA-NXX-XXXX',
  },
];

/** The national plan an E.164 number breaks by its length, if any. */
export function nationalLengthBreach(address: string): { plan: NationalNumberLength; digits: number } | undefined {
  for (const plan of NATIONAL_NUMBER_LENGTHS) {
    if (!address.startsWith(`+${plan.countryCode}`)) continue;
    const digits = address.length - 1 - plan.countryCode.length;
    return digits === plan.digits ? undefined : { plan, digits };
  }
  return undefined;
}

/**
 * Only addresses made of phone-number characters are judged: AWS documents words in this
 * field ("Softphone" as the system endpoint of callbacks handled by softphone agents, API
 * reference, Contact.SystemEndpoint), and a word is not a damaged number.
 */
const PHONE_LIKE = /^[\d\s+\-().]*\d[\d\s+\-().]*$/;

function hint(address: string): string {
  if (/^\s+\d/.test(address)) return ' A space where the "+" was: a "+" read as a space by URL decoding.';
  if (/^\d+$/.test(address)) return ' The leading "+" is missing.';
  if (/[\s\-().]/.test(address)) return ' E.164 has no spaces, dashes or brackets.';
  return '';
}

/**
 * From the record's own text, without walking it: nothing is escaped (so each string is its
 * text verbatim) and every string under an "Address" key is E.164. Then no address can be
 * a damaged phone number.
 */
function allAddressesE164(text: string): boolean {
  return !text.includes('\\') && !NON_E164_ADDRESS.test(text);
}

/**
 * An "Address" key whose value is a string that is not exactly an E.164 number of a length its
 * plan allows (NATIONAL_NUMBER_LENGTHS: "+1" then 10 digits; other codes up to 15 digits).
 */
const NON_E164_ADDRESS = /"Address"\s*:\s*"(?!\+(?:1\d{10}|[02-9]\d{0,14})")/;

/** What is wrong with a phone-number address, as the end of a sentence about it; undefined when nothing is. */
function addressFault(address: string): string | undefined {
  if (!E164.test(address)) return `is not an E.164 phone number ("+" then up to 15 digits, e.g. "+12065550100").${hint(address)}`;
  const breach = nationalLengthBreach(address);
  if (!breach) return undefined;
  const { plan, digits } = breach;
  return `has ${digits} digit${digits === 1 ? '' : 's'} after +${plan.countryCode}; numbers of the ${plan.plan} (+${plan.countryCode}) have exactly ${plan.digits} (${plan.shape}).`;
}

/** `phone-format` findings: every `{ Type: "TELEPHONE_NUMBER", Address }` object of the record. */
export function phoneFindings(dump: Dump, record: DumpRecord): Finding[] {
  if (record.kind !== 'contactRecord') return [];
  const out: Finding[] = [];
  if (allAddressesE164(dump.text.slice(record.start, record.end))) return out;
  // Endpoints sit at the top level (CustomerEndpoint, SystemEndpoint, TransferredToEndpoint,
  // ...) and deeper in newer fields: every object is looked at, except user data.
  visitObjects(
    record.value,
    (path, o) => {
      const address = o.Address;
      if (o.Type !== 'TELEPHONE_NUMBER' || typeof address !== 'string' || isMasked(address, [...path, 'Address']) || !PHONE_LIKE.test(address)) return;
      const at = [...path, 'Address'];
      const fault = addressFault(address);
      if (fault) out.push(findingOn(dump, record, at, 'phone-format', 'warning', `${pathLabel(at)} ${JSON.stringify(address)} ${fault}`));
    },
    (key) => key === 'Attributes',
  );
  return out;
}
