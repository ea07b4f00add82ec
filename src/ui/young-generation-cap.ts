import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Caps V8's young generation (new space) for the dashboard's process. Fed thousands of fills a
 * second, the screen allocates fast (Ink builds every frame cell by cell) but keeps little, and
 * V8 answers the allocation rate by doubling the new space up to 32 MB: resident memory that buys
 * nothing here. `--max-semi-space-size` would cap it but is fixed when the process starts; the
 * growth factor, in contrast, is read each time V8 considers growing, so once the new space has
 * reached `limitBytes` it is told to stop growing. Too small a new space makes the scavenger run
 * more often (CPU), so the cap is the size measured to keep both budgets (bench/ui-dashboard.js).
 */
export class YoungGenerationCap {
  private reached = false;

  constructor(private readonly limitBytes: number) {}

  /** Call now and then (each frame): cheap, and a no-op once the cap is in place. */
  check(): void {
    if (this.reached) return;
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!newSpace || newSpace.space_size < this.limitBytes) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    this.reached = true;
  }
}
