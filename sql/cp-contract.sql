-- tellwang-diag: the read-only contract on the cp database
-- =========================================================
--
-- tellwang-diag reads the cp's PostgreSQL through these four views and
-- nothing else. Apply this file as the cp's owner; adapt the FROM clauses if
-- the cp's own tables are named differently (the views are the adapter: the
-- column names and types below are the contract, the tables behind them are
-- not).
--
--   psql "$CP_DATABASE_URL" -v cp_schema=public -v diag_schema=tellwang_diag -f sql/cp-contract.sql
--
-- then point the console at it (the role only needs to read the views):
--
--   DIAG_CP_DATABASE_URL=postgres://tellwang_diag_reader:…@cp-db:5432/cp
--   DIAG_CP_SCHEMA=tellwang_diag            (the default)
--
-- The console connects with default_transaction_read_only=on, a statement
-- timeout and a connect timeout, and reads at most one row per request for
-- the access rules; the checks run a few aggregate queries every 30 s.
--
-- Columns
--   orgs(slug text)                                  one row per org
--   woks(id text, org_slug text, status text,        status: 'active' | 'provisioning' | 'destroyed' | …
--        functions_port integer NULL,                NULL: provisioned before functions shipped
--        created_at timestamptz)
--   wok_status(wok_id text, state text,              written by the reconciler on every sweep
--              refreshed_at timestamptz)
--   api_keys(prefix text, sha256 text,               prefix: 'skl_' / 'sllm_' + first 8 hex of the key
--            org_slug text, user_id text,            sha256: lower-case hex digest of the whole key
--            kind text, revoked_at timestamptz NULL) kind: 'skl' | 'sllm'; the key itself is never exposed
--
-- The console never writes, never reads anything but these columns, and
-- never sees a whole key: sha256 is compared in constant time.

\if :{?cp_schema}
\else
\set cp_schema public
\endif
\if :{?diag_schema}
\else
\set diag_schema tellwang_diag
\endif

CREATE SCHEMA IF NOT EXISTS :"diag_schema";

CREATE OR REPLACE VIEW :"diag_schema".orgs AS
  SELECT o.slug::text AS slug
  FROM :"cp_schema".orgs o;

CREATE OR REPLACE VIEW :"diag_schema".woks AS
  SELECT w.id::text          AS id,
         w.org_slug::text    AS org_slug,
         w.status::text      AS status,
         w.functions_port::integer AS functions_port,
         w.created_at::timestamptz AS created_at
  FROM :"cp_schema".woks w;

CREATE OR REPLACE VIEW :"diag_schema".wok_status AS
  SELECT s.wok_id::text             AS wok_id,
         s.state::text              AS state,
         s.refreshed_at::timestamptz AS refreshed_at
  FROM :"cp_schema".wok_status s;

CREATE OR REPLACE VIEW :"diag_schema".api_keys AS
  SELECT k.prefix::text     AS prefix,
         k.sha256::text     AS sha256,
         k.org_slug::text   AS org_slug,
         k.user_id::text    AS user_id,
         k.kind::text       AS kind,
         k.revoked_at::timestamptz AS revoked_at
  FROM :"cp_schema".api_keys k;

-- A role that can read the contract and nothing else (run once, as a superuser
-- or a role with CREATEROLE; set its password out of band):
--
--   CREATE ROLE tellwang_diag_reader LOGIN;
--   GRANT USAGE ON SCHEMA tellwang_diag TO tellwang_diag_reader;
--   GRANT SELECT ON ALL TABLES IN SCHEMA tellwang_diag TO tellwang_diag_reader;
--   ALTER ROLE tellwang_diag_reader SET default_transaction_read_only = on;
