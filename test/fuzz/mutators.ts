// Turns the seed dumps into hostile inputs. Input n of run `seed` depends only on (seed, n)
// and the corpus, so any input can be regenerated on its own (`--only n`).
//
// Two streams, interleaved: two inputs of three walk every value of a few real records and
// replace it in turn with each wrong type (or delete it); the third applies random structural
// mutations (floods of one ContactId, chains, cycles, deep nesting, huge strings,
// __proto__ keys, ...) and then text mutations (byte flips, truncation, lone surrogates,
// NUL, BOM, CRLF, mixed formats, ...).
import { isObject, loadCorpus, Seed, templates } from './corpus';
import { Rng } from './rng';

export type LanguageId = 'json' | 'jsonl' | 'connect-firehose';

export interface FuzzInput {
  n: number;
  text: string;
  /** Set when a mutation worked on the UTF-8 bytes: exactly what a file would hold. */
  bytes?: Buffer;
  /** File extension for the CLI ('' for an extension-less Firehose object). */
  ext: '.jsonl' | '.json' | '.firehose' | '';
  languageId: LanguageId;
  /** What was done, e.g. `samples/transfer-chain.jsonl > chain(4000) > crlf`. */
  mutation: string;
  /** The text before mutation: the previous version for the incremental-analysis check. */
  baseText?: string;
}

/** Keeps inputs bounded in size: a mutation that would go past this is cut back. */
export const MAX_INPUT_CHARS = 24 * 1024 * 1024;

type Path = (string | number)[];
type SerialFormat = 'jsonl' | 'array-pretty' | 'array-compact' | 'firehose' | 'pretty-stream' | 'object' | 'mixed-array-then-jsonl' | 'mixed-jsonl-then-array';

// ---- JSON value helpers -----------------------------------------------------------------

/** Sets an own property, even `__proto__` (plain assignment would change the prototype instead). */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every path in `value` (containers included, the root excluded), depth-first, at most `cap`. */
export function allPaths(value: unknown, cap = 5000): Path[] {
  const out: Path[] = [];
  const stack: { v: unknown; p: Path }[] = [{ v: value, p: [] }];
  while (stack.length > 0 && out.length < cap) {
    const { v, p } = stack.pop()!;
    if (p.length > 0) out.push(p);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], p: [...p, i] });
    } else if (isObject(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: v[keys[i]], p: [...p, keys[i]] });
    }
  }
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) v = Array.isArray(v) || isObject(v) ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/** Replaces the value at a non-empty path; `undefined` deletes it. */
function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') {
    if (value === undefined) parent.splice(last, 1);
    else parent[last] = value;
  } else if (isObject(parent) && typeof last === 'string') {
    if (value === undefined) delete parent[last];
    else defineOwn(parent, last, value);
  }
}

const clone = <T>(v: T): T => structuredClone(v);

// ---- raw text spliced into serialised records --------------------------------------------
// JSON.stringify recurses, so values nested 100,000 deep are written as text: the record
// holds a placeholder string, replaced by the raw text after serialisation.

class Build {
  readonly raw = new Map<string, string>();
  readonly steps: string[] = [];
  /** Chosen once, so two serialisations of one build differ only where the records do. */
  private indent: number | string | undefined;
  private finalNewline: boolean | undefined;

  constructor(
    public records: unknown[],
    origin: string,
  ) {
    this.steps.push(origin);
  }

  placeholder(text: string): string {
    const key = `\u0001RAW${this.raw.size}\u0001`;
    this.raw.set(key, text);
    return key;
  }

