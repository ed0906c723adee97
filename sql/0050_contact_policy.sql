-- The contact policy (docs/contact-policy.md): per tenant, caps on how many messages one
-- customer may receive in a rolling window and quiet hours in the customer's own time zone,
-- checked when a delivery is claimed (and by the audience build of campaigns). Every table
-- follows the isolation rule written at the top of 0001_tenancy.sql.

-- A tenant's default time zone (IANA name): quiet hours and local-time sends use it for a
-- customer whose attributes.time_zone is missing or not a zone PostgreSQL knows.
ALTER TABLE tenants ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

-- Whether `name` is an IANA zone this server knows, as one IMMUTABLE expression that the
-- audience build can run over millions of customers: the names are read once, here, from
-- pg_timezone_names (which reads the zone files on every call, milliseconds each) into a
-- constant array that PostgreSQL hashes. Zone aliases of the POSIX and "right/" trees and
-- the "localtime"/"posixrules"/"Factory" entries are left out; a zone added to the operating
-- system after this migration is not known until the function is made again.
DO $$
BEGIN
    EXECUTE format(
        'CREATE FUNCTION tutti_known_time_zone(name text) RETURNS boolean
         LANGUAGE sql IMMUTABLE PARALLEL SAFE
         AS %L',
        format('SELECT $1 = ANY (%L::text[])',
               (SELECT array_agg(z.name ORDER BY z.name) FROM pg_timezone_names AS z
                WHERE z.name !~ '^(posix|right)/' AND z.name NOT IN ('localtime', 'posixrules', 'Factory'))));
END $$;

ALTER TABLE tenants ADD CONSTRAINT tenants_time_zone_known CHECK (tutti_known_time_zone(time_zone));

-- "The customer's time zone": attributes.time_zone when it names a known zone, else the
-- tenant's. An inlinable SQL function over its arguments only (no table), so a set-based
-- INSERT … SELECT can call it per row at the cost of an expression.
CREATE FUNCTION tutti_customer_time_zone(attributes jsonb, tenant_zone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN tutti_known_time_zone(attributes ->> 'time_zone') THEN attributes ->> 'time_zone' ELSE tenant_zone END
$$;

-- One policy per tenant. No row means no policy: the delivery claim then costs nothing more
-- (it reads only whether this row exists). `policy` is the document PUT /v1/contact-policy
-- accepted, as the API validated it.
CREATE TABLE contact_policies (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    policy     jsonb       NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

-- The contact ledger: one row per message admitted by the policy, from the moment it was
-- claimed for its gateway. A row counts against the customer's caps while its message has
-- not finally failed (the count joins messages and leaves `dead` ones out, so a failure voids
-- its row without a write on the failure path). Transactional messages never get a row.
CREATE TABLE contact_ledger (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id  uuid        NOT NULL,
    message_id   uuid        NOT NULL,
    -- The message's channel type (webhook, smtp, twilio, …): what a cap's channels match.
    channel_type text        NOT NULL,
    counted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_id),
    -- A customer's erasure removes their messages, and so their ledger rows.
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
);
-- A customer's recent contacts, newest first: the claim's check and the audience build's
-- per-customer counts read a range of it; channel_type is included so the count needs no
-- heap visit for the channel.
CREATE INDEX contact_ledger_customer ON contact_ledger (tenant_id, customer_id, counted_at DESC) INCLUDE (channel_type);

-- Messages: exempt from the policy when sent as transactional; a terminal `skipped` state
-- with its reason (capped, quiet_hours; campaigns add their own reasons); when quiet hours
-- deferred the message, until when.
ALTER TABLE messages
    ADD COLUMN transactional  boolean NOT NULL DEFAULT false,
    ADD COLUMN skip_reason    text,
    ADD COLUMN deferred_until timestamptz;
ALTER TABLE messages DROP CONSTRAINT messages_state_check;
ALTER TABLE messages ADD CONSTRAINT messages_state_check
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead', 'skipped'));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contact_policies', 'contact_ledger']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
