#!/usr/bin/env bash
# -w FILE on both sides of a TCP run in network namespaces: two paths, the
# second losing 3 % of its segments, uplink (client -I) and downlink
# (client -B) at once.  Each program's capture holds every packet of its
# run: tcpdump -i any on each host, started before and stopped after,
# is the cross-check, packet by packet.  Also: the summary's counts, a
# clear error when not permitted to capture, -w with --mptcp.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
command -v tcpdump >/dev/null 2>&1 || skip_all "tcpdump is not installed"
need_tshark
netns_setup 2 || skip_all "could not build the namespaces"
netns_shape 0 20mbit 20ms
netns_shape 1 8mbit 50ms
netns_loss 1 3

# tcpdump on both hosts, whole packets, written as they come
dump() {	# dump NS NAME: into $TMP/tcpdump-NAME.pcap, pid in dump_NAME
	local f=$TMP/tcpdump-$2.pcap
	ip netns exec "$1" timeout 60 tcpdump -i any -s 0 -B 32768 --immediate-mode \
		-w "$f" 'tcp portrange 3380-3386' 2>"$f.err" &
	netns_track $!
	eval "dump_$2=$!"
	for _ in $(seq 50); do grep -q "listening on" "$f.err" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
dump "$NS_SRV" srv; ok $? "tcpdump listens on the server"
dump "$NS_CLI" cli; ok $? "tcpdump listens on the client"

M=500		# 800 kbit/s of 400-byte records: 250/s for 2 s
LIVE="-b 800 -t 2 -q 4096"
$SRV timeout 30 "$BIN/udrecv" -l -p 3380 -n 2 --setup 10 -w "$TMP/srv-ul.pcap" \
	>"$TMP/ul.recv" 2>"$TMP/ul.recv.err" &
p1=$!
$SRV timeout 30 "$BIN/udsend" -l -p 3381 -n 2 --setup 10 $LIVE -w "$TMP/srv-dl.pcap" \
	>"$TMP/dl.send" 2>"$TMP/dl.send.err" &
p2=$!
netns_track $p1 $p2
sleep 0.3
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3380 -n 2 -I c0,c1 $LIVE \
	-w "$TMP/cli-ul.pcap" >"$TMP/ul.send" 2>"$TMP/ul.send.err" &
p3=$!
$CLI timeout 30 "$BIN/udrecv" -H "$SRV_ADDR" -p 3381 -n 2 -B 198.18.0.2,198.18.1.2 \
	-w "$TMP/cli-dl.pcap" >"$TMP/dl.recv" 2>"$TMP/dl.recv.err" &
p4=$!
netns_track $p3 $p4
rcs=
for p in $p1 $p2 $p3 $p4; do wait $p; rcs="$rcs $?"; done
is "$rcs" " 0 0 0 0" "udrecv -l, udsend -l, udsend -H, udrecv -H with -w exit 0" ||
	diag "$(cat "$TMP"/*.err)"
sleep 1		# tcpdump too sees what comes after the programs' captures
for d in srv cli; do
	eval "pid=\$dump_$d"
	kill -TERM "$pid"; wait "$pid" 2>/dev/null
	like "$(cat "$TMP/tcpdump-$d.pcap.err")" "^0 packets dropped by kernel" "tcpdump on $d lost no packet"
done

# pkts FILE [PORTS]: one line per packet "time key", the key naming the
# packet (addresses, ports, sequence and acknowledgement numbers, flags,
# length); PORTS (a tshark filter) picks one program's packets
pkts() {
	tsh -r "$1" ${2:+-Y "$2"} -T fields -E separator=' ' -e frame.time_epoch \
		-e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e tcp.seq_raw \
		-e tcp.ack_raw -e tcp.flags -e tcp.len
}
for c in srv-ul:srv:ul.recv.err:"tcp.port in {3380, 3382}" \
	srv-dl:srv:dl.send.err:"tcp.port in {3381, 3383}" \
	cli-ul:cli:ul.send.err:"tcp.port in {3380, 3382}" \
	cli-dl:cli:dl.recv.err:"tcp.port in {3381, 3383}"; do
	IFS=: read -r name host err ports <<<"$c"
	f=$TMP/$name.pcap
	n=$(tcpdump -nr "$f" 2>/dev/null | wc -l)
	like "$(cat "$TMP/$err")" "capture $f: $n packets, 0 dropped by the kernel, 0 by the interfaces" \
		"$name: -w's summary counts the $n packets in the file"
	pkts "$f" >"$TMP/$name.pk"
	pkts "$TMP/tcpdump-$host.pcap" "$ports" >"$TMP/$name.ref"
	# every packet of tcpdump's is in ours (as many times), up to our
	# last packet; after it only closing packets without data may follow
	res=$(awk 'NR == FNR { k = $0; sub(/^[^ ]* /, "", k); have[k]++; if ($1 > last) last = $1; n++; next }
		{ k = $0; sub(/^[^ ]* /, "", k)
		  if (have[k] > 0) { have[k]--; both++ }
		  else if ($1 <= last) miss++
		  else if ($NF > 0) latedata++
		  else late++ }
		END { for (k in have) extra += have[k]
		      printf "%d %d %d %d %d\n", both, miss + 0, latedata + 0, extra + 0, late + 0 }' \
		"$TMP/$name.pk" "$TMP/$name.ref")
	read -r both miss latedata extra late <<<"$res"
	is "$miss:$latedata:$extra" "0:0:0" \
		"$name: every packet tcpdump saw of the run is in the capture, nothing else ($both packets)"
	note "$name: $late closing packets came after the capture stopped"
	# the records: every path's stream, M records and the end record
	for port in $(echo "$ports" | tr -dc "0-9 "); do
		b=$(tsh -r "$f" -Y "tcp.srcport == $port || tcp.dstport == $port" -T fields \
			-e tcp.seq -e tcp.len | awk '$2 > 0 && $1 + $2 - 1 > m { m = $1 + $2 - 1 } END { print m + 0 }')
		is "$b" $(((M + 1) * 400)) "$name: path $port carries $((M + 1)) records"
	done
done
r=$(tsh -r "$TMP/srv-ul.pcap" -Y "tcp.analysis.retransmission && tcp.port == 3382" | wc -l)
[ "$r" -gt 0 ]; ok $? "srv-ul: the lossy path's retransmissions are in the capture ($r)"
like "$(head -c 4 "$TMP/srv-ul.pcap" | od -An -tx1 | tr -d ' \n')" '^(d4c3b2a1|a1b2c3d4)$' \
	"the file is a pcap (libpcap's format)"

# not permitted: a user without CAP_NET_RAW gets a clear error, no run
if command -v setpriv >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		timeout 5 "$BIN/udrecv" -l -p 3390 -w "$TMP/x.pcap" >"$TMP/np.out" 2>"$TMP/np.err"
	is "$?" 1 "-w without permission to capture: exit 1"
	like "$(cat "$TMP/np.err")" "udrecv: -w $TMP/x.pcap: not permitted to capture on any \\(run as root" \
		"-w without permission: says so"
	is "$(cat "$TMP/np.out")" "" "-w without permission: no output"
else
	skip "setpriv is missing"; skip "setpriv is missing"; skip "setpriv is missing"
fi
timeout 5 "$BIN/udsend" -l -p 3390 -I nosuch0 -w "$TMP/y.pcap" >/dev/null 2>"$TMP/ns.err"
is "$?:$(cat "$TMP/ns.err")" "1:udsend: -w $TMP/y.pcap: nosuch0: no such interface" \
	"-w on an interface that does not exist"

# --mptcp: the capture holds both subflows of the connection
if [ "$(sysctl -n net.mptcp.enabled 2>/dev/null)" = 1 ]; then
	in_srv ip mptcp limits set subflows 2 add_addr_accepted 2
	in_cli ip mptcp limits set subflows 2 add_addr_accepted 2
	in_cli ip mptcp endpoint add 198.18.1.2 dev c1 subflow
	$SRV timeout 30 "$BIN/udrecv" -l --mptcp -p 3386 --setup 10 -w "$TMP/mp.pcap" \
		>"$TMP/mp.recv" 2>"$TMP/mp.err" &
	p1=$!
	netns_track $p1
	sleep 0.3
	in_cli timeout 30 "$BIN/udsend" --mptcp -H "$SRV_ADDR" -p 3386 -b 800 -t 1 >/dev/null 2>&1
	wait $p1
	is "$?" 0 "udrecv --mptcp -w exits 0"
	sub=$(tsh -r "$TMP/mp.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e ip.src | sort -u | tr '\n' ' ')
	is "$sub" "198.18.0.2 198.18.1.2 " "--mptcp -w: the capture holds the SYNs of both subflows"
else
	skip "MPTCP is not enabled"; skip "MPTCP is not enabled"
fi
done_testing
