/**
 * CSV export through papaparse: one row per record with the bibliographic columns our CSV importer
 * (and Excel, R, pandas) read by name, then the screening columns. Cells a spreadsheet would run as
 * a formula are neutralised with a leading apostrophe.
 */
import Papa from 'papaparse';
import { STAGES } from '../decision';
import { AUTHOR_SEPARATORS, exportAuthor, joinList } from './fields';
import { neutraliseCsvCell } from './neutralise';
import { STAGE_LABEL, type ExportItem, type ScreeningOutcome } from './outcome';

const RECORD_COLUMNS = ['id', 'title', 'authors', 'year', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', 'url', 'abstract', 'keywords', 'type'] as const;
const SCREENING_COLUMNS = [
  'screening_status',
  'screening_stage',
  'screening_reason',
  'title_abstract_decisions',
  'title_abstract_resolution',
  'full_text_decisions',
  'full_text_resolution',
  'screening_notes',
] as const;

export function csv(items: readonly ExportItem[]): string {
  const withScreening = items.some((item) => item.screening);
  const header: string[] = [...RECORD_COLUMNS, ...(withScreening ? SCREENING_COLUMNS : [])];
  const rows = items.map(({ record, screening }) => {
    const row = [
      record.id,
      record.title,
      joinList(record.authors.map(exportAuthor), AUTHOR_SEPARATORS),
      record.year === undefined ? '' : String(record.year),
      record.journal ?? '',
      record.volume ?? '',
      record.issue ?? '',
      record.pages ?? '',
      record.doi ?? '',
      record.pmid ?? '',
      record.url ?? '',
      record.abstract ?? '',
      joinList(record.keywords),
      record.type,
    ];
    if (withScreening) row.push(...screeningCells(screening));
    return row.map(neutraliseCsvCell);
  });
  return `${Papa.unparse({ fields: header, data: rows }, { newline: '\r\n', quotes: false })}\r\n`;
}

function screeningCells(screening: ScreeningOutcome | undefined): string[] {
  if (!screening) return SCREENING_COLUMNS.map(() => '');
  const stageCells = STAGES.flatMap((stage) => {
    const summary = screening.stages.find((candidate) => candidate.stage === stage);
    if (!summary) return ['', ''];
    const decisions = summary.decisions.map((d) => `${d.reviewer}: ${d.verdict}${d.reason ? ` (${d.reason})` : ''}`).join('; ');
    const resolution = summary.resolution ? `${summary.resolution.reviewer}: ${summary.resolution.verdict}${summary.resolution.reason ? ` (${summary.resolution.reason})` : ''}` : '';
    return [decisions, resolution];
  });
  const notes = screening.stages.flatMap((stage) =>
    [...stage.decisions, ...(stage.resolution ? [stage.resolution] : [])]
      .filter((d) => d.note && d.note.trim())
      .map((d) => `${d.reviewer} (${STAGE_LABEL[stage.stage]}): ${d.note!.trim()}`),
  );
  return [screening.final, screening.finalStage ?? '', screening.reason ?? '', ...stageCells, notes.join('\n')];
}
