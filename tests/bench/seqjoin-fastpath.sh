#!/bin/sh
# seqjoin-fastpath.sh [RECORDS] [MBIT]: seqjoin on one fast path (issue 12):
# RECORDS 400-byte records (default 1,000,000: 400 MB of payload, 10 s) at
# MBIT Mbit/s (default 400) in rows written by tests/tools/bulkrows, as a
# capture at the server shows them.  Prints whether every record came out
# once and in order, seqjoin's time and peak RSS, and the same at half the
# records, to show memory follows what waits, not the capture's length.
# Run by hand (make and make tools first); never by make check.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
mbit=${2:-400}
gen=$top/obj/std/tools/bulkrows
sj=$top/bin/seqjoin
[ -x "$gen" ] && [ -x "$sj" ] || { echo "run make and make tools first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is not installed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sj-fast.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run RECORDS: one line of figures
run() {
	"$gen" -n "$1" -s 400 -r "$mbit" >"$tmp/rows"
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$sj" -s 400 "$tmp/rows" \
	    >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
	read -r secs rss <"$tmp/time"
	bad=$(awk -F@ 'NR > 1 && $3 != NR - 2 { print "line " NR ": seq " $3; exit }
	    END { if (NR - 1 != n) print NR - 1 " records out" }' n="$1" "$tmp/out")
	printf '%d records at %s Mbit/s (%d MB of rows): seqjoin %s s, %.0f records/s, peak RSS %.1f MB, %s\n' \
	    "$1" "$mbit" $(($(wc -c <"$tmp/rows") / 1048576)) "$secs" \
	    "$(echo "$1 $secs" | awk "{ print (\$2 > 0 ? \$1 / \$2 : 0) }")" \
	    "$(echo "$rss" | awk '{ print $1 / 1024 }')" \
	    "${bad:-every record out once, in order}$( [ -s "$tmp/err" ] && printf '; stderr: %s' "$(head -c 300 "$tmp/err")")"
}
run $((n / 2))
run "$n"
