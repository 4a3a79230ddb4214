/**
 * Labelled duplicate data for bench:dedup, read from ../shared/corpus at run time:
 * - dedup/<set>/: bib-dedupe's benchmark sets (records_pre_merged.csv, merged_record_ids.csv);
 * - labeled/*.csv with a duplicate_record_id column;
 * - a generated set: real records from the whole corpus (kept only when no other record shares their
 *   identifiers or title opening, so they are distinct), each given 0–3 second exports made the way
 *   databases make them, plus notices (erratum, comment, reply) about some of them. The truth is
 *   known by construction: copies of one record are duplicates, everything else is distinct.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { importBytes } from '../../src/parsers/index';
import { normaliseDoi, normalisePmid, parseYear } from '../../src/parsers/normalise';
import { dedupFields } from '../../src/screening/dedup-fields';
import type { BibRecord, ParsedRecord } from '../../src/screening/record';
import { seededRandom } from './corpus-records';

export const CORPUS_DIR = resolve(process.env.SR_CORPUS_DIR ?? join(__dirname, '../../../shared/corpus'));

export interface LabelledSet {
  name: string;
  records: BibRecord[];
  /** Truth: the group number of each record (records alone in their group are distinct from all). */
  group: number[];
  note?: string;
}

function record(id: string, fields: Partial<ParsedRecord>, file: string, index: number): BibRecord {
  return {
    id,
    title: fields.title ?? '',
    authors: fields.authors ?? [],
    keywords: [],
    type: 'journal-article',
    provenance: { file, format: 'csv', line: index + 2, index },
    ...fields,
  } as BibRecord;
}

