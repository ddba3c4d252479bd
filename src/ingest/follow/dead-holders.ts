/**
 * Lease holders known to be gone: those of this host (holder ids are
 * `host:pid:tag`, lease-keeper.ts) whose process no longer exists. Their
 * leases are released at once instead of waiting for them to expire, so a
 * console killed and started again on the same host resumes its streams
 * without waiting out the lease. A process that exists (or may: another
 * user's, EPERM) is never judged gone; holders of other hosts are left to expire.
 */
import { hostname } from 'node:os';
import type { LeaseTable } from '../../model/lease.js';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function deadLocalHolders(table: LeaseTable, me: string, host = hostname()): string[] {
  const live = new Set([...table.holders.filter((h) => h.expiresInMs > 0).map((h) => h.holder), ...table.leases.filter((l) => l.expiresInMs > 0).map((l) => l.holder)]);
  const dead: string[] = [];
  for (const h of live) {
    if (h === me) continue;
    const m = /^(.*):(\d+):[0-9a-f]+$/.exec(h);
    if (!m || m[1] !== host) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && !processExists(pid)) dead.push(h);
  }
  return dead;
}
