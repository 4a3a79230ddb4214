/**
 * The query language of the search box:
 *
 *   depression adolescents     every word must match (typos and, for the last word, prefixes allowed)
 *   "mental health"            a phrase: these words, adjacent, in this order, exactly
 *   -placebo  -"case report"   exclude records holding the word (exactly) or the phrase
 *   title:ssri  ti:"quality of life"  abstract:/ab:  keyword:/kw:  fulltext:/ft:   one field only
 *   author:smith  au:"van der meer"   author names (fuzzy, see engine.ts)
 *   year:2010  year:2010-2015  year:2010..2015  year:>=2018  year:<2000  year:2015-
 *
 * A word that tokenises into several terms ("covid-19", "o'hara") is a phrase. Parsing never fails:
 * what it cannot read becomes a warning and is ignored.
 */
import { tokenize } from './tokenize';

export const SEARCH_FIELDS = ['title', 'abstract', 'authors', 'keywords', 'fullText'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface WordClause {
  kind: 'word';
  term: string;
  /** Restricted to these fields; undefined = all. */
  fields?: SearchField[];
  negated: boolean;
  /** Typo expansion allowed (false inside quotes). */
  fuzzy: boolean;
  /** The word is being typed: expand it to the terms it starts. */
  prefix: boolean;
  /** An author: clause: names are matched with fuse.js as well (see engine.ts). */
  author: boolean;
}

export interface PhraseClause {
  kind: 'phrase';
  terms: string[];
  fields?: SearchField[];
  negated: boolean;
}

export interface YearClause {
  kind: 'year';
  from: number;
  to: number;
  negated: boolean;
}

export type Clause = WordClause | PhraseClause | YearClause;

export interface ParsedQuery {
  clauses: Clause[];
  warnings: string[];
}

const FIELD_ALIASES: Record<string, SearchField | 'year'> = {
  title: 'title',
  ti: 'title',
  abstract: 'abstract',
  ab: 'abstract',
  author: 'authors',
  authors: 'authors',
  au: 'authors',
  keyword: 'keywords',
  keywords: 'keywords',
  kw: 'keywords',
  fulltext: 'fullText',
  ft: 'fullText',
  year: 'year',
  yr: 'year',
  py: 'year',
};

const MIN_YEAR = 0;
const MAX_YEAR = 9999;

/** Parses `query`; `prefixLast` makes the last bare word a prefix when the query does not end in white space. */
export function parseQuery(query: string, prefixLast = true): ParsedQuery {
  const clauses: Clause[] = [];
  const warnings: string[] = [];
  let lastBareWord: WordClause | undefined;
  let lastEnd = 0;
  let i = 0;
  const n = query.length;
  while (i < n) {
    while (i < n && /\s/.test(query[i])) i++;
    if (i >= n) break;
    const partStart = i;
    let negated = false;
    if (query[i] === '-' && i + 1 < n && !/\s/.test(query[i + 1])) {
      negated = true;
      i++;
    }
    let field: SearchField | 'year' | undefined;
    const fieldMatch = /^([A-Za-z]+):(?=\S)/.exec(query.slice(i, i + 16));
    if (fieldMatch && FIELD_ALIASES[fieldMatch[1].toLowerCase()]) {
      field = FIELD_ALIASES[fieldMatch[1].toLowerCase()];
      i += fieldMatch[0].length;
    }
    let value: string;
    let quoted = false;
    if (query[i] === '"') {
      quoted = true;
      const close = query.indexOf('"', i + 1);
      value = query.slice(i + 1, close < 0 ? n : close);
      i = close < 0 ? n : close + 1;
    } else {
      const start = i;
      while (i < n && !/\s/.test(query[i])) i++;
      value = query.slice(start, i);
    }
    lastEnd = i;
    lastBareWord = undefined;
    if (field === 'year') {
      const range = parseYearRange(value);
      if (range) clauses.push({ kind: 'year', ...range, negated });
      else warnings.push(`"${query.slice(partStart, i)}" is not a year or a range of years (year:2010, year:2010-2015, year:>=2018); ignored`);
      continue;
    }
    const terms = tokenize(value);
    if (terms.length === 0) continue;
    const fields = field ? [field] : undefined;
    if (field === 'authors') {
      // Each part of a name is its own clause, matched against the author names (any author).
      for (const term of terms) {
        const clause: WordClause = { kind: 'word', term, fields, negated, fuzzy: !negated, prefix: false, author: !negated };
        clauses.push(clause);
        lastBareWord = negated || quoted ? undefined : clause;
      }
      continue;
    }
    if (terms.length > 1) {
      clauses.push({ kind: 'phrase', terms, fields, negated });
      continue;
    }
    const clause: WordClause = { kind: 'word', term: terms[0], fields, negated, fuzzy: !quoted && !negated, prefix: false, author: false };
    clauses.push(clause);
    if (!quoted && !negated) lastBareWord = clause;
  }
  if (prefixLast && lastBareWord && lastEnd === n) lastBareWord.prefix = true;
  return { clauses, warnings };
}

/** "2010", "2010-2015", "2010–2015", "2010..2015", "2015-", "-2015", ">2010", ">=2010", "<2015", "<=2015". */
export function parseYearRange(value: string): { from: number; to: number } | undefined {
  const v = value.trim();
  let m = /^(\d{4})$/.exec(v);
  if (m) return { from: Number(m[1]), to: Number(m[1]) };
  m = /^(\d{4})?\s*(?:-|–|\.\.)\s*(\d{4})?$/.exec(v);
  if (m && (m[1] || m[2])) {
    const from = m[1] ? Number(m[1]) : MIN_YEAR;
    const to = m[2] ? Number(m[2]) : MAX_YEAR;
    return from <= to ? { from, to } : { from: to, to: from };
  }
  m = /^(>=|<=|>|<)\s*(\d{4})$/.exec(v);
  if (m) {
    const year = Number(m[2]);
    switch (m[1]) {
      case '>':
        return { from: year + 1, to: MAX_YEAR };
      case '>=':
        return { from: year, to: MAX_YEAR };
      case '<':
        return { from: MIN_YEAR, to: year - 1 };
      default:
        return { from: MIN_YEAR, to: year };
    }
  }
  return undefined;
}
