// Markdown from dump values: the hover and the explanation both show record data.

/**
 * Record values are data from the dump: escape what Markdown would interpret inside a line
 * (values never start a line here, so list and heading markers such as `-` stay as they are).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#!|<>~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
