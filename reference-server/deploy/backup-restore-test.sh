#!/usr/bin/env bash
# Backup and restore, tested: a reference server on PostgreSQL gets data
# (an RNA import, an API token, a POST stored by Idempotency-Key); the
# database is dumped with pg_dump -Fc and restored with pg_restore into a
# new database; a server on the restored copy answers the same list, the
# same token still authenticates, and the same Idempotency-Key replays
# the same answer.
#
#   bash reference-server/deploy/backup-restore-test.sh
#
# Needs a PostgreSQL server (PGHOST/PGUSER, default 127.0.0.1 / postgres,
# trust) and pg_dump/pg_restore/psql of the same major version. Loopback
# only; drops the two databases it creates.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
src=civickit_bk_src_$$ dst=civickit_bk_dst_$$
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	psql -qc "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" postgres >/dev/null 2>&1 || true
	[ "${KEEP:-}" ] && cat "$work/server.log" >&2
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/reference-server" ./reference-server
psql -qc "CREATE DATABASE $src" postgres

# serve DB PORT [flags...]: start a server, wait for /readyz.
serve() {
	local db=$1 port=$2
	shift 2
	"$work/reference-server" -dsn "postgres://$PGUSER@$PGHOST:5432/$db?sslmode=disable" -addr "127.0.0.1:$port" \
		-dev-auth -rate-ip 0 -rate-identity 0 "$@" 2>>"$work/server.log" &
	pids+=($!)
	for _ in $(seq 100); do
		curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	cat "$work/server.log" >&2
	echo "server on $db did not become ready" >&2
	return 1
}
stop() { kill -TERM "${pids[-1]}"; wait "${pids[-1]}" || true; unset 'pids[-1]'; }

port=$((20000 + $$ % 20000))
serve "$src" "$port" -import-rna associations/testdata/rna/rna_waldec_synthetic.csv
admin=(-H 'X-Civickit-Dev-User: backup-admin' -H 'X-Civickit-Dev-Roles: administrator' -H 'Content-Type: application/json')
token=$(curl -fsS "${admin[@]}" -H 'Idempotency-Key: backup-1' -d '{"name":"backup test","grants":[{"role":"operator"}]}' \
	"http://127.0.0.1:$port/api/v1/admin/tokens")
secret=$(printf '%s' "$token" | grep -o '"secret": *"[^"]*"' | sed -E 's/.*"(ck_[^"]+)"/\1/')
before=$(curl -fsS "http://127.0.0.1:$port/api/v1/associations")
stop

start=$(date +%s.%N)
pg_dump -Fc -f "$work/civickit.dump" "$src"
psql -qc "CREATE DATABASE $dst" postgres
pg_restore --no-owner -d "$dst" "$work/civickit.dump"
took=$(echo "$(date +%s.%N) - $start" | bc)

serve "$dst" "$port"
after=$(curl -fsS "http://127.0.0.1:$port/api/v1/associations")
[ "$before" = "$after" ] || { echo "FAIL: the restored list differs" >&2; exit 1; }
who=$(curl -fsS -H "Authorization: Bearer $secret" "http://127.0.0.1:$port/api/v1/auth/session")
case $who in *'"operator"'*) ;; *) echo "FAIL: the token does not authenticate after restore: $who" >&2; exit 1 ;; esac
replay=$(curl -fsS "${admin[@]}" -H 'Idempotency-Key: backup-1' -d '{"name":"backup test","grants":[{"role":"operator"}]}' \
	"http://127.0.0.1:$port/api/v1/admin/tokens")
[ "$replay" = "$token" ] || { echo "FAIL: the idempotent answer was not replayed after restore" >&2; exit 1; }
stop
echo "backup-restore: ok — $(printf '%s' "$before" | grep -o '"id"' | wc -l) associations, token and idempotent answer survive; dump $(du -h "$work/civickit.dump" | cut -f1), dump+restore ${took}s"
