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
import type { Dump, DumpRecord, Finding, FindingCode } from './types';
import type { LineRange, StreamFinding, StreamFindingSource } from './streamWindow';

/** The codes these facts decide for contact records (the window's own findings of them on contact records are dropped). */
export const FILE_WIDE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>(['link-reciprocal', 'link-cycle', 'link-initial', 'duplicate-id']);

/** The fields of a contact record the rules read, each where the rules may point (ContactId first). */
const LOCATED = ['ContactId', 'PreviousContactId', 'NextContactId', 'InitialContactId'] as const;
type Located = (typeof LOCATED)[number];
/** Read, not pointed at: what tells a later contact's start and which copy stands. */
const READ = ['InitiationMethod', 'InitiationTimestamp', 'LastUpdateTimestamp'] as const;
/** The stand-in's key for the content hash (not a contact record field). */
const HASH_KEY = '#';

/** Numbers per place: start line, start character, end line, end character, byte. */
const SPOT = 5;
/**
 * Where a contact record's values sit in the file: the record's source (ordinal, byte start,
 * byte end, start line, start character; ordinal -1 for none) then one spot for the record
 * itself and one per LOCATED field (the record's spot when the field is absent).
 */
export type Places = number[];
const RECORD_SOURCE = 5;

/** One contact record of a window, as carried. */
export interface ContactFact {
  id: string;
  /** LOCATED link fields (not ContactId) and READ fields the record has, with their values (a link's value as written). */
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
  // Inside an envelope every place of the record is its encoded value (analyze.ts `toOriginal`).
  const whole = decoded ?? { start: record.start, end: record.end };
  places.push(src ? src.index : -1, src?.byteStart ?? 0, src?.byteEnd ?? 0, src?.start.line ?? 0, src?.start.character ?? 0);
  spot(whole.start, whole.end);
  for (const key of LOCATED) {
    if (decoded || !Object.prototype.hasOwnProperty.call(value, key)) {
      places.push(...places.slice(RECORD_SOURCE, RECORD_SOURCE + SPOT));
      continue;
    }
    const span = locateField(key);
    spot(span.start, span.end);
  }
  return { id, fields, hash: contentHash(value, text, record), index: record.index, ...(decoded ? { label: decoded.label } : {}), places };
}

/**
 * The span of a top-level scalar value of a record, found in its text without a syntax tree
 * (the key, then a value that reads back as the parsed one); undefined when not found so.
 */
export function scalarSpan(text: string, record: DumpRecord, key: string, value: unknown): { start: number; end: number } | undefined {
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const name = JSON.stringify(key);
  for (let k = text.indexOf(name, record.start); k >= 0 && k < record.end; k = text.indexOf(name, k + 1)) {
    let i = k + name.length;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3a) continue;
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
    if (end > record.end) continue;
    try {
      if (JSON.parse(text.slice(i, end)) === value) return { start: i, end };
    } catch {
      // not this one
    }
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c);
}

// An FNV-1a lane and a multiplicative lane, 32 bits each: strings, then values built from them.
let laneB = 0;

function hashString(s: string, tag: number): number {
  let a = Math.imul(0x811c9dc5 ^ tag, 0x01000193),
    b = Math.imul(0x9e3779b1 ^ tag, 0x85ebca6b);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b) ^ (b >>> 13);
  }
  laneB = b;
  return a;
}

function mix(a: number, b: number): number {
  return Math.imul(a ^ (a >>> 15) ^ b, 0x2c1b3c6d) ^ (a >>> 12);
}

/** Lane A of a parsed JSON value's hash (lane B in `laneB`): object keys in any order hash alike, as duplicates.ts compares. */
function hashValue(v: unknown): number {
  if (typeof v === 'string') return hashString(v, 1);
  if (typeof v === 'number') return hashString(String(v), 2);
  if (v === true || v === false || v === null) return hashString(String(v), 3);
  let a: number, b: number;
  if (Array.isArray(v)) {
    a = 4;
    b = 4;
    for (const item of v) {
      const ia = hashValue(item);
      a = mix(a, ia);
      b = mix(b, laneB);
    }
  } else {
    // Entries combine by addition: the order of the keys does not count.
    a = 5;
    b = 5;
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const ka = hashString(key, 6);
      const kb = laneB;
      const va = hashValue(o[key]);
      a = (a + mix(ka, va)) | 0;
      b = (b + mix(kb, laneB)) | 0;
    }
    a = mix(a, 7);
    b = mix(b, 7);
  }
  laneB = b;
  return a;
}

/** 53 bits of the content's hash; a pathological nesting hashes its text, as duplicates.ts compares it. */
export function contentHash(value: unknown, text: string, record: DumpRecord): number {
  let a: number;
  try {
    a = hashValue(value);
  } catch {
    a = hashString(text.slice(record.start, record.end), 8);
  }
  return (a >>> 0) * 0x200000 + (laneB >>> 11);
}

// ---- In the reading thread: every window's facts, and the findings at the end ---------

