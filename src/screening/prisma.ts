/**
 * PRISMA 2020 flow counts, named as in the PRISMA2020 R package (Haddaway et al. 2022,
 * Campbell Systematic Reviews 18:e1230), from the sources, the duplicates and the final decisions.
 *
 * Databases and registers ("dbr"):
 *   database_results + register_results = records identified (duplicates included)
 *   records_screened = identified − duplicates − excluded_automatic − excluded_other
 *   dbr_sought_reports = records_screened − records_excluded − pending.screening
 *   dbr_assessed = dbr_sought_reports − dbr_notretrieved_reports − pending.assessment
 *   dbr_included = dbr_assessed − dbr_excluded (total)
 * Other methods (websites, organisations, citation searching): the tool screens these records at
 * title/abstract too, which the PRISMA diagram has no box for; the counts beyond the template
 * (other_duplicates, other_records_screened, other_records_excluded) keep the same invariants:
 *   other_sought_reports = other identified − other_duplicates − other_records_excluded − pending.other_screening
 *   other_assessed = other_sought_reports − other_notretrieved_reports − pending.other_assessment
 *   other_included = other_assessed − other_excluded (total)
 * new_studies = new_reports = dbr_included + other_included (one report per study: reports are not
 * linked to studies yet); total_* = new_* (no previous version of the review).
 * Records still pending (undecided, awaiting a second reviewer, in conflict, or agreed "maybe")
 * are reported under `pending`, never counted as screened out or included.
 * excluded_automatic and excluded_other are 0: nothing is removed without a decision.
 * A duplicate belongs to the branch of the source it was found in.
 */
import { branchOf, type SourceCategory } from './review-config';
import { PENDING_STATES, type StageState } from './status';

export interface NamedCount {
  name: string;
  n: number;
}

export interface PrismaCounts {
  previous_studies: number;
  previous_reports: number;
  database_results: number;
  database_specific_results: NamedCount[];
  register_results: number;
  register_specific_results: NamedCount[];
  website_results: number;
  organisation_results: number;
  citations_results: number;
  duplicates: number;
  excluded_automatic: number;
  excluded_other: number;
  records_screened: number;
  records_excluded: number;
  dbr_sought_reports: number;
  dbr_notretrieved_reports: number;
  dbr_assessed: number;
  /** Reasons with counts, most frequent first. */
  dbr_excluded: NamedCount[];
  other_sought_reports: number;
  other_notretrieved_reports: number;
  other_assessed: number;
  other_excluded: NamedCount[];
  new_studies: number;
  new_reports: number;
  total_studies: number;
  total_reports: number;
  /** Beyond the PRISMA2020 template (see the module comment). */
  dbr_included: number;
  other_duplicates: number;
  other_records_screened: number;
  other_records_excluded: number;
  other_included: number;
  pending: {
    /** dbr records without a title/abstract verdict. */
    screening: number;
    /** dbr reports sought but without a full-text verdict. */
    assessment: number;
    other_screening: number;
    other_assessment: number;
    total: number;
  };
}

export interface PrismaSource {
  file: string;
  category: SourceCategory;
  name?: string;
  /** Records read from this file, duplicates included. */
  identified: number;
}

export interface PrismaInput {
  sources: readonly PrismaSource[];
  /** Unique records: id and source file. */
  records: Iterable<{ id: string; file: string }>;
  /** Source file of each duplicate. */
  duplicates: Iterable<{ file: string }>;
  status(recordId: string): PrismaRecordStatus;
}

/** What the counts need of a record's status (a RecordStatus will do). */
export interface PrismaRecordStatus {
  titleAbstract: { state: StageState };
  fullText: { state: StageState; reason?: string | null };
}

export const NO_REASON = 'No reason given';

