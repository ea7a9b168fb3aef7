// Hover on a contact ID value: what the dumps say about that contact (channel, how and
// when it started, agent, queue, why it ended, its place in the transfer chain), ahead of
// the schema's documentation of the field.
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { ContactSummary, contactSummary } from '../core/contactSummary';
import type { ServerContext } from './context';
import { contactIdAt, contactModelOf } from './definition';
import { hoverContributors, schemaHover } from './hover';
import { toRange } from './ranges';
import { explainInDumps } from '../core/explainInput';
import { escapeMarkdown } from '../core/markdown';
import { shownId } from '../core/contactIdLength';
import { explanationHoverLines } from '../core/explainText';

function code(written: string): string {
  const id = shownId(written);
  return id.includes('`') ? escapeMarkdown(id) : `\`${id}\``;
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

export function summaryMarkdown(s: ContactSummary): string {
  const lines: string[] = [];
  const head = [s.channel, s.initiationMethod]
    .filter(Boolean)
    .map((v) => escapeMarkdown(v!))
    .join(' · ');
  lines.push(`**Contact** ${code(s.contactId)}${head ? ` · ${head}` : ''}`);
  const facts: string[] = [];
  if (s.initiationTimestamp) facts.push(`Initiated: ${escapeMarkdown(s.initiationTimestamp)}`);
  if (s.agent) facts.push(`Agent: ${escapeMarkdown(s.agent)}`);
  if (s.queue) facts.push(`Queue: ${escapeMarkdown(s.queue)}`);
  if (s.disconnectReason) facts.push(`Disconnect reason: ${escapeMarkdown(s.disconnectReason)}`);
  if (s.disconnectTimestamp) facts.push(`Disconnected: ${escapeMarkdown(s.disconnectTimestamp)}`);
  if (s.lastState) facts.push(`Last agent-event state: ${escapeMarkdown(s.lastState.state)}${s.lastState.at ? ` at ${escapeMarkdown(s.lastState.at)}` : ''}`);
  const c = s.chain;
  let chain = `Chain: leg ${c.leg} of ${c.legs.length}${c.partial ? ' known' : ''}`;
  if (c.legs.length === 1 && c.initial && c.initial !== s.contactId) {
    // Only the initial contact is known (agent events alone): the leg number would be a guess.
    chain = 'Chain: a later leg';
  }
  const links: string[] = [];
  if (c.previous) links.push(`previous ${code(c.previous)}`);
  if (c.next) links.push(`next ${code(c.next)}`);
  if (c.initial && c.initial !== s.contactId) links.push(`initial ${code(c.initial)}`);
  if (links.length) chain += ` (${links.join(', ')})`;
  if (c.cycle) chain += '; the links loop';
  if (c.partial) chain += '; some legs are not in the open dumps or the workspace index';
  facts.push(chain);
  if (s.relatedContactId) facts.push(`Related contact: ${code(s.relatedContactId)}`);
  const seen = [s.recordCount ? plural(s.recordCount, 'contact record') : 'no contact record', plural(s.eventCount, 'agent event')];
  if (s.flowLogCount)
    seen.push(`${plural(s.flowLogCount, 'flow log entry', 'flow log entries')}${s.flowErrorCount ? `, ${plural(s.flowErrorCount, 'flow error')}` : ''}`);
  if (s.contactEventCount) seen.push(plural(s.contactEventCount, 'contact event'));
  facts.push(`Seen in: ${seen.join(', ')}`);
  if (s.source === 'agentEvent') facts.push('_From the agent event stream: no contact record for this contact is loaded._');
  lines.push(facts.map((f) => `- ${f}`).join('\n'));
  return lines.join('\n\n');
}

export function contactHover(ctx: ServerContext, params: HoverParams): Hover | undefined {
  const at = contactIdAt(ctx, params.textDocument.uri, params.position);
  // On the property name the schema's field documentation is the better answer.
  if (!at || at.onKey) return undefined;
  const summary = contactSummary(contactModelOf(ctx), at.id);
  if (!summary) return undefined;
  const parts = [summaryMarkdown(summary)];
  // The totals and how each offer ended, in two lines (the whole story: Explain Contact).
  const explained = explainInDumps(at.id, ctx.store.dumps(), contactModelOf(ctx));
  if (explained)
    parts[0] +=
      '\n' +
      explanationHoverLines(explained.explanation)
        .map((l) => `- ${escapeMarkdown(l)}`)
        .join('\n');
  const schema = schemaHover(ctx, params);
  const schemaText = schema && typeof schema.contents === 'object' && 'value' in schema.contents ? schema.contents.value : undefined;
  if (schemaText) parts.push(schemaText);
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: toRange(at.dump, at.span) };
}

/** Takes ctx like the other registrations; the hover handler itself lives in hover.ts. */
export function registerContactHover(_ctx: ServerContext): void {
  hoverContributors.push(contactHover);
}
