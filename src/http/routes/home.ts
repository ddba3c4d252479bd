/**
 * The paste box. GET / shows it (and the latest failed requests); POST /lookup
 * and GET /?q= take whatever was pasted, find the correlation id in it and go
 * to its ticket — or say what was found instead. POST /v1/lookup is the same
 * for programs.
 */
import express, { Router, type Request } from 'express';
import { lookupPaste, MAX_PASTE } from '../../queries/paste.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { DiagError } from '../../errors/diag-error.js';
import { iso } from '../present/event-view.js';
import { platformSummary } from '../../diag/platform-summary.js';
import type { CheckOutcome } from '../../diag/check.js';
import { diagServicesOf } from './diag-access.js';

/** The home page waits this long for the checks; past it, it shows the last results (the checks go on for /diag). */
const STATUS_WAIT_MS = 1000;
import { queryShape, readQuery, text } from '../query.js';

/** The paste box's text, when it comes in the URL (GET /?q=…). */
const HOME_QUERY = queryShape({ q: text((raw) => raw ?? null) });

export function homeRoutes(deps: AppDeps): Router {
  const r = Router();
  const diag = diagServicesOf(deps);

  /** The platform's status in one line, linking to /diag. */
  async function platformLine(): Promise<{ status: string; line: string }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), STATUS_WAIT_MS);
    });
    const running = diag.runner.run();
    running.catch(() => undefined);
    let outcomes: readonly CheckOutcome[] | null;
    try {
      outcomes = await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
    outcomes ??= diag.runner.cached();
    if (!outcomes.length) return { status: 'unknown', line: 'still checking' };
    const s = platformSummary(outcomes);
    return { status: s.status, line: s.line };
  }
  const form = express.urlencoded({ extended: false, limit: MAX_PASTE * 2, parameterLimit: 10 });
  const json = express.json({ limit: MAX_PASTE * 2 });

  async function page(req: Request, text: string | null) {
    const recent = await deps.store.search({ failed: true, limit: 15 });
    const outcome = text === null ? null : await lookupPaste(deps.store, text);
    return {
      title: 'tellwang-diag',
      platform: await platformLine(),
      text: text ?? '',
      outcome,
      recent: recent.items.map((s) => ({ ...s, when: iso(s.time).replace('T', ' ').slice(0, 19) })),
      csrfToken: (req as Request & { csrfToken?: string }).csrfToken ?? '',
    };
  }

  async function answer(req: Request, res: express.Response, text: string) {
    const model = await page(req, text.slice(0, MAX_PASTE));
    const o = model.outcome!;
    if (o.result.kind === 'one' && o.known[o.result.cid]) return res.redirect(303, `/tickets/${o.result.cid}`);
    res.status(200).render('home', model);
  }

  r.route('/')
    .get(requireOperator, async (req, res) => {
      const q = readQuery(HOME_QUERY, req.query).q;
      if (q !== null) return answer(req, res, q);
      res.render('home', await page(req, null));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/lookup')
    .post(requireOperator, form, async (req, res) => {
      const text = (req.body as Record<string, unknown> | undefined)?.text;
      if (typeof text !== 'string') throw new DiagError('DIAG_BAD_REQUEST', 'the form has no "text" field');
      await answer(req, res, text);
    })
    .all(methodNotAllowed(['POST']));

  r.route('/v1/lookup')
    .post(requireOperator, json, async (req, res) => {
      const text = (req.body as Record<string, unknown> | undefined)?.text;
      if (typeof text !== 'string') throw new DiagError('DIAG_BAD_REQUEST', 'send {"text": "…"} with the pasted text');
      const { result, known } = await lookupPaste(deps.store, text);
      res.json({ ...result, known });
    })
    .all(methodNotAllowed(['POST']));

  return r;
}
