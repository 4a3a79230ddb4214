/**
 * Sets up the git merge driver for decisions files in a review repository:
 *
 *   .gitattributes (at the review root):
 *     screening/decisions/*.json merge=sr-screening-decisions
 *     screening/resolutions.json merge=sr-screening-decisions
 *     screening/review.json merge=sr-screening-decisions   (united sources, reasons, keywords)
 *   git config merge.sr-screening-decisions.driver "<cli> merge-decisions %O %A %B"
 *
 * The attributes are committed and shared; the driver command is local to each clone (git never
 * runs commands from a repository's own files), so every clone runs this once. A clone without it
 * falls back to git's text merge and may produce conflict markers, which the Review (and the
 * driver) recover.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { runGit, type GitRunner } from './reviewer';

export const MERGE_DRIVER = 'sr-screening-decisions';

export const GITATTRIBUTES_LINES = [
  `screening/decisions/*.json merge=${MERGE_DRIVER}`,
  `screening/resolutions.json merge=${MERGE_DRIVER}`,
  `screening/review.json merge=${MERGE_DRIVER}`,
];

/** The driver command for a CLI run by node: `"<node>" "<cli.js>" merge-decisions %O %A %B`. */
export function mergeDriverCommand(cli: string, node?: string): string {
  const quote = (path: string) => (/^[\w@%+=:,./-]+$/.test(path) ? path : `"${path.replace(/(["\\$`])/g, '\\$1')}"`);
  return `${node ? `${quote(node)} ` : ''}${quote(cli)} merge-decisions %O %A %B`;
}

export interface MergeDriverSetup {
  /** Lines added to .gitattributes (empty when already there). */
  attributesAdded: string[];
  driver: string;
}

/**
 * Writes the .gitattributes lines (if missing) and configures the driver in the repository's
 * local git config. `cliCommand` is the command that runs the CLI, e.g. `node /x/dist/cli.js` or
 * `sr-screening`; see mergeDriverCommand.
 */
export async function setupMergeDriver(reviewRoot: string, cliCommand: string, run: GitRunner = runGit): Promise<MergeDriverSetup> {
  const path = join(reviewRoot, '.gitattributes');
  let existing = '';
  try {
    existing = await fsp.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim().replace(/\s+/g, ' ')));
  const missing = GITATTRIBUTES_LINES.filter((line) => !present.has(line));
  if (missing.length > 0) {
    const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
    await fsp.writeFile(path, `${existing}${separator}${missing.join('\n')}\n`, 'utf8');
  }
  const driver = cliCommand.includes('%A') ? cliCommand : `${cliCommand} merge-decisions %O %A %B`;
  for (const args of [
    ['config', `merge.${MERGE_DRIVER}.name`, 'sr-screening decisions merge (later decision wins, nothing dropped)'],
    ['config', `merge.${MERGE_DRIVER}.driver`, driver],
  ]) {
    const result = await run(args, reviewRoot);
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  }
  return { attributesAdded: missing, driver };
}