function readCsv(path: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** bib-dedupe's sets (CoLRev-Environment/bib-dedupe data/<set>). */
export function bibDedupeSets(): LabelledSet[] {
  const dir = join(CORPUS_DIR, 'dedup');
  if (!existsSync(dir)) return [];
  const sets: LabelledSet[] = [];
  for (const name of readdirSync(dir).sort()) {
    const recordsFile = join(dir, name, 'records_pre_merged.csv');
    const groupsFile = join(dir, name, 'merged_record_ids.csv');
    if (!existsSync(recordsFile) || !existsSync(groupsFile)) continue;
    const rows = readCsv(recordsFile);
    const records = rows.map((row, index) =>
      record(
        row.ID,
        {
          title: row.title ?? '',
          authors: (row.author ?? '').split(/\s+and\s+/).map((a) => a.trim()).filter(Boolean),
          year: parseYear(row.year),
          journal: row.journal || row.booktitle || undefined,
          volume: row.volume || undefined,
          issue: row.number || undefined,
          pages: row.pages || undefined,
          doi: normaliseDoi(row.doi),
          pmid: normalisePmid(row.pmid || undefined),
          abstract: row.abstract || undefined,
        },
        `${name}/records_pre_merged.csv`,
        index,
      ),
    );
    const byId = new Map(records.map((r, i) => [r.id, i]));
    const group = records.map((_, i) => i);
    for (const row of readCsv(groupsFile)) {
      const members = (row.merged_ids ?? '').split(';').map((id) => byId.get(id.trim())).filter((i): i is number => i !== undefined);
      for (const member of members) group[member] = members[0];
    }
    sets.push({ name: `bib-dedupe ${name}`, records, group });
  }
  return sets;
}

/** Labeled screening datasets that mark duplicates in a duplicate_record_id column. */
export function labeledDuplicateSets(): LabelledSet[] {
  const dir = join(CORPUS_DIR, 'labeled');
  if (!existsSync(dir)) return [];
  const sets: LabelledSet[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()) {
    const rows = readCsv(join(dir, name));
    if (rows.length === 0 || !('duplicate_record_id' in rows[0])) continue;
    const records = rows.map((row, index) =>
      record(
        `r${row.record_id}`,
        {
          title: row.title ?? '',
          authors: (row.authors ?? '').split(/;\s*/).filter(Boolean),
          year: parseYear(row.year),
          pmid: normalisePmid(row.pubmedID || undefined),
          abstract: row.abstract || undefined,
        },
        name,
        index,
      ),
    );
    const byId = new Map(records.map((r, i) => [r.id, i]));
    const group = records.map((_, i) => i);
    const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
    rows.forEach((row, i) => {
      const other = byId.get(`r${row.duplicate_record_id}`);
      if (row.duplicate_record_id && other !== undefined) group[find(i)] = find(other);
    });
    for (let i = 0; i < group.length; i++) group[i] = find(i);
    sets.push({ name: `labeled ${name.replace(/\.csv$/, '')}`, records, group });
  }
  return sets;
}

// ---------------------------------------------------------------------------------------------
// The generated set

/** Real records from every corpus file (exports through our importers, the labeled and dedup CSVs). */
function corpusRecords(): ParsedRecord[] {
  const out: ParsedRecord[] = [];
  const manifest = join(CORPUS_DIR, 'MANIFEST.tsv');
  if (existsSync(manifest)) {
    const lines = readFileSync(manifest, 'utf8').split('\n').slice(1).filter(Boolean);
    for (const line of lines) {
      const path = line.split('\t')[0];
      if (path.startsWith('labeled/')) continue;
      try {
        out.push(...importBytes(readFileSync(join(CORPUS_DIR, path)), path).records);
      } catch {
        // an unreadable file gives no records
      }
    }
  }
  for (const set of [...bibDedupeSets(), ...labeledDuplicateSets()]) {
    // One record of each true group: the others are its duplicates.
    set.records.forEach((r, i) => {
      if (set.group[i] === i) out.push(r);
    });
  }
  const labeled = join(CORPUS_DIR, 'labeled');
  if (existsSync(labeled)) {
    for (const name of readdirSync(labeled).filter((n) => n.endsWith('.csv') && !n.includes('Kitchenham')).sort()) {
      readCsv(join(labeled, name)).forEach((row, index) =>
        out.push(
          record(
            '',
            {
              title: row.title ?? '',
              authors: (row.authors ?? '').split(/;\s*/).filter(Boolean),
              year: parseYear(row.year),
              pmid: normalisePmid(row.pubmedID || undefined),
              abstract: row.abstract || undefined,
            },
            name,
            index,
          ),
        ),
      );
    }
  }
  return out;
}

/** Keeps records that share no DOI, PMID, or title opening with an earlier one, and have a title. */
function distinctRecords(records: readonly ParsedRecord[]): ParsedRecord[] {
  const seen = new Set<string>();
  const out: ParsedRecord[] = [];
  for (const r of records) {
    const f = dedupFields({ ...r, id: '' });
    if (f.titleKey.length < 20) continue;
    const keys = [`t${f.titleKey.slice(0, 30)}`, `e${f.titleKey.slice(-30)}`];
    // The same paper under two spellings of its title ("wood-pecker", "woodpecker"): same author, year, volume and page.
    if (f.families[0] && f.year && f.volume && f.firstPage) keys.push(`v${f.families[0]}|${f.year}|${f.volume}|${f.firstPage}`);
    if (f.doi) keys.push(`d${f.doi}`);
    if (f.pmid) keys.push(`p${f.pmid}`);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(r);
  }
  return out;
}

const ABBREVIATIONS: Record<string, string> = {
  journal: 'J', american: 'Am', international: 'Int', national: 'Natl', research: 'Res', clinical: 'Clin', medicine: 'Med', medical: 'Med',
  review: 'Rev', reviews: 'Rev', science: 'Sci', sciences: 'Sci', society: 'Soc', psychology: 'Psychol', psychiatry: 'Psychiatry', british: 'Br',
  european: 'Eur', annals: 'Ann', archives: 'Arch', proceedings: 'Proc', academy: 'Acad', health: 'Health', public: 'Public', nursing: 'Nurs',
  education: 'Educ', technology: 'Technol', information: 'Inf', management: 'Manag', engineering: 'Eng', software: 'Softw', computer: 'Comput',
  studies: 'Stud', quarterly: 'Q', association: 'Assoc', cancer: 'Cancer', pediatrics: 'Pediatr', surgery: 'Surg', oncology: 'Oncol',
};

/** ISO 4-like abbreviation: known words, stop words dropped, other long words cut. */
function abbreviateJournal(journal: string): string {
  return journal
    .replace(/\s*:.*$/, '')
    .replace(/\s*\([^)]*\)/g, '')
    .split(/[\s,]+/)
    .filter((w) => w && !/^(of|the|and|&|for|in|on)$/i.test(w))
    .map((w) => ABBREVIATIONS[w.toLowerCase()] ?? (w.length > 7 ? w.slice(0, 5) : w))
    .join(' ');
}

function authorForm(author: string, form: number): string {
  const comma = author.indexOf(',');
  const family = comma >= 0 ? author.slice(0, comma).trim() : author.split(/\s+/).slice(-1)[0];
  const given = comma >= 0 ? author.slice(comma + 1).trim() : author.split(/\s+/).slice(0, -1).join(' ');
  const initials = given
    .split(/[\s.-]+/)
    .filter(Boolean)
    .map((g) => g[0].toUpperCase())
    .join('');
  switch (form) {
    case 0: // MEDLINE: "Family GI"
      return initials ? `${family} ${initials}` : family;
    case 1: // "G. I. Family"
      return initials ? `${initials.split('').join('. ')}. ${family}` : family;
    case 2: // "FAMILY, G."
      return initials ? `${family.toUpperCase()}, ${initials.split('').join('. ')}.` : family.toUpperCase();
    default: // accents lost
      return author.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  }
}

function pageForm(pages: string, form: number): string {
  const m = /^\s*([a-z]*)(\d+)\s*[-–—]+\s*([a-z]*)(\d+)\s*$/i.exec(pages);
  if (!m) return pages;
  const [, p1, first, , last] = m;
  if (form === 0 && last.length === first.length) {
    // 221-226 -> 221-6
    let i = 0;
    while (i < first.length - 1 && first[i] === last[i]) i++;
    return `${p1}${first}-${last.slice(i)}`;
  }
  if (form === 1) return `${p1}${first}–${p1}${last}`;
  if (form === 2) return `${p1}${first} -- ${p1}${last}`;
  return `${p1}${first}`;
}

