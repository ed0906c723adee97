-- Event-triggered campaigns (docs/triggers.md). A campaign whose definition has a `trigger` is
-- armed while it is scheduled or running; ingestion fires it in the same transaction as the
-- event's insert, so an accepted event has its firing recorded (or none, for a replay).
--
-- trigger_entries is the exactly-once gate: one row per (campaign, customer, entry key). The
-- entry key is the correlation value when the trigger has one, else '' (reentry once or after
-- a window) or the event's messageId / id (reentry always). A firing inserts its entry with
-- ON CONFLICT DO UPDATE … WHERE the reentry window has passed (never for once): a replayed
-- event, a retried batch or two events in the same second reach the same row, and only one
-- statement's update wins. The window is compared with the time ingestion passes as a
-- parameter (no now() in DO UPDATE SET: Citus refuses volatile functions there).
CREATE TABLE trigger_entries (
    tenant_id     uuid        NOT NULL,
    campaign_id   uuid        NOT NULL,
    customer_id   uuid        NOT NULL,
    entry_key     text        NOT NULL,
    -- -1: never again (once); 0: on every event; n: after n seconds since the last firing.
    reentry_after double precision NOT NULL,
    last_fired_at timestamptz NOT NULL,
    -- When the next event may fire again (last_fired_at + reentry_after; null: never). Stored,
    -- because Citus allows only immutable functions in ON CONFLICT's WHERE, and timestamp
    -- arithmetic is not.
    reentry_at    timestamptz,
    fired         integer     NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, campaign_id, customer_id, entry_key),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);

-- One row per firing: what fired it, when its message is due, and what became of it (queued
-- with its message; skipped as unreachable, or exited when an exit event with the same
-- correlation value arrived before `fire_at`).
CREATE TABLE trigger_firings (
    tenant_id     uuid        NOT NULL,
    id            uuid        NOT NULL,
    campaign_id   uuid        NOT NULL,
    customer_id   uuid        NOT NULL,
    entry_key     text        NOT NULL,
    event_id      uuid        NOT NULL,
    -- When the firing event happened: an exit event cancels only firings of events before it.
    event_at      timestamptz NOT NULL,
    -- The correlation value ('' when the trigger has none or the event lacks it).
    correlation   text        NOT NULL DEFAULT '',
    fire_at       timestamptz NOT NULL,
    state         text        NOT NULL CHECK (state IN ('queued', 'skipped')),
    reason        text,
    message_id    uuid,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);
-- An exit event finds the pending firings of its customer (and correlation value) here.
CREATE INDEX trigger_firings_pending ON trigger_firings (tenant_id, customer_id, campaign_id, correlation)
    WHERE state = 'queued';
CREATE INDEX trigger_firings_campaign ON trigger_firings (tenant_id, campaign_id, created_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['trigger_entries', 'trigger_firings']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
