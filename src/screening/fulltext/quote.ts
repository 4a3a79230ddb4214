/** A quote from a PDF as a decision's note holds it: `p. 3: “…”`, white space collapsed, at most 1,000 characters. */
export function formatQuote(text: string, page: number): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat || !Number.isInteger(page) || page < 1) return undefined;
  const short = flat.length > 1000 ? `${flat.slice(0, 999)}…` : flat;
  return `p. ${page}: “${short}”`;
}
