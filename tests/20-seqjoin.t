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
tcp.analysis.fast_retransmission tcp.payload ip.ttl"
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
		tshark_seqjoin_rows "$TMP/cap.pcap" | "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/out")" "0:$want" "$name (pcap through tshark)"
	else
		skip "$name: tshark is not installed"
	fi
	if [ -x "$BIN/pcap2csv" ]; then
		pcap2csv_seqjoin_rows "$TMP/cap.pcap" |
		    "$S" -s 20 "$@" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/out")" "0:$want" "$name (pcap through pcap2csv)"
	else
		skip "$name: bin/pcap2csv is not built"
	fi
}

H1='dir@at@seq@born@3271.time@3271.rtt@3271.owd@3271.retx'

# Record 0 split across 3 segments; records 1-3 in one segment; 2 and 3
# retransmitted (40 of 60 bytes acked at .030, resent at .050, acked at
# .060); record 4's two halves reordered (last byte first at .070, the gap
# filled at .071, which tshark flags as a retransmission); end record, FINs.
# Records flow from the server (dl); the SYN-ACK answers in 20 us and the
# client's ACK comes 880 us later: the capture is the server's, so it sees
# the records at their sender and rtt is a path round trip.
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
synack A 1795548537.000020
ack A c 1795548537.000900 0
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
dl@sender@0@1795548536990@1795548537.003000000@7.000@13.000@0
dl@sender@1@1795548536991@1795548537.020000000@10.000@29.000@0
dl@sender@2@1795548536992@1795548537.020000000@40.000@28.000@1
dl@sender@3@1795548536993@1795548537.020000000@40.000@27.000@1
dl@sender@4@1795548536994@1795548537.070000000@10.000@76.000@1" ""
# --at beats the handshake (a stated fact over a guess): the same capture
# said to be the client's is the downlink's receiver (no rtt there), and the
# disagreement is said
"$S" -s 20 --at client <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
is "$?:$(awk -F@ 'NR > 1 { print $1 "@" $2 "@" $6 }' "$TMP/out" | sort | uniq -c | sed 's/^ *//')" \
	"0:5 dl@receiver@" "--at client over a handshake that says server: the downlink at its receiver, no rtt"
is "$(cat "$TMP/err")" "seqjoin: 1 flows' handshake or TTL disagree with --at client (--at kept)" \
	"--at client over a handshake that says server: the disagreement said"

# An uplink and a downlink whose records share sequence numbers: different
# records, never joined (a line each, the other direction's columns
# empty).  No SYN: the capture starts at byte 30, in the middle of record
# 1; records start again at byte 40 (record 2, confirmed by record 3).
# Both paths are named by their lower port.  The client's packets arrive
# with TTL 60, the server's leave with 64: the capture is the server's, so
# the uplink is seen at its receiver (rtt would be the server's own ACK
# delay: empty) and the downlink at its sender.  Path 3271 ends early
# (RST): record 3 is half sent, so it has no record 3.
H2='dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx@3271.time@3271.rtt@3271.owd@3271.retx'
check "uplink and downlink apart; vantage from the TTL; SYN-less start mid-record; early end" "
conn U 198.18.1.2 40001 198.18.0.1 3270 4294967280 7000
conn D 198.18.1.2 40002 198.18.0.1 3271 9000 4294967290
ttl U c 60
ttl D c 60
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
ul@receiver@2@1795548536992@1795548537.012000000@@20.000@0@@@@
ul@receiver@3@1795548536993@1795548537.015000000@@22.000@0@@@@
dl@sender@2@1795548536992@@@@@1795548537.013000000@17.000@21.000@0" \
"seqjoin: 20 bytes before the first whole record (capture started mid-stream)
seqjoin: 1 records whose header or last byte was not captured
seqjoin: ul: seen at the receiver, by the IP TTL of the data
seqjoin: dl: seen at the sender, by the IP TTL of the data"

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
synack A 1795548537.000010
ack A c 1795548537.000900 0
seg A s 1795548537.001000 0 30 0
seg A s 1795548537.002000 30 30 0
ack A c 1795548537.004500 20
ack A c 1795548537.005000 40" "$H1
dl@sender@0@1795548536990.100@1795548537.001000000@3.500@10.900@0
dl@sender@1@1795548536991.200@1795548537.002000000@3.000@10.800@0
dl@sender@2@1795548536992.300@1795548537.002000000@@9.700@0" ""

