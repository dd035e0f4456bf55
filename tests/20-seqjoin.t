#!/usr/bin/env bash
# seqjoin on hand-built captures: each hard case with numbers worked out by
# hand.  tests/tools/mkflows writes each scenario both as '@' rows (checked
# everywhere) and as a pcap file read back by tshark (checked when tshark is
# installed): both must give the same, expected, lines.
. "$(dirname "$0")/tap.sh"
M=$TOOLS/mkflows
S=$BIN/seqjoin
NOSTREAM="frame.time_epoch ip.src ip.dst tcp.srcport tcp.dstport tcp.seq_raw
tcp.ack_raw tcp.len tcp.flags tcp.analysis.retransmission
tcp.analysis.fast_retransmission tcp.payload"
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1

# check NAME SCENARIO EXPECTED-STDOUT EXPECTED-STDERR [seqjoin args]
check() {
	local name=$1 scen=$2 want=$3 wanterr=$4
	shift 4
	printf '%s\n' "$scen" >"$TMP/scen"
	"$M" -s 20 -c <"$TMP/scen" >"$TMP/rows" || { ok 1 "$name: mkflows"; return; }
	"$S" -s 20 "$@" <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out")" "0:$want" "$name (@ rows)"
	is "$(cat "$TMP/err")" "$wanterr" "$name: what could not be used (@ rows)"
	# without tcp.stream, connections are told apart by their addresses
	"$TOOLS/atcat" $NOSTREAM <"$TMP/rows" | "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out")" "0:$want" "$name (@ rows without tcp.stream)"
	is "$(cat "$TMP/err")" "$wanterr" "$name: what could not be used (@ rows without tcp.stream)"
	# IPv6 rows carry ipv6.src and ipv6.dst instead
	"$TOOLS/atcat" $NOSTREAM <"$TMP/rows" |
	    sed '1s/ip\.src/ipv6.src/; 1s/ip\.dst/ipv6.dst/' |
	    "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out")" "0:$want" "$name (@ rows, ipv6 addresses, no tcp.stream)"
	"$M" -s 20 -w "$TMP/cap.pcap" <"$TMP/scen"
	ok $? "$name: mkflows writes the pcap"
	if [ "$have_tshark" = 1 ]; then
		tshark_rows "$TMP/cap.pcap" | "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/out")" "0:$want" "$name (pcap through tshark)"
	else
		skip "$name: tshark is not installed"
	fi
	if [ -x "$BIN/pcap2csv" ]; then
		"$BIN/pcap2csv" "$TMP/cap.pcap" | "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/out")" "0:$want" "$name (pcap through pcap2csv)"
	else
		skip "$name: bin/pcap2csv is not built"
	fi
}

H1='seq@born@3271.time@3271.rtt@3271.owd@3271.retx'

# Record 0 split across 3 segments; records 1-3 in one segment; 2 and 3
# retransmitted (40 of 60 bytes acked at .030, resent at .050, acked at
# .060); record 4's two halves reordered (last byte first at .070, the gap
# filled at .071, which tshark flags as a retransmission); end record, FINs.
# r0: time .003 (third piece), ack .010: rtt 7, owd .003-(-.010) = 13.
# r1-r3: time .020; r1 acked at .030 (rtt 10), r2, r3 at .060 (rtt 40).
# r4: time .070 (the first segment carrying byte 99), ack .080: rtt 10.
check "split, several per segment, retransmission, reordering, end record" "
conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
rec A s 1795548536992 2 1
rec A s 1795548536993 3 1
rec A s 1795548536994 4 1
rec A s 1795548536995 5 0
syn A 1795548537.000000
synack A 1795548537.000100
ack A c 1795548537.000200 0
seg A s 1795548537.001000 0 5 0
seg A s 1795548537.002000 5 10 0
seg A s 1795548537.003000 15 5 0
ack A c 1795548537.010000 20
seg A s 1795548537.020000 20 60 0
ack A c 1795548537.030000 40
seg A s 1795548537.050000 40 40 0 R
ack A c 1795548537.060000 80
seg A s 1795548537.070000 90 10 0
seg A s 1795548537.071000 80 10 0 R
ack A c 1795548537.080000 100
seg A s 1795548537.090000 100 20 0
ack A c 1795548537.091000 120
fin A s 1795548537.100000 120 0
fin A c 1795548537.100500 0 121
ack A s 1795548537.101000 1" "$H1
0@1795548536990@1795548537.003000000@7.000@13.000@0
1@1795548536991@1795548537.020000000@10.000@29.000@0
2@1795548536992@1795548537.020000000@40.000@28.000@1
3@1795548536993@1795548537.020000000@40.000@27.000@1
4@1795548536994@1795548537.070000000@10.000@76.000@1" ""

