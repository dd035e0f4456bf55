#!/usr/bin/env bash
# seqjoin on hand-built UDP captures, one per record format and hard case
# (issue 9), with the answers worked out by hand (DESIGN.md "Records",
# "Semantics of the record metrics", "Sent and lost"): every record line,
# each path's records, range, missing, duplicated, reordered and owd
# statistics, and the rttpairs rows.  tests/tools/mkflows writes each
# scenario as '@' rows and as a pcap; seqjoin must give the worked-out lines
# from the rows, from the pcap through tshark and through pcap2csv (its UDP
# fields named with -e until its default list has them), and so must the
# independent reference tests/ref/records.py (on the rows and through
# tshark).  Lines are compared keyed by (dir, seq) (tests/ref/reccmp.py).
# Times are epoch seconds; owd = time - born in ms.
. "$(dirname "$0")/tap.sh"
M=$TOOLS/mkflows
S=$BIN/seqjoin
REF=$TOP/tests/ref/records.py
H_PAIRS='dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess'
H_PATHS='dir@at@path@format@clock@len@records@first@last@missing@duplicated@reordered@mean@median@p95@p99@max'
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1
# one tshark run a capture: what seqjoin reads and what the reference reads
# shellcheck disable=SC2086,SC2046
TSHARK_FIELDS=$(printf '%s\n' $SEQJOIN_FIELDS $(python3 "$REF" --fields) | awk '!seen[$0]++')
have_rttpairs=0
[ -x "$BIN/rttpairs" ] && [ "$(printf '%s\n' \
    'dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx' \
    'ul@receiver@0@1000@1.000000000@@0.000@' |
    "$BIN/rttpairs" 2>/dev/null | head -1)" = "$H_PAIRS" ] && have_rttpairs=1

# records NAME WANT GOT: the lines equal, keyed by (dir, seq)
records() {
	python3 "$TOP/tests/ref/reccmp.py" "$2" "$3" >"$TMP/diff" 2>&1; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -12
	ok $rc "$1"
}
stats() {
	python3 "$TOP/tests/ref/statcmp.py" "$2" "$3" >"$TMP/diff" 2>&1; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -12
	ok $rc "$1"
}

# check NAME SCENARIO WANT-LINES WANT-PATHS WANT-PAIRS [seqjoin options]
# WANT-LINES: seqjoin's output; WANT-PATHS: the reference's --paths rows;
# WANT-PAIRS: the rttpairs rows (default metric, -t 100).  Leaves seqjoin's
# stderr (from the rows) in $TMP/err, its output in $TMP/out.
check() {
	local name=$1 scen=$2
	shift 2
	printf '%s\n' "$1" >"$TMP/want.lines"
	printf '%s\n%s\n' "$H_PATHS" "$2" >"$TMP/want.paths"
	printf '%s\n%s\n' "$H_PAIRS" "$3" >"$TMP/want.pairs"
	shift 3
	printf '%s\n' "$scen" >"$TMP/scen"
	"$M" -c <"$TMP/scen" >"$TMP/rows" || { ok 1 "$name: mkflows"; return; }
	"$M" -w "$TMP/cap.pcap" <"$TMP/scen" || { ok 1 "$name: mkflows -w"; return; }
	"$S" "$@" <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
	is "$?" 0 "$name: seqjoin exits 0 (@ rows)"
	records "$name: seqjoin's lines are the worked-out ones (@ rows)" "$TMP/want.lines" "$TMP/out"
	if [ "$have_tshark" = 1 ]; then
		# shellcheck disable=SC2086
		tshark_fields "$TMP/cap.pcap" $TSHARK_FIELDS >"$TMP/t.rows"
		"$S" "$@" <"$TMP/t.rows" >"$TMP/out.t" 2>/dev/null
		records "$name: seqjoin's lines are the worked-out ones (pcap through tshark)" "$TMP/want.lines" "$TMP/out.t"
	else
		skip "$name: tshark is not installed"
	fi
	if [ -x "$BIN/pcap2csv" ]; then
		pcap2csv_seqjoin_rows "$TMP/cap.pcap" | "$S" "$@" >"$TMP/out.p" 2>/dev/null
		records "$name: seqjoin's lines are the worked-out ones (pcap through pcap2csv -e)" "$TMP/want.lines" "$TMP/out.p"
	else
		skip "$name: bin/pcap2csv is not built"
	fi
	# the reference, from the same rows and from tshark's dissection
	python3 "$REF" "$@" --records <"$TMP/rows" >"$TMP/ref.lines" 2>/dev/null
	records "$name: the reference's lines are the worked-out ones (@ rows)" "$TMP/want.lines" "$TMP/ref.lines"
	python3 "$REF" "$@" --paths <"$TMP/rows" >"$TMP/ref.paths" 2>/dev/null
	is "$(cat "$TMP/ref.paths")" "$(cat "$TMP/want.paths")" "$name: the reference's paths: records, range, missing, duplicated, reordered, owd statistics (@ rows)"
	if [ "$have_tshark" = 1 ]; then
		python3 "$REF" "$@" --records <"$TMP/t.rows" >"$TMP/ref.lines.t" 2>/dev/null
		records "$name: the reference's lines are the worked-out ones (pcap through tshark)" "$TMP/want.lines" "$TMP/ref.lines.t"
	else
		skip "$name: tshark is not installed"
	fi
	python3 "$REF" --pairs <"$TMP/want.lines" >"$TMP/ref.pairs"
	stats "$name: the reference's rttpairs rows of the worked-out lines are the worked-out ones" "$TMP/want.pairs" "$TMP/ref.pairs"
	if [ "$have_rttpairs" = 1 ]; then
		"$BIN/rttpairs" <"$TMP/out" >"$TMP/pairs" 2>/dev/null
		stats "$name: seqjoin | rttpairs gives the worked-out rows" "$TMP/want.pairs" "$TMP/pairs"
	else
		skip "$name: seqjoin | rttpairs: bin/rttpairs does not print $H_PAIRS (the new rttpairs is not merged)"
	fi
}

