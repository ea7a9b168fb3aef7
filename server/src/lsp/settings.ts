// User settings under `connectInspector.*`: the one reader and the one table of defaults
// (package.json contributes.configuration mirrors it; test/unit/contracts.test.ts checks).
// server.ts owns the flow: the client pushes them with workspace/didChangeConfiguration
// (or the server pulls them once when a push carries none) and every feature reads
// `ctx.settings()`; the workspace index is told when they change.
import type { FindingCode, Severity } from '../core/types';
import type { SettingName } from '../shared/ids';

export type RuleSetting = Severity | 'off';

export interface Settings {
  /** Severity per finding code, the eslint way: `{ "link-missing": "off" }`. */
  rules: Partial<Record<FindingCode, RuleSetting>>;
  /** Findings shown per document before one summary finding takes over. */
  maxFindingsPerDocument: number;
  /** Globs (relative to each workspace folder) of the files the workspace index reads. */
  files: string[];
  /** Globs of files and folders the workspace index never reads. */
  exclude: string[];
  /** Files larger than this are not indexed (with a log line). */
  maxIndexedFileSizeMB: number;
  /** What one gzip file or payload may decompress to (a gzip bomb stops there). */
  maxDecompressedSizeMB: number;
}

// Every setting has a default here, and nothing else: a setting missing from this table
// (or a name not in shared/ids.ts) does not compile.
export const DEFAULT_SETTINGS: Readonly<Settings> & Record<SettingName, unknown> = Object.freeze({
  rules: {},
  maxFindingsPerDocument: 1000,
  files: ['**/*'],
  exclude: ['**/node_modules/**', '**/.git/**'],
  maxIndexedFileSizeMB: 50,
  maxDecompressedSizeMB: 1024,
});

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

function stringList(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Accepts whatever the client sends and keeps only well-formed values; the rest are defaults. */
export function readSettings(raw: unknown): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const own = (key: SettingName): unknown => (hasOwn(r, key) ? r[key] : undefined);
  const rules: Settings['rules'] = {};
  const rawRules = own('rules');
  if (rawRules && typeof rawRules === 'object') {
    for (const [code, sev] of Object.entries(rawRules as Record<string, unknown>)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) (rules as Record<string, RuleSetting>)[code] = sev as RuleSetting;
    }
  }
  const max = own('maxFindingsPerDocument');
  const size = own('maxIndexedFileSizeMB');
  const decompressed = own('maxDecompressedSizeMB');
  return {
    rules,
    maxFindingsPerDocument: typeof max === 'number' && max >= 1 ? Math.floor(max) : DEFAULT_SETTINGS.maxFindingsPerDocument,
    files: stringList(own('files')) ?? [...DEFAULT_SETTINGS.files],
    exclude: stringList(own('exclude')) ?? [...DEFAULT_SETTINGS.exclude],
    maxIndexedFileSizeMB: typeof size === 'number' && size > 0 ? size : DEFAULT_SETTINGS.maxIndexedFileSizeMB,
    maxDecompressedSizeMB: typeof decompressed === 'number' && decompressed > 0 ? decompressed : DEFAULT_SETTINGS.maxDecompressedSizeMB,
  };
}
