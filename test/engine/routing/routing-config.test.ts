import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCostModel } from '../../../src/app/loaders/cost-model.js';
import { parseRoutingPolicy } from '../../../src/app/loaders/routing-config.js';
import { InvalidInputError } from '../../../src/domain/errors/invalid-input-error.js';
import { DEFAULT_ROUTING_POLICY } from '../../../src/engine/routing/index.js';
import { describeError } from '../../../src/lib/errors.js';

/** The `routing` section of config.json: defaults for what it leaves out, errors that name the place. */

function failure(section: unknown, known?: string[]): InvalidInputError {
  try {
    parseRoutingPolicy(section, 'config.json', known);
  } catch (err) {
    return err as InvalidInputError;
  }
  throw new Error('expected the section to be refused');
}

describe('parseRoutingPolicy', () => {
  it('no section is the default policy', () => {
    expect(parseRoutingPolicy(undefined, 'config.json')).toBe(DEFAULT_ROUTING_POLICY);
  });

  it('keys left out take the defaults; rules are read as written', () => {
    const policy = parseRoutingPolicy(
      {
        weights: { quality: 2 },
        split: { min_quantity: 50 },
        rules: [
          { kind: 'only', symbols: ['RELIANCE'], accounts: ['main'] },
          { kind: 'never', accounts: ['kid'] },
          { kind: 'max-share', account: 'spouse', share: 0.4 },
        ],
      },
      'config.json',
      ['main', 'spouse', 'kid'],
    );
    expect(policy.weights).toEqual({ ...DEFAULT_ROUTING_POLICY.weights, quality: 2 });
    expect(policy.split).toEqual({ enabled: true, minQuantity: 50 });
    expect(policy.rules).toEqual([
      { kind: 'only', symbols: ['RELIANCE'], accounts: ['main'] },
      { kind: 'never', accounts: ['kid'] },
      { kind: 'max-share', account: 'spouse', share: 0.4 },
    ]);
    expect(policy.impact).toEqual(DEFAULT_ROUTING_POLICY.impact);
  });

  it('an invalid value is an input error naming its place (exit 2)', () => {
    const err = failure({ weights: { cost: -1 }, rules: [{ kind: 'max-share', account: 'main', share: 1.5 }] });
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(describeError(err).exitCode).toBe(2);
    expect(err.message).toBe('config.json: invalid routing configuration');
    expect(err.issues.map((i) => i.path)).toEqual(['$.routing.weights.cost', '$.routing.rules[0].share']);
  });

  it('an unknown key or rule kind is refused, not ignored', () => {
    expect(failure({ wieghts: {} }).issues[0]?.path).toBe('$.routing');
    expect(failure({ rules: [{ kind: 'sometimes', accounts: ['main'] }] }).issues[0]?.path).toBe('$.routing.rules[0].kind');
  });

  it('a rule naming an account that is not configured is refused', () => {
    const err = failure({ rules: [{ kind: 'never', accounts: ['spuose'] }] }, ['main', 'spouse']);
    expect(err.message).toBe('config.json: routing rules name unknown accounts');
    expect(err.issues).toEqual([{ file: 'config.json', path: '$.routing.rules[0].accounts', field: 'accounts', message: 'no account "spuose" is configured' }]);
  });

  it('the default impact is the shipped cost model’s temporary impact and default volatility', () => {
    const model = parseCostModel(readFileSync('data/estimate/cost-model.json', 'utf8'), 'data/estimate/cost-model.json');
    expect(DEFAULT_ROUTING_POLICY.impact).toEqual({ coefficient: model.temporary_impact, volatility: model.defaults.volatility });
  });
});
