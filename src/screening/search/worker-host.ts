/**
 * The worker side of WorkerSearchService: owns a SearchIndex and answers SearchRequests in order.
 * A search polls the shared "latest search" counter and gives up as soon as a newer one is issued.
 */
import { SearchCancelled, SearchIndex } from './engine';
import type { SearchReply, SearchRequest, WireResults } from './protocol';

export interface ReplyPort {
  postMessage(message: SearchReply, transfer?: ArrayBuffer[]): void;
}

export function createSearchWorkerHost(port: ReplyPort): (request: SearchRequest) => void {
  const index = new SearchIndex();
  let latest: Int32Array | undefined;
  const superseded = (seq: number) => latest !== undefined && Atomics.load(latest, 0) !== seq;
  return (request) => {
    try {
      switch (request.type) {
        case 'init':
          latest = new Int32Array(request.latest);
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'add':
          index.add(request.records);
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'remove':
          index.remove(request.ids);
          if (index.needsCompaction) index.compact();
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'clear':
          index.clear();
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'stats':
          port.postMessage({ id: request.id, ok: true, value: index.stats() });
          return;
        case 'positions':
          port.postMessage({ id: request.id, ok: true, value: index.positions(request.recordId, request.query, request.options) });
          return;
        case 'search': {
          const { seq } = request;
          if (superseded(seq)) {
            port.postMessage({ id: request.id, ok: true, value: { cancelled: true } });
            return;
          }
          const started = performance.now();
          let response;
          try {
            response = index.search(request.query, { ...request.options, shouldCancel: () => superseded(seq) });
          } catch (error) {
            if (!(error instanceof SearchCancelled)) throw error;
            port.postMessage({ id: request.id, ok: true, value: { cancelled: true } });
            return;
          }
          const n = response.results.length;
          const ids = new Array<string>(n);
          const scores = new Float64Array(n);
          const penalties = new Uint16Array(n);
          for (let i = 0; i < n; i++) {
            const result = response.results[i];
            ids[i] = result.id;
            scores[i] = result.score;
            penalties[i] = result.penalty;
          }
          const value: WireResults = {
            cancelled: false,
            query: response.query,
            ids: ids.some((id) => id.includes('\n')) ? ids : ids.join('\n'),
            scores,
            penalties,
            relaxed: response.relaxed,
            warnings: response.warnings,
            suggestions: response.suggestions,
            ms: performance.now() - started,
          };
          port.postMessage({ id: request.id, ok: true, value }, [scores.buffer, penalties.buffer]);
          return;
        }
      }
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
}
