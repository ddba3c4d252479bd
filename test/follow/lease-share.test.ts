/** The fair share of streams among the consoles renewing leases (lease-share.ts), and which holders of this host are gone (dead-holders.ts). */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { deadLocalHolders } from '../../src/ingest/follow/dead-holders.js';
import { planShare } from '../../src/ingest/follow/lease-share.js';
import type { LeaseTable } from '../../src/model/lease.js';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

function table(leases: [string, string, number][], holders: [string, number][]): LeaseTable {
  return {
    leases: leases.map(([key, holder, expiresInMs]) => ({ key, holder, epoch: 1, expiresInMs, acquiredAt: 0 })),
    holders: holders.map(([holder, expiresInMs]) => ({ holder, expiresInMs })),
  };
}

describe('planShare', () => {
  it('alone: takes every stream it sees', () => {
    const p = planShare({ me: 'a', wanted: new Set(keys(5)), held: new Set(), table: table([], []) });
    expect(p).toEqual({ take: keys(5), shed: [], share: 5, liveHolders: 1 });
  });

  it('another console joined: the first gives up what is over ceil(streams / holders), the newcomer takes the free ones up to its share', () => {
    const all = keys(5);
    const full = table(all.map((k) => [k, 'a', 9000]), [['a', 9000], ['b', 9000]]);
    const a = planShare({ me: 'a', wanted: new Set(all), held: new Set(all), table: full });
    expect(a).toMatchObject({ take: [], shed: ['k3', 'k4'], share: 3, liveHolders: 2 });
    const after = table([...all.slice(0, 3).map((k): [string, string, number] => [k, 'a', 9000]), ['k3', 'a', 0], ['k4', 'a', 0]], [['a', 9000], ['b', 9000]]);
    expect(planShare({ me: 'b', wanted: new Set(all), held: new Set(), table: after })).toMatchObject({ take: ['k3', 'k4'], shed: [] });
  });

  it('takes over the expired leases of a console that stopped renewing, and never a live one', () => {
    const t = table([['k0', 'a', 5000], ['k1', 'b', -10], ['k2', 'b', -10], ['k3', 'a', 5000]], [['a', 5000], ['b', -10], ['c', 5000]]);
    const p = planShare({ me: 'c', wanted: new Set(keys(4)), held: new Set(), table: t });
    expect(p).toMatchObject({ take: ['k1', 'k2'], shed: [], share: 2, liveHolders: 2 });
  });

  it('gives up first the streams it no longer sees', () => {
    const t = table([['k0', 'a', 5000], ['k1', 'a', 5000], ['gone', 'a', 5000]], [['a', 5000]]);
    expect(planShare({ me: 'a', wanted: new Set(['k0', 'k1']), held: new Set(['k0', 'k1', 'gone']), table: t })).toMatchObject({ take: [], shed: ['gone'] });
  });
});

describe('deadLocalHolders', () => {
  it('names holders of this host whose process is gone; never a live process, this process, or another host', () => {
    const host = hostname();
    const gone = `${host}:999999:abc123`;
    const t = table(
      [
        ['k0', gone, 5000],
        ['k1', `${host}:${process.ppid}:abc123`, 5000],
        ['k2', `${host}:${process.pid}:def456`, 5000],
        ['k3', 'elsewhere:999999:abc123', 5000],
      ],
      [],
    );
    expect(deadLocalHolders(t, 'me')).toEqual([gone]);
  });
});