export function computePrisma(input: PrismaInput): PrismaCounts {
  const sourceByFile = new Map(input.sources.map((source) => [source.file, source]));
  const categoryOf = (file: string): SourceCategory => sourceByFile.get(file)?.category ?? 'database';
  const counts: PrismaCounts = {
    previous_studies: 0,
    previous_reports: 0,
    database_results: 0,
    database_specific_results: [],
    register_results: 0,
    register_specific_results: [],
    website_results: 0,
    organisation_results: 0,
    citations_results: 0,
    duplicates: 0,
    excluded_automatic: 0,
    excluded_other: 0,
    records_screened: 0,
    records_excluded: 0,
    dbr_sought_reports: 0,
    dbr_notretrieved_reports: 0,
    dbr_assessed: 0,
    dbr_excluded: [],
    other_sought_reports: 0,
    other_notretrieved_reports: 0,
    other_assessed: 0,
    other_excluded: [],
    new_studies: 0,
    new_reports: 0,
    total_studies: 0,
    total_reports: 0,
    dbr_included: 0,
    other_duplicates: 0,
    other_records_screened: 0,
    other_records_excluded: 0,
    other_included: 0,
    pending: { screening: 0, assessment: 0, other_screening: 0, other_assessment: 0, total: 0 },
  };
  const databases = new Map<string, number>();
  const registers = new Map<string, number>();
  for (const source of input.sources) {
    switch (source.category) {
      case 'database':
        counts.database_results += source.identified;
        addTo(databases, source.name ?? source.file, source.identified);
        break;
      case 'register':
        counts.register_results += source.identified;
        addTo(registers, source.name ?? source.file, source.identified);
        break;
      case 'website':
        counts.website_results += source.identified;
        break;
      case 'organisation':
        counts.organisation_results += source.identified;
        break;
      case 'citation-searching':
        counts.citations_results += source.identified;
        break;
    }
  }
  counts.database_specific_results = named(databases, false);
  counts.register_specific_results = named(registers, false);

  for (const duplicate of input.duplicates) {
    if (branchOf(categoryOf(duplicate.file)) === 'databases-registers') counts.duplicates++;
    else counts.other_duplicates++;
  }

  const dbrExcluded = new Map<string, number>();
  const otherExcluded = new Map<string, number>();
  for (const record of input.records) {
    const dbr = branchOf(categoryOf(record.file)) === 'databases-registers';
    const status = input.status(record.id);
    if (dbr) counts.records_screened++;
    else counts.other_records_screened++;
    const ta = status.titleAbstract.state;
    if (ta === 'excluded') {
      if (dbr) counts.records_excluded++;
      else counts.other_records_excluded++;
      continue;
    }
    if (ta !== 'included') {
      if (dbr) counts.pending.screening++;
      else counts.pending.other_screening++;
      continue;
    }
    if (dbr) counts.dbr_sought_reports++;
    else counts.other_sought_reports++;
    const ft = status.fullText;
    if (ft.state === 'not-retrieved') {
      if (dbr) counts.dbr_notretrieved_reports++;
      else counts.other_notretrieved_reports++;
    } else if (PENDING_STATES.has(ft.state)) {
      if (dbr) counts.pending.assessment++;
      else counts.pending.other_assessment++;
    } else {
      if (dbr) counts.dbr_assessed++;
      else counts.other_assessed++;
      if (ft.state === 'excluded') {
        addTo(dbr ? dbrExcluded : otherExcluded, ft.reason?.trim() || NO_REASON, 1);
      } else if (dbr) {
        counts.dbr_included++;
      } else {
        counts.other_included++;
      }
    }
  }
  counts.dbr_excluded = named(dbrExcluded, true);
  counts.other_excluded = named(otherExcluded, true);
  counts.new_studies = counts.dbr_included + counts.other_included;
  counts.new_reports = counts.new_studies;
  counts.total_studies = counts.new_studies + counts.previous_studies;
  counts.total_reports = counts.new_reports + counts.previous_reports;
  const pending = counts.pending;
  pending.total = pending.screening + pending.assessment + pending.other_screening + pending.other_assessment;
  return counts;
}

function addTo(map: Map<string, number>, name: string, n: number): void {
  map.set(name, (map.get(name) ?? 0) + n);
}

function named(map: Map<string, number>, byCount: boolean): NamedCount[] {
  const list = [...map].map(([name, n]) => ({ name, n }));
  if (byCount) list.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}

export function total(list: readonly NamedCount[]): number {
  return list.reduce((sum, item) => sum + item.n, 0);
}

/** "Reason, n; Reason, n" as the PRISMA2020 template writes lists. */
export function namedList(list: readonly NamedCount[]): string {
  return list.map((item) => `${item.name.replace(/[;,]/g, ' ')}, ${item.n}`).join('; ');
}

