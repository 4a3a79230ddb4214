/**
 * The worker side of WorkerRankingService: owns a RankingEngine and answers RankingRequests in order.
 * A training polls the shared "latest training" counter and gives up as soon as a newer one is issued.
 */
import { RankingCancelled, RankingEngine } from './engine';
import type { RankingReply, RankingRequest, WireRanking } from './protocol';

export interface RankingReplyPort {
  postMessage(message: RankingReply, transfer?: ArrayBuffer[]): void;
}

export function createRankingWorkerHost(port: RankingReplyPort): (request: RankingRequest) => void {
  let engine = new RankingEngine();
  let latest: Int32Array | undefined;
  const superseded = (seq: number) => latest !== undefined && Atomics.load(latest, 0) !== seq;
  return (request) => {
    try {
      switch (request.type) {
        case 'init':
          latest = new Int32Array(request.latest);
          engine = new RankingEngine(request.options);
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'add': {
          if (engine.features.rows !== request.firstRow) throw new Error(`row numbering out of step: worker at ${engine.features.rows}, client sent ${request.firstRow}`);
          engine.add(request.records);
          port.postMessage({ id: request.id, ok: true });
          return;
        }
        case 'remove':
          for (const row of request.rows) {
            const id = engine.idOf(row);
            if (id !== undefined) engine.remove([id]);
          }
          port.postMessage({ id: request.id, ok: true });
          return;
        case 'stats':
          port.postMessage({
            id: request.id,
            ok: true,
            value: { records: engine.size, vocabulary: engine.features.vocabularySize, terms: engine.features.columns, entries: engine.features.storedEntries },
          });
          return;
        case 'train': {
          const { seq } = request;
          if (superseded(seq)) {
            port.postMessage({ id: request.id, ok: true, value: { cancelled: true } });
            return;
          }
          let ranking;
          try {
            ranking = engine.trainRows(request.rows, request.included, () => superseded(seq));
          } catch (error) {
            if (!(error instanceof RankingCancelled)) throw error;
            port.postMessage({ id: request.id, ok: true, value: { cancelled: true } });
            return;
          }
          const value: WireRanking = { cancelled: false, ...ranking };
          port.postMessage({ id: request.id, ok: true, value }, [ranking.order.buffer as ArrayBuffer, ranking.scores.buffer as ArrayBuffer]);
          return;
        }
      }
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
}
