-- Campaigns: a definition (audience, template, channels, offers, schedule), its occurrences
-- (one for a one-off campaign, one per cron tick for a recurring one) and one recipient row per
-- customer per occurrence. The recipient's primary key is the "one message per customer per
-- campaign occurrence" guarantee: a resumed, retried, crashed or second scheduler's build
-- inserts with ON CONFLICT DO NOTHING and can never plan a customer twice.

CREATE TABLE campaigns (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               uuid        NOT NULL,
    name             text        NOT NULL,
    -- The campaign as the API took it: audience, template_id, channels, offers, schedule,
    -- throttle_per_second, holdout_percent, expires_after (CampaignDefinition's JSON form).
    definition       jsonb       NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    state            text        NOT NULL DEFAULT 'draft'
                                 CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
    -- Pinned at launch: what every occurrence renders and targets.
    template_id      uuid,
    template_version integer,
    segment_id       uuid,
    segment_version  integer,
    -- The checked audience rule (RuleExpression's JSON form) pinned at launch.
    audience_rule    jsonb,
    launched_at      timestamptz,
    -- When the scheduler next opens an occurrence (NULL: none due).
    next_occurrence_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaigns_due ON campaigns (next_occurrence_at) WHERE state IN ('scheduled', 'running') AND deleted_at IS NULL;

-- One build of the audience at one planned instant. The build runs in chunks of customers in
-- id order; `build_cursor` is the last customer id written, so a restarted build resumes there.
CREATE TABLE campaign_occurrences (
    tenant_id     uuid        NOT NULL,
    campaign_id   uuid        NOT NULL,
    occurrence    integer     NOT NULL CHECK (occurrence > 0),
    planned_at    timestamptz NOT NULL,
    state         text        NOT NULL DEFAULT 'building' CHECK (state IN ('building', 'built', 'cancelled')),
    build_cursor  uuid,
    -- A scheduler building this occurrence holds it until then; another takes over after.
    build_lease_until timestamptz,
    built_at      timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, campaign_id, occurrence),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX campaign_occurrences_building ON campaign_occurrences (tenant_id, campaign_id) WHERE state = 'building';

-- One row per customer of an occurrence's audience: what the build decided. A queued
-- recipient has a message; what happened to it next is the message's state.
CREATE TABLE campaign_recipients (
    tenant_id    uuid        NOT NULL,
    campaign_id  uuid        NOT NULL,
    occurrence   integer     NOT NULL,
    customer_id  uuid        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('queued', 'skipped', 'held_out')),
    -- Why a recipient was skipped: unreachable, capped, quiet_hours, …
    reason       text,
    channel_id   uuid,
    message_id   uuid,
    planned_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, campaign_id, occurrence, customer_id),
    FOREIGN KEY (tenant_id, campaign_id, occurrence) REFERENCES campaign_occurrences (tenant_id, campaign_id, occurrence) ON DELETE CASCADE
);
CREATE INDEX campaign_recipients_customer ON campaign_recipients (tenant_id, customer_id);

-- What a campaign message was made from. Its content is rendered by the worker at send time
-- (`rendered_at` NULL until then) with the pinned template version; the worker records the
-- locale, offer and code it used. `expires_at`: an unsent message is dropped after it.
ALTER TABLE messages
    ADD COLUMN campaign_id         uuid,
    ADD COLUMN campaign_occurrence integer,
    ADD COLUMN template_id         uuid,
    ADD COLUMN template_version    integer,
    ADD COLUMN locale              text,
    ADD COLUMN offer_id            uuid,
    ADD COLUMN offer_code          text,
    ADD COLUMN expires_at          timestamptz,
    ADD COLUMN rendered_at         timestamptz;
CREATE INDEX messages_campaign ON messages (tenant_id, campaign_id, campaign_occurrence) WHERE campaign_id IS NOT NULL;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['campaigns', 'campaign_occurrences', 'campaign_recipients']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