H5201='dir@at@seq@born@5201.time@5201.rtt@5201.owd@5201.retx'

# S1: iperf3 3.1 uplink (-u -l 100) captured at the server.  The TCP
# control connection on the data port 5201 (SYN-ACK 20 us after the SYN,
# the client's ACK 30 ms later: the capture is the server's, so the uplink
# is at its receiver; the client's TTL 50 agrees) is not a path; the
# legacy 4-byte connect datagrams 15cd5b07 / b168de3a (123456789 and
# 987654321, little-endian) are not records, and the reply's flow is not a
# path.  Seq 3 lost, 4 twice (the copy ignored), 5 after 6 (reordered).
# owd sorted 10 11 12 13 15 120: mean 181/6, median (12 + 13) / 2, p95 at
# index 4.75: 15 + .75 * 105, p99 at 4.95: 15 + .95 * 105.  sent 1..7 = 7,
# n 6, loss 1/7, excess (seq 5 above 100 ms, seq 3 lost) 2/7.
S1="conn ctl 198.18.1.2 40000 198.18.0.1 5201 1000 5000
udp d 198.18.1.2 40001 198.18.0.1 5201
ttl ctl c 50
ttl d c 50
syn ctl 1700000000.000000
synack ctl 1700000000.000020
ack ctl c 1700000000.030000 0
seg ctl c 1700000000.030100 0 37 0
seg ctl s 1700000000.030150 0 1 37
dgraw d c 1700000000.040000 15cd5b07
dgraw d s 1700000000.040100 b168de3a
seg ctl s 1700000000.040200 1 1 37
dg d c 1700000000.110000 iperf3 100 1700000000.100000/1
dg d c 1700000000.212000 iperf3 100 1700000000.200000/2
dg d c 1700000000.415000 iperf3 100 1700000000.400000/4
dg d c 1700000000.416000 iperf3 100 1700000000.400000/4
dg d c 1700000000.611000 iperf3 100 1700000000.600000/6
dg d c 1700000000.620000 iperf3 100 1700000000.500000/5
dg d c 1700000000.713000 iperf3 100 1700000000.700000/7
seg ctl c 1700000000.800000 37 1 2"
S1_LINES="$H5201
ul@receiver@1@1700000000100.000@1700000000.110000000@@10.000@
ul@receiver@2@1700000000200.000@1700000000.212000000@@12.000@
ul@receiver@4@1700000000400.000@1700000000.415000000@@15.000@
ul@receiver@5@1700000000500.000@1700000000.620000000@@120.000@
ul@receiver@6@1700000000600.000@1700000000.611000000@@11.000@
ul@receiver@7@1700000000700.000@1700000000.713000000@@13.000@"
S1_PATHS='ul@receiver@5201@iperf3@epoch@100@6@1@7@1@1@1@30.167@12.500@93.750@114.750@120.000'
S1_PAIRS='ul@owd@5201@5201@7@6@0.142857@30.167@12.500@93.750@114.750@120.000@0.285714'
check "S1 iperf3 uplink at the server: control connection, connect datagrams, lost, duplicated, reordered" \
    "$S1" "$S1_LINES" "$S1_PATHS" "$S1_PAIRS"
