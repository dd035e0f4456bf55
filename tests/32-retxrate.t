#!/usr/bin/env bash
# retxrate: per path (server port) and direction, frames (pure ACKs too),
# data segments and bytes, and how many were retransmissions; by hand and
# against tshark on real captures.
. "$(dirname "$0")/tap.sh"
X=$BIN/retxrate

# stream 0: SYN to 5000, data 100, its retransmission, a fast retransmission
#           of 50, pure ACKs;  stream 3: a second connection to 5000 whose
#           SYN was not captured (SYN-ACK from 5000), data 300;
# stream 1: no handshake, 6001 <-> 45000: the lower port names the path;
# stream 2: SYN from port 80 to 7000: the SYN names 7000 although 80 is lower,
#           a retransmitted FIN without data;  frame 17: not TCP.
cat >"$TMP/rows" <<'R'
frame.number@ip.src@ip.dst@tcp.stream@tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission
1@10.0.0.2@10.0.0.1@0@40000@5000@0@0x0002@@
2@10.0.0.1@10.0.0.2@0@5000@40000@0@0x0012@@
3@10.0.0.2@10.0.0.1@0@40000@5000@0@0x0010@@
4@10.0.0.2@10.0.0.1@0@40000@5000@100@0x0018@@
5@10.0.0.2@10.0.0.1@0@40000@5000@100@0x0018@1@
6@10.0.0.1@10.0.0.2@0@5000@40000@0@0x0010@@
7@10.0.0.2@10.0.0.1@0@40000@5000@50@0x0018@1@1
8@10.0.0.1@10.0.0.2@0@5000@40000@0@0x0010@@
9@10.0.0.1@10.0.0.2@1@6001@45000@200@0x0018@@
10@10.0.0.2@10.0.0.1@1@45000@6001@0@0x0010@@
11@10.0.0.1@10.0.0.2@1@6001@45000@200@0x0018@1@
12@10.0.0.2@10.0.0.1@2@80@7000@0@0x0002@@
13@10.0.0.1@10.0.0.2@2@7000@80@0@0x0012@@
14@10.0.0.2@10.0.0.1@2@80@7000@0@0x0011@1@
15@10.0.0.1@10.0.0.3@3@5000@40001@0@0x0012@@
16@10.0.0.3@10.0.0.1@3@40001@5000@300@0x0018@@
17@10.0.0.9@10.0.0.1@@@@@@@
R
# 5000: 10 frames, 2 retransmitted; segments 100 100 50 300, 2 retransmitted;
# bytes 550, 150 retransmitted.  6001: 3 frames, 1; 2 segments, 1; 400, 200.
# 7000: 3 frames, 1; no data: rates over nothing are empty.  5000's data
# flows to the server port (ul), 6001's from it (dl); 7000 carried no data
# (no direction).
want='path@dir@frames_with_acks@retx_frames@frame_rate_with_acks@data_segments@retx_segments@segment_rate@payload_bytes@retx_bytes@byte_rate
5000@ul@10@2@0.200000@4@2@0.500000@550@150@0.272727
6001@dl@3@1@0.333333@2@1@0.500000@400@200@0.500000
7000@@3@1@0.333333@0@0@@0@0@'
out=$("$X" <"$TMP/rows" 2>"$TMP/err"); rc=$?
is "$rc" 0 "retxrate exits 0"
is "$out" "$want" "counts and rates worked out by hand, paths named by the SYN's destination or the lower port"
is "$(cat "$TMP/err")" "retxrate: 1 rows without TCP ports not counted" "rows it cannot use are counted on stderr"

# Without tcp.stream the address and port pair tells connections apart.
out=$("$TOOLS/atcat" frame.number ip.src ip.dst tcp.srcport tcp.dstport tcp.len tcp.flags \
    tcp.analysis.retransmission tcp.analysis.fast_retransmission <"$TMP/rows" | "$X" 2>/dev/null)
is "$out" "$want" "without tcp.stream: the same counts"

# Without tcp.stream, the same pair again: after the first connection (SYN
# to 5000) carried data and ended, a SYN from the other side opens a new one
# whose path is 40000, as seqjoin has it; its retransmitted SYN, before any
# data, keeps that.
cat >"$TMP/reuse" <<'R'
ip.src@ip.dst@tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission
10.0.0.2@10.0.0.1@40000@5000@0@0x0002@@
10.0.0.1@10.0.0.2@5000@40000@0@0x0012@@
10.0.0.2@10.0.0.1@40000@5000@100@0x0018@@
10.0.0.2@10.0.0.1@40000@5000@0@0x0011@@
10.0.0.1@10.0.0.2@5000@40000@0@0x0011@@
10.0.0.1@10.0.0.2@5000@40000@0@0x0002@@
10.0.0.1@10.0.0.2@5000@40000@0@0x0002@1@
10.0.0.2@10.0.0.1@40000@5000@0@0x0012@@
10.0.0.1@10.0.0.2@5000@40000@200@0x0018@@
R
is "$("$X" <"$TMP/reuse" 2>&1)" 'path@dir@frames_with_acks@retx_frames@frame_rate_with_acks@data_segments@retx_segments@segment_rate@payload_bytes@retx_bytes@byte_rate
5000@ul@5@0@0.000000@1@0@0.000000@100@0@0.000000
40000@ul@4@1@0.250000@1@0@0.000000@200@0@0.000000' "a new SYN on a reused pair names the new connection's path"