  serialize(format: SerialFormat, rng: Rng): string {
    const indent = (this.indent ??= rng.pick([2, 4, '\t']));
    const finalNewline = (this.finalNewline ??= rng.bool(0.8));
    const pad = typeof indent === 'number' ? ' '.repeat(indent) : indent;
    // Record by record, raw text spliced in, so the size is known before it is too late:
    // records past MAX_INPUT_CHARS are left out (a string that long cannot even be built).
    let budget = MAX_INPUT_CHARS;
    let cut = -1;
    const one = (v: unknown, pretty: boolean, nested: boolean): string | undefined => {
      let t = (pretty ? JSON.stringify(v, null, indent) : JSON.stringify(v)) ?? 'null';
      if (t.includes('\\u0001RAW')) for (const [key, raw] of this.raw) if (t.includes(JSON.stringify(key))) t = t.split(JSON.stringify(key)).join(raw);
      if (pretty && nested) t = pad + t.replace(/\n/g, `\n${pad}`);
      if (t.length + 2 > budget) return undefined;
      budget -= t.length + 2;
      return t;
    };
    const many = (rs: unknown[], pretty: boolean, nested: boolean, offset: number): string[] => {
      const out: string[] = [];
      for (let i = 0; i < rs.length; i++) {
        const t = one(rs[i], pretty, nested);
        if (t === undefined) {
          cut = offset + i;
          break;
        }
        out.push(t);
      }
      return out;
    };
    const array = (rs: unknown[], pretty: boolean, offset: number) => {
      const items = many(rs, pretty, pretty, offset);
      return pretty ? (items.length ? `[\n${items.join(',\n')}\n]` : '[]') : `[${items.join(',')}]`;
    };
    const rs = this.records;
    const half = Math.floor(rs.length / 2);
    let text: string;
    switch (format) {
      case 'jsonl':
        text = many(rs, false, false, 0).join('\n') + (finalNewline ? '\n' : '');
        break;
      case 'array-pretty':
        text = array(rs, true, 0);
        break;
      case 'array-compact':
        text = array(rs, false, 0);
        break;
      case 'firehose':
        text = many(rs, false, false, 0).join('');
        break;
      case 'pretty-stream':
        text = many(rs, true, false, 0).join('\n');
        break;
      case 'object':
        text = many(rs.slice(0, 1), true, false, 0)[0] ?? '{}';
        break;
      case 'mixed-array-then-jsonl':
        text = array(rs.slice(0, half), true, 0) + '\n' + many(rs.slice(half), false, false, half).join('\n');
        break;
      case 'mixed-jsonl-then-array':
        text = many(rs.slice(0, half), false, false, 0).join('\n') + '\n' + array(rs.slice(half), false, half);
        break;
    }
    if (cut >= 0 && !this.steps.includes(`cut at record ${cut}`)) this.steps.push(`cut at record ${cut}`);
    return text;
  }
}

function formatOf(seed: Seed): SerialFormat {
  switch (seed.format) {
    case 'jsonl':
      return 'jsonl';
    case 'array':
      return 'array-pretty';
    case 'object':
      return 'object';
    default:
      return 'firehose';
  }
}

function fileKind(format: SerialFormat | 'text', seedName: string, rng: Rng): Pick<FuzzInput, 'ext' | 'languageId'> {
  if (format === 'jsonl' || format === 'mixed-jsonl-then-array') return { ext: '.jsonl', languageId: 'jsonl' };
  if (format === 'firehose' || format === 'pretty-stream')
    return rng.bool(0.7) ? { ext: '.firehose', languageId: 'connect-firehose' } : { ext: '', languageId: 'connect-firehose' };
  if (format === 'text') {
    if (seedName.endsWith('.jsonl')) return { ext: '.jsonl', languageId: 'jsonl' };
    if (seedName.endsWith('.json')) return { ext: '.json', languageId: 'json' };
    return { ext: '.firehose', languageId: 'connect-firehose' };
  }
  return { ext: '.json', languageId: 'json' };
}

// ---- values that do not belong ------------------------------------------------------------

const EVIL_IDS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '\u0000',
  '\ud800',
  'null',
  '00000000-0000-0000-0000-000000000000',
];

const WEIRD_TIMESTAMPS = [
  '',
  '0',
  'null',
  '2026-13-45T99:99:99Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '1970-01-01T00:00:00Z',
  'Tue, 24 Nov 2026 10:00:00 GMT',
  '2026-11-24',
  '2026-11-24T10:00:00',
  '2026-11-24T10:00:00+14:00',
  '2026-11-24T10:00:00.123456789Z',
  '9'.repeat(400),
  '2026-11-24T10:00:00Z\u0000',
  '２０２６-１１-２４T10:00:00Z',
];

const WEIRD_NUMBERS = [0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -1, 0.5, 123456789];

const STATES = [
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
  'MISSED',
  'ERROR',
  'ENDED',
  'REJECTED',
  'PAUSED',
  'CONNECTED_ ONHOLD',
  'connected',
  '',
  'UNKNOWN_STATE',
];

function randomUnicode(rng: Rng, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) {
    const kind = rng.int(0, 11);
    switch (kind) {
      case 0:
        parts.push(String.fromCodePoint(rng.int(0x1f300, 0x1faff)));
        break; // emoji (astral, a surrogate pair)
      case 1:
        parts.push(String.fromCodePoint(rng.int(0x0300, 0x036f)));
        break; // combining marks
      case 2:
        parts.push(rng.pick(['\u202e', '\u202d', '\u200b', '\u200d', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\u0085']));
        break;
      case 3:
        parts.push(String.fromCharCode(rng.int(0, 0x1f)));
        break; // control characters
      case 4:
        parts.push(String.fromCharCode(rng.int(0xd800, 0xdfff)));
        break; // a lone surrogate
      case 5:
        parts.push(String.fromCodePoint(rng.int(0x10000, 0x10ffff)));
        break;
      case 6:
        parts.push(String.fromCharCode(rng.int(0xe000, 0xf8ff)));
        break; // private use
      case 7:
        parts.push(rng.pick(['"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\r', '\t']));
        break;
      default:
        parts.push(String.fromCharCode(rng.int(0x20, 0x7e)));
    }
  }
  return parts.join('');
}

function wrongValue(rng: Rng, current: unknown): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.pick(WEIRD_NUMBERS),
    () => true,
    () => false,
    () => '',
    () => randomUnicode(rng, rng.int(1, 20)),
    () => [],
    () => ({}),
    () => [current],
    () => ({ value: current }),
    () => rng.pick(EVIL_IDS),
    () => rng.pick(WEIRD_TIMESTAMPS),
    () => rng.pick(STATES),
    () => String(current),
  ])();
}

