/** Reads the PRISMA SVG back (as a reader of the file would): its boxes, their text and numbers. */

export interface SvgBox {
  id: string;
  kind: string;
  label: string;
  focusable: boolean;
  /** The text lines drawn in the box, unescaped. */
  lines: string[];
  /** The lines joined by spaces. */
  text: string;
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function svgBoxes(svg: string): Map<string, SvgBox> {
  const boxes = new Map<string, SvgBox>();
  const pattern = /<g class="prisma-box prisma-([a-z-]+)" data-box="([^"]+)" role="img" aria-label="([^"]*)"( tabindex="0")?>(.*?)<\/g>/gs;
  for (const match of svg.matchAll(pattern)) {
    const lines = [...match[5].matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((text) => unescapeXml(text[1]));
    boxes.set(match[2], { id: match[2], kind: match[1], label: unescapeXml(match[3]), focusable: match[4] !== undefined, lines, text: lines.join(' ') });
  }
  return boxes;
}

/** Every "(n = 1,234)" in the text, as numbers, in order. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/\(n = ([\d,]+)\)/g)].map((match) => Number(match[1].replace(/,/g, '')));
}

/** Whether `text` contains `expected`, ignoring where lines were wrapped. */
export function containsIgnoringWraps(text: string, expected: string): boolean {
  return text.replace(/\s+/g, '').includes(expected.replace(/\s+/g, ''));
}

/** "Name (n = 12)" entries of a list box (reasons, sources), read from its accessible label. */
export function namedCounts(label: string, heading: string): { name: string; n: number }[] {
  const rest = label.startsWith(heading) ? label.slice(heading.length).trim() : label;
  if (/^\(n = 0\)$/.test(rest)) return [];
  return rest.split('; ').map((item) => {
    const match = /^(.*) \(n = ([\d,]+)\)$/s.exec(item);
    if (!match) throw new Error(`not a "name (n = x)" item: ${item}`);
    return { name: match[1], n: Number(match[2].replace(/,/g, '')) };
  });
}
