// EventBridge contact events, flow log entries and describe-contact output, record by record:
// recognition, schema findings on real published samples, the per-record rules
// (`event-resource`, `flow-error`, the PascalCase hint) and hover documentation.
// Real samples: test/fixtures/aws/SOURCES.md. Invented records are built below and say so.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, countKinds } from '../../server/src/core/analyze';
import { classifyRecord } from '../../server/src/core/records';
import { fieldDoc } from '../../server/src/core/schemaDocs';
import { parseTimestamp, UNSET_TIMESTAMP } from '../../server/src/core/time';

const fixtureText = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'aws', name), 'utf8');
const fixture = (name: string) => JSON.parse(fixtureText(name)) as Record<string, any>;
const analyze = (value: unknown, uri = 'file:///t.json') => analyzeText(uri, JSON.stringify(value, null, 2));
const codes = (value: unknown) => analyze(value).findings.map((f) => `${f.code}/${f.severity}`);

// Invented: an event shaped like the real ones in the fixtures, for a made-up contact.
const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/00bfda1a-d180-4e2a-83f0-ea6102924326';
const CONTACT = '1b6feeaa-375e-41a5-9fbc-2f6e26f51e2b';
function invented(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'd6a2c5e1-0000-4000-8000-000000000001',
    'detail-type': 'Amazon Connect Contact Event',
    source: 'aws.connect',
    account: '111122223333',
    time: '2026-11-24T09:00:00Z',
    region: 'us-east-1',
    resources: [INSTANCE, `${INSTANCE}/contact/${CONTACT}`],
    detail: {
      eventType: 'INITIATED',
      contactId: CONTACT,
      channel: 'VOICE',
      instanceArn: INSTANCE,
      initiationMethod: 'INBOUND',
      initiationTimestamp: '2026-11-24T09:00:00.000Z',
      ...detail,
    },
    ...overrides,
  };
}

describe('recognition', () => {
  test('real contact events, flow log entries and both kinds of the old records are told apart', () => {
    for (const f of ['contact-event.scv-disconnected.json', 'contact-event.queued.json', 'contact-event.admin-guide.connected-to-agent.json']) {
      assert.equal(classifyRecord(fixture(f)), 'contactEvent', f);
    }
    for (const f of [
      'flow-log.admin-guide.set-queue.json',
      'flow-log.admin-guide.set-queue-2021.json',
      'flow-log.set-logging-behavior.json',
      'flow-log.access-denied.json',
    ]) {
      assert.equal(classifyRecord(fixture(f)), 'flowLog', f);
    }
    assert.equal(classifyRecord(fixture('sample-agent-event.json')), 'agentEvent');
    assert.equal(classifyRecord(fixture('contact-record.voice-inbound.json')), 'contactRecord');
  });

  test('a bare detail (camelCase or PascalCase) is a contact event; an agent event with a contact state is not', () => {
    assert.equal(classifyRecord(fixture('contact-event.queued.json').detail), 'contactEvent');
    assert.equal(classifyRecord({ EventType: 'QUEUED', ContactId: CONTACT, Channel: 'VOICE' }), 'contactEvent');
    assert.equal(classifyRecord({ EventType: 'STATE_CHANGE', AgentARN: 'arn', EventId: 'x' }), 'agentEvent');
  });

  test('describe-contact output is its own kind, never a contact record (so no false schema errors)', () => {
    // Invented, in the shape of `aws connect describe-contact` (API reference, DescribeContact).
    const output = {
      Contact: {
        Arn: `${INSTANCE}/contact/${CONTACT}`,
        Id: CONTACT,
        InitiationMethod: 'INBOUND',
        Channel: 'VOICE',
        QueueInfo: { Id: 'q1', EnqueueTimestamp: '2026-11-24T09:00:30+00:00' },
        AgentInfo: { Id: 'a1', ConnectedToAgentTimestamp: 1795510860 },
        InitiationTimestamp: '2026-11-24T09:00:00+00:00',
        DisconnectTimestamp: '2026-11-24T09:05:32+00:00',
        LastUpdateTimestamp: '2026-11-24T09:06:10+00:00',
      },
    };
    assert.equal(classifyRecord(output), 'apiContact');
    assert.deepEqual(codes(output), []);
    const kinds = countKinds(analyze(output).dump);
    assert.equal(kinds.apiContact, 1);
    assert.equal(kinds.contactRecord, 0);
  });
});