# -L names the paths and keeps only them, in the map's order (seqjoin's
# rule): 6001 is left out and counted; a labelled port not captured is listed
# in every direction present, with empty rates.
printf '7000@TW LTE\n5000@CHT NR\n9999@dead phone\n' >"$TMP/labels"
out=$("$X" -L "$TMP/labels" <"$TMP/rows" 2>"$TMP/err" | cut -d@ -f1-4)
is "$out" 'path@dir@frames_with_acks@retx_frames
TW LTE@@3@1
CHT NR@ul@10@2
dead phone@ul@0@0' "-L: the map's paths in its order, the dead one listed with nothing"
is "$(cat "$TMP/err")" "retxrate: 1 rows without TCP ports not counted
retxrate: 3 frames of ports not in $TMP/labels left out" "-L: rows of other ports are counted on stderr"
"$X" -L "$TMP/nonexistent" <"$TMP/rows" >/dev/null 2>"$TMP/err"
is "$?" 1 "-L with a missing file exits 1"
like "$(cat "$TMP/err")" "^retxrate: .*nonexistent" "and names the file"

# A connection with data both ways: data frames count for the way they go,
# pure ACKs for the direction they acknowledge.  ul: 2 data (one retx) + 1
# ACK from the server; dl: 1 data + 2 ACKs from the client.
cat >"$TMP/both" <<'R'
ip.src@ip.dst@tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission
10.0.0.2@10.0.0.1@40000@5000@100@0x0018@@
10.0.0.1@10.0.0.2@5000@40000@0@0x0010@@
10.0.0.2@10.0.0.1@40000@5000@100@0x0018@1@
10.0.0.1@10.0.0.2@5000@40000@300@0x0018@@
10.0.0.2@10.0.0.1@40000@5000@0@0x0010@@
10.0.0.2@10.0.0.1@40000@5000@0@0x0010@@
R
is "$("$X" <"$TMP/both" | tail -n +2)" '5000@ul@3@1@0.333333@2@1@0.500000@200@100@0.500000
5000@dl@3@0@0.000000@1@0@0.000000@300@0@0.000000' "data both ways: a row per direction"

# The same capture given twice (pcap2csv a a: its analysis flags every
# second copy as a retransmission): counted once, reported.
cat >"$TMP/once" <<'R'
frame.time_epoch@ip.src@ip.dst@tcp.srcport@tcp.dstport@tcp.seq_raw@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission
1.000000000@10.0.0.2@10.0.0.1@40000@5000@1000@0@0x0002@@
1.000100000@10.0.0.1@10.0.0.2@5000@40000@7000@0@0x0012@@
1.001000000@10.0.0.2@10.0.0.1@40000@5000@1001@100@0x0018@@
1.002000000@10.0.0.1@10.0.0.2@5000@40000@7001@0@0x0010@@
1.003000000@10.0.0.2@10.0.0.1@40000@5000@1101@100@0x0018@@
1.004000000@10.0.0.2@10.0.0.1@40000@5000@1101@100@0x0018@1@
R
{ cat "$TMP/once"; tail -n +2 "$TMP/once" | sed 's/@@$/@1@/'; } >"$TMP/twice"
is "$("$X" "$TMP/twice" 2>"$TMP/err")" "$("$X" "$TMP/once")" "frames seen twice are not counted as retransmissions"
is "$(cat "$TMP/err")" "retxrate: 6 frames seen twice (identical time, addresses, ports, seq and length: the same capture given twice?) counted once" "and are reported"
is "$("$X" "$TMP/once" | sed -n 2p)" "5000@ul@6@1@0.166667@3@1@0.333333@300@100@0.333333" "a real retransmission (a later time) still counts"

# Strict numbers: "05000" is five thousand, not octal.
printf 'tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission\n40000@05000@010@0x0018@@\n' >"$TMP/zero"
is "$("$X" <"$TMP/zero" | sed -n 2p)" "5000@ul@1@0@0.000000@1@0@0.000000@10@0@0.000000" "leading zeros are decimal"
# Byte counts are checked sums, never wrapped at 2^64.
printf 'tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission\n40000@5000@18446744073709551615@0x0018@@\n40000@5000@1@0x0018@@\n' >"$TMP/big"
"$X" <"$TMP/big" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:retxrate: stdin:3: port 5000: the byte count passes 2^64 - 1" "a byte count past 2^64 - 1 is an error"
[ ! -s "$TMP/out" ]; ok $? "and nothing is printed"

