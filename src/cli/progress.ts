/**
 * A long ingest's progress on a terminal: lines, bytes of the total, speed
 * and time left, redrawn in place at most four times a second. Nothing is
 * drawn when stderr is not a terminal.
 */

export interface Progress {
  update(bytes: number, lines: number, totalBytes?: number): void;
  done(): void;
}

function size(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

function count(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

function clock(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}

export function terminalProgress(out: NodeJS.WriteStream = process.stderr): Progress {
  if (!out.isTTY) return { update() {}, done() {} };
  const start = performance.now();
  let last = 0;
  let drawn = false;
  return {
    update(bytes, lines, total) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const secs = (now - start) / 1000;
      const rate = secs > 0 ? lines / secs : 0;
      const byteRate = secs > 0 ? bytes / secs : 0;
      const eta = total && byteRate > 0 ? clock((total - bytes) / byteRate) : '?';
      out.write(`\r\x1b[K${count(lines)} lines  ${size(bytes)}${total ? ` of ${size(total)}` : ''}  ${count(Math.round(rate))} lines/s  ${size(byteRate)}/s  ETA ${eta}`);
      drawn = true;
    },
    done() {
      if (drawn) out.write('\r\x1b[K');
    },
  };
}
