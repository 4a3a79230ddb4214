import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const wosImporter: Importer = {
  format: 'wos',
  label: 'Web of Science tagged',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
