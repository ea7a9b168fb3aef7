// Rules that relate records to each other, across every dump the server knows
// (state transitions, contact-ID links, timestamp order, duplicates).
import type { Dump, Finding } from './types';

/** Findings per document URI for the rules that look across records and documents. */
export function runWorkspaceRules(dumps: readonly Dump[]): Map<string, Finding[]> {
  void dumps;
  return new Map();
}
