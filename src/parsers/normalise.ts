/** Field normalisation shared by all importers, so the same paper reads the same from any format. */
import type { RecordType } from '../screening/record';

/** Lower-cases a DOI and strips resolver prefixes and trailing punctuation; undefined if it is not a DOI. */
export function normaliseDoi(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const match = /10\.\d{4,9}\/\S+/i.exec(raw.trim());
  if (!match) return undefined;
  let doi = match[0].toLowerCase();
  try {
    if (/%[0-9a-f]{2}/i.test(doi)) doi = decodeURIComponent(doi);
  } catch {
    // keep the raw form when it is not valid percent-encoding
  }
  return doi.replace(/[.,;:\]\)}>"']+$/, '');
}

/** Keeps the digits of a PubMed id ("PMID: 123 [Indexed for MEDLINE]" -> "123"). */
export function normalisePmid(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const match = /\b(\d{1,9})\b/.exec(raw);
  return match ? match[1] : undefined;
}

/** The first plausible four-digit publication year in a date string. */
export function parseYear(raw: string | number | undefined): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const match = /(?:^|[^\d])(1[5-9]\d\d|20\d\d|2100)(?!\d)/.exec(String(raw));
  return match ? Number(match[1]) : undefined;
}

/** Collapses runs of white space and trims; undefined for empty strings. */
export function cleanText(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : undefined;
}

/** Group authors ("World Health Organization", "PRISMA Group") are names, not Given Family. Exported for the tagged importers' author fast path. */
export const ORGANISATION =
  /\b(organi[sz]ation|association|institute|institut|group|committee|council|agency|department|ministry|society|cent(re|er)|foundation|university|collaboration|collaborative|network|trust|board|commission|office|services?|federation|consortium|team|investigators|alliance|program(me)?|project|panel|working|national|international|authority|company|inc|ltd|gmbh|corporation)\b/i;

/**
 * Writes an author as "Family, Given". Accepts "Family, Given", "Family Initials" (MEDLINE AU:
 * "Kohn L"), and "Given Family" ("M. Ambreen"). Organisation names are returned as written.
 */
export function normaliseAuthor(raw: string): string {
  // Longer than any name (a damaged field): as written; the end-anchored patterns below would take
  // time quadratic in its length.
  if (raw.length > 500) return cleanText(raw) ?? '';
  // "Tactile Labs," (a trailing comma, no other): a family name alone, e.g. an organisation, kept as written.
  const familyOnly = /^[^,]+,\s*$/.exec(raw);
  if (familyOnly) return raw.replace(/\s+/g, ' ').replace(/,\s*$/, '').trim();
  const name = raw.replace(/\s+/g, ' ').trim().replace(/[.;,]+$/, (m) => (m.startsWith('.') ? '.' : ''));
  if (!name) return '';
  if (name.includes(',')) {
    const [family, ...rest] = name.split(',');
    const given = rest.join(',').trim();
    return given ? `${family.trim()}, ${given}` : family.trim();
  }
  const parts = name.split(' ');
  if (parts.length === 1 || ORGANISATION.test(name)) return name;
  // MEDLINE style: "Kohn L", "van Kesteren MR": trailing token is upper-case initials.
  const last = parts[parts.length - 1];
  if (/^[A-Z]{1,4}$/.test(last) && parts.length >= 2) {
    return `${parts.slice(0, -1).join(' ')}, ${last}`;
  }
  // "Given Family", keeping lower-case particles with the family name ("M. R. van Kesteren").
  let familyStart = parts.length - 1;
  while (familyStart > 1 && /^(van|von|der|den|de|del|della|di|da|du|le|la|dos|das|ter|ten|bin|al)$/i.test(parts[familyStart - 1])) {
    familyStart--;
  }
  return `${parts.slice(familyStart).join(' ')}, ${parts.slice(0, familyStart).join(' ')}`;
}

/** Maps the many source type names (RIS TY, BibTeX entry types, CSL types, EndNote ref types) to ours. */
export function mapRecordType(raw: string | undefined): RecordType {
  const t = (raw ?? '').trim().toLowerCase();
  if (!t) return 'journal-article';
  if (/^(jour|jfull|ejour|mgzn|news|article|article-journal|article-magazine|article-newspaper|journal article|journal-article|magazine article|newspaper article|review|letter|editorial|comment|journal)/.test(t)) return 'journal-article';
  if (/^(chap|chapter|inbook|incollection|book section|book-chapter|section)/.test(t)) return 'book-chapter';
  if (/^(book|ebook|edbook|mvbook|collection|mvcollection|bookinbook)/.test(t)) return 'book';
  if (/^(conf|cpaper|inproceedings|proceedings|conference|paper-conference|conference paper|conference proceedings)/.test(t)) return 'conference-paper';
  if (/^(thes|thesis|phdthesis|mastersthesis|dissertation)/.test(t)) return 'thesis';
  if (/^(rprt|report|techreport|government document|gov|manual)/.test(t)) return 'report';
  if (/^(preprint|unpb|unpublished)/.test(t)) return 'preprint';
  if (/^(data|dataset)/.test(t)) return 'dataset';
  if (/^(elec|web|webpage|online|www|blog|post|post-weblog|web page|electronic)/.test(t)) return 'web-page';
  if (/^(grey|gen|generic|misc|pamp|booklet|standard|stand)/.test(t)) return 'other';
  return 'other';
}

/** Splits a keyword field on the separators exports use (semicolons, newlines, and commas when no semicolon). */
export function splitKeywords(raw: string | undefined): string[] {
  if (!raw) return [];
  const separator = /[;\n]/.test(raw) ? /[;\n]/ : /,/;
  return raw
    .split(separator)
    .map((k) => k.replace(/\s+/g, ' ').trim())
    .filter((k) => k.length > 0);
}

const MARKUP_TAG =
  /<\/?(?:[a-z][\w.-]*:[a-z][\w.-]*|i|b|u|s|em|strong|sup|sub|sc|span|font|br|p|div|a|small|big|tt|code|var|math|mi|mo|mn|ms|mtext|mrow|msub|msup|msubsup|mfrac|msqrt|mroot|mover|munder|munderover|mspace|mstyle|mtable|mtr|mtd|mfenced|semantics|annotation|style|inf|ovl|scp)(?:\s[^<>]*)?\/?>/gi;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the HTML character references rich-text exports leave in titles (&amp;, &#233;, &#x2013;, &nbsp;). */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * Turns rich text (HTML inline tags such as <i> and <sup>, MathML, JATS-like tags) into plain text and
 * collapses white space. Only known markup tags are removed, so "p<0.05 and q>1" survives.
 */
export function stripMarkup(raw: string | undefined | null, options: { entities?: boolean } = {}): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  let text = String(raw);
  if (text.includes('<')) text = text.replace(MARKUP_TAG, '');
  if (options.entities) text = decodeHtmlEntities(text);
  return cleanText(text);
}

/** Maps offsets in a text to 1-based line numbers (LF, CRLF or bare CR), for provenance and problems. */
export function lineLocator(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
