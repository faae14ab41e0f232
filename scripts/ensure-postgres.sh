#!/bin/sh
# Prints the URL of a PostgreSQL test database, installing and starting Debian's server when
# missing and we are allowed to; prints nothing when none can be had (those tests then skip).
set -e
URL="postgresql+psycopg://veille:veille@127.0.0.1:5432/veille_test"
if [ -n "$VEILLE_TEST_DATABASE_URL" ]; then echo "$VEILLE_TEST_DATABASE_URL"; exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then exit 0; fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the store tests..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || exit 0
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$VERSION" main start >/dev/null 2>&1 || true
for _ in 1 2 3 4 5 6 7 8 9 10; do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='veille'\"" | grep -q 1 || \
  su postgres -c "psql -qc \"create user veille password 'veille' superuser\"" >/dev/null
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='veille_test'\"" | grep -q 1 || \
  su postgres -c "createdb -O veille veille_test" >/dev/null
echo "$URL"