is "$(grep -c 'iperf3 UDP connect datagrams\|records seen twice' "$TMP/err")" 2 \
    "S1: the connect datagrams, the duplicate and the reordered record are reported"
like "$(cat "$TMP/err")" "seqjoin: 5201: 1 UDP records seen twice \(the second copy ignored\), 1 that arrived after a later one \(reordered\)" "S1: one duplicate and one reordered record counted for their path"

# The same capture cut at 60 bytes a frame (-S 60: Ethernet, IPv4 and UDP
# headers are 42 bytes, so 18 payload bytes stay, and the 12-byte iperf3
# header with them): the same answers.
"$M" -S 60 -w "$TMP/s1cut.pcap" <<<"$S1"
"$M" -S 60 -c <<<"$S1" >"$TMP/s1cut.rows"
printf '%s\n' "$S1_LINES" >"$TMP/s1.lines"
"$S" <"$TMP/s1cut.rows" >"$TMP/out" 2>/dev/null
records "S1 cut to 60 bytes a frame: the same lines (@ rows)" "$TMP/s1.lines" "$TMP/out"
if [ "$have_tshark" = 1 ]; then
	tshark_seqjoin_rows "$TMP/s1cut.pcap" | "$S" >"$TMP/out" 2>/dev/null
	records "S1 cut to 60 bytes a frame: the same lines (pcap through tshark)" "$TMP/s1.lines" "$TMP/out"
	python3 "$REF" --records "$TMP/s1cut.pcap" >"$TMP/out" 2>/dev/null
	records "S1 cut to 60 bytes a frame: the reference's lines too" "$TMP/s1.lines" "$TMP/out"
else
	skip "S1 cut: tshark is not installed"
	skip "S1 cut: tshark is not installed"
fi

# S2: iperf3 >= 3.12, -R --udp-counters-64bit, captured at the client (the
# client's ACK 40 us after the SYN-ACK, which came 30 ms after the SYN), so
# the downlink is at its receiver.  Connect "9876" / reply "6789".  The
# server stamps CLOCK_MONOTONIC (born 5000 s: its uptime): born is not a
# wall-clock time, owd is rebased to its smallest value.  Read with a
# 32-bit seq every datagram would be seq 0.  Seq 3 lost, 5 twice, 4 after
# 5.  time - born - min: 0 2 (lost) 5 20 1; sorted 0 1 2 5 20: mean 5.6,
# median 2, p95 at index 3.8: 5 + .8 * 15, p99 at 3.96: 19.4.  sent 6, n 5,
# excess 1/6 (the lost record; none above 100 ms).
S2="conn ctl 198.18.1.2 40010 198.18.0.1 5202 2000 6000
udp d 198.18.1.2 40011 198.18.0.1 5202
ttl ctl s 52
ttl d s 52
syn ctl 1700000100.000000
synack ctl 1700000100.030000
ack ctl c 1700000100.030040 0
seg ctl c 1700000100.030100 0 37 0
dgraw d c 1700000100.040000 39383736
dgraw d s 1700000100.070000 36373839
dg d s 1700000100.100000 iperf3-64 200 5000.000000/1
dg d s 1700000100.112000 iperf3-64 200 5000.010000/2
dg d s 1700000100.145000 iperf3-64 200 5000.040000/5
dg d s 1700000100.146000 iperf3-64 200 5000.040000/5
dg d s 1700000100.150000 iperf3-64 200 5000.030000/4
dg d s 1700000100.151000 iperf3-64 200 5000.050000/6"
check "S2 iperf3 downlink at the client: 64-bit counters, monotonic stamps, lost, duplicated, reordered" "$S2" \
"dir@at@seq@born@5202.time@5202.rtt@5202.owd@5202.retx
dl@receiver@1@5000000.000@1700000100.100000000@@0.000@
dl@receiver@2@5000010.000@1700000100.112000000@@2.000@
dl@receiver@4@5000030.000@1700000100.150000000@@20.000@
dl@receiver@5@5000040.000@1700000100.145000000@@5.000@
dl@receiver@6@5000050.000@1700000100.151000000@@1.000@" \
'dl@receiver@5202@iperf3-64@monotonic@200@5@1@6@1@1@1@5.600@2.000@17.000@19.400@20.000' \
'dl@owd@5202@5202@6@5@0.166667@5.600@2.000@17.000@19.400@20.000@0.166667'
like "$(cat "$TMP/err")" "5202: born is not a wall-clock time .*rebased" "S2: the monotonic clock and the rebase are said"

