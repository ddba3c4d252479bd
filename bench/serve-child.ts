/**
 * The real server in a child process, as an operator runs it: an operator
 * token made with `tokens create`, then `serve --port 0` on loopback; the URL
 * is read from what serve prints. Its request log (pino, on stdout) is read
 * and dropped, as a log collector would take it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServeChild {
  url: string;
  pid: number;
  /** Peak RSS of the server so far (VmHWM), bytes; null where /proc is not available. */
  peakRss(): number | null;
  stop(): Promise<void>;
}

/** Creates an operator token in the store at `target` (a SQLite file or a postgres:// URL) and returns its secret (`sdo_…`). */
export function createOperatorToken(cli: string, target: string, name: string): string {
  const r = spawnSync(process.execPath, [cli, 'tokens', 'create', '--name', name, '--db', target], { encoding: 'utf8' });
  const secret = r.stdout.trim();
  if (r.status !== 0 || !/^sdo_\S+$/.test(secret)) throw new Error(`tokens create failed (${r.status}): ${r.stderr.trim()}`);
  return secret;
}

/** `serve` on the store at `target`, as `--db` takes it. */
export function startServe(cli: string, target: string, timeoutMs = 30_000): Promise<ServeChild> {
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--db', target, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let seen = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not print its URL within ${timeoutMs} ms: ${err.trim()}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      seen += b.toString('utf8');
      const m = /serving (http:\/\/\S+)/.exec(seen);
      if (!m) return;
      clearTimeout(timer);
      seen = '';
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const pid = child.pid!;
      resolve({
        url: m[1]!,
        pid,
        peakRss() {
          try {
            const k = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
            return k ? Number(k[1]) * 1024 : null;
          } catch {
            return null;
          }
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening: ${err.trim()}`));
    });
  });
}
