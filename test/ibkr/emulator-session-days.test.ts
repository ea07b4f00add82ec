import { describe, expect, it } from 'vitest';
import { tradingDate } from '../../src/market/exchange-time.js';
import { previousSessionAfternoon } from '../emulators/ibkr/ibkr-emulator.js';

// The emulator's settling buys must fall on the previous New York session whatever the UTC hour:
// a CI run at 00:24 UTC on a Friday (Thursday evening in New York) once read them as today's.
describe('the IBKR emulator dates its settling buys in New York days', () => {
  it.each([
    ['2026-12-04T00:24:00Z', '2026-12-02'], // Thursday evening in New York
    ['2026-12-04T15:00:00Z', '2026-12-03'], // Friday session
    ['2026-12-07T03:00:00Z', '2026-12-04'], // Sunday night in New York: Friday
    ['2026-11-27T14:00:00Z', '2026-11-25'], // the day after Thanksgiving: the Wednesday before it
  ])('at %s the previous session is %s', (now, day) => {
    const at = previousSessionAfternoon(Date.parse(now));
    expect(tradingDate('NYSE', at)).toBe(day);
    expect(new Date(at).toISOString().slice(11, 16)).toBe('20:00'); // 15:00 EST
  });
});
