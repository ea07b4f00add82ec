import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKERS_WITH_LOGIN } from '../../src/brokers/registry.js';
import { type KiteEmulator, startKiteEmulator } from '../emulators/kite/index.js';
import { type CliResult, ROOT, runCli } from '../cli/cli-harness.js';

// These run the compiled CLI (`npm run build` first, as `npm test` does).
let emu: KiteEmulator;
let env: NodeJS.ProcessEnv;
let configHome: string;

beforeAll(async () => {
  emu = await startKiteEmulator({ accessToken: null });
  configHome = mkdtempSync(join(tmpdir(), 'ptexec-cli-cfg-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PTEXEC_')));
  env = {
    ...base,
    NO_COLOR: '1',
    XDG_CONFIG_HOME: configHome,
    XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'ptexec-cli-data-')),
    PTEXEC_ZERODHA_URL: emu.url,
    PTEXEC_ZERODHA_LOGIN_URL: emu.loginUrl,
    PTEXEC_ZERODHA_API_KEY: emu.apiKey,
    PTEXEC_ZERODHA_API_SECRET: emu.apiSecret,
  };
});
afterAll(async () => {
  await emu.close();
});

/**
 * Runs the CLI against the emulator in this process (see test/cli/in-process.ts), or as a process
 * of its own with `subprocess` (the emulator lives in this process, so never synchronously).
 */
function ptexec(args: string[], stdin = '', extraEnv: NodeJS.ProcessEnv = {}, options: { subprocess?: boolean } = {}): Promise<CliResult> {
  return runCli(args, { env: { ...env, ...extraEnv }, input: stdin, cwd: ROOT, subprocess: options.subprocess });
}

let firstRequestToken = '';
const credentialsFile = () => join(configHome, 'ptexec', 'credentials.json');

describe('ptexec brokers login / status / logout (zerodha, against the emulator)', () => {
  it('logs in with the redirect URL on stdin and stores the session 0600', async () => {
    firstRequestToken = emu.state.issueRequestToken();
    const redirect = `https://example.com/kite/callback?action=login&type=login&status=success&request_token=${firstRequestToken}`;
    // The one login run as a user's shell starts it: the redirect URL piped to a process of its own.
    const run = await ptexec(['brokers', 'login', 'zerodha'], `${redirect}\n`, {}, { subprocess: true });
    expect(run.stderr).toContain(`${emu.loginUrl}?api_key=${emu.apiKey}&v=3`);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/logged in to zerodha as ZX1234/);
    const mode = statSync(credentialsFile()).mode & 0o777;
    expect(mode).toBe(0o600);
    const stored = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { zerodha: Record<string, string> } };
    expect(stored.brokers.zerodha).toMatchObject({ api_key: emu.apiKey, user_id: 'ZX1234' });
    expect(emu.state.accessTokens.has(stored.brokers.zerodha.access_token!)).toBe(true);
    // The secret came from the environment: it stays there, and appears nowhere in the output.
    expect(stored.brokers.zerodha.api_secret).toBeUndefined();
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain(emu.apiSecret);
      expect(text).not.toContain(stored.brokers.zerodha.access_token);
    }
  });

  it('shows the session with `brokers status --json`, without secrets', async () => {
    const run = await ptexec(['brokers', 'status', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as { credentials_file: string; brokers: Record<string, unknown>[] };
    expect(status.credentials_file).toBe(credentialsFile());
    // Every broker with a login is listed; only Zerodha has a session here.
    expect(status.brokers.map((b) => b.broker)).toEqual([...BROKERS_WITH_LOGIN].sort());
    expect(status.brokers.filter((b) => b.broker === 'zerodha')).toEqual([
      {
        broker: 'zerodha',
        logged_in: true,
        user_id: 'ZX1234',
        token_source: 'file',
        api_key_source: 'env',
        api_secret_source: 'env',
        login_time: expect.any(String),
        expires_at: expect.stringMatching(/T00:30:00\.000Z$/),
        expired: false,
      },
    ]);
    const token = (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { zerodha: { access_token: string } } }).brokers.zerodha.access_token;
    expect(run.stdout).not.toContain(token);
  });

  it('refuses a used request token with exit 5 and the login hint', async () => {
    const again = await ptexec(['brokers', 'login', 'zerodha'], `${firstRequestToken}\n`);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/TokenException/);
    expect(again.stderr).not.toContain(firstRequestToken);
  });

  it('says a wrong API secret is the secret (exit 5), not an expired session', async () => {
    const wrong = 'wrongsecret0000';
    const run = await ptexec(['brokers', 'login', 'zerodha'], `${emu.state.issueRequestToken()}\n`, { PTEXEC_ZERODHA_API_SECRET: wrong });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/the API secret does not match the API key: Kite refused the login checksum/);
    expect(run.stderr).toMatch(/check PTEXEC_ZERODHA_API_SECRET, or the api_secret in the credentials file/);
    expect(run.stderr).not.toMatch(/session is no longer valid|expire/);
    expect(run.stderr).not.toContain(wrong);
  });

  it('refuses an empty stdin (the token is never a flag)', async () => {
    const empty = await ptexec(['brokers', 'login', 'zerodha'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no request token given/);
  });

  it('logs out: the token is revoked at Kite and removed from the file', async () => {
    const token = (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { zerodha: { access_token: string } } }).brokers.zerodha.access_token;
    const run = await ptexec(['brokers', 'logout', 'zerodha']);
    expect(run.code).toBe(0);
    expect(emu.state.accessTokens.has(token)).toBe(false);
    const stored = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { zerodha: Record<string, string> } };
    expect(stored.brokers.zerodha).toEqual({ api_key: emu.apiKey });
    const status = JSON.parse((await ptexec(['brokers', 'status', '--json'])).stdout) as { brokers: { broker: string; logged_in: boolean }[] };
    expect(status.brokers.find((b) => b.broker === 'zerodha')!.logged_in).toBe(false);
  });

  it('refuses a group-readable credentials file with the chmod to run', async () => {
    expect(existsSync(credentialsFile())).toBe(true);
    chmodSync(credentialsFile(), 0o644);
    const run = await ptexec(['brokers', 'status']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`chmod 600 ${credentialsFile()}`);
    chmodSync(credentialsFile(), 0o600);
  });
});
