-- Two more pieces of per-row work off the delivery worker's claim (docs/delivery.md,
-- "Throughput"), measured with the claim-and-record statement on 200,000 queued messages.

-- A claimed delivery job finds its message by the job's id rather than by the message id in
-- its payload. Reading the id out of the payload needed a regular expression per row (a
-- payload that is not a canonical UUID must join no message rather than fail the statement),
-- about 5 µs a delivery with the extraction; an index on the job id costs less than that at
-- enqueue, and the worker claims every message it enqueues at least once.
CREATE INDEX messages_job ON messages (tenant_id, job_id);

-- PostgreSQL checks every CHECK constraint of a row on each UPDATE, whatever changed: the
-- queue name's regular expression ran for every claim, complete and retry (about 3 µs a
-- row). A domain is checked only where a value is assigned to it, so the name is checked
-- when a job is enqueued, as before, and not again when its state changes.
CREATE DOMAIN queue_name AS text CHECK (VALUE ~ '^[a-z][a-z0-9_.-]{0,62}$');
ALTER TABLE queue_jobs DROP CONSTRAINT queue_jobs_queue_check;
ALTER TABLE queue_jobs ALTER COLUMN queue TYPE queue_name;

-- Ready-tenant discovery runs before claims. As a SQL function it was planned afresh on every
-- call (SECURITY DEFINER keeps it from being inlined): 0.26 ms a call against 0.05 ms as
-- PL/pgSQL, which keeps its plan for the session. Same query, same signature.
CREATE OR REPLACE FUNCTION queue_ready_tenants(p_queue text, p_after uuid, p_limit integer)
RETURNS TABLE (tenant_id uuid)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
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
END
$$;
