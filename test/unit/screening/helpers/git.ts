/** Real git for scenario tests: a bare remote and clones with their own local identity. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mergeDriverCommand, setupMergeDriver } from '../../../../src/screening/git-setup';
import type { GitRunner } from '../../../../src/screening/reviewer';

/** Keeps the machine's global and system git config out (identity is set per clone, locally). */
export function gitEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

export class Git {
  constructor(readonly home: string) {
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'gitconfig'), '');
  }

  run(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, env: gitEnv(this.home), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs git and returns its exit status and output instead of throwing. */
  try(cwd: string, ...args: string[]): { status: number; output: string } {
    const result = spawnSync('git', args, { cwd, env: gitEnv(this.home), encoding: 'utf8' });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /** A GitRunner for Review.load / setupMergeDriver with the same environment. */
  runner(): GitRunner {
    return async (args, cwd) => {
      const result = spawnSync('git', args, { cwd, env: gitEnv(this.home), encoding: 'utf8' });
      return { code: result.status ?? 127, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
    };
  }

  initRemote(path: string): void {
    mkdirSync(path, { recursive: true });
    this.run(path, 'init', '--quiet', '--bare', '--initial-branch=main');
  }

  clone(remote: string, path: string, email: string, name: string): void {
    this.run(this.home, 'clone', '--quiet', remote, path);
    this.run(path, 'config', 'user.email', email);
    this.run(path, 'config', 'user.name', name);
    this.run(path, 'config', 'pull.rebase', 'false');
  }

  commitAll(cwd: string, message: string): void {
    this.run(cwd, 'add', '-A');
    this.run(cwd, 'commit', '--quiet', '-m', message);
  }

  push(cwd: string): void {
    this.run(cwd, 'push', '--quiet', 'origin', 'HEAD:main');
  }

  /** Pulls with a merge; returns git's status (non-zero on a conflict). */
  pull(cwd: string): { status: number; output: string } {
    return this.try(cwd, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
  }

  unmerged(cwd: string): string[] {
    return this.run(cwd, 'diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean);
  }
}

/** Bundles the real CLI (src/cli.ts) so clones can use it as their merge driver. */
export async function bundleCli(outDir: string): Promise<string> {
  const outfile = join(outDir, 'cli.cjs');
  await build({ entryPoints: [join(__dirname, '../../../../src/cli.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}

/** Configures the merge driver in a clone, as `sr-screening git-setup` would. */
export async function configureDriver(git: Git, clone: string, cli: string): Promise<void> {
  await setupMergeDriver(clone, mergeDriverCommand(cli, process.execPath), git.runner());
}