export interface InvariantCheck {
  name: string;
  holds: boolean;
  expected: number;
  actual: number;
}

/** The flow's arithmetic, with pending records as their own term (zero once screening is done). */
export function checkInvariants(c: PrismaCounts): InvariantCheck[] {
  const identified = c.database_results + c.register_results;
  const otherIdentified = c.website_results + c.organisation_results + c.citations_results;
  const check = (name: string, actual: number, expected: number): InvariantCheck => ({ name, actual, expected, holds: actual === expected });
  return [
    check('records_screened = identified − removed', c.records_screened, identified - c.duplicates - c.excluded_automatic - c.excluded_other),
    check('dbr_sought_reports = records_screened − records_excluded − pending', c.dbr_sought_reports, c.records_screened - c.records_excluded - c.pending.screening),
    check('dbr_assessed = sought − not retrieved − pending', c.dbr_assessed, c.dbr_sought_reports - c.dbr_notretrieved_reports - c.pending.assessment),
    check('dbr_included = assessed − excluded', c.dbr_included, c.dbr_assessed - total(c.dbr_excluded)),
    check('other_records_screened = identified − duplicates', c.other_records_screened, otherIdentified - c.other_duplicates),
    check(
      'other_sought_reports = screened − excluded − pending',
      c.other_sought_reports,
      c.other_records_screened - c.other_records_excluded - c.pending.other_screening,
    ),
    check('other_assessed = sought − not retrieved − pending', c.other_assessed, c.other_sought_reports - c.other_notretrieved_reports - c.pending.other_assessment),
    check('other_included = assessed − excluded', c.other_included, c.other_assessed - total(c.other_excluded)),
    check('new_studies = dbr_included + other_included', c.new_studies, c.dbr_included + c.other_included),
  ];
}

// ---------------------------------------------------------------------------------------------
// Exports

/**
 * The rows of the PRISMA2020 package's template (inst/extdata/PRISMA.csv): data, node, box,
 * description, boxtext, tooltips, url, and the template's own n. `prismaCsv` fills in n.
 */
