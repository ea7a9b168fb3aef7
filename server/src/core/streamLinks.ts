// The contact-record facts the streamed analysis carries across the whole file, so that
// `link-reciprocal`, `link-cycle`, `link-initial` and `duplicate-id` between contact records
// are checked whatever the distance between the records (the cross-record rules of a window
// see only its own records). Each window's cross-record step (streamWindow.ts, in a worker
// thread or not) hands back a compact fact per contact record: its ContactId, the fields
// those rules read (links.ts, duplicates.ts, model.ts `supersedes`), a hash of its content
// and where its values sit in the file. At the end of the file the reading thread rebuilds
// each record as a small stand-in record holding only those fields and runs the rules
// themselves over them (rules.ts, the one owner of each judgement, "which copy stands"
// included), then moves each finding from the stand-in back onto the record in the file.
import { isObject, idAt, str } from './json';
import type { LineCharacter } from './lineIndex';
import { CONTACT_RECORD_TIMES, recordTimeAt } from './ordering';
import { runWorkspaceRules } from './rules';
import { parseTimestamp } from './time';
import type { Dump, DumpRecord, FindingCode } from './types';
import type { LineRange, StreamFinding, StreamFindingSource } from './streamWindow';

/** The codes these facts decide for contact records (the window's own findings of them on contact records are dropped). */
export const FILE_WIDE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>(['link-reciprocal', 'link-cycle', 'link-initial', 'duplicate-id']);

/** The fields of a contact record the rules read, each where the rules may point (ContactId first). */
const LOCATED = ['ContactId', 'PreviousContactId', 'NextContactId', 'InitialContactId'] as const;
type Located = (typeof LOCATED)[number];
/** Stand-ins per run of the rules at the end (memory: ~1 K each while they run). */
const BATCH_RECORDS = 1024;
/** The stand-in's key for the content hash (not a contact record field). */
const HASH_KEY = '#';

/** Numbers per place: start line, start character, end line, end character, byte. */
const SPOT = 5;
/**
 * Where a contact record's values sit in the file: the record's source (ordinal, byte start,
 * byte end, start line, start character; for a decoded record, its envelope's), then one spot
 * per LOCATED field (ContactId's spot for a field the record lacks: the rules point at a link
 * field only when the record has it).
 */
export type Places = number[];
const RECORD_SOURCE = 5;

/** One contact record of a window, as carried. */
export interface ContactFact {
  id: string;
  /** The link fields of LOCATED the record has, as written, and InitiationMethod, InitiationTimestamp, LastUpdateTimestamp where the rules would read them. */
  fields: Record<string, unknown>;
  /** Order-independent hash of the record's content (duplicates.ts `sameContent` by value). */
  hash: number;
  /** Ordinal of the record: in the file, or (decoded) in the window's decoded records. */
  index: number;
  /** Read out of an envelope: the label of its encoded value (findings say it, as `toOriginal` does). */
  label?: string;
  places: Places;
}

export interface WindowLinkFacts {
  contacts: ContactFact[];
  /** Records decoded out of envelopes in the window (to number them across the file). */
  decodedRecords: number;
}

/** How the worker side reads places in the file (streamWindow.ts' Placement). */
export interface PlaceReader {
  position(offset: number): LineCharacter;
  source(offset: number): StreamFindingSource;
}

// ---- In the window: one fact per contact record --------------------------------------

/**
 * A fact for a contact record with a ContactId, else undefined: `locateField` finds a top-level
 * value, `src` is the record's source (for a decoded record: its envelope's).
 */