# No SYN: the capture starts at byte 30, in the middle of record 1; records
# start again at byte 40 (record 2, confirmed by record 3).  Both paths
# are named by their lower port.  Path 3271 ends early (RST): record 3 is
# half sent, so only path 3270 has it.
H2='seq@born@3270.time@3270.rtt@3270.owd@3270.retx@3271.time@3271.rtt@3271.owd@3271.retx'
check "SYN-less start mid-record, two paths, early end" "
conn U 198.18.1.2 40001 198.18.0.1 3270 4294967280 7000
conn D 198.18.1.2 40002 198.18.0.1 3271 9000 4294967290
rec U c 1795548536990 0 1
rec U c 1795548536991 1 1
rec U c 1795548536992 2 1
rec U c 1795548536993 3 1
rec D s 1795548536990 0 1
rec D s 1795548536991 1 1
rec D s 1795548536992 2 1
rec D s 1795548536993 3 1
seg U c 1795548537.010000 30 10 0
seg D s 1795548537.011000 30 10 0
seg U c 1795548537.012000 40 20 0
seg D s 1795548537.013000 40 20 0
ack U s 1795548537.014000 60
seg U c 1795548537.015000 60 20 0
seg D s 1795548537.016000 60 10 0
ack D c 1795548537.030000 60
ack U s 1795548537.031000 80
rst D s 1795548537.040000 70" "$H2
2@1795548536992@1795548537.012000000@2.000@20.000@0@1795548537.013000000@17.000@21.000@0
3@1795548536993@1795548537.015000000@16.000@22.000@0@@@@" \
"seqjoin: 20 bytes before the first whole record (capture started mid-stream)
seqjoin: 1 records whose header or last byte was not captured"

# Sequence numbers wrap: ISN 2^32-25, so record 1 (bytes 20-39) crosses
# 2^32 and the ACKs after it are small raw numbers.  Record 2 is never
# acknowledged: its rtt is empty.  Records carry microsecond send times
# (flag 2): born printed in ms with 3 decimals, owd from the microseconds.
check "32-bit wrap-around, never acked, microsecond records" "
conn A 198.18.1.2 40000 198.18.0.1 3271 1000 4294967271
rec A s 1795548536990100 0 2
rec A s 1795548536991200 1 2
rec A s 1795548536992300 2 2
syn A 1795548537.000000
synack A 1795548537.000100
ack A c 1795548537.000200 0
seg A s 1795548537.001000 0 30 0
seg A s 1795548537.002000 30 30 0
ack A c 1795548537.004500 20
ack A c 1795548537.005000 40" "$H1
0@1795548536990.100@1795548537.001000000@3.500@10.900@0
1@1795548536991.200@1795548537.002000000@3.000@10.800@0
2@1795548536992.300@1795548537.002000000@@9.700@0" ""

# Three paths with different delays; path 3275 lost record 1 (its bytes
# never captured, then the stream went on): an empty group on that line.
# Path order is port order whatever the capture order.
H3='seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx@3275.time@3275.rtt@3275.owd@3275.retx'
check "three paths, different delays, a record missing on one" "
conn C 198.18.3.2 40003 198.18.0.1 3275 3000 30000
conn A 198.18.1.2 40001 198.18.0.1 3271 1000 10000
conn B 198.18.2.2 40002 198.18.0.1 3273 2000 20000
rec A s 1795548537000 0 1
rec A s 1795548537010 1 1
rec B s 1795548537000 0 1
rec B s 1795548537010 1 1
rec C s 1795548537001 0 1
rec C s 1795548537011 1 1
rec C s 1795548537021 2 1
syn C 1795548536.900000
synack C 1795548536.900100
syn A 1795548536.901000
synack A 1795548536.901100
syn B 1795548536.902000
synack B 1795548536.902100
seg A s 1795548537.001000 0 20 0
seg B s 1795548537.002000 0 20 0
seg C s 1795548537.003000 0 20 0
ack A c 1795548537.021000 20
ack B c 1795548537.042000 20
ack C c 1795548537.083000 20
seg A s 1795548537.011000 20 20 0
seg B s 1795548537.012000 20 20 0
ack A c 1795548537.031000 40
ack B c 1795548537.052000 40
seg C s 1795548537.100000 40 20 0
ack C c 1795548537.180000 60" "$H3
0@1795548537000@1795548537.001000000@20.000@1.000@0@1795548537.002000000@40.000@2.000@0@1795548537.003000000@80.000@2.000@0
1@1795548537010@1795548537.011000000@20.000@1.000@0@1795548537.012000000@40.000@2.000@0@@@@
2@1795548537021@@@@@@@@@1795548537.100000000@80.000@79.000@0" \
"seqjoin: 1 records whose header or last byte was not captured"