function hugeString(rng: Rng, size: number): string {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.pick(['a', ' ', '\\', '"', '\u00e9', '\u0000', '\n']).repeat(size);
    case 1:
      return randomUnicode(rng, 4096)
        .repeat(Math.ceil(size / 4096))
        .slice(0, size);
    case 2:
      return '+1-555-0100 '.repeat(Math.ceil(size / 12)).slice(0, size);
    case 3:
      return ('\ud83d\ude00'.repeat(size >> 1) + 'x').slice(0, size); // surrogate pairs, maybe one cut in half
    default:
      return '{"ContactId":"x"}'.repeat(Math.ceil(size / 17)).slice(0, size); // JSON-looking content inside a string
  }
}

/** Raw JSON text nested `depth` deep, closed or not. */
function deepText(rng: Rng, depth: number, closed: boolean): string {
  const [open, close] = rng.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['[{"ContactId":', '}]'],
    ['{"__proto__":', '}'],
  ]);
  const inner = rng.pick(['1', '"x"', 'null', '{}', '[]']);
  return open.repeat(depth) + inner + (closed ? close.repeat(depth) : close.repeat(rng.int(0, depth - 1)));
}

// ---- contact records and agent events built for adversarial shapes ------------------------

const uuid = (n: number, salt = 0) => {
  const h = ((n * 2654435761) ^ salt) >>> 0;
  return `${h.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
};

/** A contact record trimmed to its identity when many are needed (keeps a flood within MBs). */
function thinRecord(full: Record<string, unknown>, keepAll: boolean): Record<string, unknown> {
  if (keepAll) return clone(full);
  const out: Record<string, unknown> = {};
  for (const k of [
    'AWSAccountId',
    'AWSContactTraceRecordFormatVersion',
    'Channel',
    'ContactId',
    'InitialContactId',
    'InitiationMethod',
    'InitiationTimestamp',
    'DisconnectTimestamp',
    'LastUpdateTimestamp',
    'PreviousContactId',
    'NextContactId',
    'InstanceARN',
  ]) {
    if (k in full) out[k] = clone(full[k]);
  }
  return out;
}

function isoAt(base: number, offsetMs: number): string {
  const t = new Date(base + offsetMs);
  return Number.isFinite(t.getTime()) ? t.toISOString() : '2026-11-24T10:00:00.000Z';
}

// ---- structural mutations (on records) ------------------------------------------------------

type Structural = (b: Build, rng: Rng, t: ReturnType<typeof templates>) => void;

function randomPath(rng: Rng, b: Build): { record: number; path: Path } | undefined {
  if (b.records.length === 0) return undefined;
  const record = rng.int(0, b.records.length - 1);
  const paths = allPaths(b.records[record]);
  return paths.length ? { record, path: rng.pick(paths) } : undefined;
}

function pathWhere(rng: Rng, b: Build, want: (v: unknown, p: Path) => boolean): { record: number; path: Path } | undefined {
  for (let tries = 0; tries < 20; tries++) {
    const at = randomPath(rng, b);
    if (at && want(getAt(b.records[at.record], at.path), at.path)) return at;
  }
  return undefined;
}

const STRUCTURAL: [number, string, Structural][] = [
  [
    6,
    'wrong-types',
    (b, rng) => {
      const k = rng.logInt(1, 50);
      for (let i = 0; i < k; i++) {
        const at = randomPath(rng, b);
        if (at) setAt(b.records[at.record], at.path, wrongValue(rng, getAt(b.records[at.record], at.path)));
      }
      b.steps.push(`wrong-types(${k})`);
    },
  ],
  [
    3,
    'delete-keys',
    (b, rng) => {
      const k = rng.logInt(1, 30);
      for (let i = 0; i < k; i++) {
        const at = randomPath(rng, b);
        if (at) setAt(b.records[at.record], at.path, undefined);
      }
      b.steps.push(`delete-keys(${k})`);
    },
  ],
  [
    3,
    'proto-keys',
    (b, rng) => {
      const k = rng.logInt(1, 20);
      for (let i = 0; i < k; i++) {
        const at = pathWhere(rng, b, (v) => isObject(v)) ?? (isObject(b.records[0]) ? { record: 0, path: [] } : undefined);
        if (!at) break;
        const target = at.path.length ? getAt(b.records[at.record], at.path) : b.records[at.record];
        if (!isObject(target)) continue;
        const key = rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__']);
        defineOwn(target, key, rng.pick<unknown>([{ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, 'polluted', null, [1], { ContactId: '__proto__' }]));
      }
      // IDs that are names of Object.prototype members.
      for (const r of b.records) {
        if (!isObject(r) || !rng.bool(0.5)) continue;
        for (const f of ['ContactId', 'PreviousContactId', 'NextContactId', 'InitialContactId', 'RelatedContactId', 'EventId', 'AgentARN']) {
          if (f in r || rng.bool(0.2)) r[f] = rng.pick(EVIL_IDS);
        }
      }
      b.steps.push(`proto-keys(${k})`);
    },
  ],
  [
    3,
    'huge-string',
    (b, rng) => {
      const size = rng.logInt(100_000, 8_000_000);
      const at = pathWhere(rng, b, (v) => typeof v === 'string') ?? randomPath(rng, b);
      if (at) setAt(b.records[at.record], at.path, hugeString(rng, size));
      b.steps.push(`huge-string(${(size / 1e6).toFixed(1)}MB @${at?.path.join('.') ?? '-'})`);
    },
  ],
  [
    3,
    'deep-value',
    (b, rng) => {
      const depth = rng.logInt(100, 100_000);
      const closed = rng.bool(0.8);
      const at = randomPath(rng, b);
      if (at) setAt(b.records[at.record], at.path, b.placeholder(deepText(rng, depth, closed)));
      else b.records.push(b.placeholder(deepText(rng, depth, closed)));
      b.steps.push(`deep-value(${depth}${closed ? '' : ',unclosed'} @${at?.path.join('.') ?? 'record'})`);
    },
  ],
  [
    2,
    'deep-record',
    (b, rng) => {
      const depth = rng.logInt(1000, 100_000);
      b.records.splice(rng.int(0, b.records.length), 0, b.placeholder(deepText(rng, depth, rng.bool(0.7))));
      b.steps.push(`deep-record(${depth})`);
    },
  ],
  [
    3,
    'duplicate-records',
    (b, rng) => {
      if (!b.records.length) return;
      const k = rng.logInt(1, 2000);
      const i = rng.int(0, b.records.length - 1);
      const copies = Array.from({ length: k }, () => b.records[i]);
      b.records.splice(rng.int(0, b.records.length), 0, ...copies);
      b.steps.push(`duplicate-records(${k})`);
    },
  ],
  [
    2,
    'delete-records',
    (b, rng) => {
      const k = rng.int(1, Math.max(1, b.records.length));
      b.records = rng.bool(0.1) ? [] : removeRandom(b.records, rng, k);
      b.steps.push(`delete-records(${k})`);
    },
  ],
  [
    1,
    'shuffle-records',
    (b, rng) => {
      for (let i = b.records.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [b.records[i], b.records[j]] = [b.records[j], b.records[i]];
      }
      b.steps.push('shuffle-records');
    },
  ],
  [
    3,
    'one-contact-id',
    (b, rng, t) => {
      const n = rng.logInt(100, 10_000);
      const base = rng.pick(t.contactRecords);
      const id = rng.bool(0.2) ? rng.pick(EVIL_IDS) : String(base.ContactId);
      const sameStamp = rng.bool(0.5);
      for (let i = 0; i < n; i++) {
        const r = thinRecord(base, n <= 500);
        r.ContactId = id;
        r.LastUpdateTimestamp = sameStamp ? '2026-11-24T10:00:00Z' : isoAt(Date.UTC(2026, 10, 24), rng.int(-1e6, 1e6)).replace(/\.\d+Z$/, 'Z');
        if (rng.bool(0.7)) r.Attributes = { copy: String(i % 7) };
        if (rng.bool(0.3)) r.NextContactId = id;
        b.records.push(r);
      }
      b.steps.push(`one-contact-id(${n}${sameStamp ? ',same-stamp' : ''})`);
    },
  ],
  [
    3,
    'chain',
    (b, rng, t) => {
      const n = rng.logInt(10, 5000);
      const base = rng.pick(t.contactRecords);
      const salt = rng.int(0, 1 << 30);
      const breakAt = rng.bool(0.5) ? rng.int(0, n - 1) : -1;
      const chain: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const r = thinRecord(base, n <= 300);
        r.ContactId = uuid(i, salt);
        r.InitialContactId = i === 0 ? null : rng.bool(0.98) ? uuid(0, salt) : uuid(rng.int(0, n - 1), salt);
        r.PreviousContactId = i === 0 ? null : uuid(i - 1, salt);
        r.NextContactId = i === n - 1 ? null : i === breakAt ? uuid(n + 7, salt) : uuid(i + 1, salt);
        r.InitiationTimestamp = isoAt(Date.UTC(2026, 10, 24), i * 1000).replace(/\.\d+Z$/, 'Z');
        chain.push(r);
      }
      if (rng.bool(0.3)) chain.reverse();
      b.records.push(...chain);
      b.steps.push(`chain(${n}${breakAt >= 0 ? `,break@${breakAt}` : ''})`);
    },
  ],
  [
    3,
    'cycle',
    (b, rng, t) => {
      const n = rng.logInt(1, 10_000);
      const base = rng.pick(t.contactRecords);
      const salt = rng.int(0, 1 << 30);
      const reciprocal = rng.bool(0.6);
      for (let i = 0; i < n; i++) {
        const r = thinRecord(base, n <= 300);
        r.ContactId = uuid(i, salt);
        r.NextContactId = uuid((i + 1) % n, salt);
        r.PreviousContactId = reciprocal ? uuid((i - 1 + n) % n, salt) : uuid((i + 2) % n, salt);
        r.InitialContactId = uuid(rng.int(0, n - 1), salt);
        b.records.push(r);
      }
      b.steps.push(`cycle(${n}${reciprocal ? '' : ',one-way'})`);
    },
  ],
  [
    3,
    'agent-flood',
    (b, rng, t) => {
      const n = rng.logInt(10, 3000);
      const base = rng.pick(t.agentEvents);
      const agent = rng.bool(0.1) ? '__proto__' : base.AgentARN;
      const contactId = rng.bool(0.1) ? 'constructor' : uuid(rng.int(0, 1000), 7);
      const timing = rng.pick(['same', 'increasing', 'decreasing', 'random']);
      const sameEventId = rng.bool(0.2);
      const t0 = Date.UTC(2026, 10, 24, 10);
      for (let i = 0; i < n; i++) {
        const ev = clone(base);
        ev.AgentARN = agent;
        ev.EventType = rng.bool(0.9) ? 'STATE_CHANGE' : rng.pick(['HEART_BEAT', 'LOGIN', 'LOGOUT']);
        ev.EventId = sameEventId ? 'ffffffff-0000-4000-8000-000000000000' : uuid(i, 99);
        const ms = timing === 'same' ? 0 : timing === 'increasing' ? i * 1000 : timing === 'decreasing' ? -i * 1000 : rng.int(-1e7, 1e7);
        ev.EventTimestamp = isoAt(t0, ms);
        for (const snap of ['PreviousAgentSnapshot', 'CurrentAgentSnapshot']) {
          const s = ev[snap];
          if (!isObject(s)) continue;
          s.Contacts = [
            {
              ContactId: contactId,
              InitialContactId: null,
              Channel: rng.pick(['VOICE', 'CHAT', 'TASK']),
              InitiationMethod: rng.pick(['INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API']),
              State: rng.pick(STATES),
              StateStartTimestamp: isoAt(t0, rng.int(-1e7, 1e7)),
              ConnectedToAgentTimestamp: null,
              QueueTimestamp: null,
              Queue: null,
            },
          ];
        }
        b.records.push(ev);
      }
      b.steps.push(`agent-flood(${n},${timing}${sameEventId ? ',same-event-id' : ''})`);
    },
  ],
  [
    2,
    'snapshot-flood',
    (b, rng, t) => {
      const n = rng.logInt(100, 10_000);
      const ev = clone(rng.pick(t.agentEvents));
      const contacts = Array.from({ length: n }, (_, i) => ({
        ContactId: rng.bool(0.5) ? 'same' : uuid(i, 3),
        State: rng.pick(STATES),
        Channel: 'VOICE',
        InitiationMethod: 'INBOUND',
      }));
      for (const snap of ['PreviousAgentSnapshot', 'CurrentAgentSnapshot']) if (isObject(ev[snap])) ev[snap].Contacts = contacts;
      b.records.push(ev);
      b.steps.push(`snapshot-flood(${n})`);
    },
  ],
  [
    2,
    'id-collision',
    (b, rng) => {
      const id = rng.pick(EVIL_IDS);
      for (const r of b.records) {
        for (const p of allPaths(r)) {
          const last = p[p.length - 1];
          if (typeof last === 'string' && /(ContactId|EventId|ARN)$/.test(last)) setAt(r, p, id);
        }
      }
      b.steps.push(`id-collision(${JSON.stringify(id)})`);
    },
  ],
  [
    2,
    'weird-timestamps',
    (b, rng) => {
      for (const r of b.records) {
        for (const p of allPaths(r)) {
          const last = p[p.length - 1];
          if (typeof last === 'string' && /Timestamp$/.test(last) && rng.bool(0.5)) setAt(r, p, rng.pick(WEIRD_TIMESTAMPS));
        }
      }
      b.steps.push('weird-timestamps');
    },
  ],
  [
    1,
    'weird-numbers',
    (b, rng) => {
      for (const r of b.records) {
        for (const p of allPaths(r)) if (typeof getAt(r, p) === 'number' && rng.bool(0.5)) setAt(r, p, rng.pick(WEIRD_NUMBERS));
      }
      b.steps.push('weird-numbers');
    },
  ],
  [
    2,
    'unicode-values',
    (b, rng) => {
      const k = rng.logInt(1, 40);
      for (let i = 0; i < k; i++) {
        const at = pathWhere(rng, b, (v) => typeof v === 'string');
        if (at) setAt(b.records[at.record], at.path, randomUnicode(rng, rng.int(1, 64)));
      }
      b.steps.push(`unicode-values(${k})`);
    },
  ],
  [
    1,
    'non-objects',
    (b, rng) => {
      const k = rng.int(1, 20);
      for (let i = 0; i < k; i++)
        b.records.splice(rng.int(0, b.records.length), 0, rng.pick<unknown>([null, 1, 'x', true, [], [1, 2], {}, [{}], { EventType: null }]));
      b.steps.push(`non-objects(${k})`);
    },
  ],
];

// ---- text mutations ------------------------------------------------------------------------------

interface TextState {
  text: string;
  bytes?: Buffer;
}

type TextMutation = (s: TextState, rng: Rng, corpus: readonly Seed[]) => string;

const insertAt = (text: string, at: number, what: string) => text.slice(0, at) + what + text.slice(at);

/** Many insertions in one pass (one at a time would copy a 20 MB text for each). */
function insertMany(text: string, rng: Rng, k: number, what: () => string): string {
  const at = Array.from({ length: k }, () => rng.int(0, text.length)).sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const i of at) {
    parts.push(text.slice(last, i), what());
    last = i;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Removes k random items (by index) in one pass. */
function removeRandom<T>(items: T[], rng: Rng, k: number): T[] {
  const drop = new Set<number>();
  for (let i = 0; i < k && drop.size < items.length - 1; i++) drop.add(rng.int(0, items.length - 1));
  return items.filter((_, i) => !drop.has(i));
}

function lines(text: string): string[] {
  return text.split('\n');
}

const TEXT: [number, TextMutation][] = [
  [
    4,
    (s, rng) => {
      const buf = Buffer.from(s.text, 'utf8');
      if (buf.length === 0) return 'byte-flips(0)';
      const k = rng.logInt(1, 64);
      for (let i = 0; i < k; i++) {
        const at = rng.int(0, buf.length - 1);
        buf[at] = rng.bool(0.6) ? buf[at] ^ (1 << rng.int(0, 7)) : rng.pick([0x00, 0xff, 0x80, 0xc0, 0xed, 0xf4, 0x0a, 0x0d, 0x22, 0x5c]);
      }
      s.bytes = buf;
      s.text = buf.toString('utf8');
      return `byte-flips(${k})`;
    },
  ],
  [
    4,
    (s, rng) => {
      const at = rng.int(0, s.text.length);
      s.text = s.text.slice(0, at);
      return `truncate(@${at})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const ls = lines(s.text);
      const k = rng.int(1, Math.max(1, Math.ceil(ls.length / 3)));
      s.text = removeRandom(ls, rng, k).join('\n');
      return `delete-lines(${k})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const ls = lines(s.text);
      const i = rng.int(0, ls.length - 1);
      const k = rng.logInt(1, 3000);
      if (ls[i].length * k > MAX_INPUT_CHARS / 2) return 'duplicate-lines(skipped)';
      ls.splice(i, 0, ...Array.from({ length: k }, () => ls[i]));
      s.text = ls.join('\n');
      return `duplicate-lines(${k})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const k = rng.logInt(1, 50);
      s.text = insertMany(s.text, rng, k, () =>
        rng.pick([
          '{',
          '}',
          '[',
          ']',
          '"',
          '\\',
          ',',
          ':',
          '\n',
          '\r',
          '\t',
          'null',
          'true',
          '1e999',
          '-',
          '"\\u',
          '\\ud800',
          '/*',
          '//',
          '\u0000',
          '},{',
          ']\n[',
          '\n{',
        ]),
      );
      return `insert-tokens(${k})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const k = rng.logInt(1, 40);
      s.text = insertMany(s.text, rng, k, () => randomUnicode(rng, rng.int(1, 8)));
      return `random-unicode(${k})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const k = rng.logInt(1, 40);
      s.text = insertMany(s.text, rng, k, () => {
        const sur = rng.pick(['\ud800', '\udbff', '\udc00', '\udfff']);
        return rng.bool(0.5) ? sur : `\\u${sur.charCodeAt(0).toString(16)}`;
      });
      return `lone-surrogates(${k})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const k = rng.logInt(1, 40);
      s.text = insertMany(s.text, rng, k, () => rng.pick(['\u0000', '\\u0000', '\u0000'.repeat(100)]));
      return `nul(${k})`;
    },
  ],
  [
    2,
    (s, rng) => {
      const where = rng.pick(['start', 'lines', 'middle']);
      if (where === 'start') s.text = '\ufeff'.repeat(rng.int(1, 3)) + s.text;
      else if (where === 'lines')
        s.text = s.text
          .split('\n')
          .map((l) => (rng.bool(0.3) ? '\ufeff' + l : l))
          .join('\n');
      else s.text = insertAt(s.text, rng.int(0, s.text.length), '\ufeff');
      return `bom(${where})`;
    },
  ],
  [
    3,
    (s, rng) => {
      const how = rng.pick(['crlf', 'cr', 'mixed', 'lfcr']);
      if (how === 'crlf') s.text = s.text.replace(/\n/g, '\r\n');
      else if (how === 'cr') s.text = s.text.replace(/\n/g, '\r');
      else if (how === 'lfcr') s.text = s.text.replace(/\n/g, '\n\r');
      else
        s.text = s.text
          .split('\n')
          .map((l) => l + (rng.bool(0.5) ? '\r' : ''))
          .join('\n');
      return `line-ends(${how})`;
    },
  ],
  [
    2,
    (s, rng) => {
      const depth = rng.logInt(100, 100_000);
      const closed = rng.bool(0.5);
      s.text = insertAt(s.text, rng.bool(0.5) ? 0 : rng.int(0, s.text.length), deepText(rng, depth, closed) + (rng.bool(0.5) ? '\n' : ''));
      return `deep-text(${depth}${closed ? '' : ',unclosed'})`;
    },
  ],
  [
    2,
    (s, rng) => {
      const size = rng.logInt(100_000, 4_000_000);
      const what = rng.pick(['garbage', 'spaces', 'newlines', 'quotes', 'braces', 'string']);
      const chunk =
        what === 'garbage'
          ? hugeString(rng, size)
          : what === 'spaces'
            ? ' '.repeat(size)
            : what === 'newlines'
              ? '\n'.repeat(size)
              : what === 'quotes'
                ? '"'.repeat(size)
                : what === 'braces'
                  ? '{'.repeat(size)
                  : `{"ContactId":"${'a'.repeat(size)}`;
      s.text = insertAt(s.text, rng.bool(0.5) ? s.text.length : rng.int(0, s.text.length), chunk);
      return `huge-text(${what},${(size / 1e6).toFixed(1)}MB)`;
    },
  ],
  [
    2,
    (s, rng, corpus) => {
      const other = rng.pick(corpus).text;
      const a = rng.int(0, other.length),
        b = rng.int(a, Math.min(other.length, a + 20000));
      s.text = insertAt(s.text, rng.int(0, s.text.length), other.slice(a, b));
      return 'splice-other';
    },
  ],
  [
    2,
    (s, rng, corpus) => {
      const other = rng.pick(corpus).text;
      s.text = rng.bool(0.5) ? s.text + '\n' + other : other + '\n' + s.text;
      return 'concat-other';
    },
  ],
  [
    2,
    (s, rng) => {
      const k = rng.logInt(1, 30);
      let i = 0;
      s.text = s.text.replace(/-?\d+(\.\d+)?/g, (m) =>
        i < k && rng.bool(0.1) ? (i++, rng.pick(['1e999', '-0', '00', '1.', '.5', '0x10', 'NaN', 'Infinity', '1e-400', '9'.repeat(400)])) : m,
      );
      return `bad-numbers(${i})`;
    },
  ],
  [
    1,
    (s, rng) => {
      s.text = rng.pick(['', ' ', '\n\n', '\ufeff', '[]', '{}', 'null', '[', '{', ']', '}', '"', '[[]]', '[{}]', '[null]', '\u0000', '\ud800']);
      return `tiny(${JSON.stringify(s.text)})`;
    },
  ],
  [
    1,
    (s, rng) => {
      const ls = lines(s.text);
      s.text = ls.map((l) => (rng.bool(0.3) ? ' '.repeat(rng.int(1, 10)) + l : l)).join('\n');
      return 'indent-lines';
    },
  ],
  [
    1,
    (s) => {
      s.text = s.text.replace(/\n/g, ',\n');
      return 'comma-lines';
    },
  ],
];