# S3: udsend --udp -s 64 on two uplink paths (3270, 3272) captured at the
# server, no TCP: the vantage from the TTL (60: not an initial value, the
# datagrams arrived).  Born 1700000200000 + 100 seq ms.  3270: seq 2 lost,
# 3 twice, 4 after 5; both paths end with an end record (flag 0, seq 6),
# not a record.  3270: 20 25 - 30 145 40 (sorted 20 25 30 40 145: mean 52,
# median 30, p95 at 3.8: 40 + .8 * 105 = 124, p99 140.8); 3272: 30 15 22 18
# 24 26 (mean 22.5, median 23, p95 at 4.75: 26 + .75 * 4 = 29, p99 29.8).
# The pair: minima 20 15 22 18 24 26 (mean 20.833, median 21, p95 25.5,
# p99 25.9); sent 0..5 = 6; 3270 alone n 5, excess (145 ms, seq 2 lost)
# 2/6.
S3="udp a 198.18.1.2 41000 198.18.0.1 3270
udp b 198.18.2.2 42000 198.18.0.1 3272
ttl a c 60
ttl b c 60
dg a c 1700000200.020000 mptk 64 1700000200000/0/1
dg b c 1700000200.030000 mptk 64 1700000200000/0/1
dg b c 1700000200.115000 mptk 64 1700000200100/1/1
dg a c 1700000200.125000 mptk 64 1700000200100/1/1
dg b c 1700000200.222000 mptk 64 1700000200200/2/1
dg b c 1700000200.318000 mptk 64 1700000200300/3/1
dg a c 1700000200.330000 mptk 64 1700000200300/3/1
dg a c 1700000200.331000 mptk 64 1700000200300/3/1
dg b c 1700000200.424000 mptk 64 1700000200400/4/1
dg b c 1700000200.526000 mptk 64 1700000200500/5/1
dg a c 1700000200.540000 mptk 64 1700000200500/5/1
dg a c 1700000200.545000 mptk 64 1700000200400/4/1
dg a c 1700000200.610000 mptk 64 1700000200600/6/0
dg b c 1700000200.611000 mptk 64 1700000200600/6/0"
S3_LINES='dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx@3272.time@3272.rtt@3272.owd@3272.retx
ul@receiver@0@1700000200000@1700000200.020000000@@20.000@@1700000200.030000000@@30.000@
ul@receiver@1@1700000200100@1700000200.125000000@@25.000@@1700000200.115000000@@15.000@
ul@receiver@2@1700000200200@@@@@1700000200.222000000@@22.000@
ul@receiver@3@1700000200300@1700000200.330000000@@30.000@@1700000200.318000000@@18.000@
ul@receiver@4@1700000200400@1700000200.545000000@@145.000@@1700000200.424000000@@24.000@
ul@receiver@5@1700000200500@1700000200.540000000@@40.000@@1700000200.526000000@@26.000@'
check "S3 mptk datagrams on two uplink paths at the server: end records, a path's losses masked by the other" "$S3" \
"$S3_LINES" \
'ul@receiver@3270@mptk@epoch@64@5@0@5@1@1@1@52.000@30.000@124.000@140.800@145.000
ul@receiver@3272@mptk@epoch@64@6@0@5@0@0@0@22.500@23.000@29.000@29.800@30.000' \
'ul@owd@3270@3270@6@5@0.166667@52.000@30.000@124.000@140.800@145.000@0.333333
ul@owd@3272@3272@6@6@0.000000@22.500@23.000@29.000@29.800@30.000@0.000000
ul@owd@3270@3272@6@6@0.000000@20.833@21.000@25.500@25.900@26.000@0.000000'
like "$(cat "$TMP/err")" "seqjoin: ul: seen at the receiver, by the IP TTL of the data" "S3: the vantage from the TTL, said"
# DESIGN ("Duplicates and reordering are counted per path", issue 9)
grep -q '3270.*\(twice\|duplicat\)\|\(twice\|duplicat\).*3270' "$TMP/err"
ok $? "S3: the duplicate is reported for its path (3270)"

# A label map naming a third path that carried nothing (a dead phone): its
# columns stay empty, its row has n 0, loss 1, excess 1, and a pair with it
# is the other path alone.
printf '3270@A\n3272@B\n3274@dead\n' >"$TMP/labels"
"$M" -c <<<"$S3" | "$S" -L "$TMP/labels" >"$TMP/out" 2>/dev/null
is "$(head -1 "$TMP/out")" 'dir@at@seq@born@A.time@A.rtt@A.owd@A.retx@B.time@B.rtt@B.owd@B.retx@dead.time@dead.rtt@dead.owd@dead.retx' \
    "S3 with -L naming a dead third path: its columns"
