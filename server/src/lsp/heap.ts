// A full garbage collection after the analysis of a large document is published, and before
// the first analysis of a large document (the open's message is several times its text).
// Each edit of a 10 MB dump leaves megabytes behind (the previous text, the previous model);
// V8 collects the old generation only when it has grown well past the live data, so the
// server's peak memory was several times what it holds. Collecting right after publishing
// keeps the peak near the live data plus one new copy of the text; an edit that arrives
// meanwhile waits for the rest of the collection (the bench measures it).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Documents below this size leave too little garbage to be worth a collection. */
export const COLLECT_AFTER_EDITS_OF_BYTES = 1024 * 1024;

let collect: (() => void) | null | undefined;

/** Runs a full collection when the runtime allows it (else does nothing). */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      // Node exposes `gc` only with --expose-gc; the flag can be set at run time and
      // takes effect for a new context (the extension starts the server without flags).
      v8.setFlagsFromString('--expose-gc');
      const fn: unknown = vm.runInNewContext('gc');
      collect = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
