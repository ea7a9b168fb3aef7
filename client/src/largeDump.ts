// Which editor tabs show a dump that VS Code did not hand to extensions, and what to offer
// for it. Pure (no vscode import): test/unit calls it with plain tab descriptions; the
// VS Code side (largeDumpNotice.ts) only gathers the facts and shows the result.
//
// VS Code keeps such files from extensions in three ways: the web workbench asks before it
// opens a file over `workbench.editorLargeFileConfirmation` (10 MB in code-server and
// vscode.dev) and shows a placeholder; desktop opens files over 50 MB without syncing them
// to extensions; and a binary file (a .gz dump) gets the binary placeholder. In each case the
// tab's input is a text (or custom editor) input with a file URI, and no TextDocument exists.
import type { SniffFileResult } from '../../server/src/shared/protocol';

/** Names a dump may carry; extension-less names are Firehose S3 objects. The sniff decides. */
export const DUMP_FILE_EXTENSIONS: readonly string[] = ['.json', '.jsonl', '.ndjson', '.gz', '.firehose'];

/** What the wrapper reads off a `vscode.Tab`. */
export interface TabFacts {
  /** `text` for TabInputText, `custom` for TabInputCustom (a custom or binary viewer), else `other`. */
  input: 'text' | 'custom' | 'other';
  /** The tab's resource, as `uri.toString()`, with its scheme and path. */
  uri?: { scheme: string; path: string; text: string };
  /** A TextDocument with this URI is open: VS Code handed the file over, the language server has it. */
  synced: boolean;
}

export interface UnsyncedFile {
  uri: string;
  name: string;
}

export interface LargeDumpOffer {
  uri: string;
  name: string;
  size: number;
  /** gzip: its decoded records can be opened (connectInspector.openDecodedRecords). */
  compressed: boolean;
  /** The status bar text, e.g. `Analyze dump (46 MB)`. */
  label: string;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** The file a tab shows without handing it to extensions, if its name may be a dump's; else undefined. */
export function unsyncedFileOf(tab: TabFacts): UnsyncedFile | undefined {
  if (tab.input === 'other' || !tab.uri || tab.uri.scheme !== 'file' || tab.synced) return undefined;
  const name = baseName(tab.uri.path);
  const ext = extensionOf(name);
  if (ext === '' ? name.startsWith('.') : !DUMP_FILE_EXTENSIONS.includes(ext)) return undefined;
  return { uri: tab.uri.text, name };
}

/**
 * `workbench.editorLargeFileConfirmation` cannot go below 1 MB: a smaller text file without a
 * document is one VS Code is about to sync (the tab opens first), not one it keeps back.
 * Only a compressed file is kept back at any size (the binary placeholder).
 */
export const MIN_KEPT_BACK_BYTES = 1024 * 1024;

/** Whether to ask the server about an unsynced file of this size (not a tab VS Code is still opening). */
export function worthSniffing(file: UnsyncedFile, size: number): boolean {
  return size >= MIN_KEPT_BACK_BYTES || extensionOf(file.name) === '.gz';
}

/** What to offer for a tab, given the server's sniff of the file: only a dump gets an offer. */
export function offerFor(tab: TabFacts, sniff: SniffFileResult | undefined): LargeDumpOffer | undefined {
  const file = unsyncedFileOf(tab);
  if (!file || !sniff || sniff.verdict !== 'dump') return undefined;
  const size = formatBytes(sniff.size);
  return {
    ...file,
    size: sniff.size,
    compressed: sniff.compressed,
    label: `Analyze dump (${size})`,
  };
}

export const ANALYZE_ACTION = 'Analyze';
export const OPEN_DECODED_ACTION = 'Open Decoded Records';
export const DONT_ASK_ACTION = "Don't ask again for this file";

/** The notification's buttons: decoded records only for a compressed dump, and only when that command exists. */
export function noticeActions(offer: LargeDumpOffer, canOpenDecoded: boolean): string[] {
  return [ANALYZE_ACTION, ...(offer.compressed && canOpenDecoded ? [OPEN_DECODED_ACTION] : []), DONT_ASK_ACTION];
}

export function noticeMessage(offer: LargeDumpOffer): string {
  return (
    `${offer.name} (${formatBytes(offer.size)}) looks like an Amazon Connect dump and is ${offer.compressed ? 'compressed' : 'larger than VS Code hands to extensions'}. ` +
    'Connect Event Inspector can read it from disk and list its findings in the Problems panel.'
  );
}

/** Sizes as people say them: `46 MB`, `9.5 MB`, `820 KB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  const mb = n / (1024 * 1024);
  if (mb < 1024) return `${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MB`;
  return `${(mb / 1024).toFixed(2)} GB`;
}
