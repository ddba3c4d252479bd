/**
 * May this caller see this wok? Operators see every wok (known to the
 * inventory or only to the logs). A customer sees the woks of their own org:
 * any other wok — another org's, or one that does not exist — answers the
 * same 404 CP_PROJECT_NOT_FOUND, so existence never leaks; a destroyed wok of
 * their own answers 409 CP_NOT_ACTIVE.
 */
import { DiagError } from '../errors/diag-error.js';
import type { InventorySource, InventoryWok } from '../model/inventory.js';
import type { Principal } from './principal.js';

export const NO_SUCH_WOK_MESSAGE = 'no active project with that wok_id in this org';

export async function wokFor(inventory: InventorySource, principal: Principal, wokId: string): Promise<InventoryWok | null> {
  if (principal.kind === 'operator') return inventory.wok(wokId);
  if (principal.kind !== 'customer') throw new DiagError('DIAG_UNAUTHENTICATED', 'sign in, or send your platform key');
  const wok = /^[a-z][a-z0-9]{0,30}$/.test(wokId) ? await inventory.wok(wokId) : null;
  if (!wok || wok.org !== principal.org) throw DiagError.platform('CP_PROJECT_NOT_FOUND', NO_SUCH_WOK_MESSAGE);
  if (wok.status === 'destroyed') throw DiagError.platform('CP_NOT_ACTIVE', `wok ${wokId} is destroyed`);
  return wok;
}
