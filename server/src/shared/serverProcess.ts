// How the language server's Node process is started: the one owner of its Node flags, read by
// the client's run and debug options, the bench's spawn and the LSP tests' spawn, so the bench
// and the tests measure what ships. V8 heap flags only take effect at spawn time.
// Runtime-free (no vscode, no node imports).

/**
 * A young generation of 4 MB per semi-space instead of V8's default (16 MB on 64-bit): the
 * server's garbage is mostly a dump's text and records, large and short-lived, so a small
 * nursery lowers its peak resident memory by ~20 MB at 10 MB and ~24 MB at 48 MB without a
 * measurable cost in open or edit latency; 2 MB saved a few MB more but slowed edits of a
 * 48 MB dump (bench/README.md, "Node flags of the server").
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];
