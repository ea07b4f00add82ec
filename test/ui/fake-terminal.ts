import { EventEmitter } from 'node:events';

/** A terminal-sized output stream that keeps what Ink writes. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns: number;
  rows: number;
  written = '';

  constructor(columns = 80, rows = 24) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  write = (chunk: string | Uint8Array): boolean => {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };

  /** What was written, without escape sequences. */
  text(): string {
    // eslint-disable-next-line no-control-regex
    return this.written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  }

  asStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}

/** A keyboard: `press` delivers keys the way a raw-mode terminal does. */
export class FakeStdin extends EventEmitter {
  isTTY: boolean;
  private data: string | null = null;

  constructor(isTTY = true) {
    super();
    this.isTTY = isTTY;
  }

  press(key: string): void {
    this.data = key;
    this.emit('readable');
    this.emit('data', key);
  }

  read = (): string | null => {
    const data = this.data;
    this.data = null;
    return data;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}

  asStream(): NodeJS.ReadStream {
    return this as unknown as NodeJS.ReadStream;
  }
}
