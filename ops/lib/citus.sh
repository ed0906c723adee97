# shellcheck shell=bash
# ops/lib/citus.sh: Citus helpers for ops/citus (source after ops/lib/common.sh).
#
#   citus_installed     true when the PostgreSQL 15 in use has the citus extension
#   citus_ensure        build and install Citus from ../shared/vendor/citus when missing
#
# Citus is not in Debian's archive. Users with a network get packages from Citus's own
# repository for Debian and Ubuntu (https://packagecloud.io/citusdata/community, package
# postgresql-15-citus-13.2); here the vendored source (citus-13.2.2.tar.gz plus a patch for
# PostgreSQL 15.20's headers) is built into $TUTTI_CITUS_BUILD_DIR (default .build/citus) and
# `make install`ed into the PostgreSQL that pg_config names.

CITUS_VERSION=13.2.2

# citus_pg_config: the pg_config of the PostgreSQL whose binaries the scripts use.
citus_pg_config() {
    local bindir
    bindir=$(pg_bindir) || return 1
    if [[ -x $bindir/pg_config ]]; then
        printf '%s\n' "$bindir/pg_config"
    elif command -v pg_config >/dev/null 2>&1; then
        command -v pg_config
    else
        return 1
    fi
}

# citus_installed: the citus library and extension control file are where the server looks.
citus_installed() {
    local pgc libdir sharedir
    pgc=$(citus_pg_config 2>/dev/null) || return 1
    # Debian's /usr/bin/pg_config is a wrapper that needs postgresql-server-dev for some
    # options; the server's own folders are fixed by the package, so fall back to them.
    libdir=$("$pgc" --pkglibdir 2>/dev/null || true)
    sharedir=$("$pgc" --sharedir 2>/dev/null || true)
    local v
    v=$(basename "$(dirname "$(pg_bindir)")")
    [[ -n $libdir ]] || libdir=/usr/lib/postgresql/$v/lib
    [[ -n $sharedir ]] || sharedir=/usr/share/postgresql/$v
    [[ -f $libdir/citus.so && -f $sharedir/extension/citus.control ]]
}

# citus_vendor_dir: ../shared/vendor/citus beside the repository (TUTTI_CITUS_VENDOR_DIR
# overrides).
citus_vendor_dir() {
    local d=${TUTTI_CITUS_VENDOR_DIR:-$(repo_root)/../shared/vendor/citus}
    [[ -f $d/citus-$CITUS_VERSION.tar.gz ]] || return 1
    (cd "$d" && pwd -P)
}

CITUS_APT_PACKAGES=(postgresql-server-dev-15 build-essential libcurl4-openssl-dev liblz4-dev libssl-dev
    libicu-dev libreadline-dev zlib1g-dev libxslt1-dev)

# _citus_apt LOG ARGS...: apt-get as root, noninteractive, output appended to LOG.
_citus_apt() {
    local log=$1
    shift
    as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$log" 2>&1
}

