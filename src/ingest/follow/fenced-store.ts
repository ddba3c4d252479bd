/**
 * The store a stream is read into while its lease is held: the same store,
 * with every batch written fenced by that lease (WriteBatch.fence), so the
 * store refuses it (LeaseLost) once another console has taken the stream over.
 */
import type { LeaseFence } from '../../model/lease.js';
import type { Store, WriteBatch } from '../../store/store.js';

export function fencedStore(store: Store, fence: LeaseFence): Store {
  const fenced: Store = Object.create(store) as Store;
  return Object.assign(fenced, { writeBatch: (b: WriteBatch) => store.writeBatch({ ...b, fence }) });
}
