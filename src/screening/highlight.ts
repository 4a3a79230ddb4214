/**
 * Highlighting a review's keywords in a record's text (the record reader): include-terms and
 * exclude-terms from review.json plus the user's settings.
 *
 * - Case-insensitive; a term matches whole words (`care` does not match `careful`).
 * - `*` is a wildcard for the rest of a word: `random*` matches randomised, randomized, randomly.
 * - A phrase matches across any white space or hyphens: `follow up` matches `follow-up` and
 *   `follow\nup`.
 * - Where terms overlap, the longest match wins; a term in both lists counts as an exclude-term.
 *
 * Pure and browser-safe (the reader's webview bundles it): no Node, no VS Code, no DOM.
 */

export type TermKind = 'include' | 'exclude';

export interface TermLists {
  include: readonly string[];
  exclude: readonly string[];
}

export interface TermMatch {
  start: number;
  end: number;
  kind: TermKind;
  /** The configured term that matched. */
  term: string;
}

export interface Segment {
  text: string;
  kind?: TermKind;
  term?: string;
}

const WORD_CHAR = '[\\p{L}\\p{N}_]';
const MAX_TERMS = 500;
const MAX_TERM_LENGTH = 200;

/** Trimmed, white space collapsed, empty and repeated terms (case-insensitive) dropped. */
export function cleanTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of terms) {
    if (typeof raw !== 'string') continue;
    const term = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_TERM_LENGTH);
    if (term.replace(/\*/g, '').trim() === '') continue;
    const key = term.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(term);
  }
  return out;
}

/** Merges term lists (review.json and settings), without repeats. */
export function mergeTermLists(...lists: Partial<TermLists>[]): TermLists {
  const exclude = cleanTerms(lists.flatMap((list) => list.exclude ?? []));
  const excluded = new Set(exclude.map((term) => term.toLowerCase()));
  const include = cleanTerms(lists.flatMap((list) => list.include ?? [])).filter((term) => !excluded.has(term.toLowerCase()));
  return { include, exclude };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular-expression source of one term (see the module comment). */
export function termPattern(term: string): string {
  const words = term.split(/[\s\u00a0\-\u2010-\u2013]+/).filter(Boolean);
  const body = words.map((word) => word.split('*').map(escapeRegExp).join(`${WORD_CHAR}*`)).join('[\\s\\u00a0\\-\\u2010-\\u2013]+');
  const last = words[words.length - 1] ?? '';
  const first = words[0] ?? '';
  // A leading or trailing wildcard needs no boundary on that side.
  const before = first.startsWith('*') ? '' : `(?<!${WORD_CHAR})`;
  const after = last.endsWith('*') ? '' : `(?!${WORD_CHAR})`;
  return `${before}${body}${after}`;
}

export class TermMatcher {
  private readonly regex: RegExp | undefined;
  private readonly groups: { kind: TermKind; term: string }[] = [];

  constructor(lists: TermLists) {
    const merged = mergeTermLists(lists);
    const terms: { kind: TermKind; term: string }[] = [
      ...merged.exclude.map((term) => ({ kind: 'exclude' as const, term })),
      ...merged.include.map((term) => ({ kind: 'include' as const, term })),
    ].slice(0, MAX_TERMS);
    // Longer terms first, so "mental health services" wins over "mental health".
    terms.sort((a, b) => b.term.replace(/\*/g, '').length - a.term.replace(/\*/g, '').length);
    const parts: string[] = [];
    for (const entry of terms) {
      const source = termPattern(entry.term);
      try {
        new RegExp(source, 'iu');
      } catch {
        continue;
      }
      parts.push(`(${source})`);
      this.groups.push(entry);
    }
    if (parts.length > 0) this.regex = new RegExp(parts.join('|'), 'giu');
  }

  get empty(): boolean {
    return this.regex === undefined;
  }

  /** Every match in `text`, in order, not overlapping. */
  matches(text: string): TermMatch[] {
    const out: TermMatch[] = [];
    const regex = this.regex;
    if (!regex || !text) return out;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      let group = 1;
      while (group < match.length && match[group] === undefined) group++;
      const entry = this.groups[group - 1];
      if (entry) out.push({ start: match.index, end: match.index + match[0].length, kind: entry.kind, term: entry.term });
    }
    return out;
  }

  /** `text` cut into plain and highlighted runs (joined, they give `text` back). */
  segments(text: string): Segment[] {
    const out: Segment[] = [];
    let at = 0;
    for (const match of this.matches(text)) {
      if (match.start > at) out.push({ text: text.slice(at, match.start) });
      out.push({ text: text.slice(match.start, match.end), kind: match.kind, term: match.term });
      at = match.end;
    }
    if (at < text.length || out.length === 0) out.push({ text: text.slice(at) });
    return out;
  }

  /** How often each kind of term occurs in the texts. */
  count(...texts: (string | undefined)[]): Record<TermKind, number> {
    const counts: Record<TermKind, number> = { include: 0, exclude: 0 };
    for (const text of texts) if (text) for (const match of this.matches(text)) counts[match.kind]++;
    return counts;
  }
}
