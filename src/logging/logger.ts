/**
 * Our own logs: pino NDJSON (the same format we ingest, so the console can
 * diagnose itself), pretty-printed by pino-pretty in development.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerConfig {
  level: string;
  pretty: boolean;
  /** Where to write (default stdout); tests pass a stream to read the lines back. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(cfg: LoggerConfig): Logger {
  const opts: LoggerOptions = {
    level: cfg.level,
    base: { service: 'tellwang-diag', pid: process.pid },
    // Belt and braces: request logging already redacts, this catches anything logged by hand.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'password', '*.password', 'token', '*.token'],
      censor: '[REDACTED]',
    },
  };
  if (cfg.destination) return pino(opts, cfg.destination as never);
  if (cfg.pretty) return pino({ ...opts, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  return pino(opts);
}

/** A logger that writes nothing (for tests and quiet CLI commands). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
