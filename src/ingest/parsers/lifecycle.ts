/**
 * A container's life, read off its own log lines: PostgreSQL's start, ready,
 * shutdown and crash messages, and the functions runtime's listen / shutdown /
 * fatal lines. The first matching rule wins; a rule may say "no change" (null),
 * e.g. PostgreSQL's "listening on" lines, which come before it is ready.
 */
import type { Level, Lifecycle } from '../../model/event.js';

const RULES: ReadonlyArray<readonly [RegExp, Lifecycle | null]> = [
  [/database system is ready to accept (?:read-only )?connections/, 'ready'],
  [/listening on (?:IPv[46] address "|Unix socket ")/, null],
  [/database system is shut down/, 'shutdown'],
  // "FATAL: the database system is shutting down" turns one client away; it is not the server stopping.
  [/received (?:fast|smart|immediate) shutdown request|aborting any active transactions|(?<!database system is )\bshutting down/i, 'stopping'],
  [/terminating any other active server processes|was terminated by signal|server process .* exited with exit code|all server processes terminated/, 'crash'],
  [/database system was (?:interrupted|not properly shut down)|automatic recovery in progress|redo starts at/, 'recovery'],
  [/\bstarting PostgreSQL \d|database system was shut down at|PostgreSQL init process complete/, 'start'],
  [/\b(?:listening on|server listening|runtime listening|ready to accept)\b/i, 'ready'],
  [/\b(?:SIGTERM|SIGINT|graceful shutdown|stopping server)\b/i, 'stopping'],
  [/\b(?:uncaught exception|unhandled rejection|out of memory|OOMKilled|segmentation fault)\b/i, 'crash'],
  [/\b(?:starting functions runtime|booting|process started)\b/i, 'start'],
];

/**
 * `format` says who wrote the line: a pino `fatal` is logged as the process
 * dies, while PostgreSQL's FATAL ends one session only (its PANIC is the crash,
 * which the caller knows by severity).
 */
export function lifecycleOf(message: string, level: Level, format: 'pino' | 'postgres' | 'text' = 'text'): Lifecycle | null {
  const text = message.length > 300 ? message.slice(0, 300) : message;
  for (const [re, state] of RULES) if (re.test(text)) return state;
  if (level !== 'fatal' || format === 'postgres') return null;
  return format === 'pino' || /\bexit|crash|abort/i.test(text) ? 'crash' : null;
}
