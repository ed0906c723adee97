-- event_message_ids is the hottest insert of ingestion (one row per event) and its foreign key
-- to tenants was checked row by row, taking a share lock on the tenant's row for every event:
-- about a sixth of a 100-event batch insert under load. The table is only a deduplication
-- index; its rows are meaningless without the tenant and are never joined to it, so the key is
-- dropped. Its primary key still begins with tenant_id and row-level security still applies.
ALTER TABLE event_message_ids DROP CONSTRAINT event_message_ids_tenant_id_fkey;
