/**
 * The decisions table: one row per record and stage that anyone decided (or that is resolved), with
 * each reviewer's verdict, reason, note and time, the resolution and the record's final status. For
 * archiving who decided what, and for agreement analyses in R or a spreadsheet.
 */
import Papa from 'papaparse';
import { STAGES } from '../decision';
import type { BibRecord } from '../record';
import { neutraliseCsvCell } from './neutralise';
import { screeningOutcome, type OutcomeSource } from './outcome';

export interface DecisionsTableRow {
  record: string;
  title: string;
  stage: string;
  /** By reviewer id (as written in their file). */
  decisions: Record<string, { verdict: string; reason: string | null; note: string | null; time: string }>;
  resolution: { by: string; verdict: string; reason: string | null; note: string | null; time: string } | null;
  stageStatus: string;
  finalStatus: string;
}

export interface DecisionsTableSource extends OutcomeSource {
  records: readonly BibRecord[];
}

export function decisionsTable(review: DecisionsTableSource): DecisionsTableRow[] {
  const rows: DecisionsTableRow[] = [];
  for (const record of review.records) {
    const outcome = screeningOutcome(review, record.id);
    for (const stage of STAGES) {
      const summary = outcome.stages.find((candidate) => candidate.stage === stage);
      if (!summary || (summary.decisions.length === 0 && !summary.resolution)) continue;
      const decisions: DecisionsTableRow['decisions'] = {};
      for (const decision of summary.decisions) decisions[decision.reviewer] = { verdict: decision.verdict, reason: decision.reason, note: decision.note, time: decision.time };
      const resolution = summary.resolution
        ? { by: summary.resolution.reviewer, verdict: summary.resolution.verdict, reason: summary.resolution.reason, note: summary.resolution.note, time: summary.resolution.time }
        : null;
      rows.push({ record: record.id, title: record.title, stage, decisions, resolution, stageStatus: summary.state, finalStatus: outcome.final });
    }
  }
  return rows;
}

/** Wide CSV: fixed columns, then verdict/reason/note/time per reviewer (in name order), then the resolution. */
export function decisionsCsv(rows: readonly DecisionsTableRow[]): string {
  const reviewers = [...new Set(rows.flatMap((row) => Object.keys(row.decisions)))].sort();
  const header = ['record', 'title', 'stage'];
  for (const reviewer of reviewers) header.push(`${reviewer} verdict`, `${reviewer} reason`, `${reviewer} note`, `${reviewer} time`);
  header.push('resolution verdict', 'resolution reason', 'resolution note', 'resolved by', 'resolution time', 'stage status', 'final status');
  const data = rows.map((row) => {
    const cells = [row.record, row.title, row.stage];
    for (const reviewer of reviewers) {
      const decision = row.decisions[reviewer];
      cells.push(decision?.verdict ?? '', decision?.reason ?? '', decision?.note ?? '', decision?.time ?? '');
    }
    const resolution = row.resolution;
    cells.push(resolution?.verdict ?? '', resolution?.reason ?? '', resolution?.note ?? '', resolution?.by ?? '', resolution?.time ?? '', row.stageStatus, row.finalStatus);
    return cells.map(neutraliseCsvCell);
  });
  return `${Papa.unparse({ fields: header.map(neutraliseCsvCell), data }, { newline: '\r\n' })}\r\n`;
}
