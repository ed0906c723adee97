-- Segments (versioned rule definitions) and the customer value metric.
-- Every table follows the isolation rule written at the top of 0001_tenancy.sql.

-- Which events are conversions, and which of their properties is the revenue.
ALTER TABLE tenants ADD COLUMN value_event_name text NOT NULL DEFAULT 'Order Completed';
ALTER TABLE tenants ADD COLUMN value_revenue_property text NOT NULL DEFAULT 'revenue';

-- A segment is a named rule; every change of the rule is a new version, so that a campaign can
-- record which version chose its audience.
CREATE TABLE segments (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid        NOT NULL,
    name            text        NOT NULL,
    description     text,
    current_version integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX segments_name ON segments (tenant_id, lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE segment_versions (
    tenant_id   uuid        NOT NULL,
    segment_id  uuid        NOT NULL,
    version     integer     NOT NULL,
    rule_text   text        NOT NULL,
    -- The checked rule (RuleExpression's JSON form), with referenced segments inlined.
    rule        jsonb       NOT NULL,
    -- The segments this version names directly, with the versions it inlined
    -- ([{"name": …, "version": …}]): for dependants and for explaining an audience.
    segment_references jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, segment_id, version),
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id) ON DELETE CASCADE
);

-- One row per customer with a conversion (or a model score): the customer value metric.
CREATE TABLE customer_values (
    tenant_id           uuid             NOT NULL,
    customer_id         uuid             NOT NULL,
    lifetime_revenue    double precision NOT NULL DEFAULT 0,
    order_count         integer          NOT NULL DEFAULT 0,
    first_purchase      timestamptz,
    last_purchase       timestamptz,
    rfm_recency         smallint CHECK (rfm_recency BETWEEN 1 AND 5),
    rfm_frequency       smallint CHECK (rfm_frequency BETWEEN 1 AND 5),
    rfm_monetary        smallint CHECK (rfm_monetary BETWEEN 1 AND 5),
    predicted_12m       double precision,
    updated_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- The per-tenant fitted model behind predicted_12m, and the RFM quintile bounds: the 20th,
-- 40th, 60th and 80th percentiles of last purchase (epoch seconds), order count and lifetime
-- revenue over the tenant's buyers. Scores use the bounds, so that an event arriving between
-- two full recomputations is scored the same way as everyone else.
CREATE TABLE customer_value_models (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model             text,
    parameters        jsonb,
    customers         integer     NOT NULL,
    recency_bounds    float8[]    NOT NULL,
    frequency_bounds  float8[]    NOT NULL,
    monetary_bounds   float8[]    NOT NULL,
    fitted_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

-- An RFM score: 1 plus the number of quintile bounds the value is above. Ties share a score,
-- so a tenant where most buyers ordered once scores them all 1 for frequency.
CREATE FUNCTION customer_value_score(value float8, bounds float8[])
RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN value IS NULL OR bounds IS NULL THEN NULL ELSE
        (1 + (value > bounds[1])::int + (value > bounds[2])::int + (value > bounds[3])::int + (value > bounds[4])::int)::smallint
    END
$$;

-- Every tenant's id, for the scheduler's per-tenant jobs (the application role sees tenants
-- only through row-level security, one at a time).
CREATE FUNCTION tenants_list_ids()
RETURNS SETOF uuid
LANGUAGE sql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$ SELECT id FROM tenants ORDER BY id $$;
REVOKE ALL ON FUNCTION tenants_list_ids() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['segments', 'segment_versions', 'customer_values', 'customer_value_models']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
