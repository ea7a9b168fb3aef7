// User settings under `connectInspector.*` (mirrored in package.json contributes.configuration).
import type { FindingCode, Severity } from '../core/types';

export type RuleSetting = Severity | 'off';

export interface Settings {
  /** Severity per finding code, the eslint way: `{ "link-missing": "off" }`. */
  rules: Partial<Record<FindingCode, RuleSetting>>;
  /** Findings shown per document before one summary finding takes over. */
  maxFindingsPerDocument: number;
  /** Log record contents in the output channel (off: dumps hold customer data). */
  verboseLogging: boolean;
  /** What one gzip file or payload may decompress to (a gzip bomb stops there). */
  maxDecompressedSizeMB: number;
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, maxFindingsPerDocument: 1000, verboseLogging: false, maxDecompressedSizeMB: 1024 };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Accepts whatever the client sends and keeps only well-formed values. */
export function readSettings(raw: unknown): Settings {
  const s = { ...DEFAULT_SETTINGS, rules: {} as Settings['rules'] };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, sev] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) (s.rules as Record<string, RuleSetting>)[code] = sev as RuleSetting;
    }
  }
  if (typeof r.maxFindingsPerDocument === 'number' && r.maxFindingsPerDocument > 0) s.maxFindingsPerDocument = Math.floor(r.maxFindingsPerDocument);
  if (typeof r.verboseLogging === 'boolean') s.verboseLogging = r.verboseLogging;
  if (typeof r.maxDecompressedSizeMB === 'number' && r.maxDecompressedSizeMB > 0) s.maxDecompressedSizeMB = r.maxDecompressedSizeMB;
  return s;
}
