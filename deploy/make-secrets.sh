#!/bin/sh
# Makes the credentials deploy/compose.yaml reads, with fresh random values, in deploy/secrets/
# (git-ignored). Passwords that two files share (PostgreSQL's and Redis's, which the Tidings URLs
# carry) are written once each, so they always match. Refuses to overwrite existing secrets.
#   sh deploy/make-secrets.sh            # or TIDINGS_SECRETS_DIR=/elsewhere sh deploy/make-secrets.sh
set -eu

dir="${TIDINGS_SECRETS_DIR:-$(cd "$(dirname "$0")" && pwd)/secrets}"
if [ -e "$dir" ]; then
  echo "make-secrets: $dir already exists; remove it first to make new credentials" >&2
  exit 1
fi

# 24 random bytes as hex: 48 characters, safe inside URLs without escaping.
random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

umask 077
mkdir -p "$dir"
postgres_password=$(random)
redis_password=$(random)

printf '%s\n' "$postgres_password" >"$dir/postgres_password"
printf '%s\n' "$(random)" >"$dir/grafana_admin_password"
cat >"$dir/redis.acl" <<ACL
user default off
user tidings on >$redis_password ~* &* +@all
user healthcheck on nopass -@all +ping
ACL
cat >"$dir/tidings.env" <<ENV
TIDINGS_DATABASE_URL=postgres://tidings:$postgres_password@postgres:5432/tidings
TIDINGS_REDIS_URL=redis://tidings:$redis_password@redis:6379
TIDINGS_API_KEY=$(random)
# Providers (optional; without them Tidings uses the built-in simulator):
# TIDINGS_PROVIDERS=twilio://AC…:TOKEN@+15551234567
ENV

# Bind-mounted secrets keep their host mode, and PostgreSQL, Redis and Grafana read them as their own
# unprivileged users; the directory itself stays private to you.
chmod 0644 "$dir/postgres_password" "$dir/grafana_admin_password" "$dir/redis.acl"
echo "make-secrets: wrote $dir (admin API key: TIDINGS_API_KEY in tidings.env)"
