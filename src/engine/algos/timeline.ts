/**
 * When a scheduled algorithm acts: tick j starts at `tickAt(j)`; the horizon ends at `end`
 * (the clean-up time; Infinity for an open-ended participation order).
 */
export interface Timeline {
  ticks: number;
  end: number;
  tickAt(j: number): number;
  /** The tick in progress at `now` (the last one that has started); −1 before the first. */
  indexAt(now: number): number;
}

/** `slices` equal slices of [start, start + duration), boundaries on whole milliseconds. */
export function evenTimeline(start: number, duration: number, slices: number): Timeline {
  const tickAt = (j: number) => start + Math.round((j * duration) / slices);
  return {
    ticks: slices,
    end: start + duration,
    tickAt,
    indexAt(now) {
      if (now < start) return -1;
      let j = Math.min(slices - 1, Math.floor(((now - start) * slices) / duration));
      while (j + 1 < slices && tickAt(j + 1) <= now) j++;
      while (j > 0 && tickAt(j) > now) j--;
      return j;
    },
  };
}

/** A tick every `interval` from `start`, until `start + duration` when there is a horizon. */
export function intervalTimeline(start: number, interval: number, duration?: number): Timeline {
  const end = duration === undefined ? Number.POSITIVE_INFINITY : start + duration;
  return {
    ticks: duration === undefined ? Number.POSITIVE_INFINITY : Math.ceil(duration / interval),
    end,
    tickAt: (j) => start + j * interval,
    indexAt: (now) => (now < start ? -1 : Math.floor((now - start) / interval)),
  };
}
