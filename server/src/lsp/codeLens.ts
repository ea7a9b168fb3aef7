// "Show timeline" CodeLenses above each contact record and above the first agent event of
// each contact; capped so that huge dumps stay fluid.
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { isContactIdLength } from '../core/contactIdLength';
import { idLabel } from '../shared/timeline';
import { at, idAt, isObject } from '../core/json';
import { SNAPSHOTS } from '../core/model';
import type { Dump } from '../core/types';
import { COMMANDS } from '../shared/ids';
import type { ServerContext } from './context';
import { decodedLenses } from './decoded';
import { toRange } from './ranges';

export const MAX_CODE_LENSES = 2000;

/** Contacts an agent event is about: those in its current snapshot, else its previous one. */
function eventContacts(value: Record<string, unknown>): string[] {
  for (const snapshot of SNAPSHOTS) {
    const contacts = at(value, [snapshot, 'Contacts']);
    const ids = Array.isArray(contacts) ? contacts.map((c) => idAt(c, ['ContactId'])).filter((id): id is string => !!id) : [];
    if (ids.length) return ids;
  }
  return [];
}

export function timelineLenses(dump: Dump): CodeLens[] {
  const lenses: CodeLens[] = [];
  const seen = new Set<string>();
  for (const record of dump.records) {
    if (lenses.length >= MAX_CODE_LENSES) break;
    if (!isObject(record.value)) continue;
    let ids: string[] = [];
    if (record.kind === 'contactRecord') {
      const id = idAt(record.value, ['ContactId']);
      if (id) ids = [id];
    } else if (record.kind === 'agentEvent') {
      ids = eventContacts(record.value).filter((id) => !seen.has(id));
    }
    const range = toRange(dump, { start: record.start, end: record.start });
    for (const id of ids) {
      seen.add(id);
      if (!isContactIdLength(id)) continue; // no contact: its schema finding says why
      lenses.push({
        range,
        command: {
          title: `$(timeline-view-icon) Timeline of ${idLabel(id)}`,
          command: COMMANDS.showTimeline,
          arguments: [dump.uri, id],
        },
      });
    }
  }
  return lenses;
}

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens((params: CodeLensParams) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    const analysis = doc && ctx.store.get(doc);
    return analysis?.isDump ? [...decodedLenses(ctx, params.textDocument.uri, analysis), ...timelineLenses(analysis.dump)] : [];
  });
}
