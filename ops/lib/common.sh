# shellcheck shell=bash
# ops/lib/common.sh: shared helpers for ops/up, ops/down and ops/test.
#
# Source it from a script that runs with `set -euo pipefail`. It defines
# functions and a few variables only; it never changes shell options.
#
# Sections:
#   messages        say / note / warn / die
#   packages        ensure_packages, ensure_swift
#   ports           port_is_free, pick_port
#   processes       pid_alive, stop_pids
#   postgres        pg_cluster_init / _start / _stop / _running, pg_psql,
#                   pg_setup_tutti, pg_url, pg_secret
#   http            wait_http_ok
#   misc            random_hex, repo_root
#
# A "cluster folder" (for example .tutti/pg) holds everything of one private
# PostgreSQL cluster:
#   data/          the data directory (PGDATA), owned by the PostgreSQL run user
#   port           the TCP port, chosen once (re-chosen only if it got taken)
#   profile        "dev" or "test" (server settings, see _pg_write_conf)
#   secrets        0600, KEY=value: PG_SUPERUSER_PASSWORD, TUTTI_OWNER_PASSWORD,
#                  TUTTI_APP_PASSWORD; generated once
#   postgres.log   server log
#   initdb.log     output of initdb
#   .s.PGSQL.PORT  the unix socket (unix_socket_directories = the folder)

# ---------------------------------------------------------------- messages

say()  { printf '==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# repo_root: absolute path of the repository (the folder holding ops/).
repo_root() {
    (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
}

# random_hex [BYTES]: lowercase hex string from /dev/urandom (default 24 bytes).
random_hex() {
    local bytes=${1:-24}
    od -An -v -tx1 -N "$bytes" /dev/urandom | tr -d ' \n'
}

# as_root CMD...: run CMD as root (directly when root, else through sudo).
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (run as root or install sudo)"
    fi
}

# ---------------------------------------------------------------- packages

# pg_bindir: print the folder holding initdb/pg_ctl/postgres/psql.
# Order: $TUTTI_PG_BINDIR, highest /usr/lib/postgresql/*/bin, initdb on PATH,
# pg_config --bindir. Returns 1 when none is found.
pg_bindir() {
    local d
    if [[ -n ${TUTTI_PG_BINDIR:-} ]]; then
        [[ -x $TUTTI_PG_BINDIR/initdb && -x $TUTTI_PG_BINDIR/pg_ctl ]] || return 1
        printf '%s\n' "$TUTTI_PG_BINDIR"
        return 0
    fi
    local found=""
    while IFS= read -r d; do
        [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && found=$d
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V)
    if [[ -z $found ]] && command -v initdb >/dev/null 2>&1; then
        d=$(dirname "$(command -v initdb)")
        [[ -x $d/pg_ctl && -x $d/postgres ]] && found=$d
    fi
    if [[ -z $found ]] && command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]] && found=$d
    fi
    [[ -n $found ]] || return 1
    printf '%s\n' "$found"
}

# _missing_packages: print one line per missing prerequisite.
_missing_packages() {
    pg_bindir >/dev/null || echo "PostgreSQL server binaries (initdb, pg_ctl)"
    if ! command -v pg_config >/dev/null 2>&1 && [[ ! -f /usr/include/postgresql/libpq-fe.h ]]; then
        echo "libpq headers (pg_config / libpq-fe.h)"
    fi
    command -v curl-config >/dev/null 2>&1 || echo "libcurl headers (curl-config)"
    [[ -f /usr/include/jemalloc/jemalloc.h ]] || echo "jemalloc (the worker's allocator)"
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "python3 with venv"
    fi
    command -v curl >/dev/null 2>&1 || echo "curl"
}

TUTTI_APT_PACKAGES=(postgresql libpq-dev libcurl4-openssl-dev libjemalloc-dev libssl-dev python3 python3-venv curl ca-certificates)