is "$(awk -F@ 'NR > 1 && $13 $14 $15 $16 != "" { n++ } END { print n + 0 }' "$TMP/out")" 0 "S3 -L: the dead path's columns are empty on every line"
printf '%s\n' "$H_PAIRS" 'ul@owd@A@A@6@5@0.166667@52.000@30.000@124.000@140.800@145.000@0.333333
ul@owd@B@B@6@6@0.000000@22.500@23.000@29.000@29.800@30.000@0.000000
ul@owd@dead@dead@6@0@1.000000@@@@@@1.000000
ul@owd@A@B@6@6@0.000000@20.833@21.000@25.500@25.900@26.000@0.000000
ul@owd@A@dead@6@5@0.166667@52.000@30.000@124.000@140.800@145.000@0.333333
ul@owd@B@dead@6@6@0.000000@22.500@23.000@29.000@29.800@30.000@0.000000' >"$TMP/want.dead"
python3 "$REF" --pairs <"$TMP/out" >"$TMP/ref.dead"
stats "S3 -L: the reference's rows: the dead path's (n 0, loss 1, excess 1) and its pairs" "$TMP/want.dead" "$TMP/ref.dead"
if [ "$have_rttpairs" = 1 ]; then
	"$BIN/rttpairs" <"$TMP/out" >"$TMP/got.dead" 2>/dev/null
	stats "S3 -L: rttpairs' rows: the dead path's (n 0, loss 1, excess 1) and its pairs" "$TMP/want.dead" "$TMP/got.dead"
else
	skip "S3 -L: bin/rttpairs does not print $H_PAIRS (the new rttpairs is not merged)"
fi

# S4: the lab's packet_UD programs: uplink and downlink on one UDP 4-tuple
# (server port 3237, 250-byte labudp datagrams), captured at the client
# (its ACK 50 us after the SYN-ACK): UL at its sender, DL at its receiver;
# both named 3237, told apart by dir (UL record 0 and DL record 0 are
# different records).  The TCP control connection ("PHASE2 OK", "OK") and
# the client's 3-byte "123" are not records.  UL seq 0-2 (owd 0.050 0.040
# 0.060: p95 at 1.9 0.059), then an end record repeating seq 2.  DL: seq 1
# born .01234567 s (1e-8 s units: born 1700000300012.34567 ms, owd
# 32.00033), seq 2 lost, 3 twice, 4 after 5, an end record repeating 5
# (neither record nor duplicate); owd 30 32.00033 35 45 31, sorted: mean
# 34.600 (173.00033 / 5), median 32.000, p95 at 3.8: 35 + .8 * 10 = 43,
# p99 44.6; sent 0..5 = 6, n 5, excess 1/6.
S4="conn ctl 198.18.1.2 50000 198.18.0.1 3237 3000 7000
udp d 198.18.1.2 50000 198.18.0.1 3237
ttl ctl s 50
ttl d s 50
syn ctl 1700000299.900000
synack ctl 1700000299.930000
ack ctl c 1700000299.930050 0
dgraw d c 1700000299.940000 313233
seg ctl s 1700000299.970000 0 9 0
seg ctl c 1700000299.970100 0 2 9
dg d c 1700000300.000050 labudp 250 1700000300.00000000/0/1
dg d c 1700000300.010040 labudp 250 1700000300.01000000/1/1
dg d c 1700000300.020060 labudp 250 1700000300.02000000/2/1
dg d c 1700000300.020100 labudp 250 1700000300.02000000/2/0
dg d s 1700000300.035000 labudp 250 1700000300.00500000/0/1
dg d s 1700000300.044346 labudp 250 1700000300.01234567/1/1
dg d s 1700000300.070000 labudp 250 1700000300.03500000/3/1
dg d s 1700000300.071000 labudp 250 1700000300.03500000/3/1
dg d s 1700000300.086000 labudp 250 1700000300.05500000/5/1
dg d s 1700000300.090000 labudp 250 1700000300.04500000/4/1
dg d s 1700000300.095000 labudp 250 1700000300.05500000/5/0"
check "S4 labudp, uplink and downlink on one 4-tuple at the client: the 1e-8 s unit, end records" "$S4" \
'dir@at@seq@born@3237.time@3237.rtt@3237.owd@3237.retx
ul@sender@0@1700000300000.00000@1700000300.000050000@@0.050@
ul@sender@1@1700000300010.00000@1700000300.010040000@@0.040@
ul@sender@2@1700000300020.00000@1700000300.020060000@@0.060@
dl@receiver@0@1700000300005.00000@1700000300.035000000@@30.000@
dl@receiver@1@1700000300012.34567@1700000300.044346000@@32.000@
dl@receiver@3@1700000300035.00000@1700000300.070000000@@35.000@
dl@receiver@4@1700000300045.00000@1700000300.090000000@@45.000@
dl@receiver@5@1700000300055.00000@1700000300.086000000@@31.000@' \
'ul@sender@3237@labudp@epoch@250@3@0@2@0@0@0@0.050@0.050@0.059@0.060@0.060
dl@receiver@3237@labudp@epoch@250@5@0@5@1@1@1@34.600@32.000@43.000@44.600@45.000' \
'ul@owd@3237@3237@3@3@0.000000@0.050@0.050@0.059@0.060@0.060@0.000000
dl@owd@3237@3237@6@5@0.166667@34.600@32.000@43.000@44.600@45.000@0.166667'
# Cut to 60 bytes a frame, the 25-byte labudp headers are gone: no record
# at all, an error with a hint, nothing on stdout.
"$M" -S 60 -c <<<"$S4" | "$S" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "1:" "S4 cut to 60 bytes a frame: no records, exit 1, nothing printed"
like "$(tail -1 "$TMP/err")" "^seqjoin: no records" "S4 cut: said on stderr"
grep -q 'snap\|cut' "$TMP/err"
ok $? "S4 cut: the hint names the snap length (every datagram was cut before its header ended)"
"$M" -S 60 -c <<<"$S4" | python3 "$REF" --records >/dev/null 2>&1
is "$?" 1 "S4 cut: the reference finds no record either"

