// connectInspector/explain: the explanation of the contact under the cursor, as the
// Explain Contact command copies it. Imported by the server and the client.

export interface ExplainParams {
  uri: string;
  /** The cursor, as an LSP position. */
  position: { line: number; character: number };
  /** Set to explain a given contact rather than the one under the cursor. */
  contactId?: string;
}

export type ExplainResponse =
  | { kind: 'explained'; contactId: string; markdown: string; text: string }
  | { kind: 'empty'; reason: 'no-contact' | 'not-found'; contactId?: string }
  | { kind: 'error'; message: string };

export namespace ExplainRequest {
  export const method = 'connectInspector/explain';
}

/** The command that copies the explanation as Markdown. */
export const EXPLAIN_CONTACT_COMMAND = 'connectInspector.explainContact';
