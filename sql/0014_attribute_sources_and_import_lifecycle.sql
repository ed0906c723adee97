-- Where attributes come from, and the lifecycle of imports (heartbeat, cancellation, listing).

-- Which source last wrote each attribute key (`api`, `segment`, `import:crm`, …), next to
-- attribute_times (when): the same keys, kept up to date by the same statements. A separate
-- map rather than {source, at} objects in attribute_times, so that the merge rule keeps
-- reading plain numbers and a write adds one small object per customer, not one per key.
-- The constant default adds the column without rewriting the table; the check is added
-- NOT VALID so that it does not scan every existing row (they all hold the default '{}').
ALTER TABLE customers ADD COLUMN attribute_sources jsonb NOT NULL DEFAULT '{}';
ALTER TABLE customers ADD CONSTRAINT customers_attribute_sources_object
    CHECK (jsonb_typeof(attribute_sources) = 'object') NOT VALID;

-- An import ends `cancelled` when a client asks (POST /v1/imports/{id}/cancel); `reason` says
-- why an import failed or was cancelled. heartbeat_at is refreshed by the API process running
-- the import (every chunk, and every few seconds while the body is slow to arrive), so that
-- the scheduler can tell an import whose process died from one that is merely slow.
ALTER TABLE imports DROP CONSTRAINT imports_status_check;
ALTER TABLE imports ADD CONSTRAINT imports_status_check CHECK (status IN ('running', 'completed', 'failed', 'cancelled'));
ALTER TABLE imports ADD COLUMN reason text;
ALTER TABLE imports ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
-- Only running imports are ever swept; the index holds only them.
CREATE INDEX imports_running_heartbeat ON imports (heartbeat_at) WHERE status = 'running';

-- The scheduler's sweep across tenants (the application role sees one tenant at a time): marks
-- running imports whose heartbeat is older than p_stale as failed, at most p_limit of them, and
-- returns them. Rows committed before stay; the client may send the file again (imports are
-- idempotent per row identity). The UPDATE re-checks status and heartbeat, so a second
-- scheduler sweeping at the same time, or a heartbeat that lands meanwhile, is never overruled.
CREATE FUNCTION imports_fail_stale(p_stale interval, p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, heartbeat_at timestamptz)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    WITH stale AS MATERIALIZED (
        SELECT i.tenant_id, i.id FROM public.imports AS i
        WHERE i.status = 'running' AND i.heartbeat_at < now() - p_stale
        ORDER BY i.heartbeat_at LIMIT p_limit
    )
    UPDATE public.imports AS i
    SET status = 'failed', finished_at = now(),
        reason = 'The API process running this import stopped (no heartbeat since '
                 || to_char(i.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                 || '); the rows counted were committed. Send the file again to finish it: rows already imported are updated, not duplicated.'
    FROM stale AS s
    WHERE i.tenant_id = s.tenant_id AND i.id = s.id
      AND i.status = 'running' AND i.heartbeat_at < now() - p_stale
    RETURNING i.tenant_id, i.id, i.heartbeat_at;
$$;

REVOKE ALL ON FUNCTION imports_fail_stale(interval, integer) FROM PUBLIC;
