#!/usr/bin/env bash
# lib/tcp_analysis: tcp.stream, relative tcp.seq/tcp.ack, tcp.window_size and
# the tcp.analysis.* fields as tshark 4.0 shows them.
#  1. every TCP frame of the shared lab/ and redundant/ captures, cell by
#     cell against tshark, through the test driver tcpa_dump (the library
#     alone) and through bin/pcap2csv (skipped without captures or tshark);
#  2. hand-built scenarios (tcpa_scen) against values worked out by hand
#     (in the heredocs below), and against tshark when it is installed;
#     random traces against tshark, with every tcp.analysis item;
#  3. bounded memory: a long flow and thousands of short connections keep
#     the segments and conversations held small.
. "$(dirname "$0")/tap.sh"

FIELDS="tcp.stream tcp.seq tcp.ack tcp.window_size tcp.analysis.acks_frame
tcp.analysis.ack_rtt tcp.analysis.bytes_in_flight tcp.analysis.retransmission
tcp.analysis.fast_retransmission tcp.analysis.spurious_retransmission
tcp.analysis.out_of_order tcp.analysis.duplicate_ack tcp.analysis.lost_segment"
eargs=(-e frame.number)
for f in $FIELDS; do eargs+=(-e "$f"); done
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1
have_pcap2csv=0
[ -x "$BIN/pcap2csv" ] && have_pcap2csv=1

# compare REFERENCE OURS [tcp-only]: '@' rows with frame.number first;
# prints "cells equal" per field as diag lines and the first differences,
# exits 1 on any difference.  With tcp-only, OURS holds just the TCP frames
# (those with a tcp.stream in REFERENCE).
compare() {
	python3 - "$@" <<'EOF'
import sys
ref = [l.split('@') for l in open(sys.argv[1]).read().splitlines()]
ours = [l.split('@') for l in open(sys.argv[2]).read().splitlines()]
tcp_only = len(sys.argv) > 3
if tcp_only:
    ref = [r for r in ref if len(r) > 1 and r[1] != '']
bad = 0
if len(ref) != len(ours):
    print("# rows: reference %d, ours %d" % (len(ref), len(ours)))
    bad += 1
ncol = len(ref[0]) if ref else 0
eq = [0] * ncol
shown = 0
for r, o in zip(ref, ours):
    for i in range(ncol):
        if i < len(o) and r[i] == o[i]:
            eq[i] += 1
        else:
            bad += 1
            if shown < 10:
                shown += 1
                print("# frame %s column %d: want '%s' got '%s'" %
                      (r[0], i + 1, r[i], o[i] if i < len(o) else None))
print("# cells equal per column: " +
      " ".join("%d/%d" % (e, min(len(ref), len(ours))) for e in eq))
sys.exit(1 if bad else 0)
EOF
}

