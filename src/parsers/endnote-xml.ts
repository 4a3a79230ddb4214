import type { Importer } from './types';

// STUB: to be replaced by the real importer.
export const endnoteXmlImporter: Importer = {
  format: 'endnote-xml',
  label: 'EndNote XML',
  sniff: () => 0,
  parse: () => ({ records: [], problems: [] }),
};
