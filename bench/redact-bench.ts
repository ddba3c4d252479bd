/**
 * Redaction on hostile text: the redactor's text() on strings of up to 64 KiB (the most
 * it looks at) built to make a rule rescan the text (bench/hostile-text.ts:
 * each rule's prefixes, separators and alphabets repeated, JWT-like runs
 * among them). Each input is timed at 4, 16 and 64 KiB and the growth fitted
 * as time ∝ size^k: k ≈ 1 is linear, k ≈ 2 a rule that scans to the end of
 * the text from every start.
 *
 * Smaller sizes are timed as many copies as make 64 KiB, so fixed costs per
 * call do not flatter them; time is this process's CPU time, so other
 * processes on the machine do not count; each figure is a median of rounds.
 * test/redact/linear-time.test.ts holds every input to k < LINEAR_EXPONENT.
 */
import { DEFAULT_REDACTOR, MAX_REDACT_TEXT } from '../src/redact/redactor.js';
import { HOSTILE_UNITS, hostileText, type HostileUnit } from './hostile-text.js';

export interface RedactCase {
  name: string;
  /** Per call, CPU ms, at 4, 16 and 64 KiB. */
  ms4k: number;
  ms16k: number;
  ms64k: number;
  /** The exponent k of time ∝ size^k from 4 to 64 KiB: 1 is linear. */
  exponent: number;
}

/** Above this exponent the growth is called superlinear. */
export const LINEAR_EXPONENT = 1.3;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** CPU ms per call on `text`, timed as copies that add up to 64 KiB; median of `rounds`, each at least `roundMs` long. */
export function perCall(text: string, rounds: number, roundMs: number): number {
  const copies = Math.max(1, Math.round(MAX_REDACT_TEXT / Math.max(1, text.length)));
  const batch = Array.from({ length: copies }, (_, i) => (i === 0 ? text : text.slice(0, -1) + text.slice(-1)));
  for (const t of batch) DEFAULT_REDACTOR.text(t);
  const runs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    let n = 0;
    do {
      for (const t of batch) DEFAULT_REDACTOR.text(t);
      n += copies;
    } while (cpuMs() - t0 < roundMs);
    runs.push((cpuMs() - t0) / n);
  }
  return median(runs);
}

export interface GrowthOptions {
  /** Rounds per size (the median counts) and the least CPU ms of each. */
  rounds: number;
  roundMs: number;
  /** Up to this many estimates while k stays at or above LINEAR_EXPONENT; the lowest counts (a pause lands on one side only). */
  attempts: number;
  /** Time 16 KiB too (for the report; k uses 4 and 64 KiB). */
  middle: boolean;
}

/** k of time ∝ size^k between 4 and 64 KiB of one hostile input. */
export function growth(h: HostileUnit, o: GrowthOptions): RedactCase {
  let best: RedactCase | null = null;
  for (let a = 0; a < o.attempts && (best === null || best.exponent >= LINEAR_EXPONENT); a++) {
    const ms4k = perCall(hostileText(h, MAX_REDACT_TEXT / 16), o.rounds, o.roundMs);
    const ms16k = o.middle ? perCall(hostileText(h, MAX_REDACT_TEXT / 4), o.rounds, o.roundMs) : NaN;
    const ms64k = perCall(hostileText(h, MAX_REDACT_TEXT), o.rounds, o.roundMs);
    const exponent = Math.log(Math.max(ms64k, 1e-4) / Math.max(ms4k, 1e-4)) / Math.log(16);
    if (best === null || exponent < best.exponent) best = { name: h.name, ms4k, ms16k, ms64k, exponent };
  }
  return best!;
}

export function benchRedaction(budgetMs = 150): RedactCase[] {
  // The budget per input is split over three sizes and five rounds.
  return HOSTILE_UNITS.map((h) => growth(h, { rounds: 5, roundMs: Math.max(1, budgetMs / 15), attempts: 2, middle: true }));
}
