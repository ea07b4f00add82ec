import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** V8's default: each growth doubles the new space. */
const DEFAULT_GROWTH_FACTOR = 2;

/**
 * Caps V8's young generation (new space) for the dashboard's process. Fed thousands of fills a
 * second, the screen allocates fast (Ink builds every frame cell by cell) but keeps little, and
 * V8 answers the allocation rate by doubling the new space up to 32 MB: resident memory that buys
 * nothing here. `--max-semi-space-size` would cap it but is fixed when the process starts; the
 * growth factor, in contrast, is read each time V8 considers growing, so it is set to 1 (no
 * growth) while modules load — their objects all survive, which would double the new space
 * several times within one import — and once the new space has reached `limitBytes`. Too small
 * a new space makes the scavenger run more often (CPU), so the limit is the size measured to keep
 * both budgets (bench/ui-dashboard.js).
 */
export class YoungGenerationCap {
  private reached = false;
  private held = false;

  constructor(private readonly limitBytes: number) {}

  /** No growth for now (while loading modules). `check()` lets it grow again. */
  hold(): void {
    if (this.reached || this.held) return;
    setGrowthFactor(1);
    this.held = true;
  }

  /** Call now and then (each frame): cheap, and a no-op once the cap is in place. */
  check(): void {
    if (this.reached) return;
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace && newSpace.space_size >= this.limitBytes) {
      if (!this.held) setGrowthFactor(1);
      this.reached = true;
    } else if (this.held) {
      setGrowthFactor(DEFAULT_GROWTH_FACTOR);
      this.held = false;
    }
  }
}

function setGrowthFactor(factor: number): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}