function titleForm(title: string, form: number, random: () => number): string {
  switch (form) {
    case 0:
      return title.toUpperCase();
    case 1:
      return title.replace(/\b([a-z])([a-z]{3,})/g, (_, a: string, b: string) => a.toUpperCase() + b);
    case 2:
      return title.endsWith('.') ? title.slice(0, -1) : `${title}.`;
    case 3: {
      // A word in italics, as HTML.
      const words = title.split(' ');
      const i = Math.floor(random() * words.length);
      words[i] = `<i>${words[i]}</i>`;
      return words.join(' ');
    }
    default:
      return title.replace(/:/g, ' -').replace(/-/g, ' ');
  }
}

function typo(text: string, random: () => number): string {
  const letters = [...text].map((c, i) => (/[a-z]/i.test(c) ? i : -1)).filter((i) => i > 0);
  if (letters.length === 0) return text;
  const at = letters[Math.floor(random() * letters.length)];
  const kind = random();
  if (kind < 0.33) return text.slice(0, at) + text.slice(at + 1);
  if (kind < 0.66) return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
  return text.slice(0, at) + 'e' + text.slice(at + 1);
}

/** A second export of `base` from another database: several of the changes databases make. */
function secondExport(base: ParsedRecord, random: () => number): ParsedRecord {
  const copy: ParsedRecord = { ...base, authors: [...base.authors] };
  const changes = ['authors', 'journal', 'doi', 'pages', 'title', 'typo', 'missing', 'pmid'].filter(() => random() < 0.45);
  for (const change of changes) {
    if (change === 'authors') {
      const form = Math.floor(random() * 4);
      copy.authors = copy.authors.map((a) => authorForm(a, form));
      if (random() < 0.15 && copy.authors.length > 3) copy.authors = copy.authors.slice(0, 3);
    } else if (change === 'journal' && copy.journal) copy.journal = abbreviateJournal(copy.journal);
    else if (change === 'doi') delete copy.doi;
    else if (change === 'pmid') delete copy.pmid;
    else if (change === 'pages' && copy.pages) copy.pages = pageForm(copy.pages, Math.floor(random() * 4));
    else if (change === 'title') copy.title = titleForm(copy.title, Math.floor(random() * 5), random);
    else if (change === 'typo') {
      // A typo in one field.
      const field = random();
      if (field < 0.6) copy.title = typo(copy.title, random);
      else if (field < 0.85 && copy.authors.length > 0) copy.authors[0] = typo(copy.authors[0], random);
      else if (copy.journal) copy.journal = typo(copy.journal, random);
    } else if (change === 'missing') {
      const field = random();
      if (field < 0.3) delete copy.issue;
      else if (field < 0.5) delete copy.volume;
      else if (field < 0.7) delete copy.abstract;
      else if (field < 0.85 && copy.year) copy.year += 1; // online first vs issue
      else delete copy.pages;
    }
  }
  return copy;
}

const NOTICES = ['Erratum: ', 'Correction to: ', 'Comment on: ', 'Reply to: ', 'Retraction note: '];

/** A notice about `base` (never its duplicate): its title prefixed, the same journal, another page. */
function notice(base: ParsedRecord, random: () => number): ParsedRecord {
  const prefix = NOTICES[Math.floor(random() * NOTICES.length)];
  const page = String(1 + Math.floor(random() * 2000));
  return { ...base, title: `${prefix}${base.title}`, pages: page, doi: undefined, pmid: undefined, abstract: undefined, authors: prefix.startsWith('Comment') ? ['Other, A'] : base.authors };
}

export function generatedSet(size = 50_000, seed = 16): LabelledSet {
  const random = seededRandom(seed);
  const base = distinctRecords(corpusRecords());
  const out: { record: ParsedRecord; group: number }[] = base.map((r, i) => ({ record: r, group: i }));
  let notices = 0;
  for (let i = 0; i < base.length && out.length < size; i++) {
    if (random() < 0.02) {
      out.push({ record: notice(base[i], random), group: base.length + notices });
      notices++;
    }
  }
  // Second exports until the set reaches its size: about half the records get one, some two or three.
  while (out.length < size) {
    const i = Math.floor(random() * base.length);
    out.push({ record: secondExport(base[i], random), group: i });
  }
  // Several databases' exports one after another: shuffle, as the order of records tells nothing.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  const records = out.map(({ record: r }, index) => ({ ...r, id: `g${index}`, provenance: { ...r.provenance, index } }) as BibRecord);
  // Group numbers as the index of the group's first record, like the other sets.
  const first = new Map<number, number>();
  const group = out.map(({ group: g }, index) => {
    const seen = first.get(g);
    if (seen === undefined) first.set(g, index);
    return seen ?? index;
  });
  return {
    name: `generated (${base.length} distinct corpus records, ${notices} notices, ${size - base.length - notices} second exports)`,
    records,
    group,
  };
}
