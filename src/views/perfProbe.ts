/**
 * A benchmark probe, off unless SR_SCREENING_PERF_LOG names a file (test/e2e/workbench.bench.ts
 * sets it for the code-server it starts): samples the extension host's event loop every 5 ms and
 * appends every stall of 20 ms or more as a JSON line { t: epoch ms at its end, ms: length }.
 */
import { appendFileSync } from 'node:fs';
import type * as vscode from 'vscode';

const INTERVAL_MS = 5;
const REPORT_MS = 20;
const logFile = process.env.SR_SCREENING_PERF_LOG;

/** Notes a named moment (e.g. 'tree/children') in the probe's log; nothing without the probe. */
export function perfMark(event: string, detail?: Record<string, unknown>): void {
  if (!logFile) return;
  try {
    appendFileSync(logFile, `${JSON.stringify({ t: Date.now(), event, ...detail })}\n`);
  } catch {
    // a benchmark aid: never disturb the extension
  }
}

export function startPerfProbe(): vscode.Disposable | undefined {
  const file = logFile;
  if (!file) return undefined;
  let last = performance.now();
  const write = (line: object) => {
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // a benchmark aid: never disturb the extension
    }
  };
  write({ t: Date.now(), event: 'probe-started', pid: process.pid });
  const timer = setInterval(() => {
    const now = performance.now();
    const stall = now - last - INTERVAL_MS;
    last = now;
    if (stall >= REPORT_MS) write({ t: Date.now(), ms: Math.round(stall) });
  }, INTERVAL_MS);
  timer.unref?.();
  return { dispose: () => clearInterval(timer) };
}
