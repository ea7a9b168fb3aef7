// Small statistics and formatting helpers shared by the benchmark's runner and workers.

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (p95 of 30 samples is the 29th smallest): no interpolation, no surprises. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

// Values can arrive as null: NaN does not survive JSON (worker results travel as JSON).
export function ms(x: number | null | undefined): string {
  if (x === undefined || x === null || Number.isNaN(x)) return 'n/a';
  if (x >= 10000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}

export function mb(bytes: number | null | undefined): string {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return 'n/a';
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function kb(bytes: number | null | undefined): string {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return 'n/a';
  return `${(bytes / 1024).toFixed(0)} KB`;
}

export function ratio(x: number | null | undefined): string {
  if (x === undefined || x === null || Number.isNaN(x) || !Number.isFinite(x)) return 'n/a';
  return `${x.toFixed(x >= 10 ? 1 : 2)}x`;
}

/** A plain-text table: first row is the header; columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  const line = (row: readonly string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  return out.join('\n');
}

/** Line starts, to turn offsets into LSP positions (UTF-16, like JS strings). */
export function lineIndex(text: string): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  };
}
