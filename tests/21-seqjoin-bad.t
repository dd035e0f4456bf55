#!/usr/bin/env bash
# seqjoin on bad input and bad usage: `seqjoin: file:line: what` and exit 1,
# a message naming the option and exit 2.
. "$(dirname "$0")/tap.sh"
S=$BIN/seqjoin

run() {	# run INPUT [ARGS]: sets out, err, rc
	printf '%s' "$1" | "$S" "${@:2}" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	err=$(cat "$TMP/err")
}

run 'frame.time_epoch@tcp.srcport@tcp.dstport@tcp.seq_raw@tcp.flags
1.0@1@2@3@0x10
'
is "$rc:$err" "1:seqjoin: stdin:1: missing columns: tcp.ack_raw, tcp.len, tcp.analysis.retransmission, tcp.analysis.fast_retransmission, tcp.payload, tcp.stream" \
    "every missing column is named, tcp.stream when no addresses either"
is "$(cat "$TMP/out")" "" "nothing is printed on missing columns"

run 'path@seq@time
3271@0@1.0
'
is "$rc:$err" "1:seqjoin: stdin:1: missing column: born" "udrecv rows: the missing column is named"

H='frame.time_epoch@tcp.stream@tcp.srcport@tcp.dstport@tcp.seq_raw@tcp.ack_raw@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission@tcp.payload'
run "$H
1.0@0@3271@40000@100@0@0@0x0002@@@
1.1@0@40000@3271@x7@0@0@0x0012@@@
"
is "$rc:$err" "1:seqjoin: stdin:3: tcp.seq_raw: 'x7' is not an unsigned integer" "a non-numeric sequence number names line and column"

run "$H
1.0@0@3271@40000@100@0@0@0x0002@@@
yesterday@0@40000@3271@7@0@0@0x0012@@@
"
is "$rc:$err" "1:seqjoin: stdin:3: frame.time_epoch: 'yesterday' is not a number" "a non-numeric time names line and column"

run "$H
5000000000.5@0@3271@40000@100@0@0@0x0002@@@
"
is "$rc:$err" "1:seqjoin: stdin:2: frame.time_epoch: '5000000000.5' is out of range" "a time out of range is an error"

run "$H
1.0@0@3271@40000@100@0@4@0x0018@@@00zz0102
"
is "$rc:$err" "1:seqjoin: stdin:2: tcp.payload: '00zz0102' is not hex" "a payload that is not hex is an error"

run "$H
1.0@0@3271@70000@100@0@0@0x0002@@@
"
is "$rc:$err" "1:seqjoin: stdin:2: tcp.dstport: '70000' is out of range" "a port out of range is an error"

run "$H
1.0@0@3271@40000@100@0@0@0x0002@@@
1.1@0@40000@3271
"
is "$rc:$err" "1:seqjoin: stdin:3: 4 fields, the header has 11" "a ragged row names its line"

run ''
is "$rc:$err" "1:seqjoin: stdin:1: empty input: no header line" "an empty stream is an error"

run "$H
"
is "$rc:$(cat "$TMP/out"):$err" "1::seqjoin: no records: the input holds no TCP or UDP data" "a header without rows: no answer, exit 1 and why"

run "$H
1.0@@@@@@@@@@
"
is "$rc:$err" "1:seqjoin: 1 rows without TCP or UDP ignored
seqjoin: no records: the input holds no TCP or UDP data" "rows without TCP are counted, not silently dropped"

# A TCP header cut after the ports (tcpdump's tcp_header_heapoverflow.pcap
# has one): pcap2csv and tshark print empty seq, ack and flags there.  It is
# counted and skipped, never fatal.
run "$H
1.0@0@3271@40000@100@0@0@0x0002@@@
1.1@0@40000@3271@@@@@@@
"
is "$rc:$err" "1:seqjoin: 1 rows whose TCP header was cut short (no sequence number) ignored
seqjoin: no records: no stream decodes as records of 400 bytes (mptk, iperf3 or labudp): another record length (-s) or format (-F)?" "a truncated TCP header is counted, not fatal"

