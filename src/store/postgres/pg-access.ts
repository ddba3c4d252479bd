/** Operators, sessions and API tokens on PostgreSQL (emails unique and found regardless of ASCII case, as in SQLite). */
import type { ApiToken, Operator, Session, TokenScope } from '../../model/access.js';
import type { Client } from './pg-connect.js';
import type { Query } from './pg-event-reads.js';

const OPERATOR = 'id, email, password_hash AS "passwordHash", created_at AS "createdAt", disabled_at AS "disabledAt"';
const TOKEN = 'id, name, scope, hash, created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"';
const SESSION = 'id_hash AS "idHash", operator_id AS "operatorId", csrf_token AS "csrfToken", created_at AS "createdAt", expires_at AS "expiresAt"';

export type Tx = <T>(fn: (c: Client) => Promise<T>) => Promise<T>;

export class PgAccess {
  constructor(
    private readonly q: Query,
    private readonly tx: Tx,
  ) {}

  async addOperator(email: string, passwordHash: string): Promise<Operator> {
    const [r] = await this.q<Operator>(`INSERT INTO operators (email, password_hash, created_at) VALUES ($1, $2, $3) RETURNING ${OPERATOR}`, [email, passwordHash, Date.now()]);
    return r!;
  }

  async operatorByEmail(email: string): Promise<Operator | null> {
    const [r] = await this.q<Operator>(`SELECT ${OPERATOR} FROM operators WHERE lower(email) = lower($1)`, [email]);
    return r ?? null;
  }

  async operatorById(id: number): Promise<Operator | null> {
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
    const [r] = await this.q<Operator>(`SELECT ${OPERATOR} FROM operators WHERE id = $1`, [id]);
    return r ?? null;
  }

  async listOperators(): Promise<Operator[]> {
    return this.q<Operator>(`SELECT ${OPERATOR} FROM operators ORDER BY lower(email), id`);
  }

  /** Disabling ends the operator's sessions in the same transaction. */
  async setOperatorDisabled(email: string, disabled: boolean): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query<{ id: number }>('UPDATE operators SET disabled_at = $2 WHERE lower(email) = lower($1) RETURNING id', [email, disabled ? Date.now() : null]);
      const id = r.rows[0]?.id;
      if (id === undefined) return false;
      if (disabled) await c.query('DELETE FROM sessions WHERE operator_id = $1', [id]);
      return true;
    });
  }

  async setOperatorPassword(email: string, passwordHash: string): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query<{ id: number }>('UPDATE operators SET password_hash = $2 WHERE lower(email) = lower($1) RETURNING id', [email, passwordHash]);
      const id = r.rows[0]?.id;
      if (id === undefined) return false;
      await c.query('DELETE FROM sessions WHERE operator_id = $1', [id]);
      return true;
    });
  }

  async createSession(s: Session): Promise<void> {
    await this.q('INSERT INTO sessions (id_hash, operator_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [s.idHash, s.operatorId, s.csrfToken, s.createdAt, s.expiresAt]);
  }

  async session(idHash: string, now: number): Promise<{ session: Session; operator: Operator } | null> {
    const [s] = await this.q<Session>(`SELECT ${SESSION} FROM sessions WHERE id_hash = $1 AND expires_at > $2`, [idHash, now]);
    if (!s) return null;
    const op = await this.operatorById(s.operatorId);
    if (!op || op.disabledAt !== null) return null;
    return { session: s, operator: op };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.q('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteSessionsOf(operatorId: number): Promise<void> {
    await this.q('DELETE FROM sessions WHERE operator_id = $1', [operatorId]);
  }

  async createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): Promise<ApiToken> {
    const [r] = await this.q<ApiToken>(`INSERT INTO tokens (name, scope, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN}`, [t.name, t.scope, t.hash, t.createdAt]);
    return r!;
  }

  async tokenByHash(hash: string): Promise<ApiToken | null> {
    const [r] = await this.q<ApiToken>(`SELECT ${TOKEN} FROM tokens WHERE hash = $1`, [hash]);
    return r ?? null;
  }

  async listTokens(): Promise<ApiToken[]> {
    return this.q<ApiToken>(`SELECT ${TOKEN} FROM tokens ORDER BY created_at, id`);
  }

  async revokeToken(name: string, now: number): Promise<boolean> {
    const r = await this.q<{ id: number }>('UPDATE tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id', [name, now]);
    return r.length > 0;
  }

  async touchToken(id: number, now: number): Promise<void> {
    await this.q('UPDATE tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
  }
}
