import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryKey, type Decision } from '../../../src/screening/decision';
import { readEntryFile, serialiseEntryFile } from '../../../src/screening/entry-file';
import { EntryStore, KeyBlocks } from '../../../src/screening/entry-store';
import { nodeFileSystem, type ReviewFileSystem } from '../../../src/screening/review-fs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const decision = (record: string, verdict: Decision['verdict'], second = 0): Decision => ({
  record,
  stage: 'title-abstract',
  verdict,
  reason: null,
  note: null,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

/** A file system that counts writes and can be told to fail the next one. */
function countingFs(): ReviewFileSystem & { writes: number; failNext: boolean } {
  const fs = {
    ...nodeFileSystem,
    writes: 0,
    failNext: false,
    async writeAtomic(path: string, data: string | Uint8Array) {
      if (fs.failNext) {
        fs.failNext = false;
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      }
      fs.writes++;
      return nodeFileSystem.writeAtomic(path, data);
    },
  };
  return fs;
}

describe('key blocks', () => {
  it('stay sorted through inserts, removals and splits', () => {
    const blocks = KeyBlocks.from([]);
    const reference = new Set<string>();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 6000; i++) {
      const key = `k${Math.floor(random() * 3000)}`;
      if (random() < 0.7) {
        if (!reference.has(key)) {
          blocks.insert(key);
          reference.add(key);
        }
      } else if (reference.has(key)) {
        blocks.remove(key);
        reference.delete(key);
      }
    }
    expect([...blocks.keys()]).toEqual([...reference].sort());
    expect(blocks.size).toBe(reference.size);
  });
});

describe('entry store', () => {
  it('writes exactly the canonical file after many changes', async () => {
    const path = join(dir, 'a.json');
    const store = await EntryStore.open('decisions', path, nodeFileSystem, { reviewer: 'a' });
    const expected = new Map<string, Decision>();
    for (let i = 0; i < 2500; i++) {
      const d = decision(`r${(i * 7919) % 1800}`, i % 2 ? 'include' : 'exclude', i % 60);
      store.set(d);
      expected.set(d.record, d);
      if (i % 13 === 0) {
        const gone = `r${(i * 31) % 1800}`;
        store.delete(entryKey(gone, 'title-abstract'));
        expected.delete(gone);
      }
      if (i % 500 === 0) await store.save();
    }
    await store.save();
    expect(readFileSync(path, 'utf8')).toBe(serialiseEntryFile('decisions', { reviewer: 'a' }, [...expected.values()]));
    const reopened = await EntryStore.open('decisions', path, nodeFileSystem, { reviewer: 'a' });
    reopened.prepareWrites();
    reopened.set(decision('r0', 'maybe', 59));
    expected.set('r0', decision('r0', 'maybe', 59));
    await reopened.save();
    expect(readFileSync(path, 'utf8')).toBe(serialiseEntryFile('decisions', { reviewer: 'a' }, [...expected.values()]));
  });

  it('groups saves requested while one is running into one write', async () => {
    const fs = countingFs();
    const store = await EntryStore.open('decisions', join(dir, 'a.json'), fs, { reviewer: 'a' });
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        store.set(decision(`r${i}`, 'include'));
        return store.save();
      }),
    );
    expect(fs.writes).toBeLessThanOrEqual(2);
    const read = readEntryFile('decisions', readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(read.status === 'ok' && read.entries.length).toBe(100);
  });

  it('keeps changes of a failed write for the next one', async () => {
    const fs = countingFs();
    const path = join(dir, 'a.json');
    const store = await EntryStore.open('decisions', path, fs, { reviewer: 'a' });
    store.set(decision('r1', 'include'));
    await store.save();
    store.set(decision('r2', 'include'));
    fs.failNext = true;
    await expect(store.save()).rejects.toThrow('disk full');
    // Someone else changes the file meanwhile: the merge must still know r2 is ours to write.
    writeFileSync(path, serialiseEntryFile('decisions', { reviewer: 'a' }, [decision('r1', 'include'), decision('r3', 'exclude', 5)]));
    store.set(decision('r4', 'maybe'));
    await store.save();
    const read = readEntryFile('decisions', readFileSync(path, 'utf8'));
    expect(read.status === 'ok' && read.entries.map((entry) => entry.record)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('takes an external deletion (an undo elsewhere) when the entry was not changed here', async () => {
    const path = join(dir, 'a.json');
    const store = await EntryStore.open('decisions', path, nodeFileSystem, { reviewer: 'a' });
    store.set(decision('r1', 'include'));
    store.set(decision('r2', 'include'));
    await store.save();
    writeFileSync(path, serialiseEntryFile('decisions', { reviewer: 'a' }, [decision('r2', 'include')]));
    store.set(decision('r3', 'include'));
    await store.save();
    const read = readEntryFile('decisions', readFileSync(path, 'utf8'));
    expect(read.status === 'ok' && read.entries.map((entry) => entry.record)).toEqual(['r2', 'r3']);
  });
});
