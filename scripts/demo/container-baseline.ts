/**
 * What every container logs when nothing is wrong: PostgreSQL's start and
 * periodic checkpoints, the functions runtime's boot and its cron triggers.
 * Containers restarted for maintenance just before the demo's window, so
 * their current log files begin there.
 */
import { pgStartup } from '../formats/postgres-log.js';
import type { StoryTimes } from './story-times.js';
import { MIN, type DemoTimeline } from './timeline.js';
import type { DemoContainer, DemoWok } from './world.js';

export const FUNCTIONS: Readonly<Record<string, string[]>> = {
  shopfront: ['send-welcome', 'summarize-ticket', 'sync-inventory'],
  ledger: ['reconcile-payments', 'export-csv'],
  analytics: ['ingest-webhook', 'rollup-daily'],
  inbox: ['send-digest', 'parse-inbound'],
};

export function containerBaseline(t: DemoTimeline, s: StoryTimes): void {
  t.world.woks.forEach((w, i) => {
    if (w.db && w.status !== 'provisioning') dbBaseline(t, w.db, s.logsFrom + i * 2300, t.now);
    if (w.fn) {
      fnBoot(t, w, w.fn, s.logsFrom + i * 2300 + 4100);
      cronRuns(t, w, w.fn, s.logsFrom + 20 * MIN, w.id === 'inbox' ? s.inboxBreak : t.now);
    }
  });
}

export function dbBaseline(t: DemoTimeline, db: DemoContainer, from: number, to: number): void {
  for (const l of pgStartup(from, 1)) t.pg(db, l);
  // checkpoint_timeout = 30min: one line pair per half hour.
  for (let at = from + 30 * MIN; at < to; at += 30 * MIN) {
    const buffers = t.rng.int(12, 480);
    const write = (buffers * 0.0021).toFixed(3);
    t.pg(db, { time: at, pid: 27, severity: 'LOG', message: 'checkpoint starting: time' });
    t.pg(db, {
      time: at + Math.round(Number(write) * 1000) + 14,
      pid: 27,
      severity: 'LOG',
      message: `checkpoint complete: wrote ${buffers} buffers (${(buffers / 163.84).toFixed(1)}%); 0 WAL file(s) added, 0 removed, 0 recycled; write=${write} s, sync=0.004 s, total=${(Number(write) + 0.011).toFixed(3)} s; sync files=${t.rng.int(3, 40)}, longest=0.002 s, average=0.001 s; distance=${buffers * 8} kB, estimate=${buffers * 9} kB; lsn=0/${t.rng.hex(7).toUpperCase()}, redo lsn=0/${t.rng.hex(7).toUpperCase()}`,
    });
  }
}

export function fnBoot(t: DemoTimeline, w: DemoWok, fn: DemoContainer, at: number): void {
  t.fn(fn, at, 'info', { version: '1.8.2', node: 'v20.18.0', wok_id: w.id }, 'starting functions runtime');
  t.fn(fn, at + 180, 'info', { functions: FUNCTIONS[w.id] ?? [] }, `loaded ${(FUNCTIONS[w.id] ?? []).length} functions`);
  t.fn(fn, at + 195, 'info', { port: 8080 }, 'runtime listening on :8080');
}

/** A cron trigger per wok, every 15 minutes, that logs without any request behind it. */
function cronRuns(t: DemoTimeline, w: DemoWok, fn: DemoContainer, from: number, to: number): void {
  const fnName = (FUNCTIONS[w.id] ?? ['job']).at(-1)!;
  for (let at = from; at < to; at += 15 * MIN) {
    const ms = t.rng.int(40, 900);
    t.fn(fn, at, 'info', { trigger: `cron-${fnName}`, function: fnName }, 'trigger fired');
    t.fn(fn, at + ms, 'info', { trigger: `cron-${fnName}`, function: fnName, duration_ms: ms }, 'trigger run completed');
  }
}
