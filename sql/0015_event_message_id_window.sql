-- messageId deduplication over a window, not forever. event_message_ids gains a row for every
-- event ingested and is the hottest insert of ingestion; kept forever its primary key outgrew
-- shared_buffers (5.6 million rows, a 496 MB index on the development machine) and every
-- insert into it became a read from disk or the OS cache. Segment's own deduplication looks
-- back about a day; the scheduler forgets message ids older than TUTTI_EVENT_DEDUP_DAYS
-- (default 7), in batches, through this function (docs/customers.md "Ingestion").
--
-- BRIN on received_at: rows arrive in time order, so a few hundred bytes of index find the
-- old ones without a scan of the table, and cost the insert next to nothing.
CREATE INDEX event_message_ids_received_at ON event_message_ids USING brin (received_at);

-- Like idempotency_keys_purge_expired (0001): an owner-run exception to row-level security,
-- for every tenant at once. At most p_limit rows per call, so that each call is a short
-- transaction; the scheduler calls again while a call deletes p_limit.
CREATE FUNCTION event_message_ids_purge(p_older_than interval, p_limit integer)
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    WITH old AS (
        SELECT ctid FROM public.event_message_ids
        WHERE received_at < now() - p_older_than
        LIMIT p_limit
    ), deleted AS (
        DELETE FROM public.event_message_ids m USING old WHERE m.ctid = old.ctid RETURNING 1
    )
    SELECT count(*) FROM deleted;
$$;

REVOKE ALL ON FUNCTION event_message_ids_purge(interval, integer) FROM PUBLIC;