export const PRISMA_TEMPLATE: readonly (readonly string[])[] = [
  ['NA', 'node4', 'prevstud', 'Grey title box; Previous studies', 'Previous studies', 'Grey title box; Previous studies', 'prevstud.html', '0'],
  ['previous_studies', 'node5', 'box1', 'Studies included in previous version of review', 'Studies included in previous version of review', 'Studies included in previous version of review', 'previous_studies.html', '0'],
  ['previous_reports', 'NA', 'box1', 'Reports of studies included in previous version of review', 'Reports of studies included in previous version of review', 'NA', 'previous_reports.html', '0'],
  ['NA', 'node6', 'newstud', 'Yellow title box; Identification of new studies via databases and registers', 'Identification of new studies via databases and registers', 'Yellow title box; Identification of new studies via databases and registers', 'newstud.html', '0'],
  ['database_results', 'node7', 'box2', 'Records identified from: Databases', 'Databases', 'Records identified from: Databases and Registers', 'database_results.html', '0'],
  ['database_specific_results', 'NA', 'box2', 'Records identified from: specific databases', 'Specific Databases', 'NA', 'database_results.html', 'Database 1, xxx; Database 2, xxx; Database 3, xxx'],
  ['register_results', 'NA', 'box2', 'Records identified from: Registers', 'Registers', 'NA', 'NA', '0'],
  ['register_specific_results', 'NA', 'box2', 'Records identified from: specific registers', 'Specific Registers', 'NA', 'database_results.html', 'Register 1, xxx; Register 2, xxx; Register 3, xxx'],
  ['NA', 'node16', 'othstud', 'Grey title box; Identification of new studies via other methods', 'Identification of new studies via other methods', 'Grey title box; Identification of new studies via other methods', 'othstud.html', '0'],
  ['website_results', 'node17', 'box11', 'Records identified from: Websites', 'Websites', 'Records identified from: Websites, Organisations and Citation Searching', 'website_results.html', '0'],
  ['organisation_results', '', 'box11', 'Records identified from: Organisations', 'Organisations', 'NA', 'NA', '0'],
  ['citations_results', 'NA', 'box11', 'Records identified from: Citation searching', 'Citation searching', 'NA', 'NA', '0'],
  ['duplicates', 'node8', 'box3', 'Duplicate records', 'Duplicate records', 'Duplicate records', 'duplicates.html', '0'],
  ['excluded_automatic', 'NA', 'box3', 'Records marked as ineligible by automation tools', 'Records marked as ineligible by automation tools', 'NA', 'NA', '0'],
  ['excluded_other', 'NA', 'box3', 'Records removed for other reasons', 'Records removed for other reasons', 'NA', 'NA', '0'],
  ['records_screened', 'node9', 'box4', 'Records screened (databases and registers)', 'Records screened', 'Records screened (databases and registers)', 'records_screened.html', '0'],
  ['records_excluded', 'node10', 'box5', 'Records excluded (databases and registers)', 'Records excluded', 'Records excluded (databases and registers)', 'records_excluded.html', '0'],
  ['dbr_sought_reports', 'node11', 'box6', 'Reports sought for retrieval (databases and registers)', 'Reports sought for retrieval', 'Reports sought for retrieval (databases and registers)', 'dbr_sought_reports.html', '0'],
  ['dbr_notretrieved_reports', 'node12', 'box7', 'Reports not retrieved (databases and registers)', 'Reports not retrieved', 'Reports not retrieved (databases and registers)', 'dbr_notretrieved_reports.html', '0'],
  ['other_sought_reports', 'node18', 'box12', 'Reports sought for retrieval (other)', 'Reports sought for retrieval', 'Reports sought for retrieval (other)', 'other_sought_reports.html', '0'],
  ['other_notretrieved_reports', 'node19', 'box13', 'Reports not retrieved (other)', 'Reports not retrieved', 'Reports not retrieved (other)', 'other_notretrieved_reports.html', '0'],
  ['dbr_assessed', 'node13', 'box8', 'Reports assessed for eligibility (databases and registers)', 'Reports assessed for eligibility', 'Reports assessed for eligibility (databases and registers)', 'dbr_assessed.html', '0'],
  [
    'dbr_excluded',
    'node14',
    'box9',
    'Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]',
    'Reports excluded',
    'Reports excluded (databases and registers)',
    'dbrexcludedrecords.html',
    'Reason1, xxx; Reason2, xxx; Reason3, xxx',
  ],
  ['other_assessed', 'node20', 'box14', 'Reports assessed for eligibility (other)', 'Reports assessed for eligibility', 'Reports assessed for eligibility (other)', 'other_assessed.html', '0'],
  [
    'other_excluded',
    'node21',
    'box15',
    'Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]',
    'Reports excluded',
    'Reports excluded (other)',
    'other_excluded.html',
    'Reason1, xxx; Reason2, xxx; Reason3, xxx',
  ],
  ['new_studies', 'node15', 'box10', 'New studies included in review', 'New studies included in review', 'New studies included in review', 'new_studies.html', '0'],
  ['new_reports', 'NA', 'box10', 'Reports of new included studies', 'Reports of new included studies', 'NA', 'NA', '0'],
  ['total_studies', 'node22', 'box16', 'Total studies included in review', 'Total studies included in review', 'Total studies included in review', 'total_studies.html', '0'],
  ['total_reports', 'NA', 'box16', 'Reports of total included studies', 'Reports of total included studies', 'NA', 'NA', '0'],
  ['identification', 'node1', 'identification', 'Blue identification box', 'Identification', 'Blue identification box', 'identification.html', '0'],
  ['screening', 'node2', 'screening', 'Blue screening box', 'Screening', 'Blue screening box', 'screening.html', '0'],
  ['included', 'node3', 'included', 'Blue included box', 'Included', 'Blue included box', 'included.html', '0'],
];