function applyTextMutation(s: TextState, rng: Rng, corpus: readonly Seed[]): string {
  const m = rng.weighted(TEXT.map(([w, f]) => [w, f] as const));
  const before = s.bytes;
  const label = m(s, rng, corpus);
  // A later text mutation works on the decoded text: the bytes no longer describe it.
  if (s.bytes === before) s.bytes = undefined;
  if (s.text.length > MAX_INPUT_CHARS) {
    s.text = s.text.slice(0, MAX_INPUT_CHARS);
    s.bytes = undefined;
    return label + '(cut to max size)';
  }
  return label;
}

// ---- wrong types in every field, one at a time -------------------------------------------------

const SYSTEMATIC_VARIANTS = ['null', 'number', 'string', 'empty-string', 'boolean', 'array', 'object', 'delete'] as const;
type Variant = (typeof SYSTEMATIC_VARIANTS)[number];

interface SystematicBase {
  name: string;
  records: unknown[];
  format: SerialFormat;
}

export interface SystematicCase {
  base: number;
  record: number;
  path: Path;
  variant: Variant;
}

function systematicBases(corpus: readonly Seed[]): SystematicBase[] {
  const out: SystematicBase[] = [];
  const byName = new Map(corpus.map((s) => [s.name, s]));
  const add = (name: string, count?: number) => {
    const seed = byName.get(name);
    if (seed?.records) out.push({ name, records: count ? seed.records.slice(0, count) : seed.records, format: formatOf(seed) });
  };
  add('test/fixtures/aws/contact-record.voice-inbound.json');
  add('test/fixtures/aws/contact-record.data-model.json');
  add('test/fixtures/aws/sample-agent-event.json');
  add('test/fixtures/aws/determine-acw-time.1.json');
  add('samples/transfer-chain.jsonl');
  add('samples/transfer-chain-agent-events.jsonl', 6);
  add('samples/task-paused.json', 4);
  return out;
}

