/**
 * The e2e harness: a real VS Code (code-server) with the packaged extension installed, driven by
 * playwright-core in Debian's Chromium like a person would. Reusable by every flow:
 *
 *   await withVsCode('my-flow', { workspace: copyFixture('seeds') }, async (vsc) => {
 *     await vsc.openViewContainer('Screening');
 *     await vsc.runCommand('Screening: Refresh Records');
 *     await vsc.screenshot('after-refresh');
 *     const frame = await vsc.webview('PRISMA');       // the content frame of the webview showing 'PRISMA'
 *   });
 *
 * Artifacts go to test-results/e2e/<flow>/: numbered screenshots of each step, and on failure
 * `failure.png`, the server log and the extension host logs.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../support/codeServer';
import { repoRoot, testTools } from '../support/tools';

export { repoRoot };

/** Where e2e artifacts go: test-results/e2e/<flow>/. */
export const artifactsRoot = join(repoRoot, 'test-results', 'e2e');

/** Chromium flags for this machine: no sandbox as root, no GPU, no calls to the (closed) network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface VsCodeOptions extends Partial<Omit<CodeServerOptions, 'runDir'>> {
  /** Folder to open (use copyFixture: tests must not change the repo's files). */
  workspace?: string;
  /** The packaged extension; defaults to packagedExtension(). Pass [] in `extensions` to install none. */
  vsix?: string;
  viewport?: { width: number; height: number };
}

