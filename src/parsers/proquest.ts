/**
 * ProQuest "Report Information from ProQuest" text exports: a table of contents, then one
 * "Document N of M" block per record (title line, then "Field: value" lines), blocks separated by
 * lines of underscores. Some exports append a BibTeX rendering of the same documents, which is
 * ignored so records are not counted twice.
 */
import type { ImportProblem, ParsedRecord } from '../screening/record';
import { cleanText, mapRecordType, normaliseAuthor, normaliseDoi, parseYear, splitKeywords } from './normalise';
import type { Importer, ParseResult } from './types';

const DOCUMENT_HEADER = /^Document (\d+) of (\d+)\s*$/;
const SEPARATOR = /^_{20,}\s*$/;
const FIELD = /^([A-Z][A-Za-z/ ]{1,40}?): (.*)$/;

/** The field names ProQuest writes; a "Word: …" line that is not one of them is text, not a field. */
const KNOWN_FIELDS = new Set([
  'Abstract', 'Advisor', 'Author', 'Classification', 'Committee member', 'Copyright', 'Country of publication',
  'Database', 'Degree', 'Degree date', 'Department', 'Dissertation/thesis number', 'Document type', 'DOI', 'ISBN',
  'ISSN', 'Identifier / keyword', 'Issue', 'Language', 'Links', 'Number of pages', 'Pages', 'Place of publication',
  'ProQuest document ID', 'Publication date', 'Publication title', 'Publication year', 'Publisher', 'School code',
  'Source', 'Source type', 'Subject', 'Title', 'University location', 'University/institution', 'Volume',
  'Document URL', 'First page', 'Last updated', 'Subject heading', 'Keywords', 'MeSH subject', 'Section',
]);

export const proquestImporter: Importer = {
  format: 'proquest',
  label: 'ProQuest text',
  sniff(text) {
    const head = text.slice(0, 20_000);
    if (/Report Information from ProQuest/.test(head) && /^Document \d+ of \d+\s*$/m.test(text.slice(0, 200_000))) return 0.95;
    if (/^Document 1 of \d+\s*$/m.test(head) && /^ProQuest document ID: /m.test(text.slice(0, 200_000))) return 0.9;
    return 0;
  },
  parse(text, file): ParseResult {
    const lines = text.split(/\r\n|\r|\n/);
    const records: ParsedRecord[] = [];
    const problems: ImportProblem[] = [];
    let i = 0;
    while (i < lines.length) {
      const header = DOCUMENT_HEADER.exec(lines[i]);
      if (!header) {
        i++;
        continue;
      }
      const startLine = i + 1;
      const fields = new Map<string, string[]>();
      let heading: string | undefined;
      let current: string | undefined;
      let documentUrl: string | undefined;
      for (i++; i < lines.length && !SEPARATOR.test(lines[i]) && !DOCUMENT_HEADER.test(lines[i]); i++) {
        const line = lines[i];
        if (line.startsWith('@')) {
          // An appended BibTeX rendering of the documents: not new records.
          while (i + 1 < lines.length && !SEPARATOR.test(lines[i + 1])) i++;
          break;
        }
        if (!line.trim()) continue;
        const field = FIELD.exec(line);
        if (field && KNOWN_FIELDS.has(field[1])) {
          current = field[1];
          fields.set(current, [...(fields.get(current) ?? []), field[2]]);
        } else if (heading === undefined && current === undefined) {
          heading = line.trim();
        } else if (/^https?:\/\/\S+$/.test(line.trim()) && current !== 'Links') {
          // The document's own link stands unlabelled after the author line.
          documentUrl ??= line.trim();
        } else if (current) {
          const values = fields.get(current)!;
          values[values.length - 1] += `\n${line}`;
        }
      }
      const get = (name: string) => cleanText(fields.get(name)?.[0]);
      const title = get('Title') ?? cleanText(heading) ?? '';
      if (!title) problems.push({ file, line: startLine, severity: 'warning', message: `Document ${header[1]} has no title.` });
      const metadata: Record<string, string> = {};
      for (const name of ['ProQuest document ID', 'Database', 'Degree', 'University/institution', 'ISBN', 'Subject', 'Language', 'Advisor']) {
        const value = get(name);
        if (value) metadata[name] = value;
      }
      const authors = (fields.get('Author') ?? []).flatMap((value) => value.split(/;\s*/)).map(normaliseAuthor).filter(Boolean);
      records.push({
        title,
        authors,
        year: parseYear(get('Publication year') ?? get('Degree date') ?? get('Publication date')),
        journal: get('Publication title') ?? get('Database'),
        volume: get('Volume'),
        issue: get('Issue'),
        pages: get('Pages'),
        doi: normaliseDoi(get('DOI')),
        abstract: get('Abstract'),
        keywords: splitKeywords(fields.get('Identifier / keyword')?.[0] ?? fields.get('Keywords')?.[0]).flatMap((k) => k.split(/,\s*/)),
        url: documentUrl ?? get('Document URL'),
        type: /dissertation|thesis/i.test(get('Document type') ?? '') ? 'thesis' : mapRecordType(get('Source type') ?? get('Document type')),
        metadata,
        provenance: { file, format: 'proquest', line: startLine, index: records.length },
      });
    }
    if (records.length === 0) problems.push({ file, line: 0, severity: 'error', message: 'No "Document N of M" blocks found in this ProQuest export.' });
    return { records, problems };
  },
};
