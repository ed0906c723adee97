-- Real-time decisions (next best offer): placements (where a decision is shown), the decisions
-- made (recorded after the answer, in batches, by the API's impression recorder), the
-- customers' responses to them, and each tenant's decline suppression setting. docs/decisions.md
-- describes how they are used.

-- A place on a channel where offers are shown (`home_hero` on web): which offers may appear
-- there (NULL: every live offer), how many at most, and the offer shown when none is eligible.
CREATE TABLE placements (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                uuid        NOT NULL,
    name              text        NOT NULL,
    channel           text        NOT NULL,
    offer_ids         uuid[],
    max_offers        integer     NOT NULL CHECK (max_offers BETWEEN 1 AND 100),
    fallback_offer_id uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- Names are unique per tenant among live placements, without regard to case.
CREATE UNIQUE INDEX placements_name ON placements (tenant_id, lower(name)) WHERE deleted_at IS NULL;

-- One row per decision answered: who asked (a customer, or an anonymous id without a profile),
-- where, and what was shown, in rank order ([{"offer_id", "code", "score"}]). Written by the
-- impression recorder shortly after the answer; responses name it.
CREATE TABLE decisions (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    customer_id  uuid,
    anonymous_id text,
    placement_id uuid        NOT NULL,
    channel      text        NOT NULL,
    shown        jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(shown) = 'array'),
    decided_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX decisions_customer ON decisions (tenant_id, customer_id, decided_at) WHERE customer_id IS NOT NULL;

-- A customer's response to one offer of one decision; one of each kind per (decision, offer),
-- so a retried request counts once.
CREATE TABLE decision_responses (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    decision_id  uuid        NOT NULL,
    offer_id     uuid        NOT NULL,
    response     text        NOT NULL CHECK (response IN ('accepted', 'declined', 'clicked')),
    customer_id  uuid,
    responded_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, decision_id, offer_id, response),
    FOREIGN KEY (tenant_id, decision_id) REFERENCES decisions (tenant_id, id) ON DELETE CASCADE
);
-- What decline suppression counts on the decision path: a customer's recent declines.
CREATE INDEX decision_responses_declines ON decision_responses (tenant_id, customer_id, responded_at)
    WHERE response = 'declined' AND customer_id IS NOT NULL;

-- Decline suppression: an offer a customer declined `decline_limit` times within the last
-- `decline_suppression_days` days is not offered to them again until the oldest of those
-- declines is that old. A tenant without a row uses the defaults (3 within 30 days).
CREATE TABLE decision_settings (
    tenant_id                uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    decline_limit            integer     NOT NULL DEFAULT 3 CHECK (decline_limit BETWEEN 1 AND 1000),
    decline_suppression_days integer     NOT NULL DEFAULT 30 CHECK (decline_suppression_days BETWEEN 1 AND 3650),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['placements', 'decisions', 'decision_responses', 'decision_settings']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
