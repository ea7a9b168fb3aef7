// The server's open documents (lsp/dumpTextDocument.ts) against vscode-languageserver-textdocument's
// TextDocument, which they replace: same text, line count, positions and offsets (clamping,
// line breaks of every kind) after random incremental and full edits, including edits that
// make or split a \r\n. And core/lineIndex.ts's line starts against a character-by-character walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex, lineStarts } from '../../server/src/core/lineIndex';
import { DumpTextDocument } from '../../server/src/lsp/dumpTextDocument';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['\n', '\r\n', '\r', 'a', 'é', '{"x":1}', '  ', '\n\r', '\r\r\n', '😀'];

function randomText(random: () => number, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += PIECES[Math.floor(random() * PIECES.length)];
  return s;
}

/** Line starts as the LSP counts them, one character at a time. */
function walkedStarts(text: string, atLineStart: boolean, offset: number): number[] {
  const out = atLineStart ? [offset] : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (c === 0x0a || c === 0x0d) out.push(offset + i + 1);
  }
  return out;
}

test('line starts by native search equal a character-by-character walk', () => {
  const random = prng(11);
  for (let n = 0; n < 2000; n++) {
    const text = randomText(random, Math.floor(random() * 30));
    const atStart = random() < 0.5;
    const offset = Math.floor(random() * 100);
    assert.deepEqual(lineStarts(text, atStart, offset), walkedStarts(text, atStart, offset), JSON.stringify(text));
  }
  assert.deepEqual(lineStarts(''), [0]);
  assert.deepEqual(lineStarts('\r'), [0, 1]);
  assert.deepEqual(lineStarts('a\r\nb\rc\n'), [0, 3, 5, 7]);
});

function assertSame(ours: DumpTextDocument, theirs: TextDocument, random: () => number, context: string): void {
  const text = theirs.getText();
  assert.equal(ours.getText(), text, context);
  assert.equal(ours.lineCount, theirs.lineCount, context);
  assert.equal(ours.version, theirs.version, context);
  for (let offset = -2; offset <= text.length + 2; offset++)
    assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `${context}: positionAt(${offset})`);
  for (let line = -1; line <= theirs.lineCount + 1; line++) {
    for (const character of [-1, 0, 1, 2, 5, 1000]) {
      const p = { line, character };
      assert.equal(ours.offsetAt(p), theirs.offsetAt(p), `${context}: offsetAt(${line}:${character})`);
    }
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `${context}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `${context}: getEOLCharacters(${line})`);
  }
  const a = theirs.positionAt(Math.floor(random() * (text.length + 1)));
  const b = theirs.positionAt(Math.floor(random() * (text.length + 1)));
  assert.equal(ours.getText({ start: a, end: b }), theirs.getText({ start: a, end: b }), context);
}

test('the server documents answer as TextDocument does, through random edits', () => {
  const random = prng(2026);
  for (let n = 0; n < 300; n++) {
    const initial = randomText(random, Math.floor(random() * 12));
    const theirs = TextDocument.create('file:///d.jsonl', 'jsonl', 1, initial);
    const ours = new DumpTextDocument('file:///d.jsonl', 'jsonl', 1, initial);
    // Half the documents are asked for a position before the first edit (line starts known), half not.
    if (n % 2 === 0) assert.deepEqual(ours.positionAt(initial.length), theirs.positionAt(initial.length));
    for (let version = 2; version < 10; version++) {
      const text = theirs.getText();
      const changes = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        if (random() < 0.05) return { text: randomText(random, Math.floor(random() * 8)) };
        // Positions past line ends, past the end and reversed ranges too, as a client may send them.
        const start = { line: Math.floor(random() * (theirs.lineCount + 1)), character: Math.floor(random() * 4) };
        const end = random() < 0.5 ? start : { line: Math.floor(random() * (theirs.lineCount + 1)), character: Math.floor(random() * 4) };
        return { range: { start, end }, text: randomText(random, Math.floor(random() * 4)) };
      });
      TextDocument.update(theirs, changes, version);
      ours.update(changes, version);
      assertSame(ours, theirs, random, `document ${n} version ${version} (was ${JSON.stringify(text)}, changes ${JSON.stringify(changes)})`);
    }
  }
});

test('LineIndex (the CLI and indexed files) counts lines as the server documents do', () => {
  const random = prng(5);
  for (let n = 0; n < 500; n++) {
    const text = randomText(random, Math.floor(random() * 20));
    const index = new LineIndex(text);
    const doc = new DumpTextDocument('file:///d', 'json', 1, text);
    for (let line = 0; line < doc.lineCount; line++) {
      for (const character of [0, 1, 3, 1000]) assert.equal(index.offsetAt({ line, character }), doc.offsetAt({ line, character }), JSON.stringify(text));
    }
  }
});
