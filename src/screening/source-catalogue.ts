/**
 * The usual sources of a systematic review search, with their PRISMA 2020 category, offered when
 * records are imported; and the pure parts of adding imported files to review.json.
 */
import { createHash } from 'node:crypto';
import { defaultSource, type ReviewConfig, type SourceCategory, type SourceConfig } from './review-config';
import type { FormatId } from './record';

export interface KnownSource {
  name: string;
  category: SourceCategory;
  /** A short note shown next to the name. */
  detail?: string;
  /** Formats this source exports in its own dialect (to suggest it first). */
  formats?: readonly FormatId[];
}

export const KNOWN_SOURCES: readonly KnownSource[] = [
  { name: 'MEDLINE', category: 'database', detail: 'PubMed or Ovid MEDLINE', formats: ['medline', 'pubmed-xml', 'ovid'] },
  { name: 'PubMed', category: 'database', formats: ['medline', 'pubmed-xml'] },
  { name: 'Embase', category: 'database', detail: 'Elsevier or Ovid', formats: ['ovid'] },
  { name: 'CINAHL', category: 'database', detail: 'EBSCOhost' },
  { name: 'PsycINFO', category: 'database', detail: 'APA PsycInfo', formats: ['ovid'] },
  { name: 'Web of Science', category: 'database', detail: 'Core Collection', formats: ['wos'] },
  { name: 'Scopus', category: 'database' },
  { name: 'Cochrane CENTRAL', category: 'database', detail: 'Cochrane Central Register of Controlled Trials' },
  { name: 'Cochrane Database of Systematic Reviews', category: 'database' },
  { name: 'LILACS', category: 'database' },
  { name: 'ProQuest Dissertations & Theses', category: 'database', formats: ['proquest'] },
  { name: 'CORD-19', category: 'database', formats: ['cord19'] },
  { name: 'Google Scholar', category: 'database' },
  { name: 'ClinicalTrials.gov', category: 'register' },
  { name: 'WHO ICTRP', category: 'register', detail: 'International Clinical Trials Registry Platform' },
  { name: 'EU Clinical Trials Register', category: 'register', detail: 'EU CTR / CTIS' },
  { name: 'ISRCTN', category: 'register' },
  { name: 'ANZCTR', category: 'register', detail: 'Australian New Zealand Clinical Trials Registry' },
  { name: 'PROSPERO', category: 'register' },
];

/** The other-methods categories (PRISMA's right-hand branch), which need no name. */
export const OTHER_METHODS: readonly SourceCategory[] = ['website', 'organisation', 'citation-searching'];

export const CATEGORY_LABELS: Record<SourceCategory, string> = {
  database: 'Database',
  register: 'Register',
  website: 'Website',
  organisation: 'Organisation',
  'citation-searching': 'Citation searching',
};

/** Known sources ordered so those matching the file's format (or its name) come first. */
export function suggestSources(file: string, format?: FormatId): KnownSource[] {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  const score = (source: KnownSource): number => {
    if (format && source.formats?.includes(format)) return 0;
    const words = source.name.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2);
    if (words.some((word) => base.includes(word))) return 1;
    return 2;
  };
  return [...KNOWN_SOURCES].map((source, order) => ({ source, order, score: score(source) })).sort((a, b) => a.score - b.score || a.order - b.order).map((entry) => entry.source);
}

/**
 * A file name for `name` in a folder that already holds `taken` (case-insensitively): the name
 * itself, else `stem-2.ext`, `stem-3.ext`, …
 */
export function uniqueFileName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((entry) => entry.toLowerCase()));
  if (!used.has(name.toLowerCase())) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${extension}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

export interface AddedSource {
  /** Relative to the review root, forward slashes. */
  file: string;
  category: SourceCategory;
  name?: string;
}

/**
 * The review settings with these files as sources: a file already listed gets the new category
 * and name; new ones are appended. Returns the new settings and the files that were new.
 */
export function withSources(config: ReviewConfig, added: readonly AddedSource[]): { config: ReviewConfig; added: string[]; updated: string[] } {
  const sources: SourceConfig[] = config.sources.map((source) => ({ ...source }));
  const addedFiles: string[] = [];
  const updated: string[] = [];
  for (const entry of added) {
    const source: SourceConfig = { file: entry.file, category: entry.category, ...(entry.name?.trim() ? { name: entry.name.trim() } : {}) };
    const existing = sources.findIndex((candidate) => candidate.file === entry.file);
    if (existing >= 0) {
      sources[existing] = source;
      updated.push(entry.file);
    } else {
      sources.push(source);
      addedFiles.push(entry.file);
    }
  }
  return { config: { ...config, sources }, added: addedFiles, updated };
}

/** The settings with `reason` added to a stage's exclusion reasons (unchanged when present, case-insensitively). */
export function withReason(config: ReviewConfig, stage: keyof ReviewConfig['stages'], reason: string): ReviewConfig {
  const clean = reason.replace(/\s+/g, ' ').trim();
  const reasons = config.stages[stage].reasons;
  if (!clean || reasons.some((existing) => existing.toLowerCase() === clean.toLowerCase())) return config;
  return { ...config, stages: { ...config.stages, [stage]: { ...config.stages[stage], reasons: [...reasons, clean] } } };
}

/** The default source entry for a file, as review.json would infer it. */
export function inferredSource(file: string, format?: FormatId): AddedSource {
  return defaultSource(file, format);
}

/**
 * A digest of an export file's content that ignores what a copy or a re-download may change: a
 * byte-order mark, line endings and trailing white space at the end of the file.
 */
export function contentDigest(bytes: Uint8Array): string {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let end = bytes.length;
  while (end > start && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const hash = createHash('sha256');
  // CRLF and CR alone read as LF.
  let from = start;
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0x0d) continue;
    hash.update(bytes.subarray(from, i));
    hash.update(LF);
    from = bytes[i + 1] === 0x0a ? i + 2 : i + 1;
    if (bytes[i + 1] === 0x0a) i++;
  }
  hash.update(bytes.subarray(from, end));
  return hash.digest('hex');
}

const LF = new Uint8Array([0x0a]);
