// The seeds the fuzzer starts from: the sample dumps and the AWS fixtures, as text and,
// when they parse, as records. Split here with our own small scanner, not with the code
// under test, so a bug in dump.ts cannot hide a seed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export type SeedFormat = 'jsonl' | 'array' | 'object' | 'firehose' | 'text';

export interface Seed {
  /** Path relative to the project root. */
  name: string;
  text: string;
  format: SeedFormat;
  /** The parsed records, when the whole seed parses (the `.verbatim.json` copies do not). */
  records?: unknown[];
}

/** Top-level values written back to back (Firehose), split by a string-aware depth scan. */
function splitConcatenated(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0, inString = false, start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
      if (depth < 0) return undefined;
    }
  }
  return depth === 0 ? out : undefined;
}

function parseSeed(name: string, text: string): Seed {
  try {
    if (name.endsWith('.jsonl')) {
      const records = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
      return { name, text, format: 'jsonl', records };
    }
    if (name.endsWith('.json')) {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? { name, text, format: 'array', records: value } : { name, text, format: 'object', records: [value] };
    }
    const parts = splitConcatenated(text);
    if (parts) return { name, text, format: 'firehose', records: parts.map((p) => JSON.parse(p) as unknown) };
  } catch {
    // Not JSON (the verbatim AWS copies keep their comments): a text-only seed.
  }
  return { name, text, format: 'text' };
}

let cached: Seed[] | undefined;

/** samples/ (recursively, dumps only) and test/fixtures/aws/*.json, in a stable order. */
export function loadCorpus(): Seed[] {
  if (cached) return cached;
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name.endsWith('.md')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(join(ROOT, 'samples'));
  for (const name of readdirSync(join(ROOT, 'test/fixtures/aws')).sort()) {
    if (name.endsWith('.json')) files.push(join(ROOT, 'test/fixtures/aws', name));
  }
  cached = files.map((f) => parseSeed(relative(ROOT, f), readFileSync(f, 'utf8')));
  return cached;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every parsed record of the corpus that is a contact record / agent event (by its tell-tale fields). */
export function templates(corpus: readonly Seed[]): { contactRecords: Record<string, unknown>[]; agentEvents: Record<string, unknown>[] } {
  const contactRecords: Record<string, unknown>[] = [];
  const agentEvents: Record<string, unknown>[] = [];
  for (const seed of corpus) {
    for (const r of seed.records ?? []) {
      if (!isObject(r)) continue;
      if (typeof r.EventType === 'string') agentEvents.push(r);
      else if (typeof r.ContactId === 'string' && 'InitiationMethod' in r) contactRecords.push(r);
    }
  }
  return { contactRecords, agentEvents };
}
