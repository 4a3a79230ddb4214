/** The PRISMA 2020 diagram as SVG: escaping, accessibility, layout (no overlaps, text fits), pending. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { computePrisma, type PrismaCounts } from '../../../src/screening/prisma';
import { escapeXml, formatCount, layoutPrisma, renderPrismaSvg, textWidth, wrapText, type PrismaLayout } from '../../../src/screening/prisma-svg';
import { numbersIn, svgBoxes } from './helpers/prisma-svg';

const SCRIPT = '</text><script>alert(1)</script>';

function counts(overrides: Partial<PrismaCounts> = {}): PrismaCounts {
  const zero = computePrisma({ sources: [], records: [], duplicates: [], status: () => ({ titleAbstract: { state: 'undecided' }, fullText: { state: 'not-applicable' } }) });
  return { ...zero, ...overrides, pending: { ...zero.pending, ...overrides.pending } };
}

/** A finished review with both branches. */
const FINISHED = counts({
  database_results: 100,
  database_specific_results: [
    { name: 'MEDLINE', n: 60 },
    { name: 'Embase', n: 40 },
  ],
  register_results: 10,
  register_specific_results: [{ name: 'ClinicalTrials.gov', n: 10 }],
  website_results: 5,
  organisation_results: 3,
  citations_results: 2,
  duplicates: 20,
  records_screened: 90,
  records_excluded: 50,
  dbr_sought_reports: 40,
  dbr_notretrieved_reports: 3,
  dbr_assessed: 37,
  dbr_excluded: [
    { name: 'Wrong population', n: 12 },
    { name: 'Wrong outcome', n: 8 },
  ],
  dbr_included: 17,
  other_records_screened: 10,
  other_sought_reports: 10,
  other_notretrieved_reports: 1,
  other_assessed: 9,
  other_excluded: [{ name: 'Wrong study design', n: 2 }],
  other_included: 7,
  new_studies: 24,
  new_reports: 24,
  total_studies: 24,
  total_reports: 24,
});

/** Hostile and long user text everywhere it can go. */
const HOSTILE = counts({
  ...FINISHED,
  database_specific_results: [
    { name: `"Quoted" & <b>bold</b> 'db'`, n: 60 },
    { name: `Control\u0001char \uD800 lone surrogate`, n: 40 },
  ],
  dbr_excluded: [
    { name: SCRIPT, n: 12 },
    { name: 'A reason typed at great length by a reviewer who wanted to be very, very clear about why this report is out', n: 5 },
    { name: 'Supercalifragilisticexpialidocious-and-then-some-more-without-any-spaces-at-all', n: 3 },
  ],
  other_excluded: [{ name: `]]><!-- --><svg onload="alert(2)">`, n: 2 }],
});

