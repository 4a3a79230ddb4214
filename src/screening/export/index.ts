/**
 * Exporting a review's records with their screening outcome: which records (by stage and status),
 * and in which format. Pure: the CLI and the extension write the text where the user asked.
 */
import type { Stage } from '../decision';
import type { BibRecord } from '../record';
import type { RecordStatus, StageStatus } from '../status';
import { bibtex } from './bibtex';
import { cslJson } from './csl';
import { csv } from './csv';
import { endnoteXml } from './endnote-xml';
import { screeningOutcome, type ExportItem, type OutcomeSource } from './outcome';
import { ris } from './ris';

export type RecordExportFormat = 'ris' | 'bibtex' | 'csv' | 'csl-json' | 'endnote-xml';
export const RECORD_EXPORT_FORMATS: readonly RecordExportFormat[] = ['ris', 'bibtex', 'csv', 'csl-json', 'endnote-xml'];

export const FORMAT_EXTENSION: Record<RecordExportFormat, string> = {
  ris: 'ris',
  bibtex: 'bib',
  csv: 'csv',
  'csl-json': 'json',
  'endnote-xml': 'xml',
};

export type ExportStatus = 'included' | 'excluded' | 'maybe' | 'pending' | 'conflict' | 'all';
export const EXPORT_STATUSES: readonly ExportStatus[] = ['included', 'excluded', 'maybe', 'pending', 'conflict', 'all'];

export interface ExportSelection {
  /** Judge the status at this stage; without it, by the record's final outcome. */
  stage?: Stage;
  status: ExportStatus;
}

const WRITERS: Record<RecordExportFormat, (items: readonly ExportItem[]) => string> = {
  ris,
  bibtex,
  csv,
  'csl-json': cslJson,
  'endnote-xml': endnoteXml,
};

export function formatRecords(items: readonly ExportItem[], format: RecordExportFormat): string {
  return WRITERS[format](items);
}

/**
 * Whether a record's status matches the selection. Without a stage: included/excluded by the final
 * outcome (excluded takes not-retrieved reports too), pending while any stage is open, maybe and
 * conflict at any stage. With a stage: that stage's state (records that never reached it are left out).
 */
export function matchesSelection(status: RecordStatus, selection: ExportSelection): boolean {
  if (selection.stage) {
    const stage: StageStatus = selection.stage === 'title-abstract' ? status.titleAbstract : status.fullText;
    if (stage.state === 'not-applicable') return false;
    switch (selection.status) {
      case 'all':
        return true;
      case 'included':
        return stage.state === 'included';
      case 'excluded':
        return stage.state === 'excluded' || stage.state === 'not-retrieved';
      case 'maybe':
        return stage.state === 'maybe';
      case 'conflict':
        return stage.state === 'conflict';
      case 'pending':
        return stage.state === 'undecided' || stage.state === 'awaiting' || stage.state === 'conflict' || stage.state === 'maybe';
    }
  }
  const stages = [status.titleAbstract, status.fullText];
  switch (selection.status) {
    case 'all':
      return true;
    case 'included':
      return status.final === 'included';
    case 'excluded':
      return status.final === 'excluded' || status.final === 'not-retrieved';
    case 'pending':
      return status.final === 'pending';
    case 'maybe':
      return stages.some((stage) => stage.state === 'maybe');
    case 'conflict':
      return stages.some((stage) => stage.state === 'conflict');
  }
}

export interface ExportableReview extends OutcomeSource {
  records: readonly BibRecord[];
}

/** The review's unique records (duplicates are removed records) that match, each with its outcome. */
export function selectForExport(review: ExportableReview, selection: ExportSelection): ExportItem[] {
  const items: ExportItem[] = [];
  for (const record of review.records) {
    if (!matchesSelection(review.status(record.id), selection)) continue;
    items.push({ record, screening: screeningOutcome(review, record.id) });
  }
  return items;
}

export type { ExportItem, ScreeningOutcome } from './outcome';
