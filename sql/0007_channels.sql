-- Channels: each tenant's gateway configurations (docs/channels.md), and the shared state the
-- workers keep per channel for rate limiting and circuit breaking.
-- Every table follows the isolation rule written at the top of 0001_tenancy.sql.

CREATE TABLE channels (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            uuid        NOT NULL,
    type          text        NOT NULL CHECK (type IN ('webhook', 'smtp', 'ses', 'sns', 'twilio', 'sendgrid', 'mastodon')),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Every setting except the credentials, defaults filled in.
    config        jsonb       NOT NULL,
    -- The credentials as a JSON object, sealed with AES-256-GCM (nonce, ciphertext, tag) under
    -- the key named by secrets_key_id, with "tenant_id/id" as associated data so a sealed box
    -- copied into another row does not open.
    secrets       bytea       NOT NULL,
    secrets_key_id text       NOT NULL CHECK (length(secrets_key_id) BETWEEN 1 AND 64),
    -- What the API shows instead of each credential ({"secret": {"set": true, "last4": "…"}}),
    -- kept beside the box so reading a channel never needs the keys.
    secret_hints  jsonb       NOT NULL DEFAULT '{}',
    -- Messages per second across all workers together; NULL: no limit of ours.
    rate_limit_per_second integer CHECK (rate_limit_per_second BETWEEN 1 AND 100000),
    -- A live channel of the same type to fail over to while this one's circuit is open.
    secondary_channel_id uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- Deleted channels stay for the deliveries and reports that name them.
    deleted_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, secondary_channel_id) REFERENCES channels (tenant_id, id),
    CHECK (secondary_channel_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX channels_name ON channels (tenant_id, lower(name)) WHERE deleted_at IS NULL;
-- For `tutti channels reencrypt`: rows still sealed under a key other than the current one.
CREATE INDEX channels_secrets_key ON channels (secrets_key_id);

-- Per-channel delivery state shared by all workers. The worker owns these semantics (the
-- enforcement is not written yet); the columns are here so the shape is settled with the
-- channels:
--   * rate limit: a token bucket refilled from the database clock — take `n` tokens with one
--     UPDATE … SET rate_tokens = least(capacity, rate_tokens + rate * (now() - rate_refilled_at)) - n
--     … WHERE rate_tokens + … >= n, so the limit holds across workers without a coordinator;
--   * circuit breaker: consecutive_failures counts failed attempts (reset by a success);
--     at the threshold the circuit opens until probe_at, then one probe runs half-open and
--     closes it on success or re-opens it with a longer wait.
CREATE TABLE channel_states (
    tenant_id            uuid             NOT NULL,
    channel_id           uuid             NOT NULL,
    rate_tokens          double precision NOT NULL DEFAULT 0,
    rate_refilled_at     timestamptz      NOT NULL DEFAULT now(),
    circuit              text             NOT NULL DEFAULT 'closed' CHECK (circuit IN ('closed', 'open', 'half_open')),
    consecutive_failures integer          NOT NULL DEFAULT 0,
    opened_at            timestamptz,
    probe_at             timestamptz,
    last_failure         text,
    updated_at           timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel_id),
    FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['channels', 'channel_states']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
