#!/usr/bin/env bash
# udsend and udrecv end to end in network namespaces: 2 paths bound by
# interface (-I) and 3 paths bound by source address (-B), uplink and
# downlink at once, paths of different tbf rates and latencies, one lossy;
# tcpdump at the server; every record arrives on every path, in order, and
# the capture holds every byte of every path on the right interface.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "udsend/udrecv not built"
netns_need
command -v tcpdump >/dev/null 2>&1 || skip_all "tcpdump is not installed"
need_tshark
netns_setup 3 || skip_all "could not build the namespaces"
netns_shape 0 20mbit 20ms
netns_shape 1 8mbit 50ms
netns_shape 2 4mbit 100ms
netns_loss 2 3
capture_start "$TMP/cap.pcap" "tcp portrange 3270-3285"
ok $? "tcpdump listens in the server namespace"

M=250		# 400 kbit/s of 400-byte records = 125/s, for 2 s
# -q: a queue for 30 s of records, so that RTO backoff on the lossy path
# never makes udsend drop (its default bound is for live runs, tests/46)
LIVE="-b 400 -t 2 -q 4096"

# run RUN UL_PORT N BIND: server udrecv (UL) and udsend (DL), client udsend
# (UL) and udrecv (DL), all four at once
run() {
	local r=$1 p=$2 n=$3 bind=$4 d=$(($2 + 1)) pids
	$SRV timeout 30 "$BIN/udrecv" -l -p "$p" -n "$n" --setup 10 --idle 5 \
		>"$TMP/$r.ul.recv" 2>"$TMP/$r.ul.recv.err" &
	pids=$!
	$SRV timeout 30 "$BIN/udsend" -l -p "$d" -n "$n" --setup 10 $LIVE \
		>"$TMP/$r.dl.send" 2>"$TMP/$r.dl.send.err" &
	pids="$pids $!"
	$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p "$p" -n "$n" \
		$bind $LIVE >"$TMP/$r.ul.send" 2>"$TMP/$r.ul.send.err" &
	pids="$pids $!"
	$CLI timeout 30 "$BIN/udrecv" -H "$SRV_ADDR" -p "$d" -n "$n" \
		$bind >"$TMP/$r.dl.recv" 2>"$TMP/$r.dl.recv.err" &
	pids="$pids $!"
	netns_track $pids
	rcs=
	for pid in $pids; do wait "$pid"; rcs="$rcs $?"; done
	is "$rcs" " 0 0 0 0" "$r: udrecv -l, udsend -l, udsend -H, udrecv -H exit 0"
}

ports() { local p=$1 n=$2 k; for k in $(seq 0 $((n - 1))); do printf '%s ' $((p + 2 * k)); done; }

mark0=$(clock_mark)
run A 3270 2 "-I c0,c1"
run B 3280 3 "-B 198.18.0.2,198.18.1.2,198.18.2.2"
mark1=$(clock_mark)
step=$(clock_step "$mark0" "$mark1")
capture_stop
like "$(cat "$TMP/cap.pcap.err")" "^0 packets dropped by kernel" "tcpdump lost no packet"

for r in A:3270:2 B:3280:3; do
	IFS=: read -r name p n <<<"$r"
	for dir in ul dl; do
		[ $dir = ul ] && base=$p || base=$((p + 1))
		pl=$(ports "$base" "$n")
		like "$(cat "$TMP/$name.$dir.send.err")" "schedule: .* $M records" \
			"$name $dir: udsend plans $M records per path"
		is "$(in_order "$TMP/$name.$dir.send" $M $pl)" ok \
			"$name $dir: udsend printed records 0..$((M - 1)) on paths $pl"
		is "$(in_order "$TMP/$name.$dir.recv" $M $pl)" ok \
			"$name $dir: udrecv got records 0..$((M - 1)) in order on paths $pl"
		is "$(same_born "$TMP/$name.$dir.send" "$TMP/$name.$dir.recv")" 0 \
			"$name $dir: udrecv's born is udsend's for every record"
		like "$(cat "$TMP/$name.$dir.recv.err")" \
			"path $base: $M records, $((M * 400)) bytes.* 0 gaps .*ended" \
			"$name $dir: udrecv's summary counts the records"
		# a lossy path's RTO backoff may hold a record for seconds:
		# bounded by the run's own timing, not a fixed window
		if [ "$step" = steady ]; then
			is "$(owd_check "$TMP/$name.$dir.recv" "$mark0" "$mark1")" "" \
				"$name $dir: owd = time - born, each record born and read within the run"
		else
			skip "$name $dir: the wall clock was stepped by $step s during the run"
		fi
	done
