#!/bin/sh
# Compare `tally` with anchor tools on generated PrefLib files: CPU seconds
# (user + system) and peak RSS of the whole process, from /usr/bin/time -v.
#
#   bench/tally/run.sh [WORKDIR]
#
# Generates (once, in WORKDIR, default /tmp/tally-bench) a 10^6-voter,
# 10-candidate Mallows-mixture SOC file and the 10^7-voter file over the
# same orders (counts x 10), builds tally from this checkout, and prints a
# Markdown table: tally's median of RUNS runs (default 3) per method and
# file, and each anchor once on the 10^6 file when ANCHORS is set to a
# PYTHONPATH holding checkouts of votelib and pyrankvote (anchors.py says
# how they are called; they are not part of civickit). PYTHON picks the
# interpreter for the anchors (default python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/tally-bench}
runs=${RUNS:-3}
python=${PYTHON:-python3}
mkdir -p "$work"
[ -f "$work/m1e6.soc" ] || python3 "$here/gen_mallows.py" 1000000 10 "$work/m1e6.soc"
[ -f "$work/m1e7.soc" ] || awk -F': ' '/^#/ { if ($0 ~ /NUMBER VOTERS/) print "# NUMBER VOTERS: 10000000"; else print; next } { print $1*10 ": " $2 }' "$work/m1e6.soc" >"$work/m1e7.soc"
(cd "$root" && go build -o "$work/tally" ./cmd/tally)

# measure CMD...: prints "cpu_seconds peak_rss_MB" of one run.
measure() {
	/usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
	awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
		END { printf "%.2f %.1f\n", u + s, m / 1024 }' "$work/time.txt"
}
# median CMD...: the run of median CPU time among $runs.
median() {
	i=0
	while [ $i -lt "$runs" ]; do measure "$@"; i=$((i + 1)); done | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}

echo "| workload | tool | CPU s | peak RSS MB |"
echo "|---|---|---|---|"
for f in m1e6 m1e7; do
	for m in irv schulze plurality borda; do
		set -- $(median "$work/tally" -method $m -json "$work/$f.soc")
		echo "| $m $f | tally | $1 | $2 |"
	done
done
if [ -n "${ANCHORS:-}" ]; then
	for m in irv schulze plurality borda; do
		set -- $(PYTHONPATH=$ANCHORS measure "$python" "$here/anchors.py" votelib $m "$work/m1e6.soc")
		echo "| $m m1e6 | votelib | $1 | $2 |"
	done
	set -- $(PYTHONPATH=$ANCHORS measure "$python" "$here/anchors.py" pyrankvote irv "$work/m1e6.soc")
	echo "| irv m1e6 | pyrankvote | $1 | $2 |"
fi
