/**
 * Tells the selection echoes of the Records tree's own reveals (made to follow the reader) from the
 * user's selections. No `vscode` import, so it is unit-tested.
 *
 * On a busy machine an echo can come a second or more after its reveal, when the reader has moved on
 * (taking it for the user's choice would send the reader back to a record already decided), and a
 * reveal superseded by the next may never echo. VS Code answers reveals in order, so an echo also
 * retires every earlier reveal still waiting for its own.
 */
export class RevealEchoes {
  /** Node id → time of its reveal, in reveal order. */
  private readonly pending = new Map<string, number>();

  constructor(private readonly windowMs = 10_000) {}

  /** A reveal of `id` was asked for at `now`. */
  noteReveal(id: string, now: number): void {
    for (const [other, time] of this.pending) if (now - time > this.windowMs) this.pending.delete(other);
    this.pending.delete(id); // re-inserted last: the map stays in reveal order
    this.pending.set(id, now);
  }

  /** The reveal of `id` failed: no echo will come. */
  forget(id: string): void {
    this.pending.delete(id);
  }

  /** Whether a selection of `id` at `now` is the echo of a reveal (else it is the user's). */
  isEcho(id: string, now: number): boolean {
    const at = this.pending.get(id);
    if (at === undefined) return false;
    for (const [other, time] of this.pending) if (time <= at) this.pending.delete(other);
    return now - at <= this.windowMs;
  }
}
