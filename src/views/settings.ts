/** The extension's settings (contributes.configuration, `screening.*`), read in one place. */
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import { Settings } from './commandIds';

export interface ScreeningSettings {
  /** Other reviewers' decisions stay hidden until this reviewer has decided the record. */
  blindMode: boolean;
  /** After a decision, the reader moves on to the next unscreened record. */
  autoAdvance: boolean;
  includeKeywords: string[];
  excludeKeywords: string[];
  defaultStage: Stage;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function readSettings(): ScreeningSettings {
  const config = vscode.workspace.getConfiguration(Settings.section);
  return {
    blindMode: config.get<boolean>(Settings.blindMode, true),
    autoAdvance: config.get<boolean>(Settings.autoAdvance, true),
    includeKeywords: strings(config.get(Settings.includeKeywords)),
    excludeKeywords: strings(config.get(Settings.excludeKeywords)),
    defaultStage: config.get<string>(Settings.defaultStage) === 'full-text' ? 'full-text' : 'title-abstract',
  };
}

/** Fires when a `screening.*` setting the views read changes. */
export function onDidChangeSettings(listener: () => void, disposables: vscode.Disposable[]): void {
  vscode.workspace.onDidChangeConfiguration(
    (event) => {
      if (event.affectsConfiguration(Settings.section)) listener();
    },
    undefined,
    disposables,
  );
}