# Three paths with different delays; path 3275 lost record 1 (its bytes
# never captured, then the stream went on): an empty group on that line.
# Path order is port order whatever the capture order.
H3='dir@at@seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx@3275.time@3275.rtt@3275.owd@3275.retx'
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
seg A s 1795548537.011000 20 20 0
seg B s 1795548537.012000 20 20 0
ack A c 1795548537.021000 20
ack A c 1795548537.031000 40
ack B c 1795548537.042000 20
ack B c 1795548537.052000 40
ack C c 1795548537.083000 20
seg C s 1795548537.100000 40 20 0
ack C c 1795548537.180000 60" "$H3
dl@sender@0@1795548537000@1795548537.001000000@20.000@1.000@0@1795548537.002000000@40.000@2.000@0@1795548537.003000000@80.000@2.000@0
dl@sender@1@1795548537010@1795548537.011000000@20.000@1.000@0@1795548537.012000000@40.000@2.000@0@@@@
dl@sender@2@1795548537021@@@@@@@@@1795548537.100000000@80.000@79.000@0" \
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
dl@sender@0@1795548536990@1795548537.001000000@10.000@11.000@0
dl@sender@1@1795548536991@1795548537.001000000@10.000@10.000@0
dl@sender@2@1795548536992@1795548538.001000000@21.000@1009.000@0
dl@sender@3@1795548536993@1795548538.002000000@20.000@1009.000@0" ""

# Spurious retransmissions of acknowledged records: one within the grace
# time after the ACK (min(-W, 10 s) = 50 ms here) sets retx; one captured
# after the record went out (acked .012, out after .062, resent .200) is
# too late and is counted instead.
check "retransmission after the ACK: within the grace time, and too late" "
conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
syn A 1795548537.000000
synack A 1795548537.000010
ack A c 1795548537.000800 0
seg A s 1795548537.001000 0 20 0
seg A s 1795548537.002000 20 20 0
ack A c 1795548537.011000 20
ack A c 1795548537.012000 40
seg A s 1795548537.030000 0 20 0 R
ack A c 1795548537.031000 40
ack A c 1795548537.150000 40
seg A s 1795548537.200000 20 20 0 R
ack A c 1795548537.201000 40" "$H1
dl@sender@0@1795548536990@1795548537.001000000@10.000@11.000@1
dl@sender@1@1795548536991@1795548537.002000000@10.000@11.000@0" \
"seqjoin: 1 retransmissions of records already output (retx not set)" -W 0.05

# -L names the paths, in the map's order, and -p keeps some of them: the
# rows of 3273 (in neither) are counted, not silently dropped.
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
ack C c 1795548537.083000 20" 'dir@at@seq@born@TW LTE.time@TW LTE.rtt@TW LTE.owd@TW LTE.retx@"CHT @NR.time"@"CHT @NR.rtt"@"CHT @NR.owd"@"CHT @NR.retx"
dl@sender@0@1795548537000@1795548537.003000000@80.000@2.000@0@1795548537.001000000@20.000@1.000@0' \
"seqjoin: 3 rows of ports that are not paths (-p, -L) ignored
seqjoin: dl: seen at the sender, by the IP TTL of the data" \
    -L "$TMP/labels" -p 3270-3272,3275

