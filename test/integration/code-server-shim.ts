#!/usr/bin/env node
/**
 * Stands in for the VS Code executable that @vscode/test-electron's `runTests` spawns, on machines
 * that cannot download VS Code. It takes the same arguments (`--extensionDevelopmentPath=…`,
 * `--extensionTestsPath=…`, a workspace folder; the rest is ignored), runs the suite inside the Node
 * extension host of an isolated code-server through the workbench's smoke-test `payload`, prints what
 * the extension host prints, and exits with the suite's result: 0 when `run()` resolved, 1 otherwise.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot, testTools } from '../support/tools';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
/** Everything the workbench and the extension host print, kept as a test artifact. */
const CONSOLE_LOG = join(repoRoot, 'test-results', 'integration', 'console.log');
/** Routine workbench start-up messages, left out of the terminal output (they stay in CONSOLE_LOG). */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Updating additional builtin extensions cache|Creation of workbench contribution)/;
const TIMEOUT_MS = Number(process.env.SR_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);

function parseArgs(argv: string[]): { developmentPaths: string[]; testsPath: string; workspace?: string; env: Record<string, string> } {
  const developmentPaths: string[] = [];
  let testsPath: string | undefined;
  let workspace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string): string | undefined => {
      if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
      if (arg === `--${name}`) return argv[++i];
      return undefined;
    };
    const development = value('extensionDevelopmentPath');
    if (development !== undefined) {
      developmentPaths.push(resolve(development));
      continue;
    }
    const tests = value('extensionTestsPath');
    if (tests !== undefined) {
      testsPath = resolve(tests);
      continue;
    }
    if (arg === '--user-data-dir' || arg === '--extensions-dir') i++; // a value we replace with our own
    else if (!arg.startsWith('-') && workspace === undefined) workspace = resolve(arg);
  }
  if (developmentPaths.length === 0 || !testsPath) {
    throw new Error('usage: code-server-shim --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> [folder]');
  }
  // Environment variables for the tests, as @vscode/test-electron passes them (extensionTestsEnv).
  const env: Record<string, string> = {};
  for (const [key, val] of Object.entries(process.env)) if (key.startsWith('SR_') && val !== undefined) env[key] = val;
  return { developmentPaths, testsPath, workspace, env };
}

async function main(): Promise<number> {
  const { developmentPaths, testsPath, workspace, env } = parseArgs(process.argv.slice(2));
  const tools = testTools();
  const runDir = mkdtempSync(join(tmpdir(), 'sr-integration-'));
  let server: CodeServer | undefined;
  let failed = true;
  try {
    server = await startCodeServer({ runDir, smokeTestDriver: true, extensions: [] });
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server!.port}${path}`;
    const payload: [string, string][] = [
      ...developmentPaths.map((path): [string, string] => ['extensionDevelopmentPath', remote(path)]),
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify(env)],
    ];
    const context = await chromium.launchPersistentContext(join(runDir, 'chromium'), {
      executablePath: tools.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, TMPDIR: join(runDir, 'tmp') },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      let resolveExit: (code: number) => void = () => undefined;
      const exit = new Promise<number>((resolvePromise) => (resolveExit = resolvePromise));
      mkdirSync(dirname(CONSOLE_LOG), { recursive: true });
      writeFileSync(CONSOLE_LOG, '');
      await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
        const line = format(...(Array.isArray(args) ? args : [args]));
        appendFileSync(CONSOLE_LOG, `[${type}] ${line}\n`);
        if (!WORKBENCH_NOISE.test(line)) (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
      });
      await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      const timeout = new Promise<number>((resolveTimeout) =>
        setTimeout(() => {
          console.error(`code-server-shim: the suite did not finish within ${TIMEOUT_MS / 1000} s`);
          resolveTimeout(1);
        }, TIMEOUT_MS).unref(),
      );
      await page.goto(server.folderUrl(workspace ?? runDir, payload));
      const code = await Promise.race([exit, timeout]);
      failed = code !== 0;
      return code;
    } finally {
      await context.close().catch(() => undefined);
    }
  } finally {
    await server?.stop();
    if (failed && server) {
      const logsDir = join(dirname(CONSOLE_LOG), 'logs');
      rmSync(logsDir, { recursive: true, force: true });
      mkdirSync(logsDir, { recursive: true });
      for (const file of server.logFiles()) {
        if (existsSync(file)) copyFileSync(file, join(logsDir, relative(runDir, file).replace(/[\\/]/g, '__')));
      }
      console.error(`code-server-shim: console output in ${CONSOLE_LOG}; server and extension host logs in ${logsDir}`);
    }
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`code-server-shim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
