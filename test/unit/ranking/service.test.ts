import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankableRecord, RankingLabel } from '../../../src/screening/ranking/engine';
import { InThreadRankingService, WorkerRankingService, type RankingOutcome, type RankingService } from '../../../src/screening/ranking/service';

const SLEEP = 'insomnia sleep melatonin circadian hypnotic nocturnal'.split(' ');
const DENTAL = 'caries dental fluoride enamel periodontal orthodontic'.split(' ');
const FILLER = 'patients randomised trial outcome cohort adults follow baseline measured effect'.split(' ');

/** Every 10th record is about sleep (the includes); the rest about teeth. */
function makeRecords(count: number, from = 0): RankableRecord[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const words = i % 10 === 0 ? SLEEP : DENTAL;
    const text = Array.from({ length: 60 }, (_, j) => `${words[(i + j) % words.length]} ${FILLER[(i * 7 + j) % FILLER.length]} w${(i * 13 + j) % 3000}`).join(' ');
    return { id: `r${i}`, title: `${words[i % words.length]} study ${i}`, abstract: text };
  });
}

function ok(outcome: RankingOutcome) {
  if (outcome.cancelled) throw new Error('unexpectedly cancelled');
  return outcome;
}

async function maxEventLoopLag<T>(work: () => Promise<T>): Promise<{ value: T; lagMs: number }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last);
    last = now;
  }, 1);
  try {
    return { value: await work(), lagMs };
  } finally {
    clearInterval(timer);
  }
}

let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ranking-worker-'));
  workerPath = join(dir, 'ranking-worker.js');
  await build({ entryPoints: [resolve(__dirname, '../../../src/workers/ranking-worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: workerPath, logLevel: 'warning' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flavours: [string, () => RankingService][] = [
  ['worker', () => new WorkerRankingService({ workerPath })],
  ['in-thread', () => new InThreadRankingService()],
];

describe.each(flavours)('%s ranking service', (name, create) => {
  it('ranks in original order before an include and an exclude, then by relevance', async () => {
    const service = create();
    try {
      await service.setRecords(makeRecords(300));
      const first = ok(await service.train([{ id: 'r0', included: true }]));
      expect(first).toMatchObject({ model: 'none', reason: 'no-exclude', includes: 1, excludes: 0 });
      expect(first.ids.slice(0, 3)).toEqual(['r1', 'r2', 'r3']);

      const labels: RankingLabel[] = [
        { id: 'r0', included: true },
        { id: 'r1', included: false },
      ];
      const ranking = ok(await service.train(labels));
      expect(ranking.model).toBe('svm');
      expect(ranking.ids).toHaveLength(298);
      // The 29 other sleep records come first.
      expect(ranking.ids.slice(0, 29).every((id) => Number(id.slice(1)) % 10 === 0)).toBe(true);
      expect(service.current).toMatchObject({ model: 'svm', ids: ranking.ids });
      expect(service.relevance(ranking.ids[0])).toEqual({ rank: 1, of: 298, score: ranking.scores[0], model: 'svm', scorable: true });
      expect(service.relevance('r0')).toBeUndefined(); // labelled
      expect(ranking).toMatchObject({ unscorable: 0, unscorableAt: 'end' });
      expect(service.relevance('unknown')).toBeUndefined();
      expect(ranking.stopping).toMatchObject({ total: 300, screened: 2, includesFound: 1, sinceLastInclude: 1 });
    } finally {
      await service.dispose();
    }
  });

  it('marks a record without readable text as unscorable wherever it is listed (last, then first)', async () => {
    const service = create();
    try {
      await service.setRecords([...makeRecords(100), { id: 'blank', title: '' }]);
      const early = ok(await service.train([{ id: 'r0', included: true }, { id: 'r1', included: false }]));
      expect(early).toMatchObject({ unscorable: 1, unscorableAt: 'end' });
      expect(early.ids.at(-1)).toBe('blank');
      expect(service.relevance('blank')).toMatchObject({ rank: 99, of: 99, scorable: false });
      expect(service.relevance(early.ids[0])?.scorable).toBe(true);
      expect(service.relevance(early.ids[97])?.scorable).toBe(true);
      // Then 20 excludes in a row: the model has stopped finding includes.
      const dental = makeRecords(100).filter((_, i) => i % 10 !== 0).slice(0, 20);
      const late = ok(await service.train([{ id: 'r0', included: true }, ...dental.map((record) => ({ id: record.id, included: false }))]));
      expect(late).toMatchObject({ unscorable: 1, unscorableAt: 'start' });
      expect(late.ids[0]).toBe('blank');
      expect(service.relevance('blank')).toMatchObject({ rank: 1, scorable: false });
      expect(service.relevance(late.ids[1])?.scorable).toBe(true);
      expect(service.relevance(late.ids.at(-1)!)?.scorable).toBe(true);
    } finally {
      await service.dispose();
    }
  });

  it('follows record changes incrementally (added, changed, removed)', async () => {
    const service = create();
    try {
      const records = makeRecords(100);
      await service.setRecords(records);
      expect((await service.stats()).records).toBe(100);
      const next = [...records.slice(10), ...makeRecords(5, 100)];
      next[0] = { ...next[0], title: `${next[0].title} changed` }; // r10 changed
      await service.setRecords(next);
      expect((await service.stats()).records).toBe(95);
      const ranking = ok(
        await service.train([
          { id: 'r10', included: true },
          { id: 'r11', included: false },
          { id: 'r3', included: true }, // removed: ignored
        ]),
      );
      expect(ranking.includes).toBe(1);
      expect(ranking.ids).toHaveLength(93);
      expect(ranking.ids).toContain('r104');
      expect(ranking.ids).not.toContain('r3');
    } finally {
      await service.dispose();
    }
  });

  it('a newer train() supersedes the ones still running', async () => {
    const service = create();
    try {
      await service.setRecords(makeRecords(500));
      const labels: RankingLabel[] = [
        { id: 'r0', included: true },
        { id: 'r1', included: false },
      ];
      const outcomes = await Promise.all([service.train(labels), service.train(labels), service.train([...labels, { id: 'r10', included: true }])]);
      expect(outcomes[0].cancelled).toBe(true);
      expect(outcomes[1].cancelled).toBe(true);
      expect(ok(outcomes[2]).includes).toBe(2);
      expect(service.current?.includes).toBe(2);
    } finally {
      await service.dispose();
    }
  });

  if (name === 'worker') {
    it('keeps the calling thread free while records load and the model trains', async () => {
      const service = create();
      try {
        const records = makeRecords(6000);
        const { lagMs } = await maxEventLoopLag(() => service.setRecords(records));
        const labels: RankingLabel[] = records.slice(0, 1500).map((r) => ({ id: r.id, included: Number(r.id.slice(1)) % 10 === 0 }));
        const trained = await maxEventLoopLag(() => service.train(labels));
        expect(ok(trained.value).ids).toHaveLength(4500);
        const steps = service.stepTimes();
        expect(steps.steps).toBeGreaterThan(5);
        // Wall-time bounds on a shared machine: the p95 tightly, the longest step and the lag coarsely.
        expect(steps.p95Ms).toBeLessThan(50);
        expect(steps.longestMs).toBeLessThan(250);
        expect(lagMs).toBeLessThan(250);
        expect(trained.lagMs).toBeLessThan(250);
      } finally {
        await service.dispose();
      }
    });
  }
});
