/**
 * Credentials recognised by their shape alone, wherever they stand: a
 * prefix, then a body of its alphabet at least as long as such a token's
 * body can plausibly be. The body runs as far as the alphabet does; the
 * whole token becomes its prefix and `[REDACTED]` (`ghp_[REDACTED]`), so a
 * reader still knows which kind of secret was there.
 *
 * Platform keys (`skl_`, `sllm_`, `sdo_`), JSON Web Tokens and AWS access key
 * ids are also found by shape; token-scan.ts handles them beside these.
 */

export interface TokenShape {
  prefix: string;
  /** `alnum`: [A-Za-z0-9]; `word`: [A-Za-z0-9_-]. */
  body: 'alnum' | 'word';
  /** The fewest body characters that make it a token. */
  min: number;
}

const shapes = (prefixes: string[], body: TokenShape['body'], min: number): TokenShape[] => prefixes.map((prefix) => ({ prefix, body, min }));

export const TOKEN_SHAPES: readonly TokenShape[] = [
  // GitHub: classic personal, OAuth, user-to-server, server-to-server and refresh tokens (36), fine-grained PATs (82).
  ...shapes(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], 'alnum', 30),
  ...shapes(['github_pat_'], 'word', 40),
  // Slack: bot, user, app-level, legacy, refresh and configuration tokens.
  ...shapes(['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe-', 'xapp-'], 'word', 10),
  // Stripe: secret and restricted keys, live and test; webhook signing secrets.
  ...shapes(['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'], 'alnum', 16),
  ...shapes(['whsec_'], 'alnum', 24),
  // Google API keys: AIza + 35.
  ...shapes(['AIza'], 'word', 30),
  // GitLab personal / project / pipeline-trigger tokens, npm and PyPI publish tokens, Hugging Face.
  ...shapes(['glpat-', 'glptt-'], 'word', 20),
  ...shapes(['npm_', 'hf_'], 'alnum', 30),
  ...shapes(['pypi-'], 'word', 50),
  // Anthropic and OpenAI project keys, Shopify app tokens, DigitalOcean personal tokens.
  ...shapes(['sk-ant-', 'sk-proj-'], 'word', 20),
  ...shapes(['shpat_', 'shpss_', 'shpca_', 'shppa_'], 'alnum', 30),
  ...shapes(['dop_v1_'], 'alnum', 40),
];

const byPrefix = new Map(TOKEN_SHAPES.map((s) => [s.prefix, s]));

export function shapeOf(prefix: string): TokenShape | undefined {
  return byPrefix.get(prefix);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Every shape's prefix, longest first, as a regular-expression alternation. */
export const SHAPE_PREFIXES = TOKEN_SHAPES.map((s) => s.prefix)
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join('|');

/** A value an earlier pass already reduced to a shape's prefix and `[REDACTED]`. */
export const REDACTED_SHAPE = new RegExp(`^(?:${SHAPE_PREFIXES})\\[REDACTED\\]`);
