import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliCommand } from './commands';
import { parseArgs, UsageError } from './args';
import { mergeFileTexts } from '../screening/merge';
import { describeSettingConflict, isReviewConfigText, mergeReviewTexts } from '../screening/review-merge';
import { nodeFileSystem } from '../screening/review-fs';

/** The git merge driver: `merge-decisions %O %A %B` writes the merge of the three into %A. */
export const mergeDecisionsCommand: CliCommand = {
  name: 'merge-decisions',
  summary: 'Git merge driver for decisions files and review.json: merges BASE, OURS and THEIRS into OURS',
  usage:
    'Usage: sr-screening merge-decisions BASE OURS THEIRS\n' +
    'Configure with: git config merge.sr-screening-decisions.driver "sr-screening merge-decisions %O %A %B"\n' +
    '(or run `sr-screening git-setup`). Exit status 0 merged, 1 not mergeable (git then reports a conflict).\n' +
    'review.json: sources, reasons and keywords are united; a setting changed differently on both sides is\n' +
    'left between conflict markers (exit status 1) with everything else merged.',
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
    const [baseText, oursText, theirsText] = [read(basePath, true), read(oursPath, false) ?? '', read(theirsPath, false) ?? ''];
    if (isReviewConfigText(oursText) || isReviewConfigText(theirsText)) {
      const merged = mergeReviewTexts(baseText, oursText, theirsText);
      if (!merged.ok) {
        process.stderr.write(`sr-screening merge-decisions: ${merged.message}\n`);
        return 1;
      }
      await nodeFileSystem.writeAtomic(oursPath, merged.text);
      if (merged.conflicts.length === 0) return 0;
      process.stderr.write(
        `sr-screening merge-decisions: review.json merged; settings changed differently on both sides are left between conflict markers:\n` +
          merged.conflicts.map((conflict) => `  ${describeSettingConflict(conflict)}\n`).join(''),
      );
      return 1;
    }
    const result = mergeFileTexts(baseText, oursText, theirsText, basename(oursPath));
    if (!result.ok) {
      process.stderr.write(`sr-screening merge-decisions: ${result.message}\n`);
      return 1;
    }
    await nodeFileSystem.writeAtomic(oursPath, result.text);
    return 0;
  },
};
