import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const cslJsonImporter: Importer = {
  format: 'csl-json',
  label: 'CSL-JSON',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
