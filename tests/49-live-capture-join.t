#!/usr/bin/env bash
# A live run's own capture (-w) read by the toolkit gives udrecv's rows:
# `pcap2csv CAPTURE | seqjoin` and `seqjoin < udrecv's rows` hold the same
# records on every path, born alike, each read by udrecv after the capture
# saw it; over TCP and over UDP, on two routed paths, the second losing 5 %
# of its packets in the router (so that the receiver's capture, like
# udrecv, never sees a lost packet arrive).  Needs the seqjoin that reads
# UDP flows and udrecv's rows (DESIGN.md, issue 9).
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
for p in pcap2csv seqjoin; do [ -x "$BIN/$p" ] || skip_all "$p is not built"; done
netns_setup_routed 2 || skip_all "could not build the namespaces"
netns_shape_routed 0 20mbit 20ms
netns_shape_routed 1 8mbit 50ms
netns_loss_routed 1 5 tcp || skip_all "nftables cannot drop here"
netns_loss_routed 1 5 udp

M=500		# 800 kbit/s of 400-byte records: 250/s for 2 s
# join_cmp CAPJOIN ROWJOIN MARK1: the two joins line by line, by column
# name: the same records (seq, born), on each path a time in both or in
# neither, udrecv's no earlier than the capture's and before the run's end
join_cmp() {
	awk -F@ -v t1="${3%% *}" '
	NR == FNR {
		if (FNR == 1) { for (i = 1; i <= NF; i++) a[$i] = i; next }
		n1++; born[$a["seq"]] = $a["born"]
		for (c in a) if (c ~ /\.time$/) t[$a["seq"], c] = $a[c]
		next
	}
	FNR == 1 { for (i = 1; i <= NF; i++) b[$i] = i; next }
	{
		n2++; s = $b["seq"]
		if (!(s in born)) { bad = bad " seq " s ": not in the capture"; next }
		if (born[s] != $b["born"]) bad = bad " seq " s ": born " born[s] " != " $b["born"]
		for (c in b) {
			if (c !~ /\.time$/) continue
			ct = t[s, c]; rt = $b[c]
			if ((ct == "") != (rt == "")) bad = bad " seq " s " " c ": capture \"" ct "\" udrecv \"" rt "\""
			else if (rt != "" && (rt + 0 < ct + 0 || rt + 0 > t1)) bad = bad " seq " s " " c ": read at " rt ", captured at " ct
		}
		if (length(bad) > 300) exit
	}
	END { if (n1 != n2) bad = bad " " n1 " records in the capture, " n2 " in udrecv"
	      print substr(bad, 2, 300) }' "$1" "$2"
}

for mode in tcp udp; do
	[ $mode = tcp ] && { base=3270; flag=; } || { base=3280; flag=--udp; }
	ports="$base,$((base + 2))"
	$SRV timeout 30 "$BIN/udrecv" -l $flag -p $base -n 2 --setup 10 \
		-w "$TMP/$mode.pcap" >"$TMP/$mode.recv" 2>"$TMP/$mode.recv.err" &
	p1=$!
	netns_track $p1
	sleep 0.3
	mark0=$(clock_mark)
	in_cli timeout 30 "$BIN/udsend" -H "$SRV_ADDR" $flag -p $base -n 2 -I c0,c1 \
		-b 800 -t 2 -q 4096 >"$TMP/$mode.send" 2>"$TMP/$mode.send.err"
	src=$?
	wait $p1; rrc=$?
	mark1=$(clock_mark)
	is "$src:$rrc" "0:0" "$mode: udsend and udrecv -w exit 0" ||
		diag "$(cat "$TMP/$mode.send.err" "$TMP/$mode.recv.err")"
	"$BIN/pcap2csv" "$TMP/$mode.pcap" 2>"$TMP/$mode.p2c.err" |
		"$BIN/seqjoin" -p "$ports" >"$TMP/$mode.capjoin" 2>"$TMP/$mode.capjoin.err"
	is "${PIPESTATUS[*]}" "0 0" "$mode: pcap2csv CAPTURE | seqjoin" ||
		diag "$(cat "$TMP/$mode.p2c.err" "$TMP/$mode.capjoin.err")"
	"$BIN/seqjoin" <"$TMP/$mode.recv" >"$TMP/$mode.rowjoin" 2>"$TMP/$mode.rowjoin.err"
	ok $? "$mode: seqjoin < udrecv's rows" || diag "$(cat "$TMP/$mode.rowjoin.err")"
	is "$(($(wc -l <"$TMP/$mode.capjoin") - 1))" $M "$mode: the capture's join has a line per record"
	step=$(clock_step "$mark0" "$mark1")
	[ "$step" = steady ] || mark1="9e18 0"	# a stepped clock bounds nothing
	is "$(join_cmp "$TMP/$mode.capjoin" "$TMP/$mode.rowjoin" "$mark1")" "" \
		"$mode: the capture's records are udrecv's, path by path, read after they were captured" ||
		diag "seqjoin on the capture: $(cat "$TMP/$mode.capjoin.err")" \
		    "udsend: $(cat "$TMP/$mode.send.err")" "udrecv: $(cat "$TMP/$mode.recv.err")" \
		    "the capture's first frames: $("$BIN/pcap2csv" -e frame.time_epoch -e ip.src \
		    -e tcp.srcport -e udp.srcport -e tcp.dstport -e udp.dstport -e tcp.flags -e tcp.seq \
		    -e tcp.len -e udp.length "$TMP/$mode.pcap" 2>&1 | head -40)"
	got=$(awk -F@ -v p=$((base + 2)) '$1 == p' "$TMP/$mode.recv" | wc -l)
	if [ $mode = udp ]; then
		[ "$got" -lt $M ]; ok $? "udp: the lossy path lost records ($((M - got)))"
	else
		r=$(awk -F@ -v c="$((base + 2)).retx" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $k == 1' \
			"$TMP/tcp.capjoin" | wc -l)
		[ "$got" -eq $M ] && [ "$r" -gt 0 ]; ok $? "tcp: the lossy path retransmitted ($r records) and delivered all"
	fi
done
done_testing
