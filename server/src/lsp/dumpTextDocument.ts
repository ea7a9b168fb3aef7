// The server's open documents. They behave exactly as vscode-languageserver-textdocument's
// TextDocument (positions, clamping, incremental edits; test/unit/dumpTextDocument.test.ts
// compares the two on random texts and edits), but find line starts by native search
// (core/lineIndex.ts): TextDocument walks the whole text character by character the first
// time a position is asked for, which the first hover or edit of a big dump paid (85 ms at
// 10 MB, 460 ms at 48 MB).
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lineStarts } from '../core/lineIndex';

const LF = 0x0a;
const CR = 0x0d;

const isLineBreak = (c: number): boolean => c === LF || c === CR;

/** The range with its start before its end. */
function ordered(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}

export class DumpTextDocument implements TextDocument {
  private starts: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private ownVersion: number,
    private text: string,
  ) {}

  get version(): number {
    return this.ownVersion;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  getText(range?: Range): string {
    return range ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    if (position.character <= 0) return start;
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.text.length), 0);
    const starts = this.lineStarts();
    // The last line starting at or before the offset.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    return { line, character: this.beforeLineBreak(offset, starts[line]) - starts[line] };
  }

  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - starts[last] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = starts[line];
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeLineBreak(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line >= starts.length || line < 0) return '';
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.substring(this.beforeLineBreak(next, starts[line]), next);
  }

  /** Applies changes in order, each range in the text the one before left. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change) || change.range === undefined) {
        this.text = change.text;
        this.starts = undefined;
        continue;
      }
      const range = ordered(change.range);
      const start = this.offsetAt(range.start);
      const end = this.offsetAt(range.end);
      this.text = this.text.substring(0, start) + change.text + this.text.substring(end);
      const insertedEnd = start + change.text.length;
      const crlfAt = (i: number) => this.text.charCodeAt(i - 1) === CR && this.text.charCodeAt(i) === LF;
      if (!this.starts || crlfAt(start) || crlfAt(insertedEnd)) {
        // A \r\n made or split at an edge of the change: the line starts are found again when asked for.
        this.starts = undefined;
        continue;
      }
      const startLine = Math.max(range.start.line, 0);
      const endLine = Math.max(range.end.line, 0);
      const added = lineStarts(change.text, false, start);
      const starts = this.starts;
      if (endLine - startLine === added.length) for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i];
      else this.starts = starts.slice(0, startLine + 1).concat(added, starts.slice(endLine + 1));
      const shift = change.text.length - (end - start);
      if (shift !== 0) for (let i = startLine + 1 + added.length; i < this.starts.length; i++) this.starts[i] += shift;
    }
    this.ownVersion = version;
  }

  private lineStarts(): number[] {
    return (this.starts ??= lineStarts(this.text));
  }

  /** The offset moved back before the line break it follows, not before the line's start. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}
