/** Types for the two deep modules of @citation-js/plugin-bibtex the BibTeX importer uses (the package ships none). */
declare module '@citation-js/plugin-bibtex/lib/input/value.js' {
  /** Parses one raw BibTeX field value (LaTeX) as the field's type: text, name list, list, verbatim, … */
  export function parse(value: string, field: string, languages?: unknown): unknown;
}

declare module '@citation-js/plugin-bibtex/lib/mapping/index.js' {
  export interface BibLatexEntry {
    type: string;
    label: string;
    properties: Record<string, unknown>;
  }
  /** Maps value-parsed BibLaTeX entries to CSL items, resolving crossref among the given entries. */
  export function parse(entries: BibLatexEntry[]): Array<Record<string, unknown>>;
}
