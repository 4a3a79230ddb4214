/**
 * The methods-section report: what a team writes in the methods and results of a systematic review,
 * from the review's files — sources with their dates and counts, duplicates removed, reviewers per
 * stage, records screened per reviewer, agreement, conflicts resolved and by whom, exclusion reasons,
 * the PRISMA 2020 diagram and a paragraph ready to adapt. Markdown (a CI job summary, a README) or a
 * standalone HTML page. Every string from the review is escaped.
 */
import type { GroupAgreement, PairAgreement } from '../agreement';
import { STAGES, type Decision, type Resolution, type Stage } from '../decision';
import type { FileSummary } from '../import-records';
import type { PrismaCounts } from '../prisma';
import { renderPrismaSvg } from '../prisma-svg';
import type { SourceConfig } from '../review-config';
import type { Conflict } from '../status';
import { escapeHtml, escapeMarkdown } from './neutralise';
import { STAGE_LABEL } from './outcome';

export interface ReportInput {
  title?: string;
  sources: readonly SourceConfig[];
  files: readonly FileSummary[];
  /** Modification date of each source file (ISO date), when known. */
  sourceDates: ReadonlyMap<string, string>;
  counts: PrismaCounts;
  /** Decisions by reviewer id. */
  decisions: ReadonlyMap<string, readonly Decision[]>;
  resolutions: readonly Resolution[];
  /** Every disagreement, resolved or not. */
  conflicts: readonly Conflict[];
  agreement: readonly PairAgreement[];
  groups: readonly GroupAgreement[];
  reviewerName(key: string): string;
  /** When the report was made (ISO), for the heading. */
  generated: string;
}

interface Table {
  head: string[];
  rows: (string | number)[][];
}

interface Section {
  title: string;
  text?: string;
  table?: Table;
}

const kappa = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));

