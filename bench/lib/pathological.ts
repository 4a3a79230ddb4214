/**
 * Hostile inputs for every import format: a small valid file per format in which every field holds a
 * long run of one kind of character (letters without a space, digits, punctuation, spaces, NULs).
 * Used by test/unit/parsers/linearity.test.ts (size ratios) and `npm run bench:pathological` (times).
 * Each template names the format it must be detected as; FIELD marks where the run goes.
 */
import type { FormatId } from '../../src/screening/record';

export const FIELD = '\u0001FIELD\u0001';

export interface PathologicalTemplate {
  format: FormatId;
  text: string;
}

const F = FIELD;

export const TEMPLATES: readonly PathologicalTemplate[] = [
  {
    format: 'ris',
    text: [`TY  - JOUR`, `TI  - Title ${F}`, `AU  - Smith, ${F}`, `AB  - Abstract ${F} end.`, `KW  - ${F}`, `PY  - 2020${F}`, `JO  - Journal ${F}`, `DO  - 10.1000/${F}`, `UR  - https://example.org/${F}`, `N1  - ${F}`, `ER  - `, ''].join('\r\n'),
  },
  {
    format: 'medline',
    text: [`PMID- 31234567`, `TI  - Title ${F}`, `AB  - Abstract ${F}`, `      continued ${F}`, `FAU - Smith, ${F}`, `AU  - Smith ${F}`, `DP  - 2020 ${F}`, `JT  - Journal ${F}`, `TA  - J ${F}`, `LID - 10.1000/x${F} [doi]`, `MH  - ${F}`, `SO  - ${F}`, ''].join('\n'),
  },
  {
    format: 'wos',
    text: ['FN Clarivate Analytics Web of Science', 'VR 1.0', 'PT J', `AU Smith, ${F}`, `   Doe, ${F}`, `TI Title ${F}`, `   continued ${F}`, `SO JOURNAL ${F}`, `DE ${F}; key`, `AB Abstract ${F}`, `PY 2019${F}`, `DI 10.1093/${F}`, `UT WOS:${F}`, 'ER', '', 'EF', ''].join('\n'),
  },
  {
    format: 'ovid',
    text: ['<1. >', 'VN  - Ovid Technologies', 'DB  - Journals@Ovid', `AN  - ${F}`, `AU  - Zhang, ${F}`, `TI  - Title ${F}  [Article]`, `SO  - Journal ${F} August 2011;43(8):647-653`, `AB  - Abstract ${F}`, `      continued ${F}`, `KW  - ${F};  key`, `DI  - 10.1093/${F}`, ''].join('\r\n'),
  },
  {
    format: 'refworks',
    text: ['RT Journal Article', 'SR Electronic(1)', `ID ${F}`, `A1 Smith,${F}`, `T1 Title ${F}`, `YR 2002${F}`, `K1 ${F}`, `AB Abstract ${F}`, `NO doi: 10.1086/${F}`, `JF Journal ${F}`, ''].join('\n'),
  },
  {
    format: 'endnote-tagged',
    text: ['%0 Journal Article', `%T Title ${F}`, `%A Guo, ${F}`, `%J Journal ${F}`, `%D 2021${F}`, `%R 10.25300/${F}`, `%K ${F}`, `%X Abstract ${F}`, `continued ${F}`, ''].join('\n'),
  },
  {
    format: 'bibtex',
    text: [`@article{key${F},`, `  title = {Title ${F}},`, `  author = {Smith, ${F} and Doe, Jane},`, `  journal = "Journal ${F}",`, `  year = {2020},`, `  abstract = {Abstract ${F}},`, `  doi = {10.1000/${F}},`, `  keywords = {${F}},`, `  note = {${F}},`, '}', ''].join('\n'),
  },
  {
    format: 'csl-json',
    text: `[{"id":"k${F}","type":"article-journal","title":"Title ${F}","author":[{"family":"Smith${F}","given":"J ${F}"}],"container-title":"Journal ${F}","issued":{"date-parts":[[2020]]},"abstract":"Abstract ${F}","DOI":"10.1000/${F}","keyword":"${F}"}]\n`,
  },
  {
    format: 'endnote-xml',
    text:
      '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records><record>\n<ref-type name="Journal Article">17</ref-type>\n' +
      `<contributors><authors><author><style face="normal">Smith, ${F}</style></author></authors></contributors>\n` +
      `<titles><title><style face="normal">Title ${F}</style></title><secondary-title>Journal ${F}</secondary-title></titles>\n` +
      `<dates><year>2019${F}</year></dates>\n<abstract>Abstract ${F}</abstract>\n<keywords><keyword>${F}</keyword></keywords>\n` +
      `<electronic-resource-num>10.1000/${F}</electronic-resource-num>\n</record></records></xml>\n`,
  },
  {
    format: 'pubmed-xml',
    text:
      '<?xml version="1.0" ?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">\n' +
      `<PMID Version="1">1${F}</PMID>\n<Article PubModel="Print"><Journal><JournalIssue><PubDate><Year>2021</Year></PubDate></JournalIssue><Title>Journal ${F}</Title></Journal>\n` +
      `<ArticleTitle>Title ${F}</ArticleTitle>\n<Abstract><AbstractText>Abstract ${F}</AbstractText></Abstract>\n` +
      `<AuthorList><Author><LastName>Smith${F}</LastName><ForeName>Anna ${F}</ForeName></Author></AuthorList>\n` +
      `<ELocationID EIdType="doi" ValidYN="Y">10.1000/${F}</ELocationID></Article>\n<KeywordList><Keyword>${F}</Keyword></KeywordList>\n` +
      '</MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n',
  },
  {
    format: 'csv',
    text: `Title,Authors,Year,Abstract,DOI,Source title,Author Keywords\n"Title ${F}","Smith, ${F}",2020${F},"Abstract ${F}","10.1000/${F}","Journal ${F}",${F}\n"Second title","Doe, J",2021,"Short.","10.1000/b","Journal",key\n`,
  },
  {
    format: 'proquest',
    text: [
      'Report Information from ProQuest',
      'December 01 2026 10:00',
      '____________________________________________________________',
      '',
      'Document 1 of 1',
      '',
      `Title ${F}`,
      '',
      `Author: Smith, ${F}`,
      `Publication title: Journal ${F}`,
      `Abstract: Abstract ${F}`,
      `Subject: ${F}`,
      `Publication year: 2020${F}`,
      `DOI: 10.1000/${F}`,
      `ProQuest document ID: 123${F}`,
      '____________________________________________________________',
      '',
    ].join('\n'),
  },
  {
    format: 'cord19',
    text: `key: cord-1-abc authors: Doe, ${F}; Roe, R title: Title ${F} date: 2020-05-01 DOI: 10.1000/${F} sha: abc${F} doc_id: 1 cord_uid: abc Abstract ${F}. Keywords: one, ${F} INTRODUCTION Body ${F}.\n`,
  },
  {
    format: 'plain-text',
    text: `A heading about care ${F}\n\nThe first paragraph of ordinary prose about health care and ${F} with some words.\n\n${F}\n\nAnother paragraph of prose, with words in a row.\n`,
  },
];

