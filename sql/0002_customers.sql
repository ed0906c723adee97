-- The single customer view: customers, their identities, merges (reversible), consent and
-- its evidence, suppressions, events (partitioned by month), erasures and imports.
-- Every table follows the isolation rule written at the top of 0001_tenancy.sql.

-- A per-tenant secret salt for hashing erased identities (so a tenant can refuse their
-- re-import without keeping them in clear).
ALTER TABLE tenants ADD COLUMN erasure_salt bytea NOT NULL DEFAULT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
-- Signs double opt-in confirmation tokens (HMAC-SHA256).
ALTER TABLE tenants ADD COLUMN signing_key bytea NOT NULL DEFAULT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
-- National phone numbers are read in this country (ISO 3166 alpha-2) unless written with +.
ALTER TABLE tenants ADD COLUMN default_country text CHECK (default_country ~ '^[A-Z]{2}$');

CREATE TABLE customers (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid        NOT NULL,
    attributes      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    -- When each attribute was last written: merges keep, key by key, the newer value.
    attribute_times jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attribute_times) = 'object'),
    -- Set when this customer was merged into another; its id keeps resolving to the survivor.
    merged_into     uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, merged_into) REFERENCES customers (tenant_id, id) ON DELETE SET NULL (merged_into)
);
CREATE INDEX customers_merged_into ON customers (tenant_id, merged_into) WHERE merged_into IS NOT NULL;

-- An identity belongs to at most one customer per tenant: the primary key says so, under any
-- concurrency.
CREATE TABLE customer_identities (
    tenant_id   uuid        NOT NULL,
    type        text        NOT NULL,
    value       text        NOT NULL,
    customer_id uuid        NOT NULL,
    source      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, type, value),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_identities_customer ON customer_identities (tenant_id, customer_id);

CREATE TABLE customer_merges (
    tenant_id    uuid        NOT NULL,
    id           uuid        NOT NULL,
    survivor_id  uuid        NOT NULL,
    merged_id    uuid        NOT NULL,
    request_id   text,
    -- What each customer had just before the merge, so that undo can restore both.
    snapshot     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    undone_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, survivor_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, merged_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_merges_survivor ON customer_merges (tenant_id, survivor_id, created_at);
CREATE INDEX customer_merges_merged ON customer_merges (tenant_id, merged_id, created_at);

-- Current consent per channel and topic ('' = the channel as a whole).
CREATE TABLE consents (
    tenant_id   uuid        NOT NULL,
    customer_id uuid        NOT NULL,
    channel     text        NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'social', 'phone', 'mail', 'web')),
    topic       text        NOT NULL DEFAULT '',
    status      text        NOT NULL CHECK (status IN ('opted_in', 'opted_out', 'unknown', 'pending')),
    source      text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, customer_id, channel, topic),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- Append-only evidence of every consent change.
CREATE TABLE consent_ledger (
    tenant_id       uuid        NOT NULL,
    id              uuid        NOT NULL,
    customer_id     uuid        NOT NULL,
    channel         text        NOT NULL,
    topic           text        NOT NULL DEFAULT '',
    status          text        NOT NULL,
    source          text,
    ip              text,
    user_agent      text,
    wording_version text,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consent_ledger_customer ON consent_ledger (tenant_id, customer_id, recorded_at);

CREATE TABLE suppressions (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    identity_type  text        NOT NULL,
    identity_value text        NOT NULL,
    reason         text        NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'stop', 'manual')),
    note           text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, identity_type, identity_value)
);

-- Events are append-only and partitioned by month of occurred_at; the scheduler creates
-- partitions ahead of time, and the default partition catches anything outside them.
CREATE TABLE events (
    tenant_id    uuid        NOT NULL,
    id           uuid        NOT NULL,
    customer_id  uuid        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('track', 'page', 'screen', 'identify', 'group', 'alias', 'system')),
    name         text        NOT NULL,
    properties   jsonb       NOT NULL DEFAULT '{}',
    context      jsonb       NOT NULL DEFAULT '{}',
    channel      text,
    message_id   text,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_timeline ON events (tenant_id, customer_id, occurred_at DESC);
CREATE INDEX events_by_name ON events (tenant_id, name, occurred_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- messageId deduplication across partitions (a partitioned table's unique index would have to
-- include occurred_at, which a replay may correct differently).
CREATE TABLE event_message_ids (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    message_id  text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_id)
);

-- Salted hashes of erased identities: enough to refuse a re-import, not to recover them.
CREATE TABLE erased_identities (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    identity_hash bytea       NOT NULL,
    erased_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, identity_hash)
);

CREATE TABLE audit_log (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         uuid        NOT NULL,
    action     text        NOT NULL,
    subject    text        NOT NULL,
    details    jsonb       NOT NULL DEFAULT '{}',
    request_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE imports (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    format       text        NOT NULL CHECK (format IN ('ndjson', 'csv')),
    status       text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    source       text,
    rows_total   bigint      NOT NULL DEFAULT 0,
    rows_ok      bigint      NOT NULL DEFAULT 0,
    rows_failed  bigint      NOT NULL DEFAULT 0,
    errors       jsonb       NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['customers', 'customer_identities', 'customer_merges', 'consents', 'consent_ledger',
                             'suppressions', 'events', 'events_default', 'event_message_ids', 'erased_identities', 'audit_log', 'imports']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

-- Monthly partitions of events from `p_from`'s month for `p_months` months; run by the
-- scheduler (the application role may not create tables, so this runs as the owner).
CREATE FUNCTION events_partitions_ensure(p_from date, p_months integer)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    month_start date := date_trunc('month', p_from)::date;
    created integer := 0;
    partition_name text;
BEGIN
    FOR i IN 0 .. p_months - 1 LOOP
        partition_name := format('events_%s', to_char(month_start, 'YYYY_MM'));
        IF to_regclass('public.' || partition_name) IS NULL THEN
            -- Rows already in the default partition for that month would block the attach;
            -- move them into the new partition first.
            EXECUTE format('CREATE TABLE public.%I (LIKE public.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
            EXECUTE format('WITH moved AS (DELETE FROM public.events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) INSERT INTO public.%I SELECT * FROM moved',
                           month_start, (month_start + interval '1 month')::date, partition_name);
            EXECUTE format('ALTER TABLE public.events ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, month_start, (month_start + interval '1 month')::date);
            EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', partition_name);
            EXECUTE format($p$CREATE POLICY tenant_isolation ON public.%I
                USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
                WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, partition_name);
            created := created + 1;
        END IF;
        month_start := (month_start + interval '1 month')::date;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION events_partitions_ensure(date, integer) FROM PUBLIC;

-- Partitions for the months around the migration; the scheduler keeps three months ahead.
SELECT events_partitions_ensure((now() - interval '1 month')::date, 4);