/** The contact-record facts of the windows reported so far, in file order. */
export class CarriedLinks {
  /** Records of the text itself, then records decoded out of envelopes (the model's order of the two dumps). */
  private readonly plain: ContactFact[] = [];
  private readonly decoded: ContactFact[] = [];
  private decodedBase = 0;
  /** One copy of each ID string, shared by every fact naming it. */
  private readonly ids = new Map<string, string>();

  get size(): number {
    return this.plain.length + this.decoded.length;
  }

  /** Takes a window's facts (windows in file order). */
  add(facts: WindowLinkFacts): void {
    for (const f of facts.contacts) {
      f.id = this.intern(f.id);
      for (const key of LOCATED) {
        const v = f.fields[key];
        if (typeof v === 'string') f.fields[key] = this.intern(v);
      }
      if (f.label !== undefined) {
        f.index += this.decodedBase;
        this.decoded.push(f);
      } else this.plain.push(f);
    }
    this.decodedBase += facts.decodedRecords;
  }

  private intern(s: string): string {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    this.ids.set(s, s);
    return s;
  }

  /** The file-wide findings of FILE_WIDE_CODES on contact records, sorted by place; `uri` names the file in related locations. */
  findings(uri: string): StreamFinding[] {
    if (this.size === 0) return [];
    const plain = standIns('plain', this.plain);
    const decoded = standIns('decoded', this.decoded);
    const byUri = runWorkspaceRules([plain.dump, decoded.dump]);
    const out: StreamFinding[] = [];
    for (const side of [plain, decoded]) {
      for (const f of byUri.get(side.dump.uri) ?? []) {
        if (!FILE_WIDE_CODES.has(f.code)) continue;
        out.push(this.toFile(uri, f, side, { plain, decoded }));
      }
    }
    return out.sort((a, b) => comparePos(a.range.start, b.range.start) || comparePos(a.range.end, b.range.end));
  }

  private toFile(uri: string, f: Finding, side: StandIns, sides: { plain: StandIns; decoded: StandIns }): StreamFinding {
    const at = side.placeOf(f.start);
    const out: StreamFinding = { code: f.code, severity: f.severity, message: prefixed(at.fact, f.message), range: at.range, source: at.source };
    if (f.related?.length) {
      out.related = f.related.map((r) => {
        const other = (r.uri === sides.decoded.dump.uri ? sides.decoded : sides.plain).placeOf(r.start);
        return { uri, range: other.range, message: prefixed(other.fact, r.message), source: other.source };
      });
    }
    return out;
  }
}

function prefixed(fact: ContactFact, message: string): string {
  return fact.label === undefined ? message : `${fact.label} → ${message}`;
}

function comparePos(a: LineCharacter, b: LineCharacter): number {
  return a.line - b.line || a.character - b.character;
}

interface StandIns {
  dump: Dump;
  /** The file place of a stand-in offset: a value's start, or the record's. */
  placeOf(offset: number): { fact: ContactFact; range: LineRange; source: StreamFindingSource };
}

/**
 * The facts as a dump of stand-in contact records, one line each: ContactId, the link fields
 * the record has, the fields read, and the content hash (equal content, equal stand-in).
 */
function standIns(name: string, facts: readonly ContactFact[]): StandIns {
  const parts: string[] = [];
  const records: DumpRecord[] = [];
  /** Per record: the offsets of its LOCATED values' starts (-1 when absent). */
  const starts: number[] = [];
  let at = 0;
  facts.forEach((fact, n) => {
    const value: Record<string, unknown> = { ContactId: fact.id };
    let line = '{';
    const put = (key: string, v: unknown): void => {
      if (line.length > 1) line += ',';
      line += `${JSON.stringify(key)}:`;
      if ((LOCATED as readonly string[]).includes(key)) starts[n * LOCATED.length + LOCATED.indexOf(key as Located)] = at + line.length;
      line += JSON.stringify(v);
      value[key] = v;
    };
    for (let i = 0; i < LOCATED.length; i++) starts[n * LOCATED.length + i] = -1;
    put('ContactId', fact.id);
    for (const key of [...LOCATED.slice(1), ...READ]) if (Object.prototype.hasOwnProperty.call(fact.fields, key)) put(key, fact.fields[key]);
    put(HASH_KEY, fact.hash);
    line += '}';
    records.push({ index: fact.index, start: at, end: at + line.length, value, kind: 'contactRecord' });
    parts.push(line);
    at += line.length + 1;
  });
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
      const fact = facts[lo];
      const p = fact.places;
      let slot = 0; // the record itself
      for (let i = 0; i < LOCATED.length; i++) if (starts[lo * LOCATED.length + i] === offset) slot = i + 1;
      const s = RECORD_SOURCE + slot * SPOT;
      return {
        fact,
        range: { start: { line: p[s], character: p[s + 1] }, end: { line: p[s + 2], character: p[s + 3] } },
        source: { byte: p[s + 4], ...(p[0] >= 0 ? { record: { index: p[0], byteStart: p[1], byteEnd: p[2], start: { line: p[3], character: p[4] } } } : {}) },
      };
    },
  };
}
