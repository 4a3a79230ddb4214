import { describe, expect, it } from 'vitest';
import { RevealEchoes } from '../../../src/views/revealEchoes';

describe('RevealEchoes', () => {
  it('takes a selection nobody revealed for the user\'s', () => {
    expect(new RevealEchoes().isEcho('a', 0)).toBe(false);
  });

  it('recognises an echo that comes late, after later reveals', () => {
    const echoes = new RevealEchoes(10_000);
    echoes.noteReveal('r1', 0);
    echoes.noteReveal('r2', 300);
    echoes.noteReveal('r3', 600);
    // The echo of r1 arrives when the reader already shows r3 (seen at ~1 s on a loaded machine).
    expect(echoes.isEcho('r1', 1_500)).toBe(true);
    expect(echoes.isEcho('r3', 1_700)).toBe(true);
  });

  it('retires earlier reveals when a later one echoes (VS Code answers them in order)', () => {
    const echoes = new RevealEchoes();
    echoes.noteReveal('r1', 0);
    echoes.noteReveal('r2', 100);
    echoes.noteReveal('r3', 200);
    expect(echoes.isEcho('r2', 500)).toBe(true);
    // r1 never echoed and never will: a later selection of it is the user's, as is a second one of r2.
    expect(echoes.isEcho('r1', 600)).toBe(false);
    expect(echoes.isEcho('r2', 700)).toBe(false);
    expect(echoes.isEcho('r3', 800)).toBe(true);
  });

  it('keeps reveal order when a record is revealed again', () => {
    const echoes = new RevealEchoes();
    echoes.noteReveal('r1', 0);
    echoes.noteReveal('r2', 100);
    echoes.noteReveal('r1', 200);
    expect(echoes.isEcho('r2', 300)).toBe(true);
    expect(echoes.isEcho('r1', 400)).toBe(true);
  });

  it('forgets a failed reveal and reveals older than the window', () => {
    const echoes = new RevealEchoes(1_000);
    echoes.noteReveal('r1', 0);
    echoes.forget('r1');
    expect(echoes.isEcho('r1', 10)).toBe(false);
    echoes.noteReveal('r2', 0);
    expect(echoes.isEcho('r2', 5_000)).toBe(false);
    echoes.noteReveal('r3', 0);
    echoes.noteReveal('r4', 2_000); // prunes r3
    expect(echoes.isEcho('r3', 2_100)).toBe(false);
  });
});
