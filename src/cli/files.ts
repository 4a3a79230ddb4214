/** Turns command-line paths (files or folders) into import inputs. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ImportInput } from '../screening/import-records';
import { UsageError } from './args';

/** Folders that hold the review's own state or tooling, never records. */
const SKIPPED_DIRECTORIES = new Set(['screening', 'node_modules']);

/** Expands folders (recursively, in name order, skipping dot-entries) and reads every file. */
export function readImportInputs(paths: readonly string[], cwd = process.cwd()): ImportInput[] {
  const files: string[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    if (stats.isDirectory()) collectFiles(path, files);
    else files.push(path);
  }
  return files.map((path) => {
    const shown = relative(cwd, path);
    const file = shown.startsWith('..') ? path : shown;
    try {
      return { file, bytes: readFileSync(path) };
    } catch (error) {
      return { file, bytes: new Uint8Array(), readError: error instanceof Error ? error.message : String(error) };
    }
  });
}

function collectFiles(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) collectFiles(path, out);
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
}
