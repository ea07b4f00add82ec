import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { checkExposure } from '../../src/server/serve-service.js';
import { startTestServer } from './server-harness.js';

describe('exposure', () => {
  it('loopback needs nothing; another host needs TLS or --insecure; a certificate needs its key', () => {
    const base = { insecure: false };
    expect(() => checkExposure({ ...base, host: '127.0.0.1' })).not.toThrow();
    expect(() => checkExposure({ ...base, host: '::1' })).not.toThrow();
    expect(() => checkExposure({ ...base, host: '0.0.0.0' })).toThrow(/0.0.0.0 listens beyond this machine/);
    expect(() => checkExposure({ ...base, host: '0.0.0.0', insecure: true })).not.toThrow();
    expect(() => checkExposure({ ...base, host: '0.0.0.0', 'tls-cert': 'c.pem', 'tls-key': 'k.pem' })).not.toThrow();
    expect(() => checkExposure({ ...base, host: '127.0.0.1', 'tls-cert': 'c.pem' })).toThrow(/go together/);
  });

  it('serves HTTPS with the given certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      const s = await startTestServer({ tls: { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') } });
      try {
        expect(s.url).toMatch(/^https:\/\//);
        const res = await fetch(`${s.url}/runs`, { headers: { authorization: `Bearer ${s.token(['read'])}` }, dispatcher: new Agent({ connect: { ca: readFileSync(join(dir, 'cert.pem'), 'utf8'), rejectUnauthorized: false } }) });
        expect(res.status).toBe(200);
      } finally {
        await s.stop();
        s.remove();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