function variantValue(v: Variant, index: number, current: unknown): unknown {
  switch (v) {
    case 'null':
      return null;
    case 'number':
      return [0, -1.5, 1e308][index % 3];
    case 'string':
      return typeof current === 'string' ? current + '\u0000x' : 'x';
    case 'empty-string':
      return '';
    case 'boolean':
      return index % 2 === 0;
    case 'array':
      return [1, 'a', null];
    case 'object':
      return { k: 'v' };
    case 'delete':
      return undefined;
  }
}

/** Every (record, path, variant) of the systematic bases, in an order shuffled by the run seed. */
export function systematicCases(seed: number): { bases: SystematicBase[]; cases: SystematicCase[] } {
  const bases = systematicBases(loadCorpus());
  const cases: SystematicCase[] = [];
  bases.forEach((b, base) =>
    b.records.forEach((r, record) => {
      for (const path of allPaths(r)) for (const variant of SYSTEMATIC_VARIANTS) cases.push({ base, record, path, variant });
    }),
  );
  // A fixed-seed slice then covers fields spread over every base rather than the first one.
  const rng = new Rng(seed ^ 0x5eed);
  for (let i = cases.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  return { bases, cases };
}

let systematicCache: { seed: number; value: ReturnType<typeof systematicCases> } | undefined;

function systematicInput(seed: number, n: number, k: number): FuzzInput {
  if (systematicCache?.seed !== seed) systematicCache = { seed, value: systematicCases(seed) };
  const { bases, cases } = systematicCache.value;
  const c = cases[k % cases.length];
  const base = bases[c.base];
  const b = new Build(clone(base.records), base.name);
  const rng = Rng.forInput(seed, n);
  const originalText = b.serialize(base.format, rng);
  setAt(b.records[c.record], c.path, variantValue(c.variant, k, getAt(b.records[c.record], c.path)));
  const text = b.serialize(base.format, rng);
  return {
    n,
    text,
    ...fileKind(base.format, base.name, rng),
    baseText: originalText,
    mutation: `${base.name} > record ${c.record + 1} ${c.path.join('.')} = ${c.variant}`,
  };
}

// ---- one input --------------------------------------------------------------------------------

const FORMATS: SerialFormat[] = [
  'jsonl',
  'jsonl',
  'array-pretty',
  'array-compact',
  'firehose',
  'pretty-stream',
  'object',
  'mixed-array-then-jsonl',
  'mixed-jsonl-then-array',
];

export function generateInput(seed: number, n: number): FuzzInput {
  const corpus = loadCorpus();
  // Two of three inputs are systematic: they are small and fast, and there are ~11,000.
  if (n % 3 !== 2) return systematicInput(seed, n, Math.floor(n / 3) * 2 + (n % 3));
  const rng = Rng.forInput(seed, n);
  const t = templates(corpus);
  const s = rng.pick(corpus);
  let state: TextState;
  let format: SerialFormat | 'text' = 'text';
  const steps: string[] = [];
  let structural = false;
  if (s.records && rng.bool(0.7)) {
    const b = new Build(clone(s.records), s.name);
    const k = rng.weighted([
      [6, 1],
      [3, 2],
      [1, 3],
    ] as const);
    for (let i = 0; i < k; i++) rng.weighted(STRUCTURAL.map(([w, , f]) => [w, f] as const))(b, rng, t);
    format = rng.bool(0.6) ? formatOf(s) : rng.pick(FORMATS);
    state = { text: b.serialize(format, rng) };
    steps.push(...b.steps, `as ${format}`);
    structural = true;
  } else {
    state = { text: s.text };
    steps.push(s.name);
  }
  const textMutations = structural
    ? rng.weighted([
        [5, 0],
        [3, 1],
        [2, 2],
      ] as const)
    : rng.weighted([
        [5, 1],
        [3, 2],
        [2, 3],
      ] as const);
  for (let i = 0; i < textMutations; i++) steps.push(applyTextMutation(state, rng, corpus));
  return {
    n,
    text: state.text,
    bytes: state.bytes,
    ...fileKind(format, s.name, rng),
    mutation: steps.join(' > '),
    baseText: s.text,
  };
}