# Numbers are strict decimal: no base prefix ("0x10" is not 16, "010" is ten)
run "$H
1.0@0@3271@40000@0x10@0@0@0x0002@@@
"
is "$rc:$err" "1:seqjoin: stdin:2: tcp.seq_raw: '0x10' is not an unsigned integer" "a hex sequence number is refused"
printf '%s\n1.0@0@32\00071@40000@100@0@0@0x0002@@@\n' "$H" | "$S" >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:seqjoin: stdin:2: a NUL byte in the line" "a NUL byte in a field is an error naming the line"

# Paths by the hundred (issue 12: 16 MB a path, 256 paths of two rows took
# 4 GB): memory by use, and beyond 1024 paths a clear error.
manypaths() {	# N: N paths of one record each, rows in capture order
	awk -v n="$1" 'BEGIN {
	print "frame.time_epoch@tcp.stream@tcp.srcport@tcp.dstport@tcp.seq_raw@tcp.ack_raw@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission@tcp.payload@ip.ttl"
	for (k = 1; k <= n; k++) {
		t = 1795548537 + k / 10000; port = 10000 + k; b = 1795548537000
		printf "%.6f@%d@40000@%d@100@0@0@0x0002@@@@60\n", t, k, port
		printf "%.6f@%d@%d@40000@500@101@0@0x0012@@@@64\n", t + 0.000001, k, port
		printf "%.6f@%d@%d@40000@501@101@20@0x0018@@@%08x%08x%08x%02x00000000000000@64\n", t + 0.000002, k, port, int(b / 4294967296), b % 4294967296, 0, 1
	}}'
}
manypaths 256 >"$TMP/p256"
/usr/bin/time -f %M -o "$TMP/rss" "$S" -s 20 "$TMP/p256" >"$TMP/out" 2>"$TMP/err"
is "$?:$(wc -l <"$TMP/out"):$(head -1 "$TMP/out" | tr @ '\n' | grep -c '\.time$')" "0:2:256" "256 paths of one record each: one line, 256 column groups"
[ "$(cat "$TMP/rss")" -lt 65536 ]
ok $? "256 paths: peak RSS $(($(cat "$TMP/rss") / 1024)) MB, under 64 MB"
manypaths 1025 | "$S" -s 20 >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "1::seqjoin: more than 1024 paths: not a multi-path run? (-p or -L name the paths)" "1025 paths: a clear error, nothing printed"

# Rows out of capture order (a merged or re-sorted CSV) change time and rtt:
# said, with where.
printf '%s\n' "$H" '1.000@0@3271@40000@100@0@0@0x0002@@@' \
    '1.200@0@40000@3271@7@101@0@0x0012@@@' '1.100@0@3271@40000@101@8@0@0x0010@@@' |
    "$S" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" "capture time went backwards 1 times \(first at stdin:4, by up to 0\.100000 s\)" "rows out of capture order are reported with where"

for bad in "-s 12" "-s x" "-W 0" "-W -1" "-W 1e3" "-W 2000000" "-p 0" "-p 5-3" "-p 3271,x"; do
	# shellcheck disable=SC2086
	"$S" $bad </dev/null >/dev/null 2>"$TMP/err"
	rc=$?
	like "$rc:$(tr '\n' ' ' <"$TMP/err")" "^2:seqjoin: -.: '.*' is not " "bad usage '$bad' exits 2 naming the option"
done
"$S" -L "$TMP/nonexistent" </dev/null >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:seqjoin: $TMP/nonexistent: No such file or directory" "a missing label file is named"
printf '3271@CHT NR\n32x1@TW\n' >"$TMP/labels"
"$S" -L "$TMP/labels" </dev/null >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:seqjoin: $TMP/labels:2: '32x1' is not a port" "a bad label line is named with its line"
done_testing
