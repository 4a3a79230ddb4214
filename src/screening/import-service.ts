/**
 * The import pipeline (importFiles) in a worker thread, for the extension host: parsing a review
 * of 50,000 records takes seconds of CPU, which must not hold the host's event loop. The files'
 * bytes are copied to the worker (a memory copy: tens of milliseconds for 100 MB); the outcome comes back in
 * slices of records, each asked for once the previous one was taken in (Node delivers all queued
 * messages of a port in one go, so slices sent unasked would be deserialised in one long step).
 *
 * createWorkerImporter() returns an importer for Review's `importer` option; it falls back to
 * importing on the calling thread when the worker script is missing or the worker fails to start.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DuplicateRecord, FileSummary, ImportInput, ImportOutcome, PossibleDuplicate, StoredMatches } from './import-records';
import type { BibRecord, ImportProblem } from './record';
import { yieldToEventLoop } from './worker-channel';

/** Records per message from the worker (a few MB: deserialised in well under 50 ms). */
export const IMPORT_SLICE = 1_500;

export type ImportWorkerRequest = { type: 'import'; inputs: ImportInput[] } | { type: 'next' };

export type ImportWorkerReply =
  | { type: 'records'; records: BibRecord[] }
  | { type: 'duplicates'; duplicates: DuplicateRecord[] }
  | { type: 'done'; problems: ImportProblem[]; files: FileSummary[]; possible?: PossibleDuplicate[]; matches?: StoredMatches }
  | { type: 'error'; message: string };

/** An import pipeline; `signal` cancels it (the promise then rejects with ImportCancelled). */
export type Importer = (inputs: ImportInput[], signal?: AbortSignal) => Promise<ImportOutcome>;

/** The import was cancelled (through its AbortSignal) before it finished. */
export class ImportCancelled extends Error {
  constructor() {
    super('The import was cancelled.');
    this.name = 'ImportCancelled';
  }
}

async function inThread(inputs: ImportInput[], signal?: AbortSignal): Promise<ImportOutcome> {
  if (signal?.aborted) throw new ImportCancelled();
  const outcome = (await import('./import-records')).importFiles(inputs);
  // On this thread the import cannot be stopped midway; its result is dropped instead.
  if (signal?.aborted) throw new ImportCancelled();
  return outcome;
}

/** An importer running each import in a fresh worker (`workerPath`: the bundled import-worker.js). */
export function createWorkerImporter(workerPath: string): Importer {
  return async (inputs, signal) => {
    if (signal?.aborted) throw new ImportCancelled();
    if (!existsSync(workerPath)) return inThread(inputs, signal);
    let worker: Worker;
    try {
      worker = new Worker(workerPath);
    } catch {
      return inThread(inputs, signal);
    }
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<ImportOutcome>((resolve, reject) => {
        // Cancelling stops the worker wherever it is: parsing, deduplicating or sending records.
        onAbort = () => reject(new ImportCancelled());
        signal?.addEventListener('abort', onAbort, { once: true });
        const records: BibRecord[] = [];
        const duplicates: DuplicateRecord[] = [];
        const next = () => void yieldToEventLoop().then(() => worker.postMessage({ type: 'next' } satisfies ImportWorkerRequest));
        worker.on('message', (reply: ImportWorkerReply) => {
          switch (reply.type) {
            case 'records':
              for (const record of reply.records) records.push(record);
              next();
              break;
            case 'duplicates':
              for (const duplicate of reply.duplicates) duplicates.push(duplicate);
              next();
              break;
            case 'done':
              resolve({ records, duplicates, problems: reply.problems, files: reply.files, possible: reply.possible, matches: reply.matches });
              break;
            case 'error':
              reject(new Error(reply.message));
              break;
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`the import worker stopped (code ${code})`)));
        // Copied, not transferred: the caller may import the same inputs again (Review does, to
        // put databases first), and a transferred buffer would be empty on this side.
        worker.postMessage({ type: 'import', inputs } satisfies ImportWorkerRequest);
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
    }
  };
}

/**
 * The worker's side (src/workers/import-worker.ts): `import` runs the pipeline and sends the first
 * reply; each `next` sends the following one (records, then duplicates, then `done`).
 */
export function createImportHandler(post: (reply: ImportWorkerReply) => void): (request: ImportWorkerRequest) => Promise<void> {
  let replies: ImportWorkerReply[] = [];
  return async (request) => {
    if (request.type === 'import') {
      try {
        const outcome = (await import('./import-records')).importFiles(request.inputs);
        replies = [];
        for (let i = 0; i < outcome.records.length; i += IMPORT_SLICE) replies.push({ type: 'records', records: outcome.records.slice(i, i + IMPORT_SLICE) });
        for (let i = 0; i < outcome.duplicates.length; i += IMPORT_SLICE) replies.push({ type: 'duplicates', duplicates: outcome.duplicates.slice(i, i + IMPORT_SLICE) });
        replies.push({ type: 'done', problems: outcome.problems, files: outcome.files, possible: outcome.possible, matches: outcome.matches });
      } catch (error) {
        replies = [{ type: 'error', message: error instanceof Error ? error.message : String(error) }];
      }
    }
    const reply = replies.shift();
    if (reply) post(reply);
  };
}
