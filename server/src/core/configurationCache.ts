// The snapshot Configurations of agent events, parsed once per distinct text and shared
// (sharedParts.ts says why and what "shared" promises). An agent's Configuration changes only
// when an admin changes its setup: the agent event streams data model lists the changes that
// publish a STATE_CHANGE ("their routing profile, the queues in their routing profile,
// auto-accept call, SIP address, agent hierarchy group, language preference setting in the
// CCP"), so an agent's events carry the same text for hours: ~78% of an agent event's bytes
// in a generated dump.
//
// A record's text is searched for `"Configuration": {` and each object found is compared,
// whole, with the texts its agent's earlier events carried. When every one is a clean part
// met before, the rest of the record is parsed with a placeholder in each part's place, and
// the part's one parsed value (deep-frozen: no reader changes a record's value) is put back
// where its placeholder landed: the value equals JSON.parse of the whole text, key order
// included. Anything else (a text met for the first time, a part with a finding, a
// "Configuration" key anywhere but a snapshot's) is parsed whole, as before. Positions come
// from the record's own text (positions.ts), never from the value.
//
// Each thread has its own cache: a stream worker learns the texts of the windows it reads.
import { snapshotPartArnsClean } from './arn';
import { agentEventConfiguration } from './generated/validators';
import { isObject, type JsonObject } from './json';
import { maskedValues, mayHoldMasks } from './masking';
import { detached } from './positions';
import { placeSharedParts, SHARED_SNAPSHOTS, type PlacedPart, type SharedPart } from './sharedParts';

/** A Configuration text met in a record; parsed and checked when met again. */
interface Entry {
  text: string;
  agent: string;
  /** The shared part once checked; null when it can never be shared (a finding of its own, not JSON). */
  part?: SharedPart | null;
}

/**
 * Bounds of the cache. Past either, the oldest text is forgotten: records that hold its part
 * keep it, and the next record with that text is parsed whole and the text learnt again. A
 * generated day of 80 agents has ~540 distinct texts of ~2 KB.
 */
export const CONFIGURATION_CACHE_LIMITS = { entries: 2_048, chars: 4_000_000, perAgent: 8 };
/** Shorter texts cost less to parse than to look up. */
const MIN_PART_CHARS = 64;

/** By exact text, oldest first. */
const entries = new Map<string, Entry>();
/** Each agent's texts, the one met last first: the candidates a record's text is compared with. */
const byAgent = new Map<string, Entry[]>();
let cachedChars = 0;

/** What the cache holds (for tests and measurements). */
export function configurationCacheStats(): { entries: number; chars: number; agents: number } {
  return { entries: entries.size, chars: cachedChars, agents: byAgent.size };
}

/** Forgets every text. */
export function clearConfigurationCache(): void {
  entries.clear();
  byAgent.clear();
  cachedChars = 0;
}

const CONFIGURATION_KEY = '"Configuration"';
const AGENT_KEY = '"AgentARN"';
// What goes where a part was cut out: a string with a random tag of this thread, which no
// record holds where a snapshot's Configuration goes.
const PLACEHOLDER = `@shared-part:${Math.random().toString(36).slice(2)}:`;
const PLACEHOLDERS = SHARED_SNAPSHOTS.map((_, i) => `${PLACEHOLDER}${i}`);

/**
 * JSON.parse of a record's text, its snapshot Configurations shared with the records that
 * carry the same text. Throws as JSON.parse does on invalid JSON.
 */
export function parseRecordText(text: string): unknown {
  const found = findParts(text);
  if (!found) return JSON.parse(text);
  let rest = '';
  let from = 0;
  found.forEach((p, i) => {
    rest += `${text.slice(from, p.start)}"${PLACEHOLDERS[i]}"`;
    from = p.end;
  });
  rest += text.slice(from);
  let value: unknown;
  try {
    value = JSON.parse(rest);
  } catch {
    return JSON.parse(text); // the whole text's own error
  }
  // A part clean on its own may still name another account or instance than this record's.
  if (!graft(value, found) || !found.every((p) => snapshotPartArnsClean(p.part.value, p.part.text, value))) return JSON.parse(text);
  placeSharedParts(value as object, found);
  return value;
}

/**
 * The record's Configuration objects when every one of them is a clean part met before;
 * undefined otherwise (the record is parsed whole, and texts met for the first time are learnt).
 */