export type RunKind = 'letters' | 'digits' | 'punctuation' | 'spaces' | 'mixed' | 'nul';
export const RUN_KINDS: readonly RunKind[] = ['letters', 'digits', 'punctuation', 'spaces', 'mixed', 'nul'];

const UNITS: Record<RunKind, string> = {
  letters: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  // Spaces and tabs that are not at the end of the field: what trims backtrack over.
  spaces: ' \t ',
  // Short tokens of every class in turn: what alternations and nested repeats backtrack over.
  mixed: 'Ab1, x-2 (y) [z]. ',
  nul: '\0',
};

/** A run of `length` characters of one kind (ASCII: as many bytes); spaces end in a letter. */
export function run(kind: RunKind, length: number): string {
  const unit = UNITS[kind];
  const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return kind === 'spaces' ? `${text.slice(0, -1)}x` : text;
}

/** The template with every field holding the run; as UTF-8 bytes. */
export function pathologicalFile(template: PathologicalTemplate, kind: RunKind, length: number): Buffer {
  return Buffer.from(template.text.split(FIELD).join(run(kind, length)), 'utf8');
}

/** The template with short, ordinary field values: what it is detected as and reads. */
export function ordinaryFile(template: PathologicalTemplate): Buffer {
  return Buffer.from(template.text.split(FIELD).join('value'), 'utf8');
}

/** How many runs the template holds. */
export function fieldCount(template: PathologicalTemplate): number {
  return template.text.split(FIELD).length - 1;
}
