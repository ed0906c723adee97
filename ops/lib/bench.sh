# shellcheck shell=bash
# ops/lib/bench.sh: helpers the delivery benchmarks share (ops/bench-campaign; ops/bench-deliveries
# does the same inline). Source it after ops/lib/common.sh, from a script that runs with
# `set -euo pipefail`. It defines functions only.

# bench_webhook_tenant TUTTI API_PORT NAME URL [RATE_JSON]: a tenant made with `tutti tenant
# create` and a webhook channel to URL made over the API (rate limit RATE_JSON, default null).
# Prints "KEY CHANNEL_ID": the tenant's admin key and its channel.
bench_webhook_tenant() {
    local tutti=$1 api_port=$2 name=$3 url=$4 rate=${5:-null} key channel
    key=$("$tutti" tenant create --name "$name" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"]["key"])') \
        || die "tutti tenant create failed"
    channel=$(curl -fsS -X POST "http://127.0.0.1:$api_port/v1/channels" -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' \
        -d "{\"type\":\"webhook\",\"name\":\"bench\",\"rate_limit_per_second\":$rate,\"config\":{\"url\":\"$url\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "creating the webhook channel failed"
    echo "$key $channel"
}

# bench_enqueue_plain PGDIR TENANT CHANNEL COUNT: COUNT plain webhook messages of one customer
# and their delivery jobs, set-based in one transaction, as POST /v1/messages would write them
# and as ops/bench-deliveries enqueues them (a temporary table and one INSERT per table: Citus
# runs a data-modifying CTE only when the whole statement goes to one shard). Then VACUUM
# ANALYZE of both tables, so the claim plans on fresh statistics.
bench_enqueue_plain() {
    local pgdir=$1 tenant=$2 channel=$3 count=$4 customer
    customer=$(cat /proc/sys/kernel/random/uuid)
    pg_psql "$pgdir" tutti -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
INSERT INTO customers (tenant_id, id) VALUES ('$tenant', '$customer');
CREATE TEMP TABLE bench_m ON COMMIT DROP AS
    SELECT gen_random_uuid() AS id, g AS n, nextval(pg_get_serial_sequence('queue_jobs', 'id')) AS job_id
    FROM generate_series(1, $count) g;
INSERT INTO queue_jobs (tenant_id, id, queue, state, payload)
SELECT '$tenant', job_id, 'delivery', 'ready', jsonb_build_object('message_id', id) FROM bench_m;
INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, content, job_id)
SELECT '$tenant', m.id, '$customer', '$channel', 'webhook', jsonb_build_object('subject', 'Hello', 'text', 'Message ' || m.n), m.job_id
FROM bench_m m;
COMMIT;
SQL
    pg_psql "$pgdir" tutti -q -c 'VACUUM ANALYZE queue_jobs' -c 'VACUUM ANALYZE messages'
}

# bench_worker_completed PORT...: the deliveries the workers on these metrics ports recorded so
# far, from their own counters (tutti_queue_completed_total of the delivery queue, GET /metrics);
# a worker that does not answer counts 0.
bench_worker_completed() {
    local port total=0 n
    for port in "$@"; do
        n=$(curl -fs "http://127.0.0.1:$port/metrics" 2>/dev/null \
            | awk '/^tutti_queue_completed_total\{.*queue="delivery"/ {s += $NF} END {printf "%d", s}') || n=0
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# bench_delivery_work_left PGDIR: true while the queue holds delivery work (ready, leased or
# scheduled): two partial-index probes, not a count, which would cost a busy cluster more than
# the worker's own statements.
bench_delivery_work_left() {
    [[ $(pg_psql "$1" tutti -At -c "SELECT (EXISTS (SELECT 1 FROM queue_jobs WHERE state = 'ready' AND queue = 'delivery')
        OR EXISTS (SELECT 1 FROM queue_jobs WHERE state IN ('leased', 'scheduled')))::int") != 0 ]]
}
