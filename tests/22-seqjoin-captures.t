#!/usr/bin/env bash
# seqjoin on the redundant-run captures: every data record appears, once,
# in order within its direction, on every path of that direction; rtt and
# owd are non-negative; the record count per path equals the stream length
# over 400 minus the end record (worked out from tshark's fields by awk).
# The captures are the server's (the client's packets arrive with TTL 63):
# the uplink is seen at its receiver, the downlink at its sender.  The exact numbers are compared with an
# independent reference in tests/33-reference.t.  Also: bin/pcap2csv fed
# straight into seqjoin gives what tshark's fields give.
. "$(dirname "$0")/tap.sh"
need_captures redundant
need_tshark
S=$BIN/seqjoin

for cap in "$CAPS"/redundant/*.pcap; do
	b=$(basename "$cap" .pcap)
	# shellcheck disable=SC2086
	tshark_fields "$cap" frame.number $SEQJOIN_FIELDS >"$TMP/$b.rows"
	"$S" <"$TMP/$b.rows" >"$TMP/$b.out" 2>"$TMP/$b.err"
	# a capture of several interfaces may step back a microsecond
	is "$?:$(grep -v 'capture time went backwards' "$TMP/$b.err")" "0:seqjoin: ul: seen at the receiver, by the IP TTL of the data
seqjoin: dl: seen at the sender, by the IP TTL of the data" "$b: exit 0, nothing unusable, the vantage from the TTL"

	# records per path from the stream lengths (SYN gives the ISN)
	want=$(awk -F@ 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    { s = $c["tcp.srcport"]; d = $c["tcp.dstport"]; k = s ">" d }
	    $c["tcp.flags"] == "0x0002" { isn[k] = $c["tcp.seq_raw"]; srv[k] = d }
	    $c["tcp.flags"] == "0x0012" { isn[k] = $c["tcp.seq_raw"]; srv[k] = s }
	    $c["tcp.len"] > 0 { e = ($c["tcp.seq_raw"] + $c["tcp.len"] - isn[k] - 1) % 4294967296;
		if (e > end[k]) end[k] = e }
	    END { for (k in end) printf "%s %d\n", srv[k], end[k] / 400 - 1 }' \
	    "$TMP/$b.rows" | sort -n | tr '\n' ' ')
	got=$(awk -F@ 'NR == 1 { for (i = 5; i <= NF; i += 4) { p[i] = $i; sub(/\.time$/, "", p[i]) }; next }
	    { for (i in p) if ($i != "") n[i]++ }
	    END { for (i in p) printf "%s %d\n", p[i], n[i] }' "$TMP/$b.out" | sort -n | tr '\n' ' ')
	is "$got" "$want" "$b: every path has every data record"

	bad=$(awk -F@ 'NR == 1 { next }
	    $3 != n[$1] + 0 { print "line " NR ": " $1 " seq " $3 " out of order"; exit }
	    { n[$1]++ }
	    $1 == "ul" && $2 != "receiver" || $1 == "dl" && $2 != "sender" {
		print "line " NR ": " $1 " at " $2; exit }
	    { for (i = 6; i <= NF; i += 4) if ($i != "" && $i < 0 || $(i + 1) != "" && $(i + 1) < 0) {
		print "line " NR ": negative rtt or owd"; exit }
	      for (i = 6; i <= NF; i += 4) if ($1 == "ul" && $i != "") {
		print "line " NR ": an rtt at the receiver"; exit } }' "$TMP/$b.out")
	is "$bad" "" "$b: sequence numbers 0, 1, 2, ... in order per direction; rtt and owd >= 0; no rtt at the receiver"
	nrows=$(($(wc -l <"$TMP/$b.out") - 1))
	[ "$nrows" -ge 100 ]
	ok $? "$b: $nrows records (a real run)"

	# No SYN: the same rows from frame 2001 on (mid-stream, mid-record).
	# Every record found whose last byte was first sent after the cut has
	# the numbers of the whole capture (the others are timed by their
	# first captured copy, a retransmission); per path the records run from
	# the first one found to the end, but for those whose header or last
	# byte was before the cut, which are the ones counted.
	awk -F@ 'NR == 1 || $1 > 2000' "$TMP/$b.rows" | "$S" >"$TMP/$b.cut" 2>"$TMP/$b.cuterr"
	is "$?" 0 "$b cut at frame 2000: exit 0"
	t0=$(awk -F@ '$1 == 2001 { print $2 }' "$TMP/$b.rows")
	diffs=$(awk -F@ -v t0="$t0" 'NR == FNR { if (FNR > 1) full[$1 "@" $3] = $0; next } FNR == 1 { next }
	    { split(full[$1 "@" $3], f, "@"); for (g = 5; g <= NF; g += 4) {
		if ($g == "" || f[g] < t0) continue; same++
		for (i = g; i < g + 4; i++) if ($i != f[i]) n++ } }
	    END { print n + 0, (same > 1000) }' "$TMP/$b.out" "$TMP/$b.cut")
	is "$diffs" "0 1" "$b cut at frame 2000: every record first sent after the cut has the whole capture's values"
	holes=$(awk -F@ 'NR == 1 { next } { for (i = 5; i <= NF; i += 4) if ($i != "") {
		n[i]++; if (!(i in first)) first[i] = $3; last[i] = $3 } }
	    END { for (i in n) h += last[i] - first[i] + 1 - n[i]; print h + 0 }' "$TMP/$b.cut")
	counted=$(sed -n 's/^seqjoin: \([0-9]*\) records whose header or last byte was not captured$/\1/p' "$TMP/$b.cuterr")
	is "$holes" "${counted:-0}" "$b cut at frame 2000: the records missing after the resync are the ones counted"
	like "$(cat "$TMP/$b.cuterr")" "^seqjoin: [0-9]+ bytes before the first whole record" "$b cut at frame 2000: bytes before the first record are counted"
	ok $(($(wc -l <"$TMP/$b.cut") < 500)) "$b cut at frame 2000: records found after the cut"

	if [ -x "$BIN/pcap2csv" ]; then
		pcap2csv_seqjoin_rows "$cap" | "$S" >"$TMP/$b.p2c" 2>/dev/null
		is "$(cmp "$TMP/$b.p2c" "$TMP/$b.out" 2>&1)" "" "$b: pcap2csv | seqjoin equals tshark fields | seqjoin"
	else
		skip "$b: bin/pcap2csv is not built"
	fi
done
done_testing
