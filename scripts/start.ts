/**
 * `npm start`: builds and packages the extension, then opens the bundled sample review (a copy of
 * seeds/) in VS Code:
 *   - the desktop `code`, when it is on PATH: an extension development host on the copy;
 *   - otherwise a local code-server on 127.0.0.1 with the packaged extension installed; it prints the
 *     URL to open and stays up until Ctrl+C.
 *
 * The sample review is screening-ready (src/screening/sample-review.ts): the seeds with a review.json
 * (sources and their PRISMA categories, terms to highlight, exclusion reasons), and workspace settings
 * that open the Records view and the first record in the reader. It is kept between starts, decisions
 * included; `npm start -- --fresh` sets the old one aside (renamed, never deleted) and starts anew.
 *
 * Environment: SR_START_PORT (default 8080, or a free port when taken), SR_START_WORKSPACE (the
 * sample review folder, default .sample-review/seeds), SR_START_PROFILE (the code-server profile
 * folder), SR_START_NO_DESKTOP=1 (use code-server even when `code` exists).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { prepareSampleReview, setAsideSampleReview } from '../src/screening/sample-review';
import { freePort, startCodeServer } from '../test/support/codeServer';
import { repoRoot, testTools, toolsCache } from '../test/support/tools';

async function main(): Promise<number> {
  const vsix = join(repoRoot, 'out', 'sr-screening.vsix');
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', vsix], { cwd: repoRoot, stdio: 'inherit' });
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--fresh');
  if (unknown.length > 0) {
    console.error(`start: unknown argument ${unknown.join(' ')} (usage: npm start [-- --fresh])`);
    return 2;
  }
  const workspace = resolve(process.env.SR_START_WORKSPACE ?? join(repoRoot, '.sample-review', 'seeds'));
  if (args.includes('--fresh')) {
    const aside = await setAsideSampleReview(workspace);
    if (aside) console.log(`start: --fresh: the previous sample review (and its decisions) is now in ${aside}`);
  }
  await prepareSampleReview(join(repoRoot, 'seeds'), workspace);

  if (!process.env.SR_START_NO_DESKTOP && onPath('code')) {
    console.log(`start: opening ${workspace} in VS Code with the extension under development (${repoRoot})`);
    const result = spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
    return result.status ?? 1;
  }

  testTools(); // provisions code-server when missing
  const runDir = resolve(process.env.SR_START_PROFILE ?? join(toolsCache(), 'start-profile'));
  const port = await choosePort();
  const server = await startCodeServer({ runDir, port, extensions: [vsix] });
  const url = server.folderUrl(workspace);
  console.log('');
  console.log('Systematic Review Screening is running in VS Code (code-server) on the sample review:');
  console.log(`  ${url}`);
  console.log(`Open that URL in a browser; the Screening icon is in the activity bar. Press Ctrl+C to stop.`);
  console.log(`(server log: ${server.logFile})`);

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      console.log(`\nstart: ${signal}, stopping code-server`);
      void server.stop().then(() => resolveExit(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGHUP', () => stop('SIGHUP'));
    server.process.once('exit', (code) => {
      if (stopping) return;
      console.error(`start: code-server exited (${code}); see ${server.logFile}`);
      void server.stop().then(() => resolveExit(1));
    });
  });
}

async function choosePort(): Promise<number> {
  const wanted = Number(process.env.SR_START_PORT ?? 8080);
  const free = await new Promise<boolean>((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(wanted, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
  if (free) return wanted;
  const port = await freePort();
  console.log(`start: port ${wanted} is taken, using ${port}`);
  return port;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
