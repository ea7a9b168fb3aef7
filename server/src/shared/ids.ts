// Every identifier that crosses the package.json / client / server / webview / test
// boundary: command, view, language and context-key IDs and setting names. Imported by all
// sides; test/unit/contracts.test.ts fails when package.json and this module disagree.
// Runtime-free (no vscode, no node): the webview and the e2e tests can read it too.

/** The prefix of every setting (`connectInspector.rules`, ...) and of most IDs. */
export const CONFIGURATION_SECTION = 'connectInspector';

/** Commands contributed in package.json `contributes.commands`. */
export const COMMANDS = {
  showTimeline: 'connectInspector.showTimeline',
  showOutput: 'connectInspector.showOutput',
  analyzeFile: 'connectInspector.analyzeFile',
  clearFileFindings: 'connectInspector.fileFindings.clear',
  openDecodedRecords: 'connectInspector.openDecodedRecords',
  explainContact: 'connectInspector.explainContact',
  /** The timeline of a contact in a file the editor does not hold, read from disk (issue 16). */
  showFileTimeline: 'connectInspector.showFileTimeline',
} as const;

/** Commands registered for the extension's own tree items; not contributed, not in the palette. */
export const INTERNAL_COMMANDS = {
  revealFileFinding: 'connectInspector.fileFindings.reveal',
  /** CodeLens of a decoded record: back to its encoded value in the original file. */
  openEnvelope: 'connectInspector.openEnvelope',
} as const;

/** The panel container (`contributes.viewsContainers.panel`) and its views (`contributes.views`). */
export const VIEW_CONTAINERS = {
  inspector: 'connectInspector',
} as const;

export const VIEWS = {
  fileFindings: 'connectInspector.fileFindings',
} as const;

/** Webview panel types (`onWebviewPanel:` activation events). */
export const WEBVIEW_PANELS = {
  timeline: 'connectInspector.timeline',
} as const;

/** Context keys set with `setContext` and read in `when` clauses of package.json. */
export const CONTEXT_KEYS = {
  hasFileFindings: 'connectInspector.hasFileFindings',
} as const;

/** Languages the extension contributes (`contributes.languages`). */
export const LANGUAGES = {
  firehose: 'connect-firehose',
} as const;

/** The languages a dump can be opened as: VS Code's own two and ours. */
export const DUMP_LANGUAGE_IDS: readonly string[] = ['json', 'jsonl', LANGUAGES.firehose];

/** Setting names under `connectInspector.` (`contributes.configuration.properties`). */
export const SETTINGS = {
  rules: 'rules',
  maxFindingsPerDocument: 'maxFindingsPerDocument',
  files: 'files',
  exclude: 'exclude',
  maxIndexedFileSizeMB: 'maxIndexedFileSizeMB',
  maxDecompressedSizeMB: 'maxDecompressedSizeMB',
} as const;

export type SettingName = (typeof SETTINGS)[keyof typeof SETTINGS];

/** The full key of a setting, as users write it in settings.json. */
export function settingKey(name: SettingName): `connectInspector.${SettingName}` {
  return `${CONFIGURATION_SECTION}.${name}`;
}

/** Tree item context values (`viewItem == ...` in menus). */
export const TREE_ITEM_CONTEXT = {
  fileResult: 'connectInspector.fileResult',
  fileFinding: 'connectInspector.fileFinding',
  fileRelated: 'connectInspector.fileRelated',
} as const;

/** The language client's ID and the status bar item's ID. */
export const LANGUAGE_CLIENT_ID = 'connectInspector';
export const STATUS_BAR_ITEM_ID = 'connectInspector.status';

/** The `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'connect-inspector';

/** Where each finding code is documented (the README has one section per code). */
export function findingHelpUrl(code: string): string {
  return `https://github.com/connect-event-inspector/connect-event-inspector#finding-${code}`;
}
