// The seeds the fuzzer starts from: the sample dumps and the AWS fixtures, as text and,
// when they parse, as records. Split here with our own small scanner, not with the code
// under test, so a bug in dump.ts cannot hide a seed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseDump } from '../../server/src/core/dump';

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

function parseSeed(name: string, text: string): Seed {
  try {
    if (name.endsWith('.jsonl')) {
      const records = text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
      return { name, text, format: 'jsonl', records };
    }
    if (name.endsWith('.json')) {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? { name, text, format: 'array', records: value } : { name, text, format: 'object', records: [value] };
    }
    // Firehose: the product's own splitter (the fuzzer tests it, it is not the oracle here).
    const dump = parseDump(name, text);
    if (dump.syntaxFindings.length === 0 && dump.records.length > 0) return { name, text, format: 'firehose', records: dump.records.map((r) => r.value) };
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
