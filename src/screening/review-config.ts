/**
 * screening/review.json: the review's sources with their PRISMA 2020 identification category,
 * the stage settings, the exclusion reasons and the keywords to highlight. A folder without one
 * (like the bundled seeds/) gets defaults inferred from the files:
 *
 * - every file under the review root is a source, except dot-files and dot-folders, screening/,
 *   node_modules/ and the project files README*, LICENSE*, CHANGELOG*, CONTRIBUTING*;
 * - a source whose format is a bibliographic export (RIS, MEDLINE, BibTeX, CSV, XML, …) is a
 *   "database", named after the database the format implies (MEDLINE, PubMed, Web of Science,
 *   Ovid, CORD-19) or else after the file (without extension);
 * - a plain-text source (a saved web page or document, format 'plain-text') is "website": the
 *   file alone cannot tell a web search from an organisation's site, so mark organisations in
 *   review.json ("category": "organisation"). In the seeds, 000, 001 and 003 are databases and
 *   002 and 004 websites by default.
 * - one reviewer per record at both stages; a reason is required to exclude at full text only.
 */
import { describeError, validator } from './schemas';
import { lineColumn, locateJsonError } from './json-locate';
import type { Stage } from './decision';
import type { FormatId } from './record';

export type SourceCategory = 'database' | 'register' | 'website' | 'organisation' | 'citation-searching';
export const SOURCE_CATEGORIES: readonly SourceCategory[] = ['database', 'register', 'website', 'organisation', 'citation-searching'];

/** PRISMA 2020 has two identification branches. */
export type PrismaBranch = 'databases-registers' | 'other-methods';

export function branchOf(category: SourceCategory): PrismaBranch {
  return category === 'database' || category === 'register' ? 'databases-registers' : 'other-methods';
}

export interface SourceConfig {
  /** Relative to the review root, forward slashes. */
  file: string;
  category: SourceCategory;
  /** Database or register name; optional for other methods. */
  name?: string;
}

export interface StageSettings {
  reviewers: 1 | 2;
  reasonRequired: boolean;
  reasons: string[];
}

export interface ReviewConfig {
  format: 'sr-screening-review';
  version: 1;
  title?: string;
  sources: SourceConfig[];
  stages: Record<Stage, StageSettings>;
  keywords: { include: string[]; exclude: string[] };
}

export const REVIEW_FORMAT = 'sr-screening-review';
export const REVIEW_VERSION = 1;

export const DEFAULT_REASONS: Record<Stage, string[]> = {
  'title-abstract': ['Wrong population', 'Wrong intervention or exposure', 'Wrong outcome', 'Wrong study design', 'Wrong publication type', 'Off topic'],
  'full-text': [
    'Wrong population',
    'Wrong intervention or exposure',
    'Wrong comparator',
    'Wrong outcome',
    'Wrong study design',
    'Wrong publication type',
    'Duplicate report',
    'Language',
  ],
};

export function defaultStages(): Record<Stage, StageSettings> {
  return {
    'title-abstract': { reviewers: 1, reasonRequired: false, reasons: [...DEFAULT_REASONS['title-abstract']] },
    'full-text': { reviewers: 1, reasonRequired: true, reasons: [...DEFAULT_REASONS['full-text']] },
  };
}

export function defaultConfig(sources: SourceConfig[] = []): ReviewConfig {
  return { format: REVIEW_FORMAT, version: REVIEW_VERSION, sources, stages: defaultStages(), keywords: { include: [], exclude: [] } };
}

const DATABASE_NAMES: Partial<Record<FormatId, string>> = {
  medline: 'MEDLINE',
  'pubmed-xml': 'PubMed',
  wos: 'Web of Science',
  ovid: 'Ovid',
  cord19: 'CORD-19',
};

/** The default category and name of a source from its detected format (see the module comment). */
export function defaultSource(file: string, format: FormatId | undefined): SourceConfig {
  if (format === 'plain-text') return { file, category: 'website' };
  const base = file.slice(file.lastIndexOf('/') + 1);
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return { file, category: 'database', name: (format && DATABASE_NAMES[format]) || stem || base };
}

