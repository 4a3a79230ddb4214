/** package.json and src/views/commandIds.ts name the same commands; every %key% has a string. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Commands, ContextKeys, READER_VIEW_TYPE, RECORDS_VIEW_ID, Settings } from '../../../src/views/commandIds';

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('manifest', () => {
  it('contributes exactly the commands of commandIds.ts, each in the Screening category', () => {
    const contributed = (manifest.contributes.commands as { command: string; category: string }[]).map((command) => command.command).sort();
    expect(contributed).toEqual(Object.values(Commands).sort());
    for (const command of manifest.contributes.commands) expect(command.category).toBe('Screening');
  });

  it('has a string for every %key%', () => {
    const keys = [...JSON.stringify(manifest).matchAll(/"%([\w.-]+)%"/g)].map((match) => match[1]);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => nls[key] === undefined)).toEqual([]);
  });

  it('names the views, the reader and the settings as the code does', () => {
    expect(manifest.contributes.views.screening.map((view: { id: string }) => view.id)).toContain(RECORDS_VIEW_ID);
    expect(manifest.activationEvents).toContain(`onWebviewPanel:${READER_VIEW_TYPE}`);
    const properties = Object.keys(manifest.contributes.configuration.properties);
    for (const key of [Settings.reviewer, Settings.blindMode, Settings.autoAdvance, Settings.includeKeywords, Settings.excludeKeywords, Settings.defaultStage, Settings.unscreenedOrder]) {
      expect(properties).toContain(`${Settings.section}.${key}`);
    }
  });

  it('uses only known context keys and commands in menus and keybindings', () => {
    const known = new Set(Object.values(ContextKeys));
    const text = JSON.stringify(manifest.contributes.menus) + JSON.stringify(manifest.contributes.keybindings) + JSON.stringify(manifest.contributes.viewsWelcome);
    for (const [key] of text.matchAll(/screening\.[a-zA-Z]+(?![\w.])/g)) {
      if (key === RECORDS_VIEW_ID || key === READER_VIEW_TYPE || key === 'screening.prisma') continue;
      expect(known.has(key as never) || Object.values(Commands).includes(key as never), key).toBe(true);
    }
  });
});
