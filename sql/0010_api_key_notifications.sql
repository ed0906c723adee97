-- API processes cache the keys they have seen authenticate (docs/tenancy.md, "Caching
-- authentication") and must hear at once when one stops being valid. Triggers send the news, not
-- the application, so that every way of revoking a key tells them: the API, `tutti key revoke`,
-- SQL typed by hand, and the cascade when a tenant is deleted.
--
-- NOTIFY is transactional: it is delivered when the revoking transaction commits, never before
-- and never for one that rolls back. Payloads: 'key <prefix>' (not secret) or 'tenant <id>'.

CREATE FUNCTION api_keys_notify() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('tutti_api_keys', 'tenant ' || OLD.id::text);
    ELSE
        PERFORM pg_notify('tutti_api_keys', 'key ' || OLD.prefix);
    END IF;
    RETURN NULL;
END
$$;

-- Only changes that matter to authentication: last_used_at is refreshed every minute and
-- renames happen, neither of which may flush caches.
CREATE TRIGGER api_keys_notify_change AFTER UPDATE ON api_keys
    FOR EACH ROW
    WHEN ((OLD.revoked_at, OLD.role, OLD.secret_hash, OLD.prefix, OLD.tenant_id)
          IS DISTINCT FROM (NEW.revoked_at, NEW.role, NEW.secret_hash, NEW.prefix, NEW.tenant_id))
    EXECUTE FUNCTION api_keys_notify();

CREATE TRIGGER api_keys_notify_delete AFTER DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_keys_notify();

-- A tenant's keys also go with it by cascade (and notify one by one); this one message lets a
-- cache drop the whole tenant at once. Disabling a tenant, when it exists, must notify the same.
CREATE TRIGGER tenants_notify_delete AFTER DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION api_keys_notify();
