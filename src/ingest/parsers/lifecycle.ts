/**
 * A container's life, read off its own log lines: PostgreSQL's start, ready,
 * shutdown and crash messages, and the functions runtime's listen / shutdown /
 * fatal lines. The first matching rule wins.
 */
import type { Level, Lifecycle } from '../../model/event.js';

const RULES: ReadonlyArray<readonly [RegExp, Lifecycle]> = [
  [/database system is ready to accept (?:read-only )?connections/, 'ready'],
  [/database system is shut down/, 'shutdown'],
  [/received (?:fast|smart|immediate) shutdown request|aborting any active transactions|shutting down/i, 'stopping'],
  [/terminating any other active server processes|was terminated by signal|server process .* exited with exit code|all server processes terminated/, 'crash'],
  [/database system was (?:interrupted|not properly shut down)|automatic recovery in progress|redo starts at/, 'recovery'],
  [/^starting PostgreSQL|database system was shut down at|PostgreSQL init process complete/, 'start'],
  [/\b(?:listening on|server listening|runtime listening|ready to accept)\b/i, 'ready'],
  [/\b(?:SIGTERM|SIGINT|graceful shutdown|stopping server)\b/i, 'stopping'],
  [/\b(?:uncaught exception|unhandled rejection|out of memory|OOMKilled|segmentation fault)\b/i, 'crash'],
  [/\b(?:starting functions runtime|booting|process started)\b/i, 'start'],
];

export function lifecycleOf(message: string, level: Level): Lifecycle | null {
  const text = message.length > 300 ? message.slice(0, 300) : message;
  for (const [re, state] of RULES) if (re.test(text)) return state;
  return level === 'fatal' && /\bexit|crash|abort/i.test(text) ? 'crash' : null;
}
