-- Gateway receipts (issue 20; docs/closed-loop.md "Receipts"): what a gateway reports about a
-- message after accepting it (delivered, bounced, opened, …), and inbound SMS, recorded once
-- each and applied to the message, the timeline, consent and suppression in one statement
-- (TuttiStore ReceiptRecordStatement).
-- Every table follows the isolation rule written at the top of 0001_tenancy.sql.

-- The text a HELP or INFO SMS is answered with; NULL: the default built from the tenant's name.
ALTER TABLE tenants ADD COLUMN sms_help_text text CHECK (length(sms_help_text) BETWEEN 1 AND 1600);

-- A message's delivery as the gateway last reported it (sent, deferred, delivered, undelivered,
-- failed, bounced, blocked, dropped) and the time the gateway gave for it. A later report only
-- replaces an earlier one of the same or a lower rank (docs/closed-loop.md), so a "delivered"
-- that arrives after the asynchronous bounce does not hide the bounce.
ALTER TABLE messages
    ADD COLUMN delivery_status    text,
    ADD COLUMN delivery_status_at timestamptz;

-- Receipts name our message by the gateway's id for it (Twilio's MessageSid, SES's message id).
CREATE INDEX messages_provider_message_id ON messages (tenant_id, provider_message_id)
    WHERE provider_message_id IS NOT NULL;

-- Gateway callbacks arrive without an API key: the channel id in their URL finds the tenant
-- (callback_channel below), so channels are looked up by id alone there.
CREATE INDEX channels_id ON channels (id);

-- Append-only: one row per receipt a gateway sent, whatever it changed.
CREATE TABLE message_receipts (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Also the id of the event and of the consent ledger entry the receipt wrote.
    id             uuid        NOT NULL,
    -- The gateway's identity of this report, which makes a replay a no-op:
    -- sendgrid:{sg_event_id}, twilio:{MessageSid}:{MessageStatus}, twilio-inbound:{MessageSid}, …
    dedup_key      text        NOT NULL CHECK (length(dedup_key) BETWEEN 1 AND 512),
    channel_id     uuid        NOT NULL,
    gateway        text        NOT NULL CHECK (length(gateway) BETWEEN 1 AND 32),
    kind           text        NOT NULL CHECK (kind IN ('sent', 'deferred', 'delivered', 'undelivered', 'failed', 'bounced',
                                                        'blocked', 'dropped', 'opened', 'clicked', 'complained',
                                                        'unsubscribed', 'resubscribed', 'help', 'inbound')),
    -- The status or event name exactly as the gateway sent it.
    gateway_status text        NOT NULL,
    -- Our message, when the receipt names one we sent; NULL for inbound SMS and for reports
    -- about messages we cannot find (they still suppress the address they name).
    message_id     uuid,
    customer_id    uuid,
    occurred_at    timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    -- What else the gateway said (bounce reason, clicked URL, inbound body, …).
    detail         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX message_receipts_dedup ON message_receipts (tenant_id, dedup_key);
CREATE INDEX message_receipts_message ON message_receipts (tenant_id, message_id, occurred_at) WHERE message_id IS NOT NULL;
CREATE INDEX message_receipts_customer ON message_receipts (tenant_id, customer_id) WHERE customer_id IS NOT NULL;

ALTER TABLE message_receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_receipts
    USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid);

-- The one narrow door through row-level security for gateway callbacks (like
-- api_key_authenticate, 0001/0030): the tenant and type of a live channel, by its id alone.
-- It tells nothing else; everything after it runs in that tenant's session. PL/pgSQL, not
-- LANGUAGE sql, for Citus (see 0030).
CREATE FUNCTION callback_channel(p_channel_id uuid)
RETURNS TABLE (tenant_id uuid, type text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    RETURN QUERY
        SELECT c.tenant_id, c.type FROM public.channels AS c
        WHERE c.id = p_channel_id AND c.deleted_at IS NULL
        LIMIT 2;
END
$$;

REVOKE ALL ON FUNCTION callback_channel(uuid) FROM PUBLIC;
