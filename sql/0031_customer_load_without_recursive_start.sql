-- customer_load (0011) on Citus: a recursive CTE must name the tenant in every part, and Citus
-- refused the chain of CTEs (start, chain, target, down) that the function ran as one query.
-- Like customer_load_json (0013) it now follows merged_into one indexed read at a time (at most
-- 64 steps, as before), then collects the customers merged into the survivor with the same
-- recursive query customer_load_json uses. Same results on PostgreSQL.

CREATE OR REPLACE FUNCTION customer_load(p_tenant uuid, p_type text, p_value text, p_id uuid)
RETURNS TABLE (id uuid, attributes text, created_at timestamptz, updated_at timestamptz, identities text, merged_ids uuid[])
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_start  uuid := p_id;
    v_id     uuid;
    v_next   uuid;
    v_depth  integer := 0;
    v_merged uuid[];
BEGIN
    IF coalesce(current_setting('tutti.tenant_id', true), '') NOT IN ('', p_tenant::text) THEN
        RAISE EXCEPTION 'customer_load: this transaction is confined to another tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('tutti.tenant_id', p_tenant::text, true);
    IF v_start IS NULL THEN
        SELECT i.customer_id INTO v_start FROM customer_identities i
        WHERE i.tenant_id = p_tenant AND i.type = p_type AND i.value = p_value;
    END IF;
    LOOP
        v_id := NULL;
        v_next := NULL;
        SELECT c.id, c.merged_into INTO v_id, v_next FROM customers c WHERE c.tenant_id = p_tenant AND c.id = v_start;
        EXIT WHEN v_id IS NULL OR v_next IS NULL OR v_depth >= 64;
        v_start := v_next;
        v_depth := v_depth + 1;
    END LOOP;
    IF v_id IS NULL OR v_next IS NOT NULL THEN
        RETURN;
    END IF;
    WITH RECURSIVE down AS (
        SELECT c.id FROM customers c WHERE c.tenant_id = p_tenant AND c.merged_into = v_id
        UNION ALL
        SELECT c.id FROM customers c JOIN down ON c.tenant_id = p_tenant AND c.merged_into = down.id
    )
    SELECT coalesce(array_agg(down.id), '{}') INTO v_merged FROM down;
    RETURN QUERY
    SELECT c.id, c.attributes::text, c.created_at, c.updated_at,
           (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value, 'source', i.source,
                                                       'created_at', extract(epoch FROM i.created_at))
                                     ORDER BY i.type, i.value), '[]')::text
            FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id),
           v_merged
    FROM customers c WHERE c.tenant_id = p_tenant AND c.id = v_id;
END
$$;
