/**
 * RIS export, written directly: the format is one "TAG  - value" per line, and which tag carries
 * what is the point (no library maps our fields, the PMID or the screening notes better).
 * Reference managers show N1 as the note: the screening outcome goes there, one N1 per line.
 */
import type { RecordType } from '../record';
import { exportAuthor } from './fields';
import { outcomeLines, type ExportItem } from './outcome';

const RIS_TYPE: Record<RecordType, string> = {
  'journal-article': 'JOUR',
  book: 'BOOK',
  'book-chapter': 'CHAP',
  'conference-paper': 'CPAPER',
  thesis: 'THES',
  report: 'RPRT',
  preprint: 'UNPB',
  dataset: 'DATA',
  'web-page': 'ELEC',
  'grey-literature': 'GEN',
  other: 'GEN',
};

/** A value on one line (RIS has no line breaks inside a value). */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

export function ris(items: readonly ExportItem[]): string {
  const lines: string[] = [];
  const tag = (name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const text = oneLine(String(value));
    if (text) lines.push(`${name.padEnd(2)}  - ${text}`);
  };
  for (const { record, screening } of items) {
    tag('TY', RIS_TYPE[record.type] ?? 'GEN');
    tag('ID', record.id);
    tag('TI', record.title);
    for (const author of record.authors) tag('AU', exportAuthor(author));
    tag('PY', record.year);
    tag('T2', record.journal);
    tag('VL', record.volume);
    tag('IS', record.issue);
    tag('SP', record.pages);
    tag('DO', record.doi);
    if (record.pmid) {
      // PubMed's own RIS puts the PMID in AN with DB PubMed; Zotero and EndNote read it there.
      tag('AN', record.pmid);
      tag('DB', 'PubMed');
    }
    tag('UR', record.url);
    tag('AB', record.abstract);
    for (const keyword of record.keywords) tag('KW', keyword);
    if (screening) for (const line of outcomeLines(screening)) tag('N1', line);
    lines.push('ER  - ', '');
  }
  return lines.join('\r\n');
}