# Header-only input (and no TCP row): an error with a hint, not a crash
# (qsort of an empty list under UBSan).
H='tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission'
printf '%s\n' "$H" | "$X" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:retxrate: stdin: no TCP rows: nothing to count (pcap2csv's rows of a capture of TCP paths?)" "header only: exit 1 with a hint"
printf '%s\n@@@@@\n' "$H" | "$X" -L "$TMP/labels" >/dev/null 2>"$TMP/err"
is "$?" 1 "no TCP row, with -L: exit 1 (no crash)"

# Bad input.
err() { "$X" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/err")"; }
is "$(err </dev/null)" "1:retxrate: stdin:1: empty input: no header line" "empty stream"
is "$(printf 'tcp.srcport@tcp.len\n1@2\n' | err)" \
    "1:retxrate: stdin:1: missing columns: tcp.dstport, tcp.flags, tcp.analysis.retransmission, tcp.analysis.fast_retransmission" \
    "missing columns are all named"
H='tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission'
is "$(printf '%s\n1@2@3@0x10@@\n1@2@x@0x10@@\n' "$H" | err)" "1:retxrate: stdin:3: tcp.len: 'x' is not an unsigned integer" "non-numeric tcp.len"
is "$(printf '%s\n70000@2@3@0x10@@\n' "$H" | err)" "1:retxrate: stdin:2: tcp.srcport: '70000' is not a port" "a port out of range"
is "$(printf '%s\n1@2@3@0x10@\n' "$H" | err)" "1:retxrate: stdin:2: 5 fields, the header has 6" "ragged row"
[ ! -s "$TMP/out" ]; ok $? "nothing is printed on bad input"
"$X" -x <"$TMP/rows" >/dev/null 2>&1; is "$?" 2 "unknown option: exit 2"
"$X" "$TMP/nonesuch" <"$TMP/rows" >/dev/null 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:retxrate: $TMP/nonesuch: No such file or directory" "a missing file operand is named, exit 1"

# The redundant captures: every number against tshark's own flags, counted
# per server port (3270-3279) from tshark's output.
[ -d "$CAPS/redundant" ] && command -v tshark >/dev/null 2>&1 || {
	skip "no redundant captures or no tshark"; done_testing; exit; }
count='{ p = ($1 >= 3270 && $1 <= 3279) ? $1 : $2 }'
for cap in "$CAPS"/redundant/*.pcap; do
	name=$(basename "$cap")
	tshark_rows "$cap" >"$TMP/t.csv"
	tsh -r "$cap" -T fields -E separator=@ -e tcp.srcport -e tcp.dstport -e tcp.len \
	    | awk -F@ "$count"' { f[p]++; if ($3 > 0) { s[p]++; b[p] += $3 } }
		END { for (p in f) print p, f[p], s[p], b[p] }' | sort >"$TMP/all"
	tsh -r "$cap" -Y 'tcp.analysis.retransmission or tcp.analysis.fast_retransmission' \
	    -T fields -E separator=@ -e tcp.srcport -e tcp.dstport -e tcp.len \
	    | awk -F@ "$count"' { f[p]++; if ($3 > 0) { s[p]++; b[p] += $3 } }
		END { for (p in f) print p, f[p], s[p]+0, b[p]+0 }' | sort >"$TMP/retx"
	want=$(join -a1 -e 0 -o 0,1.2,2.2,1.3,2.3,1.4,2.4 "$TMP/all" "$TMP/retx" | tr ' ' @)
	# A path's rows (one per direction) summed, as tshark counts per port.
	got=$("$X" <"$TMP/t.csv" | awk -F@ 'NR > 1 { p[$1]; f[$1] += $3; rf[$1] += $4; s[$1] += $6; rs[$1] += $7; b[$1] += $9; rb[$1] += $10 }
	    END { for (k in p) print k "@" f[k] "@" rf[k] "@" s[k] "@" rs[k] "@" b[k] "@" rb[k] }' | sort)
	is "$got" "$want" "$name: frames, segments, bytes and their retransmissions equal tshark's per port"
	got=$("$X" <"$TMP/t.csv" | awk -F@ 'NR > 1 { printf "%s %.6f\n", $1, $4 / $3 }')
	want=$("$X" <"$TMP/t.csv" | awk -F@ 'NR > 1 { print $1, $5 }')
	is "$got" "$want" "$name: frame_rate_with_acks is retx_frames / frames_with_acks (the lab's ratio)"
	if [ -x "$BIN/pcap2csv" ]; then
		is "$("$BIN/pcap2csv" "$cap" | "$X")" "$("$X" <"$TMP/t.csv")" "$name: pcap2csv | retxrate equals tshark | retxrate"
	else
		skip "bin/pcap2csv is not built"
	fi
done
done_testing
