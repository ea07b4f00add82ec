import { Readable, Writable } from 'node:stream';
import { Factory, type FactoryOptions } from '../app/factory.js';
import { IO } from '../lib/io.js';
import type { SignalSource } from '../lib/interrupt.js';
import type { Store } from '../store/store.js';
import type { ServerLog } from './server-log.js';

/** What every request's factory shares: the server's database, environment and log. */
export interface FactoryBase {
  store: Store;
  env: NodeJS.ProcessEnv;
  log: ServerLog;
  /** Tests: the wall clock, a broker adapter of their own. */
  factoryOptions?: Omit<FactoryOptions, 'store' | 'db'>;
}

/**
 * A factory for one request (or one run): the same composition root the commands use, over the
 * server's open database, with an I/O object whose messages go to the server's log (JSON lines)
 * and whose stop signals are the run's own. `env` adds to the environment for this request only
 * (a request's broker credentials, as `PTEXEC_<BROKER>_*`): never stored, never logged.
 */
export function requestFactory(base: FactoryBase, extras: { requestId: string; runSignals?: SignalSource; env?: Record<string, string> }): Factory {
  const sink = lineSink((line) => base.log({ level: 'info', request_id: extras.requestId, message: line }));
  const io = new IO(
    { json: true, noColor: true },
    {
      stdout: sink,
      stderr: sink,
      stdin: () => Readable.from([]) as unknown as NodeJS.ReadStream,
      env: extras.env ? { ...base.env, ...extras.env } : base.env,
      signals: extras.runSignals ?? { on: () => undefined, off: () => undefined },
      exit: (code) => {
        throw new Error(`a run asked to exit the server (${code})`);
      },
    },
  );
  return new Factory(io, { ...base.factoryOptions, store: base.store });
}

/** A stream that hands on each line written to it. */
function lineSink(onLine: (line: string) => void): NodeJS.WriteStream {
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line.replace(/\x1b\[[0-9;]*m/g, ''));
      done();
    },
  });
  return stream as unknown as NodeJS.WriteStream;
}