# A path that dies mid-run (3273: RST after record 1) and a path named by
# -L that never carries a record (3275: a handshake, then nothing).  Every
# path keeps its columns; on the lines after its death, and on every line
# for the silent one, they are empty: the record is lost there.
printf '3271@A\n3273@B\n3275@C\n' >"$TMP/labels3"
check "a path that dies mid-run, a path with no records" "
conn A 198.18.1.2 40001 198.18.0.1 3271 1000 10000
conn B 198.18.2.2 40002 198.18.0.1 3273 2000 20000
conn C 198.18.3.2 40003 198.18.0.1 3275 3000 30000
rec A s 1795548537000 0 1
rec A s 1795548537010 1 1
rec A s 1795548537020 2 1
rec A s 1795548537030 3 1
rec B s 1795548537000 0 1
rec B s 1795548537010 1 1
rec B s 1795548537020 2 1
syn A 1795548536.900000
synack A 1795548536.900010
syn B 1795548536.901000
synack B 1795548536.901010
syn C 1795548536.902000
synack C 1795548536.902010
ack A c 1795548536.920000 0
ack B c 1795548536.930000 0
ack C c 1795548536.940000 0
seg A s 1795548537.001000 0 20 0
seg B s 1795548537.002000 0 20 0
seg A s 1795548537.011000 20 20 0
seg B s 1795548537.012000 20 20 0
ack A c 1795548537.021000 40
ack B c 1795548537.032000 40
rst B s 1795548537.033000 40
seg A s 1795548537.041000 40 40 0
ack A c 1795548537.061000 80" 'dir@at@seq@born@A.time@A.rtt@A.owd@A.retx@B.time@B.rtt@B.owd@B.retx@C.time@C.rtt@C.owd@C.retx
dl@sender@0@1795548537000@1795548537.001000000@20.000@1.000@0@1795548537.002000000@30.000@2.000@0@@@@
dl@sender@1@1795548537010@1795548537.011000000@10.000@1.000@0@1795548537.012000000@20.000@2.000@0@@@@
dl@sender@2@1795548537020@1795548537.041000000@20.000@21.000@0@@@@@@@@
dl@sender@3@1795548537030@1795548537.041000000@20.000@11.000@0@@@@@@@@' "" -L "$TMP/labels3"