export function contactFact(
  record: DumpRecord,
  text: string,
  at: PlaceReader,
  locateField: (key: Located) => { start: number; end: number },
  src: StreamFindingSource['record'],
  decoded?: { label: string; start: number; end: number },
): ContactFact | undefined {
  const value = record.value;
  if (record.kind !== 'contactRecord' || !isObject(value)) return undefined;
  const id = idAt(value, ['ContactId']);
  if (!id) return undefined;
  const fields: Record<string, unknown> = {};
  for (const key of LOCATED) if (key !== 'ContactId' && Object.prototype.hasOwnProperty.call(value, key)) fields[key] = value[key];
  const method = str(value.InitiationMethod);
  if (method !== undefined) fields.InitiationMethod = method;
  if (recordTimeAt(value, CONTACT_RECORD_TIMES.initiation)) fields.InitiationTimestamp = value.InitiationTimestamp;
  if (parseTimestamp(value.LastUpdateTimestamp) !== undefined) fields.LastUpdateTimestamp = value.LastUpdateTimestamp;

  const places: Places = [];
  const spot = (start: number, end: number): void => {
    const s = at.position(start);
    const e = at.position(end);
    places.push(s.line, s.character, e.line, e.character, at.source(start).byte);
  };
  places.push(src?.index ?? -1, src?.byteStart ?? 0, src?.byteEnd ?? 0, src?.start.line ?? 0, src?.start.character ?? 0);
  for (const key of LOCATED) {
    if (key !== 'ContactId' && (decoded || !Object.prototype.hasOwnProperty.call(value, key))) {
      places.push(...places.slice(RECORD_SOURCE, RECORD_SOURCE + SPOT));
      continue;
    }
    // Inside an envelope every place of the record is its encoded value (analyze.ts `toOriginal`).
    const span = decoded ?? locateField(key);
    spot(span.start, span.end);
  }
  return { id, fields, hash: contentHash(value, text, record), index: record.index, ...(decoded ? { label: decoded.label } : {}), places };
}

/**
 * The span of a top-level scalar value of a record, found in its text without a syntax tree:
 * when the key is written once in the record (a key of the same name in a nested object, such
 * as a contact attribute, leaves it to the syntax tree) and its value reads back as the parsed
 * one; else undefined.
 */
export function scalarSpan(text: string, record: DumpRecord, key: string, value: unknown): { start: number; end: number } | undefined {
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  // The name without its opening quote: searches that start on a letter skip through the
  // text much faster than on `"`, the commonest character of JSON.
  const name = JSON.stringify(key).slice(1);
  // Searched in the record alone (a slice shares the text): past its last key, a search of the
  // window's text would run on through the records after it.
  const own = text.slice(record.start, record.end);
  let found: { start: number; end: number } | undefined;
  for (let at = own.indexOf(name); at >= 0; at = own.indexOf(name, at + 1)) {
    if (own.charCodeAt(at - 1) !== 0x22) continue;
    let i = record.start + at + name.length;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3a) continue; // a value, not a key
    if (found) return undefined; // the key twice: which one is top level is the tree's to say
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    let end = i;
    if (text.charCodeAt(i) === 0x22) {
      for (end = i + 1; end < record.end; end++) {
        const c = text.charCodeAt(end);
        if (c === 0x5c) end++;
        else if (c === 0x22) break;
      }
      end++;
    } else {
      while (end < record.end && !isDelimiter(text.charCodeAt(end))) end++;
    }
    if (end > record.end || !readsAs(text.slice(i, end), value)) return undefined;
    found = { start: i, end };
  }
  return found;
}

/** Whether a value's JSON text reads back as `value` (most do without parsing: a string with nothing escaped, null, a plain number). */
function readsAs(raw: string, value: unknown): boolean {
  if (typeof value === 'string' ? raw.length === value.length + 2 && raw.indexOf(value) === 1 && !value.includes('\\') : raw === String(value)) return true;
  try {
    return JSON.parse(raw) === value;
  } catch {
    return false;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c);
}

// One 32-bit lane is plenty: only copies of one ContactId with one LastUpdateTimestamp are
// compared, so two different contents hashing alike is a 1 in 4 billion chance per such pair.

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

function hashNumber(n: number): number {
  // Equal as JSON (JSON.stringify) is equal as numbers; -0 writes as 0.
  if ((n | 0) === n) return Math.imul(n ^ 0x5bd1e995, 0x01000193);
  float[0] = n;
  return Math.imul(floatWords[0] ^ Math.imul(floatWords[1], 0x2c1b3c6d), 0x01000193);
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ (h >>> 16);
}

/** A parsed JSON value's hash: object keys in any order hash alike (duplicates.ts compares with keys sorted). */
function hashValue(v: unknown): number {
  if (typeof v === 'string') return hashString(v, 0x811c9dc5);
  if (typeof v === 'number') return hashNumber(v);
  if (v === null) return 0x3c6ef372;
  if (v === true) return 0x1f83d9ab;
  if (v === false) return 0x5be0cd19;
  let h: number;
  if (Array.isArray(v)) {
    h = 0x6a09e667;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ mix(hashValue(v[i])), 0x01000193);
  } else {
    // Entries combine by addition: the order of the keys does not count.
    h = 0x510e527f;
    const o = v as Record<string, unknown>;
    for (const key in o) h = (h + mix(hashString(key, 0x9b05688c) ^ Math.imul(hashValue(o[key]), 0x2c1b3c6d))) | 0;
  }
  return mix(h);
}

