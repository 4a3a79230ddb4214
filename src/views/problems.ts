/**
 * Problems of the review in VS Code's Problems panel (a DiagnosticCollection): what the importers
 * found wrong in the source files (at file:line), and issues with the review's own files (an
 * invalid review.json, a decisions file written by a newer version, a missing source).
 */
import * as vscode from 'vscode';
import type { Review } from '../screening/review';
import type { ReviewSession } from './reviewSession';

const SEVERITY: Record<'error' | 'warning' | 'info', vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class ReviewProblems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('sr-screening');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly session: ReviewSession) {
    session.onDidChange(
      (change) => {
        if (change.kind === 'decisions' && !change.external) return;
        this.schedule();
      },
      this,
      this.disposables,
    );
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(this.session.review), 100);
  }

  /** Replaces the diagnostics with the review's current problems; returns how many. */
  update(review: Review | undefined): number {
    this.collection.clear();
    if (!review) return 0;
    const root = vscode.Uri.file(review.root);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (file: string, line: number, severity: 'error' | 'warning' | 'info', message: string) => {
      const position = new vscode.Position(Math.max(0, line - 1), 0);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position.translate(0, 1000)), message, SEVERITY[severity]);
      diagnostic.source = 'sr-screening';
      let list = byFile.get(file);
      if (!list) byFile.set(file, (list = []));
      list.push(diagnostic);
    };
    for (const problem of review.problems) add(problem.file, problem.line, problem.severity, problem.message);
    for (const issue of review.issues) add(issue.file, issue.line, issue.severity, issue.message);
    let count = 0;
    for (const [file, diagnostics] of byFile) {
      const uri = /^([a-z]:)?[\\/]/i.test(file) ? vscode.Uri.file(file) : vscode.Uri.joinPath(root, ...file.split('/'));
      this.collection.set(uri, diagnostics);
      count += diagnostics.length;
    }
    return count;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
