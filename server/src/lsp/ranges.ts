// Offsets -> LSP ranges for any dump the server holds (open or indexed from disk).
import type { Range } from 'vscode-languageserver/node';
import { LineIndex } from '../core/lineIndex';
import type { Dump, Span } from '../core/types';

const indexes = new WeakMap<Dump, LineIndex>();

function lineIndex(dump: Dump): LineIndex {
  let index = indexes.get(dump);
  if (!index) {
    index = new LineIndex(dump.text);
    indexes.set(dump, index);
  }
  return index;
}

export function toRange(dump: Dump, span: Span): Range {
  const index = lineIndex(dump);
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

/** LSP position -> offset, clamped to the text. */
export function toOffset(dump: Dump, position: { line: number; character: number }): number {
  return lineIndex(dump).offsetAt(position);
}
