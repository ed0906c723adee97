-- The customer read behind GET /v1/customers/{id} and the lookup by identity, as a function that
-- confines itself to its tenant, so that the API can run it as one statement outside any
-- transaction: one round trip instead of five (BEGIN, SET LOCAL, the query, COMMIT).
--
-- Row-level security still applies: the function runs as its caller (SECURITY INVOKER, the
-- application role), and set_config(..., true) sets tutti.tenant_id for the statement's own
-- implicit transaction only, before the query reads a row. Called inside a transaction already
-- confined to another tenant, it refuses rather than move the rest of that transaction across.
-- On Citus, distribute it by p_tenant, colocated with customers (create_distributed_function):
-- the call then runs whole on the worker holding the tenant's shard, where the setting applies.
--
-- Start (an id, or the holder of an identity), follow merges to the survivor, then return its
-- profile, identities and the ids merged into it. PL/pgSQL rather than SQL: it keeps the query's
-- plan for the connection's life, and planning this recursive query costs more than running it.

CREATE FUNCTION customer_load(p_tenant uuid, p_type text, p_value text, p_id uuid)
RETURNS TABLE (id uuid, attributes text, created_at timestamptz, updated_at timestamptz, identities text, merged_ids uuid[])
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
    IF coalesce(current_setting('tutti.tenant_id', true), '') NOT IN ('', p_tenant::text) THEN
        RAISE EXCEPTION 'customer_load: this transaction is confined to another tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('tutti.tenant_id', p_tenant::text, true);
    RETURN QUERY
    WITH RECURSIVE start AS (
        SELECT p_id AS id WHERE p_id IS NOT NULL
        UNION ALL
        SELECT i.customer_id FROM customer_identities i WHERE i.tenant_id = p_tenant AND i.type = p_type AND i.value = p_value
    ), chain AS (
        SELECT c.id, c.merged_into, 0 AS depth FROM customers c JOIN start ON c.tenant_id = p_tenant AND c.id = start.id
        UNION ALL
        SELECT c.id, c.merged_into, chain.depth + 1 FROM customers c
        JOIN chain ON c.tenant_id = p_tenant AND c.id = chain.merged_into WHERE chain.depth < 64
    ), target AS (
        SELECT chain.id FROM chain WHERE chain.merged_into IS NULL LIMIT 1
    ), down AS (
        SELECT c.id FROM customers c JOIN target ON c.tenant_id = p_tenant AND c.merged_into = target.id
        UNION ALL
        SELECT c.id FROM customers c JOIN down ON c.tenant_id = p_tenant AND c.merged_into = down.id
    )
    SELECT c.id, c.attributes::text, c.created_at, c.updated_at,
           (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value, 'source', i.source,
                                                       'created_at', extract(epoch FROM i.created_at))
                                     ORDER BY i.type, i.value), '[]')::text
            FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id),
           (SELECT coalesce(array_agg(down.id), '{}') FROM down)
    FROM customers c JOIN target ON c.tenant_id = p_tenant AND c.id = target.id;
END
$$;