function sections(input: ReportInput): Section[] {
  const out: Section[] = [];
  const identified = new Map(input.files.map((file) => [file.file.replace(/\\/g, '/'), file.records]));
  out.push({
    title: 'Sources',
    table: {
      head: ['Source', 'Category', 'File', 'File date', 'Records'],
      rows: input.sources.map((source) => [source.name ?? '', source.category, source.file, input.sourceDates.get(source.file) ?? '', identified.get(source.file) ?? 0]),
    },
  });
  const c = input.counts;
  const totalIdentified = [...identified.values()].reduce((sum, n) => sum + n, 0);
  out.push({ title: 'Duplicates', text: `${totalIdentified} records identified, ${c.duplicates + c.other_duplicates} duplicates removed, ${totalIdentified - c.duplicates - c.other_duplicates} unique records screened.` });

  const perStage: Record<Stage, Map<string, Record<string, number>>> = { 'title-abstract': new Map(), 'full-text': new Map() };
  for (const [reviewer, decisions] of input.decisions) {
    for (const decision of decisions) {
      const tally = perStage[decision.stage].get(reviewer) ?? {};
      tally[decision.verdict] = (tally[decision.verdict] ?? 0) + 1;
      perStage[decision.stage].set(reviewer, tally);
    }
  }
  const screenedRows: (string | number)[][] = [];
  for (const stage of STAGES) {
    for (const [reviewer, tally] of [...perStage[stage]].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const total = Object.values(tally).reduce((sum, n) => sum + n, 0);
      screenedRows.push([STAGE_LABEL[stage], reviewer, total, tally.include ?? 0, tally.exclude ?? 0, tally.maybe ?? 0, tally['not-retrieved'] ?? 0]);
    }
  }
  out.push({ title: 'Reviewers and records screened', table: { head: ['Stage', 'Reviewer', 'Screened', 'Include', 'Exclude', 'Maybe', 'Not retrieved'], rows: screenedRows } });

  out.push({
    title: 'Agreement',
    text:
      input.agreement.length === 0
        ? 'No two reviewers screened the same records.'
        : "Cohen's kappa with 95 % confidence interval (Fleiss, Cohen & Everitt 1969) over the records both reviewers decided. Maybe counted three ways: as its own category, as not included, and as include (as Covidence does).",
    table:
      input.agreement.length === 0
        ? undefined
        : {
            head: ['Stage', 'Reviewers', 'Records', 'Agreement', 'Kappa (all verdicts)', '95 % CI', 'Kappa (include vs not)', 'Kappa (maybe as include)'],
            rows: input.agreement.map((pair) => [
              STAGE_LABEL[pair.stage],
              pair.reviewers.join(' / '),
              pair.n,
              `${pair.verdicts.percentAgreement.toFixed(1)} %`,
              kappa(pair.verdicts.kappa),
              pair.verdicts.ci95 ? `${pair.verdicts.ci95[0].toFixed(2)} to ${pair.verdicts.ci95[1].toFixed(2)}` : 'n/a',
              kappa(pair.includeVsNot.kappa),
              kappa(pair.maybeAsInclude.kappa),
            ]),
          },
  });
  for (const group of input.groups) {
    out.push({ title: `Fleiss' kappa, ${STAGE_LABEL[group.stage]}`, text: `${group.reviewers.length} reviewers, ${group.verdicts.n} records all decided: kappa ${kappa(group.verdicts.kappa)} (all verdicts), ${kappa(group.includeVsNot.kappa)} (include vs not).` });
  }

  const resolvedBy = new Map<string, number>();
  let resolved = 0;
  for (const conflict of input.conflicts) {
    if (!conflict.resolution) continue;
    resolved++;
    const by = input.reviewerName(conflict.resolution.by);
    resolvedBy.set(by, (resolvedBy.get(by) ?? 0) + 1);
  }
  const open = input.conflicts.length - resolved;
  out.push({
    title: 'Conflicts',
    text: `${input.conflicts.length} disagreements, ${resolved} resolved${resolved > 0 ? ` (${[...resolvedBy].map(([by, n]) => `${n} by ${by}`).join(', ')})` : ''}, ${open} open.`,
  });

  const reasons = [...c.dbr_excluded, ...c.other_excluded];
  out.push({ title: 'Reports excluded at full text, by reason', table: { head: ['Reason', 'Reports'], rows: reasons.map((reason) => [reason.name, reason.n]) } });
  return out;
}

