// Offsets -> LSP ranges for any dump the server holds (open or indexed from disk).
import type { Range } from 'vscode-languageserver/node';
import { LineIndex } from '../core/lineIndex';
import type { Dump, Span } from '../core/types';

const indexes = new WeakMap<Dump, LineIndex>();

export function toRange(dump: Dump, span: Span): Range {
  let index = indexes.get(dump);
  if (!index) {
    index = new LineIndex(dump.text);
    indexes.set(dump, index);
  }
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

/** LSP position -> offset, clamped to the text. */
export function toOffset(dump: Dump, position: { line: number; character: number }): number {
  let line = 0, i = 0;
  const text = dump.text;
  while (line < position.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  const nl = text.indexOf('\n', i);
  const lineEnd = nl < 0 ? text.length : nl;
  return Math.min(i + position.character, lineEnd);
}
