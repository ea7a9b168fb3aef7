// Locating a path in a record (core/positions.ts): the walk over a record's text must give the
// span the jsonc-parser tree gives, for every path (present or not), every anchor, on real
// samples and on strict JSON written every way JSON allows; anything else goes to the tree.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDump } from '../../server/src/core/dump';
import { Anchor, locate, locateInText, locateInTree } from '../../server/src/core/positions';
import type { Dump, DumpRecord, JsonPath } from '../../server/src/core/types';

const ANCHORS: Anchor[] = ['value', 'key', 'object'];

/** Every path of a value, and next to each a few that are absent (a missing key, an index past the end, the wrong kind of step). */
function paths(value: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(prefix);
  if (value && typeof value === 'object') out.push([...prefix, 'absent'], [...prefix, 0], [...prefix, 7], [...prefix, 'absent', 'deeper']);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function compareAll(dump: Dump, record: DumpRecord): number {
  let n = 0;
  const value = record.value ?? JSON.parse(JSON.stringify(null));
  for (const path of paths(value)) {
    for (const anchor of ANCHORS) {
      const walked = locateInText(dump.text, record, path, anchor);
      const tree = locateInTree(dump, record, path, anchor);
      if (walked) assert.deepEqual(walked, tree, `${dump.uri} record ${record.index} ${JSON.stringify(path)} ${anchor}`);
      else assert.deepEqual(locate(dump, record, path, anchor), tree);
      n++;
    }
  }
  return n;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(json|jsonl|firehose)$/.test(name) ? [p] : [];
  });
}

test('every path of the sample records: the walk gives the tree’s span', () => {
  let compared = 0;
  let walked = 0;
  for (const file of files('samples')) {
    const dump = parseDump(`file:///${file}`, readFileSync(file, 'utf8'));
    // A few records of each file: every kind and shape, in seconds.
    for (const record of dump.records.slice(0, 4)) {
      compared += compareAll(dump, record);
      if (locateInText(dump.text, record, [], 'value')) walked++;
    }
  }
  assert.ok(compared > 10000, `${compared} compared`);
  assert.ok(walked > 40, `${walked} records walked`);
});

test('strict JSON written every way it may be: whitespace, escapes, repeated keys, numbers, nesting, empty containers', () => {
  const texts = [
    '{"a":1,"b":[1,2,{"c":"d"}],"e":{}}',
    ' \t{ "a" : 1 ,\r\n "b" : [ 1 , 2 , { "c" : "d" } ] , "e" : { } , "f" : [ ] }\n',
    '{"a\\"b":1,"\\u0061":2,"a":3,"x\\\\":{"y\\/z":"\\n\\t\\u00e9"}}',
    '{"a":1,"a":2,"b":{"b":{"b":[[[],[{}]]]}}}',
    '{"n":-0,"m":1.5e+10,"o":-2.25E-3,"p":0.0,"q":[true,false,null],"r":"ünï\u2028cödé 😀"}',
    '{"Contacts":[{"ContactId":"c1","State":"CONNECTED"},{"ContactId":"c2"}],"Empty":"","Null":null}',
    '[1,{"a":[2,{"b":3}]},"x",[]]',
    '"just a string"',
    '42',
    '{}',
    '[]',
  ];
  let compared = 0;
  for (const text of texts) {
    const dump: Dump = { uri: 'file:///strict.json', text, format: 'object', records: [], syntaxFindings: [] };
    const start = text.length - text.trimStart().length;
    const record: DumpRecord = { index: 0, start, end: text.trimEnd().length, value: JSON.parse(text) as unknown, kind: 'unknown' };
    dump.records.push(record);
    assert.ok(locateInText(text, record, [], 'value'), text);
    compared += compareAll(dump, record);
  }
  assert.ok(compared > 500);
});

test('what is not strict JSON is left to the tree, which locates it as before', () => {
  const texts = [
    '{"a":1,}',
    '{"a":1 // a comment\n}',
    '{"a":"tab\there"}',
    '{"a":"\\x"}',
    '{"a":01}',
    '{"a":1}}',
    "{'a':1}",
    '{"a":[1 2]}',
    '{"a":tru}',
    '{"a":1',
    '{"a":"\\u12"}',
    '\u00a0{"a":1}',
    `${'['.repeat(300)}${']'.repeat(300)}`,
    // Never closed: must fail in linear time.
    `{"a":"${'x'.repeat(60000)}`,
  ];
  for (const text of texts) {
    const dump: Dump = { uri: 'file:///loose.json', text, format: 'object', records: [], syntaxFindings: [] };
    const record: DumpRecord = { index: 0, start: 0, end: text.length, value: undefined, kind: undefined };
    dump.records.push(record);
    assert.equal(locateInText(text, record, ['a'], 'value'), undefined, text);
    for (const path of [[], ['a'], ['a', 0], [0]] as JsonPath[])
      for (const anchor of ANCHORS) assert.deepEqual(locate(dump, record, path, anchor), locateInTree(dump, record, path, anchor));
  }
});
