// `phone-format` (warning): the address of a TELEPHONE_NUMBER endpoint that is a damaged phone
// number. The data model says the address "is a phone number in E.164 format" (contact
// records data model, Endpoint); real dumps carry `" 19182690528"`, where a URL decoder
// turned the `+` into a space (DOMAIN.md, "Damaged values occur").
import { isMasked } from './masking';
import { findingOn, pathLabel, visitObjects } from './recordPaths';
import type { Dump, DumpRecord, Finding } from './types';

/** E.164: a `+` and at most 15 digits (ITU-T E.164). */
export const E164 = /^\+\d{1,15}$/;

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

/** An "Address" key whose value is a string that is not exactly an E.164 number. */
const NON_E164_ADDRESS = /"Address"\s*:\s*"(?!\+\d{1,15}")/;

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
      if (o.Type !== 'TELEPHONE_NUMBER' || typeof address !== 'string' || isMasked(address) || !PHONE_LIKE.test(address) || E164.test(address)) return;
      const at = [...path, 'Address'];
      out.push(
        findingOn(
          dump,
          record,
          at,
          'phone-format',
          'warning',
          `${pathLabel(at)} ${JSON.stringify(address)} is not an E.164 phone number ("+" then up to 15 digits, e.g. "+12065550100").${hint(address)}`,
        ),
      );
    },
    (key) => key === 'Attributes',
  );
  return out;
}
