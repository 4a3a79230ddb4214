import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const plainTextImporter: Importer = {
  format: 'plain-text',
  label: 'Plain text',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
