/**
 * The file I/O a Review needs, behind a small interface (tests and the extension can pass their
 * own), and its Node implementation with atomic, durable writes: a temporary file in the same
 * folder, fsync, rename over the target, fsync the folder. A crash leaves either the old file or
 * the new one, never a half-written or empty file.
 */
import { promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What identifies one version of a file on disk, to notice changes made by others. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'other';
}

export interface ReviewFileSystem {
  /** The file's text and stamp, or undefined when it does not exist. */
  readText(path: string): Promise<{ text: string; stamp: FileStamp } | undefined>;
  readBytes(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<FileStamp | undefined>;
  /** Replaces the file atomically and durably (creating its folder); resolves with the new stamp once on disk. */
  writeAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<FileStamp>;
  /** Entries of a folder, empty when it does not exist. */
  readDir(path: string): Promise<DirEntry[]>;
  /** Removes leftovers of interrupted atomic writes in a folder. */
  cleanTemporaryFiles?(dir: string): Promise<void>;
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

function stampOf(stats: Stats): FileStamp {
  return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Temporary files are `.<name>.<pid>.<n>.tmp`: hidden, and not matched by `*.json` globs. */
const TEMPORARY = /^\..+\.(\d+)\.\d+\.tmp$/;
let temporaryCounter = 0;

const RETRIED_RENAME_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);

export const nodeFileSystem: ReviewFileSystem = {
  async readText(path) {
    try {
      const handle = await fsp.open(path, 'r');
      try {
        const [stats, text] = [await handle.stat(), await handle.readFile('utf8')];
        return { text, stamp: stampOf(stats) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async readBytes(path) {
    return fsp.readFile(path);
  },

  async stat(path) {
    try {
      return stampOf(await fsp.stat(path));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async writeAtomic(path, data) {
    const dir = dirname(path);
    await fsp.mkdir(dir, { recursive: true });
    const temporary = join(dir, `.${basename(path)}.${process.pid}.${temporaryCounter++}.tmp`);
    const handle = await fsp.open(temporary, 'w');
    try {
      try {
        if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data, typeof data === 'string' ? 'utf8' : undefined);
        else await writeAll(handle, data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await renameWithRetry(temporary, path);
    } catch (error) {
      await fsp.unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
    return stampOf(await fsp.stat(path));
  },

  async readDir(path) {
    try {
      const entries = await fsp.readdir(path, { withFileTypes: true });
      return entries.map((entry) => ({
        name: entry.name,
        kind: entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other',
      }));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },

  async cleanTemporaryFiles(dir) {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const match = TEMPORARY.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      const path = join(dir, name);
      let stale = !processAlive(pid);
      if (!stale) {
        // Another live process (possibly on another machine sharing the folder) may own it: only
        // remove it when it is old.
        const stats = await fsp.stat(path).catch(() => undefined);
        stale = stats !== undefined && Date.now() - stats.mtimeMs > 10 * 60_000;
      }
      if (stale) await fsp.unlink(path).catch(() => undefined);
    }
  },
};

/** Writes buffers in order with writev (no concatenated copy), finishing any partial write. */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.byteLength > 0);
  while (pending.length > 0) {
    const batch = pending.slice(0, 512);
    let { bytesWritten } = await handle.writev(batch as Uint8Array[]);
    let index = 0;
    while (index < batch.length && bytesWritten >= batch[index].byteLength) bytesWritten -= batch[index++].byteLength;
    const rest = index < batch.length && bytesWritten > 0 ? [batch[index].subarray(bytesWritten), ...batch.slice(index + 1)] : batch.slice(index);
    pending = [...rest, ...pending.slice(batch.length)];
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Windows refuses to replace a file another process (an editor, a virus scanner) holds open for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !RETRIED_RENAME_CODES.has(code) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** Makes the rename itself durable. Folders cannot be opened for fsync on Windows: skipped there. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Paths in review.json and provenance use forward slashes, relative to the review root. */
export function toReviewPath(relativePath: string): string {
  return relativePath.includes('\\') ? relativePath.split('\\').join('/') : relativePath;
}
