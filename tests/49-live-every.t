#!/usr/bin/env bash
# Figures while the run goes on: `udrecv | seqjoin | rttpairs --every 1`
# prints its first interval's statistics before the sender finishes a
# 6 s run, and the totals at the end.  Needs seqjoin writing its header at
# once when udrecv's rows name the paths, and rttpairs --every (issue 13).
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
for p in seqjoin rttpairs; do [ -x "$BIN/$p" ] || skip_all "$p is not built"; done
netns_setup 2 || skip_all "could not build the namespaces"
netns_shape 0 10mbit 20ms
netns_shape 1 5mbit 40ms

# stamp: each line as it comes, after the wall-clock time it came
cat >"$TMP/stamp.pl" <<'PERL'
use strict;
use warnings;
use Time::HiRes qw(time);
$| = 1;
while (my $line = <STDIN>) { printf "%.6f %s", time, $line; }
PERL

$SRV timeout 30 bash -c '"$1" -l -p 3390 -n 2 --setup 10 2>"$2/recv.err" |
	"$3" -W 5 2>"$2/join.err" | "$4" -m owd --every 1 2>"$2/pairs.err" |
	perl "$2/stamp.pl"' sh "$BIN/udrecv" "$TMP" "$BIN/seqjoin" "$BIN/rttpairs" \
	>"$TMP/live" &
pipe=$!
netns_track $pipe
sleep 0.3
in_cli timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3390 -n 2 -I c0,c1 -b 400 -t 6 \
	>/dev/null 2>"$TMP/send.err"
src=$?
ended=$(perl -MTime::HiRes=time -e 'printf "%.6f\n", time')
wait $pipe
is "$src:$?" "0:0" "udsend and the pipeline exit 0" ||
	diag "$(cat "$TMP/send.err" "$TMP/recv.err" "$TMP/join.err" "$TMP/pairs.err")"
note "$(cat "$TMP/live")"
# the header, then the first interval's rows, all before udsend ended
early=$(awk -v e="$ended" '$1 < e' "$TMP/live" | wc -l)
[ "$early" -ge 2 ]; ok $? "rttpairs --every 1 printed an interval before the 6 s run ended ($early lines)" ||
	diag "udsend ended at $ended" "$(head -5 "$TMP/live")"
hdr=$(head -1 "$TMP/live" | cut -d' ' -f2-)
like "$hdr" "(^|@)dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess" \
	"--every: rttpairs' columns (and the interval's start)"
# the intervals come while the run goes on: rows arriving in at least 4
# different seconds of a 6 s run
n=$(awk -v e="$ended" 'NR > 1 && $1 < e { print int($1) }' "$TMP/live" | sort -u | wc -l)
[ "$n" -ge 4 ]; ok $? "rows printed in $n different seconds during the run"
like "$(tail -3 "$TMP/live")" "@" "the totals at the end"
done_testing
