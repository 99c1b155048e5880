/**
 * What a process has started so far (a database, a pool, a listener), to stop in reverse order:
 * on shutdown, or when a later step of starting fails. (Node 24's AsyncDisposableStack does this
 * too, but Node 22, the supported minimum, lacks it.)
 */
export interface UndoStack {
  /** Adds a step that undoes what was just started; it runs before every step added earlier. */
  push(step: () => Promise<void>): void;
  /** Runs every step, newest first; the first failure stops the rest and rejects. */
  run(): Promise<void>;
  /** Runs every step, newest first, ignoring failures: for cleaning up after a failed start. */
  runQuietly(): Promise<void>;
}

export function createUndoStack(): UndoStack {
  const steps: (() => Promise<void>)[] = [];
  return {
    push(step) {
      steps.unshift(step);
    },
    async run() {
      for (const step of steps.splice(0)) await step();
    },
    async runQuietly() {
      for (const step of steps.splice(0)) await step().catch(() => {});
    },
  };
}
