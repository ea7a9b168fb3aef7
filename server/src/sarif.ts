// The CLI's SARIF 2.1.0 output, for code scanning (GitHub, Azure DevOps): one rule per
// finding code with a name, its README section and a description, and per result a
// fingerprint that stays the same across runs and across edits elsewhere in the file, so a
// re-run updates alerts instead of adding new ones. test/unit/sarif.test.ts validates it
// with Microsoft's SARIF validator (SARIF and GitHub rule sets).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import type { FindingCode, Severity } from './core/types';
import { FINDING_DOCS } from './shared/findingDocs';
import { findingHelpUrl } from './shared/ids';

export interface SarifPosition {
  line: number;
  character: number;
}

export interface SarifRange {
  start: SarifPosition;
  end: SarifPosition;
}

export interface SarifFile {
  path: string;
  findings: {
    code: FindingCode;
    severity: Severity;
    message: string;
    range: SarifRange;
    related?: { uri: string; range?: SarifRange; message: string }[];
  }[];
}

export const INFORMATION_URI = 'https://github.com/connect-event-inspector/connect-event-inspector';

/** The partialFingerprints key; bump its version if the way it is computed changes. */
export const FINGERPRINT_KEY = 'connectInspectorFinding/v1';

/** Characters of the finding's line kept on each side of it for the fingerprint. */
const FINGERPRINT_CONTEXT = 120;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function rule(code: FindingCode) {
  const { name, description } = FINDING_DOCS[code];
  const helpUri = findingHelpUrl(code);
  return {
    id: code,
    name,
    shortDescription: { text: description.split(/(?<=[.;:])\s/)[0].replace(/[;:]$/, '.') },
    fullDescription: { text: description },
    helpUri,
    help: { text: `${description} See ${helpUri}`, markdown: `${description}\n\n[\`${code}\` in the README](${helpUri})` },
  };
}

/**
 * The text of the given lines of a file (line -> text, without the line break), each cut
 * after the last column asked for plus the context: read in chunks, so a dump of any size
 * (or one long line) costs no more memory than the lines kept.
 */
function readLines(file: string, wanted: Map<number, number>): Map<number, string> {
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return out;
  }
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.alloc(1 << 20);
    let line = 0;
    let current = '';
    const last = Math.max(...wanted.keys());
    const keep = (text: string) => {
      const limit = wanted.get(line);
      if (limit !== undefined && current.length < limit) current += text.slice(0, limit - current.length);
    };
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      const chunk = n > 0 ? decoder.write(buf.subarray(0, n)) : decoder.end();
      let from = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
        keep(chunk.slice(from, nl));
        if (wanted.has(line)) out.set(line, current.replace(/\r$/, ''));
        current = '';
        line++;
        from = nl + 1;
        if (line > last) return out;
      }
      keep(chunk.slice(from));
      if (n === 0) break;
    }
    if (wanted.has(line)) out.set(line, current.replace(/\r$/, ''));
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Fingerprints of one file's findings: the finding code, the text of the finding's line
 * around it (the offending value and up to FINGERPRINT_CONTEXT characters each side, spaces
 * trimmed), and which occurrence of that pair this is in the file. Line numbers and messages
 * are left out: both change when records are added or removed elsewhere.
 */
function fingerprints(file: SarifFile): string[] {
  const wanted = new Map<number, number>();
  for (const f of file.findings) {
    const endColumn = f.range.end.line === f.range.start.line ? f.range.end.character : f.range.start.character + 1;
    wanted.set(f.range.start.line, Math.max(wanted.get(f.range.start.line) ?? 0, endColumn + FINGERPRINT_CONTEXT));
  }
  const lines = readLines(file.path, wanted);
  const seen = new Map<string, number>();
  return file.findings.map((f) => {
    const text = lines.get(f.range.start.line) ?? '';
    const from = Math.max(0, f.range.start.character - FINGERPRINT_CONTEXT);
    const to = f.range.end.line === f.range.start.line ? f.range.end.character + FINGERPRINT_CONTEXT : text.length;
    const hash = createHash('sha256')
      .update(`${f.code}\0${text.slice(from, to).trim()}`)
      .digest('hex')
      .slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

export function formatSarif(files: readonly SarifFile[], version: string, cwd = process.cwd()): string {
  const codes = [...new Set(files.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const region = (range: SarifRange) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const uriOf = (p: string) => path.relative(cwd, p).split(path.sep).join('/');
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'connect-inspect', version, informationUri: INFORMATION_URI, rules: codes.map(rule) } },
          columnKind: 'utf16CodeUnits',
          results: files.flatMap((r) => {
            const prints = fingerprints(r);
            return r.findings.map((f, i) => ({
              ruleId: f.code,
              ruleIndex: codes.indexOf(f.code),
              level: LEVEL[f.severity],
              message: { text: f.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(r.path) }, region: region(f.range) } }],
              partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
              ...(f.related?.some((rel) => rel.range)
                ? {
                    relatedLocations: f.related.flatMap((rel, id) =>
                      rel.range
                        ? [{ id, message: { text: rel.message }, physicalLocation: { artifactLocation: { uri: uriOf(rel.uri) }, region: region(rel.range) } }]
                        : [],
                    ),
                  }
                : {}),
            }));
          }),
        },
      ],
    },
    null,
    2,
  );
}
