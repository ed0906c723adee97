-- Functions that run on plain PostgreSQL and on a Citus coordinator alike (issue 17; the
-- distribution itself is sql/citus/distribute.sql, which plain PostgreSQL never runs).
--
-- Citus cannot plan a parameterised LANGUAGE sql function's statements against distributed
-- tables ("could not create distributed plan ... parameters in SQL functions"), so these are
-- PL/pgSQL now, with the same signatures and results. Other Citus rules they follow:
--   * a write on a distributed table may call a STABLE function such as now() only where the
--     call does not mix with column references (Citus evaluates it on the coordinator first):
--     the time is taken once into a variable, which on PostgreSQL is the same value, now() being
--     the transaction's start;
--   * NOTIFY is sent from here, on the coordinator, never from inside a data-modifying CTE
--     (Citus plans the CTE apart, and a void column cannot be an intermediate result);
--   * no ctid in a modification's WHERE, and no recursive CTE that does not name one tenant:
--     where PostgreSQL's shape is the faster one it stays, and the Citus shape runs only when
--     the citus extension is in the database (PL/pgSQL plans a statement on its first run, so
--     the branch not taken is never planned).

CREATE OR REPLACE FUNCTION api_key_authenticate(p_prefix text, p_secret_hash bytea)
RETURNS TABLE (tenant_id uuid, key_id uuid, role text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    found record;
    v_now timestamptz := now();
BEGIN
    FOR found IN
        SELECT k.tenant_id AS t, k.id AS k, k.role AS r, k.last_used_at AS used
        FROM public.api_keys AS k
        WHERE k.prefix = p_prefix AND k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
    LOOP
        IF found.used IS NULL OR found.used < v_now - interval '60 seconds' THEN
            UPDATE public.api_keys AS k SET last_used_at = v_now
            WHERE k.tenant_id = found.t AND k.id = found.k;
        END IF;
        tenant_id := found.t;
        key_id := found.k;
        role := found.r;
        RETURN NEXT;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION idempotency_keys_purge_expired(p_older_than interval)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_cutoff timestamptz := now() - p_older_than;
    deleted bigint;
BEGIN
    DELETE FROM public.idempotency_keys WHERE created_at < v_cutoff;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

CREATE OR REPLACE FUNCTION queue_dead_letters_purge(p_older_than interval)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_cutoff timestamptz := now() - p_older_than;
    deleted bigint;
BEGIN
    DELETE FROM public.queue_dead_letters WHERE died_at < v_cutoff;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

-- PostgreSQL: the loose index scan of 0004, one index probe per tenant. Citus refuses a
-- recursive CTE that does not name one tenant; there each shard returns its first p_limit
-- tenants with ready jobs (DISTINCT on the distribution column is pushed down to the shards),
-- reading the ready-index entries of the tenants it returns.
CREATE OR REPLACE FUNCTION queue_ready_tenants(p_queue text, p_after uuid, p_limit integer)
RETURNS TABLE (tenant_id uuid)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        RETURN QUERY
            SELECT DISTINCT j.tenant_id FROM public.queue_jobs AS j
            WHERE j.state = 'ready' AND j.queue = p_queue
              AND j.tenant_id > coalesce(p_after, '00000000-0000-0000-0000-000000000000')
            ORDER BY j.tenant_id LIMIT p_limit;
    ELSE
        RETURN QUERY
            WITH RECURSIVE ready AS (
                (SELECT j.tenant_id FROM public.queue_jobs AS j
                 WHERE j.state = 'ready' AND j.queue = p_queue
                   AND j.tenant_id > coalesce(p_after, '00000000-0000-0000-0000-000000000000')
                 ORDER BY j.tenant_id LIMIT 1)
                UNION ALL
                SELECT (SELECT j.tenant_id FROM public.queue_jobs AS j
                        WHERE j.state = 'ready' AND j.queue = p_queue AND j.tenant_id > ready.tenant_id
                        ORDER BY j.tenant_id LIMIT 1)
                FROM ready WHERE ready.tenant_id IS NOT NULL
            )
            SELECT ready.tenant_id FROM ready WHERE ready.tenant_id IS NOT NULL LIMIT p_limit;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION queue_promote_due(p_limit integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_now timestamptz := now();
    promoted record;
    total bigint := 0;
BEGIN
    FOR promoted IN
        WITH due AS MATERIALIZED (
            SELECT j.tenant_id, j.id FROM public.queue_jobs AS j
            WHERE j.state = 'scheduled' AND j.run_at <= v_now
            ORDER BY j.run_at LIMIT p_limit
        ), changed AS (
            UPDATE public.queue_jobs AS j SET state = 'ready'
            FROM due WHERE j.tenant_id = due.tenant_id AND j.id = due.id AND j.state = 'scheduled'
            RETURNING j.tenant_id, j.queue
        )
        SELECT c.tenant_id, c.queue, count(*) AS jobs FROM changed AS c GROUP BY c.tenant_id, c.queue
    LOOP
        PERFORM pg_notify('tutti_queue', promoted.queue || ' ' || promoted.tenant_id::text);
        total := total + promoted.jobs;
    END LOOP;
    RETURN total;
END
$$;

CREATE OR REPLACE FUNCTION queue_rescue_expired(p_limit integer)
RETURNS TABLE (rescued bigint, dead_lettered bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_now timestamptz := now();
    v_error constant text := 'lease expired: the worker stopped without reporting';
    v_tenants uuid[];
    v_ids bigint[];
    back record;
BEGIN
    rescued := 0;
    SELECT array_agg(e.tenant_id), array_agg(e.id) INTO v_tenants, v_ids
    FROM (SELECT j.tenant_id, j.id FROM public.queue_jobs AS j
          WHERE j.state = 'leased' AND j.lease_expires_at < v_now
          ORDER BY j.lease_expires_at LIMIT p_limit) AS e;
    IF v_ids IS NULL THEN
        dead_lettered := 0;
        RETURN NEXT;
        RETURN;
    END IF;

    WITH dead AS (
        DELETE FROM public.queue_jobs AS j
        WHERE (j.tenant_id, j.id) IN (SELECT * FROM unnest(v_tenants, v_ids))
          AND j.state = 'leased' AND j.lease_expires_at < v_now AND j.attempts >= j.max_attempts
        RETURNING j.tenant_id, j.id, j.queue, j.priority, j.unique_key, j.payload, j.attempts, j.max_attempts,
                  j.errors, j.created_at, j.leased_by
    )
    INSERT INTO public.queue_dead_letters
        (tenant_id, id, queue, priority, unique_key, payload, attempts, max_attempts, errors, created_at, died_at)
    SELECT d.tenant_id, d.id, d.queue, d.priority, d.unique_key, d.payload, d.attempts, d.max_attempts,
           d.errors || jsonb_build_object('attempt', d.attempts, 'at', v_now, 'worker', d.leased_by, 'error', v_error),
           d.created_at, v_now
    FROM dead AS d;
    GET DIAGNOSTICS dead_lettered = ROW_COUNT;

    FOR back IN
        -- The new errors are computed in a subquery: Citus refuses a STABLE function
        -- (jsonb_build_object) that mixes with column references in an UPDATE's SET (OFFSET 0
        -- keeps the planner from folding the subquery back into the SET).
        WITH changed AS (
            UPDATE public.queue_jobs AS j
            SET state = 'ready', leased_by = NULL, lease_expires_at = NULL, errors = n.errors
            FROM (SELECT o.tenant_id, o.id,
                         o.errors || jsonb_build_object('attempt', o.attempts, 'at', v_now, 'worker', o.leased_by, 'error', v_error) AS errors
                  FROM public.queue_jobs AS o
                  WHERE (o.tenant_id, o.id) IN (SELECT * FROM unnest(v_tenants, v_ids))
                  OFFSET 0) AS n
            WHERE j.tenant_id = n.tenant_id AND j.id = n.id
              AND j.state = 'leased' AND j.lease_expires_at < v_now AND j.attempts < j.max_attempts
            RETURNING j.tenant_id, j.queue
        )
        SELECT c.tenant_id, c.queue, count(*) AS jobs FROM changed AS c GROUP BY c.tenant_id, c.queue
    LOOP
        PERFORM pg_notify('tutti_queue', back.queue || ' ' || back.tenant_id::text);
        rescued := rescued + back.jobs;
    END LOOP;
    RETURN NEXT;
END
$$;

CREATE OR REPLACE FUNCTION imports_fail_stale(p_stale interval, p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, heartbeat_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_now timestamptz := now();
    v_cutoff timestamptz := now() - p_stale;
BEGIN
    RETURN QUERY
        WITH stale AS MATERIALIZED (
            SELECT i.tenant_id, i.id,
                   to_char(i.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
            FROM public.imports AS i
            WHERE i.status = 'running' AND i.heartbeat_at < v_cutoff
            ORDER BY i.heartbeat_at LIMIT p_limit
        )
        UPDATE public.imports AS i
        SET status = 'failed', finished_at = v_now,
            reason = 'The API process running this import stopped (no heartbeat since '
                     || s.since
                     || '); the rows counted were committed. Send the file again to finish it: rows already imported are updated, not duplicated.'
        FROM stale AS s
        WHERE i.tenant_id = s.tenant_id AND i.id = s.id
          AND i.status = 'running' AND i.heartbeat_at < v_cutoff
        RETURNING i.tenant_id, i.id, i.heartbeat_at;
END
$$;

-- PostgreSQL: straight to the old rows' versions by ctid (0015). Citus refuses ctid in a
-- distributed modification's WHERE; there the rows are found again by primary key.
CREATE OR REPLACE FUNCTION event_message_ids_purge(p_older_than interval, p_limit integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    v_cutoff timestamptz := now() - p_older_than;
    deleted bigint;
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        DELETE FROM public.event_message_ids AS m
        WHERE (m.tenant_id, m.message_id) IN (
            SELECT o.tenant_id, o.message_id FROM public.event_message_ids AS o
            WHERE o.received_at < v_cutoff LIMIT p_limit);
    ELSE
        WITH old AS (
            SELECT ctid FROM public.event_message_ids
            WHERE received_at < v_cutoff
            LIMIT p_limit
        )
        DELETE FROM public.event_message_ids m USING old WHERE m.ctid = old.ctid;
    END IF;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;