# 1. the shared captures
for cap in "$CAPS"/lab/*.pcap* "$CAPS"/redundant/*.pcap*; do
	if [ ! -f "$cap" ]; then
		skip "no shared captures in $CAPS"
		continue
	fi
	name=$(basename "$cap")
	if [ $have_tshark = 0 ]; then
		skip "$name: tshark is not installed"
		continue
	fi
	tsh -r "$cap" -T fields -E separator=@ "${eargs[@]}" >"$TMP/ref"
	"$TOOLS/tcpa_dump" "$cap" >"$TMP/dump" 2>/dev/null
	compare "$TMP/ref" "$TMP/dump" tcp-only
	ok $? "$name: tcp_analysis equals tshark on every TCP frame"
	if [ $have_pcap2csv = 1 ]; then
		"$BIN/pcap2csv" -q -H "${eargs[@]}" "$cap" >"$TMP/ours" \
		    2>/dev/null
		compare "$TMP/ref" "$TMP/ours"
		ok $? "$name: pcap2csv's TCP analysis fields equal tshark's"
	else
		skip "$name: bin/pcap2csv not built"
	fi
done

# 2. hand-built scenarios.  Columns: frame stream seq ack window acks_frame
# ack_rtt bytes_in_flight retransmission fast_retransmission
# spurious_retransmission out_of_order duplicate_ack lost_segment.
# Handshake at 0/10/20 ms: SYN and SYN/ACK offer window scale 7 (unscaled
# 64240, 65160 on the SYNs), so the later windows 502 and 509 read 64256 and
# 65152; the first RTT is 20 ms.
scenario() {
	local name=$1
	cat >"$TMP/$name.want"
	"$TOOLS/tcpa_scen" "$name" "$TMP/$name.pcap"
	"$TOOLS/tcpa_dump" "$TMP/$name.pcap" >"$TMP/$name.got"
	is "$(cat "$TMP/$name.got")" "$(cat "$TMP/$name.want")" \
	    "scenario $name: tcp_analysis gives the hand-worked values"
	if [ $have_tshark = 1 ]; then
		tsh -r "$TMP/$name.pcap" -T fields -E separator=@ \
		    "${eargs[@]}" >"$TMP/$name.tsh"
		is "$(cat "$TMP/$name.tsh")" "$(cat "$TMP/$name.want")" \
		    "scenario $name: tshark agrees with the hand-worked values"
	else
		skip "scenario $name: tshark is not installed"
	fi
	if [ $have_pcap2csv = 1 ]; then
		"$BIN/pcap2csv" -q -H "${eargs[@]}" "$TMP/$name.pcap" \
		    >"$TMP/$name.ours"
		is "$(cat "$TMP/$name.ours")" "$(cat "$TMP/$name.want")" \
		    "scenario $name: pcap2csv prints the hand-worked values"
	fi
}

# RTO: segment 2 (frame 5, 31 ms) again at 300 ms, long after the highest
# segment and with no duplicate ACKs: a plain retransmission; 1000 bytes
# (1001-2001) in flight.  The ACK of 2001 matches both copies; the older
# one (frame 5) is named, RTT 310 - 31 = 279 ms.
scenario retrans <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@64256@2@0.010000000@@@@@@@
4@0@1@1@64256@@@1000@@@@@@
5@0@1001@1@64256@@@2000@@@@@@
6@0@1@1001@65152@4@0.010000000@@@@@@@
7@0@1001@1@64256@@@1000@1@@@@@
8@0@1@2001@65152@5@0.279000000@@@@@@@
EOF

# Five segments (30-34 ms), segment 2 lost: ACK 1001, then three duplicate
# ACKs (twice "1,1" each: the flag and its expert item) carrying SACK
# 2001-3001, 2001-4001, 2001-5001.  Segment 2 again at 45 ms, 2 ms after the
# last duplicate: fast retransmission (and retransmission); in flight
# 1001-5001 less the 3000 SACKed = 1000.  ACK 5001 names frame 8 (34 ms):
# 21 ms.
scenario fastretx <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@64256@2@0.010000000@@@@@@@
4@0@1@1@64256@@@1000@@@@@@
5@0@1001@1@64256@@@2000@@@@@@
6@0@2001@1@64256@@@3000@@@@@@
7@0@3001@1@64256@@@4000@@@@@@
8@0@4001@1@64256@@@5000@@@@@@
9@0@1@1001@65152@4@0.010000000@@@@@@@
10@0@1@1001@65152@@@@@@@@1,1@
11@0@1@1001@65152@@@@@@@@1,1@
12@0@1@1001@65152@@@@@@@@1,1@
13@0@1001@1@64256@@@1000@1@1@@@@
14@0@1@5001@65152@8@0.021000000@@@@@@@
EOF

# The SYN/ACK has no window scale option: nobody scales (502, 509 as is).
# Segment 3 (2001) comes before 2: lost segment, and bytes in flight are
# not shown until the other side ACKs; segment 2 half a millisecond later
# (within the first RTT, not the one right below the highest): out of
# order.  ACK 3001 names segment 3: 40 - 30.5 = 9.5 ms.
scenario ooo <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@502@2@0.010000000@@@@@@@
4@0@1@1@502@@@1000@@@@@@
5@0@2001@1@502@@@@@@@@@1
6@0@1001@1@502@@@@@@@1@@
7@0@1@3001@509@5@0.009500000@@@@@@@
EOF

# Segment 1001-2001 never captured: 2001 is a lost segment; no bytes in
# flight until the ACK of 4001 (naming frame 6, 7 ms), then 1000 again.
scenario lost <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@64256@2@0.010000000@@@@@@@
4@0@1@1@64256@@@1000@@@@@@
5@0@2001@1@64256@@@@@@@@@1
6@0@3001@1@64256@@@@@@@@@
7@0@1@4001@65152@6@0.007000000@@@@@@@
8@0@4001@1@64256@@@1000@@@@@@
EOF

# Client ISN 2^32 - 4096: the second segment's raw sequence number wraps
# past zero; relative numbers and the ACK matching go on.  No window scale
# options at all.
scenario wrap <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@502@2@0.010000000@@@@@@@
4@0@1@1@502@@@1448@@@@@@
5@0@1449@1@502@@@2896@@@@@@
6@0@2897@1@502@@@4344@@@@@@
7@0@4345@1@502@@@5792@@@@@@
8@0@1@2897@509@5@0.009000000@@@@@@@
9@0@1@5793@509@7@0.008000000@@@@@@@
EOF

# FIN both ways, the last ACK (frame 8) and a repeat of it (a duplicate ACK,
# from what the closed conversation keeps); a second later a SYN with
# another ISN on the same ports starts tcp.stream 1; then other ports: 2.
scenario reuse <<'EOF'
1@0@0@0@64240@@@@@@@@@
2@0@0@1@65160@1@0.010000000@@@@@@@
3@0@1@1@64256@2@0.010000000@@@@@@@
4@0@1@1@64256@@@1000@@@@@@
5@0@1@1001@65152@4@0.010000000@@@@@@@
6@0@1001@1@64256@@@@@@@@@
7@0@1@1002@65152@6@0.010000000@@@@@@@
8@0@1002@2@64256@7@0.010000000@@@@@@@
9@0@1002@2@64256@@@@@@@@1,1@
10@1@0@0@64240@@@@@@@@@
11@1@0@1@65160@10@0.010000000@@@@@@@
12@1@1@1@64256@11@0.010000000@@@@@@@
13@1@1@1@64256@@@1000@@@@@@
14@1@1@1001@65152@13@0.010000000@@@@@@@
15@2@0@0@64240@@@@@@@@@
16@2@0@1@65160@15@0.010000000@@@@@@@
17@2@1@1@64256@16@0.010000000@@@@@@@
EOF

# Random traces (tcpa_scen randomN: every kind of segment the analysis
# tells apart, see tcpa_scen.c) against tshark, with the other
# tcp.analysis items too.
XFIELDS="tcp.analysis.ack_lost_segment tcp.analysis.window_update
tcp.analysis.window_full tcp.analysis.keep_alive tcp.analysis.keep_alive_ack
tcp.analysis.zero_window tcp.analysis.zero_window_probe
tcp.analysis.zero_window_probe_ack tcp.analysis.reused_ports
tcp.analysis.duplicate_ack_num"
xargs_=("${eargs[@]}")
for f in $XFIELDS; do xargs_+=(-e "$f"); done
for seed in 1 2 3 4 5 6 7 8; do
	if [ $have_tshark = 0 ]; then
		skip "random trace $seed: tshark is not installed"
		continue
	fi
	"$TOOLS/tcpa_scen" "random$seed" "$TMP/r.pcap"
	tsh -r "$TMP/r.pcap" -T fields -E separator=@ "${xargs_[@]}" \
	    >"$TMP/r.ref"
	"$TOOLS/tcpa_dump" -x "$TMP/r.pcap" >"$TMP/r.got"
	compare "$TMP/r.ref" "$TMP/r.got" tcp-only
	ok $? "random trace $seed ($(wc -l <"$TMP/r.got") segments) equals tshark"
done

# 3. bounded memory.  A million-segment flow (ACK every second segment, a
# loss with three duplicate ACKs every 100) and 2000 short connections
# closed with FIN: at most 2 conversations and a handful of segments held at
# any time, the 2000 closed ones kept only as small records.
out=$("$TOOLS/tcpa_scen" mem 1000000 2000)
IFS=@ read -r pflows psegs eflows esegs closed <<<"$out"
ok $(( pflows <= 2 && psegs <= 4 ? 0 : 1 )) \
    "long flow: peak conversations $pflows, peak segments $psegs"
is "$eflows@$esegs@$closed" "1@0@2000" \
    "long flow: at the end 1 live conversation, 0 segments, 2000 closed"
# A reset with data never acknowledged: held while it may still get an ACK,
# released after a minute of silence.
is "$("$TOOLS/tcpa_scen" sweep | tr '\n' ' ')" "1@1@0 1@0@1 " \
    "a reset conversation with unacked data is released after idling"

done_testing
