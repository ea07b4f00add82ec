import { describe, expect, it } from 'vitest';
import { accountSelection, parseAccounts, selectAccounts } from '../../src/app/loaders/accounts-config.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';

describe('the accounts section of config.json', () => {
  const section = {
    main: { broker: 'Zerodha', account: 'ZX1234', role: 'primary' },
    spouse: { broker: 'paper', account: 'SPOUSE', permissions: { sell: false, order_types: ['limit'] }, share: 0.4 },
  };

  it('reads aliases with their broker, account, role, permissions and share (defaults filled)', () => {
    expect(parseAccounts(section, 'config.json')).toEqual([
      { alias: 'main', broker: 'zerodha', account: 'ZX1234', role: 'primary', permissions: { buy: true, sell: true } },
      { alias: 'spouse', broker: 'paper', account: 'SPOUSE', role: 'secondary', permissions: { buy: true, sell: false, orderTypes: ['limit'] }, share: 0.4 },
    ]);
    expect(parseAccounts(undefined, 'config.json')).toEqual([]);
  });

  it('names the place of every invalid entry', () => {
    let error: unknown;
    try {
      parseAccounts({ 'Bad Alias': { broker: 'paper' }, ok: { broker: 'paper', role: 'boss', share: 2 } }, 'config.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const text = JSON.stringify(error);
    expect(text).toContain('Bad Alias');
    expect(text).toContain('role');
    expect(text).toContain('share');
  });

  it('refuses shares that do not add up, naming the place and the fix', () => {
    const issuesOf = (accounts: Record<string, unknown>) => {
      try {
        parseAccounts(accounts, 'config.json');
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidInputError);
        return (err as InvalidInputError).issues;
      }
      return undefined;
    };
    expect(issuesOf({ main: { broker: 'paper', share: 0.6 }, spouse: { broker: 'paper', share: 0.3 } })).toEqual([
      { file: 'config.json', path: '$.accounts', field: 'accounts', message: "the accounts' shares add up to 0.9 (main 0.6, spouse 0.3); with a share on every account they must add up to 1", fix: "make them add up to 1, or leave one account's share out to give it the rest" },
    ]);
    expect(issuesOf({ main: { broker: 'paper', share: 0.7 }, spouse: { broker: 'paper', share: 0.5 }, kid: { broker: 'paper' } })).toEqual([
      { file: 'config.json', path: '$.accounts', field: 'accounts', message: "the accounts' shares add up to 1.2 (main 0.7, spouse 0.5), more than 1", fix: 'lower them to add up to at most 1; accounts without a share hold the rest' },
    ]);
    // Thirds as a PM writes them, and shares with an account left to hold the rest, pass.
    expect(issuesOf({ a: { broker: 'paper', share: 0.3333 }, b: { broker: 'paper', share: 0.3333 }, c: { broker: 'paper', share: 0.3333 } })).toBeUndefined();
    expect(issuesOf({ main: { broker: 'paper' }, spouse: { broker: 'paper', share: 0.3 } })).toBeUndefined();
  });

  it('selects one, several or all accounts, refusing unknown aliases with the known ones', () => {
    const defs = parseAccounts(section, 'config.json');
    expect(accountSelection({})).toBeUndefined();
    expect(selectAccounts(defs, accountSelection({ account: 'Spouse' })!).map((d) => d.alias)).toEqual(['spouse']);
    expect(selectAccounts(defs, accountSelection({ accounts: 'all' })!).map((d) => d.alias)).toEqual(['main', 'spouse']);
    expect(selectAccounts(defs, accountSelection({ accounts: 'spouse, main,spouse' })!).map((d) => d.alias)).toEqual(['main', 'spouse']);
    expect(() => selectAccounts(defs, { kind: 'one', alias: 'kid' })).toThrow(/unknown account kid/);
    expect(() => accountSelection({ account: 'main', accounts: 'all' })).toThrow(/cannot be used together/);
    expect(() => selectAccounts([], { kind: 'all' })).toThrow(/no accounts are configured/);
  });
});
