// Offsets -> LSP ranges for any dump the server holds (open or indexed from disk).
import type { Range } from 'vscode-languageserver/node';
import { LineIndex } from '../core/lineIndex';
import type { Dump, Span } from '../core/types';

type Positions = Pick<LineIndex, 'offsetAt' | 'positionAt'>;
const indexes = new WeakMap<Dump, Positions>();

/** A document version's own positions, kept current by TextDocument through edits. */
interface OpenDocument extends Positions {
  readonly version: number;
  getText(): string;
}

/**
 * The dump of an open document's current version: its positions are the document's (which
 * TextDocument keeps through edits), not a line index built again for every version of a
 * large document. Used only while the document is still at that version.
 */
export function useDocumentPositions(dump: Dump, doc: OpenDocument): void {
  const version = doc.version;
  let own: LineIndex | undefined;
  const current = () => doc.version === version && doc.getText() === dump.text;
  indexes.set(dump, {
    offsetAt: (p) => (current() ? doc.offsetAt(p) : (own ??= new LineIndex(dump.text)).offsetAt(p)),
    positionAt: (o) => (current() ? doc.positionAt(o) : (own ??= new LineIndex(dump.text)).positionAt(o)),
  });
}

function lineIndex(dump: Dump): Positions {
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
