/**
 * Who is asking, for the /diag routes: the principal the authenticate
 * middleware set (anonymous when it has not run), and what each may see.
 */
import type { Request } from 'express';
import { ANONYMOUS, type Principal } from '../../access/principal.js';
import { createDiagServices, type DiagServices } from '../../diag/diag-services.js';
import type { HealthView } from '../../diag/health-json.js';
import type { AppDeps } from '../app-deps.js';

export function principalOf(req: Request): Principal {
  return (req as Partial<Pick<Request, 'principal'>>).principal ?? ANONYMOUS;
}

/** Operators see every reading; anyone else (anonymous, customers, ingest tokens) the per-subsystem status. */
export function healthView(p: Principal): HealthView {
  return p.kind === 'operator' ? 'full' : 'public';
}

/** `?verbose`, `?verbose=1`, `?verbose=true`; not `?verbose=0` / `false`. */
export function verboseParam(raw: unknown): boolean {
  return raw !== undefined && raw !== '0' && raw !== 'false';
}

const services = new WeakMap<AppDeps, DiagServices>();

/** The app's diag services, or defaults (no cp database, no probes) built once per app. */
export function diagServicesOf(deps: AppDeps): DiagServices {
  if (deps.diag) return deps.diag;
  let s = services.get(deps);
  if (!s) services.set(deps, (s = createDiagServices({ store: deps.store, inventory: deps.inventory, catalog: deps.catalog, clock: deps.clock })));
  return s;
}
