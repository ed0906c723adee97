-- What the scheduler's campaign engine needs beyond sql/0060: which tenants have campaigns to
-- open, build or complete (the application role sees campaigns one tenant at a time), and how
-- many messages an occurrence has queued so far (its throttle spreads send times by rank).

ALTER TABLE campaign_occurrences ADD COLUMN queued_so_far integer NOT NULL DEFAULT 0;

-- Tenants with a campaign that is scheduled or running: the scheduler visits only these.
-- PL/pgSQL without parameters, so that Citus can plan it (sql/0030 says why).
CREATE FUNCTION campaign_tenants_active()
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    RETURN QUERY
        SELECT DISTINCT c.tenant_id FROM public.campaigns AS c
        WHERE c.state IN ('scheduled', 'running') AND c.deleted_at IS NULL
        ORDER BY c.tenant_id;
END
$$;
REVOKE ALL ON FUNCTION campaign_tenants_active() FROM PUBLIC;
