/** Operators, sessions and API tokens in SQLite. */
import type { ApiToken, Operator, Session, TokenScope } from '../../model/access.js';
import type { Db } from './open-database.js';
import type { Statements } from './statements.js';

interface OperatorRow {
  id: number;
  email: string;
  password_hash: string;
  created_at: number;
  disabled_at: number | null;
}

interface TokenRow {
  id: number;
  name: string;
  scope: TokenScope;
  hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

interface SessionRow {
  id_hash: string;
  operator_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export function operatorOf(r: OperatorRow): Operator {
  return { id: r.id, email: r.email, passwordHash: r.password_hash, createdAt: r.created_at, disabledAt: r.disabled_at };
}

export function tokenOf(r: TokenRow): ApiToken {
  return { id: r.id, name: r.name, scope: r.scope, hash: r.hash, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at };
}

export function sessionOf(r: SessionRow): Session {
  return { idHash: r.id_hash, operatorId: r.operator_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at };
}

export class AccessTables {
  constructor(
    private readonly db: Db,
    private readonly st: Statements,
  ) {}

  addOperator(email: string, passwordHash: string): Operator {
    const r = this.st
      .stmt('INSERT INTO operators (email, password_hash, created_at) VALUES (?, ?, ?) RETURNING *')
      .get(email, passwordHash, Date.now()) as OperatorRow;
    return operatorOf(r);
  }

  operatorByEmail(email: string): Operator | null {
    const r = this.st.stmt('SELECT * FROM operators WHERE email = ?').get(email) as OperatorRow | undefined;
    return r ? operatorOf(r) : null;
  }

  operatorById(id: number): Operator | null {
    const r = this.st.stmt('SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
    return r ? operatorOf(r) : null;
  }

  listOperators(): Operator[] {
    return (this.st.stmt('SELECT * FROM operators ORDER BY email').all() as OperatorRow[]).map(operatorOf);
  }

  setOperatorDisabled(email: string, disabled: boolean): boolean {
    return this.db.transaction(() => {
      const op = this.operatorByEmail(email);
      if (!op) return false;
      this.st.stmt('UPDATE operators SET disabled_at = ? WHERE id = ?').run(disabled ? Date.now() : null, op.id);
      if (disabled) this.st.stmt('DELETE FROM sessions WHERE operator_id = ?').run(op.id);
      return true;
    }).immediate();
  }

  setOperatorPassword(email: string, passwordHash: string): boolean {
    return this.db.transaction(() => {
      const op = this.operatorByEmail(email);
      if (!op) return false;
      this.st.stmt('UPDATE operators SET password_hash = ? WHERE id = ?').run(passwordHash, op.id);
      this.st.stmt('DELETE FROM sessions WHERE operator_id = ?').run(op.id);
      return true;
    }).immediate();
  }

  createSession(s: Session): void {
    this.st
      .stmt('INSERT INTO sessions (id_hash, operator_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.idHash, s.operatorId, s.csrfToken, s.createdAt, s.expiresAt);
  }

  session(idHash: string, now: number): { session: Session; operator: Operator } | null {
    const s = this.st.stmt('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?').get(idHash, now) as SessionRow | undefined;
    if (!s) return null;
    const op = this.operatorById(s.operator_id);
    if (!op || op.disabledAt !== null) return null;
    return { session: sessionOf(s), operator: op };
  }

  deleteSession(idHash: string): void {
    this.st.stmt('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  deleteSessionsOf(operatorId: number): void {
    this.st.stmt('DELETE FROM sessions WHERE operator_id = ?').run(operatorId);
  }

  createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): ApiToken {
    const r = this.st
      .stmt('INSERT INTO tokens (name, scope, hash, created_at) VALUES (?, ?, ?, ?) RETURNING *')
      .get(t.name, t.scope, t.hash, t.createdAt) as TokenRow;
    return tokenOf(r);
  }

  tokenByHash(hash: string): ApiToken | null {
    const r = this.st.stmt('SELECT * FROM tokens WHERE hash = ?').get(hash) as TokenRow | undefined;
    return r ? tokenOf(r) : null;
  }

  listTokens(): ApiToken[] {
    return (this.st.stmt('SELECT * FROM tokens ORDER BY created_at, id').all() as TokenRow[]).map(tokenOf);
  }

  revokeToken(name: string, now: number): boolean {
    return this.st.stmt('UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(now, name).changes > 0;
  }

  touchToken(id: number, now: number): void {
    this.st.stmt('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(now, id);
  }
}