describe('real samples: only true findings', () => {
  for (const f of [
    'contact-event.scv-disconnected.json',
    'contact-event.queued.json',
    'contact-event.admin-guide.connected-to-agent.json',
    'flow-log.admin-guide.set-queue-2021.json',
    'flow-log.set-logging-behavior.json',
  ]) {
    test(`${f}: nothing`, () => {
      assert.deepEqual(
        analyzeText(`file:///${f}`, fixtureText(f)).findings.map((x) => x.message),
        [],
      );
    });
  }

  test("the admin guide's 2017 Set queue entry: its Timestamp has no seconds (12:17.898), a true schema error", () => {
    const a = analyzeText('file:///q.json', fixtureText('flow-log.admin-guide.set-queue.json'));
    assert.deepEqual(
      a.findings.map((f) => [f.code, a.dump.text.slice(f.start, f.end)]),
      [['schema', '"2017-11-09T12:17.898Z"']],
    );
  });

  test("the published Lambda success and error entries: one flow-error on the error's Results, naming flow, block and error (and the masked IDs are redacted)", () => {
    const a = analyzeText('file:///l.jsonl', fixtureText('flow-log.lambda.jsonl'));
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['redacted', 'flow-error'],
    );
    const f = a.findings[1];
    assert.equal(f.code, 'flow-error');
    assert.equal(f.severity, 'warning');
    assert.equal(a.dump.text.slice(f.start, f.end), '"The Lambda Function Returned An Error."');
    assert.ok(f.start > a.dump.text.indexOf('\n'), 'on the second line');
    assert.match(
      f.message,
      /^Flow "Sample Flow name": the InvokeExternalResource block "0c51520c-6249-4ff9-9feb-xxxxxxxxxxxx" failed: The Lambda Function Returned An Error\./,
    );
  });

  test('the published access-denied entry (trimmed by its author: no ContactId, no Timestamp)', () => {
    const a = analyzeText('file:///d.json', fixtureText('flow-log.access-denied.json'));
    assert.deepEqual(a.findings.map((f) => f.code).sort(), ['flow-error', 'schema', 'schema']);
    assert.match(a.findings.find((f) => f.code === 'flow-error')!.message, /AccessDeniedException/);
  });
});

describe('event-resource', () => {
  test('a consistent invented event: nothing', () => assert.deepEqual(codes(invented()), []));

  test('the contact ARN names another contact: a warning on that resource, pointing at detail.contactId', () => {
    const other = '94900a4f-4639-4ad4-89bc-12f495f8effd';
    const a = analyze(invented({ resources: [INSTANCE, `${INSTANCE}/contact/${other}`] }));
    assert.equal(a.findings.length, 1);
    const [f] = a.findings;
    assert.deepEqual([f.code, f.severity], ['event-resource', 'warning']);
    assert.equal(a.dump.text.slice(f.start, f.end), JSON.stringify(`${INSTANCE}/contact/${other}`));
    assert.match(f.message, new RegExp(`${other}.*${CONTACT}`));
    assert.equal(a.dump.text.slice(f.related![0].start, f.related![0].end), JSON.stringify(CONTACT));
  });

  test('a resource of another instance than detail.instanceArn, in either order', () => {
    const elsewhere = 'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';
    const a = analyze(invented({ resources: [`${INSTANCE}/contact/${CONTACT}`, elsewhere] }));
    assert.deepEqual(
      a.findings.map((f) => [f.code, a.dump.text.slice(f.start, f.end)]),
      [['event-resource', JSON.stringify(elsewhere)]],
    );
  });

  test('masked and placeholder resources are not compared', () => {
    assert.deepEqual(codes(invented({ resources: ['arn:aws...', 'contactArn', 'arn:aws:connect:us-east-1:**********:instance/**********/contact/x'] })), [
      'redacted/information',
    ]);
  });
});

