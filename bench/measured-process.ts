/**
 * Runs a child process and measures its wall time and peak resident memory.
 * The peak comes from the kernel's own accounting when GNU time is installed
 * (`/usr/bin/time -f %M`, i.e. getrusage ru_maxrss of the whole process, all
 * threads, exact); else from the process's VmHWM (its high-water mark of RSS)
 * read from /proc every 50 ms, which can only miss a peak within its last
 * 50 ms. Either way /proc is also sampled for an RSS timeline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  wallSeconds: number;
  /** Peak RSS in bytes, or null if it could not be measured on this system. */
  peakRssBytes: number | null;
  peakRssMethod: 'getrusage (GNU time)' | '/proc VmHWM sampling' | 'unavailable';
  /** RSS samples: seconds since start, bytes. */
  timeline: [number, number][];
  /** CPU seconds the process used (user + system, all threads), when known. */
  cpuSeconds: number | null;
  /** CPU seconds the whole machine was busy meanwhile (all processes), from /proc/stat; null if unavailable. */
  machineBusySeconds: number | null;
}

/** Busy and total time of all CPUs so far, in clock ticks (100 a second on Linux). */
function machineTicks(): { busy: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: f.slice(0, 8).reduce((a, b) => a + b, 0) - idle };
  } catch {
    return null;
  }
}

const CLK_TCK = 100;

const GNU_TIME = '/usr/bin/time';
const SAMPLE_MS = 50;

function statusField(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The one child of `pid` (GNU time's child is the measured program). */
function childOf(pid: number): number | null {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : null;
  } catch {
    return null;
  }
}

/** GNU time (it knows --version; BusyBox's and BSD's time take other options). */
function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' });
  return /GNU/.test(`${r.stdout ?? ''}${r.stderr ?? ''}`);
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Inherit stderr (a TTY then shows the child's progress); else it is collected and returned on failure. */
  inheritStderr?: boolean;
}

export async function runMeasured(file: string, args: string[], o: RunOptions = {}): Promise<Measured> {
  const gnu = hasGnuTime();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-time-'));
  const out = path.join(tmp, 'rusage');
  const [cmd, argv] = gnu ? [GNU_TIME, ['-f', '%U %S %M', '-o', out, file, ...args]] : [file, args];
  const ticks0 = machineTicks();
  const started = performance.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', o.inheritStderr ? 'inherit' : 'pipe'], env: o.env ?? process.env });
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => chunks.push(b));
  child.stderr?.on('data', (b: Buffer) => errChunks.push(b));
  const timeline: [number, number][] = [];
  let hwm: number | null = null;
  let cpuTicks: number | null = null;
  let target: number | null = gnu ? null : (child.pid ?? null);
  const timer = setInterval(() => {
    if (target === null && child.pid !== undefined) target = childOf(child.pid);
    if (target === null) return;
    const rss = statusField(target, 'VmRSS');
    const peak = statusField(target, 'VmHWM');
    if (rss !== null) timeline.push([(performance.now() - started) / 1000, rss]);
    if (peak !== null) hwm = Math.max(hwm ?? 0, peak);
    try {
      const f = readFileSync(`/proc/${target}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      cpuTicks = Number(f[11]) + Number(f[12]);
    } catch {
      // exited between samples
    }
  }, SAMPLE_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  clearInterval(timer);
  const wallSeconds = (performance.now() - started) / 1000;
  const ticks1 = machineTicks();
  let peak: number | null = null;
  let cpuSeconds: number | null = cpuTicks === null ? null : cpuTicks / CLK_TCK;
  let method: Measured['peakRssMethod'] = 'unavailable';
  if (gnu) {
    try {
      const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(readFileSync(out, 'utf8'));
      if (m) {
        cpuSeconds = Number(m[1]) + Number(m[2]);
        peak = Number(m[3]) * 1024;
        method = 'getrusage (GNU time)';
      }
    } catch {
      // fall through to the sampled figure
    }
  }
  if (peak === null && hwm !== null) {
    peak = hwm;
    method = '/proc VmHWM sampling';
  }
  rmSync(tmp, { recursive: true, force: true });
  const stdout = Buffer.concat(chunks).toString('utf8');
  if (code !== 0) {
    const err = Buffer.concat(errChunks).toString('utf8');
    throw new Error(`${path.basename(file)} ${args.slice(0, 2).join(' ')} exited with ${code ?? signal}${err ? `: ${err.trim().slice(-2000)}` : ''}`);
  }
  const machineBusySeconds = ticks0 && ticks1 ? (ticks1.busy - ticks0.busy) / CLK_TCK : null;
  return { code, signal, stdout, wallSeconds, peakRssBytes: peak, peakRssMethod: method, timeline, cpuSeconds, machineBusySeconds };
}
