// Offset <-> line/character conversion: line starts for the server's open documents
// (lsp/dumpTextDocument.ts), and a whole index for the CLI and files read from disk.
export interface LineCharacter {
  line: number;
  character: number;
}

/**
 * Where each line starts in `text` (lines end at \n, \r\n or a lone \r, as LSP and VS Code
 * count them), plus `textOffset`; with the text's own start first when `atLineStart`. Found by
 * native search, not character by character: this runs for every big document opened.
 */
export function lineStarts(text: string, atLineStart = true, textOffset = 0): number[] {
  const starts = atLineStart ? [textOffset] : [];
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf >= 0 || cr >= 0) {
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      let next = cr + 1;
      if (lf === next) lf = text.indexOf('\n', ++next); // \r\n is one line break
      starts.push(textOffset + next);
      cr = text.indexOf('\r', cr + 1);
    } else {
      starts.push(textOffset + lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
  }
  return starts;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = lineStarts(text);
  }

  /** LSP position -> offset, clamped to the line's end (without its line break). */
  offsetAt(position: LineCharacter): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    let end = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 0x0a || this.text.charCodeAt(end - 1) === 0x0d)) end--;
    return Math.min(start + Math.max(0, position.character), end);
  }

  positionAt(offset: number): LineCharacter {
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}
