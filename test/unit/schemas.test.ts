// Tests for schemas/agent-event.schema.json and schemas/contact-record.schema.json:
// strict compilation, the AWS documentation samples, and properties of every enum,
// nullable node and object node found by walking the schemas.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ANNOTATION_KEYWORDS } from '../../server/src/core/schemaCompiler';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const root = join(__dirname, '..', '..');
const readJson = (path: string): Json => JSON.parse(readFileSync(join(root, path), 'utf8')) as Json;
const fixture = (name: string): Record<string, Json> => readJson(join('test', 'fixtures', 'aws', name)) as Record<string, Json>;
const clone = <T>(value: T): T => structuredClone(value);

const SCHEMAS = {
  agent: readJson('schemas/agent-event.schema.json') as Schema,
  ctr: readJson('schemas/contact-record.schema.json') as Schema,
  event: readJson('schemas/contact-event.schema.json') as Schema,
  flow: readJson('schemas/flow-log.schema.json') as Schema,
  api: readJson('schemas/api-contact.schema.json') as Schema,
};
type SchemaName = keyof typeof SCHEMAS;
/** How many enums, nullable nodes and open object nodes each schema has at least (so the walks below cannot pass on nothing). */
const MIN: Record<SchemaName, { named: number; enums: number; nullable: number; objects: number }> = {
  agent: { named: 21, enums: 5, nullable: 11, objects: 6 },
  ctr: { named: 21, enums: 25, nullable: 11, objects: 6 },
  event: { named: 21, enums: 3, nullable: 11, objects: 6 },
  flow: { named: 11, enums: 1, nullable: 4, objects: 0 },
  api: { named: 21, enums: 2, nullable: 11, objects: 5 },
};

function makeAjv(): Ajv {
  const fail = (...args: unknown[]): never => {
    throw new Error(`ajv logged: ${args.map(String).join(' ')}`);
  };
  const ajv = new Ajv({ strict: true, allErrors: true, logger: { log: () => undefined, warn: fail, error: fail } });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATION_KEYWORDS);
  for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
  return ajv;
}

const ajv = makeAjv();
const idOf = (schema: Schema): string => schema.$id as string;
const validatorAt = (schema: Schema, pointer = ''): ValidateFunction => {
  const v = ajv.getSchema(`${idOf(schema)}#${pointer}`);
  assert.ok(v, `no schema at ${idOf(schema)}#${pointer}`);
  return v;
};
const validateEvent = validatorAt(SCHEMAS.agent);
const validateCtr = validatorAt(SCHEMAS.ctr);

function errorsOf(validate: ValidateFunction, data: unknown): ErrorObject[] {
  validate(data);
  return validate.errors ?? [];
}

const pointerEscape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

type Visit = (node: Schema, pointer: string, parentKey: string | undefined) => void;
// Visits every schema node (root, definitions, properties, items, additionalProperties, anyOf branches).
function walk(node: Json, pointer: string, visit: Visit, parentKey?: string): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  visit(node, pointer, parentKey);
  for (const group of ['definitions', 'properties'] as const) {
    const children = node[group];
    if (children && typeof children === 'object' && !Array.isArray(children)) {
      for (const [key, child] of Object.entries(children)) {
        walk(child, `${pointer}/${group}/${pointerEscape(key)}`, visit, group);
      }
    }
  }
  for (const single of ['items', 'additionalProperties'] as const) {
    if (node[single] !== undefined) walk(node[single], `${pointer}/${single}`, visit, single);
  }
  const anyOf = node.anyOf;
  if (Array.isArray(anyOf)) anyOf.forEach((branch, i) => walk(branch, `${pointer}/anyOf/${i}`, visit, 'anyOf'));
}

function collect(schema: Schema, pick: (node: Schema) => boolean): { node: Schema; pointer: string; parentKey?: string }[] {
  const found: { node: Schema; pointer: string; parentKey?: string }[] = [];
  walk(schema, '', (node, pointer, parentKey) => {
    if (pick(node)) found.push({ node, pointer, parentKey });
  });
  return found;
}

