import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const bibtexImporter: Importer = {
  format: 'bibtex',
  label: 'BibTeX',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
