/**
 * The knobs of /diag: timeouts, cache, the log window the rates are read
 * over, thresholds, and the optional active probes. Defaults here; serve
 * overrides the ones that have an environment variable (src/config.ts).
 */

export interface UpstreamProbe {
  /** An HTTP(S) URL answered by the upstream; any answer below 500 counts as reachable. */
  url: string;
}

export interface DiagConfig {
  /** Each check's own timeout. */
  timeoutMs: number;
  /** The whole /v1/diag response waits at most this long. */
  deadlineMs: number;
  /** A result is reused for this long; concurrent callers share one run either way. */
  cacheMs: number;
  /** Rates and counts from the logs are over this window. */
  windowMs: number;
  /** Failures of one upstream code in the window: ≥1 is warn, ≥ this is fail. */
  failAfter: number;
  cp: {
    /** connect + SELECT 1 slower than this is warn. */
    slowMs: number;
  };
  reconciler: {
    /** An active wok whose status row is older than this is stale (warn); 10× is fail. */
    staleAfterMs: number;
  };
  functions: {
    /** Starts (or crashes) of one container within loopWindowMs that make it crash-looping. */
    loopStarts: number;
    loopWindowMs: number;
  };
  ingest: {
    /** A source with no line for this long is silent (warn). */
    silentAfterMs: { cp: number; container: number; audit: number };
    /** Unread bytes behind all streams above this is warn. */
    lagWarnBytes: number;
    /** Unparsed lines per 100 read: warn at or above the first, fail at or above the second. */
    unparsedWarnPct: number;
    unparsedFailPct: number;
  };
  probes: {
    llm: UpstreamProbe | null;
    email: UpstreamProbe | null;
    dns: UpstreamProbe | null;
  };
  /** The background loop: run every check this often and store the results (0: off). */
  intervalMs: number;
  /** Stored results older than this are pruned. */
  retentionMs: number;
}

export const DEFAULT_DIAG_CONFIG: DiagConfig = {
  timeoutMs: 2000,
  deadlineMs: 2500,
  cacheMs: 5000,
  windowMs: 15 * 60_000,
  failAfter: 5,
  cp: { slowMs: 500 },
  reconciler: { staleAfterMs: 60_000 },
  functions: { loopStarts: 3, loopWindowMs: 10 * 60_000 },
  ingest: {
    silentAfterMs: { cp: 15 * 60_000, container: 15 * 60_000, audit: 6 * 3_600_000 },
    lagWarnBytes: 64 * 1024 * 1024,
    unparsedWarnPct: 1,
    unparsedFailPct: 25,
  },
  probes: { llm: null, email: null, dns: null },
  intervalMs: 30_000,
  retentionMs: 7 * 86_400_000,
};

/** Defaults with some fields replaced; the deadline follows the timeout unless set. */
export function diagConfig(over: Partial<DiagConfig> = {}): DiagConfig {
  const c = { ...DEFAULT_DIAG_CONFIG, ...over };
  if (over.timeoutMs !== undefined && over.deadlineMs === undefined) c.deadlineMs = over.timeoutMs + 500;
  return c;
}

/** "15 min", "2 h": how a window reads in outputs. */
export function span(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
