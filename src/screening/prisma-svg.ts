/**
 * The PRISMA 2020 flow diagram for new systematic reviews (Page et al. 2021, BMJ 372:n71), drawn as
 * SVG from the counts of prisma.ts: the same boxes, arrows and wording as the template (and as the
 * PRISMA2020 R package / Shiny app draws it), in pure TypeScript so the CLI, the exports and the
 * webview draw the same figure.
 *
 * - Identification via databases and registers (left) and, when the review has such sources, via
 *   other methods (right); phase labels (Identification, Screening, Included) down the left side.
 * - Other methods: this tool screens those records at title/abstract too (prisma.ts), which the
 *   template has no box for. When that removed anything (duplicates, exclusions) or is still under
 *   way, the right branch shows "Records removed before screening" and "Records screened/excluded"
 *   boxes mirroring the left ones, so every number follows from the ones above it.
 * - While records are pending the figure says so: a banner on top, and "Awaiting …" lines in the
 *   boxes the pending records sit in. A finished flow has neither.
 * - Fixed print colours (the R package's: Goldenrod1 title, Gainsboro other-methods boxes,
 *   LightSteelBlue2 phase labels) as presentation attributes, and a class on every element, so a
 *   host stylesheet (the webview's, from the VS Code theme) can recolour it: CSS wins over
 *   presentation attributes. No <style>, no script, no external reference.
 * - Accessible: <title> and <desc> (a text summary of the whole flow) on the root; every box is a
 *   focusable element (tabindex 0) with role img, an aria-label holding its full text, and a
 *   <title> tooltip naming the PRISMA2020 field it shows. Boxes come in reading order.
 * - Every string (reason names, source names, the review title) is XML-escaped, in text and in
 *   attributes; characters XML cannot hold are replaced.
 *
 * Text is wrapped with Helvetica/Arial advance widths (Liberation Sans has the same metrics), so
 * the layout does not need a browser.
 */
import type { NamedCount, PrismaCounts } from './prisma';

export interface PrismaSvgOptions {
  /** List each database and register with its count in the identification box (database_specific_results). */
  detail?: boolean;
  /** The review's title, for the SVG's <title>. */
  reviewTitle?: string;
  /** Prefix of the ids inside the SVG (title, desc): set it when several diagrams share a page. */
  idPrefix?: string;
}

export type PrismaBoxKind = 'main' | 'other' | 'title-dbr' | 'title-other' | 'phase' | 'banner';

export interface PrismaLine {
  text: string;
  /** Horizontal offset inside the box's text area (indented list items). */
  indent: number;
  pending: boolean;
}

export interface PrismaBox {
  /** Stable id: the PRISMA2020 field the box shows first (records_screened, …), or a name. */
  id: string;
  kind: PrismaBoxKind;
  x: number;
  y: number;
  width: number;
  height: number;
  align: 'start' | 'middle';
  lines: PrismaLine[];
  /** The box's whole text, for screen readers. */
  label: string;
  /** Tooltip: what the box counts and the PRISMA2020 field. */
  tooltip: string;
  /** Whether the box takes keyboard focus (count boxes and the banner do; decoration does not). */
  focusable: boolean;
}

export interface PrismaArrow {
  /** Polyline points; the arrowhead is at the last one. */
  points: [number, number][];
}

export interface PrismaLayout {
  width: number;
  height: number;
  boxes: PrismaBox[];
  arrows: PrismaArrow[];
  /** Whether the right-hand (other methods) branch is drawn. */
  other: boolean;
  pending: number;
  /** A prose summary of the whole flow (the SVG's <desc>). */
  summary: string;
}

// ---------------------------------------------------------------------------------------------
// Geometry

export const FONT_FAMILY = "Arial, Helvetica, 'Liberation Sans', sans-serif";
const FONT_SIZE = 13;
const LINE_HEIGHT = 17;
const PAD_X = 10;
const PAD_Y = 8;
const BOX_WIDTH = 250;
const ARROW_GAP = 44;
const BRANCH_GAP = 44;
const ROW_GAP = 30;
const TITLE_GAP = 18;
const MARGIN = 16;
const PHASE_WIDTH = 30;
const PHASE_GAP = 14;
const MIN_BOX_HEIGHT = 2 * PAD_Y + 2 * LINE_HEIGHT;
const INDENT = 12;
const HANG = 10;
const HEAD = 7;