const typesOf = (node: Schema): string[] => (Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : []);

const SAMPLE_EVENTS = ['sample-agent-event.json', 'determine-acw-time.1.json', 'determine-acw-time.2.json'];
const SAMPLE_CTRS = ['contact-record.voice-inbound.json', 'contact-record.data-model.json'];

describe('schema compilation', () => {
  test('every schema compiles under ajv strict mode without warnings', () => {
    // makeAjv() throws on any logged warning; compiling explicitly keeps the check visible here.
    const fresh = makeAjv();
    for (const schema of Object.values(SCHEMAS)) {
      assert.equal(typeof fresh.getSchema(idOf(schema)), 'function');
    }
  });

  test('the logger really fails on strict-mode warnings (so the check above can fail)', () => {
    const fresh = makeAjv();
    // An unknown keyword is a strict-mode error; a union type without allowUnionTypes is a strictTypes warning.
    assert.throws(() => fresh.compile({ type: 'object', unknownKeyword: 1 }));
    assert.throws(() => fresh.compile({ type: ['string', 'number'] }));
  });

  test('draft-07 and the expected $ids', () => {
    assert.equal(SCHEMAS.agent.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(SCHEMAS.ctr.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(idOf(SCHEMAS.agent), 'https://connect-event-inspector/schemas/agent-event.schema.json');
    assert.equal(idOf(SCHEMAS.ctr), 'https://connect-event-inspector/schemas/contact-record.schema.json');
  });

  test('required lists', () => {
    assert.deepEqual([...(SCHEMAS.agent.required as string[])].sort(), [
      'AWSAccountId',
      'AgentARN',
      'EventId',
      'EventTimestamp',
      'EventType',
      'InstanceARN',
      'Version',
    ]);
    assert.deepEqual([...(SCHEMAS.ctr.required as string[])].sort(), [
      'AWSAccountId',
      'Channel',
      'ContactId',
      'InitiationMethod',
      'InitiationTimestamp',
      'InstanceARN',
      'LastUpdateTimestamp',
    ]);
  });
});

describe('annotations', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    test(`${name}: every property and definition has title, description and markdownDescription`, () => {
      const named = collect(schema, () => true).filter((n) => n.parentKey === 'properties' || n.parentKey === 'definitions');
      assert.ok(named.length >= MIN[name as SchemaName].named, 'walk found too few nodes');
      for (const { node, pointer } of named) {
        for (const key of ['title', 'description', 'markdownDescription']) {
          assert.equal(typeof node[key], 'string', `${pointer} lacks ${key}`);
          assert.ok((node[key] as string).length > 0, `${pointer} has an empty ${key}`);
        }
        assert.doesNotMatch(node.description as string, /`|\*\*/, `${pointer} description should be plain text`);
      }
    });

    test(`${name}: every enum has parallel markdownEnumDescriptions`, () => {
      const enums = collect(schema, (n) => Array.isArray(n.enum));
      assert.ok(enums.length > 0);
      for (const { node, pointer } of enums) {
        const docs = node.markdownEnumDescriptions;
        assert.ok(Array.isArray(docs), `${pointer} lacks markdownEnumDescriptions`);
        assert.equal(docs.length, (node.enum as Json[]).length, `${pointer}: descriptions not parallel to enum`);
        for (const d of docs) assert.ok(typeof d === 'string' && d.length > 0, `${pointer}: empty enum description`);
      }
    });

    test(`${name}: never closes objects with additionalProperties: false`, () => {
      assert.equal(collect(schema, (n) => n.additionalProperties === false).length, 0);
    });
  }

  test('the contact State enum lives at #/definitions/Contact/properties/State with the documented meanings', () => {
    const state = (SCHEMAS.agent.definitions as Record<string, Schema>).Contact.properties as Record<string, Schema>;
    const node = state.State;
    assert.deepEqual(node.enum, ['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED', 'MISSED', 'ERROR', 'ENDED', 'REJECTED']);
    assert.deepEqual(node.markdownEnumDescriptions, [
      '`INCOMING`: a queued callback is being presented to the agent.',
      '`PENDING`: a queued callback, pending.',
      '`CONNECTING`: the contact is offered (ringing); the agent has not accepted, rejected or missed it yet.',
      '`CONNECTED`: the agent accepted; the customer is talking with the agent.',
      '`CONNECTED_ONHOLD`: connected, and the agent has put the customer on hold.',
      '`PAUSED`: the contact is paused (tasks only).',
      '`MISSED`: the agent missed the contact.',
      '`ERROR`: e.g. the customer abandoned the call during an outbound whisper.',
      '`ENDED`: the conversation ended and the agent is in after-contact work on it.',
      '`REJECTED`: the agent rejected it, or the customer abandoned it while it was connecting.',
    ]);
  });
});

describe('AWS documentation samples', () => {
  for (const name of SAMPLE_EVENTS) {
    test(`${name} validates with zero errors`, () => {
      assert.deepEqual(errorsOf(validateEvent, fixture(name)), []);
    });
  }
  for (const name of SAMPLE_CTRS) {
    test(`${name} validates with zero errors`, () => {
      assert.deepEqual(errorsOf(validateCtr, fixture(name)), []);
    });
  }

  test('the verbatim doc samples are not JSON (which is why corrected copies exist)', () => {
    for (const name of ['sample-agent-event.verbatim.json', 'determine-acw-time.1.verbatim.json', 'determine-acw-time.2.verbatim.json']) {
      const text = readFileSync(join(root, 'test', 'fixtures', 'aws', name), 'utf8');
      assert.throws(() => JSON.parse(text), SyntaxError, name);
    }
  });

  test('an agent event is not a contact record and the reverse', () => {
    assert.ok(errorsOf(validateCtr, fixture('sample-agent-event.json')).some((e) => e.keyword === 'required'));
    assert.ok(errorsOf(validateEvent, fixture('contact-record.voice-inbound.json')).some((e) => e.keyword === 'required'));
  });

  test('the Proficiencies block of the live sample page validates (it uses "Level", not "ProficiencyLevel")', () => {
    const event = fixture('sample-agent-event.json');
    const snapshot = event.CurrentAgentSnapshot as Record<string, Json>;
    (snapshot.Configuration as Record<string, Json>).Proficiencies = [
      { Level: 3.0, Name: 'Technology', Value: 'Kinesis' },
      { Level: 1.0, Name: 'Location', Value: 'WA' },
    ];
    assert.deepEqual(errorsOf(validateEvent, event), []);
    (snapshot.Configuration as Record<string, Json>).Proficiencies = [{ Level: 7, Name: 'Technology', Value: 'Kinesis' }];
    assert.ok(errorsOf(validateEvent, event).some((e) => e.keyword === 'maximum'));
  });
});

describe('enums', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const enums = collect(schema, (n) => Array.isArray(n.enum));
    test(`${name}: every enum value is accepted and a made-up value is rejected (${enums.length} enums)`, () => {
      assert.ok(enums.length >= MIN[name as SchemaName].enums, `only ${enums.length} enums found`);
      for (const { node, pointer } of enums) {
        const validate = validatorAt(schema, pointer);
        for (const value of node.enum as Json[]) {
          assert.deepEqual(errorsOf(validate, value), [], `${pointer}: ${JSON.stringify(value)} rejected`);
        }
        const bogus = errorsOf(validate, 'NOT_A_DOCUMENTED_VALUE');
        assert.ok(
          bogus.some((e) => e.keyword === 'enum'),
          `${pointer}: made-up value accepted`,
        );
      }
    });
  }

  test('CONNECTED_ ONHOLD (doc misprint with a space) is rejected at the contact State', () => {
    const event = fixture('determine-acw-time.1.json');
    const contacts = (event.CurrentAgentSnapshot as Record<string, Json>).Contacts as Record<string, Json>[];
    contacts[0].State = 'CONNECTED_ ONHOLD';
    const errors = errorsOf(validateEvent, event);
    assert.ok(
      errors.some((e) => e.keyword === 'enum' && e.instancePath === '/CurrentAgentSnapshot/Contacts/0/State'),
      JSON.stringify(errors),
    );
    contacts[0].State = 'CONNECTED_ONHOLD';
    assert.deepEqual(errorsOf(validateEvent, event), []);
  });

  test('a made-up EventType, Channel and DisconnectReason are rejected in whole records', () => {
    const event = { ...fixture('sample-agent-event.json'), EventType: 'HEARTBEAT' };
    assert.ok(errorsOf(validateEvent, event).some((e) => e.keyword === 'enum' && e.instancePath === '/EventType'));
    const ctr = { ...fixture('contact-record.voice-inbound.json'), Channel: 'SMS', DisconnectReason: 'HUNG_UP' };
    const paths = errorsOf(validateCtr, ctr)
      .filter((e) => e.keyword === 'enum')
      .map((e) => e.instancePath)
      .sort();
    assert.deepEqual(paths, ['/Channel', '/DisconnectReason']);
  });
});

describe('nullability', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    test(`${name}: null is accepted wherever the schema declares it`, () => {
      const nullable = collect(schema, (n) => typesOf(n).includes('null') || (Array.isArray(n.enum) && n.enum.includes(null)));
      assert.ok(nullable.length >= MIN[name as SchemaName].nullable, `only ${nullable.length} nullable nodes`);
      for (const { pointer } of nullable) {
        assert.deepEqual(errorsOf(validatorAt(schema, pointer), null), [], `${pointer} rejects null`);
      }
    });

    test(`${name}: null is rejected where the schema does not declare it`, () => {
      const strictNodes = collect(schema, (n) => {
        const types = typesOf(n);
        return types.length > 0 && !types.includes('null') && !(Array.isArray(n.enum) && n.enum.includes(null));
      });
      assert.ok(strictNodes.length > 0);
      for (const { pointer } of strictNodes) {
        assert.ok(errorsOf(validatorAt(schema, pointer), null).length > 0, `${pointer} accepts null`);
      }
    });
  }

  test('nulls AWS writes in contact records are accepted', () => {
    const ctr = fixture('contact-record.voice-inbound.json');
    for (const key of [
      'Agent',
      'Queue',
      'Recording',
      'Recordings',
      'DisconnectReason',
      'AnsweringMachineDetectionStatus',
      'CustomerEndpoint',
      'Tags',
      'Attributes',
      'References',
    ]) {
      const copy = clone(ctr);
      copy[key] = null;
      assert.deepEqual(errorsOf(validateCtr, copy), [], key);
    }
  });

  test('required identifiers may not be null', () => {
    const ctr = { ...fixture('contact-record.voice-inbound.json'), ContactId: null };
    assert.ok(errorsOf(validateCtr, ctr).some((e) => e.keyword === 'type' && e.instancePath === '/ContactId'));
    const event = { ...fixture('sample-agent-event.json'), EventType: null };
    assert.ok(errorsOf(validateEvent, event).some((e) => e.instancePath === '/EventType'));
  });

  test('LOGIN/LOGOUT style events without or with null snapshots are accepted', () => {
    const event = fixture('sample-agent-event.json');
    delete event.PreviousAgentSnapshot;
    event.EventType = 'LOGIN';
    assert.deepEqual(errorsOf(validateEvent, event), []);
    event.PreviousAgentSnapshot = null;
    event.CurrentAgentSnapshot = null;
    assert.deepEqual(errorsOf(validateEvent, event), []);
  });
});

describe('unknown properties', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    test(`${name}: every object node accepts a property AWS might add later`, () => {
      // A node with `if` requires properties conditionally (the contact event root: envelope or bare detail).
      const objects = collect(schema, (n) => typesOf(n).includes('object') && n.properties !== undefined && n.required === undefined && n.if === undefined);
      assert.ok(objects.length >= MIN[name as SchemaName].objects, `only ${objects.length} open objects`);
      for (const { pointer } of objects) {
        const errors = errorsOf(validatorAt(schema, pointer), { FieldAddedIn2030: { nested: [1, 'two', null] } });
        assert.deepEqual(errors, [], pointer);
      }
    });
  }

  test('unknown properties at the root and deep inside real samples are accepted', () => {
    const event = fixture('determine-acw-time.1.json');
    event.NewTopLevelField = 42;
    const contact = ((event.CurrentAgentSnapshot as Record<string, Json>).Contacts as Record<string, Json>[])[0];
    contact.NewContactField = { a: 1 };
    (contact.Queue as Record<string, Json>).NewQueueField = true;
    assert.deepEqual(errorsOf(validateEvent, event), []);

    const ctr = fixture('contact-record.data-model.json');
    ctr.NewTopLevelField = 'x';
    (ctr.Agent as Record<string, Json>).ActiveRegion = 'us-west-2';
    ((ctr.QualityMetrics as Record<string, Json>).Agent as Record<string, Json>).Video = { QualityScore: 4 };
    assert.deepEqual(errorsOf(validateCtr, ctr), []);
  });
});

describe('required properties and formats', () => {
  for (const [name, validate, file, schema] of [
    ['agent event', validateEvent, 'sample-agent-event.json', SCHEMAS.agent],
    ['contact record', validateCtr, 'contact-record.voice-inbound.json', SCHEMAS.ctr],
  ] as const) {
    test(`${name}: removing any required property fails with keyword "required"`, () => {
      for (const key of schema.required as string[]) {
        const record = fixture(file);
        delete record[key];
        const errors = errorsOf(validate, record);
        assert.ok(
          errors.some((e) => e.keyword === 'required' && e.instancePath === '' && (e.params as { missingProperty: string }).missingProperty === key),
          `${key}: ${JSON.stringify(errors)}`,
        );
      }
    });
  }

  test('bad timestamps fail with keyword "format"', () => {
    const event = fixture('determine-acw-time.1.json');
    event.EventTimestamp = '2019-05-25 18:55:27';
    const contact = ((event.CurrentAgentSnapshot as Record<string, Json>).Contacts as Record<string, Json>[])[0];
    contact.StateStartTimestamp = '2019-13-40T25:61:00Z';
    const paths = errorsOf(validateEvent, event)
      .filter((e) => e.keyword === 'format')
      .map((e) => e.instancePath)
      .sort();
    assert.deepEqual(paths, ['/CurrentAgentSnapshot/Contacts/0/StateStartTimestamp', '/EventTimestamp']);

    const ctr = { ...fixture('contact-record.voice-inbound.json'), InitiationTimestamp: 'yesterday' };
    assert.ok(errorsOf(validateCtr, ctr).some((e) => e.keyword === 'format' && e.instancePath === '/InitiationTimestamp'));
  });

  test('AWS timestamp shapes (with and without milliseconds) are accepted', () => {
    const ts = validatorAt(SCHEMAS.ctr, '/properties/InitiationTimestamp');
    for (const value of ['2019-05-25T18:43:59.049Z', '2019-05-25T18:43:59Z', '2024-08-02T17:40:02.500Z']) {
      assert.deepEqual(errorsOf(ts, value), [], value);
    }
  });

  test('the account ID must be 12 digits', () => {
    const event = { ...fixture('sample-agent-event.json'), AWSAccountId: '1234' };
    assert.ok(errorsOf(validateEvent, event).some((e) => e.keyword === 'pattern' && e.instancePath === '/AWSAccountId'));
  });
});
