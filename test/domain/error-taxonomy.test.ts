import { describe, expect, it } from 'vitest';
import { BlockedError } from '../../src/domain/errors/blocked-error.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { ConflictError } from '../../src/domain/errors/conflict-error.js';
import { DatabaseBusyError } from '../../src/domain/errors/database-busy.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { PtexecError } from '../../src/domain/errors/ptexec-error.js';
import { StorageError } from '../../src/domain/errors/storage-error.js';
import { TargetParseError } from '../../src/domain/errors/target-parse-error.js';
import { describeError } from '../../src/lib/errors.js';

describe('one error taxonomy, mapped to exit codes in one place', () => {
  const storage = new StorageError('full', '/tmp/x.db', 'the disk is full', 'free some space');
  const cases: [string, PtexecError, PtexecError['category'], number][] = [
    ['invalid input', new InvalidInputError('--run-id x is not valid', 'use 4 to 10 lowercase letters'), 'invalid_input', 2],
    ['a target file', new TargetParseError('p.csv', [{ file: 'p.csv', line: 2, message: 'no symbol' }]), 'invalid_input', 2],
    ['a conflict', new ConflictError('account paper:PAPER is locked'), 'conflict', 6],
    ['pre-trade checks', new BlockedError('pre-trade checks blocked 1 leg; nothing was sent'), 'blocked', 3],
    ['a login', new BrokerError('auth', 'not logged in', 'zerodha'), 'broker', 5],
    ['a broker that is down', new BrokerError('unavailable', 'HTTP 503', 'zerodha'), 'broker', 5],
    ['a rejection', new BrokerError('rejected', 'margin', 'zerodha'), 'broker', 4],
    ['the database', storage, 'storage', 7],
    ['a busy database', new DatabaseBusyError('/tmp/x.db'), 'storage', 7],
    ['a full disk during a run', storage.inRun('abcd1234'), 'storage', 130],
  ];

  it.each(cases)('%s: a PtexecError with its category and its documented exit code', (_what, err, category, exitCode) => {
    expect(err).toBeInstanceOf(PtexecError);
    expect(err).toBeInstanceOf(Error);
    expect(err.category).toBe(category);
    const d = describeError(err);
    expect(d.exitCode).toBe(exitCode);
    expect(d.bug).toBe(false);
  });

  it('keeps each message, hint, located issues and the result that goes with it', () => {
    const blocked = describeError(new BlockedError('pre-trade checks blocked the run (duplicate); nothing was sent', 'add --allow-duplicate', { result: { run_id: 'abcd' } }));
    expect(blocked).toMatchObject({ message: 'pre-trade checks blocked the run (duplicate); nothing was sent', hint: 'add --allow-duplicate', result: { run_id: 'abcd' } });
    const parse = describeError(new TargetParseError('p.csv', [{ file: 'p.csv', line: 2, message: 'no symbol' }]));
    expect(parse).toMatchObject({ message: 'invalid target portfolio, nothing was sent', hint: 'fix the file and run again (formats: README "Input formats")', details: ['p.csv:2: no symbol'] });
    expect(describeError(new BrokerError('auth', 'not logged in', 'zerodha'))).toMatchObject({ message: 'zerodha: not logged in', hint: 'log in again with `ptexec brokers login zerodha`' });
  });

  it('anything else is a bug: exit 1', () => {
    expect(describeError(new TypeError('x is undefined'))).toMatchObject({ exitCode: 1, bug: true, message: 'x is undefined' });
  });
});
