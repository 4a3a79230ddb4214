import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const pubmedXmlImporter: Importer = {
  format: 'pubmed-xml',
  label: 'PubMed XML',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