/** The ready paragraph for the methods section. */
export function methodsParagraph(input: ReportInput): string {
  const c = input.counts;
  const databases = input.sources.filter((source) => source.category === 'database').map((source) => source.name ?? source.file);
  const reviewersAt = (stage: Stage) => [...input.decisions].filter(([, decisions]) => decisions.some((decision) => decision.stage === stage)).length;
  const identified = input.files.reduce((sum, file) => sum + file.records, 0);
  const pair = input.agreement.find((candidate) => candidate.stage === 'title-abstract');
  const parts = [
    `We searched ${databases.length > 0 ? databases.join(', ') : 'the sources listed'} and identified ${identified} records; after removing ${c.duplicates + c.other_duplicates} duplicates, ${c.records_screened + c.other_records_screened} records were screened on title and abstract`,
    `by ${reviewersAt('title-abstract')} reviewer(s)${pair ? `, independently in pairs (Cohen's kappa ${kappa(pair.verdicts.kappa)}${pair.verdicts.ci95 ? `, 95 % CI ${pair.verdicts.ci95[0].toFixed(2)} to ${pair.verdicts.ci95[1].toFixed(2)}` : ''}; ${pair.verdicts.percentAgreement.toFixed(1)} % agreement)` : ''}.`,
  ];
  const resolved = input.conflicts.filter((conflict) => conflict.resolution).length;
  if (input.conflicts.length > 0) parts.push(`Disagreements (${input.conflicts.length}) were resolved by discussion or a third reviewer (${resolved} resolved).`);
  parts.push(
    `${c.records_excluded + c.other_records_excluded} records were excluded at title/abstract; ${c.dbr_sought_reports + c.other_sought_reports} reports were sought, ${c.dbr_notretrieved_reports + c.other_notretrieved_reports} could not be retrieved, ${c.dbr_assessed + c.other_assessed} were assessed in full text (by ${reviewersAt('full-text')} reviewer(s)), and ${c.total_studies} studies were included.`,
  );
  if (c.pending.total > 0) parts.push(`(${c.pending.total} records are still pending: these figures are not final.)`);
  return parts.join(' ');
}

export function reportMarkdown(input: ReportInput): string {
  const lines = [`# Screening report${input.title ? `: ${escapeMarkdown(input.title)}` : ''}`, '', `Generated ${escapeMarkdown(input.generated)} by sr-screening.`, ''];
  lines.push('## Methods paragraph', '', escapeMarkdown(methodsParagraph(input)), '');
  for (const section of sections(input)) {
    lines.push(`## ${escapeMarkdown(section.title)}`, '');
    if (section.text) lines.push(escapeMarkdown(section.text), '');
    if (section.table && section.table.rows.length > 0) {
      lines.push(`| ${section.table.head.map(escapeMarkdown).join(' | ')} |`, `| ${section.table.head.map(() => '---').join(' | ')} |`);
      for (const row of section.table.rows) lines.push(`| ${row.map((cell) => escapeMarkdown(String(cell))).join(' | ')} |`);
      lines.push('');
    }
  }
  // The diagram as an image GitHub renders in a job summary: a data URI of the SVG (its text is escaped there).
  const svg = renderPrismaSvg(input.counts, { reviewTitle: input.title });
  lines.push('## PRISMA 2020 flow diagram', '', `![PRISMA 2020 flow diagram](data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')})`, '');
  return `${lines.join('\n')}\n`;
}

export function reportHtml(input: ReportInput): string {
  const body: string[] = [`<h1>Screening report${input.title ? `: ${escapeHtml(input.title)}` : ''}</h1>`, `<p>Generated ${escapeHtml(input.generated)} by sr-screening.</p>`];
  body.push('<h2>Methods paragraph</h2>', `<p>${escapeHtml(methodsParagraph(input))}</p>`);
  for (const section of sections(input)) {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.text) body.push(`<p>${escapeHtml(section.text)}</p>`);
    if (section.table && section.table.rows.length > 0) {
      body.push(
        `<table><thead><tr>${section.table.head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>`,
        ...section.table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join('')}</tr>`),
        '</tbody></table>',
      );
    }
  }
  // The SVG inline: renderPrismaSvg escapes every text it draws.
  body.push('<h2>PRISMA 2020 flow diagram</h2>', renderPrismaSvg(input.counts, { reviewTitle: input.title }));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Screening report</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}svg{max-width:100%;height:auto}</style>
</head><body>
${body.join('\n')}
</body></html>
`;
}

/** What the report reads from a Review (Review satisfies it). */
export interface ReportReview {
  config: { title?: string; sources: SourceConfig[] };
  files: FileSummary[];
  counts(): PrismaCounts;
  reviewers(): string[];
  reviewerName(key: string): string;
  decisions(key: string): Decision[];
  resolutions(): Resolution[];
  conflicts(options: { includeResolved: boolean }): Conflict[];
  agreement(): PairAgreement[];
  groupAgreement(): GroupAgreement[];
}

export function reportInput(review: ReportReview, sourceDates: ReadonlyMap<string, string>, now: Date = new Date()): ReportInput {
  const decisions = new Map<string, Decision[]>();
  for (const key of review.reviewers()) {
    const list = review.decisions(key);
    if (list.length > 0) decisions.set(review.reviewerName(key), list);
  }
  return {
    title: review.config.title,
    sources: review.config.sources,
    files: review.files,
    sourceDates,
    counts: review.counts(),
    decisions,
    resolutions: review.resolutions(),
    conflicts: review.conflicts({ includeResolved: true }),
    agreement: review.agreement(),
    groups: review.groupAgreement(),
    reviewerName: (key) => review.reviewerName(key),
    generated: now.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}