/** The content's hash; a pathological nesting hashes its text, as duplicates.ts compares it. */
export function contentHash(value: unknown, text: string, record: DumpRecord): number {
  try {
    return hashValue(value) >>> 0;
  } catch {
    return hashString(text.slice(record.start, record.end), 0x7137449) >>> 0;
  }
}

// ---- In the reading thread: every window's facts, and the findings at the end ---------

/** Whole seconds, as contact records write their times ("2024-03-12T08:07:45Z"). */
const wholeSeconds = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Facts in columns (a few hundred bytes per contact record, see the header of stream.ts):
 * numbers in typed arrays, places relative to their record, the ID strings shared.
 */
class FactTable {
  /** Per fact: content hash, initiation (ms, NaN for none), ordinal, then the record's source (RECORD_SOURCE numbers). */
  private num = new Float64Array(8 * 256);
  /** Per fact and LOCATED field: line and end line after the record's start line, characters, byte after the record's start byte. */
  private spots = new Int32Array(LOCATED.length * SPOT * 256);
  readonly ids: string[] = [];
  /** Per fact: PreviousContactId, NextContactId, InitialContactId as written (undefined: absent). */
  private readonly links: unknown[] = [];
  private readonly methods: (string | undefined)[] = [];
  /** The LastUpdateTimestamp as written; 0 or 1: written as the whole seconds or the ISO milliseconds of `lastUpdateMs`. */
  private readonly lastUpdates: (string | number | undefined)[] = [];
  private readonly lastUpdateMs: number[] = [];
  private readonly labels = new Map<number, string>();

  get length(): number {
    return this.ids.length;
  }

  add(f: ContactFact, intern: (s: string) => string): void {
    const n = this.ids.length;
    if ((n + 1) * 8 > this.num.length) {
      const num = new Float64Array(this.num.length * 2);
      num.set(this.num);
      this.num = num;
      const spots = new Int32Array(this.spots.length * 2);
      spots.set(this.spots);
      this.spots = spots;
    }
    this.ids.push(intern(f.id));
    for (const key of LOCATED.slice(1)) {
      const v = f.fields[key];
      this.links.push(typeof v === 'string' ? intern(v) : v);
    }
    this.methods.push(f.fields.InitiationMethod as string | undefined);
    const initiation = f.fields.InitiationTimestamp;
    const num = this.num;
    const p = f.places;
    num[8 * n] = f.hash;
    num[8 * n + 1] = typeof initiation === 'string' ? (parseTimestamp(initiation) ?? NaN) : NaN;
    num[8 * n + 2] = f.index;
    for (let i = 0; i < RECORD_SOURCE; i++) num[8 * n + 3 + i] = p[i];
    const base = LOCATED.length * SPOT * n;
    for (let k = 0; k < LOCATED.length; k++) {
      const s = RECORD_SOURCE + k * SPOT;
      const o = base + k * SPOT;
      this.spots[o] = p[s] - p[3];
      this.spots[o + 1] = p[s + 1];
      this.spots[o + 2] = p[s + 2] - p[3];
      this.spots[o + 3] = p[s + 3];
      this.spots[o + 4] = p[s + 4] - p[1];
    }
    const lastUpdate = f.fields.LastUpdateTimestamp as string | undefined;
    const ms = lastUpdate === undefined ? NaN : (parseTimestamp(lastUpdate) ?? NaN);
    this.lastUpdateMs.push(ms);
    this.lastUpdates.push(
      lastUpdate === undefined ? undefined : lastUpdate === wholeSeconds(ms) ? 0 : lastUpdate === new Date(ms).toISOString() ? 1 : lastUpdate,
    );
    if (f.label !== undefined) this.labels.set(n, f.label);
  }

  /** Calls `f` with each contact fact `n` names in a link field. */
  forLinks(n: number, f: (id: string) => void): void {
    for (let i = 0; i < 3; i++) {
      const v = this.links[3 * n + i];
      if (typeof v === 'string' && v.length > 0) f(v);
    }
  }

