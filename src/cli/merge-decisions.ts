import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliCommand } from './commands';
import { parseArgs, UsageError } from './args';
import { mergeFileTexts } from '../screening/merge';
import { nodeFileSystem } from '../screening/review-fs';

/** The git merge driver: `merge-decisions %O %A %B` writes the merge of the three into %A. */
export const mergeDecisionsCommand: CliCommand = {
  name: 'merge-decisions',
  summary: 'Git merge driver for decisions files: merges BASE, OURS and THEIRS into OURS',
  usage:
    'Usage: sr-screening merge-decisions BASE OURS THEIRS\n' +
    'Configure with: git config merge.sr-screening-decisions.driver "sr-screening merge-decisions %O %A %B"\n' +
    '(or run `sr-screening git-setup`). Exit status 0 merged, 1 not mergeable (git then reports a conflict).',
  async run(argv) {
    const { positional } = parseArgs(argv, []);
    if (positional.length !== 3) throw new UsageError('expected three files: BASE OURS THEIRS');
    const [basePath, oursPath, theirsPath] = positional;
    const read = (path: string, optional: boolean): string | undefined => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    };
    const result = mergeFileTexts(read(basePath, true), read(oursPath, false) ?? '', read(theirsPath, false) ?? '', basename(oursPath));
    if (!result.ok) {
      process.stderr.write(`sr-screening merge-decisions: ${result.message}\n`);
      return 1;
    }
    await nodeFileSystem.writeAtomic(oursPath, result.text);
    return 0;
  },
};
