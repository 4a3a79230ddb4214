import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const cord19Importer: Importer = {
  format: 'cord19',
  label: 'CORD-19 metadata text',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
