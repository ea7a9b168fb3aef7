// Offset <-> line/character conversion for the CLI (the server uses TextDocument for this).
export interface LineCharacter {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  /** Lines end at \n, \r\n or a lone \r, as LSP and VS Code count them. */
  constructor(private readonly text: string) {
    if (text.indexOf('\r') < 0) {
      // The common case, with native search: this runs for every version of a big document.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.starts.push(i + 1);
      else if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.starts.push(i + 1);
      }
    }
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
