/**
 * The bibliographic record every importer produces and every view reads.
 * Plain data (JSON-serialisable) so it can cross worker and webview boundaries.
 */

export type RecordType =
  | 'journal-article'
  | 'book'
  | 'book-chapter'
  | 'conference-paper'
  | 'thesis'
  | 'report'
  | 'preprint'
  | 'dataset'
  | 'web-page'
  | 'grey-literature'
  | 'other';

/** Formats the importers recognise by content. */
export type FormatId =
  | 'ris'
  | 'medline'
  | 'pubmed-xml'
  | 'bibtex'
  | 'csl-json'
  | 'endnote-xml'
  | 'endnote-tagged'
  | 'refworks'
  | 'ovid'
  | 'wos'
  | 'proquest'
  | 'csv'
  | 'cord19'
  | 'plain-text';

/** Where a record came from, so a problem or a decision can point back at the source. */
export interface Provenance {
  /** Path of the imported file as the user gave it (relative to the review when possible). */
  file: string;
  format: FormatId;
  /** 1-based line of the record's first line in the decoded text. */
  line: number;
  /** 0-based position of the record among the file's records. */
  index: number;
}

/** A record as an importer reads it: everything but the review-wide id. */
export interface ParsedRecord {
  title: string;
  /** Authors as "Family, Given" where the source allows telling them apart, else as written. */
  authors: string[];
  year?: number;
  /** Journal, book, conference or website name. */
  journal?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  /** Normalised DOI (lower case, no resolver prefix), see normaliseDoi. */
  doi?: string;
  pmid?: string;
  abstract?: string;
  keywords: string[];
  url?: string;
  type: RecordType;
  /** Full text when the source carries it (CORD-19 dumps, saved web pages). */
  fullText?: string;
  /** Source fields without a place above (unknown CSV columns, labels, tags), kept verbatim. */
  metadata?: Record<string, string>;
  provenance: Provenance;
}

/** A record with its stable, review-unique id. */
export interface BibRecord extends ParsedRecord {
  id: string;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something wrong with an input, precise enough to find and fix it. */
export interface ImportProblem {
  file: string;
  /** 1-based line in the decoded text; 0 when the problem concerns the whole file. */
  line: number;
  severity: ProblemSeverity;
  message: string;
}

/** Returns the family name of an author string in either "Family, Given" or "Given Family" form. */
export function familyName(author: string): string {
  const trimmed = author.trim();
  const comma = trimmed.indexOf(',');
  if (comma >= 0) return trimmed.slice(0, comma).trim();
  const parts = trimmed.split(/\s+/);
  return parts[parts.length - 1] ?? '';
}