export const PRISMA_CSV_COLUMNS = ['data', 'node', 'box', 'description', 'boxtext', 'tooltips', 'url', 'n'] as const;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvText(rows: readonly (readonly string[])[]): string {
  return `${[PRISMA_CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** The PRISMA2020 template as the package ships it (n holds its placeholders). */
export function prismaTemplateCsv(): string {
  return csvText(PRISMA_TEMPLATE);
}

/** The template with n filled in: ready for PRISMA2020::PRISMA_data(read.csv(...)). */
export function prismaCsv(counts: PrismaCounts): string {
  const values = counts as unknown as Record<string, unknown>;
  const rows = PRISMA_TEMPLATE.map((row) => {
    const field = row[0];
    const value = values[field];
    let n = row[7];
    if (typeof value === 'number') n = String(value);
    else if (Array.isArray(value)) {
      const list = value as NamedCount[];
      n = list.length > 0 ? namedList(list) : field.endsWith('_excluded') ? '0' : 'NA';
    }
    return [...row.slice(0, 7), n];
  });
  return csvText(rows);
}

/** A Markdown table of the flow, pending records last. */
export function prismaMarkdown(counts: PrismaCounts): string {
  const list = (items: readonly NamedCount[]) => (items.length > 0 ? items.map((item) => `${escapeCell(item.name)}: ${item.n}`).join('; ') : '—');
  const rows: [string, string, string][] = [
    ['Identification', 'Records from databases (`database_results`)', String(counts.database_results)],
    ['', '… by database (`database_specific_results`)', list(counts.database_specific_results)],
    ['', 'Records from registers (`register_results`)', String(counts.register_results)],
    ['', 'Records from websites (`website_results`)', String(counts.website_results)],
    ['', 'Records from organisations (`organisation_results`)', String(counts.organisation_results)],
    ['', 'Records from citation searching (`citations_results`)', String(counts.citations_results)],
    ['', 'Duplicate records removed (`duplicates`)', String(counts.duplicates)],
    ['', 'Marked ineligible by automation tools (`excluded_automatic`)', String(counts.excluded_automatic)],
    ['', 'Removed for other reasons (`excluded_other`)', String(counts.excluded_other)],
    ['Screening', 'Records screened (`records_screened`)', String(counts.records_screened)],
    ['', 'Records excluded (`records_excluded`)', String(counts.records_excluded)],
    ['', 'Reports sought for retrieval (`dbr_sought_reports`)', String(counts.dbr_sought_reports)],
    ['', 'Reports not retrieved (`dbr_notretrieved_reports`)', String(counts.dbr_notretrieved_reports)],
    ['', 'Reports assessed for eligibility (`dbr_assessed`)', String(counts.dbr_assessed)],
    ['', `Reports excluded (\`dbr_excluded\`), ${total(counts.dbr_excluded)}`, list(counts.dbr_excluded)],
    ['Other methods', 'Duplicates (`other_duplicates`)', String(counts.other_duplicates)],
    ['', 'Records screened (`other_records_screened`)', String(counts.other_records_screened)],
    ['', 'Records excluded (`other_records_excluded`)', String(counts.other_records_excluded)],
    ['', 'Reports sought for retrieval (`other_sought_reports`)', String(counts.other_sought_reports)],
    ['', 'Reports not retrieved (`other_notretrieved_reports`)', String(counts.other_notretrieved_reports)],
    ['', 'Reports assessed for eligibility (`other_assessed`)', String(counts.other_assessed)],
    ['', `Reports excluded (\`other_excluded\`), ${total(counts.other_excluded)}`, list(counts.other_excluded)],
    ['Included', 'New studies included (`new_studies`)', String(counts.new_studies)],
    ['', 'Reports of new included studies (`new_reports`)', String(counts.new_reports)],
    ['', 'Total studies (`total_studies`)', String(counts.total_studies)],
    ['', 'Total reports (`total_reports`)', String(counts.total_reports)],
    ['Pending', 'Awaiting title/abstract verdict (databases and registers)', String(counts.pending.screening)],
    ['', 'Awaiting full-text verdict (databases and registers)', String(counts.pending.assessment)],
    ['', 'Awaiting title/abstract verdict (other methods)', String(counts.pending.other_screening)],
    ['', 'Awaiting full-text verdict (other methods)', String(counts.pending.other_assessment)],
  ];
  const lines = ['| Stage | Box | n |', '| --- | --- | --- |', ...rows.map(([stage, box, n]) => `| ${stage} | ${box} | ${n} |`)];
  if (counts.pending.total > 0) {
    lines.push('', `${counts.pending.total} records are still pending: the flow is not final.`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function prismaJson(counts: PrismaCounts): string {
  return `${JSON.stringify({ ...counts, invariants: checkInvariants(counts) }, null, 2)}\n`;
}
