#!/bin/sh
# Run once by the postgres image when it creates the cluster (/docker-entrypoint-initdb.d), as
# the bootstrap superuser: creates the role XunCha connects as, which owns XunCha's database
# but is no superuser (a superuser's own queries would bypass row-level security), and
# xuncha_reader, the role XunCha's queries read as (see deploy/README.md).
set -eu
: "${XUNCHA_DB_PASSWORD:?set XUNCHA_DB_PASSWORD, the password of XunCha's database role}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-postgres}" \
    -v owner="${XUNCHA_DB_USER:-xuncha}" \
    -v database="${XUNCHA_DB_NAME:-xuncha}" \
    -v password="$XUNCHA_DB_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT 'CREATE ROLE xuncha_reader NOLOGIN'
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xuncha_reader') \gexec
GRANT xuncha_reader TO :"owner";
CREATE DATABASE :"database" OWNER :"owner";
SQL