# The same addresses and ports twice: after the FINs, a new SYN opens a
# second connection whose records go on the same path (server port 3271).
check "port reuse: a second connection on the same path" "
conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
conn B 198.18.1.2 40000 198.18.0.1 3271 800 3000
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
rec B s 1795548536992 2 1
rec B s 1795548536993 3 1
syn A 1795548537.000000
synack A 1795548537.000100
seg A s 1795548537.001000 0 40 0
ack A c 1795548537.011000 40
fin A s 1795548537.020000 40 0
fin A c 1795548537.020500 0 41
ack A s 1795548537.021000 1
syn B 1795548538.000000
synack B 1795548538.000100
seg B s 1795548538.001000 0 20 0
seg B s 1795548538.002000 20 20 0
ack B c 1795548538.022000 40" "$H1
0@1795548536990@1795548537.001000000@10.000@11.000@0
1@1795548536991@1795548537.001000000@10.000@10.000@0
2@1795548536992@1795548538.001000000@21.000@1009.000@0
3@1795548536993@1795548538.002000000@20.000@1009.000@0" ""

# Spurious retransmissions of acknowledged records: one within the grace
# time after the ACK (min(-W, 10 s) = 50 ms here) sets retx; one captured
# after the record went out (acked .012, out after .062, resent .200) is
# too late and is counted instead.
check "retransmission after the ACK: within the grace time, and too late" "
conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
syn A 1795548537.000000
synack A 1795548537.000100
ack A c 1795548537.000200 0
seg A s 1795548537.001000 0 20 0
seg A s 1795548537.002000 20 20 0
ack A c 1795548537.011000 20
ack A c 1795548537.012000 40
seg A s 1795548537.030000 0 20 0 R
ack A c 1795548537.031000 40
ack A c 1795548537.150000 40
seg A s 1795548537.200000 20 20 0 R
ack A c 1795548537.201000 40" "$H1
0@1795548536990@1795548537.001000000@10.000@11.000@1
1@1795548536991@1795548537.002000000@10.000@11.000@0" \
"seqjoin: 1 retransmissions of records already output (retx not set)" -W 0.05

# -p keeps the paths asked for; -L names them, in the map's order.
printf '3275@TW LTE\n3271@"CHT @NR"\n' >"$TMP/labels"
check "-L labels and orders, -p selects" "
conn C 198.18.3.2 40003 198.18.0.1 3275 3000 30000
conn A 198.18.1.2 40001 198.18.0.1 3271 1000 10000
conn B 198.18.2.2 40002 198.18.0.1 3273 2000 20000
rec A s 1795548537000 0 1
rec B s 1795548537000 0 1
rec C s 1795548537001 0 1
syn C 1795548536.900000
syn A 1795548536.901000
syn B 1795548536.902000
seg A s 1795548537.001000 0 20 0
seg B s 1795548537.002000 0 20 0
seg C s 1795548537.003000 0 20 0
ack A c 1795548537.021000 20
ack B c 1795548537.042000 20
ack C c 1795548537.083000 20" 'seq@born@TW LTE.time@TW LTE.rtt@TW LTE.owd@TW LTE.retx@"CHT @NR.time"@"CHT @NR.rtt"@"CHT @NR.owd"@"CHT @NR.retx"
0@1795548537000@1795548537.003000000@80.000@2.000@0@1795548537.001000000@20.000@1.000@0' "" \
    -L "$TMP/labels" -p 3270-3272,3275

# udrecv rows: rtt and retx are empty; born as printed (ms or ms.us).
out=$(printf 'path@seq@born@time@owd\n3271@0@1795548537000@1795548537.010000000@10.000\n3273@0@1795548537000@1795548537.030500000@30.500\n3271@1@1795548537010.250@1795548537.020000000@\n' | "$S" 2>&1)
is "$out" 'seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx
0@1795548537000@1795548537.010000000@@10.000@@1795548537.030500000@@30.500@
1@1795548537010.250@1795548537.020000000@@9.750@@@@@' "udrecv rows joined by seq (owd computed when empty)"

# A copy more than -W after its row went out is a line of its own, counted.
out=$(printf 'path@seq@born@time@owd\n3271@0@1000@1.000@\n3271@1@1010@1.010@\n3273@1@1010@5.000@\n3273@0@1000@5.100@\n' | "$S" -W 2 2>&1)
is "$out" 'seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx
0@1000@1.000000000@@0.000@@@@@
1@1010@1.010000000@@0.000@@5.000000000@@3990.000@
0@1000@@@@@5.100000000@@4100.000@
seqjoin: 1 records later than the window, output as lines of their own' "a copy later than the window: its own line, counted"
done_testing