done
# The summary's rates, from the first record to the last: udsend paces
# 400 kbit/s, 125 records/s, on the fast path.
rates=$(sed -n 's/^udsend: path 3270: [0-9]* records, [0-9]* bytes, [0-9.]* s, \([0-9.]*\) records\/s, \([0-9.]*\) kbit\/s,.*/\1 \2/p' "$TMP/A.ul.send.err")
is "$(echo "$rates" | awk '{print ($1 > 120 && $1 < 130 && $2 > 384 && $2 < 416) ? "ok" : $0}')" ok \
	"udsend's summary: about 125 records/s and 400 kbit/s on path 3270 ($rates)"
like "$(cat "$TMP/A.ul.recv")" "^path@seq@born@time@owd@dir" "udrecv header"
like "$(head -2 "$TMP/A.ul.recv" | tail -1)" \
	'^3270@0@[0-9]{13}@[0-9]{10}\.[0-9]{9}@[0-9]+\.[0-9]{3}@(ul|dl)$' "udrecv line format"
like "$(head -2 "$TMP/A.ul.send" | tail -1)" \
	'^327[02]@0@[0-9]{13}@[0-9]{10}\.[0-9]{9}@[0-9]+$' "udsend line format"

# The capture, read by tshark: per path, the client address, the bytes of
# the stream ((M + 1) records with the end record) and retransmissions.
tsh -r "$TMP/cap.pcap" -Y 'tcp.len > 0' -T fields -E separator=@ \
	-e tcp.srcport -e tcp.dstport -e ip.src -e ip.dst -e tcp.seq \
	-e tcp.len -e tcp.analysis.retransmission >"$TMP/cap.txt"
ok $? "tshark reads the capture"
awk -F@ '{
	if ($1 >= 3270 && $1 <= 3285) { port = $1; cli = $4 } else { port = $2; cli = $3 }
	end = $5 + $6 - 1
	if (end > max[port]) max[port] = end
	addr[port] = addr[port] == "" || addr[port] == cli ? cli : "mixed"
	if ($7 != "") retx[port]++
}
END { for (p in max) print p, max[p], addr[p], retx[p] + 0 }' "$TMP/cap.txt" |
	sort -n >"$TMP/flows.txt"
note "$(cat "$TMP/flows.txt")"
for p in $(seq 3270 3273) $(seq 3280 3285); do
	k=$(( (p % 10) / 2 ))
	row=$(awk -v p=$p '$1 == p' "$TMP/flows.txt")
	is "$(echo "$row" | awk '{print $2, $3}')" "$(((M + 1) * 400)) 198.18.$k.2" \
		"capture: path $p carries $((M + 1)) records from 198.18.$k.2"
done
is "$(awk '$1 == 3270 || $1 == 3271 || $1 == 3280 || $1 == 3281 {s += $4} END {print s + 0}' "$TMP/flows.txt")" 0 \
	"capture: no retransmission on the clean 20 Mbit/s path"
r=$(awk '$1 == 3284 || $1 == 3285 {s += $4} END {print s + 0}' "$TMP/flows.txt")
[ "$r" -gt 0 ]; ok $? "capture: retransmissions on the lossy path ($r)"

# The first record of path 3270 on the wire is udsend's record 0.
hex=$(tsh -r "$TMP/cap.pcap" -Y 'tcp.dstport == 3270 && tcp.len > 0' -T fields \
	-e tcp.payload | head -1 | cut -c1-26)
born=$(awk -F@ '$1 == 3270 && $2 == 0 {print $3}' "$TMP/A.ul.send")
is "$hex" "$(printf '%016x%08x01' "$born" 0)" \
	"capture: record 0 on the wire is born@seq 0@flag 1 as udsend printed"
# -B in the server role: each path listens on its own address (IPv4 or
# IPv6); without -B, on every address, IPv4 and IPv6 on one socket.
listening() {	# listening PORT ARGS...: udrecv -l's listening addresses
	local p=$1 pid i out=
	shift
	$SRV timeout 10 "$BIN/udrecv" -l -p "$p" -n 2 --setup 10 "$@" >/dev/null 2>&1 &
	pid=$!
	netns_track $pid
	for i in $(seq 50); do
		out=$($SRV ss -ltnH "sport >= :$p and sport <= :$((p + 2))" |
			awk '{print $4}' | sort | tr '\n' ' ')
		[ "$(echo $out | wc -w)" = 2 ] && break
		sleep 0.1
	done
	kill $pid; wait $pid 2>/dev/null
	echo "$out"
}
is "$(listening 3296 -B "$SRV_ADDR,::1")" "$SRV_ADDR:3296 [::1]:3298 " \
	"udrecv -l -B: path 0 listens on $SRV_ADDR, path 1 on ::1"
is "$(listening 3296)" "*:3296 *:3298 " "udrecv -l without -B: on every address"
done_testing
