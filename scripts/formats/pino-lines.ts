/**
 * Lines from the real pino, captured in memory with a chosen clock: for the
 * functions runtime inside its container, and for anything else that logs
 * plain pino (the cp's own lines come from pino-http, see demo/fake-cp.ts).
 */
import { pino, type Logger } from 'pino';

export interface CapturedPino {
  logger: Logger;
  /** Lines written so far (without newlines); taking them empties the buffer. */
  take(): string[];
  /** Sets the time the next lines carry (epoch ms). */
  setTime(ms: number): void;
}

export function capturePino(bindings: Record<string, unknown> = {}, hostname = 'fn-runtime'): CapturedPino {
  let now = Date.now();
  let buf: string[] = [];
  const stream = {
    write(s: string) {
      for (const line of s.split('\n')) if (line) buf.push(line);
    },
  };
  const logger = pino(
    {
      base: { pid: 1, hostname, ...bindings },
      timestamp: () => `,"time":${now}`,
    },
    stream,
  );
  return {
    logger,
    take() {
      const out = buf;
      buf = [];
      return out;
    },
    setTime(ms: number) {
      now = ms;
    },
  };
}
