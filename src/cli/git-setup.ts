import { resolve } from 'node:path';
import type { CliCommand } from './commands';
import { parseArgs } from './args';
import { onePositional } from './review-dir';
import { mergeDriverCommand, setupMergeDriver } from '../screening/git-setup';

export const gitSetupCommand: CliCommand = {
  name: 'git-setup',
  summary: 'Configure the git merge driver for decisions files in a review repository',
  usage:
    'Usage: sr-screening git-setup [DIR] [--cli COMMAND]\n' +
    'Adds the merge attributes to DIR/.gitattributes and sets merge.sr-screening-decisions.driver in the\n' +
    "repository's local git config. COMMAND runs this CLI (default: this node and this script).",
  async run(argv) {
    const { positional, flags } = parseArgs(argv, [], ['cli']);
    const root = resolve(onePositional(positional) ?? '.');
    const cli = (flags.get('cli') as string | undefined) ?? mergeDriverCommand(resolve(process.argv[1]), process.execPath).replace(/ merge-decisions %O %A %B$/, '');
    const setup = await setupMergeDriver(root, cli);
    process.stdout.write(
      `${setup.attributesAdded.length > 0 ? `Added to .gitattributes:\n  ${setup.attributesAdded.join('\n  ')}\n` : '.gitattributes already set.\n'}` +
        `git config merge.sr-screening-decisions.driver ${JSON.stringify(setup.driver)}\n`,
    );
    return 0;
  },
};
