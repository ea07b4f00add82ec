import { describe, expect, it } from 'vitest';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { bandFor, driftOf, nearestBandEdge, parseBandText } from '../../src/domain/drift-band.js';
import { issueText } from '../../src/domain/input-issue.js';
import { TargetParseError } from '../../src/domain/target-portfolio.js';

function parseErrors(text: string, source: string): string {
  try {
    parseTargetPortfolio(text, source);
  } catch (err) {
    if (err instanceof TargetParseError) return err.issues.map((i) => issueText(i)).join('\n');
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('drift bands', () => {
  it('a line is outside when |drift| > abs or |drift| / target > rel; a target of 0 is outside a rel band when held', () => {
    expect(driftOf(0.23, 0.2, { abs: 0.02 })).toMatchObject({ absOutside: true, relOutside: false, outside: true });
    expect(driftOf(0.21, 0.2, { abs: 0.02, rel: 0.25 })).toMatchObject({ outside: false, relDrift: expect.closeTo(0.05, 9) });
    expect(driftOf(0.04, 0.03, { abs: 0.02, rel: 0.25 })).toMatchObject({ absOutside: false, relOutside: true });
    expect(driftOf(0.22, 0.2, { abs: 0.02 }).outside).toBe(false);
    expect(driftOf(0.01, 0, { rel: 0.25 })).toMatchObject({ relDrift: null, outside: true });
    expect(driftOf(0, 0, { rel: 0.25 }).outside).toBe(false);
    expect(driftOf(0.01, 0, { abs: 0.02 }).outside).toBe(false);
  });

  it('the nearest edge is the narrower of the two limits, on the side the line drifted to', () => {
    expect(nearestBandEdge(0.3, 0.2, { abs: 0.02, rel: 0.25 })).toBeCloseTo(0.22, 12);
    expect(nearestBandEdge(0.1, 0.2, { abs: 0.08, rel: 0.25 })).toBeCloseTo(0.15, 12);
    expect(nearestBandEdge(0.05, 0, { rel: 0.25 })).toBe(0);
    expect(bandFor({ abs: 0.005 }, { abs: 0.02, rel: 0.25 })).toEqual({ abs: 0.005, rel: 0.25 });
    expect(bandFor(undefined, undefined)).toBeUndefined();
  });

  it('reads --band as percentages or fractions and refuses anything else with the fix', () => {
    expect(parseBandText('abs=2%, rel=25%')).toEqual({ band: { abs: 0.02, rel: 0.25 } });
    expect(parseBandText('rel=0.1')).toEqual({ band: { rel: 0.1 } });
    expect(parseBandText('abs=2')).toEqual({ problem: expect.stringMatching(/abs is above 1 .*write 2% or 0\.02/) });
    expect(parseBandText('width=2%')).toEqual({ problem: expect.stringMatching(/has "width=2%": write abs=N% or rel=N%/) });
    expect(parseBandText('abs=1%,abs=2%')).toEqual({ problem: 'gives abs twice: give it once' });
  });

  it('takes a band on target lines: a JSON "band" object or band_abs / band_rel CSV columns, each checked', () => {
    const json = parseTargetPortfolio(JSON.stringify({ positions: [{ symbol: 'TCS', weight: 0.2, band: { abs: 0.02, rel: 0.25 } }, { symbol: 'INFY', weight: 0.1 }] }), 't.json');
    expect(json.positions.map((p) => p.band)).toEqual([{ abs: 0.02, rel: 0.25 }, undefined]);
    const csv = parseTargetPortfolio('symbol,weight,band_abs,band_rel\nTCS,0.2,2%,\nINFY,0.1,,0.3\nITC,0.1,,', 't.csv');
    expect(csv.positions.map((p) => p.band)).toEqual([{ abs: 0.02 }, { rel: 0.3 }, undefined]);
    const bad = parseErrors('symbol,weight,band_abs,band_rel\nTCS,0.2,two,\nINFY,0.1,,11', 't.csv');
    expect(bad).toMatch(/t\.csv:2.*band_abs "two" is not a number \(write 0\.02 or 2%\)/);
    expect(bad).toMatch(/t\.csv:3.*band_rel "11" is above 10 \(1000% of the target weight\)/);
    expect(parseErrors(JSON.stringify({ positions: [{ symbol: 'TCS', weight: 0.2, band: { abs: 0.02, width: 1 } }] }), 't.json')).toMatch(/unknown field\(s\) "width"/);
  });
});
