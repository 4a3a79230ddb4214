/**
 * Finds the test tools that scripts/provision-test-tools.sh put in the cache folder
 * (Node 24, code-server, Chromium), provisioning them first when they are missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TestTools {
  cache: string;
  /** Node 24 binary that runs code-server. */
  node: string;
  nodeVersion: string;
  /** code-server's entry script (run with `node`). */
  codeServer: string;
  codeServerVersion: string;
  /** Debian's Chromium, driven by playwright-core. */
  chromium: string;
  /** NODE_COMPILE_CACHE for code-server: cuts its start-up time. */
  compileCache: string;
}

/** The repository root (the folder that holds package.json). */
export const repoRoot = findRepoRoot();

export function toolsCache(): string {
  return process.env.SR_TOOLS_CACHE ?? join(homedir(), '.cache', 'sr-screening-tools');
}

let cached: TestTools | undefined;

/** The provisioned tools; runs the provisioning script when the cache lacks them. */
export function testTools(): TestTools {
  if (cached) return cached;
  const file = join(toolsCache(), 'tools.json');
  const read = (): TestTools | undefined => {
    if (!existsSync(file)) return undefined;
    const tools = JSON.parse(readFileSync(file, 'utf8')) as TestTools;
    return [tools.node, tools.codeServer, tools.chromium].every((path) => existsSync(path)) ? tools : undefined;
  };
  let tools = read();
  if (!tools) {
    execFileSync('bash', [join(repoRoot, 'scripts', 'provision-test-tools.sh')], { stdio: 'inherit' });
    tools = read();
    if (!tools) throw new Error(`provisioning did not produce usable tools in ${file}`);
  }
  cached = tools;
  return tools;
}

function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sr-screening') return dir;
    const parent = join(dir, '..');
    if (parent === dir) throw new Error(`no sr-screening package.json above ${__dirname}`);
    dir = parent;
  }
}
