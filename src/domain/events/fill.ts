import type { Fill } from '../fill.js';

/** A trade of one of our orders, recorded exactly once (by broker and trade id). */
export interface FillRecorded {
  type: 'fill.recorded';
  payload: Fill;
}
