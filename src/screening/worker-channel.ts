/**
 * What the worker-backed services (search/service.ts, ranking/service.ts) share on the calling
 * thread: a request/reply channel to a worker_threads worker, a queue that applies mutations in call
 * order, a shared "latest request" counter the worker polls to abandon superseded work, and a record
 * of the synchronous steps taken on the calling thread (a diagnostic the benchmarks print).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface StepTimes {
  steps: number;
  longestMs: number;
  p95Ms: number;
}

/** Keeps the durations of synchronous steps (the last 4096). */
export class StepRecorder {
  longestMs = 0;
  private readonly recent: number[] = [];
  private count = 0;

  note(started: number): void {
    const ms = performance.now() - started;
    if (ms > this.longestMs) this.longestMs = ms;
    this.recent[this.count++ % 4096] = ms;
  }

  times(): StepTimes {
    const sorted = [...this.recent].sort((a, b) => a - b);
    return { steps: this.count, longestMs: this.longestMs, p95Ms: sorted.length ? sorted[Math.ceil(sorted.length * 0.95) - 1] : 0 };
  }
}

export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Where a bundled worker sits relative to the bundle using this module (dist/ or dist/bench/). */
export function bundledWorkerPath(fileName: string): string {
  const candidates = [join(__dirname, 'workers', fileName), join(__dirname, '..', 'workers', fileName)];
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

/** Every request carries an id (the channel numbers them; callers pass 0). */
export interface ChannelRequest {
  id: number;
}

export type ChannelReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerChannel<Request extends ChannelRequest> {
  /** The latest superseding request's sequence number, shared with the worker (Atomics). */
  readonly latest = new Int32Array(new SharedArrayBuffer(4));
  readonly steps = new StepRecorder();
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  /** `name` goes into error messages ("search", "ranking"); `onFail` hears of a worker that broke. */
  constructor(
    workerPath: string,
    private readonly name: string,
    private readonly onFail?: (error: Error) => void,
  ) {
    this.worker = new Worker(workerPath);
    this.worker.on('message', (reply: ChannelReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`${name} worker exited (code ${code})`)));
  }

  /** Posts a request (one timed synchronous step); resolves with the worker's value. */
  request(message: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const started = performance.now();
      this.worker.postMessage({ ...message, id }, transfer);
      this.steps.note(started);
    });
  }

  /** Runs `operation` after every mutation queued before it (a failed one does not stop the rest). */
  mutate(operation: () => Promise<unknown>): Promise<void> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  /** Settles once the mutations queued so far have. */
  get mutations(): Promise<unknown> {
    return this.queue;
  }

  /** Marks request `seq` as the latest: the worker abandons work on any earlier one. */
  supersede(seq: number): void {
    Atomics.store(this.latest, 0, seq);
  }

  async dispose(): Promise<void> {
    this.failure ??= new Error(`${this.name} service disposed`);
    await this.worker.terminate();
  }

  private onReply(reply: ChannelReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(`${this.name} worker: ${reply.error}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    this.onFail?.(this.failure);
  }
}
