import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const risImporter: Importer = {
  format: 'ris',
  label: 'RIS',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