# S5: k records per datagram (UDP GRO at a receiver, GSO at a sender).
# labudp downlink from 3239 at the client (TTL 50: arrived): seq 0 alone
# (born .000 at .030: 30), one 500-byte datagram at .045 with 1 and 2 (born
# .010, .020: 35, 25), seq 3 (.030 at .055: 25); sorted 25 25 30 35: mean
# 28.75, median 27.5, p95 at 2.85: 30 + .85 * 5 = 34.25, p99 34.85.
# iperf3 -l 100 uplink to 5203 at the server (TTL 50): seq 1 alone (10),
# one 300-byte datagram at .330 with 2, 3, 4 (born .300 .310 .320: 30 20
# 10), seq 5 (12), one 200-byte datagram at .520 with 6, 7 (20, 15); the
# record length is the shortest datagram; sorted 10 10 12 15 20 20 30: mean
# 117/7 = 16.714, median 15, p95 at 5.7: 20 + .7 * 10 = 27, p99 29.4.  A
# record's time is its datagram's.
check "S5 k records per datagram: iperf3 and labudp" "udp d 198.18.1.2 40020 198.18.0.1 5203
udp l 198.18.1.2 50010 198.18.0.1 3239
ttl d c 50
ttl l s 50
dg l s 1700000400.030000 labudp 250 1700000400.00000000/0/1
dg l s 1700000400.045000 labudp 250 1700000400.01000000/1/1 1700000400.02000000/2/1
dg l s 1700000400.055000 labudp 250 1700000400.03000000/3/1
dg d c 1700000400.110000 iperf3 100 1700000400.100000/1
dg d c 1700000400.330000 iperf3 100 1700000400.300000/2 1700000400.310000/3 1700000400.320000/4
dg d c 1700000400.412000 iperf3 100 1700000400.400000/5
dg d c 1700000400.520000 iperf3 100 1700000400.500000/6 1700000400.505000/7" \
'dir@at@seq@born@3239.time@3239.rtt@3239.owd@3239.retx@5203.time@5203.rtt@5203.owd@5203.retx
ul@receiver@1@1700000400100.000@@@@@1700000400.110000000@@10.000@
ul@receiver@2@1700000400300.000@@@@@1700000400.330000000@@30.000@
ul@receiver@3@1700000400310.000@@@@@1700000400.330000000@@20.000@
ul@receiver@4@1700000400320.000@@@@@1700000400.330000000@@10.000@
ul@receiver@5@1700000400400.000@@@@@1700000400.412000000@@12.000@
ul@receiver@6@1700000400500.000@@@@@1700000400.520000000@@20.000@
ul@receiver@7@1700000400505.000@@@@@1700000400.520000000@@15.000@
dl@receiver@0@1700000400000.00000@1700000400.030000000@@30.000@@@@@
dl@receiver@1@1700000400010.00000@1700000400.045000000@@35.000@@@@@
dl@receiver@2@1700000400020.00000@1700000400.045000000@@25.000@@@@@
dl@receiver@3@1700000400030.00000@1700000400.055000000@@25.000@@@@@' \
'ul@receiver@5203@iperf3@epoch@100@7@1@7@0@0@0@16.714@15.000@27.000@29.400@30.000
dl@receiver@3239@labudp@epoch@250@4@0@3@0@0@0@28.750@27.500@34.250@34.850@35.000' \
'ul@owd@5203@5203@7@7@0.000000@16.714@15.000@27.000@29.400@30.000@0.000000
dl@owd@3239@3239@4@4@0.000000@28.750@27.500@34.250@34.850@35.000@0.000000'
is "$(cat "$TMP/err")" 'seqjoin: ul: seen at the receiver, by the IP TTL of the data
seqjoin: dl: seen at the receiver, by the IP TTL of the data' "S5: nothing else to report"

