#!/usr/bin/env bash
# seqjoin on kernel MPTCP v1 captures of a live run: udsend --mptcp sends
# the uplink over two paths through a router namespace (so that a packet
# reaching the server has left the client's hop: the TTL tells each
# capture's vantage), the client's second address an MPTCP `subflow`
# endpoint with address id 2, tbf at the router both ways (the queues sit
# after the client's capture and before the server's), and a 3 s outage
# on path 0 (its tbf towards the server cut to 8 kbit/s) so that the
# kernel reinjects its data on path 1.  A bulk downlink on each path
# (udsend/udrecv on ports 3301 and 3303, not captured; the client's small
# receive buffer keeps its window standing in the router's queue, as in
# examples/mkdemo.sh) delays what goes to the client by tens of ms: the
# handshakes then tell each capture's host, which a hop of microseconds
# both ways cannot.  tcpdump at the client and at the server;
# on both captures seqjoin's records are udrecv's (every seq and born),
# each subflow is a path (3290.0, 3290.2), and the per-record values are
# consistent with what the hosts did: at the client every record has its
# DATA_ACK round trip, at the server every record became contiguous
# (ready) before udrecv read it.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "udsend/udrecv not built"
netns_need
[ "$(sysctl -n net.mptcp.enabled 2>/dev/null)" = 1 ] || skip_all "MPTCP is not enabled"
command -v tcpdump >/dev/null 2>&1 || skip_all "tcpdump is not installed"
need_tshark
netns_setup_routed 2 || skip_all "could not build the namespaces"

PORT=3290
netns_shape_routed 0 600kbit 400ms && netns_shape_routed 1 500kbit 400ms
ok $? "tbf at the router on both paths"
netns_client_rcvbuf 4096
$SRV timeout -k 5 40 "$BIN/udsend" -l -p 3301 -n 2 -s 1400 -b 4000 -t 0 \
	--setup 10 -C cubic >/dev/null 2>"$TMP/bulk-sent.err" &
bpid=$!
netns_track $bpid
sleep 0.3
$CLI timeout -k 5 40 "$BIN/udrecv" -H "$SRV_ADDR" -p 3301 -n 2 -s 1400 \
	-I c0,c1 >/dev/null 2>"$TMP/bulk-recv.err" &
brpid=$!
netns_track $brpid
sleep 1.5
in_srv ip mptcp limits set subflows 2 add_addr_accepted 2
in_cli ip mptcp limits set subflows 2 add_addr_accepted 2
in_cli ip mptcp endpoint add 198.18.1.2 dev c1 id 2 subflow
ok $? "MPTCP subflow endpoint id 2 on the client's second path"
# client ports away from those tshark gives a dissector (PCP's 44321-44322)
in_cli sysctl -qw net.ipv4.ip_local_port_range="40000 40999"

