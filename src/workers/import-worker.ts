/** Entry of the import worker thread (bundled to dist/workers/import-worker.js); see src/screening/import-service.ts. */
import { parentPort } from 'node:worker_threads';
import { createImportHandler, type ImportWorkerRequest } from '../screening/import-service';

if (!parentPort) throw new Error('import-worker must run in a worker thread');
const port = parentPort;
const handle = createImportHandler((reply) => port.postMessage(reply));
port.on('message', (request: ImportWorkerRequest) => void handle(request));
