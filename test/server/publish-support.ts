import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's nats-server (`apt-get install nats-server`, which .ci/run does), wherever PATH or Debian puts it. */
export function natsServerBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  return dirs.map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
}

/** In CI a missing nats-server is a failure, not a reason to skip. */
export const NATS_MISSING_IN_CI = !natsServerBinary() && process.env.CI === 'true';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A JetStream server of the test's own, on a free port with its store in a temporary directory; killed and restarted at will. */
export class NatsServer {
  readonly storeDir = mkdtempSync(join(tmpdir(), 'ptexec-nats-'));
  port = 0;
  private child?: ChildProcess;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    const child = spawn(natsServerBinary()!, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    this.child = child;
    await this.waitUntilListening();
    return this;
  }

  /** Kills the server at once, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async waitUntilListening(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = tcpConnect(this.port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (open) return;
      if (this.child?.exitCode !== null) throw new Error(`nats-server exited with ${this.child?.exitCode}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('nats-server did not start listening');
  }
}
