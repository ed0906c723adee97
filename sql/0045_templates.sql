-- Message templates (docs/templates.md): one template per campaign, rendered per channel.
-- Every table follows the isolation rule written at the top of 0001_tenancy.sql.

-- An SMS rendered longer than this many segments is saved and previewed with a warning
-- (never refused): long texts are billed per segment. 1–255, as a concatenated SMS's
-- reference header counts its parts in one octet.
ALTER TABLE tenants ADD COLUMN sms_segment_limit integer NOT NULL DEFAULT 3
    CHECK (sms_segment_limit BETWEEN 1 AND 255);

-- A template is a name and its current version. Deleting a template only sets deleted_at: its
-- versions stay loadable by (id, version), because campaigns pin the version they launched
-- with and render it at send time, possibly long after the template was deleted.
CREATE TABLE templates (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid        NOT NULL,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    current_version integer     NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Every saved change of a template, immutable once written. `definition` is the template in
-- its API form ({"name", "parts", "conditions", "locales", "default_locale"}), as checked
-- when it was saved; the worker reads one row by its primary key and compiles it once.
CREATE TABLE template_versions (
    tenant_id   uuid        NOT NULL,
    template_id uuid        NOT NULL,
    version     integer     NOT NULL CHECK (version >= 1),
    definition  jsonb       NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, template_id, version),
    FOREIGN KEY (tenant_id, template_id) REFERENCES templates (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['templates', 'template_versions']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
