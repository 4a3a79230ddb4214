import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const refworksImporter: Importer = {
  format: 'refworks',
  label: 'RefWorks tagged',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
