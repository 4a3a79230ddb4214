/**
 * BibLaTeX export through citation-js (@citation-js/plugin-bibtex): the CSL items of csl.ts, with
 * LaTeX escaping, name lists and field mapping done by the library. BibLaTeX rather than classic
 * BibTeX because its output keeps the abstract, the keywords and the PMID (eprint, eprinttype pubmed);
 * Zotero, JabRef and biber read it. The screening outcome is in `note`.
 */
import { plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { citationKeys, cslItem, type CslItem } from './csl';
import type { ExportItem } from './outcome';

export function bibtex(items: readonly ExportItem[]): string {
  const keys = citationKeys(items);
  const data = items.map((item, index) => latexFields({ ...cslItem(item), 'citation-key': keys[index] }));
  // Unicode as is (UTF-8 BibTeX, which biber, Zotero and JabRef read): citation-js's ASCII mode drops
  // the characters it has no LaTeX command for (CJK journal names, U+2010 hyphens, subscripts), and
  // without it escapes nothing, so the LaTeX special characters are escaped here (latexFields).
  const config = plugins.config.get('@bibtex') as { format: { asciiOnly: boolean } };
  const asciiOnly = config.format.asciiOnly;
  config.format.asciiOnly = false;
  try {
    return String(plugins.output.format('biblatex', data, { format: 'text' }));
  } finally {
    config.format.asciiOnly = asciiOnly;
  }
}


/** Text fields (not DOI, URL, PMID: citation-js writes those verbatim) with LaTeX's special characters escaped. */
function latexFields(item: CslItem & { 'citation-key': string }): CslItem & { 'citation-key': string } {
  const out = { ...item };
  for (const key of ['title', 'container-title', 'volume', 'issue', 'page', 'abstract', 'keyword', 'note'] as const) {
    const value = out[key];
    if (typeof value === 'string') out[key] = escapeLatex(value);
  }
  if (out.author) out.author = out.author.map((name) => Object.fromEntries(Object.entries(name).map(([part, text]) => [part, escapeLatex(text as string)])));
  return out;
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function escapeLatex(text: string): string {
  // "--" would read back as an en dash (a TeX ligature): "-{}-" keeps two hyphens.
  return text.replace(/[\\{}%&$#_~^]/g, (c) => LATEX_SPECIAL[c]).replace(/-(?=-)/g, '-{}');
}
