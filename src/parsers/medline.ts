import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const medlineImporter: Importer = {
  format: 'medline',
  label: 'MEDLINE',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