function findParts(text: string): PlacedPart[] | undefined {
  let at = text.indexOf(CONFIGURATION_KEY);
  if (at < 0) return undefined;
  const agent = agentOf(text);
  if (agent === undefined) return undefined;
  const candidates = byAgent.get(agent);
  const placed: PlacedPart[] = [];
  let shareable = true;
  while (at >= 0) {
    const colon = skipSpace(text, at + CONFIGURATION_KEY.length);
    const i = text.charCodeAt(colon) === COLON ? skipSpace(text, colon + 1) : colon;
    if (i === colon || text.charCodeAt(i) !== OPEN_BRACE) {
      at = text.indexOf(CONFIGURATION_KEY, at + CONFIGURATION_KEY.length);
      continue;
    }
    // A slice compared whole is a memcmp; startsWith goes character by character (~20x slower here).
    const k = candidates ? candidates.findIndex((e) => text.slice(i, i + e.text.length) === e.text) : -1;
    const entry = k >= 0 ? candidates![k] : undefined;
    let end: number;
    if (entry) {
      // The text met last is the likeliest next (an agent's snapshots mostly repeat the latest).
      if (k > 0) candidates!.unshift(...candidates!.splice(k, 1));
      end = i + entry.text.length;
      const part = partOf(entry);
      if (part) placed.push({ start: i, end, part });
      else shareable = false;
    } else {
      // Met for the first time: learnt, and this record is parsed whole.
      end = objectEnd(text, i);
      if (end < 0) return undefined;
      learn(text.slice(i, end), agent);
      shareable = false;
    }
    at = text.indexOf(CONFIGURATION_KEY, end);
  }
  return shareable && placed.length > 0 && placed.length <= SHARED_SNAPSHOTS.length ? placed : undefined;
}

/**
 * Puts each part's value where its placeholder landed: each one at a snapshot's
 * Configuration, one part per snapshot. False (nothing changed) when a placeholder sits
 * anywhere else, e.g. a "Configuration" key elsewhere in the record.
 */
function graft(value: unknown, placed: readonly PlacedPart[]): boolean {
  if (!isObject(value)) return false;
  const holders: JsonObject[] = [];
  for (let i = 0; i < placed.length; i++) {
    let holder: JsonObject | undefined;
    for (const k of SHARED_SNAPSHOTS) {
      const snapshot = value[k];
      if (isObject(snapshot) && snapshot.Configuration === PLACEHOLDERS[i]) holder = snapshot;
    }
    if (!holder) return false;
    holders.push(holder);
  }
  holders.forEach((h, i) => (h.Configuration = placed[i].part.value));
  return true;
}

/** The shared part of an entry, checked when first needed: null when it has a finding of its own. */
function partOf(entry: Entry): SharedPart | null {
  if (entry.part !== undefined) return entry.part;
  let value: unknown;
  try {
    value = JSON.parse(entry.text);
  } catch {
    return (entry.part = null);
  }
  if (!isObject(value) || !agentEventConfiguration(value)) return (entry.part = null);
  // Masks and malformed ARNs, looked at where the part sits in a record (two levels down).
  const inRecord = { CurrentAgentSnapshot: { Configuration: value } };
  if (mayHoldMasks(entry.text) && maskedValues(inRecord).count > 0) return (entry.part = null);
  if (!snapshotPartArnsClean(value, entry.text, undefined)) return (entry.part = null);
  return (entry.part = { text: entry.text, value: deepFreeze(value) });
}

/** Remembers a text met in a record of `agent` (not one too short or too long to be worth it). */
function learn(slice: string, agent: string): void {
  if (slice.length < MIN_PART_CHARS || slice.length > CONFIGURATION_CACHE_LIMITS.chars / 16 || entries.has(slice)) return;
  const mine = byAgent.get(agent);
  if (mine && mine.length >= CONFIGURATION_CACHE_LIMITS.perAgent) forget(mine[mine.length - 1]);
  // Copies: a slice would keep the whole document (or streamed window) it came from alive.
  const entry: Entry = { text: detached(slice), agent: detached(agent) };
  let list = byAgent.get(entry.agent);
  if (!list) byAgent.set(entry.agent, (list = []));
  list.unshift(entry);
  entries.set(entry.text, entry);
  cachedChars += entry.text.length;
  while (entries.size > CONFIGURATION_CACHE_LIMITS.entries || cachedChars > CONFIGURATION_CACHE_LIMITS.chars) forget(entries.values().next().value!);
}

function forget(entry: Entry): void {
  if (!entries.delete(entry.text)) return;
  cachedChars -= entry.text.length;
  const list = byAgent.get(entry.agent);
  if (!list) return;
  const i = list.indexOf(entry);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) byAgent.delete(entry.agent);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The text of the record's first "AgentARN" string (the key its parts are filed under). */
function agentOf(text: string): string | undefined {
  const at = text.indexOf(AGENT_KEY);
  if (at < 0) return undefined;
  let i = skipSpace(text, at + AGENT_KEY.length);
  if (text.charCodeAt(i) !== COLON) return undefined;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) !== QUOTE) return undefined;
  const end = text.indexOf('"', i + 1);
  return end < 0 ? undefined : text.slice(i + 1, end);
}

const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function skipSpace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

/** Where the object (or array) opening at `start` ends, strings skipped; -1 when it does not end. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // To the closing quote: the next one not escaped (preceded by an even run of backslashes).
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return -1;
        let b = i - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        if ((i - 1 - b) % 2 === 0) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}
