-- The customer read behind GET /v1/customers/{id} and the lookup by identity, with the response
-- built here: the customer as the API shows it, as JSON text that the API sends unchanged. The
-- lookup is the hot read (p99 target 2 ms, docs/customers.md "How fast, and why"); decoding rows
-- into Swift values and encoding them again with JSONEncoder cost the API more than this costs
-- PostgreSQL.
--
-- Tenancy as in customer_load (0011): SECURITY INVOKER, and set_config(..., true) confines the
-- statement's own implicit transaction to p_tenant before a row is read; inside a transaction
-- already confined to another tenant it refuses.
--
-- Start at p_id, or else at the holder of (p_type, p_value); follow merged_into to the survivor
-- (at most 64 steps; a broken or longer chain finds nothing); return NULL when there is none.
-- Unlike customer_load's recursive query, the usual case (no merges either way) is one indexed
-- select: executor start-up of the recursive query was a quarter of PostgreSQL's time per
-- lookup. The ids merged into the survivor are only looked for when one exists.
--
-- The document: keys id, attributes, created_at, updated_at, identities (type, value, source
-- when known, created_at; by type then value) and merged_ids (sorted). Timestamps are whole
-- seconds in UTC, "2026-01-31T12:00:00Z", as the API's JSON encoder writes them elsewhere. It is
-- jsonb's text, so keys come in jsonb's order (shorter first) with a space after ':' and ','.

CREATE FUNCTION customer_load_json(p_tenant uuid, p_type text, p_value text, p_id uuid)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_start  uuid := p_id;
    v_id     uuid;
    v_next   uuid;
    v_doc    jsonb;
    v_merged boolean;
    v_depth  integer := 0;
BEGIN
    IF coalesce(current_setting('tutti.tenant_id', true), '') NOT IN ('', p_tenant::text) THEN
        RAISE EXCEPTION 'customer_load_json: this transaction is confined to another tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('tutti.tenant_id', p_tenant::text, true);
    LOOP
        SELECT c.id, c.merged_into,
               jsonb_build_object(
                   'id', c.id,
                   'attributes', c.attributes,
                   'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'updated_at', to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'identities', coalesce((
                       SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                  'type', i.type, 'value', i.value, 'source', i.source,
                                  'created_at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
                              ORDER BY i.type, i.value)
                       FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id), '[]'),
                   'merged_ids', '[]'::jsonb),
               EXISTS (SELECT 1 FROM customers m WHERE m.tenant_id = c.tenant_id AND m.merged_into = c.id)
          INTO v_id, v_next, v_doc, v_merged
          FROM customers c
         WHERE c.tenant_id = p_tenant
           AND c.id = (SELECT v_start WHERE v_start IS NOT NULL
                       UNION ALL
                       SELECT i.customer_id FROM customer_identities i
                        WHERE v_start IS NULL AND i.tenant_id = p_tenant AND i.type = p_type AND i.value = p_value);
        EXIT WHEN v_next IS NULL OR v_depth >= 64;
        v_start := v_next;
        v_depth := v_depth + 1;
    END LOOP;
    IF v_id IS NULL OR v_next IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF v_merged THEN
        v_doc := jsonb_set(v_doc, '{merged_ids}', (
            WITH RECURSIVE down AS (
                SELECT c.id FROM customers c WHERE c.tenant_id = p_tenant AND c.merged_into = v_id
                UNION ALL
                SELECT c.id FROM customers c JOIN down ON c.tenant_id = p_tenant AND c.merged_into = down.id
            )
            SELECT jsonb_agg(down.id ORDER BY down.id) FROM down));
    END IF;
    RETURN v_doc::text;
END
$$;
