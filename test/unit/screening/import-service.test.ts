import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportHandler, createWorkerImporter, IMPORT_SLICE, ImportCancelled, type ImportWorkerReply } from '../../../src/screening/import-service';
import { importFiles, type ImportInput } from '../../../src/screening/import-records';

const SEEDS = resolve(__dirname, '../../../seeds');
const seedInputs = (): ImportInput[] => readdirSync(SEEDS).sort().map((file) => ({ file, bytes: new Uint8Array(readFileSync(join(SEEDS, file))) }));

let dir: string;
let workerPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sr-import-worker-'));
  workerPath = join(dir, 'import-worker.js');
  await build({ entryPoints: [resolve(__dirname, '../../../src/workers/import-worker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import in a worker thread', () => {
  it('gives what importFiles gives, from a real worker', async () => {
    const expected = importFiles(seedInputs());
    const outcome = await createWorkerImporter(workerPath)(seedInputs());
    expect(outcome).toEqual(expected);
  });

  it('leaves the inputs usable (Review imports them twice to put databases first)', async () => {
    const inputs = seedInputs();
    const importer = createWorkerImporter(workerPath);
    const first = await importer(inputs);
    const second = await importer(inputs);
    expect(second.records).toHaveLength(first.records.length);
    expect(inputs.every((input) => input.bytes.byteLength > 0)).toBe(true);
  });

  it('stops the worker when the import is cancelled, and can import again', async () => {
    // Large enough that the worker is still busy when the cancellation comes.
    const ris = Array.from({ length: 20_000 }, (_, i) => `TY  - JOUR\nTI  - Record number ${i} on integrated care\nAU  - Doe, J.\nPY  - 2020\nDO  - 10.1000/cancel.${i}\nER  - \n`).join('\n');
    const importer = createWorkerImporter(workerPath);
    const cancel = new AbortController();
    const started = importer([{ file: 'big.ris', bytes: new TextEncoder().encode(ris) }], cancel.signal);
    setTimeout(() => cancel.abort(), 5);
    await expect(started).rejects.toBeInstanceOf(ImportCancelled);
    await expect(importer(seedInputs(), cancel.signal)).rejects.toBeInstanceOf(ImportCancelled);
    expect((await importer(seedInputs())).records).toHaveLength(5);
  });

  it('falls back to the calling thread without the worker script', async () => {
    const outcome = await createWorkerImporter(join(dir, 'missing.js'))(seedInputs());
    expect(outcome.records.map((record) => record.id)).toEqual(importFiles(seedInputs()).records.map((record) => record.id));
  });

  it('answers in slices of records, one per request', async () => {
    const ris = Array.from({ length: IMPORT_SLICE + 10 }, (_, i) => `TY  - JOUR\nTI  - Record number ${i} on integrated care\nAU  - Doe, J.\nPY  - 2020\nDO  - 10.1000/slice.${i}\nER  - \n`).join('\n');
    const replies: ImportWorkerReply[] = [];
    const handle = createImportHandler((reply) => replies.push(reply));
    await handle({ type: 'import', inputs: [{ file: 'many.ris', bytes: new TextEncoder().encode(ris) }] });
    expect(replies.map((reply) => reply.type)).toEqual(['records']);
    await handle({ type: 'next' });
    await handle({ type: 'next' });
    await handle({ type: 'next' });
    expect(replies.map((reply) => reply.type)).toEqual(['records', 'records', 'done']);
    expect(replies.filter((reply) => reply.type === 'records').reduce((n, reply) => n + (reply.type === 'records' ? reply.records.length : 0), 0)).toBe(IMPORT_SLICE + 10);
  });

  it('reports an importer failure as an error reply', async () => {
    const replies: ImportWorkerReply[] = [];
    await createImportHandler((reply) => replies.push(reply))({ type: 'import', inputs: null as unknown as ImportInput[] });
    expect(replies).toHaveLength(1);
    expect(replies[0].type).toBe('error');
  });
});
