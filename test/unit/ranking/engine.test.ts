import { describe, expect, it } from 'vitest';
import { RankingCancelled, RankingEngine, type RankableRecord } from '../../../src/screening/ranking/engine';
import { labelsFromDecisions } from '../../../src/screening/ranking/labels';
import { Simulation, type LabeledDocument } from '../../../src/screening/ranking/simulate';
import type { Decision } from '../../../src/screening/decision';

/** Records on two topics: "sleep" studies (the includes) and "dental" studies, with shared filler words. */
function corpus(count = 60): (RankableRecord & { topic: 'sleep' | 'dental' })[] {
  const sleep = ['insomnia', 'sleep', 'melatonin', 'circadian', 'hypnotic'];
  const dental = ['caries', 'dental', 'fluoride', 'enamel', 'periodontal'];
  const filler = ['patients', 'randomised', 'trial', 'outcome', 'cohort', 'adults', 'follow', 'baseline'];
  return Array.from({ length: count }, (_, i) => {
    const topic = i % 5 === 0 ? 'sleep' : 'dental';
    const words = topic === 'sleep' ? sleep : dental;
    const pick = (k: number) => words[(i * 3 + k) % words.length];
    return {
      id: `r${i}`,
      topic,
      title: `${pick(0)} ${pick(1)} in ${filler[i % filler.length]}`,
      abstract: `${pick(2)} ${filler[(i + 1) % filler.length]} ${pick(3)} ${filler[(i + 2) % filler.length]} ${pick(4)} ${filler[(i + 3) % filler.length]}`,
    };
  });
}

