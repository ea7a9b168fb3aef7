// What each finding code is called and means, in one sentence, for reports that carry rule
// metadata (the CLI's SARIF rule `name`, `fullDescription` and `help`). SARIF wants a name
// that differs from the ID and reads as an identifier (PascalCase). The README's section per
// code is the long form (findingHelpUrl links to it); keep the two saying the same thing.
// A code added to FINDING_CODES without an entry here does not compile.
import type { FindingCode } from '../core/types';

export const FINDING_DOCS: Record<FindingCode, { name: string; description: string }> = {
  'json-syntax': {
    name: 'InvalidJson',
    description: 'A record is not valid JSON (a truncated line, a missing comma, garbage between records); the records around it are still checked.',
  },
  schema: {
    name: 'SchemaViolation',
    description: 'A record breaks its JSON schema: a wrong type, a value outside an enum, a timestamp that is not ISO 8601, or a missing required property.',
  },
  'unknown-record': {
    name: 'UnknownRecord',
    description:
      'A record in a dump is of no kind this extension reads (agent event, contact record, contact event, flow log entry, describe-contact output), so it is not checked further.',
  },
  'state-transition': {
    name: 'IllegalStateTransition',
    description: "A contact's State moves in a way the Amazon Connect contact state machine does not allow.",
  },
  'link-reciprocal': {
    name: 'NonReciprocalContactLink',
    description:
      "A contact names B as its NextContactId but B's PreviousContactId is not that contact, or a transfer names a previous contact whose record does not name it back.",
  },
  'link-missing': {
    name: 'MissingLinkedContact',
    description: 'A linked contact ID (Previous, Next, Related or Initial) names a contact with no contact record in the dumps read; dumps are often partial.',
  },
  'link-cycle': { name: 'ContactLinkCycle', description: 'Following NextContactId or PreviousContactId comes back to a contact already visited.' },
  'link-initial': { name: 'WrongInitialContactId', description: "A later leg's InitialContactId is not the first leg of its chain of contacts." },
  'timestamp-order': { name: 'TimestampsOutOfOrder', description: "Timestamps go backwards inside a contact record, or along a contact's events." },
  'heartbeat-gap': { name: 'HeartbeatGap', description: 'A logged-in agent has no event for more than 2.5 times the documented 120 s HEART_BEAT interval.' },
  'duplicate-id': {
    name: 'ConflictingDuplicateId',
    description: 'The same EventId, or a contact record ContactId, appears twice with different content and neither copy supersedes the other.',
  },
  'event-resource': {
    name: 'ContactEventResourceMismatch',
    description: "An EventBridge contact event's resources name another contact or instance than its detail.",
  },
  'event-order': {
    name: 'ImpossibleContactEventOrder',
    description: "A contact's EventBridge contact events, ordered by the times they report, describe an impossible life (delivery order is no fault).",
  },
  'event-record-mismatch': {
    name: 'ContactEventRecordMismatch',
    description:
      'A contact event and the contact record of the same contact disagree on a fact both carry (channel, method, queue, agent, links, times beyond 1 s).',
  },
  'flow-error': {
    name: 'FlowBlockFailed',
    description: 'A flow log entry says its block failed: error text in Results, an Error field, or a Lambda block with no ExternalResults.',
  },
  'flow-outside-contact': {
    name: 'FlowLogOutsideContact',
    description: "A flow log entry is timed outside its contact's initiation..disconnect window (allowing for disconnect flows).",
  },
  'duration-mismatch': {
    name: 'DurationsDoNotAddUp',
    description:
      "A contact record's durations and timestamps disagree by more than 1 s (e.g. ConnectedToAgentTimestamp + AgentInteractionDuration + CustomerHoldDuration is not AfterContactWorkStartTimestamp).",
  },
  'unknown-value': {
    name: 'UndocumentedEnumValue',
    description:
      'A value outside the documented list of its field (a channel, an initiation method, a disconnect reason, ...) as of the schema date: a value AWS added since, or a typo.',
  },
  redacted: {
    name: 'RedactedValues',
    description: 'The dump holds masked values (********, XXXX, [REDACTED]); checks whose only cause would be the mask are skipped.',
  },
  'arn-format': {
    name: 'DamagedArn',
    description:
      "An ARN is malformed (URL-encoding damage, a missing account) or names another account, Region or instance than the record's InstanceARN and AWSAccountId.",
  },
  'phone-format': {
    name: 'PhoneNumberNotE164',
    description:
      'A TELEPHONE_NUMBER endpoint address is not E.164 (+ then 1 to 15 digits), e.g. a space where the + was, or a +1 number without exactly 10 digits after the country code (North American Numbering Plan).',
  },
  'envelope-decode': {
    name: 'EnvelopeNotDecodable',
    description:
      "An envelope's payload cannot be read (invalid base64, not JSON, broken JSON in a string, damaged or oversized gzip), or an envelope holds no record.",
  },
  'too-many-findings': {
    name: 'TooManyFindings',
    description: 'More findings than connectInspector.maxFindingsPerDocument: a summary says how many are not shown.',
  },
};