# ensure_packages: install missing system packages with apt-get (Debian/Ubuntu),
# or say what to install and exit 1 elsewhere.
ensure_packages() {
    local missing
    missing=$(_missing_packages)
    [[ -z $missing ]] && return 0
    local what
    what=$(printf '%s' "$missing" | paste -sd, - | sed 's/,/, /g')
    if ! command -v apt-get >/dev/null 2>&1; then
        printf 'error: missing: %s\n' "$what" >&2
        printf '       install PostgreSQL 15 (server + client), the libpq, libcurl (OpenSSL) and jemalloc\n' >&2
        printf '       development headers, OpenSSL headers, python3 with venv, and curl, then re-run.\n' >&2
        exit 1
    fi
    say "Installing system packages (missing: $what): apt-get install -y ${TUTTI_APT_PACKAGES[*]}"
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/tutti-apt.XXXXXX")
    if [[ -z ${TUTTI_APT_UPDATED:-} ]]; then
        note "apt-get update"
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
            tail -n 30 "$log" >&2
            die "apt-get update failed (full output: $log)"
        fi
        TUTTI_APT_UPDATED=1
    fi
    note "apt-get install (output: $log)"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${TUTTI_APT_PACKAGES[@]}" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "apt-get install failed (full output: $log)"
    fi
    rm -f "$log"
    missing=$(_missing_packages)
    [[ -z $missing ]] || die "still missing after apt-get install: $(printf '%s' "$missing" | paste -sd, -)"
}

# ensure_swift: make sure `swift` is on PATH (also tries /opt/swift/usr/bin).
ensure_swift() {
    command -v swift >/dev/null 2>&1 && return 0
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        PATH=/opt/swift/usr/bin:$PATH
        export PATH
        say "Using Swift from /opt/swift/usr/bin (added to PATH)"
        return 0
    fi
    printf 'error: swift not found on PATH nor at /opt/swift/usr/bin/swift.\n' >&2
    printf '       Install a Swift 6.1+ toolchain for Linux (https://www.swift.org/install/,\n' >&2
    printf '       e.g. with swiftly, or unpack the tarball to /opt/swift) and put its usr/bin on PATH.\n' >&2
    exit 1
}

# ---------------------------------------------------------------- ports

# pick_port EXCLUDE CANDIDATE...: print the first CANDIDATE that can be bound
# on 127.0.0.1, else a random free port in 20000-32000 (below Linux's
# ephemeral range). EXCLUDE is a comma-separated list of ports never chosen.
# Empty candidates are skipped.
pick_port() {
    python3 - "$@" <<'PY'
import random, socket, sys
exclude = {int(p) for p in sys.argv[1].split(",") if p.strip().isdigit()}
def free(port):
    if port in exclude or not 0 < port < 65536:
        return False
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()
for c in sys.argv[2:]:
    if c.strip().isdigit() and free(int(c)):
        print(int(c)); sys.exit(0)
rng = random.SystemRandom()
for _ in range(1000):
    p = rng.randint(20000, 32000)
    if free(p):
        print(p); sys.exit(0)
sys.exit("no free TCP port found on 127.0.0.1")
PY
}

# port_is_free PORT: true when PORT can be bound on 127.0.0.1.
port_is_free() {
    [[ $(pick_port "" "$1" 2>/dev/null) == "$1" ]]
}

# ---------------------------------------------------------------- processes

# pid_alive PID: true when PID exists and is not a zombie.
pid_alive() {
    local pid=$1 stat
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r /proc/$pid/stat ]]; then
        stat=$(<"/proc/$pid/stat") || return 1
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]] || return 1
    fi
    return 0
}

# pid_args PID: the command line of PID, arguments separated by spaces.
pid_args() {
    if [[ -r /proc/$1/cmdline ]]; then
        tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
    else
        ps -o args= -p "$1" 2>/dev/null || true
    fi
}

# is_ops_up PID: PID is a live `ops/up` script.
is_ops_up() {
    pid_alive "$1" && [[ " $(pid_args "$1")" =~ [\ /]up(\ |$) ]]
}