# S6: datagrams cut short by the snap length (iperf3 -l 100 uplink at the
# server).  Seq 2 keeps 18 payload bytes (its 12-byte header: a record),
# seq 3 keeps 8 (header cut: not a record, lost), seq 5-7 in one 300-byte
# datagram that keeps 118 bytes (5 and 6 whole headers at 0 and 100, 7
# cut: k comes from the wire length).  Records 1 2 4 5 6 8: owd 10 12 15 30
# 20 12, sorted 10 12 12 15 20 30: mean 16.5, median 13.5, p95 at 4.75: 20
# + .75 * 10 = 27.5, p99 29.5; sent 1..8 = 8, n 6, loss .25, excess 2/8.
check "S6 datagrams cut short by the snap length" "udp d 198.18.1.2 40030 198.18.0.1 5204
ttl d c 50
dg d c 1700000500.110000 iperf3 100 1700000500.100000/1
snap 60
dg d c 1700000500.212000 iperf3 100 1700000500.200000/2
snap 50
dg d c 1700000500.312000 iperf3 100 1700000500.300000/3
snap 0
dg d c 1700000500.415000 iperf3 100 1700000500.400000/4
snap 160
dg d c 1700000500.530000 iperf3 100 1700000500.500000/5 1700000500.510000/6 1700000500.520000/7
snap 0
dg d c 1700000500.612000 iperf3 100 1700000500.600000/8" \
'dir@at@seq@born@5204.time@5204.rtt@5204.owd@5204.retx
ul@receiver@1@1700000500100.000@1700000500.110000000@@10.000@
ul@receiver@2@1700000500200.000@1700000500.212000000@@12.000@
ul@receiver@4@1700000500400.000@1700000500.415000000@@15.000@
ul@receiver@5@1700000500500.000@1700000500.530000000@@30.000@
ul@receiver@6@1700000500510.000@1700000500.530000000@@20.000@
ul@receiver@8@1700000500600.000@1700000500.612000000@@12.000@' \
'ul@receiver@5204@iperf3@epoch@100@6@1@8@2@0@0@16.500@13.500@27.500@29.500@30.000' \
'ul@owd@5204@5204@8@6@0.250000@16.500@13.500@27.500@29.500@30.000@0.250000'
like "$(cat "$TMP/err")" "^seqjoin: 2 records whose header the capture cut \(snap length\)" "S6: the two cut records are counted"

# S7: the vantage from the TTL alone (no TCP): an iperf3 uplink to 5205
# and a downlink from 5206, two records each (UL owd 10, 12; DL 0.010,
# 0.020: at the sender the owd is the sending host's own delay).  At the
# server the uplink arrives with TTL 50 (receiver) and the downlink leaves
# with 64 (sender); at the client (S7b) the uplink leaves with 64 and the
# downlink arrives with 52.  UL: mean = median 11, p95 11.9, p99 11.98;
# DL 0.015 0.015 0.0195 0.0199 0.020.  UDP has no rtt: owd either way.
s7() {	# UL TTL, DL TTL [UL TTL of the second datagram]
	printf '%s\n' "udp u 198.18.1.2 40040 198.18.0.1 5205
udp v 198.18.1.2 40041 198.18.0.1 5206
ttl u c $1
ttl v s $2
dg v s 1700000600.100010 iperf3 100 1700000600.100000/1
dg u c 1700000600.110000 iperf3 100 1700000600.100000/1
ttl u c ${3:-$1}
dg v s 1700000600.200020 iperf3 100 1700000600.200000/2
dg u c 1700000600.212000 iperf3 100 1700000600.200000/2"
}
s7_lines() {	# UL at, DL at
	printf '%s\n' 'dir@at@seq@born@5205.time@5205.rtt@5205.owd@5205.retx@5206.time@5206.rtt@5206.owd@5206.retx' \
	    "ul@$1@1@1700000600100.000@1700000600.110000000@@10.000@@@@@" \
	    "ul@$1@2@1700000600200.000@1700000600.212000000@@12.000@@@@@" \
	    "dl@$2@1@1700000600100.000@@@@@1700000600.100010000@@0.010@" \
	    "dl@$2@2@1700000600200.000@@@@@1700000600.200020000@@0.020@"
}
S7_PAIRS='ul@owd@5205@5205@2@2@0.000000@11.000@11.000@11.900@11.980@12.000@0.000000
dl@owd@5206@5206@2@2@0.000000@0.015@0.015@0.019@0.020@0.020@0.000000'
check "S7 at the server, vantage from the TTL: uplink at its receiver, downlink at its sender" \
    "$(s7 50 64)" "$(s7_lines receiver sender)" \