# cap NS-CMD FILE: tcpdump -i any in that namespace, until cap_stop
_caps=
cap() {
	$1 timeout 60 tcpdump -i any -s 0 -B 16384 --immediate-mode -w "$2" \
		"tcp port $PORT" 2>"$2.err" &
	netns_track $!
	_caps="$_caps $!"
	for _ in $(seq 50); do
		grep -q "listening on" "$2.err" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
cap "$CLI" "$TMP/cli.pcap" && cap "$SRV" "$TMP/srv.pcap"
ok $? "tcpdump listens at the client and at the server"

$SRV timeout 40 "$BIN/udrecv" -l --mptcp -p $PORT --setup 10 --idle 8 \
	>"$TMP/recv" 2>"$TMP/recv.err" &
rpid=$!
netns_track $rpid
sleep 0.3
$CLI timeout 40 "$BIN/udsend" --mptcp -H "$SRV_ADDR" -p $PORT -b 400 -t 6 \
	--idle 8 >"$TMP/send" 2>"$TMP/send.err" &
spid=$!
netns_track $spid
sleep 2
in_rtr tc qdisc change dev rs0 root tbf rate 8kbit burst 16kb latency 400ms
ok $? "outage on path 0"
sleep 3
in_rtr tc qdisc change dev rs0 root tbf rate 600kbit burst 16kb latency 400ms
wait $spid; src=$?
wait $rpid; rrc=$?
is "$src:$rrc" "0:0" "udsend --mptcp and udrecv --mptcp exit 0"
kill -TERM $bpid 2>/dev/null	# the bulk flows end cleanly too
wait $bpid $brpid 2>/dev/null
for p in $_caps; do
	sleep 0.3
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
reinjected=$(in_cli nstat -az MPTcpExtMPTCPRetrans 2>/dev/null |
	awk '$1 == "MPTcpExtMPTCPRetrans" { print $2 }')
M=$(awk -F@ 'NR > 1' "$TMP/send" | wc -l)
is "$(in_order "$TMP/recv" "$M" $PORT)" ok "udrecv got all $M records in order"
diag "the kernel reinjected ${reinjected:-?} times (MPTcpExtMPTCPRetrans)"

# col FILE NAME: the column number of NAME in FILE's header
col() { head -1 "$1" | tr @ '\n' | grep -n -x -F "$2" | cut -d: -f1; }

for n in cli srv; do
	tshark_mptcp_rows "$TMP/$n.pcap" >"$TMP/$n.csv"
	at=sender
	[ $n = srv ] && at=receiver
	timeout 60 "$BIN/seqjoin" <"$TMP/$n.csv" >"$TMP/$n.out" 2>"$TMP/$n.err"
	is "$?:$(cat "$TMP/$n.err")" "0:" "$n.pcap: seqjoin exits 0, says nothing"
	is "$(awk -F@ 'NR > 1 { print $1 "@" $2 }' "$TMP/$n.out" | uniq -c | sed 's/^ *//')" \
		"$M ul@$at" "$n.pcap: one uplink line per record, seen at the $at"
	# every seq and born as udrecv printed them
	diff <(awk -F@ 'NR > 1 { print $2 "@" $3 }' "$TMP/recv") \
		<(awk -F@ 'NR > 1 { print $3 "@" $4 }' "$TMP/$n.out") >"$TMP/diff"
	is "$(head -5 "$TMP/diff")" "" "$n.pcap: seqjoin's records are udrecv's, every seq and born"
	like "$(head -1 "$TMP/$n.out")" \
		"@3290\.0\.time@3290\.0\.rtt@3290\.0\.owd@3290\.0\.retx@3290\.0\.reinj@3290\.2\.time@.*@first@drtt@ready@hol$" \
		"$n.pcap: the initial subflow is 3290.0, the joined one 3290.2"
	t0=$(col "$TMP/$n.out" 3290.0.time)
	t2=$(col "$TMP/$n.out" 3290.2.time)
	f=$(col "$TMP/$n.out" first)
	is "$(awk -F@ -v a="$t0" -v b="$t2" -v f="$f" 'NR > 1 {
		if ($a == "" && $b == "") bad++
		if ($f != "3290.0" && $f != "3290.2") bad++
		if ($f == "3290.0" && ($a == "" || ($b != "" && $b < $a))) bad++
		if ($f == "3290.2" && ($b == "" || ($a != "" && $a < $b))) bad++
		n0 += $a != ""; n2 += $b != "" }
		END { print bad + 0, (n0 > 0) + (n2 > 0) }' "$TMP/$n.out")" "0 2" \
		"$n.pcap: both subflows carry records; every record has a subflow, first the earliest"
	diag "$n.pcap: $(awk -F@ -v a="$t0" -v b="$t2" 'NR > 1 { n0 += $a != ""; n2 += $b != "" }
		END { print "3290.0 carried " n0 ", 3290.2 " n2 " records" }' "$TMP/$n.out")"
done

# At the client: the DATA_ACK round trip of every record; a reinjection
# the kernel counted is a record whose copy on the other subflow has reinj.
d=$(col "$TMP/cli.out" drtt)
r0=$(col "$TMP/cli.out" 3290.0.reinj)
r2=$(col "$TMP/cli.out" 3290.2.reinj)
is "$(awk -F@ -v d="$d" 'NR > 1 && $d == "" { n++ } END { print n + 0 }' "$TMP/cli.out")" 0 \
	"cli.pcap: every record has its data-level RTT"
nreinj=$(awk -F@ -v a="$r0" -v b="$r2" 'NR > 1 && ($a == 1 || $b == 1) { n++ } END { print n + 0 }' "$TMP/cli.out")
diag "cli.pcap: $nreinj records with a reinjected copy"
if [ "${reinjected:-0}" -gt 0 ]; then
	ok "$([ "$nreinj" -gt 0 ]; echo $?)" "cli.pcap: the kernel reinjected, and seqjoin finds reinjected copies"
else
	skip "the kernel did not reinject in this run"
fi

# At the server: ready and hol on every record; a record became contiguous
# before udrecv read it (both on the server's clock).
rd=$(col "$TMP/srv.out" ready)
h=$(col "$TMP/srv.out" hol)
is "$(awk -F@ -v r="$rd" -v h="$h" 'NR > 1 && ($r == "" || $h == "" || $h < 0) { n++ }
	END { print n + 0 }' "$TMP/srv.out")" 0 "srv.pcap: every record has ready and a hol >= 0"
is "$(awk -F@ -v r="$rd" 'NR == FNR { if (FNR > 1) t[$2] = $4; next }
	FNR > 1 && !($3 in t && $r <= t[$3]) { n++ } END { print n + 0 }' "$TMP/recv" "$TMP/srv.out")" 0 \
	"srv.pcap: every record was ready before udrecv read it"
diag "srv.pcap: $(awk -F@ -v r="$rd" -v h="$h" 'NR == FNR { if (FNR > 1) t[$2] = $4; next }
	FNR > 1 { d = (t[$3] - $r) * 1000; s += d; if (d > m) m = d; if ($h > hm) hm = $h; if ($h > 0) nh++ }
	END { printf "udrecv read a record %.3f ms after it was ready on average, at most %.3f; %d records waited behind others (hol up to %.3f ms)", s / (FNR - 1), m, nh, hm }' \
	"$TMP/recv" "$TMP/srv.out")"
done_testing
