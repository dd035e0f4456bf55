#!/usr/bin/env bash
# A live run analysed by the toolkit: uplink and downlink on 3 paths (one
# lossy), captured at the server.  pcap2csv | seqjoin sees every record
# udsend sent on every path, udrecv's own output joins the same way, the
# lossy path shows retransmissions in retxrate and higher delays in
# rttpairs.  Needs the analysis programs (skips until they are built).
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
declare -A sent ulsent
for p in udsend udrecv pcap2csv seqjoin rttpairs retxrate; do
	[ -x "$BIN/$p" ] || skip_all "$p is not built"
done
netns_need
command -v tcpdump >/dev/null 2>&1 || skip_all "tcpdump is not installed"
netns_setup 3 || skip_all "could not build the namespaces"
netns_shape 0 20mbit 20ms
netns_shape 1 8mbit 50ms
netns_shape 2 4mbit 100ms
netns_loss 2 5
capture_start "$TMP/cap.pcap" "tcp portrange 3340-3345"
ok $? "tcpdump listens in the server namespace"

M=500		# 800 kbit/s of 400-byte records: 250/s for 2 s
Q="-q 4096"	# 16 s of records: RTO backoff on the lossy path drops nothing
mark0=$(clock_mark)
$SRV timeout 30 "$BIN/udrecv" -l -p 3340 -n 3 --setup 10 >"$TMP/ul.recv" 2>/dev/null &
p1=$!
$SRV timeout 30 "$BIN/udsend" -l -p 3341 -n 3 --setup 10 -b 800 -t 2 $Q >"$TMP/dl.send" 2>"$TMP/dl.send.err" &
p2=$!
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3340 -n 3 -I c0,c1,c2 -b 800 -t 2 $Q \
	>"$TMP/ul.send" 2>"$TMP/ul.send.err" &
p3=$!
$CLI timeout 30 "$BIN/udrecv" -H "$SRV_ADDR" -p 3341 -n 3 -I c0,c1,c2 >"$TMP/dl.recv" 2>/dev/null &
p4=$!
netns_track $p1 $p2 $p3 $p4
rcs=
for p in $p1 $p2 $p3 $p4; do wait $p; rcs="$rcs $?"; done
mark1=$(clock_mark)
is "$rcs" " 0 0 0 0" "the run completes"
capture_stop