describe('flow-error', () => {
  // Invented entries in the shape of the published ones.
  const entry = (extra: Record<string, unknown>) => ({
    ContactId: CONTACT,
    ContactFlowId: `${INSTANCE}/contact-flow/4a1c`,
    ContactFlowName: 'Main IVR',
    Identifier: 'Lookup customer',
    Timestamp: '2026-11-24T09:00:05.120Z',
    ...extra,
  });

  test('a Lambda block with no ExternalResults and no Results', () => {
    const a = analyze(
      entry({ ContactFlowModuleType: 'InvokeExternalResource', Parameters: { FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:lookup' } }),
    );
    assert.deepEqual(
      a.findings.map((f) => [f.code, a.dump.text.slice(f.start, f.end)]),
      [['flow-error', '"InvokeExternalResource"']],
    );
    assert.match(a.findings[0].message, /Flow "Main IVR": the InvokeExternalResource block "Lookup customer" failed: no ExternalResults.*function:lookup/);
  });

  test('error text, timeouts and an Error field; not a successful Lambda, a branch name or a customer input', () => {
    for (const results of [
      'Error',
      'Timeout',
      'The Lambda Function Returned An Error.',
      'Status Code: 403; Error Code: AccessDeniedException',
      'Lambda timed out',
    ]) {
      assert.deepEqual(codes(entry({ ContactFlowModuleType: 'GetUserInput', Results: results })), ['flow-error/warning'], results);
    }
    assert.deepEqual(codes(entry({ ContactFlowModuleType: 'CheckAttribute', ErrorDetails: { ErrorCode: 'InternalServerException' } })), ['flow-error/warning']);
    for (const results of ['1', 'NoMatch', 'Fallbackintent', 'NoErrorsFound', 'True', 'terror']) {
      assert.deepEqual(codes(entry({ ContactFlowModuleType: 'GetUserInput', Results: results })), [], results);
    }
    assert.deepEqual(codes(entry({ ContactFlowModuleType: 'InvokeExternalResource', ExternalResults: { tier: 'gold' } })), []);
  });

  test('an unknown block type is fine', () => {
    assert.deepEqual(codes(entry({ ContactFlowModuleType: 'SomeBlockAddedIn2030', Parameters: {} })), []);
  });
});

describe('PascalCase detail and "not set" times', () => {
  test('a PascalCase detail (as some doc samples print it) is accepted with a schema hint, nothing else', () => {
    const pascal = {
      ...invented(),
      detail: {
        EventType: 'QUEUED',
        ContactId: CONTACT,
        Channel: 'VOICE',
        InstanceArn: INSTANCE,
        QueueInfo: { QueueArn: `${INSTANCE}/queue/q1`, EnqueueTimestamp: '2026-11-24T09:00:30.000Z' },
      },
    };
    const a = analyze(pascal);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.severity, a.dump.text.slice(f.start, f.end)]),
      [['schema', 'hint', '"EventType"']],
    );
  });

  test('1970-01-01T00:00:00.001Z is valid in an event and is no time', () => {
    assert.deepEqual(
      codes(invented({}, { eventType: 'DISCONNECTED', connectedToSystemTimestamp: UNSET_TIMESTAMP, disconnectTimestamp: '2026-11-24T09:05:32.000Z' })),
      [],
    );
    assert.equal(parseTimestamp(UNSET_TIMESTAMP), undefined);
  });

  test('a broken envelope is a schema error on the right field', () => {
    const a = analyze(invented({ time: 'yesterday' }));
    assert.deepEqual(
      a.findings.map((f) => [f.code, a.dump.text.slice(f.start, f.end)]),
      [['schema', '"yesterday"']],
    );
  });
});

describe('hover documentation', () => {
  test('every contact event type and the envelope fields are documented', () => {
    for (const type of [
      'INITIATED',
      'CONNECTED_TO_SYSTEM',
      'CONTACT_DATA_UPDATED',
      'QUEUED',
      'CONNECTED_TO_AGENT',
      'DISCONNECTED',
      'COMPLETED',
      'PAUSED',
      'RESUMED',
    ]) {
      assert.match(fieldDoc('contactEvent', ['detail', 'eventType'], type)?.valueMarkdown ?? '', new RegExp(`^\`${type}\`: `), type);
    }
    assert.match(fieldDoc('contactEvent', ['resources'])?.markdown ?? '', /contact ARN/);
    assert.match(fieldDoc('contactEvent', ['eventType'], 'QUEUED')?.valueMarkdown ?? '', /queued/, 'a bare detail');
    assert.match(fieldDoc('contactEvent', ['detail', 'EventType'], 'QUEUED')?.valueMarkdown ?? '', /queued/, 'PascalCase');
    assert.match(fieldDoc('contactEvent', ['detail', 'queueInfo', 'enqueueTimestamp'])?.markdown ?? '', /not set/);
  });

  test("flow log block types are documented; an unknown one still gets the field's documentation", () => {
    assert.match(fieldDoc('flowLog', ['ContactFlowModuleType'], 'InvokeExternalResource')?.valueMarkdown ?? '', /Lambda/);
    const unknown = fieldDoc('flowLog', ['ContactFlowModuleType'], 'SomeBlockAddedIn2030');
    assert.equal(unknown?.valueMarkdown, undefined);
    assert.match(unknown?.markdown ?? '', /open set/);
    assert.match(fieldDoc('flowLog', ['ExternalResults'])?.markdown ?? '', /absent when the Lambda failed/i);
  });

  test('describe-contact fields are documented', () => {
    assert.match(fieldDoc('apiContact', ['Contact', 'AgentInfo', 'Id'])?.markdown ?? '', /user ID/);
    assert.match(fieldDoc('apiContact', ['Contact', 'InitiationTimestamp'])?.markdown ?? '', /epoch/);
  });
});
