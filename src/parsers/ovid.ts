import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const ovidImporter: Importer = {
  format: 'ovid',
  label: 'Ovid tagged',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
