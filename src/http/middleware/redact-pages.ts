/**
 * Redaction at render for pages: every `res.render` model passes through the
 * same rules as ingest before a template sees it (JSON bodies get the same
 * through the app's `json replacer`, see create-app.ts), each answer within
 * its redaction budget (redact-render.ts): `res.json` serialises under a
 * fresh one.
 */
import type { NextFunction, Request, Response } from 'express';
import { redactViewModel, withAnswerBudget } from '../../redact/redact-render.js';

type RenderCallback = (err: Error | null, html?: string) => void;

export function redactPages(_req: Request, res: Response, next: NextFunction): void {
  const render = res.render.bind(res) as (view: string, options?: object, cb?: RenderCallback) => void;
  res.render = ((view: string, options?: object | RenderCallback, cb?: RenderCallback) => {
    if (typeof options === 'function') return render(view, {}, options as RenderCallback);
    return render(view, redactViewModel(options ?? {}), cb);
  }) as Response['render'];
  const json = res.json.bind(res);
  res.json = ((body?: unknown) => withAnswerBudget(() => json(body))) as Response['json'];
  next();
}
