// How long a contact ID can be, and how an ID read from a dump is written for people.
// Amazon Connect's contact IDs have 1 to 256 characters (API Reference, DescribeContact:
// "ContactId ... Length Constraints: Minimum length of 1. Maximum length of 256."); the
// schemas flag a longer value. Such a value (a damaged dump; the fuzzer found a 7.6 MB
// one) is no contact to open a timeline, hover or explanation for, and wherever it is
// named in text it is cut short: one ID copied into every lane, sentence and message
// made a timeline answer of 85 MB that the editor waited on for over a minute.

/** The longest contact ID Amazon Connect writes (DescribeContact, ContactId length constraints). */
export const MAX_CONTACT_ID_CHARS = 256;

/** An ID a contact of Amazon Connect can have: not empty, at most MAX_CONTACT_ID_CHARS. */
export function isContactIdLength(id: string): boolean {
  return id.length > 0 && id.length <= MAX_CONTACT_ID_CHARS;
}

/** How many characters of a longer ID are shown before the ellipsis. */
const SHOWN_HEAD = 40;

/** An ID as written in a message, hover or timeline: whole up to the AWS limit, else its start, an ellipsis and its length. */
export function shownId(id: string): string {
  if (id.length <= MAX_CONTACT_ID_CHARS) return id;
  // Never cut between the two halves of a surrogate pair.
  const head = id.slice(0, /[\uD800-\uDBFF]/.test(id[SHOWN_HEAD - 1]) ? SHOWN_HEAD - 1 : SHOWN_HEAD);
  return `${head}… (${id.length.toLocaleString('en-US')} characters)`;
}
