/**
 * Redaction at render for pages: every `res.render` model passes through the
 * same rules as ingest before a template sees it (JSON bodies get the same
 * through the app's `json replacer`, see create-app.ts), each answer within
 * its redaction budget (redact-render.ts): `res.json` serialises under a
 * fresh one.
 */
import type { NextFunction, Request, Response } from 'express';
import { redactViewModel, type JsonRedaction } from '../../redact/redact-render.js';

type RenderCallback = (err: Error | null, html?: string) => void;

/** `bodies`: the redaction the app's `json replacer` applies (create-app.ts); pages go through its redactor too. */
export function redactPages(bodies: JsonRedaction) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const render = res.render.bind(res) as (view: string, options?: object, cb?: RenderCallback) => void;
    res.render = ((view: string, options?: object | RenderCallback, cb?: RenderCallback) => {
      if (typeof options === 'function') return render(view, {}, options as RenderCallback);
      return render(view, redactViewModel(bodies.redactor, options ?? {}), cb);
    }) as Response['render'];
    const json = res.json.bind(res);
    res.json = ((body?: unknown) => bodies.withAnswerBudget(() => json(body))) as Response['json'];
    next();
  };
}
