-- Topics, the keys that sign unsubscribe and preference links, and the preference centre's
-- tenant settings (docs/closed-loop.md, "Topics", "Unsubscribe" and "Preference centre").
--
-- Consent per topic is not stored here: it goes into `consents` and `consent_ledger`
-- (0002_customers.sql), whose `topic` column holds a topic's key ('' = the channel as a whole).

-- A tenant's subscription topics (`newsletter`, `offers`, …). `key` is what consents, campaigns
-- and links name; `mandatory` topics are shown read-only in the preference centre.
CREATE TABLE topics (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid        NOT NULL,
    key         text        NOT NULL CHECK (key ~ '^[a-z0-9_-]{1,64}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text        NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    mandatory   boolean     NOT NULL DEFAULT false,
    -- The consent channels the topic is offered on (ConsentChannel's raw values).
    channels    text[]      NOT NULL DEFAULT '{email}' CHECK (cardinality(channels) BETWEEN 1 AND 7),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX topics_tenant_key ON topics (tenant_id, key);

-- The per-tenant HMAC-SHA256 key of unsubscribe and preference links: 32 random bytes made by
-- the first process that needs them, sealed with AES-256-GCM under TUTTI_CHANNEL_KEYS like
-- channel credentials (never stored in clear), one row per tenant.
CREATE TABLE link_keys (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id     text        NOT NULL,
    sealed     bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

-- The preference centre's look and its links' lifetime.
ALTER TABLE tenants ADD COLUMN preference_link_days integer NOT NULL DEFAULT 30
    CHECK (preference_link_days BETWEEN 1 AND 365);
ALTER TABLE tenants ADD COLUMN brand_colour text CHECK (brand_colour ~ '^#[0-9a-f]{6}$');

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['topics', 'link_keys']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
