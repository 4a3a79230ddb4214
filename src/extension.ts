import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('screening.showSampleSummary', () => {
      void vscode.window.showInformationMessage(vscode.l10n.t('Systematic Review Screening is active.'));
    }),
  );
}

export function deactivate(): void {}