  /** Hands `put` the fields of fact `n` a stand-in holds, in a fixed order. */
  standIn(n: number, put: (key: string, value: unknown) => void): void {
    put('ContactId', this.ids[n]);
    for (let i = 0; i < 3; i++) {
      const v = this.links[3 * n + i];
      if (v !== undefined) put(LOCATED[i + 1], v);
    }
    const method = this.methods[n];
    if (method !== undefined) put('InitiationMethod', method);
    const initiation = this.num[8 * n + 1];
    if (!Number.isNaN(initiation)) put('InitiationTimestamp', new Date(initiation).toISOString());
    const lastUpdate = this.lastUpdates[n];
    if (lastUpdate !== undefined) {
      const ms = this.lastUpdateMs[n];
      put('LastUpdateTimestamp', lastUpdate === 0 ? wholeSeconds(ms) : lastUpdate === 1 ? new Date(ms).toISOString() : lastUpdate);
    }
    put(HASH_KEY, this.num[8 * n]);
  }

  index(n: number): number {
    return this.num[8 * n + 2];
  }

  label(n: number): string | undefined {
    return this.labels.get(n);
  }

  /** Where fact `n`'s LOCATED field `k` sits in the file. */
  place(n: number, k: number): { range: LineRange; source: StreamFindingSource } {
    const r = 8 * n + 3;
    const num = this.num;
    const o = LOCATED.length * SPOT * n + k * SPOT;
    const sp = this.spots;
    const line = num[r + 3];
    return {
      range: { start: { line: line + sp[o], character: sp[o + 1] }, end: { line: line + sp[o + 2], character: sp[o + 3] } },
      source: {
        byte: num[r + 1] + sp[o + 4],
        ...(num[r] >= 0 ? { record: { index: num[r], byteStart: num[r + 1], byteEnd: num[r + 2], start: { line, character: num[r + 4] } } } : {}),
      },
    };
  }
}

/** The contact-record facts of the windows reported so far, in file order. */
export class CarriedLinks {
  /** `batchRecords`: stand-ins per run of the rules (groups of linked contacts are never split). */
  constructor(private readonly batchRecords = BATCH_RECORDS) {}

  /** Records of the text itself, then records decoded out of envelopes (the model's order of the two dumps). */
  private readonly plain = new FactTable();
  private readonly decoded = new FactTable();
  private decodedBase = 0;
  /** One copy of each ID string, shared by every fact naming it. */
  private readonly ids = new Map<string, string>();
  private readonly intern = (s: string): string => {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    this.ids.set(s, s);
    return s;
  };

  get size(): number {
    return this.plain.length + this.decoded.length;
  }

  /** Takes a window's facts (windows in file order). */
  add(facts: WindowLinkFacts): void {
    for (const f of facts.contacts) {
      if (f.label !== undefined) {
        f.index += this.decodedBase;
        this.decoded.add(f, this.intern);
      } else this.plain.add(f, this.intern);
    }
    this.decodedBase += facts.decodedRecords;
  }

  /** The findings of FILE_WIDE_CODES over some groups of linked records (fact numbers per table, each in file order). */
  private checkBatch(uri: string, [inPlain, inDecoded]: [number[], number[]]): StreamFinding[] {
    const plain = standIns(
      'plain',
      this.plain,
      inPlain.sort((a, b) => a - b),
    );
    const decoded = standIns(
      'decoded',
      this.decoded,
      inDecoded.sort((a, b) => a - b),
    );
    const byUri = runWorkspaceRules([plain.dump, decoded.dump]);
    const out: StreamFinding[] = [];
    const sideOf = (u: string) => (u === decoded.dump.uri ? decoded : plain);
    for (const side of [plain, decoded]) {
      for (const f of byUri.get(side.dump.uri) ?? []) {
        if (!FILE_WIDE_CODES.has(f.code)) continue;
        const at = side.placeOf(f.start);
        const finding: StreamFinding = { code: f.code, severity: f.severity, message: prefixed(at.label, f.message), range: at.range, source: at.source };
        if (f.related?.length) {
          finding.related = f.related.map((r) => {
            const other = sideOf(r.uri).placeOf(r.start);
            return { uri, range: other.range, message: prefixed(other.label, r.message), source: other.source };
          });
        }
        out.push(finding);
      }
    }
    return out;
  }

