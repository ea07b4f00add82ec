/** A schema change, applied once, in order of `id` within the list it belongs to. */
export interface Migration {
  /** Unique and stable forever: `NNNN-area-what`. */
  id: string;
  sql: string;
}
