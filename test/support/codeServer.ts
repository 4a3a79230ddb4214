/**
 * Starts an isolated code-server (a real VS Code workbench with a Node extension host) on loopback,
 * and ends it with its whole process group. Used by the e2e harness, the integration-test shim and
 * `npm start`. Everything it writes (profile, extensions, config, logs, temp files) stays in `runDir`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testTools, type TestTools } from './tools';

export interface CodeServerOptions {
  /** Folder for everything of this run (created when missing). */
  runDir: string;
  /** Loopback port; a free one when omitted. */
  port?: number;
  /** Packaged extensions (.vsix) to install before the server starts. */
  extensions?: string[];
  /** User settings (settings.json). */
  settings?: Record<string, unknown>;
  /** false: workspace trust is enabled and nothing is trusted, so folders open in Restricted Mode. */
  trusted?: boolean;
  /** Lets the workbench run a `payload` (extensionDevelopmentPath/extensionTestsPath): integration tests. */
  smokeTestDriver?: boolean;
  /** Also copy the server's output to this process's stderr. */
  echo?: boolean;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:<port>/ */
  url: string;
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** The server's own stdout and stderr. */
  logFile: string;
  process: ChildProcess;
  /** The workbench URL that opens `folder` (an absolute path on this machine). */
  folderUrl(folder: string, payload?: [string, string][]): string;
  /** Log files of the extension host(s) and the server, for test artifacts. */
  logFiles(): string[];
  /** Ends the server's whole process group; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Process groups still running, killed if this process exits without stopping them. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function serverEnv(tools: TestTools, runDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of an enclosing VS Code, Electron or npm run may leak into the server.
    if (/^(VSCODE_|ELECTRON_|npm_|NODE_OPTIONS$|NODE_COMPILE_CACHE$)/.test(key)) continue;
    env[key] = value;
  }
  const dirs = { XDG_CONFIG_HOME: 'xdg-config', XDG_DATA_HOME: 'xdg-data', XDG_CACHE_HOME: 'xdg-cache', TMPDIR: 'tmp' };
  for (const [key, dir] of Object.entries(dirs)) {
    env[key] = join(runDir, dir);
    mkdirSync(env[key]!, { recursive: true });
  }
  env.PATH = `${join(tools.node, '..')}:${process.env.PATH ?? ''}`;
  env.NODE_COMPILE_CACHE = tools.compileCache;
  // No extension marketplace: nothing to query on a closed network, and no updates behind the tests' back.
  env.EXTENSIONS_GALLERY = "{}";
  return env;
}

function baseArgs(options: CodeServerOptions, userDataDir: string, extensionsDir: string): string[] {
  return ['--config', join(options.runDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/** Installs a .vsix into the extensions folder of a run (the server need not be running). */
export function installExtension(runDir: string, vsix: string): void {
  const tools = testTools();
  const options: CodeServerOptions = { runDir };
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  const result = spawnSync(
    tools.node,
    [tools.codeServer, ...baseArgs(options, userDataDir, extensionsDir), '--install-extension', vsix, '--force'],
    { env: serverEnv(tools, runDir), encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const tools = testTools();
  const runDir = options.runDir;
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  const trusted = options.trusted ?? true;
  const settings: Record<string, unknown> = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    ...options.settings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const vsix of options.extensions ?? []) installExtension(runDir, vsix);

  const port = options.port ?? (await freePort());
  const logFile = join(runDir, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    tools.codeServer,
    ...baseArgs(options, userDataDir, extensionsDir),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(tools.node, args, {
    detached: true, // its own process group, ended as a whole in stop()
    stdio: ['ignore', options.echo ? 'pipe' : logFd, options.echo ? 'pipe' : logFd],
    env: serverEnv(tools, runDir),
  });
  if (options.echo) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        writeFileSync(logFile, chunk, { flag: 'a' });
      });
    }
  }
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  liveGroups.add(pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}/`;
  const server: CodeServer = {
    port,
    url,
    runDir,
    userDataDir,
    extensionsDir,
    logFile,
    process: child,
    folderUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}?${query.toString()}`;
    },
    logFiles() {
      return [logFile, ...findFiles(join(userDataDir, 'logs'), (name) => name.endsWith('.log'))];
    },
    async stop() {
      if (!liveGroups.has(pid)) return;
      liveGroups.delete(pid);
      const signal = (name: NodeJS.Signals): void => {
        try {
          process.kill(-pid, name);
        } catch {
          // the group is gone
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // any child left in the group
    },
  };

  // Ready when /healthz answers; fail fast when the process dies first.
  const deadline = Date.now() + 90_000;
  let died = false;
  void exited.then(() => (died = true));
  for (;;) {
    if (died) throw new Error(`code-server exited during start-up; see ${logFile}`);
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer on ${url} within 90 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return server;
}

function findFiles(dir: string, match: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, match));
    else if (match(name)) found.push(path);
  }
  return found;
}
