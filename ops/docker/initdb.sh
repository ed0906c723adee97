#!/usr/bin/env bash
# PostgreSQL container init script (docker-compose.yml mounts it into
# /docker-entrypoint-initdb.d/). Runs once, when the data volume is empty.
#
# Creates the two Tutti roles and the database, like ops/lib/common.sh does
# for the private cluster of ops/up:
#   tutti_owner  owns database tutti and schema public; runs `tutti migrate`
#   tutti_app    the application role: NOINHERIT, no table ownership, CONNECT only
#                (`tutti migrate` grants it the rest)
# Passwords come from TUTTI_OWNER_PASSWORD and TUTTI_APP_PASSWORD.
set -euo pipefail

: "${TUTTI_OWNER_PASSWORD:?set TUTTI_OWNER_PASSWORD for the postgres service}"
: "${TUTTI_APP_PASSWORD:?set TUTTI_APP_PASSWORD for the postgres service}"

psql -X -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v owner_pw="$TUTTI_OWNER_PASSWORD" -v app_pw="$TUTTI_APP_PASSWORD" <<'SQL'
CREATE ROLE tutti_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD :'owner_pw';
CREATE ROLE tutti_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD :'app_pw';
CREATE DATABASE tutti OWNER tutti_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE tutti FROM PUBLIC;
GRANT CONNECT ON DATABASE tutti TO tutti_app;
\connect tutti
ALTER SCHEMA public OWNER TO tutti_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
