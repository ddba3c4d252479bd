/** One lookup an operator, a token or a customer key made: what the audit of lookups records. */

export type LookupKind = 'ticket' | 'search' | 'around' | 'reply';
export const LOOKUP_KINDS: readonly LookupKind[] = ['ticket', 'search', 'around', 'reply'];

export type ActorKind = 'operator' | 'token' | 'customer';

export interface LookupEntry {
  time: number;
  actorKind: ActorKind;
  /** Operator email, token name, or the customer key's prefix. */
  actor: string;
  /** The customer's org (customer keys only). */
  org: string | null;
  kind: LookupKind;
  /** The correlation id, event id or search query looked up. */
  target: string;
  /** The caller's address as the server saw it. */
  address: string | null;
}

export interface LookupRecord extends LookupEntry {
  id: number;
}

export interface LookupFilter {
  /** Operator email, token name or key prefix: exact. */
  actor?: string;
  org?: string;
  limit?: number;
}