export class VsCode {
  private step = 0;

  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly artifacts: string,
    /** This run's folder (browser profile, and the server's when `server` is set). */
    readonly runDir: string,
    /** The code-server this session started; undefined when it opened a URL served by someone else. */
    readonly server?: CodeServer,
  ) {}

  /** The workbench's root element. */
  get workbench(): Locator {
    return this.page.locator('.monaco-workbench');
  }

  /** Saves a numbered screenshot of the whole window; returns its path. */
  async screenshot(label: string): Promise<string> {
    this.step += 1;
    const file = join(this.artifacts, `${String(this.step).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Opens the command palette, types the command's title and runs it (as a person would). The palette
   * lists the commands available when it opens, so it is opened again while the command is not yet
   * offered (an extension still activating, a context key not yet set), for up to `timeout` ms.
   * Resolves once the palette has closed or shows the command's own picker (then answer it with
   * `openQuickInput`-style locators: `.quick-input-widget input.input`).
   */
  async runCommand(title: string, timeout = 30_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const input = await this.openQuickInput('>');
      await input.fill(`>${title}`);
      const row = this.page.locator('.quick-input-widget .monaco-list-row', { has: this.page.locator('.label-name', { hasText: title }) }).first();
      const offered = await row
        .waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) })
        .then(() => true)
        .catch(() => false);
      if (offered) {
        await row.click();
        // The palette closes, or (a command that asks something) shows the command's own picker.
        const typed = `>${title}`;
        const until = Date.now() + 10_000;
        while ((await this.page.locator('.quick-input-widget').isVisible()) && (await input.inputValue().catch(() => '')) === typed) {
          if (Date.now() > until) throw new Error(`the command palette stayed open after choosing "${title}"`);
          await this.page.waitForTimeout(100);
        }
        return;
      }
      await this.closeQuickInput();
      if (Date.now() > deadline) throw new Error(`the command palette does not offer "${title}" (waited ${timeout} ms)`);
    }
  }

  /** Opens a workspace file through Quick Open (the palette without '>'), as a person types its name. */
  async quickOpen(fileName: string): Promise<void> {
    const input = await this.openQuickInput('');
    await input.fill(fileName);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens the command palette and returns its input, filled with `prefix` (">" for commands). */
  async openQuickInput(prefix = '>'): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input.input');
    await this.page.keyboard.press('F1');
    const opened = await input
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!opened) {
      await this.page.keyboard.press('Control+Shift+P');
      await input.waitFor({ state: 'visible' });
    }
    await input.fill(prefix);
    return input;
  }

  /** The entries the command palette offers for `query` (labels, as shown). */
  async paletteEntries(query: string): Promise<string[]> {
    const input = await this.openQuickInput('>');
    await input.fill(`>${query}`);
    const rows = this.page.locator('.quick-input-widget .monaco-list-row .label-name');
    await rows.first().waitFor({ state: 'visible' });
    // The list filters asynchronously: read it until two reads agree.
    let previous = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.page.waitForTimeout(250);
      const labels = (await rows.allTextContents()).map((text) => text.trim());
      if (labels.join('\n') === previous) return labels;
      previous = labels.join('\n');
    }
    return previous.split('\n');
  }

  /** Closes any open quick input (Escape). */
  async closeQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The activity-bar entry of a view container, by its title (e.g. "Screening"). */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item[aria-label^="${title}"]`).first();
  }

  /** Clicks a view container's activity-bar icon unless its side bar is already showing. */
  async openViewContainer(title: string): Promise<void> {
    const sideBarTitle = this.page.locator('.part.sidebar .composite.title h2', { hasText: new RegExp(`^${escapeRegExp(title)}`, 'i') });
    if (await sideBarTitle.isVisible()) return;
    await this.activityBarItem(title).click();
    await sideBarTitle.waitFor({ state: 'visible' });
  }

  /** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
  async setSideBarWidth(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not showing');
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    await this.page.mouse.move(box.x + width + 200, y); // off the sash, so it is not highlighted
  }

  /** A visible action (button) of the side bar's title or of a view's header, by its label. */
  sideBarAction(label: string): Locator {
    return this.page.locator(`.part.sidebar .action-label[aria-label^="${label}"]`).filter({ visible: true }).first();
  }

  /** Waits until no progress bar runs in the side bar (views loading, extensions activating). */
  async waitForSideBarIdle(timeout = 30_000): Promise<void> {
    await this.page.locator('.part.sidebar .monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout });
  }

  /** A view (pane) in the side bar by its name, e.g. "Records". */
  view(name: string): Locator {
    return this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: name }) });
  }

  /** The labels of the visible rows of a tree view, top to bottom. */
  async treeLabels(viewName: string): Promise<string[]> {
    const labels = this.view(viewName).locator('.monaco-list-row .label-name');
    return (await labels.allTextContents()).map((text) => text.trim());
  }

  /**
   * The content frame of a webview (the frame that holds the extension's HTML): the first whose
   * body contains `hasText`, or the first webview when omitted. Waits up to `timeout` ms.
   */
  async webview(hasText?: string, timeout = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.webviewFrames()) {
        if (hasText === undefined) return frame;
        const text = await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
        if (text.includes(hasText)) return frame;
      }
      if (Date.now() > deadline) {
        throw new Error(`no webview ${hasText === undefined ? 'is open' : `shows "${hasText}"`} after ${timeout} ms`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /** Content frames of all open webviews (each webview is an outer host frame with an inner content frame). */
  webviewFrames(): Frame[] {
    const main = this.page.mainFrame();
    return this.page.frames().filter((frame) => {
      const host = frame.parentFrame();
      return host !== null && host !== main && host.parentFrame() === main && frame.name() !== '' && /fake\.html|active-frame/.test(`${frame.url()} ${frame.name()}`);
    });
  }

  /** Text of the status bar. */
  async statusBarText(): Promise<string> {
    return (await this.page.locator('.part.statusbar').innerText()).replace(/\s+/g, ' ');
  }

  /** Copies the server and extension host logs (and any `extraLogs`) into the artifacts folder. */
  saveLogs(extraLogs: string[] = []): string[] {
    const saved: string[] = [];
    const logsDir = join(this.artifacts, 'logs');
    for (const file of [...(this.server?.logFiles() ?? []), ...extraLogs]) {
      if (!existsSync(file)) continue;
      const base = this.server && file.startsWith(this.server.runDir) ? this.server.runDir : join(file, '..');
      const target = join(logsDir, relative(base, file).replace(/[\\/]/g, '__'));
      mkdirSync(logsDir, { recursive: true });
      copyFileSync(file, target);
      saved.push(target);
    }
    return saved;
  }

  /** Closes the browser and stops the server this session started. */
  async stop(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.server?.stop();
  }
}

/**
 * Starts VS Code on `options.workspace` with the packaged extension, runs `flow`, and always stops
 * everything. On failure it saves failure.png and the logs before rethrowing.
 */
export async function withVsCode(name: string, options: VsCodeOptions, flow: (vsc: VsCode) => Promise<void>): Promise<void> {
  return withSession(await startVsCode(name, options), flow);
}

/** Runs `flow` on an open session, saves failure.png and the logs when it fails, and always stops the session. */
export async function withSession(vsc: VsCode, flow: (vsc: VsCode) => Promise<void>, extraLogs: () => string[] = () => []): Promise<void> {
  let failed = false;
  try {
    await flow(vsc);
  } catch (error) {
    failed = true;
    await vsc.page.screenshot({ path: join(vsc.artifacts, 'failure.png') }).catch(() => undefined);
    const logs = vsc.saveLogs(extraLogs());
    const note = `artifacts: ${vsc.artifacts} (failure.png, ${logs.length} log files)`;
    console.error(`${vsc.name}: ${note}`);
    if (error instanceof Error) {
      error.message = `${error.message}\n  ${note}`;
      if (error.stack) error.stack = `${error.stack}\n  ${note}`;
    }
    throw error;
  } finally {
    await vsc.stop();
    rmSync(vsc.runDir, { recursive: true, force: true });
    if (failed) console.error(`${vsc.name}: removed the run folder ${vsc.runDir}; its logs are in the artifacts`);
  }
}

/** Starts an isolated code-server with the packaged extension and opens `options.workspace` in Chromium. */
export async function startVsCode(name: string, options: VsCodeOptions = {}): Promise<VsCode> {
  const runDir = mkdtempSync(join(tmpdir(), `sr-e2e-${name}-`));
  const extensions = options.extensions ?? [options.vsix ?? packagedExtension()];
  const server = await startCodeServer({ ...options, runDir, extensions });
  try {
    return await openWorkbench(name, options.workspace ? server.folderUrl(options.workspace) : server.url, { runDir, server, viewport: options.viewport });
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Opens a workbench URL in a fresh Chromium profile and waits for the workbench. Use it directly for
 * a server started by someone else (e.g. `npm start`).
 */
export async function openWorkbench(
  name: string,
  url: string,
  options: { runDir?: string; server?: CodeServer; viewport?: { width: number; height: number } } = {},
): Promise<VsCode> {
  const tools = testTools();
  const artifacts = join(artifactsRoot, name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), `sr-e2e-${name}-`));
  mkdirSync(join(runDir, 'tmp'), { recursive: true });
  const context = await chromium.launchPersistentContext(join(runDir, 'chromium'), {
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    env: { ...process.env, TMPDIR: join(runDir, 'tmp') },
  });
  try {
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return new VsCode(name, context, page, artifacts, runDir, options.server);
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

const fixtureCopies = new Set<string>();
process.once('exit', () => {
  for (const dir of fixtureCopies) rmSync(dir, { recursive: true, force: true });
});

/** Copies a folder of the repo (e.g. 'seeds') to a fresh temporary folder, writable, removed at exit; returns its path. */
export function copyFixture(folder: string): string {
  const parent = mkdtempSync(join(tmpdir(), 'sr-workspace-'));
  fixtureCopies.add(parent);
  const target = join(parent, basename(folder));
  cpSync(join(repoRoot, folder), target, { recursive: true });
  makeWritable(target);
  return target;
}

function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

let vsixPath: string | undefined;

/**
 * The packaged extension. `npm run test:e2e` packages it once (scripts/package.mjs) and passes the
 * path in SR_VSIX; otherwise it is packaged here.
 */
export function packagedExtension(): string {
  if (vsixPath) return vsixPath;
  const fromEnv = process.env.SR_VSIX;
  if (fromEnv && existsSync(fromEnv)) return (vsixPath = fromEnv);
  const out = join(artifactsRoot, 'sr-screening.vsix');
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', out], { cwd: repoRoot, stdio: 'inherit' });
  return (vsixPath = out);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
