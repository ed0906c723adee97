-- Tenancy: tenants, their API keys, and the stored responses behind Idempotency-Key.
--
-- Isolation rule for every tenant-owned table in Tutti:
--   * the table carries tenant_id, and its primary key, foreign keys and unique indexes begin
--     with it (ready to be distributed by tenant_id on Citus);
--   * row-level security is enabled with a policy comparing tenant_id to
--     nullif(current_setting('tutti.tenant_id', true), '')::uuid written inline, so the
--     planner folds it to a constant and uses the indexes (a volatile function would not);
--   * the application role does not own the tables and has no BYPASSRLS, so a query that
--     forgets its tenant filter still sees only the tenant set by SET LOCAL.

CREATE TABLE tenants (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
    WITH CHECK (id = nullif(current_setting('tutti.tenant_id', true), '')::uuid);

CREATE TABLE api_keys (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('admin', 'editor', 'viewer', 'ingest')),
    -- Not secret: 16 hex digits that find the row. The secret itself is never stored.
    prefix       text        NOT NULL CHECK (prefix ~ '^[0-9a-f]{16}$'),
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX api_keys_tenant_prefix ON api_keys (tenant_id, prefix);
-- Authentication knows only the prefix; 64 random bits make a clash between tenants
-- vanishingly rare, and the hash comparison below decides between them if one ever happens.
CREATE INDEX api_keys_prefix ON api_keys (prefix);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid);

-- The one door through row-level security: before a request knows its tenant it must find the
-- key. This function runs as the table owner (SECURITY DEFINER), returns a row only for an
-- unrevoked key whose secret hash matches, and refreshes last_used_at at most once a minute so
-- that authentication does not write on every request.
CREATE FUNCTION api_key_authenticate(p_prefix text, p_secret_hash bytea)
RETURNS TABLE (tenant_id uuid, key_id uuid, role text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    WITH found AS (
        SELECT k.tenant_id, k.id, k.role, k.last_used_at
        FROM public.api_keys AS k
        WHERE k.prefix = p_prefix
          AND k.secret_hash = p_secret_hash
          AND k.revoked_at IS NULL
    ), touched AS (
        UPDATE public.api_keys AS k
        SET last_used_at = now()
        FROM found AS f
        WHERE k.tenant_id = f.tenant_id AND k.id = f.id
          AND (f.last_used_at IS NULL OR f.last_used_at < now() - interval '60 seconds')
    )
    SELECT f.tenant_id, f.id, f.role FROM found AS f;
$$;

REVOKE ALL ON FUNCTION api_key_authenticate(text, bytea) FROM PUBLIC;

-- Idempotency-Key: the first response to a POST is kept for 24 hours and replayed for the same
-- key and body. A row with a NULL status is a request still being processed.
CREATE TABLE idempotency_keys (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method        text        NOT NULL,
    path          text        NOT NULL,
    request_hash  bytea       NOT NULL,
    status        integer,
    content_type  text,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid);

-- The scheduler purges expired responses for every tenant at once; like authentication this
-- is a narrow, owner-run exception to row-level security.
CREATE FUNCTION idempotency_keys_purge_expired(p_older_than interval)
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    WITH deleted AS (
        DELETE FROM public.idempotency_keys WHERE created_at < now() - p_older_than RETURNING 1
    )
    SELECT count(*) FROM deleted;
$$;

REVOKE ALL ON FUNCTION idempotency_keys_purge_expired(interval) FROM PUBLIC;
