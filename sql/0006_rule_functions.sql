-- Helpers of the rule language's SQL compiler (TuttiStore's RuleSQLCompiler) and the indexes
-- its common shapes use. Each helper reads a value exactly as the in-memory evaluator
-- (TuttiDomain's RuleEvaluator) does, so that the two agree on every input; the comment on
-- each says which Swift function is its twin. None of them raises an error on any input: a
-- stored attribute such as "2023-02-30" must make one test false, not abort a segment count.
-- They are plain SQL (no plpgsql, no exception blocks) so that most inline into the query.

-- A JSON number as a double, or NULL for anything else (RuleValueReading.number). Numbers
-- of a magnitude outside 1e-300 ... 1e300 (other than 0) count as not numbers: double
-- precision could not hold them all and the cast would raise an error.
CREATE FUNCTION rule_number(v jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(v) = 'number'
                 AND (v = '0'::jsonb OR abs(v::numeric) BETWEEN 1e-300 AND 1e300)
           THEN v::double precision END
$$;

-- An exact numeric result (sums, averages, minima and maxima of event properties, computed in
-- numeric so that the order of the rows cannot change the last bit) as a double; beyond ±1e300
-- it is infinite rather than an error.
CREATE FUNCTION rule_float(n numeric) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN n > 1e300 THEN 'Infinity'::double precision
                WHEN n < -1e300 THEN '-Infinity'::double precision
                ELSE n::double precision END
$$;

-- A JSON string's text, or NULL for anything else.
CREATE FUNCTION rule_string(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END
$$;

-- Milliseconds since the epoch of a text in one of the two time forms, or NULL
-- (RuleTime.reading): YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM); a real calendar
-- date in years 0001-9999, hours 00-23, minutes and seconds 00-59, offsets up to ±23:59;
-- upper-case T and Z only; fractions truncated to milliseconds. The regular expression checks
-- the shape and field ranges; the day of the month is checked against the month's length
-- before make_date sees it (nested CASEs, so that even constant folding never evaluates
-- make_date on an invalid date).
CREATE FUNCTION rule_text_time_ms(s text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$'
                 AND left(s, 4) <> '0000'
    THEN CASE WHEN substr(s, 9, 2)::integer <= CASE substr(s, 6, 2)::integer
                        WHEN 2 THEN CASE WHEN (substr(s, 1, 4)::integer % 4 = 0 AND substr(s, 1, 4)::integer % 100 <> 0)
                                              OR substr(s, 1, 4)::integer % 400 = 0 THEN 29 ELSE 28 END
                        WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
                        ELSE 31 END
         THEN (make_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) - date '1970-01-01')::bigint * 86400000
              + CASE WHEN length(s) = 10 THEN 0 ELSE
                    substr(s, 12, 2)::bigint * 3600000 + substr(s, 15, 2)::bigint * 60000 + substr(s, 18, 2)::bigint * 1000
                    + CASE WHEN substr(s, 20, 1) = '.'
                           THEN rpad(left(substr(s, 21, length(s) - 20 - CASE WHEN right(s, 1) = 'Z' THEN 1 ELSE 6 END), 3), 3, '0')::bigint
                           ELSE 0 END
                    - CASE WHEN right(s, 1) = 'Z' THEN 0
                           ELSE (CASE WHEN left(right(s, 6), 1) = '-' THEN -1 ELSE 1 END)
                                * (substr(right(s, 6), 2, 2)::bigint * 3600000 + right(s, 2)::bigint * 60000) END
                END
         END
    END
$$;

-- A JSON value read as a time (milliseconds since the epoch), or NULL: only strings are times.
CREATE FUNCTION rule_time_ms(v jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN rule_text_time_ms(v #>> '{}') END
$$;

-- The instant of a millisecond count, exactly (a bound parameter of type timestamptz would
-- travel through a floating-point Date). Immutable: adding a pure time interval does not depend
-- on the session's time zone.
CREATE FUNCTION rule_instant(ms bigint) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT timestamptz '1970-01-01 00:00:00+00' + (ms / 1000) * interval '1 second' + (ms % 1000) * interval '1 millisecond'
$$;

-- Milliseconds since the epoch of an instant, rounded down (event times carry microseconds).
CREATE FUNCTION rule_epoch_ms(t timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT floor(extract(epoch FROM t) * 1000)::bigint
$$;

-- The UTC calendar date of a millisecond count: the date an anniversary test reads.
CREATE FUNCTION rule_utc_date(ms bigint) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT date '1970-01-01' + ((ms - ((ms % 86400000) + 86400000) % 86400000) / 86400000)::integer
$$;

-- The time zone names a customer's `time_zone` attribute may use: the tz database names this
-- server knows at migration time, without the posix/ and right/ copies and without the names
-- PostgreSQL would read as fixed-offset abbreviations first (CET, EST, ...; the Swift side
-- excludes the same ten: RuleTimeZones.abbreviationNames). Anything else means UTC. Written into
-- the function as a constant array, which PostgreSQL searches by hash.
DO $$
DECLARE
    names text[];
BEGIN
    SELECT array_agg(n.name ORDER BY n.name) INTO names
    FROM pg_timezone_names AS n
    WHERE n.name !~ '^(posix|right)/' AND n.name NOT IN ('posixrules', 'localtime', 'Factory')
      AND n.name NOT IN ('CET', 'EET', 'MET', 'WET', 'EST', 'MST', 'HST', 'GMT', 'UTC', 'UCT')
      AND NOT EXISTS (SELECT FROM pg_timezone_abbrevs AS a WHERE a.abbrev = n.name);
    EXECUTE format($f$
        CREATE FUNCTION rule_time_zone(v jsonb) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $b$SELECT CASE WHEN jsonb_typeof(v) = 'string' AND (v #>> '{}') = ANY (%L::text[]) THEN v #>> '{}' ELSE 'UTC' END$b$
    $f$, names);
END $$;

-- The date on a customer's local calendar at an instant (RuleCalendar.localDay).
CREATE FUNCTION rule_local_date(zone text, ms bigint) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT timezone(zone, rule_instant(ms))::date
$$;

-- The anniversary in `year` of the UTC date of `ms`: same month and day, a 29 February one on
-- 28 February in common years (RuleCalendar.anniversary).
CREATE FUNCTION rule_anniversary_in(ms bigint, year integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT make_date(year, extract(month FROM rule_utc_date(ms))::integer,
                     CASE WHEN extract(month FROM rule_utc_date(ms)) = 2 AND extract(day FROM rule_utc_date(ms)) = 29
                               AND NOT ((year % 4 = 0 AND year % 100 <> 0) OR year % 400 = 0)
                          THEN 28 ELSE extract(day FROM rule_utc_date(ms))::integer END)
$$;

-- Whether the anniversary of the UTC date of `ms` falls on `day`.
CREATE FUNCTION rule_anniversary_on(ms bigint, day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT rule_anniversary_in(ms, extract(year FROM day)::integer) = day
$$;

-- Days from `day` to the next anniversary of the UTC date of `ms` on or after it, 0-365.
CREATE FUNCTION rule_anniversary_days_until(ms bigint, day date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN rule_anniversary_in(ms, extract(year FROM day)::integer) >= day
                THEN rule_anniversary_in(ms, extract(year FROM day)::integer) - day
                ELSE rule_anniversary_in(ms, extract(year FROM day)::integer + 1) - day END
$$;

-- The live customers of the transaction's tenant (SET LOCAL tutti.tenant_id), read with the
-- owner's rights. Row-level security lets the planner use only leakproof operators as index
-- conditions, and no jsonb operator is leakproof: through the policy, `attributes @> …` could
-- never use customers_attributes and every attribute rule would scan the tenant. This view
-- applies the same tenant filter as the policy itself, so the rule compiler's queries see
-- exactly what the policy would show, and their containment tests reach the GIN index. It is
-- deliberately not a security_barrier view (that would bring the same restriction back); the
-- compiler only applies the sql/0006 helpers to its rows, and none of them can raise an error
-- or leak a value. The check option keeps writes through it (the application role is granted
-- them on every table) inside the tenant, as the policy's WITH CHECK does.
CREATE VIEW rule_customers AS
SELECT tenant_id, id, attributes
FROM customers
WHERE tenant_id = nullif(current_setting('tutti.tenant_id', true), '')::uuid AND merged_into IS NULL
WITH LOCAL CHECK OPTION;

-- The attribute equality shape (`attributes.country = "DE"`) compiles to containment on the
-- live customers' attributes, which this index answers. jsonb_path_ops: smaller and faster for
-- @>, the only operator the compiler asks it. Across tenants: on Citus each shard holds few.
CREATE INDEX customers_attributes ON customers USING gin (attributes jsonb_path_ops) WHERE merged_into IS NULL;

-- Event aggregates read events by tenant, name and time; with customer_id in the index a count
-- per customer over a window is an index-only scan. Replaces 0002's index of the same key.
DROP INDEX events_by_name;
CREATE INDEX events_by_name ON events (tenant_id, name, occurred_at) INCLUDE (customer_id);