"$BIN/pcap2csv" "$TMP/cap.pcap" >"$TMP/cap.csv"
ok $? "pcap2csv reads the capture"
for dir in ul dl; do
	[ $dir = ul ] && ps="3340,3342,3344" || ps="3341,3343,3345"
	# --at server: these paths have no delay (tbf only queues), so the
	# handshake's round trip is the host's scheduling, and without a
	# router the TTL is an initial value both ways
	"$BIN/seqjoin" --at server -p "$ps" <"$TMP/cap.csv" >"$TMP/$dir.join" 2>"$TMP/$dir.join.err"
	ok $? "$dir: pcap2csv | seqjoin"
	# The clean paths carry every record.  A lossy path may stall for
	# seconds in RTO backoff, and then udsend drops records there rather
	# than hold up the others (its bounded queue): the capture must hold
	# exactly what udsend sent on each path.
	for port in ${ps//,/ }; do
		sent[$port]=$(awk -F@ -v p=$port '$1 == p' "$TMP/$dir.send" | wc -l)
	done
	is "${sent[${ps%%,*}]}:${sent[$(echo "$ps" | cut -d, -f2)]}" "$M:$M" \
		"$dir: udsend sent all $M records on both clean paths"
	note "$dir: udsend sent ${sent[${ps##*,}]} of $M records on the lossy path ${ps##*,}: $(grep -h "path ${ps##*,}" "$TMP/$dir.send.err")"
	# every record udsend sent has a time on its path, born as sent
	bad=$(awk -F@ -v m=$M '
	NR == FNR { if (FNR > 1) { sent[$1 "@" $2] = 1; if ($1 == first) born[$2] = $3 } next }
	FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		n++; s = $col["seq"]
		if ($col["dir"] != dir) { print "row " n ": dir " $col["dir"]; exit }
		if (s != n - 1) { print "row " n ": seq " s; exit }
		if ($col["born"] != born[s]) { print "seq " s ": born " $col["born"] " != " born[s]; exit }
		for (c in col) {
			if (c !~ /\.time$/) continue
			port = substr(c, 1, index(c, ".") - 1)
			if ((port "@" s) in sent) { if ($col[c] == "") { print "seq " s ": no " c; exit } }
			else if ($col[c] != "") { print "seq " s ": " c " but udsend did not send it"; exit }
		}
	}
	END { if (n != m) print n " rows" }' first="${ps%%,*}" dir=$dir "$TMP/$dir.send" "$TMP/$dir.join")
	is "$bad" "" "$dir: the capture holds records 0..$((M - 1)), on each path what udsend sent there, born as sent" ||
		diag "seqjoin: $(cat "$TMP/$dir.join.err")" "tcpdump: $(tail -3 "$TMP/cap.pcap.err")"
	# udrecv's output joins to the same records
	[ $dir = ul ] && for port in ${ps//,/ }; do ulsent[$port]=${sent[$port]}; done
	"$BIN/seqjoin" <"$TMP/$dir.recv" >"$TMP/$dir.rjoin" 2>/dev/null
	is "$(($(wc -l <"$TMP/$dir.rjoin") - 1))" $M "$dir: udrecv | seqjoin gives $M records"
done
# uplink: capture and udrecv both at the server, on one clock; the
# capture's time is the first copy's, a lost one is read only after its
# retransmission, however late that is within the run
step=$(clock_step "$mark0" "$mark1")
if [ "$step" = steady ]; then
	bad=$(awk -F@ -v t1="${mark1%% *}" '
	NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) a[$i] = i; else for (c in a) if (c ~ /\.time$/) t[$a["seq"], c] = $a[c]; next }
	FNR == 1 { for (i = 1; i <= NF; i++) b[$i] = i; next }
	{ for (c in b) if (c ~ /\.time$/) { d = $b[c] - t[$b["seq"], c]; if (d < 0 || $b[c] > t1) { print $b["seq"], c, $b[c], t[$b["seq"], c]; exit } } }' \
		"$TMP/ul.join" "$TMP/ul.rjoin")
	is "$bad" "" "ul: udrecv read every record after the capture first saw it, before the run ended"
else
	skip "ul: the wall clock was stepped by $step s during the run"
fi

"$BIN/retxrate" <"$TMP/cap.csv" >"$TMP/retx"
ok $? "pcap2csv | retxrate"
note "$(cat "$TMP/retx")"
# A path may have rows of several directions (one of a connection without
# data); its retransmitted frames are their sum.
rx() { awk -F@ -v p=$1 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == p { s += $c["retx_frames"]; n++ } END { if (n) print s }' "$TMP/retx"; }
for p in 3340 3341 3342 3343; do
	is "$(rx $p)" 0 "retxrate: no retransmission on clean path $p"
done
for p in 3344 3345; do
	r=$(rx $p)
	[ "${r:-0}" -gt 0 ]; ok $? "retxrate: the lossy path $p retransmits ($r frames)"
done

"$BIN/rttpairs" -m owd <"$TMP/ul.join" >"$TMP/ul.pairs"
ok $? "ul: seqjoin | rttpairs -m owd"
"$BIN/rttpairs" -m rtt <"$TMP/dl.join" >"$TMP/dl.pairs"
ok $? "dl: seqjoin | rttpairs -m rtt"
note "$(cat "$TMP/ul.pairs" "$TMP/dl.pairs")"
# st FILE A B FIELD
st() { awk -F@ -v a=$2 -v b=$3 -v f=$4 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["a"] == a && $c["b"] == b { print $c[f] }' "$1"; }
for k in 0 2 4; do
	p=$((3340 + k))
	is "$(st "$TMP/ul.pairs" $p $p n)" "${ulsent[$p]}" "rttpairs: ${ulsent[$p]} records on path $p (what udsend sent)"
done
for f in ul:3340:3344 dl:3341:3345; do
	IFS=: read -r dir clean lossy <<<"$f"
	c=$(st "$TMP/$dir.pairs" $clean $clean p99)
	l=$(st "$TMP/$dir.pairs" $lossy $lossy p99)
	pair=$(st "$TMP/$dir.pairs" $clean $lossy p99)
	awk -v c="$c" -v l="$l" 'BEGIN { exit !(l > c) }'
	ok $? "$dir: the lossy path's p99 ($l ms) is above the clean path's ($c ms)"
	awk -v p="$pair" -v l="$l" 'BEGIN { exit !(p + 0 <= l + 0) }'
	ok $? "$dir: redundancy over both ($pair ms) is no worse than the lossy path"
done
done_testing
