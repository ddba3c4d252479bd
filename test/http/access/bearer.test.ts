/** Reading the Authorization header: absent, malformed, the wrong shape, or one credential. */
import { describe, expect, it } from 'vitest';
import { mintKey } from '../../../scripts/formats/inventory-file.js';
import { readBearer } from '../../../src/http/middleware/authenticate.js';

describe('readBearer', () => {
  const key = mintKey('skl').key;
  const token = `sdo_${'A'.repeat(43)}`;

  it('takes one well-shaped credential after "Bearer " (any case of the scheme)', () => {
    expect(readBearer(`Bearer ${key}`)).toEqual({ kind: 'value', value: key });
    expect(readBearer(`bearer ${token}`)).toEqual({ kind: 'value', value: token });
    expect(readBearer(undefined)).toEqual({ kind: 'none' });
  });

  it('calls a header that is not "Bearer <something>" malformed', () => {
    for (const h of ['', 'Bearer', 'Basic dXNlcjpwYXNz', key, 'Token abc', 'Bearer   '.trim()]) expect([h, readBearer(h)]).toEqual([h, { kind: 'problem', problem: { kind: 'malformed' } }]);
  });

  it('takes a key of 32 to 128 lower-case hex, of any length between', () => {
    for (const n of [32, 33, 48, 64, 65, 100, 128]) {
      const k = `skl_${key.slice(4)}${key.slice(4)}`.slice(0, 4 + n);
      expect([n, readBearer(`Bearer ${k}`)]).toEqual([n, { kind: 'value', value: k }]);
    }
  });

  it('calls anything else the wrong shape: extra whitespace, truncation, stray or upper-case characters, unknown kinds', () => {
    for (const h of [`Bearer  ${key}`, `Bearer\t${key}`, `Bearer ${key} `, `Bearer ${key.slice(0, 35)}`, `Bearer ${key}${'0'.repeat(65)}`, `Bearer ${key}g`, `Bearer ${key.replace(/[a-f]/, 'G')}`, `Bearer skl_${key.slice(4).toUpperCase()}`, `Bearer ${token.slice(0, -2)}`, 'Bearer pk_live_123', `Bearer ${key.slice(0, 30)} ${key.slice(30)}`]) {
      expect([h.slice(0, 30), readBearer(h)]).toEqual([h.slice(0, 30), { kind: 'problem', problem: { kind: 'shape' } }]);
    }
  });
});
