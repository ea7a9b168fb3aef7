// The explanation as sentences a support engineer can paste into a ticket: plain text for
// the CLI, Markdown for the Explain Contact command and the hover, and the same sentences
// with the records they come from for the timeline's Explain section.

import type { DisconnectBy, Explanation, ExplanationRefs, Offer, Phase, PhaseKind, RecordRef } from './explainTypes';
import { escapeMarkdown } from './markdown';
import type { ExplainSentenceKind } from '../shared/timeline';

export type SentenceKind = ExplainSentenceKind;

export interface ExplainSentence {
  kind: SentenceKind;
  text: string;
  /** The leg the sentence is about, when it is about one. */
  contactId?: string;
  /** The records the sentence is read from. */
  refs: RecordRef[];
}

/** "4.8 s", "42 s", "4 min 22 s", "1 h 2 min 5 s": whole seconds from a minute up. */
export function formatSeconds(s: number): string {
  if (s < 10 && !Number.isInteger(s)) return `${(Math.round(s * 10) / 10).toString()} s`;
  let rest = Math.round(s);
  if (rest < 60) return `${rest} s`;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const sec = rest - m * 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', sec ? `${sec} s` : ''].filter(Boolean).join(' ');
}

const PHASE_WORDS: Record<PhaseKind, string> = {
  'callback-wait': 'waited for the callback',
  ivr: 'in IVR',
  queue: 'in queue',
  ringing: 'ringing',
  talk: 'talk',
  hold: 'on hold',
  paused: 'paused',
  acw: 'ACW',
  external: 'with the external party after the transfer',
};

const BY_WORDS: Record<DisconnectBy, string> = {
  customer: 'the customer ended it',
  agent: 'the agent ended it',
  'third-party': 'the third party ended it',
  system: 'the system ended it (network, flow, API or expiry)',
  unknown: 'who ended it is not known',
};

