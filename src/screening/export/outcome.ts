/**
 * A record's screening outcome as exports carry it: the final status, and per stage the verdict in
 * force, each reviewer's decision (named by the id in their file) and the resolution. Built from a
 * Review's RecordStatus; plain data, so every export format writes the same facts.
 */
import type { Stage, Verdict } from '../decision';
import type { BibRecord } from '../record';
import type { FinalState, RecordStatus, StageState, StageStatus } from '../status';

export interface ReviewerVerdict {
  reviewer: string;
  verdict: Verdict;
  reason: string | null;
  note: string | null;
  time: string;
}

export interface StageOutcomeSummary {
  stage: Stage;
  state: StageState;
  verdict?: Verdict;
  reason?: string | null;
  decisions: ReviewerVerdict[];
  resolution?: ReviewerVerdict;
  conflict?: 'verdict' | 'reason';
}

export interface ScreeningOutcome {
  final: FinalState;
  finalStage?: Stage;
  reason?: string | null;
  /** The stages that apply (full text only once included at title/abstract). */
  stages: StageOutcomeSummary[];
}

export interface ExportItem {
  record: BibRecord;
  screening?: ScreeningOutcome;
}

/** What an outcome needs from a review (a Review satisfies it). */
export interface OutcomeSource {
  status(recordId: string): RecordStatus;
  reviewerName(reviewerKey: string): string;
}

export function screeningOutcome(source: OutcomeSource, recordId: string): ScreeningOutcome {
  const status = source.status(recordId);
  const stages: StageOutcomeSummary[] = [];
  for (const stage of [status.titleAbstract, status.fullText]) {
    if (stage.state === 'not-applicable') continue;
    stages.push(stageSummary(source, stage));
  }
  const outcome: ScreeningOutcome = { final: status.final, stages };
  if (status.finalStage) outcome.finalStage = status.finalStage;
  if (status.reason) outcome.reason = status.reason;
  return outcome;
}

function stageSummary(source: OutcomeSource, stage: StageStatus): StageOutcomeSummary {
  const summary: StageOutcomeSummary = {
    stage: stage.stage,
    state: stage.state,
    decisions: stage.decisions.map((decision) => ({
      reviewer: source.reviewerName(decision.reviewer),
      verdict: decision.verdict,
      reason: decision.reason,
      note: decision.note,
      time: decision.time,
    })),
  };
  if (stage.verdict) summary.verdict = stage.verdict;
  if (stage.reason) summary.reason = stage.reason;
  if (stage.conflict) summary.conflict = stage.conflict;
  if (stage.resolution) {
    const { by, verdict, reason, note, time } = stage.resolution;
    summary.resolution = { reviewer: source.reviewerName(by), verdict, reason, note, time };
  }
  return summary;
}

export const STAGE_LABEL: Record<Stage, string> = { 'title-abstract': 'title/abstract', 'full-text': 'full text' };

/** "included (full text)", "excluded at title/abstract: wrong population", "pending: conflict at title/abstract". */
export function finalLabel(outcome: ScreeningOutcome): string {
  if (outcome.final === 'pending') {
    const open = outcome.stages.find((stage) => stage.state !== 'included');
    return open ? `pending: ${stateLabel(open.state)} at ${STAGE_LABEL[open.stage]}` : 'pending';
  }
  const at = outcome.finalStage ? ` at ${STAGE_LABEL[outcome.finalStage]}` : '';
  return `${outcome.final}${at}${outcome.reason ? `: ${outcome.reason}` : ''}`;
}

function stateLabel(state: StageState): string {
  return state === 'undecided' ? 'not screened' : state === 'awaiting' ? 'awaiting a second reviewer' : state;
}

function verdictText(decision: ReviewerVerdict): string {
  return `${decision.verdict}${decision.reason ? ` (${decision.reason})` : ''}`;
}

/**
 * The outcome as short lines for a notes field that reference managers show (RIS N1, BibTeX note,
 * EndNote notes): the status, each stage's decisions and resolution, then each note.
 */
export function outcomeLines(outcome: ScreeningOutcome): string[] {
  const lines = [`Screening: ${finalLabel(outcome)}`];
  for (const stage of outcome.stages) {
    if (stage.decisions.length === 0 && !stage.resolution) continue;
    const parts = stage.decisions.map((decision) => `${decision.reviewer} ${verdictText(decision)}`);
    if (stage.resolution) parts.push(`resolved ${verdictText(stage.resolution)} by ${stage.resolution.reviewer}`);
    lines.push(`Screening ${STAGE_LABEL[stage.stage]}: ${parts.join('; ')}`);
  }
  for (const stage of outcome.stages) {
    for (const decision of [...stage.decisions, ...(stage.resolution ? [stage.resolution] : [])]) {
      if (decision.note && decision.note.trim()) lines.push(`Screening note (${decision.reviewer}, ${STAGE_LABEL[stage.stage]}): ${decision.note.replace(/\s+/g, ' ').trim()}`);
    }
  }
  return lines;
}

/** Exclusion reasons in force, one per stage that excluded (for keyword-like fields). */
export function outcomeReasons(outcome: ScreeningOutcome): string[] {
  return outcome.stages.filter((stage) => stage.reason).map((stage) => `${STAGE_LABEL[stage.stage]}: ${stage.reason}`);
}