const PROJECT_FILES = /^(readme|license|licence|changelog|contributing)(\..*)?$/i;
/** Figures, documents and archives a review folder also holds (an exported PRISMA flow, full-text PDFs): never records. */
const NOT_RECORDS = /\.(svg|png|jpe?g|gif|webp|pdf|docx?|xlsx?|pptx?|odt|zip|gz|7z|vsix|md)$/i;
const SKIPPED_FOLDERS = new Set(['screening', 'node_modules']);

/** Whether a folder entry (a name at any depth) may hold or be a source when review.json lists none. */
export function isDefaultSourceName(name: string, isFolder: boolean): boolean {
  if (name.startsWith('.')) return false;
  if (isFolder) return !SKIPPED_FOLDERS.has(name);
  return !PROJECT_FILES.test(name) && !NOT_RECORDS.test(name);
}

export type ConfigRead = { ok: true; config: ReviewConfig } | { ok: false; line: number; message: string };

/** Parses and validates review.json; fills in optional parts. */
export function readReviewConfig(text: string): ConfigRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const located = locateJsonError(body);
    return { ok: false, line: located?.line ?? 0, message: `Not valid JSON: ${located?.message ?? String(error)}.` };
  }
  if (typeof doc === 'object' && doc !== null && typeof (doc as { version?: unknown }).version === 'number' && (doc as { version: number }).version > REVIEW_VERSION) {
    return { ok: false, line: 1, message: `Written by a newer version of sr-screening (version ${(doc as { version: number }).version}); defaults are used and the file is not changed.` };
  }
  const validate = validator('review');
  if (!validate(doc)) {
    return { ok: false, line: lineOfJsonPath(body, validate.errors?.[0]?.instancePath ?? ''), message: describeError(validate.errors) };
  }
  const raw = doc as Partial<ReviewConfig> & { sources: SourceConfig[]; stages: Record<Stage, Partial<StageSettings>> };
  const defaults = defaultStages();
  const stage = (name: Stage): StageSettings => ({
    reviewers: raw.stages[name].reviewers ?? defaults[name].reviewers,
    reasonRequired: raw.stages[name].reasonRequired ?? defaults[name].reasonRequired,
    reasons: raw.stages[name].reasons ?? defaults[name].reasons,
  });
  return {
    ok: true,
    config: {
      format: REVIEW_FORMAT,
      version: REVIEW_VERSION,
      ...(raw.title !== undefined ? { title: raw.title } : {}),
      sources: raw.sources.map((source) => ({ ...source, file: source.file.split('\\').join('/') })),
      stages: { 'title-abstract': stage('title-abstract'), 'full-text': stage('full-text') },
      keywords: { include: raw.keywords?.include ?? [], exclude: raw.keywords?.exclude ?? [] },
    },
  };
}

/** review.json as people read it: two-space indent, a final newline. */
export function serialiseReviewConfig(config: ReviewConfig): string {
  const ordered = {
    format: REVIEW_FORMAT,
    version: REVIEW_VERSION,
    ...(config.title !== undefined ? { title: config.title } : {}),
    sources: config.sources.map((source) => ({ file: source.file, category: source.category, ...(source.name !== undefined ? { name: source.name } : {}) })),
    stages: config.stages,
    keywords: config.keywords,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Best-effort line of a JSON pointer (e.g. /sources/2/category) in the text. */
function lineOfJsonPath(text: string, pointer: string): number {
  const parts = pointer.split('/').filter(Boolean);
  let offset = 0;
  for (const part of parts) {
    if (/^\d+$/.test(part)) {
      const element = elementOffset(text, offset, Number(part));
      if (element < 0) break;
      offset = element;
      continue;
    }
    const found = text.indexOf(`"${part}"`, offset);
    if (found < 0) break;
    offset = found;
  }
  return parts.length === 0 ? 1 : lineColumn(text, offset).line;
}

/** Offset of the index-th element of the first array opening at or after `from`. */
function elementOffset(text: string, from: number, index: number): number {
  let i = text.indexOf('[', from);
  if (i < 0) return -1;
  let depth = 0;
  let count = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth === 2 && count === index) return i;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return -1;
    } else if (c === ',' && depth === 1) {
      count++;
    } else if (depth === 1 && count === index && !/\s/.test(c)) {
      return i;
    }
  }
  return -1;
}
