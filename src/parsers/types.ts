import type { FormatId, ImportProblem, ParsedRecord } from '../screening/record';

/** What one importer returns for one file. Importers never throw: problems are data. */
export interface ParseResult {
  records: ParsedRecord[];
  problems: ImportProblem[];
}

/**
 * One input format. `sniff` looks at the decoded text (not the file name) and says how sure it is
 * that the text is in this format: 0 = not at all, 1 = certain. `parse` reads all it can and
 * reports the rest as problems with file and line.
 */
export interface Importer {
  format: FormatId;
  label: string;
  sniff(text: string): number;
  parse(text: string, file: string): ParseResult;
}
