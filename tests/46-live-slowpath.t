#!/usr/bin/env bash
# A path whose peer stops reading never stalls the others: udsend queues a
# bounded number of records on it, drops (and counts) what does not fit,
# drops the path once it took nothing for --idle, and the healthy path
# gets every record on time.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
netns_setup 2 || skip_all "could not build the namespaces"

M=2500		# 4000 kbit/s of 400-byte records: 1250/s for 2 s
$SRV timeout 30 "$BIN/udrecv" -l -p 3350 --setup 10 >"$TMP/recv" 2>"$TMP/recv.err" &
rpid=$!
# path 3352: a peer that accepts and never reads
$SRV timeout 30 perl -MSocket -e '
	socket(my $l, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
	setsockopt($l, SOL_SOCKET, SO_REUSEADDR, 1);
	setsockopt($l, SOL_SOCKET, SO_RCVBUF, 2048);	# a small window
	bind($l, pack_sockaddr_in(3352, INADDR_ANY)) or die "bind: $!";
	listen($l, 4) or die "listen: $!";
	accept(my $c, $l); sleep 8;' &
ppid=$!
netns_track $rpid $ppid
sleep 0.3
mark0=$(clock_mark)
in_cli timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3350 -n 2 -I c0,c1 -b 4000 -t 2 \
	-q 64 --idle 1 --us >"$TMP/send" 2>"$TMP/send.err"
src=$?
mark1=$(clock_mark)
wait $rpid; rrc=$?
is "$src:$rrc" "1:0" "udsend exits 1 (a path failed), udrecv 0"
err=$(cat "$TMP/send.err")
like "$err" "udsend: path 3352: $SRV_ADDR: took nothing for 1.0 s, dropped" \
	"the stalled path is dropped after --idle"
d=$(echo "$err" | sed -n 's/.*path 3352: .* \([0-9]*\) dropped.*/\1/p')
[ "${d:-0}" -gt 0 ]; ok $? "records that did not fit its queue are counted ($d dropped)"
like "$err" "udsend: path 3350: $M records, .* 0 dropped, 0 unsent" "the healthy path sent every record"
is "$(in_order "$TMP/recv" $M 3350)" ok "udrecv got records 0..$((M - 1)) on the healthy path"
# on time: the healthy path's records were made on schedule while the
# other path was stuck (born - first born - seq * 0.8 ms, p99)
late=$(awk -F@ '$1 == 3350 { if (b0 == "") b0 = $3; d = $3 - b0 - $2 * 0.8; print d }' "$TMP/send" |
	sort -n | awk '{ v[NR] = $1 } END { print v[int(NR * 0.99)] }')
step=$(clock_step "$mark0" "$mark1")
if [ "$step" = steady ]; then
	awk -v l="$late" 'BEGIN { exit !(l < 50) }'
	ok $? "the healthy path kept its schedule (p99 lateness $late ms)"
else
	skip "born stamps: the wall clock was stepped by $step s during the run"
fi
done_testing
