-- Citus only: distribute the migrated schema by tenant. Plain PostgreSQL never runs this file
-- (the migrator reads only sql/NNNN_*.sql, not this folder). `ops/citus up` applies it on the
-- coordinator as the superuser after every `tutti migrate`, and the test support does the same
-- when TUTTI_TEST_CITUS=1; it is idempotent. docs/operations.md "Scaling out" explains the rule:
--
--   * a table with a tenant_id column is distributed by tenant_id, all of them colocated (one
--     tenant's rows of every table on one node), partitioned tables with their partitions;
--   * a table without tenant_id that tenant tables refer to (the tenant registry, `tenants`)
--     is a reference table: a copy on every node, so the foreign keys hold on each;
--   * any other table stays on the coordinator only if it is named in keep_local below
--     (migration bookkeeping); a table that fits none of these stops this script, so a new
--     table cannot slip through undistributed.
--
-- What plain PostgreSQL does with triggers, Citus cannot do on shards (a trigger fires on the
-- worker holding the shard, so its NOTIFY never reaches the coordinator's listeners, and
-- TG_TABLE_NAME is the shard's name); this file drops those triggers, and the application
-- sends the same notifications itself (TenantSession+APIKeys, TenantSession+Tenants).

DO $citus$
DECLARE
    keep_local constant text[] := ARRAY['schema_migrations'];
    colocate_with text := 'default';
    t record;
    remaining text[];
    fk_add text[];
    fk_drop text[];
    referenced oid[];
    statement text;
    add_attempts_fk boolean := false;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'sql/citus/distribute.sql is for a Citus coordinator; the citus extension is not installed in %', current_database();
    END IF;

    -- SET LOCAL tutti.tenant_id must reach the workers (set_config() never does).
    EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = %L', current_database(), 'local');
    SET LOCAL citus.propagate_set_commands = 'local';
    -- Foreign keys to a reference table need one connection per node within the transaction.
    SET LOCAL citus.multi_shard_modify_mode = 'sequential';

    -- Triggers that cannot work on shards (see above). The API sends these NOTIFYs itself.
    -- (DROP TRIGGER IF EXISTS itself is refused on a distributed table, hence the look-up.)
    FOR t IN
        SELECT tg.tgname, tg.tgrelid::regclass AS rel FROM pg_trigger AS tg
        WHERE (tg.tgname, tg.tgrelid) IN (('api_keys_notify_change', 'public.api_keys'::regclass),
                                          ('api_keys_notify_delete', 'public.api_keys'::regclass),
                                          ('tenants_notify_delete', 'public.tenants'::regclass))
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.rel);
    END LOOP;
    -- A statement trigger with a transition table is refused on distributed tables ("unrecognized
    -- RTE kind"). A message's attempts go with it by a foreign key instead: one trigger call per
    -- inserted attempt on the worker, the cost migration 0009 took off plain PostgreSQL.
    IF EXISTS (SELECT FROM pg_trigger WHERE tgname = 'messages_forget_attempts' AND tgrelid = 'public.messages'::regclass) THEN
        DROP TRIGGER messages_forget_attempts ON public.messages;
        add_attempts_fk := true;
    END IF;
    -- ON DELETE SET NULL (merged_into) is refused when the key includes the distribution column.
    -- Customers are erased with every customer merged into them, in one statement, so a plain
    -- (statement-end) check holds; deleting a survivor alone is refused instead of unmerging.
    IF EXISTS (SELECT FROM pg_constraint WHERE conname = 'customers_tenant_id_merged_into_fkey' AND confdeltype = 'n') THEN
        ALTER TABLE public.customers DROP CONSTRAINT customers_tenant_id_merged_into_fkey;
        ALTER TABLE public.customers ADD CONSTRAINT customers_tenant_id_merged_into_fkey
            FOREIGN KEY (tenant_id, merged_into) REFERENCES public.customers (tenant_id, id);
    END IF;

    -- Citus cannot distribute a table that a local table refers to, nor one that refers to a
    -- local table; and a local table with a foreign key to a reference table becomes a "Citus
    -- local table", which cannot be distributed when it has an identity column. So the foreign
    -- keys of the tables not yet in Citus's metadata are dropped, the tables made reference or
    -- distributed tables, and the keys added back as they were (each includes tenant_id).
    -- A table that a later `tutti migrate` created with a key to `tenants` is already such a
    -- Citus local table (converted automatically); without its keys it becomes a plain table
    -- again, and is then distributed like the others.
    SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.conrelid::regclass, fk.conname,
                                     pg_get_constraintdef(fk.oid)) ORDER BY fk.conname), ARRAY[]::text[]),
           -- Keys to reference tables dropped last: a Citus local table turns plain when its last
           -- one goes, and the keys between such tables must be gone by then.
           coalesce(array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', fk.conrelid::regclass, fk.conname)
                              ORDER BY EXISTS (SELECT FROM pg_dist_partition AS p
                                               WHERE p.logicalrelid = fk.confrelid AND p.repmodel = 't')), ARRAY[]::text[]),
           coalesce(array_agg(fk.confrelid), ARRAY[]::oid[])
      INTO fk_add, fk_drop, referenced
    FROM pg_constraint AS fk
    WHERE fk.contype = 'f' AND fk.conparentid = 0
      AND fk.connamespace = 'public'::regnamespace
      AND NOT relation_is_a_known_shard(fk.conrelid) -- a Citus local table's shard, on the coordinator
      AND NOT EXISTS (SELECT FROM pg_dist_partition AS p WHERE p.logicalrelid = fk.conrelid
                                                      AND (p.partmethod = 'h' OR p.repmodel = 't'));
    FOREACH statement IN ARRAY fk_drop LOOP EXECUTE statement; END LOOP;

    -- Reference tables: tenant-less tables that a tenant table refers to. (Tables already in
    -- Citus's metadata keep their keys; a new tenant-less table referred to later is caught by
    -- the check at the end, which names it.)
    FOR t IN
        SELECT DISTINCT c.oid::regclass AS rel
        FROM unnest(referenced) AS r(oid)
        JOIN pg_class AS c ON c.oid = r.oid
        WHERE NOT EXISTS (SELECT FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          AND NOT EXISTS (SELECT FROM pg_dist_partition AS p WHERE p.logicalrelid = c.oid)
    LOOP
        PERFORM create_reference_table(t.rel);
    END LOOP;

    SELECT coalesce(min(p.logicalrelid::regclass::text), 'default') INTO colocate_with
    FROM pg_dist_partition AS p WHERE p.partmethod = 'h';
    -- One at a time, looked up by name each round: distributing a "Citus local table" (one with
    -- a foreign key to a reference table) re-creates its neighbours.
    LOOP
        SELECT min(c.relname::text) INTO statement
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND EXISTS (SELECT FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          AND NOT EXISTS (SELECT FROM pg_dist_partition AS p WHERE p.logicalrelid = c.oid AND p.partmethod = 'h');
        EXIT WHEN statement IS NULL;
        PERFORM create_distributed_table(format('public.%I', statement), 'tenant_id', colocate_with => colocate_with);
        IF colocate_with = 'default' THEN colocate_with := format('public.%I', statement); END IF;
    END LOOP;
    FOREACH statement IN ARRAY fk_add LOOP EXECUTE statement; END LOOP;
    IF add_attempts_fk THEN
        DELETE FROM public.message_attempts AS a
        WHERE NOT EXISTS (SELECT FROM public.messages AS m WHERE m.tenant_id = a.tenant_id AND m.id = a.message_id);
        ALTER TABLE public.message_attempts ADD CONSTRAINT message_attempts_tenant_id_message_id_fkey
            FOREIGN KEY (tenant_id, message_id) REFERENCES public.messages (tenant_id, id) ON DELETE CASCADE;
    END IF;

    -- Functions that set tutti.tenant_id with set_config() must run where the tenant's shards
    -- are: distributed by their tenant argument, the coordinator hands each call to that node.
    PERFORM create_distributed_function('public.customer_load(uuid, text, text, uuid)'::regprocedure, 'p_tenant', colocate_with => 'customers')
    WHERE to_regprocedure('public.customer_load(uuid, text, text, uuid)') IS NOT NULL;
    PERFORM create_distributed_function('public.customer_load_json(uuid, text, text, uuid)'::regprocedure, 'p_tenant', colocate_with => 'customers')
    WHERE to_regprocedure('public.customer_load_json(uuid, text, text, uuid)') IS NOT NULL;

    -- The check: nothing left behind.
    SELECT array_agg(c.relname ORDER BY c.relname) INTO remaining
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND c.relname <> ALL (keep_local)
      AND NOT EXISTS (SELECT FROM pg_dist_partition AS p WHERE p.logicalrelid = c.oid
                                                      AND (p.partmethod = 'h' OR p.repmodel = 't'));
    IF remaining IS NOT NULL THEN
        RAISE EXCEPTION 'tables neither distributed nor reference tables: %', remaining
            USING HINT = 'a tenant table needs tenant_id; a tenant-less one must be referred to by a tenant table (reference table) or be added to keep_local in sql/citus/distribute.sql';
    END IF;
    SELECT array_agg(p.logicalrelid::regclass::text ORDER BY 1) INTO remaining
    FROM pg_dist_partition AS p
    WHERE p.partmethod = 'h'
      AND (column_to_column_name(p.logicalrelid, p.partkey) <> 'tenant_id'
           OR p.colocationid <> (SELECT p2.colocationid FROM pg_dist_partition AS p2 WHERE p2.logicalrelid = 'public.customers'::regclass));
    IF remaining IS NOT NULL THEN
        RAISE EXCEPTION 'tables not distributed by tenant_id colocated with customers: %', remaining;
    END IF;
END
$citus$;