/** Print colours (the PRISMA2020 R package's defaults). */
export const PRINT_COLOURS = {
  background: '#FFFFFF',
  text: '#000000',
  border: '#000000',
  box: '#FFFFFF',
  other: '#DCDCDC', // Gainsboro
  titleDbr: '#FFC125', // Goldenrod1
  titleOther: '#DCDCDC',
  phase: '#BCD2EE', // LightSteelBlue2
  bannerFill: '#FFF4CE',
  bannerBorder: '#9A5B00',
  pendingText: '#7A4700',
  arrow: '#000000',
} as const;

// Helvetica advance widths (1/1000 em) for ASCII 32–126.
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];

/** Estimated width in px of `text` at `size` px (a little generous, so text never overflows). */
export function textWidth(text: string, size = FONT_SIZE, bold = false): number {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += WIDTHS[code - 32];
    else if (code === 0xa0) units += 278;
    else if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x20000)) {
      units += 1000;
    } else units += 640;
  }
  return (units * size * (bold ? 1.1 : 1.04)) / 1000;
}

const NBSP = '\u00a0';

/**
 * Greedy word wrap to `width` px; a word wider than the line is broken between characters.
 * Non-breaking spaces keep "(n = 12)" together; they come out as plain spaces.
 */
export function wrapText(text: string, width: number, size = FONT_SIZE, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (candidate: string) => textWidth(candidate, size, bold) <= width;
  for (const word of text.split(/[ \t\r\n]+/).filter((part) => part.length > 0)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (fits(word)) {
      line = word;
      continue;
    }
    for (const char of word) {
      if (line && !fits(line + char)) {
        lines.push(line);
        line = '';
      }
      line += char;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((part) => part.split(NBSP).join(' '));
}

/** 1234 -> "1,234". */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "(n = 1,234)" with non-breaking spaces (so wrapping keeps it whole). */
function n(value: number): string {
  return `(n${NBSP}=${NBSP}${formatCount(value)})`;
}

// ---------------------------------------------------------------------------------------------
// Box content

interface Para {
  text: string;
  indent?: number;
  pending?: boolean;
}

interface BoxSpec {
  id: string;
  kind: PrismaBoxKind;
  align: 'start' | 'middle';
  paras: Para[];
  tooltip: string;
  width?: number;
  bold?: boolean;
  focusable?: boolean;
}

function total(list: readonly NamedCount[]): number {
  return list.reduce((sum, item) => sum + item.n, 0);
}

function plain(text: string): string {
  return text.split(NBSP).join(' ');
}

/** Collapses whitespace in user text (names, reasons) so it wraps and reads as one line. */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function countBox(id: string, kind: PrismaBoxKind, heading: string, value: number, tooltip: string, extra: Para[] = []): BoxSpec {
  return { id, kind, align: 'middle', paras: [{ text: heading }, { text: n(value) }, ...extra], tooltip };
}

function reasonsBox(id: string, kind: PrismaBoxKind, reasons: readonly NamedCount[], tooltip: string): BoxSpec {
  const paras: Para[] = [{ text: 'Reports excluded:' }];
  if (reasons.length === 0) paras.push({ text: n(0) });
  for (const reason of reasons) paras.push({ text: `${clean(reason.name)} ${n(reason.n)}`, indent: INDENT });
  return { id, kind, align: 'start', paras, tooltip };
}

function pendingPara(text: string, value: number): Para[] {
  return value > 0 ? [{ text: `${text} ${n(value)}`, pending: true }] : [];
}

/** Whether the other-methods branch needs its screening boxes (see the module comment). */
export function otherScreeningShown(c: PrismaCounts): boolean {
  return c.other_duplicates > 0 || c.other_records_excluded > 0 || c.pending.other_screening > 0;
}

/** Whether the diagram has the other-methods branch: the review has such sources. */
export function otherMethodsShown(c: PrismaCounts): boolean {
  return c.website_results + c.organisation_results + c.citations_results > 0 || c.other_records_screened > 0 || c.other_duplicates > 0;
}

function pendingSummary(c: PrismaCounts): string {
  const parts: string[] = [];
  const p = c.pending;
  if (p.screening > 0) parts.push(`${formatCount(p.screening)} awaiting a title/abstract decision (databases and registers)`);
  if (p.other_screening > 0) parts.push(`${formatCount(p.other_screening)} awaiting a title/abstract decision (other methods)`);
  if (p.assessment > 0) parts.push(`${formatCount(p.assessment)} awaiting a full-text decision (databases and registers)`);
  if (p.other_assessment > 0) parts.push(`${formatCount(p.other_assessment)} awaiting a full-text decision (other methods)`);
  return parts.join('; ');
}

export function pendingHeadline(c: PrismaCounts): string {
  const count = c.pending.total;
  return `Screening in progress: ${formatCount(count)} ${count === 1 ? 'record is' : 'records are'} still pending. These counts are not final.`;
}

// ---------------------------------------------------------------------------------------------
// Layout

interface Placed extends BoxSpec {
  lines: PrismaLine[];
  height: number;
  width: number;
}

function measure(spec: BoxSpec, width: number): Placed {
  const lines: PrismaLine[] = [];
  const inner = width - 2 * PAD_X;
  for (const para of spec.paras) {
    const indent = para.indent ?? 0;
    // List items wrap with a hanging indent, so a continuation never reads as the next item.
    const hang = indent > 0 ? HANG : 0;
    wrapText(para.text, inner - indent - hang, FONT_SIZE, spec.bold).forEach((text, i) =>
      lines.push({ text, indent: i === 0 ? indent : indent + hang, pending: para.pending ?? false }),
    );
  }
  const height = Math.max(spec.kind === 'title-dbr' || spec.kind === 'title-other' ? 0 : MIN_BOX_HEIGHT, 2 * PAD_Y + lines.length * LINE_HEIGHT);
  return { ...spec, lines, height, width };
}

function labelOf(spec: BoxSpec): string {
  // "Records screened (n = 3)": a count joins the heading before it.
  let label = '';
  for (const para of spec.paras) {
    const text = plain(para.text);
    if (!label) label = text;
    else if (text.startsWith('(n = ')) label += ` ${text}`;
    else label += /[:.]$/.test(label) ? ` ${text}` : `; ${text}`;
  }
  return label;
}

export function layoutPrisma(c: PrismaCounts, options: PrismaSvgOptions = {}): PrismaLayout {
  const other = otherMethodsShown(c);
  const otherScreening = other && otherScreeningShown(c);
  const x0 = MARGIN + PHASE_WIDTH + PHASE_GAP;
  const x1 = x0 + BOX_WIDTH + ARROW_GAP;
  const x2 = x1 + BOX_WIDTH + BRANCH_GAP;
  const x3 = x2 + BOX_WIDTH + ARROW_GAP;
  const width = (other ? x3 : x1) + BOX_WIDTH + MARGIN;
  const columns = [x0, x1, x2, x3];

  // Identification via databases and registers.
  const dbrIdentified: Para[] = [{ text: 'Records identified from:' }, { text: `Databases ${n(c.database_results)}` }];
  if (options.detail) for (const db of c.database_specific_results) dbrIdentified.push({ text: `${clean(db.name)} ${n(db.n)}`, indent: INDENT });
  dbrIdentified.push({ text: `Registers ${n(c.register_results)}` });
  if (options.detail) for (const reg of c.register_specific_results) dbrIdentified.push({ text: `${clean(reg.name)} ${n(reg.n)}`, indent: INDENT });

  const rows: (BoxSpec | undefined)[][] = [
    [
      { id: 'database_results', kind: 'main', align: 'start', paras: dbrIdentified, tooltip: 'Records identified from databases and registers (database_results, register_results)' },
      {
        id: 'duplicates',
        kind: 'main',
        align: 'start',
        paras: [
          { text: 'Records removed before screening:' },
          { text: `Duplicate records removed ${n(c.duplicates)}`, indent: INDENT },
          { text: `Records marked as ineligible by automation tools ${n(c.excluded_automatic)}`, indent: INDENT },
          { text: `Records removed for other reasons ${n(c.excluded_other)}`, indent: INDENT },
        ],
        tooltip: 'Records removed before screening (duplicates, excluded_automatic, excluded_other)',
      },
      other
        ? {
            id: 'website_results',
            kind: 'other',
            align: 'start',
            paras: [
              { text: 'Records identified from:' },
              { text: `Websites ${n(c.website_results)}` },
              { text: `Organisations ${n(c.organisation_results)}` },
              { text: `Citation searching ${n(c.citations_results)}` },
            ],
            tooltip: 'Records identified via other methods (website_results, organisation_results, citations_results)',
          }
        : undefined,
      otherScreening && c.other_duplicates > 0
        ? {
            id: 'other_duplicates',
            kind: 'other',
            align: 'start',
            paras: [{ text: 'Records removed before screening:' }, { text: `Duplicate records removed ${n(c.other_duplicates)}`, indent: INDENT }],
            tooltip: 'Duplicates among the records found by other methods (other_duplicates; beyond the PRISMA2020 template)',
          }
        : undefined,
    ],
    [
      countBox('records_screened', 'main', 'Records screened', c.records_screened, 'Records screened (databases and registers): records_screened', pendingPara('Awaiting a decision', c.pending.screening)),
      countBox('records_excluded', 'main', 'Records excluded', c.records_excluded, 'Records excluded (databases and registers): records_excluded'),
      otherScreening
        ? countBox(
            'other_records_screened',
            'other',
            'Records screened',
            c.other_records_screened,
            'Records screened (other methods): other_records_screened (beyond the PRISMA2020 template)',
            pendingPara('Awaiting a decision', c.pending.other_screening),
          )
        : undefined,
      otherScreening
        ? countBox('other_records_excluded', 'other', 'Records excluded', c.other_records_excluded, 'Records excluded (other methods): other_records_excluded (beyond the PRISMA2020 template)')
        : undefined,
    ],
    [
      countBox(
        'dbr_sought_reports',
        'main',
        'Reports sought for retrieval',
        c.dbr_sought_reports,
        'Reports sought for retrieval (databases and registers): dbr_sought_reports',
        pendingPara('Awaiting full-text assessment', c.pending.assessment),
      ),
      countBox('dbr_notretrieved_reports', 'main', 'Reports not retrieved', c.dbr_notretrieved_reports, 'Reports not retrieved (databases and registers): dbr_notretrieved_reports'),
      other
        ? countBox(
            'other_sought_reports',
            'other',
            'Reports sought for retrieval',
            c.other_sought_reports,
            'Reports sought for retrieval (other methods): other_sought_reports',
            pendingPara('Awaiting full-text assessment', c.pending.other_assessment),
          )
        : undefined,
      other ? countBox('other_notretrieved_reports', 'other', 'Reports not retrieved', c.other_notretrieved_reports, 'Reports not retrieved (other methods): other_notretrieved_reports') : undefined,
    ],
    [
      countBox('dbr_assessed', 'main', 'Reports assessed for eligibility', c.dbr_assessed, 'Reports assessed for eligibility (databases and registers): dbr_assessed'),
      reasonsBox('dbr_excluded', 'main', c.dbr_excluded, 'Reports excluded, with reasons (databases and registers): dbr_excluded'),
      other ? countBox('other_assessed', 'other', 'Reports assessed for eligibility', c.other_assessed, 'Reports assessed for eligibility (other methods): other_assessed') : undefined,
      other ? reasonsBox('other_excluded', 'other', c.other_excluded, 'Reports excluded, with reasons (other methods): other_excluded') : undefined,
    ],
    [
      {
        id: 'new_studies',
        kind: 'main',
        align: 'middle',
        paras: [{ text: 'Studies included in review' }, { text: n(c.new_studies) }, { text: 'Reports of included studies' }, { text: n(c.new_reports) }],
        tooltip: 'New studies included in review (new_studies) and reports of new included studies (new_reports)',
      },
      undefined,
      undefined,
      undefined,
    ],
  ];

  const boxes: PrismaBox[] = [];
  const arrows: PrismaArrow[] = [];
  let y = MARGIN;

  if (c.pending.total > 0) {
    const bannerWidth = width - 2 * MARGIN;
    const banner = measure(
      {
        id: 'pending',
        kind: 'banner',
        align: 'start',
        paras: [{ text: pendingHeadline(c) }, { text: `${pendingSummary(c)}.` }],
        tooltip: 'Records still pending: the flow is not final (pending)',
        bold: false,
      },
      bannerWidth,
    );
    boxes.push(place(banner, MARGIN, y, banner.height));
    y += banner.height + TITLE_GAP;
  }

  // Title boxes: each spans its branch's two columns.
  const titleWidth = 2 * BOX_WIDTH + ARROW_GAP;
  const titles = [
    measure({ id: 'newstud', kind: 'title-dbr', align: 'middle', paras: [{ text: 'Identification of new studies via databases and registers' }], tooltip: 'Identification of new studies via databases and registers', bold: true, focusable: false }, titleWidth),
  ];
  if (other) {
    titles.push(measure({ id: 'othstud', kind: 'title-other', align: 'middle', paras: [{ text: 'Identification of new studies via other methods' }], tooltip: 'Identification of new studies via other methods', bold: true, focusable: false }, titleWidth));
  }
  const titleHeight = Math.max(...titles.map((title) => title.height));
  boxes.push(place(titles[0], x0, y, titleHeight));
  if (titles[1]) boxes.push(place(titles[1], x2, y, titleHeight));
  y += titleHeight + TITLE_GAP;

  // The flow rows.
  const rowTop: number[] = [];
  const rowHeight: number[] = [];
  const placed: (PrismaBox | undefined)[][] = [];
  rows.forEach((row, r) => {
    const measured = row.map((spec) => (spec ? measure(spec, BOX_WIDTH) : undefined));
    const height = Math.max(...measured.map((box) => box?.height ?? 0));
    rowTop.push(y);
    rowHeight.push(height);
    placed.push(
      measured.map((box, col) => {
        if (!box) return undefined;
        // The included box and the two "removed/excluded" side boxes line up on their row's middle.
        return place(box, columns[col], y + (height - box.height) / 2, box.height);
      }),
    );
    y += height + (r < rows.length - 1 ? ROW_GAP : 0);
  });
  const height = y + MARGIN;

  // Phase labels down the left.
  const phase = (id: string, text: string, top: number, bottom: number) =>
    boxes.push({ id, kind: 'phase', x: MARGIN, y: top, width: PHASE_WIDTH, height: bottom - top, align: 'middle', lines: [{ text, indent: 0, pending: false }], label: text, tooltip: `${text} phase`, focusable: false });
  phase('identification', 'Identification', rowTop[0], rowTop[0] + rowHeight[0]);
  phase('screening', 'Screening', rowTop[1], rowTop[3] + rowHeight[3]);
  phase('included', 'Included', rowTop[4], rowTop[4] + rowHeight[4]);

  // Boxes in reading order: by branch, then down the flow, each main box before its side box.
  const order: [number, number][] = [];
  for (let r = 0; r < rows.length; r++) order.push([r, 0], [r, 1]);
  for (let r = 0; r < rows.length; r++) order.push([r, 2], [r, 3]);
  for (const [r, col] of order) {
    const box = placed[r][col];
    if (box) boxes.push(box);
  }

  // Arrows.
  const right = (box: PrismaBox) => box.x + box.width;
  const midY = (box: PrismaBox) => box.y + box.height / 2;
  const midX = (box: PrismaBox) => box.x + box.width / 2;
  const across = (from: PrismaBox | undefined, to: PrismaBox | undefined) => {
    if (from && to) arrows.push({ points: [[right(from), midY(to)], [to.x, midY(to)]] });
  };
  const down = (from: PrismaBox | undefined, to: PrismaBox | undefined) => {
    if (from && to) arrows.push({ points: [[midX(from), from.y + from.height], [midX(to), to.y]] });
  };
  for (let r = 0; r < rows.length; r++) {
    across(placed[r][0], placed[r][1]);
    across(placed[r][2], placed[r][3]);
  }
  for (let r = 0; r < rows.length - 1; r++) down(placed[r][0], placed[r + 1][0]);
  // The other branch: identification -> (screening) -> sought -> assessed -> into the included box.
  const otherChain = [placed[0][2], placed[1][2], placed[2][2], placed[3][2]].filter((box): box is PrismaBox => box !== undefined);
  for (let i = 0; i + 1 < otherChain.length; i++) down(otherChain[i], otherChain[i + 1]);
  const otherAssessed = placed[3][2];
  const included = placed[4][0];
  if (otherAssessed && included) {
    const x = midX(otherAssessed);
    arrows.push({ points: [[x, otherAssessed.y + otherAssessed.height], [x, midY(included)], [right(included), midY(included)]] });
  }

  return { width, height, boxes, arrows, other, pending: c.pending.total, summary: summaryOf(c, other, otherScreening) };
}

function place(box: Placed, x: number, y: number, height: number): PrismaBox {
  return {
    id: box.id,
    kind: box.kind,
    x,
    y,
    width: box.width,
    height,
    align: box.align,
    lines: box.lines,
    label: labelOf(box),
    tooltip: box.tooltip,
    focusable: box.focusable ?? true,
  };
}

function summaryOf(c: PrismaCounts, other: boolean, otherScreening: boolean): string {
  const f = formatCount;
  const reasons = (list: readonly NamedCount[]) => (list.length > 0 ? list.map((item) => `${clean(item.name)} (${f(item.n)})`).join(', ') : 'none');
  const parts = [
    `PRISMA 2020 flow diagram.`,
    `Databases and registers: ${f(c.database_results)} records identified from databases and ${f(c.register_results)} from registers;`,
    `${f(c.duplicates)} duplicates, ${f(c.excluded_automatic)} marked ineligible by automation tools and ${f(c.excluded_other)} removed for other reasons before screening;`,
    `${f(c.records_screened)} records screened, ${f(c.records_excluded)} excluded;`,
    `${f(c.dbr_sought_reports)} reports sought for retrieval, ${f(c.dbr_notretrieved_reports)} not retrieved;`,
    `${f(c.dbr_assessed)} reports assessed for eligibility, ${f(total(c.dbr_excluded))} excluded (${reasons(c.dbr_excluded)}).`,
  ];
  if (other) {
    parts.push(
      `Other methods: ${f(c.website_results)} records from websites, ${f(c.organisation_results)} from organisations and ${f(c.citations_results)} from citation searching;`,
      ...(otherScreening ? [`${f(c.other_duplicates)} duplicates removed, ${f(c.other_records_screened)} records screened, ${f(c.other_records_excluded)} excluded;`] : []),
      `${f(c.other_sought_reports)} reports sought for retrieval, ${f(c.other_notretrieved_reports)} not retrieved;`,
      `${f(c.other_assessed)} reports assessed for eligibility, ${f(total(c.other_excluded))} excluded (${reasons(c.other_excluded)}).`,
    );
  }
  parts.push(`Included: ${f(c.new_studies)} studies in ${f(c.new_reports)} reports.`);
  if (c.pending.total > 0) parts.push(`${pendingHeadline(c)} ${pendingSummary(c)}.`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// SVG

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const FILLS: Record<PrismaBoxKind, string> = {
  main: PRINT_COLOURS.box,
  other: PRINT_COLOURS.other,
  'title-dbr': PRINT_COLOURS.titleDbr,
  'title-other': PRINT_COLOURS.titleOther,
  phase: PRINT_COLOURS.phase,
  banner: PRINT_COLOURS.bannerFill,
};

function boxSvg(box: PrismaBox): string {
  const rounded = box.kind === 'title-dbr' || box.kind === 'title-other' || box.kind === 'phase' ? ' rx="8" ry="8"' : '';
  const stroke = box.kind === 'banner' ? PRINT_COLOURS.bannerBorder : box.kind === 'phase' || box.kind.startsWith('title') ? 'none' : PRINT_COLOURS.border;
  const dash = box.kind === 'banner' ? ' stroke-dasharray="6 4"' : '';
  const focus = box.focusable ? ' tabindex="0"' : '';
  const out = [
    `<g class="prisma-box prisma-${box.kind}" data-box="${escapeXml(box.id)}" role="img" aria-label="${escapeXml(box.label)}"${focus}>`,
    `<title>${escapeXml(box.tooltip)}</title>`,
    `<rect class="prisma-box-rect" x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}"${rounded} fill="${FILLS[box.kind]}" stroke="${stroke}" stroke-width="1"${dash}/>`,
  ];
  if (box.kind === 'phase') {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    out.push(
      `<text class="prisma-text prisma-phase-text" x="${num(cx)}" y="${num(cy)}" transform="rotate(-90 ${num(cx)} ${num(cy)})" text-anchor="middle" dominant-baseline="central" font-weight="bold" fill="${PRINT_COLOURS.text}">${escapeXml(box.lines[0].text)}</text>`,
    );
  } else {
    const bold = box.kind === 'title-dbr' || box.kind === 'title-other' || box.kind === 'banner';
    const top = box.y + (box.height - box.lines.length * LINE_HEIGHT) / 2;
    box.lines.forEach((line, i) => {
      const baseline = top + i * LINE_HEIGHT + LINE_HEIGHT / 2 + FONT_SIZE * 0.35;
      const x = box.align === 'middle' ? box.x + box.width / 2 : box.x + PAD_X + line.indent;
      const anchor = box.align === 'middle' ? ' text-anchor="middle"' : '';
      const weight = bold && i === 0 ? ' font-weight="bold"' : '';
      const pending = line.pending ? ' font-style="italic"' : '';
      const cls = line.pending ? 'prisma-text prisma-pending-text' : 'prisma-text';
      const fill = line.pending ? PRINT_COLOURS.pendingText : PRINT_COLOURS.text;
      out.push(`<text class="${cls}" x="${num(x)}" y="${num(baseline)}"${anchor}${weight}${pending} fill="${fill}">${escapeXml(line.text)}</text>`);
    });
  }
  out.push('</g>');
  return out.join('');
}

function arrowSvg(arrow: PrismaArrow): string {
  const points = arrow.points;
  const [ex, ey] = points[points.length - 1];
  const [px, py] = points[points.length - 2];
  const length = Math.hypot(ex - px, ey - py) || 1;
  const ux = (ex - px) / length;
  const uy = (ey - py) / length;
  // The line stops at the arrowhead's base; the head is a filled triangle.
  const bx = ex - ux * HEAD * 1.4;
  const by = ey - uy * HEAD * 1.4;
  const line = [...points.slice(0, -1), [bx, by] as [number, number]].map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
  const head = [
    [ex, ey],
    [bx - uy * HEAD * 0.75, by + ux * HEAD * 0.75],
    [bx + uy * HEAD * 0.75, by - ux * HEAD * 0.75],
  ]
    .map(([x, y]) => `${num(x)},${num(y)}`)
    .join(' ');
  return (
    `<polyline class="prisma-arrow" points="${line}" fill="none" stroke="${PRINT_COLOURS.arrow}" stroke-width="1.3"/>` +
    `<polygon class="prisma-arrowhead" points="${head}" fill="${PRINT_COLOURS.arrow}"/>`
  );
}

/** The PRISMA 2020 flow diagram as a standalone SVG document (print colours, classes for theming). */
export function renderPrismaSvg(c: PrismaCounts, options: PrismaSvgOptions = {}): string {
  const layout = layoutPrisma(c, options);
  return renderLayout(layout, options);
}

export function renderLayout(layout: PrismaLayout, options: PrismaSvgOptions = {}): string {
  const id = (options.idPrefix ?? 'prisma').replace(/[^A-Za-z0-9_-]/g, '') || 'prisma';
  const title = options.reviewTitle?.trim() ? `PRISMA 2020 flow diagram: ${clean(options.reviewTitle)}` : 'PRISMA 2020 flow diagram';
  const w = num(layout.width);
  const h = num(layout.height);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="prisma-flow${layout.pending > 0 ? ' prisma-flow-pending' : ''}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="group" aria-roledescription="flow diagram" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(layout.summary)}</desc>`,
    `<rect class="prisma-background" x="0" y="0" width="${w}" height="${h}" fill="${PRINT_COLOURS.background}"/>`,
    `<g class="prisma-arrows" aria-hidden="true">${layout.arrows.map(arrowSvg).join('')}</g>`,
    ...layout.boxes.map(boxSvg),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

/** The SVG as a file: with the XML declaration. */
export function prismaSvgFile(c: PrismaCounts, options: PrismaSvgOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderPrismaSvg(c, options)}`;
}
