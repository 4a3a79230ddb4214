import type { CliCommand } from './commands';
import { parseArgs } from './args';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import export files and print records, duplicates and problems',
  usage: 'Usage: sr-screening import FILE|DIR... [--json]',
  async run() {
    void parseArgs;
    return 1;
  },
};
