import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const csvImporter: Importer = {
  format: 'csv',
  label: 'CSV/TSV',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