describe('RankingEngine', () => {
  it('keeps the original order until there is an include and an exclude', () => {
    const engine = new RankingEngine();
    engine.add(corpus(10));
    const none = engine.train([{ id: 'r0', included: true }]);
    expect(none.model).toBe('none');
    expect(none.reason).toBe('no-exclude');
    expect([...none.order].map((row) => engine.idOf(row))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(engine.train([]).reason).toBe('no-include');
    expect(engine.train([{ id: 'r1', included: false }]).reason).toBe('no-include');
  });

  it('ranks the unlabelled records of the included topic first, from one include and one exclude', () => {
    const records = corpus();
    const engine = new RankingEngine();
    engine.add(records);
    const ranking = engine.train([
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ]);
    expect(ranking.model).toBe('svm');
    expect(ranking.order.length).toBe(58);
    const sleepCount = records.filter((r) => r.topic === 'sleep').length - 1;
    const top = [...ranking.order.slice(0, sleepCount)].map((row) => records[row].topic);
    expect(top.every((topic) => topic === 'sleep')).toBe(true);
    // Scores are sorted and lean include (> 0) for the top.
    for (let i = 1; i < ranking.scores.length; i++) expect(ranking.scores[i]).toBeLessThanOrEqual(ranking.scores[i - 1]);
    expect(ranking.scores[0]).toBeGreaterThan(ranking.scores[ranking.scores.length - 1]);
  });

  it('naive Bayes (for comparison) ranks the same easy topic first', () => {
    const records = corpus();
    const engine = new RankingEngine({ classifier: 'nb' });
    engine.add(records);
    const ranking = engine.train([
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ]);
    const top = [...ranking.order.slice(0, 11)].map((row) => records[row].topic);
    expect(top.every((topic) => topic === 'sleep')).toBe(true);
  });

  it('logistic regression ranks the same easy topic first, warm-started or not', () => {
    const records = corpus();
    const labels = [
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ];
    const warm = new RankingEngine({ classifier: 'logistic', tolerance: 1e-6, maxEpochs: 5000 });
    warm.add(records);
    const first = warm.train(labels);
    const top = [...first.order.slice(0, 11)].map((row) => records[row].topic);
    expect(top.every((topic) => topic === 'sleep')).toBe(true);
    labels.push({ id: 'r5', included: true }, { id: 'r2', included: false }, { id: 'r5', included: false });
    const warmRanking = warm.train(labels);
    const cold = new RankingEngine({ classifier: 'logistic', tolerance: 1e-6, maxEpochs: 5000, warmStart: false });
    cold.add(records);
    const coldRanking = cold.train(labels);
    for (let i = 0; i < coldRanking.scores.length; i++) expect(warmRanking.scores[i]).toBeCloseTo(coldRanking.scores[i], 3);
  });

  it('presumed excludes (BMI) train on random unlabelled records as excludes but do not count as labels', () => {
    const records = corpus();
    const engine = new RankingEngine({ presumedExcludes: 20 });
    engine.add(records);
    const ranking = engine.train([
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ]);
    expect(ranking.includes).toBe(1);
    expect(ranking.excludes).toBe(1);
    expect(ranking.order.length).toBe(58);
    const top = [...ranking.order.slice(0, 11)].map((row) => records[row].topic);
    expect(top.every((topic) => topic === 'sleep')).toBe(true);
  });

  it('a later label of the same record wins; unknown ids are ignored', () => {
    const engine = new RankingEngine();
    engine.add(corpus(20));
    const ranking = engine.train([
      { id: 'r0', included: false },
      { id: 'r0', included: true },
      { id: 'r1', included: false },
      { id: 'nope', included: true },
    ]);
    expect(ranking.includes).toBe(1);
    expect(ranking.excludes).toBe(1);
  });

  it('warm-started retraining gives the same ranking as training from scratch', () => {
    const records = corpus();
    const labels = [
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ];
    const warm = new RankingEngine({ tolerance: 1e-6, maxEpochs: 5000 });
    warm.add(records);
    warm.train(labels);
    labels.push({ id: 'r5', included: true }, { id: 'r2', included: false }, { id: 'r3', included: false });
    const warmRanking = warm.train(labels);
    // A relabelled record (include → exclude) exercises taking its old contribution out of w.
    labels.push({ id: 'r5', included: false });
    const warmRelabelled = warm.train(labels);
    const cold = new RankingEngine({ tolerance: 1e-6, maxEpochs: 5000, warmStart: false });
    cold.add(records);
    const coldRelabelled = cold.train(labels);
    expect([...warmRelabelled.order]).toEqual([...coldRelabelled.order]);
    for (let i = 0; i < coldRelabelled.scores.length; i++) expect(warmRelabelled.scores[i]).toBeCloseTo(coldRelabelled.scores[i], 3);
    expect(warmRanking.model).toBe('svm');
  });

  it('records added after a training are ranked by the next one; removed records drop out', () => {
    const records = corpus(40);
    const engine = new RankingEngine();
    engine.add(records.slice(0, 30));
    const labels = [
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ];
    engine.train(labels);
    engine.add(records.slice(30));
    engine.remove(['r5']);
    const ranking = engine.train(labels);
    const ids = [...ranking.order].map((row) => engine.idOf(row));
    expect(ids).toContain('r35');
    expect(ids).not.toContain('r5');
    expect(ids.length).toBe(37);
    // Re-adding a known id replaces the record.
    engine.add([{ id: 'r35', title: 'insomnia sleep melatonin' }]);
    expect(engine.size).toBe(39);
  });

  it('lists records without readable text last while decisions still find includes, then first (unless told otherwise)', () => {
    const records: RankableRecord[] = [...corpus(40), { id: 'empty', title: '' }];
    const engine = new RankingEngine();
    engine.add(records);
    const labels = [
      { id: 'r0', included: true },
      { id: 'r1', included: false },
    ];
    const early = engine.train(labels);
    expect(early).toMatchObject({ unscorable: 1, unscorableAt: 'end' });
    expect(engine.idOf(early.order[early.order.length - 1])).toBe('empty');
    // Two includes, then 20 excludes in a row (window 20, 41 records): the recent yield, 0, is below 2 / 41.
    const dental = corpus(40).filter((record) => record.topic === 'dental').slice(0, 20);
    const dry = [{ id: 'r0', included: true }, { id: 'r5', included: true }, ...dental.map((record) => ({ id: record.id, included: false }))];
    const late = engine.train(dry);
    expect(late).toMatchObject({ unscorable: 1, unscorableAt: 'start' });
    expect(engine.idOf(late.order[0])).toBe('empty');
    // One exclude fewer: 19 excludes after the includes, the window still holds an include.
    expect(engine.train(dry.slice(0, -1)).unscorableAt).toBe('end');

    const first = new RankingEngine({ unscorable: 'first' });
    first.add(records);
    expect(first.train(labels)).toMatchObject({ unscorable: 1, unscorableAt: 'start' });
    const model = new RankingEngine({ unscorable: 'model' });
    model.add(records);
    expect(model.train(labels).unscorable).toBe(0);
  });

  it('stops with RankingCancelled when superseded', () => {
    const engine = new RankingEngine();
    engine.add(corpus(20));
    expect(() =>
      engine.train(
        [
          { id: 'r0', included: true },
          { id: 'r1', included: false },
        ],
        () => true,
      ),
    ).toThrow(RankingCancelled);
  });

  it('stopping aid: each record once, at its latest label', () => {
    const engine = new RankingEngine();
    engine.add(corpus(20));
    const rows = [0, 1, 2, 0, 3].map((i) => engine.rowOf(`r${i}`)!);
    const estimate = engine.stopping(rows, [1, 0, 0, 1, 0]);
    // Order by latest label: r1 (0), r2 (0), r0 (1), r3 (0).
    expect(estimate).toMatchObject({ total: 20, screened: 4, includesFound: 1, sinceLastInclude: 1 });
  });
});

describe('labelsFromDecisions', () => {
  const decision = (record: string, verdict: Decision['verdict'], time: string, stage: Decision['stage'] = 'title-abstract'): Decision => ({ record, stage, verdict, reason: null, note: null, time });
  it("keeps one reviewer's title/abstract includes and excludes, oldest first; maybe and full text are left out", () => {
    const labels = labelsFromDecisions([
      decision('b', 'exclude', '2026-01-02T00:00:00.000Z'),
      decision('a', 'include', '2026-01-01T00:00:00.000Z'),
      decision('c', 'maybe', '2026-01-03T00:00:00.000Z'),
      decision('d', 'include', '2026-01-04T00:00:00.000Z', 'full-text'),
    ]);
    expect(labels).toEqual([
      { id: 'a', included: true },
      { id: 'b', included: false },
    ]);
  });
});

describe('Simulation', () => {
  const docs: LabeledDocument[] = corpus(100).map((r) => ({ title: r.title, abstract: r.abstract, included: r.topic === 'sleep' }));

  it('finds the includes of an easy dataset first, far better than random, reproducibly', () => {
    const simulation = new Simulation(docs);
    const run = simulation.run({ seed: 3 });
    expect(run.priors).toHaveLength(2);
    expect(docs[run.priors[0]].included).toBe(true);
    expect(docs[run.priors[1]].included).toBe(false);
    // 19 includes left among 98 records: all found in the first 19 screened.
    expect(run.metrics.includes).toBe(19);
    expect(run.metrics.records).toBe(98);
    expect(run.order.length).toBe(19);
    expect(run.metrics.recordsTo95).toBe(19);
    expect(run.metrics.wss95).toBeCloseTo((98 - 19) / 98 - 0.05, 12);
    expect(run.metrics.rrf10).toBeCloseTo(9 / 19, 12); // first ⌊9.8⌋ = 9 records are all includes
    expect(run.metrics.wss95).toBeGreaterThan(run.random.wss95);
    expect(simulation.run({ seed: 3 })).toMatchObject({ priors: run.priors, order: run.order });
  });

  it('retrains in batches when asked', () => {
    const run = new Simulation(docs).run({ seed: 1, batch: 5 });
    expect(run.batch).toBe(5);
    expect(run.retrains).toBe(Math.ceil(run.order.length / 5));
  });
});