const OUTCOME_WORDS: Record<Offer['outcome'], string> = {
  accepted: 'accepted',
  missed: 'missed',
  rejected: 'rejected',
  error: 'failed (ERROR)',
  abandoned: 'abandoned: the customer left while it rang',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function sameRef(a: RecordRef, b: RecordRef): boolean {
  return a.uri === b.uri && a.start === b.start && a.end === b.end;
}

function addRefs(into: RecordRef[], refs: RecordRef[]): void {
  for (const r of refs) if (!into.some((x) => sameRef(x, r))) into.push(r);
}

function phaseSummary(phases: Phase[]): string[] {
  const parts: string[] = [];
  const kinds = [...new Set(phases.filter((p) => p.kind !== 'ringing').map((p) => p.kind))];
  for (const kind of kinds) {
    const of = phases.filter((p) => p.kind === kind);
    const total = of.reduce((a, p) => a + p.seconds, 0);
    const times = (kind === 'hold' || kind === 'paused') && of.length > 1 ? ` (${of.length} times)` : '';
    parts.push(kind === 'talk' || kind === 'acw' ? `${PHASE_WORDS[kind]} ${formatSeconds(total)}` : `${formatSeconds(total)} ${PHASE_WORDS[kind]}${times}`);
  }
  return parts;
}

/** An offer that did not connect and has no ring time (no offered state in the dumps) says what it is read from: when, and in which state. */
function offerSummary(offers: Offer[]): string[] {
  return offers.map(
    (o) =>
      `offered to ${o.agent}: ${OUTCOME_WORDS[o.outcome]}${
        o.ringSeconds !== null ? ` after ${formatSeconds(o.ringSeconds)}` : o.outcome !== 'accepted' ? ` [${o.evidence.join('; ')}]` : ''
      }`,
  );
}

/** The explanation as sentences, each with the records it is read from. */
export function explanationSentences(e: Explanation, refs: ExplanationRefs): ExplainSentence[] {
  const out: ExplainSentence[] = [];
  const place = e.chain.findIndex((l) => l.contactId === e.contactId);
  const head = [e.channel, e.initiationMethod].filter(Boolean).join(', ');
  out.push({
    kind: 'overview',
    contactId: e.contactId,
    text: `Contact ${e.contactId}${head ? ` (${head})` : ''}: ${e.chain.length <= 1 ? 'a single contact, no other leg in the dumps' : `leg ${place + 1} of a chain of ${e.chain.length}`}.`,
    refs: place >= 0 ? [...(refs.chain[place] ?? [])] : [],
  });
  e.chain.forEach((leg, i) => {
    const legRefs: RecordRef[] = [...(refs.chain[i] ?? [])];
    const phases = e.phases.filter((p, j) => p.contactId === leg.contactId && (addRefs(legRefs, refs.phases[j] ?? []), true));
    const offers = e.offers.filter((o, j) => o.contactId === leg.contactId && (addRefs(legRefs, refs.offers[j] ?? []), true));
    const who = [leg.agent ? `agent ${leg.agent}` : offers.length > 0 ? 'no agent connected' : 'no agent', leg.queue ? `queue ${leg.queue}` : undefined]
      .filter(Boolean)
      .join(', ');
    const parts = [
      ...phaseSummary(phases.filter((p) => p.kind === 'ivr' || p.kind === 'queue' || p.kind === 'callback-wait')),
      ...offerSummary(offers),
      ...phaseSummary(phases.filter((p) => p.kind !== 'ivr' && p.kind !== 'queue' && p.kind !== 'callback-wait')),
    ];
    out.push({
      kind: 'leg',
      contactId: leg.contactId,
      text: `Leg ${i + 1}, ${leg.contactId}, ${leg.label} (${leg.evidence.join('; ')}); ${who}${parts.length ? `: ${parts.join(', ')}` : ''}.`,
      refs: legRefs,
    });
  });
  const d = e.disconnect;
  const leg = e.chain.findIndex((l) => l.contactId === d.contactId);
  out.push({
    kind: 'disconnect',
    contactId: d.contactId,
    text: d.timestamp
      ? `The contact ended at ${d.timestamp}${e.chain.length > 1 && leg >= 0 ? ` in leg ${leg + 1}` : ''}: ${d.reason ? `DisconnectReason ${d.reason}, so ${BY_WORDS[d.by]}` : BY_WORDS.unknown}.`
      : 'When and how the contact ended is not in the dumps.',
    refs: [...refs.disconnect],
  });
  const t = e.totals;
  const total = (label: string, s: number | null) => `${label} ${s === null ? 'not known' : formatSeconds(s)}`;
  const totals = [
    total('IVR', t.ivrSeconds),
    total('queue', t.queueSeconds),
    total('talk', t.talkSeconds),
    total('hold', t.holdSeconds),
    total('ACW', t.acwSeconds),
    total('handle time', t.handleSeconds),
  ];
  if (t.externalSeconds) totals.push(total('external', t.externalSeconds));
  out.push({ kind: 'totals', text: `${e.chain.length > 1 ? 'Totals over the chain' : 'Totals'}: ${totals.join(', ')}.`, refs: [] });
  for (const g of e.gaps) out.push({ kind: 'gap', text: g, refs: [] });
  return out;
}

/** The narrative as plain text for the CLI. */
export function explanationText(e: Explanation, refs: ExplanationRefs): string {
  const sentences = explanationSentences(e, refs);
  const lines: string[] = [];
  for (const s of sentences) {
    if (s.kind === 'gap' && !lines.includes('Not in the dumps:')) lines.push('', 'Not in the dumps:');
    lines.push(s.kind === 'gap' ? `- ${s.text}` : s.kind === 'leg' ? `- ${s.text}` : s.text);
  }
  return lines.join('\n');
}

/** The narrative as Markdown (the Explain Contact command copies it). */
export function explanationMarkdown(e: Explanation, refs: ExplanationRefs): string {
  const sentences = explanationSentences(e, refs);
  const lines: string[] = [`**Contact ${escapeMarkdown(e.contactId)}**`, ''];
  let inGaps = false;
  for (const s of sentences) {
    if (s.kind === 'gap' && !inGaps) {
      inGaps = true;
      lines.push('', '_Not in the dumps:_', '');
    }
    const textMd = escapeMarkdown(s.text);
    lines.push(s.kind === 'leg' || s.kind === 'gap' ? `- ${textMd}` : s.kind === 'overview' ? textMd : `\n${textMd}`);
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Two lines for the contact hover: the totals, and how each offer ended. */
export function explanationHoverLines(e: Explanation): [string, string] {
  const t = e.totals;
  const part = (label: string, s: number | null) => (s === null ? undefined : `${label} ${formatSeconds(s)}`);
  const totals = [
    part('IVR', t.ivrSeconds),
    part('queue', t.queueSeconds),
    part('talk', t.talkSeconds),
    part('hold', t.holdSeconds),
    part('ACW', t.acwSeconds),
    part('handle', t.handleSeconds),
    t.externalSeconds ? part('external', t.externalSeconds) : undefined,
  ].filter(Boolean);
  const offers = e.offers.map((o) => `${o.agent} ${o.outcome}${o.ringSeconds !== null ? ` (${formatSeconds(o.ringSeconds)})` : ''}`);
  return [
    `Time${e.chain.length > 1 ? ` over ${plural(e.chain.length, 'leg')}` : ''}: ${totals.length ? totals.join(', ') : 'not in the dumps'}`,
    `Offers: ${offers.length ? offers.join('; ') : 'none in the dumps'}`,
  ];
}
