/** Entry of the ranking worker thread (bundled to dist/workers/ranking-worker.js); see src/screening/ranking/service.ts. */
import { parentPort } from 'node:worker_threads';
import type { RankingRequest } from '../screening/ranking/protocol';
import { createRankingWorkerHost } from '../screening/ranking/worker-host';

if (!parentPort) throw new Error('ranking-worker must run in a worker thread');
const port = parentPort;
const handle = createRankingWorkerHost({ postMessage: (message, transfer) => port.postMessage(message, transfer) });
port.on('message', (request: RankingRequest) => handle(request));
