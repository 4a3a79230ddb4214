/** Entry of the search worker thread (bundled to dist/workers/search-worker.js); see src/screening/search/service.ts. */
import { parentPort } from 'node:worker_threads';
import type { SearchRequest } from '../screening/search/protocol';
import { createSearchWorkerHost } from '../screening/search/worker-host';

if (!parentPort) throw new Error('search-worker must run in a worker thread');
const port = parentPort;
const handle = createSearchWorkerHost({ postMessage: (message, transfer) => port.postMessage(message, transfer) });
port.on('message', (request: SearchRequest) => handle(request));