# stop_pids GRACE_SECONDS PID...: SIGTERM every live PID, wait up to
# GRACE_SECONDS for all to exit, then SIGKILL what is left.
stop_pids() {
    local grace=$1 pid
    shift
    local live=()
    for pid in "$@"; do
        if pid_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            live+=("$pid")
        fi
    done
    ((${#live[@]})) || return 0
    local deadline=$((SECONDS + grace))
    while ((SECONDS < deadline)); do
        local still=()
        for pid in "${live[@]}"; do
            pid_alive "$pid" && still+=("$pid")
        done
        ((${#still[@]})) || return 0
        live=("${still[@]}")
        sleep 0.2
    done
    for pid in "${live[@]}"; do
        if pid_alive "$pid"; then
            warn "pid $pid did not exit within ${grace}s after SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    sleep 0.2
}

# ---------------------------------------------------------------- postgres

TUTTI_PG_SYSTEM_USER=${TUTTI_PG_SYSTEM_USER:-tutti-pg}

# _pg_run_user DIR: print the user that runs this cluster's PostgreSQL
# binaries, or nothing when that is the current user. PostgreSQL refuses to
# run as root, so root uses the owner of an existing data directory (when not
# root) or the system user $TUTTI_PG_SYSTEM_USER.
_pg_run_user() {
    local dir=$1 owner
    [[ $(id -u) -eq 0 ]] || return 0
    if [[ -d $dir/data ]]; then
        owner=$(stat -c %U "$dir/data" 2>/dev/null || true)
        if [[ -n $owner && $owner != root && $owner != UNKNOWN ]]; then
            printf '%s\n' "$owner"
            return 0
        fi
    fi
    printf '%s\n' "$TUTTI_PG_SYSTEM_USER"
}

# _pg_as RUNUSER CMD...: run CMD as RUNUSER (or as is when RUNUSER is empty),
# from a folder that user can enter.
_pg_as() {
    local user=$1
    shift
    if [[ -z $user ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        (cd / && runuser -u "$user" -- "$@")
    elif command -v setpriv >/dev/null 2>&1; then
        local uid gid
        uid=$(id -u "$user") gid=$(id -g "$user")
        (cd / && env HOME=/ USER="$user" LOGNAME="$user" \
            setpriv --reuid "$uid" --regid "$gid" --init-groups -- "$@")
    else
        die "need runuser or setpriv to run PostgreSQL as $user"
    fi
}

# _pg_ensure_system_user: create $TUTTI_PG_SYSTEM_USER if missing (root only).
_pg_ensure_system_user() {
    id -u "$TUTTI_PG_SYSTEM_USER" >/dev/null 2>&1 && return 0
    say "Creating system user $TUTTI_PG_SYSTEM_USER to run PostgreSQL (initdb/postgres refuse to run as root)"
    local nologin=/usr/sbin/nologin
    [[ -x $nologin ]] || nologin=/bin/false
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell "$nologin" --comment "Tutti private PostgreSQL clusters" "$TUTTI_PG_SYSTEM_USER" \
        || die "could not create user $TUTTI_PG_SYSTEM_USER (useradd failed)"
}

# _pg_ensure_reachable USER DIR: make every parent of DIR searchable (o+x)
# by USER, saying so for each folder changed.
_pg_ensure_reachable() {
    local user=$1 dir=$2 d
    local parents=()
    d=$(dirname "$dir")
    while [[ $d != / ]]; do
        parents=("$d" "${parents[@]}")
        d=$(dirname "$d")
    done
    for d in "${parents[@]}"; do
        if ! _pg_as "$user" test -x "$d" 2>/dev/null; then
            say "Making $d traversable (chmod o+x) so user $user can reach $dir"
            chmod o+x "$d" || die "cannot chmod o+x $d; put the cluster folder under a path $user can traverse"
        fi
    done
    _pg_as "$user" test -x "$(dirname "$dir")" \
        || die "user $user still cannot reach $(dirname "$dir"); move the repository or the cluster folder"
}

# _pg_socket_dir DIR: the unix socket folder (the cluster folder itself; a
# short folder under /tmp when the path would exceed the socket path limit).
_pg_socket_dir() {
    local dir=$1
    if ((${#dir} <= 90)); then
        printf '%s\n' "$dir"
    else
        printf '/tmp/tutti-pg-%s\n' "$(printf '%s' "$dir" | cksum | cut -d' ' -f1)"
    fi
}

# pg_secret DIR NAME: print a value from DIR/secrets.
pg_secret() {
    local dir=$1 name=$2
    [[ -r $dir/secrets ]] || die "missing $dir/secrets (run pg_cluster_init first)"
    sed -n "s/^${name}=//p" "$dir/secrets" | head -n 1
}

# pg_port DIR: the cluster's TCP port.
pg_port() {
    cat "$1/port"
}

# pg_url DIR USER PASSWORD DATABASE: a postgres:// URL on 127.0.0.1.
pg_url() {
    printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$2" "$3" "$(pg_port "$1")" "$4"
}

# cpu_ticks PID...: CPU time (user + system, in clock ticks) the given processes have used, for
# the benchmarks' CPU per operation. Processes gone by then count 0.
cpu_ticks() {
    local total=0 pid
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}

# pg_cpu_ticks DIR: cpu_ticks of the cluster in DIR, its postmaster and every child process
# (backends, autovacuum, WAL writer); 0 when it is not running.
pg_cpu_ticks() {
    local main
    main=$(head -1 "$1/data/postmaster.pid" 2>/dev/null || true)
    [[ -n $main ]] || { echo 0; return; }
    # shellcheck disable=SC2046 # one argument per pid
    cpu_ticks "$main" $(pgrep -P "$main")
}

# pg_socket_url DIR USER PASSWORD DATABASE: the same through the cluster's unix socket
# (libpq's form, which tutti's processes read too): cheaper per round trip than loopback TCP.
pg_socket_url() {
    printf 'postgres://%s:%s@/%s?host=%s&port=%s\n' "$2" "$3" "$4" "$(_pg_socket_dir "$1")" "$(pg_port "$1")"
}

# _pg_write_conf DIR: (re)write data/tutti.conf from the folder's port and
# profile. postgresql.conf includes it (see pg_cluster_init).
_pg_write_conf() {
    local dir=$1 user=$2 port profile sockdir conf tmp
    port=$(pg_port "$dir")
    profile=$(cat "$dir/profile" 2>/dev/null || echo dev)
    sockdir=$(_pg_socket_dir "$dir")
    conf=$dir/data/tutti.conf
    tmp=$(mktemp "$dir/data/tutti.conf.XXXXXX")
    {
        echo "# Written by ops/lib/common.sh on every start; edits are overwritten."
        echo "# Put your own settings in postgresql.auto.conf (ALTER SYSTEM) instead."
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = '$sockdir'"
        echo "unix_socket_permissions = 0770"
        if [[ $profile == test ]]; then
            # The test suite runs its suites in parallel, each with pools of its own: 177
            # client connections at once were sampled in one run, too near 200 for comfort,
            # and with the campaign suites 300 ran out once (2026-12-07).
            echo "max_connections = 500"
        else
            echo "max_connections = 200"
        fi
        echo "password_encryption = 'scram-sha-256'"
        echo "timezone = 'UTC'"
        echo "log_timezone = 'UTC'"
        echo "log_line_prefix = '%m [%p] %q%u@%d '"
        echo "logging_collector = off"
        if [[ $profile == test ]]; then
            # Throwaway cluster for ops/test: durability off, it is deleted afterwards.
            echo "shared_buffers = 128MB"
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "log_min_messages = warning"
        else
            echo "shared_buffers = 256MB"
            echo "fsync = on"
            echo "synchronous_commit = on"
            echo "full_page_writes = on"
            # The work queue's ready index collects an entry per claimed job until a vacuum
            # removes it, and every claim steps over them; the default minute between
            # autovacuum rounds let them pile up into milliseconds per claim. One second
            # doubled the lookup's p99: a worker forked per database each second (docs/queue.md).
            echo "autovacuum_naptime = ${TUTTI_PG_AUTOVACUUM_NAPTIME:-10s}"
            echo "log_min_duration_statement = 1000"
            echo "log_connections = off"
        fi
    } >"$tmp"
    chmod 0600 "$tmp"
    if [[ -n $user ]]; then chown "$user:" "$tmp"; fi
    mv -f "$tmp" "$conf"
}

# pg_cluster_init DIR [PROFILE]: create the cluster folder, user, secrets and
# data directory if missing (idempotent). PROFILE is "dev" (default) or
# "test", remembered on creation. Sets PG_CLUSTER_CREATED=1 when initdb ran.
# shellcheck disable=SC2034 # PG_CLUSTER_CREATED is read by the callers
pg_cluster_init() {
    local dir=$1 profile=${2:-dev} bindir user
    PG_CLUSTER_CREATED=0
    bindir=$(pg_bindir) || die "PostgreSQL server binaries not found (run ensure_packages)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    [[ $dir != *\'* && $dir != *' '* ]] || die "cluster folder path must not contain quotes or spaces: $dir"

    if [[ $(id -u) -eq 0 ]]; then
        user=$(_pg_run_user "$dir")
        [[ $user == "$TUTTI_PG_SYSTEM_USER" ]] && _pg_ensure_system_user
        _pg_ensure_reachable "$user" "$dir"
        chown "$user:" "$dir"
    else
        user=""
    fi
    chmod 0700 "$dir"

    [[ -f $dir/profile ]] || echo "$profile" >"$dir/profile"

    if [[ ! -s $dir/secrets ]]; then
        (
            umask 077
            {
                echo "# Passwords of this private cluster (generated once by ops/lib/common.sh)."
                echo "PG_SUPERUSER_PASSWORD=$(random_hex 24)"
                echo "TUTTI_OWNER_PASSWORD=$(random_hex 24)"
                echo "TUTTI_APP_PASSWORD=$(random_hex 24)"
            } >"$dir/secrets"
        )
    fi
    chmod 0600 "$dir/secrets"

    if [[ ! -s $dir/port ]]; then
        pick_port "" >"$dir/port"
    fi

    if [[ ! -f $dir/data/PG_VERSION ]]; then
        if [[ -d $dir/data ]] && [[ -n $(ls -A "$dir/data") ]]; then
            die "$dir/data exists but is not a PostgreSQL data directory; remove it and re-run"
        fi
        say "Creating PostgreSQL cluster in $dir/data (initdb: UTF8, superuser postgres, trust on the socket, scram-sha-256 on 127.0.0.1)"
        if ! _pg_as "$user" "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale \
                --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1; then
            tail -n 20 "$dir/initdb.log" >&2
            die "initdb failed (see $dir/initdb.log)"
        fi
        if [[ -n $user ]]; then chown "$user:" "$dir/initdb.log"; fi
        printf '\n%s\n%s\n' "# Tutti settings (port, socket, memory, durability), rewritten on every start" \
            "include_if_exists = 'tutti.conf'" >>"$dir/data/postgresql.conf"
        PG_CLUSTER_CREATED=1
    fi
}

# pg_cluster_running DIR: true when the cluster's postmaster runs.
pg_cluster_running() {
    local dir=$1 pid
    [[ -f $dir/data/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    pid_alive "$pid"
}

# pg_cluster_start DIR: start the cluster (no-op when running), then make sure
# the superuser password matches DIR/secrets.
pg_cluster_start() {
    local dir bindir user port sockdir
    dir=$(cd "$1" && pwd -P)
    bindir=$(pg_bindir) || die "PostgreSQL server binaries not found"
    user=$(_pg_run_user "$dir")
    if pg_cluster_running "$dir"; then
        say "PostgreSQL already running on 127.0.0.1:$(pg_port "$dir") ($dir)"
    else
        port=$(pg_port "$dir")
        if ! port_is_free "$port"; then
            local new
            new=$(pick_port "")
            warn "port $port (remembered in $dir/port) is taken; using $new instead"
            echo "$new" >"$dir/port"
            port=$new
        fi
        sockdir=$(_pg_socket_dir "$dir")
        if [[ $sockdir != "$dir" ]]; then
            mkdir -p "$sockdir"
            chmod 0700 "$sockdir"
            if [[ -n $user ]]; then chown "$user:" "$sockdir"; fi
        fi
        _pg_write_conf "$dir" "$user"
        say "Starting PostgreSQL on 127.0.0.1:$port (log: $dir/postgres.log)"
        if ! _pg_as "$user" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -s start; then
            tail -n 20 "$dir/postgres.log" >&2 || true
            die "PostgreSQL did not start (see $dir/postgres.log)"
        fi
    fi
    pg_psql "$dir" postgres >/dev/null <<SQL
ALTER ROLE postgres PASSWORD '$(pg_secret "$dir" PG_SUPERUSER_PASSWORD)';
SQL
}

# pg_cluster_stop DIR: fast shutdown (immediate if that hangs); no-op when
# not running or when DIR has no cluster.
pg_cluster_stop() {
    local dir=$1 bindir user pid
    [[ -d $dir/data ]] || return 0
    dir=$(cd "$dir" && pwd -P)
    pg_cluster_running "$dir" || return 0
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    say "Stopping PostgreSQL (pid $pid, $dir)"
    user=$(_pg_run_user "$dir")
    if bindir=$(pg_bindir); then
        if ! _pg_as "$user" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 -s stop; then
            warn "fast shutdown did not finish in 30s; using immediate shutdown"
            _pg_as "$user" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop || true
        fi
    else
        kill -INT "$pid" 2>/dev/null || true # SIGINT = fast shutdown
    fi
    stop_pids 15 "$pid" # no-op when already gone
    if pid_alive "$pid"; then
        die "PostgreSQL (pid $pid) is still running"
    fi
}

# pg_psql DIR DATABASE [PSQL ARGS...]: psql as superuser postgres over the
# cluster's unix socket (trust), ON_ERROR_STOP on, no ~/.psqlrc. Reads SQL
# from stdin unless -c/-f is given.
pg_psql() {
    local dir=$1 db=$2 bindir psql
    shift 2
    bindir=$(pg_bindir) || die "PostgreSQL binaries not found"
    psql=$bindir/psql
    [[ -x $psql ]] || psql=psql
    PGCONNECT_TIMEOUT=10 "$psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$(_pg_socket_dir "$dir")" -p "$(pg_port "$dir")" -U postgres -d "$db" "$@"
}

# pg_setup_tutti DIR: create (or bring up to date) roles tutti_owner and
# tutti_app and database tutti owned by tutti_owner. Idempotent.
pg_setup_tutti() {
    local dir=$1 owner_pw app_pw
    owner_pw=$(pg_secret "$dir" TUTTI_OWNER_PASSWORD)
    app_pw=$(pg_secret "$dir" TUTTI_APP_PASSWORD)
    say "Ensuring roles tutti_owner, tutti_app and database tutti"
    # Passwords are hex (no quoting issues) and travel on stdin, not argv.
    pg_psql "$dir" postgres >/dev/null <<SQL
SELECT 'CREATE ROLE tutti_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutti_owner') \gexec
SELECT 'CREATE ROLE tutti_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutti_app') \gexec
ALTER ROLE tutti_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '$owner_pw';
ALTER ROLE tutti_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD '$app_pw';
SELECT format('REVOKE %I FROM tutti_app', r.rolname)
  FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
 WHERE m.member = 'tutti_app'::regrole \gexec
SELECT 'CREATE DATABASE tutti OWNER tutti_owner ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tutti') \gexec
ALTER DATABASE tutti OWNER TO tutti_owner;
REVOKE ALL ON DATABASE tutti FROM PUBLIC;
GRANT CONNECT ON DATABASE tutti TO tutti_app;
\connect tutti
ALTER SCHEMA public OWNER TO tutti_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
}

# pg_system_id DIR: the cluster's system identifier (changes when the cluster
# is re-created; used to notice stale demo keys).
pg_system_id() {
    pg_psql "$1" postgres -At -c 'SELECT system_identifier FROM pg_control_system()'
}

# ---------------------------------------------------------------- http

# wait_http_ok URL TIMEOUT_SECONDS [PID]: poll URL until it answers 200.
# Returns 0 when it does, 1 on timeout, 2 when PID (if given) has exited.
wait_http_ok() {
    local url=$1 timeout=$2 pid=${3:-} code
    local deadline=$((SECONDS + timeout))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 1 --max-time 2 "$url" 2>/dev/null || true)
        [[ $code == 200 ]] && return 0
        if [[ -n $pid ]] && ! pid_alive "$pid"; then
            return 2
        fi
        ((SECONDS < deadline)) || return 1
        sleep 0.3
    done
}

# nginx_stand_in DIR PORT [FORMAT]: start nginx from Debian's packages (installed when missing)
# on 127.0.0.1:PORT answering every request `202`, as the benchmarks' fast webhook gateway. Its
# files go in DIR (pid in DIR/nginx.pid; access log DIR/nginx/access.log, one line per request
# in nginx's log FORMAT, default '$msec': its timestamp). Stop it with: kill "$(cat DIR/nginx.pid)".
nginx_stand_in() {
    local dir=$1 port=$2 format=${3:-'$msec'} nginx
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || as_root apt-get install -y nginx-light
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    mkdir -p "$dir/nginx"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 4096; }
http {
    client_body_temp_path $dir/nginx;
    proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx; uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
    log_format bench '$format';
    access_log $dir/nginx/access.log bench buffer=256k flush=1s;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$port; location / { return 202; } }
}
CONF
    "$nginx" -c "$dir/nginx.conf" -e "$dir/nginx/error.log"
}