# citus_ensure: install Citus from the vendored source unless it is installed already.
citus_ensure() {
    if citus_installed; then
        return 0
    fi
    local vendor build log
    vendor=$(citus_vendor_dir) || die "citus is not installed and the vendored source (../shared/vendor/citus/citus-$CITUS_VERSION.tar.gz) is missing; install Citus $CITUS_VERSION for PostgreSQL 15 (Debian/Ubuntu: https://packagecloud.io/citusdata/community, package postgresql-15-citus-13.2)"
    command -v apt-get >/dev/null 2>&1 || die "citus is not installed; building it needs PostgreSQL 15's server headers and a C toolchain (see $vendor/README.md); install them or a Citus package, then re-run"
    build=${TUTTI_CITUS_BUILD_DIR:-$(repo_root)/.build/citus}
    mkdir -p "$build"
    build=$(cd "$build" && pwd -P)
    log=$build/build.log
    : >"$log"
    say "Building Citus $CITUS_VERSION from $vendor (log: $log)"
    if [[ -z ${TUTTI_APT_UPDATED:-} ]]; then
        note "apt-get update"
        _citus_apt "$log" update -q || { tail -n 30 "$log" >&2; die "apt-get update failed (log: $log)"; }
        TUTTI_APT_UPDATED=1
    fi
    note "apt-get install ${CITUS_APT_PACKAGES[*]}"
    _citus_apt "$log" install -y -q --no-install-recommends "${CITUS_APT_PACKAGES[@]}" \
        || { tail -n 30 "$log" >&2; die "apt-get install failed (log: $log)"; }
    # libzstd-dev: only when it matches the installed libzstd1 (a newer one would upgrade
    # libzstd1 under running programs); otherwise Citus's columnar store goes without zstd.
    local configure_args=() zstd
    zstd=$(dpkg-query -W -f='${Version}' libzstd1 2>/dev/null || true)
    if [[ -n $zstd ]] && _citus_apt "$log" install -y -q --no-install-recommends "libzstd-dev=$zstd"; then
        :
    else
        note "libzstd-dev $zstd not available: building without zstd"
        configure_args+=(--without-zstd)
    fi
    # The server headers include gssapi.h (PostgreSQL is built with GSSAPI). libkrb5-dev would
    # upgrade the installed krb5 libraries, so its headers are unpacked into the build folder
    # instead, the version matching libkrb5-3 when the archive still has it.
    local cppflags=""
    if [[ ! -f /usr/include/gssapi/gssapi.h ]]; then
        local krb="$build/krb5" deb
        rm -rf "$krb"
        mkdir -p "$krb"
        (cd "$krb" && apt-get download libkrb5-dev krb5-multidev >>"$log" 2>&1) \
            || { tail -n 30 "$log" >&2; die "apt-get download libkrb5-dev failed (log: $log)"; }
        for deb in "$krb"/*.deb; do dpkg -x "$deb" "$krb/root"; done
        local inc
        inc=$(dirname "$(dirname "$(find "$krb/root" -path '*/gssapi/gssapi.h' | head -n 1)")")
        [[ -d $inc ]] || die "no gssapi/gssapi.h in libkrb5-dev (log: $log)"
        cppflags="-I$inc"
    fi
    local src=$build/citus-$CITUS_VERSION
    rm -rf "$src"
    tar -xzf "$vendor/citus-$CITUS_VERSION.tar.gz" -C "$build"
    [[ -d $src ]] || die "citus-$CITUS_VERSION.tar.gz did not unpack into $src"
    local patch
    for patch in "$vendor"/*.patch; do
        [[ -f $patch ]] || continue
        note "patch $(basename "$patch")"
        patch -p1 -d "$src" <"$patch" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "patch $patch failed"; }
    done
    local pgc
    pgc=$(citus_pg_config) || die "pg_config not found after installing postgresql-server-dev-15"
    note "configure && make -j$(nproc) && make install (about 70-100 s on two cores)"
    (
        cd "$src"
        CPPFLAGS="$cppflags" PG_CONFIG="$pgc" ./configure "${configure_args[@]}" >>"$log" 2>&1 \
            && make -j"$(nproc)" >>"$log" 2>&1 \
            && as_root make install >>"$log" 2>&1
    ) || { tail -n 40 "$log" >&2; die "building Citus failed (log: $log)"; }
    citus_installed || die "make install finished but citus.so / citus.control are not where PostgreSQL looks"
    say "Citus $CITUS_VERSION installed"
}

# ---------------------------------------------------------------- clusters

CITUS_NODES=(coordinator worker1 worker2)

# citus_node_start DIR NODE: create (first time) and start one more worker node NODE under DIR,
# with the coordinator's passwords, and the roles and database DB... as the others have them.
citus_node_start() {
    local dir=$1 node=$2
    if [[ ! -s $dir/$node/secrets ]]; then
        mkdir -p "$dir/$node"
        (umask 077 && cp "$dir/coordinator/secrets" "$dir/$node/secrets")
    fi
    pg_cluster_init "$dir/$node" "$(cat "$dir/coordinator/profile")"
    _citus_write_conf "$dir/$node"
    pg_cluster_start "$dir/$node"
}

# _citus_write_conf NODEDIR: Citus's settings, in data/citus.conf (included from
# postgresql.conf, rewritten on every start like tutti.conf).
_citus_write_conf() {
    local dir=$1 user
    user=$(_pg_run_user "$dir")
    {
        echo "# Written by ops/lib/citus.sh on every start."
        echo "shared_preload_libraries = 'citus'"
        # Citus commits writes that touch several nodes with two-phase commit.
        echo "max_prepared_transactions = 200"
        # The nodes talk over loopback; no certificates to make for that.
        echo "citus.node_conninfo = 'sslmode=prefer'"
        # One machine: fewer connections per node than on separate hosts. The coordinator and
        # the other worker each open up to this many to a node: 2 × 120 stays under a node's
        # max_connections (300). ops/citus test also bounds how many tests run at once.
        echo "citus.max_shared_pool_size = 120"
        echo "citus.shard_count = ${TUTTI_CITUS_SHARD_COUNT:-32}"
        # Shards move between nodes by logical replication (citus_rebalance_start) while
        # reads and writes go on.
        echo "wal_level = logical"
    } >"$dir/data/citus.conf"
    chmod 0600 "$dir/data/citus.conf"
    if [[ -n $user ]]; then chown "$user:" "$dir/data/citus.conf"; fi
    if ! grep -q "include_if_exists = 'citus.conf'" "$dir/data/postgresql.conf"; then
        printf '\n%s\n' "include_if_exists = 'citus.conf'" >>"$dir/data/postgresql.conf"
    fi
}

# citus_clusters_start DIR PROFILE: create (first time) and start a coordinator and two
# workers under DIR/coordinator, DIR/worker1, DIR/worker2, sharing one set of passwords
# (DIR/coordinator/secrets): the nodes connect to each other as the same roles.
citus_clusters_start() {
    local dir=$1 profile=$2 node
    mkdir -p "$dir"
    pg_cluster_init "$dir/coordinator" "$profile"
    for node in "${CITUS_NODES[@]:1}"; do
        if [[ ! -s $dir/$node/secrets ]]; then
            mkdir -p "$dir/$node"
            (umask 077 && cp "$dir/coordinator/secrets" "$dir/$node/secrets")
        fi
        pg_cluster_init "$dir/$node" "$profile"
    done
    for node in "${CITUS_NODES[@]}"; do
        _citus_write_conf "$dir/$node"
        pg_cluster_start "$dir/$node"
    done
}

# citus_clusters_stop DIR: stop the three clusters (no-op for those not running).
citus_clusters_stop() {
    local dir=$1 node
    for node in "${CITUS_NODES[@]}"; do
        pg_cluster_stop "$dir/$node" || warn "could not stop $dir/$node"
    done
}

# citus_enable_database DIR DB ROLE...: the citus extension in DB on every node, the workers
# registered with the coordinator, and the passwords the nodes use to reach each other as
# each ROLE (and postgres) in pg_dist_authinfo. Idempotent.
citus_enable_database() {
    local dir=$1 db=$2 node port
    shift 2
    local roles=(postgres "$@")
    for node in "${CITUS_NODES[@]:1}"; do
        PGOPTIONS='-c client_min_messages=warning' pg_psql "$dir/$node" "$db" -c 'CREATE EXTENSION IF NOT EXISTS citus' >/dev/null
    done
    PGOPTIONS='-c client_min_messages=warning' pg_psql "$dir/coordinator" "$db" -c 'CREATE EXTENSION IF NOT EXISTS citus' >/dev/null
    local pw role sql=""
    for role in "${roles[@]}"; do
        case $role in
            postgres) pw=$(pg_secret "$dir/coordinator" PG_SUPERUSER_PASSWORD) ;;
            tutti_owner) pw=$(pg_secret "$dir/coordinator" TUTTI_OWNER_PASSWORD) ;;
            tutti_app) pw=$(pg_secret "$dir/coordinator" TUTTI_APP_PASSWORD) ;;
            *) die "citus_enable_database: no password known for role $role" ;;
        esac
        # nodeid 0: every node; -1: a node's connections to itself.
        sql+="DELETE FROM pg_dist_authinfo WHERE rolename = '$role';"
        sql+="INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, '$role', 'password=$pw'), (-1, '$role', 'password=$pw');"
    done
    # Every node: the workers connect to each other too (delegated function calls, shard moves),
    # and pg_dist_authinfo is not copied to them by Citus.
    for node in "${CITUS_NODES[@]}"; do
        pg_psql "$dir/$node" "$db" >/dev/null <<<"$sql"
    done
    pg_psql "$dir/coordinator" "$db" >/dev/null \
        -c "SELECT citus_set_coordinator_host('127.0.0.1', $(pg_port "$dir/coordinator"))"
    for node in "${CITUS_NODES[@]:1}"; do
        port=$(pg_port "$dir/$node")
        pg_psql "$dir/coordinator" "$db" >/dev/null -c \
            "SELECT citus_add_node('127.0.0.1', $port) WHERE NOT EXISTS (SELECT FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $port)"
    done
}

# ---------------------------------------------------------------- tutti on the clusters

# citus_tutti_roles DIR: roles tutti_owner and tutti_app and database tutti on every node of
# DIR, Citus enabled in it and the workers registered. Each node's roles are set one by one:
# a worker refuses role DDL that Citus would propagate ("operation is not allowed on this
# node") once it holds Citus's metadata, so propagation is off while they are set.
citus_tutti_roles() {
    local dir=$1 node
    for node in "${CITUS_NODES[@]}"; do
        PGOPTIONS='-c citus.enable_ddl_propagation=off' pg_setup_tutti "$dir/$node"
    done
    citus_enable_database "$dir" tutti tutti_owner tutti_app
}

# citus_distribute DIR DB: sql/citus/distribute.sql on the coordinator of DIR (idempotent;
# after every `tutti migrate`), then a one-line summary.
citus_distribute() {
    local dir=$1 db=$2
    say "Distributing by tenant_id (sql/citus/distribute.sql)"
    pg_psql "$dir/coordinator" "$db" -v VERBOSITY=terse -c 'SET client_min_messages = warning' \
        -f "$(repo_root)/sql/citus/distribute.sql" >/dev/null
    pg_psql "$dir/coordinator" "$db" -At -c "
        SELECT format('%s distributed by tenant_id, %s reference, %s shards on %s workers',
                      count(*) FILTER (WHERE partmethod = 'h' AND NOT c.relispartition),
                      count(*) FILTER (WHERE repmodel = 't'),
                      (SELECT count(*) FROM pg_dist_shard s JOIN pg_dist_partition q USING (logicalrelid)
                        WHERE q.logicalrelid = 'public.customers'::regclass),
                      (SELECT count(*) FROM pg_dist_node WHERE shouldhaveshards))
        FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid" | while read -r line; do note "$line"; done
}

# citus_tenant_node DIR TENANT: the port of the worker node that holds TENANT's shards.
citus_tenant_node() {
    pg_psql "$1/coordinator" tutti -At -c "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
        WHERE p.shardid = get_shard_id_for_distribution_column('customers', '$2')"
}

# citus_cpu_ticks DIR: pg_cpu_ticks of the coordinator and every worker node under DIR.
citus_cpu_ticks() {
    local dir=$1 node total=0
    for node in "${CITUS_NODES[@]}"; do total=$((total + $(pg_cpu_ticks "$dir/$node"))); done
    echo "$total"
}