const PENDING = counts({
  ...FINISHED,
  other_duplicates: 1,
  other_records_screened: 9,
  other_records_excluded: 2,
  other_sought_reports: 6,
  pending: { screening: 5, assessment: 2, other_screening: 1, other_assessment: 0, total: 8 },
});

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function checkGeometry(layout: PrismaLayout): void {
  for (const box of layout.boxes) {
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(layout.width);
    expect(box.y + box.height).toBeLessThanOrEqual(layout.height);
    if (box.kind === 'phase') {
      // Turned a quarter: the label runs along the box's height.
      expect(textWidth(box.lines[0].text, 13, true) + 8, box.id).toBeLessThanOrEqual(box.height);
      continue;
    }
    // Every line fits its box, and the lines fit its height.
    for (const line of box.lines) expect(textWidth(line.text, 13, box.kind !== 'main' && box.kind !== 'other') + line.indent + 20, `${box.id}: ${line.text}`).toBeLessThanOrEqual(box.width + 0.5);
    expect(box.lines.length * 17).toBeLessThanOrEqual(box.height);
  }
  for (let i = 0; i < layout.boxes.length; i++) {
    for (let j = i + 1; j < layout.boxes.length; j++) {
      const [a, b] = [layout.boxes[i], layout.boxes[j]];
      expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
  // Arrows run between boxes, never through one (segments checked against every box's inside).
  for (const arrow of layout.arrows) {
    for (let i = 0; i + 1 < arrow.points.length; i++) {
      const [[x1, y1], [x2, y2]] = [arrow.points[i], arrow.points[i + 1]];
      const segment = { x: Math.min(x1, x2) + 0.5, y: Math.min(y1, y2) + 0.5, width: Math.max(Math.abs(x2 - x1) - 1, 0.01), height: Math.max(Math.abs(y2 - y1) - 1, 0.01) };
      for (const box of layout.boxes) expect(overlaps(segment, box), `an arrow crosses ${box.id}`).toBe(false);
    }
  }
}

describe('the PRISMA SVG', () => {
  it('is well-formed XML with the template boxes and wording', () => {
    const svg = renderPrismaSvg(FINISHED);
    expect(XMLValidator.validate(svg)).toBe(true);
    const boxes = svgBoxes(svg);
    expect([...boxes.keys()]).toEqual([
      'newstud',
      'othstud',
      'identification',
      'screening',
      'included',
      'database_results',
      'duplicates',
      'records_screened',
      'records_excluded',
      'dbr_sought_reports',
      'dbr_notretrieved_reports',
      'dbr_assessed',
      'dbr_excluded',
      'new_studies',
      'website_results',
      'other_sought_reports',
      'other_notretrieved_reports',
      'other_assessed',
      'other_excluded',
    ]);
    expect(boxes.get('newstud')!.text).toBe('Identification of new studies via databases and registers');
    expect(boxes.get('othstud')!.text).toBe('Identification of new studies via other methods');
    expect(boxes.get('database_results')!.text).toBe('Records identified from: Databases (n = 100) Registers (n = 10)');
    expect(boxes.get('duplicates')!.label).toBe(
      'Records removed before screening: Duplicate records removed (n = 20); Records marked as ineligible by automation tools (n = 0); Records removed for other reasons (n = 0)',
    );
    expect(boxes.get('records_screened')!.text).toBe('Records screened (n = 90)');
    expect(boxes.get('records_excluded')!.text).toBe('Records excluded (n = 50)');
    expect(boxes.get('dbr_sought_reports')!.text).toBe('Reports sought for retrieval (n = 40)');
    expect(boxes.get('dbr_notretrieved_reports')!.text).toBe('Reports not retrieved (n = 3)');
    expect(boxes.get('dbr_assessed')!.text).toBe('Reports assessed for eligibility (n = 37)');
    expect(boxes.get('dbr_excluded')!.text).toBe('Reports excluded: Wrong population (n = 12) Wrong outcome (n = 8)');
    expect(boxes.get('new_studies')!.text).toBe('Studies included in review (n = 24) Reports of included studies (n = 24)');
    expect(boxes.get('website_results')!.text).toBe('Records identified from: Websites (n = 5) Organisations (n = 3) Citation searching (n = 2)');
    expect(boxes.get('other_excluded')!.text).toBe('Reports excluded: Wrong study design (n = 2)');
    // A finished flow: no banner, no "awaiting" lines, no other-methods screening boxes (nothing removed there).
    expect(svg).not.toContain('Awaiting');
    expect(boxes.has('pending')).toBe(false);
    expect(boxes.has('other_records_screened')).toBe(false);
    // Fixed print colours (the PRISMA2020 package's), nothing external.
    expect(svg).toContain('fill="#FFC125"');
    expect(svg).not.toMatch(/<style|<script|href=|url\(/i);
  });

  it('escapes every string from the review, in text and in attributes', () => {
    const svg = renderPrismaSvg(HOSTILE, { detail: true, reviewTitle: 'My <review> & "co"' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toMatch(/<script|<svg onload|<b>|<!--/i);
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // Parsed as XML: the reasons are text, and no element but the diagram's own exists.
    const parsed = new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg) as unknown[];
    const names = new Set<string>();
    const walk = (nodes: unknown[]) => {
      for (const node of nodes as Record<string, unknown>[]) {
        for (const key of Object.keys(node)) {
          if (key === ':@' || key === '#text') continue;
          names.add(key);
          walk(node[key] as unknown[]);
        }
      }
    };
    walk(parsed);
    expect([...names].sort()).toEqual(['desc', 'g', 'polygon', 'polyline', 'rect', 'svg', 'text', 'title']);
    const boxes = svgBoxes(svg);
    expect(boxes.get('dbr_excluded')!.label).toContain(`${SCRIPT} (n = 12)`);
    expect(boxes.get('dbr_excluded')!.text.replace(/\s/g, '')).toContain(`${SCRIPT}(n=12)`.replace(/\s/g, ''));
    expect(boxes.get('other_excluded')!.label).toContain(`]]><!-- --><svg onload="alert(2)"> (n = 2)`);
    expect(boxes.get('database_results')!.text).toContain(`"Quoted" & <b>bold</b> 'db' (n = 60)`);
    // Characters XML cannot hold are replaced, not passed through.
    expect(boxes.get('database_results')!.text).toContain('Control\uFFFDchar \uFFFD lone surrogate (n = 40)');
    expect(svg).toContain('PRISMA 2020 flow diagram: My &lt;review&gt; &amp; &quot;co&quot;');
    checkGeometry(layoutPrisma(HOSTILE, { detail: true }));
  });

  it('is accessible: title, desc with the whole flow, focusable boxes labelled with their text', () => {
    const svg = renderPrismaSvg(PENDING, { idPrefix: 'flow' });
    expect(svg).toMatch(/<svg [^>]*role="group"[^>]*aria-labelledby="flow-title" aria-describedby="flow-desc"/);
    expect(svg).toContain('<title id="flow-title">PRISMA 2020 flow diagram</title>');
    const desc = /<desc id="flow-desc">(.*?)<\/desc>/s.exec(svg)![1];
    for (const phrase of ['100 records identified from databases', '90 records screened, 50 excluded', '9 records screened, 2 excluded', '8 records are still pending']) {
      expect(desc).toContain(phrase);
    }
    const boxes = svgBoxes(svg);
    for (const box of boxes.values()) {
      const countBox = !['newstud', 'othstud', 'identification', 'screening', 'included'].includes(box.id);
      expect(box.focusable, box.id).toBe(countBox);
      // The label says everything the box shows (wrapping aside).
      expect(box.label.replace(/[\s;]/g, '')).toBe(box.text.replace(/[\s;]/g, ''));
    }
    // Each box carries a tooltip naming its PRISMA2020 field.
    expect(svg).toMatch(/data-box="records_screened"[^>]*><title>Records screened \(databases and registers\): records_screened<\/title>/);
  });

  it('says the flow is not final while records are pending, with the pending counts where they sit', () => {
    const svg = renderPrismaSvg(PENDING);
    const boxes = svgBoxes(svg);
    expect(boxes.get('pending')!.text).toContain('Screening in progress: 8 records are still pending. These counts are not final.');
    expect(boxes.get('pending')!.text).toContain('5 awaiting a title/abstract decision (databases and registers)');
    expect(boxes.get('records_screened')!.text).toBe('Records screened (n = 90) Awaiting a decision (n = 5)');
    expect(boxes.get('dbr_sought_reports')!.text).toBe('Reports sought for retrieval (n = 40) Awaiting full-text assessment (n = 2)');
    // Other methods removed records (a duplicate, exclusions): their screening boxes appear.
    expect(numbersIn(boxes.get('other_duplicates')!.text)).toEqual([1]);
    expect(boxes.get('other_records_screened')!.text).toBe('Records screened (n = 9) Awaiting a decision (n = 1)');
    expect(numbersIn(boxes.get('other_records_excluded')!.text)).toEqual([2]);
    expect(svg).toContain('class="prisma-flow prisma-flow-pending"');
    checkGeometry(layoutPrisma(PENDING, { detail: true }));
  });

  it('draws only the databases-and-registers branch when there are no other sources', () => {
    const only = counts({ ...FINISHED, website_results: 0, organisation_results: 0, citations_results: 0, other_records_screened: 0, other_sought_reports: 0, other_notretrieved_reports: 0, other_assessed: 0, other_excluded: [] });
    const layout = layoutPrisma(only);
    expect(layout.other).toBe(false);
    expect(layout.boxes.map((box) => box.id)).not.toContain('website_results');
    expect(layout.width).toBeLessThan(layoutPrisma(FINISHED).width);
    checkGeometry(layout);
    // Arrows: identified→removed, identified↓screened, screened→excluded, ↓sought, sought→not retrieved, ↓assessed, assessed→excluded, ↓included.
    expect(layout.arrows).toHaveLength(8);
  });

  it('lays out without overlaps with many sources and reasons, and large numbers', () => {
    const many = counts({
      ...PENDING,
      database_results: 1_234_567,
      database_specific_results: Array.from({ length: 12 }, (_, i) => ({ name: `Database number ${i + 1} with a long name`, n: 1000 + i })),
      register_specific_results: Array.from({ length: 4 }, (_, i) => ({ name: `Register ${i + 1}`, n: 10 + i })),
      dbr_excluded: Array.from({ length: 15 }, (_, i) => ({ name: `Reason ${i + 1}: ${'word '.repeat(i)}`, n: 100 - i })),
    });
    for (const detail of [false, true]) checkGeometry(layoutPrisma(many, { detail }));
    expect(renderPrismaSvg(many)).toContain('Databases (n = 1,234,567)');
    // Both branches in full: 8 on the left; on the right 4 across (removed, excluded, not retrieved,
    // reports excluded), 3 down and 1 into the included box.
    expect(layoutPrisma(many).arrows.length).toBe(8 + 4 + 3 + 1);
  });
});

describe('text helpers', () => {
  it('wraps at spaces, breaks words longer than a line, keeps "(n = x)" whole', () => {
    const lines = wrapText('Records marked as ineligible by automation tools (n\u00a0=\u00a01,234)', 150);
    expect(lines.at(-1)).toMatch(/\(n = 1,234\)$/);
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(150);
    const broken = wrapText('x'.repeat(100), 100);
    expect(broken.length).toBeGreaterThan(1);
    expect(broken.join('')).toBe('x'.repeat(100));
    expect(wrapText('', 100)).toEqual(['']);
  });

  it('formats counts with thousands separators and escapes XML', () => {
    expect([0, 7, 999, 1000, 2000, 1234567].map(formatCount)).toEqual(['0', '7', '999', '1,000', '2,000', '1,234,567']);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u001Fc\tok\n')).toBe('a\uFFFDb\uFFFDc\tok\n');
  });
});