'ul@receiver@5205@iperf3@epoch@100@2@1@2@0@0@0@11.000@11.000@11.900@11.980@12.000
dl@sender@5206@iperf3@epoch@100@2@1@2@0@0@0@0.015@0.015@0.019@0.020@0.020' "$S7_PAIRS"
check "S7b at the client, vantage from the TTL: uplink at its sender, downlink at its receiver" \
    "$(s7 64 52)" "$(s7_lines sender receiver)" \
'ul@sender@5205@iperf3@epoch@100@2@1@2@0@0@0@11.000@11.000@11.900@11.980@12.000
dl@receiver@5206@iperf3@epoch@100@2@1@2@0@0@0@0.015@0.015@0.019@0.020@0.020' "$S7_PAIRS"
# S7c: the uplink's datagrams leave with TTL 64, then arrive with 50 (a
# capture merged from two hosts, a TTL-rewriting middlebox): the TTL says
# both, so the uplink's vantage is unknown (and said); --at server decides.
printf '%s\n' "$(s7 64 64 50)" | "$M" -c >"$TMP/rows"
"$S" <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
python3 "$REF" --records <"$TMP/rows" >"$TMP/ref" 2>/dev/null
s7_lines unknown sender >"$TMP/want"
records "S7c TTLs 64 then 50 on the uplink: the reference says unknown" "$TMP/want" "$TMP/ref"
python3 "$TOP/tests/ref/reccmp.py" "$TMP/want" "$TMP/out" >/dev/null
ok $? "S7c TTLs 64 then 50 on the uplink: seqjoin's vantage is unknown (and said), not the first datagram's"
"$S" --at server <"$TMP/rows" >"$TMP/out" 2>/dev/null
python3 "$REF" --at server --records <"$TMP/rows" >"$TMP/ref" 2>/dev/null
s7_lines receiver sender >"$TMP/want"
records "S7c --at server: the reference's uplink at its receiver" "$TMP/want" "$TMP/ref"
python3 "$TOP/tests/ref/reccmp.py" "$TMP/want" "$TMP/out" >/dev/null
ok $? "S7c --at server: seqjoin's uplink at its receiver"

# S8: a DNS query and its answer (the lab's phone's, one datagram a flow,
# TTL 64 out and 52 back) beside an iperf3 uplink: a one-datagram flow shows
# no seq increasing by one (DESIGN "Records": the format is found from the
# first records, born within a day, seq increasing by one), so it is no
# path; the uplink's lines alone.
S8="udp q 198.18.1.2 14354 198.18.0.53 53
ttl q s 52
dgraw q c 1700000000.050000 13680100000100000000000007616e64726f69640a676f6f676c656170697303636f6d00001c0001
dgraw q s 1700000000.066000 13688180000100010000000007616e64726f69640a676f6f676c656170697303636f6d00001c0001c00c001c00010000004d00102404680040120002000000000000200a
udp d 198.18.1.2 40001 198.18.0.1 5201
ttl d c 50
dg d c 1700000000.110000 iperf3 100 1700000000.100000/1
dg d c 1700000000.212000 iperf3 100 1700000000.200000/2
dg d c 1700000000.315000 iperf3 100 1700000000.300000/3"
printf '%s\n' "$H5201" 'ul@receiver@1@1700000000100.000@1700000000.110000000@@10.000@' \
    'ul@receiver@2@1700000000200.000@1700000000.212000000@@12.000@' \
    'ul@receiver@3@1700000000300.000@1700000000.315000000@@15.000@' >"$TMP/want"
"$M" -c <<<"$S8" >"$TMP/rows"
python3 "$REF" --records <"$TMP/rows" >"$TMP/ref" 2>/dev/null
records "S8 a DNS exchange beside the data: the reference's lines are the uplink's alone" "$TMP/want" "$TMP/ref"
"$S" <"$TMP/rows" >"$TMP/out" 2>/dev/null
python3 "$TOP/tests/ref/reccmp.py" "$TMP/want" "$TMP/out" >/dev/null
ok $? "S8 a DNS exchange beside the data: seqjoin's lines are the uplink's alone"
done_testing