# One run captured at each end, an uplink path 3270 and a downlink path
# 3271.  At the server the SYN-ACK answers 20 us after the SYN and the
# client's next segment (the uplink's first data) comes a round trip (3 ms)
# later; at the client the SYN-ACK comes a round trip after the SYN and
# the client answers within 10 us.  At the server the uplink is seen at its
# receiver (no rtt), the downlink at its sender; at the client the other
# way round.
both_ends() {	# the SYN-ACK and the client's answer, in us after the SYN
	local sa=$(printf %06d "$1") ca=$(printf %06d "$2")
	printf '%s\n' "conn U 198.18.1.2 40001 198.18.0.1 3270 1000 10000
conn D 198.18.1.2 40002 198.18.0.1 3271 2000 20000
rec U c 1795548536890 0 1
rec U c 1795548536895 1 1
rec D s 1795548536990 0 1
rec D s 1795548536995 1 1
syn U 1795548536.900000
synack U 1795548536.$((900000 + 10#$sa))
seg U c 1795548536.$((900000 + 10#$ca)) 0 40 0
syn D 1795548536.950000
synack D 1795548536.$((950000 + 10#$sa))
ack D c 1795548536.$((950000 + 10#$ca)) 0
seg D s 1795548537.006000 0 40 0
ack U s 1795548537.036000 40
ack D c 1795548537.037000 40"
}
check "at the server: uplink at its receiver, downlink at its sender" \
"$(both_ends 20 3000)" "$H2
ul@receiver@0@1795548536890@1795548536.903000000@@13.000@0@@@@
ul@receiver@1@1795548536895@1795548536.903000000@@8.000@0@@@@
dl@sender@0@1795548536990@@@@@1795548537.006000000@31.000@16.000@0
dl@sender@1@1795548536995@@@@@1795548537.006000000@31.000@11.000@0" ""
check "at the client: uplink at its sender, downlink at its receiver" \
"$(both_ends 3000 3010)" "$H2
ul@sender@0@1795548536890@1795548536.903010000@132.990@13.010@0@@@@
ul@sender@1@1795548536895@1795548536.903010000@132.990@8.010@0@@@@
dl@receiver@0@1795548536990@@@@@1795548537.006000000@@16.000@0
dl@receiver@1@1795548536995@@@@@1795548537.006000000@@11.000@0" ""

# Copies whose born stamps differ by more than a second are not copies:
# record 1 on 3273 was stamped 5 s later than on 3271 (another run, a
# reused sequence number): a line of its own, counted.
# At the receiver, the stream's first segment lost before the capture
# point: record 1 arrives first and record 0 only with the retransmission,
# 208 ms later; later record 2 is lost after every record went out (-W 2:
# a grace time of 2 s).  Each waits for its bytes (record 0 was dropped,
# "already output", when nothing was held yet: tests/49 in CI).
check "at the receiver: the first segment and one after a pause come again later" "
conn B 198.18.2.2 40001 198.18.0.1 3272 1000 5000
ttl B c 63
rec B c 1795548537000 0 1
rec B c 1795548537001 1 1
rec B c 1795548537002 2 1
rec B c 1795548537003 3 1
rec B c 1795548537004 4 1
syn B 1795548537.000000
synack B 1795548537.000020
seg B c 1795548537.005000 20 20 0
ack B s 1795548537.005002 0
seg B c 1795548537.213000 0 20 0 R
ack B s 1795548537.213002 40
seg B c 1795548542.000000 60 20 0
ack B s 1795548542.000002 40
seg B c 1795548542.200000 40 20 0 R
ack B s 1795548542.200002 80
seg B c 1795548542.300000 80 20 0
ack B s 1795548542.300002 100" 'dir@at@seq@born@3272.time@3272.rtt@3272.owd@3272.retx
ul@receiver@0@1795548537000@1795548537.213000000@@213.000@1
ul@receiver@1@1795548537001@1795548537.005000000@@4.000@0
ul@receiver@2@1795548537002@1795548542.200000000@@5198.000@1
ul@receiver@3@1795548537003@1795548542.000000000@@4997.000@0
ul@receiver@4@1795548537004@1795548542.300000000@@5296.000@0' '' -W 2
check "born more than a second apart: not copies" "
conn A 198.18.1.2 40001 198.18.0.1 3271 1000 10000
conn B 198.18.2.2 40002 198.18.0.1 3273 2000 20000
rec A s 1795548537000 0 1
rec A s 1795548537010 1 1
rec B s 1795548537000 0 1
rec B s 1795548542010 1 1
syn A 1795548536.900000
synack A 1795548536.900010
syn B 1795548536.901000
synack B 1795548536.901010
ack A c 1795548536.920000 0
ack B c 1795548536.930000 0
seg A s 1795548537.001000 0 40 0
seg B s 1795548537.002000 0 40 0
ack A c 1795548537.021000 40
ack B c 1795548537.032000 40" 'dir@at@seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx
dl@sender@1@1795548542010@@@@@1795548537.002000000@30.000@-5008.000@0
dl@sender@0@1795548537000@1795548537.001000000@20.000@1.000@0@1795548537.002000000@30.000@2.000@0
dl@sender@1@1795548537010@1795548537.001000000@20.000@-9.000@0@@@@' \
"seqjoin: dl: 1 records whose born differs by more than 1 s from their seq's copies: not copies, lines of their own"

# udrecv rows: rtt and retx are empty; born as printed (ms or ms.us); seen
# at their receiver; without a dir column taken as downlink, and said so.
out=$(printf 'path@seq@born@time@owd\n3271@0@1795548537000@1795548537.010000000@10.000\n3273@0@1795548537000@1795548537.030500000@30.500\n3271@1@1795548537010.250@1795548537.020000000@\n' | "$S" 2>&1)
is "$out" 'seqjoin: udrecv rows without a dir column: taken as downlink (udrecv at the client); --at server for uplink
dir@at@seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx
dl@receiver@0@1795548537000@1795548537.010000000@@10.000@@1795548537.030500000@@30.500@
dl@receiver@1@1795548537010.250@1795548537.020000000@@9.750@@@@@' "udrecv rows joined by seq (owd computed when empty)"
out=$(printf 'path@seq@born@time@owd\n3270@0@1795548537000@1795548537.010000000@10.000\n' | "$S" --at server 2>&1)
is "$out" 'dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx
ul@receiver@0@1795548537000@1795548537.010000000@@10.000@' "udrecv rows with --at server: the uplink"
out=$(printf 'path@dir@seq@born@time@owd\n3270@ul@0@1795548537000@1795548537.010000000@10.000\n3271@dl@0@1795548537000@1795548537.020000000@20.000\n' | "$S" 2>&1)
is "$out" 'dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx@3271.time@3271.rtt@3271.owd@3271.retx
ul@receiver@0@1795548537000@1795548537.010000000@@10.000@@@@@
dl@receiver@0@1795548537000@@@@@1795548537.020000000@@20.000@' "udrecv rows with a dir column: each direction apart"

# A copy more than -W after its row went out is a line of its own, counted.
out=$(printf 'path@seq@born@time@owd\n3271@0@1000@1.000@\n3271@1@1010@1.010@\n3273@1@1010@5.000@\n3273@0@1000@5.100@\n' | "$S" -W 2 --at client 2>&1)
is "$out" 'dir@at@seq@born@3271.time@3271.rtt@3271.owd@3271.retx@3273.time@3273.rtt@3273.owd@3273.retx
dl@receiver@0@1000@1.000000000@@0.000@@@@@
dl@receiver@1@1010@1.010000000@@0.000@@5.000000000@@3990.000@
dl@receiver@0@1000@@@@@5.100000000@@4100.000@
seqjoin: dl: 1 records later than the window, output as lines of their own' "a copy later than the window: its own line, counted"

# No record at all is an error with a hint, and prints nothing: a stream
# that is not records, records of another length (-s 25 on 20-byte ones:
# with a SYN the first record decodes, its successors do not follow).
nonrec="conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
syn A 1795548537.000000
synack A 1795548537.000010
seg A s 1795548537.001000 0 60 0
ack A c 1795548537.010000 60"
printf '%s\n' "$nonrec" | "$M" -s 20 -c >"$TMP/rows"
"$S" -s 20 <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(tail -1 "$TMP/err")" "1::seqjoin: no records: no stream decodes as records of 20 bytes (mptk, iperf3 or labudp): another record length (-s) or format (-F)?" "a stream without records: exit 1, a hint, no output"
printf '%s\n' "conn A 198.18.1.2 40000 198.18.0.1 3271 1000 5000
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
rec A s 1795548536992 2 1
rec A s 1795548536993 3 1
rec A s 1795548536994 4 1
syn A 1795548537.000000
synack A 1795548537.000010
seg A s 1795548537.001000 0 100 0
ack A c 1795548537.010000 100" | "$M" -s 20 -c >"$TMP/rows"
"$S" -s 25 <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(tail -1 "$TMP/err")" "1::seqjoin: no records: no stream decodes as records of 25 bytes (mptk, iperf3 or labudp): another record length (-s) or format (-F)?" "a record length that does not fit (-s 25 on 20-byte records): no plausible rows, exit 1"
"$S" -s 20 <"$TMP/rows" >"$TMP/out" 2>&1
is "$?:$(wc -l <"$TMP/out")" "0:6" "... and the right length gives the 5 records"
"$S" -s 20 -p 3000 <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
is "$?:$(tail -1 "$TMP/err")" "1:seqjoin: no records: every flow was of a port -p or -L leaves out" "every row filtered out by -p: exit 1 with the cause"
done_testing
