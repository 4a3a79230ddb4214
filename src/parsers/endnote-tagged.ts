import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const endnoteTaggedImporter: Importer = {
  format: 'endnote-tagged',
  label: 'EndNote/Refer tagged',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