  /** The file-wide findings of FILE_WIDE_CODES on contact records, sorted by place; `uri` names the file in related locations. */
  findings(uri: string): StreamFinding[] {
    if (this.size === 0) return [];
    const tables = [this.plain, this.decoded] as const;
    // A finding involves the records of one contact ID, or records linked to each other: the
    // rules run over groups of linked contacts (union-find over the IDs), a batch at a time,
    // so that the stand-ins and the model of them stay small whatever the file.
    const node = new Map<string, number>();
    const parent: number[] = [];
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    const nodeOf = (id: string): number => {
      let n = node.get(id);
      if (n === undefined) {
        node.set(id, (n = parent.length));
        parent.push(n);
      }
      return n;
    };
    const copies: number[] = [];
    /** IDs that a link names or that name another. */
    const linked: boolean[] = [];
    for (const table of tables) {
      for (let n = 0; n < table.length; n++) {
        const me = nodeOf(table.ids[n]);
        copies[me] = (copies[me] ?? 0) + 1;
        table.forLinks(n, (id) => {
          const other = nodeOf(id);
          linked[me] = linked[other] = true;
          const a = find(me);
          const b = find(other);
          if (a !== b) parent[a] = b;
        });
      }
    }
    // A contact record with no link, named by none and with one copy (a single-leg contact, most
    // of a dump) is in no finding of these codes: it becomes no stand-in.
    const groups = new Map<number, [number[], number[]]>();
    tables.forEach((table, t) => {
      for (let n = 0; n < table.length; n++) {
        const me = node.get(table.ids[n])!;
        if (copies[me] === 1 && !linked[me]) continue;
        const root = find(me);
        let group = groups.get(root);
        if (!group) groups.set(root, (group = [[], []]));
        group[t].push(n);
      }
    });
    const out: StreamFinding[] = [];
    let batch: [number[], number[]] = [[], []];
    const flush = (): void => {
      if (batch[0].length + batch[1].length > 0) out.push(...this.checkBatch(uri, batch));
      batch = [[], []];
    };
    for (const group of groups.values()) {
      // Each table's records stay in file order within a group; groups need no order between them.
      batch[0].push(...group[0]);
      batch[1].push(...group[1]);
      if (batch[0].length + batch[1].length >= this.batchRecords) flush();
    }
    flush();
    return out.sort((a, b) => comparePos(a.range.start, b.range.start) || comparePos(a.range.end, b.range.end));
  }
}

function prefixed(label: string | undefined, message: string): string {
  return label === undefined ? message : `${label} → ${message}`;
}

function comparePos(a: LineCharacter, b: LineCharacter): number {
  return a.line - b.line || a.character - b.character;
}

interface StandIns {
  dump: Dump;
  /** The file place of a stand-in offset: a LOCATED value's start (ContactId's place for any other). */
  placeOf(offset: number): { label: string | undefined; range: LineRange; source: StreamFindingSource };
}

/**
 * The facts as a dump of stand-in contact records, one line each: ContactId, the link fields
 * the record has, the fields read, and the content hash (equal content, equal stand-in).
 */
function standIns(name: string, table: FactTable, list: readonly number[]): StandIns {
  const parts: string[] = [];
  const records: DumpRecord[] = [];
  /** The fact of each stand-in. */
  const facts: number[] = [];
  /** Per stand-in: the offsets of its LOCATED values' starts (-1 when absent). */
  const starts: number[] = [];
  let at = 0;
  let value: Record<string, unknown> = {};
  let line = '';
  let base = 0;
  const put = (key: string, v: unknown): void => {
    line += `${line.length > 1 ? ',' : ''}${JSON.stringify(key)}:`;
    const k = LOCATED.indexOf(key as Located);
    if (k >= 0) starts[base + k] = at + line.length;
    line += JSON.stringify(v);
    value[key] = v;
  };
  for (const n of list) {
    value = {};
    line = '{';
    base = starts.length;
    starts.push(-1, -1, -1, -1);
    table.standIn(n, put);
    line += '}';
    records.push({ index: table.index(n), start: at, end: at + line.length, value, kind: 'contactRecord' });
    facts.push(n);
    parts.push(line);
    at += line.length + 1;
  }
  const dump: Dump = { uri: `stand-in\u0000${name}`, text: parts.join('\n'), format: 'jsonl', records, syntaxFindings: [] };
  return {
    dump,
    placeOf(offset) {
      let lo = 0,
        hi = records.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (records[mid].start <= offset) lo = mid;
        else hi = mid - 1;
      }
      let k = 0; // ContactId
      for (let i = 0; i < LOCATED.length; i++) if (starts[lo * LOCATED.length + i] === offset) k = i;
      const n = facts[lo];
      return { label: table.label(n), ...table.place(n, k) };
    },
  };
}
