/** Reading the environment: empty variables count as unset; set ones are checked and reported by name. */
import { describe, expect, it } from 'vitest';
import { ConfigError, dbPath, DEFAULT_DB, diagSettings, leaseTiming, readEnv, trustProxy } from '../src/config.js';

describe('readEnv', () => {
  it('an empty DIAG_PORT is unset (the default port), not port 0', () => {
    expect(readEnv({ DIAG_PORT: '' }).DIAG_PORT).toBeUndefined();
    expect(readEnv({ DIAG_PORT: '   ' }).DIAG_PORT).toBeUndefined();
    expect(readEnv({ DIAG_PORT: '0' }).DIAG_PORT).toBe(0);
    expect(readEnv({ DIAG_PORT: '9090' }).DIAG_PORT).toBe(9090);
  });

  it('an empty DIAG_DB is unset: the default store, not an error', () => {
    const e = readEnv({ DIAG_DB: '' });
    expect(e.DIAG_DB).toBeUndefined();
    expect(dbPath(undefined, e)).toBe(DEFAULT_DB);
  });

  it('every variable of the schema left empty reads as if none were set', () => {
    const keys = [
      'DIAG_DB', 'DIAG_HOST', 'DIAG_PORT', 'DIAG_LOG_LEVEL', 'DIAG_TRUST_PROXY', 'DIAG_REDACT_PATTERNS', 'NODE_ENV', 'DIAG_CP_DATABASE_URL', 'DIAG_CP_SCHEMA',
      'DIAG_LLM_PROBE_URL', 'DIAG_EMAIL_PROBE_URL', 'DIAG_DNS_PROBE_URL', 'DIAG_CHECK_TIMEOUT_MS', 'DIAG_CHECK_INTERVAL_MS', 'DIAG_HEALTH_RETENTION_DAYS', 'DIAG_INGEST_MAX_BYTES',
    ];
    const e = readEnv(Object.fromEntries(keys.map((k) => [k, ''])));
    expect(e).toEqual({});
    expect(trustProxy(e)).toBe(false);
    expect(diagSettings(e)).toEqual(diagSettings(readEnv({})));
  });

  it('DIAG_INGEST_MAX_BYTES: the push cap in bytes, from 1 KiB to 1 GiB', () => {
    expect(readEnv({ DIAG_INGEST_MAX_BYTES: '16777216' }).DIAG_INGEST_MAX_BYTES).toBe(16 * 1024 * 1024);
    expect(() => readEnv({ DIAG_INGEST_MAX_BYTES: '8m' })).toThrow(/DIAG_INGEST_MAX_BYTES/);
    expect(() => readEnv({ DIAG_INGEST_MAX_BYTES: '10' })).toThrow(/DIAG_INGEST_MAX_BYTES/);
  });

  it('a set variable that is wrong is still refused, naming it', () => {
    expect(() => readEnv({ DIAG_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readEnv({ DIAG_PORT: '70000' })).toThrow(/DIAG_PORT/);
    expect(() => readEnv({ DIAG_CP_DATABASE_URL: 'mysql://x' })).toThrow(/DIAG_CP_DATABASE_URL/);
  });
});

describe('leaseTiming', () => {
  it('15 s leases renewed every 5 s by default; a third of the lease when only the lease is set; a renewal slower than half the lease is refused', () => {
    expect(leaseTiming(readEnv({}))).toEqual({ ttlMs: 15_000, renewMs: 5_000 });
    expect(leaseTiming(readEnv({ DIAG_LEASE_TTL_MS: '1500' }))).toEqual({ ttlMs: 1500, renewMs: 500 });
    expect(leaseTiming(readEnv({ DIAG_LEASE_TTL_MS: '2000', DIAG_LEASE_RENEW_MS: '250' }))).toEqual({ ttlMs: 2000, renewMs: 250 });
    expect(() => leaseTiming(readEnv({ DIAG_LEASE_TTL_MS: '2000', DIAG_LEASE_RENEW_MS: '1500' }))).toThrow(/DIAG_LEASE_RENEW_MS/);
    expect(() => leaseTiming(readEnv({ DIAG_LEASE_TTL_MS: '50' }))).toThrow(ConfigError);
  });
});
