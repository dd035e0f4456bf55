#!/usr/bin/env bash
# retxrate over MPTCP subflows, on hand-built captures (tests/tools/mkmptcp)
# with every number worked out from the scenario: a row per subflow path
# named as seqjoin names it (PORT.ID, PORT.xN), and with -R per connection
# and direction the bytes sent on more than one subflow over the bytes of
# the data stream: a redundant run on 2 subflows (1), on 3 with one copy
# dropped (1.75), the default scheduler with one reinjection and a TCP
# retransmission, DSNs whose low 32 bits wrap (tshark's high bits wrong),
# plain TCP beside MPTCP, -L, subflows whose handshake was not captured, a
# random run of 300 records against the truth its generator knows, and bad
# input.  The rows are tshark 4.0's with the mapping analysis, and
# pcap2csv's default ones: both must give the same.
. "$(dirname "$0")/tap.sh"
need_tshark
MK=$TOOLS/mkmptcp
X=$BIN/retxrate
REF="python3 $TOP/tests/ref/retxrate.py"
[ -x "$MK" ] || skip_all "tests/tools/mkmptcp is not built"
have_pcap2csv=0

# build NAME SCENARIO: $TMP/NAME.pcap and its tshark rows $TMP/NAME.csv
build() {
	printf '%s\n' "$2" | "$MK" -w "$TMP/$1.pcap"
	ok $? "$1: mkmptcp writes the capture"
	tshark_mptcp_rows "$TMP/$1.pcap" >"$TMP/$1.csv"
}
# pcap2csv's default fields have what retxrate needs of MPTCP
pcap2csv_fields | grep -qx mptcp.dsn && have_pcap2csv=1

# check NAME WANT [retxrate args]: from tshark's rows, as the independent
# reference has it (it knows -R, not -L), and from pcap2csv's default rows
check() {
	local name=$1 want=$2
	shift 2
	"$X" "$@" <"$TMP/$name.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "0:$want:" "$name${*:+ ($*)}"
	case " $* " in
	*" -L "*) ;;
	*) is "$($REF "$@" <"$TMP/$name.csv")" "$want" "$name${*:+ ($*)}: tests/ref/retxrate.py agrees" ;;
	esac
	if [ "$have_pcap2csv" = 1 ]; then
		"$BIN/pcap2csv" "$TMP/$name.pcap" | "$X" "$@" >"$TMP/out" 2>&1
		is "$(cat "$TMP/out")" "$want" "$name${*:+ ($*)}: pcap2csv | retxrate"
	else
		skip "$name: pcap2csv does not print the MPTCP fields"
	fi
}

HP='path@dir@frames_with_acks@retx_frames@frame_rate_with_acks@data_segments@retx_segments@segment_rate@payload_bytes@retx_bytes@byte_rate'
HR='port@stream@dir@subflows@stream_bytes@subflow_bytes@extra_bytes@redundancy'

# --- a redundant scheduler on 2 subflows -------------------------------
# Records of 400 bytes, r0-r3 and an end record r4 (2000 bytes of data
# stream), each on A (the initial subflow: 3290.0) and on B (joined with
# address id 2: 3290.2).  A: 3 handshake frames, 5 data segments, 4 ACKs
# of the server, FIN, FIN, last ACK: 15 frames; B the same with 3 ACKs: 14.
# Nothing retransmitted.  -R: 2000 bytes of stream, 4000 on the subflows,
# 2000 of them beyond the first copy: 2000 / 2000 = 1.
RED2='mptcp M v1 0x1122334455667788 0x8877665544332211
sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000
sub B M 198.18.1.2 40002 198.19.0.1 3290 3000 9000 2 0
rec M c 1796190000000 0 1
rec M c 1796190000008 1 1
rec M c 1796190000016 2 1
rec M c 1796190000024 3 1
rec M c 1796190000032 4 0
syn A 1796190000.000000
synack A 1796190000.000100
ack3 A 1796190000.000120
seg A c 1796190000.001000 0 400 0 mpc
ack A s 1796190000.011000 400 dack 400
syn B 1796190000.012000
synack B 1796190000.012100
ack3 B 1796190000.012120
seg B c 1796190000.013000 0 400 0
seg A c 1796190000.014000 400 400 400
seg B c 1796190000.014500 400 400 400
ack A s 1796190000.024000 800 dack 800
ack B s 1796190000.024500 800 dack 800
seg A c 1796190000.030000 800 400 800
seg B c 1796190000.031000 800 400 800
seg A c 1796190000.032000 1200 400 1200
seg B c 1796190000.033000 1200 400 1200
ack A s 1796190000.042000 1600 dack 1600
ack B s 1796190000.043000 1600 dack 1600
seg A c 1796190000.050000 1600 400 1600
seg B c 1796190000.051000 1600 400 1600
ack A s 1796190000.060000 2000 dack 2000
ack B s 1796190000.061000 2000 dack 2000
fin A c 1796190000.070000
fin B c 1796190000.070100
fin A s 1796190000.080000
fin B s 1796190000.080100
ack A c 1796190000.090000 1
ack B c 1796190000.090100 1'
build red2 "$RED2"
RED2_PATHS='3290.0@ul@15@0@0.000000@5@0@0.000000@2000@0@0.000000
3290.2@ul@14@0@0.000000@5@0@0.000000@2000@0@0.000000'
check red2 "$HP
$RED2_PATHS"
check red2 "$HR
3290@0@ul@2@2000@4000@2000@1.000000" -R
# the same names as seqjoin's column groups
is "$("$BIN/seqjoin" <"$TMP/red2.csv" 2>/dev/null | head -1 | tr @ '\n' |
	sed -n 's/\.time$//p' | paste -sd ' ')" "$("$X" <"$TMP/red2.csv" |
	awk -F@ 'NR > 1 { print $1 }' | paste -sd ' ')" "red2: the subflows are the paths seqjoin names"

# --- a redundant scheduler on 3 subflows, one copy dropped -------------
# r0-r3 (1600 bytes) on A, B and C (address id 3), except r3 on C: its
# data was acknowledged before C's turn.  A and B: 3 + 4 data + 1 ACK = 8
# frames, 1600 bytes; C: 3 + 3 + 1 = 7, 1200 bytes.  -R: 1600 of stream,
# 4400 on the subflows, 2800 beyond the first copy: 1.75 (close to N - 1).
RED3='mptcp M v1 0x1122334455667788 0x8877665544332211
sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000
sub B M 198.18.1.2 40002 198.19.0.1 3290 3000 9000 2 0
sub C M 198.18.2.2 40003 198.19.0.1 3290 7000 11000 3 0
rec M c 1796190000000 0 1
rec M c 1796190000008 1 1
rec M c 1796190000016 2 1
rec M c 1796190000024 3 1
syn A 1796190000.000000
synack A 1796190000.000100
ack3 A 1796190000.000120
syn B 1796190000.000200
synack B 1796190000.000300
ack3 B 1796190000.000320
syn C 1796190000.000400
synack C 1796190000.000500
ack3 C 1796190000.000520
seg A c 1796190000.001000 0 400 0 mpc
seg B c 1796190000.001100 0 400 0
seg C c 1796190000.001200 0 400 0
seg A c 1796190000.002000 400 400 400
seg B c 1796190000.002100 400 400 400
seg C c 1796190000.002200 400 400 400
seg A c 1796190000.003000 800 400 800
seg B c 1796190000.003100 800 400 800
seg C c 1796190000.003200 800 400 800
seg A c 1796190000.004000 1200 400 1200
seg B c 1796190000.004100 1200 400 1200
ack A s 1796190000.011000 1600 dack 1600
ack B s 1796190000.011100 1600 dack 1600
ack C s 1796190000.011200 1200 dack 1600'
build red3 "$RED3"
check red3 "$HP
3290.0@ul@8@0@0.000000@4@0@0.000000@1600@0@0.000000
3290.2@ul@8@0@0.000000@4@0@0.000000@1600@0@0.000000
3290.3@ul@7@0@0.000000@3@0@0.000000@1200@0@0.000000"
check red3 "$HR
3290@0@ul@3@1600@4400@2800@1.750000" -R

# --- the default scheduler: a reinjection, a TCP retransmission --------
# Uplink r0-r6 and the end record r7 (3200 bytes): A carries r0-r2, B r3
# and r4; A's r5 is lost, the kernel reinjects it on B (not a TCP
# retransmission: B never sent those subflow bytes), B carries r6, A's
# RTO resends r5 (a TCP retransmission, 400 bytes), A carries r7.  The
# server sends two records down on A.  A carries data both ways: its data
# frames count for the way they travel, its pure frames for the data they
# acknowledge.  3290.0 ul: 6 client data segments (2400 bytes, 1
# retransmitted) + the server's SYN-ACK, 4 ACKs and FIN = 12 frames; dl: 2
# server data segments (800 bytes) + the client's SYN, third ACK, 2 ACKs,
# FIN and last ACK = 8.  3290.2: 4 segments (1600 bytes) + 3 handshake + 3
# ACKs + 3 closing = 13.
# -R ul: A carried 2000 bytes of stream (r0-r2, r5, r7; its retransmission
# of r5 is no new byte for A), B 1600 (r3-r6): 3600, 400 (r5) beyond the
# first copy: 400 / 3200 = 0.125.  dl: one subflow, nothing extra.
DEF='mptcp M v1 0x1122334455667788 0x8877665544332211
sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000
sub B M 198.18.1.2 40002 198.19.0.1 3290 3000 9000 2 0
rec M c 1796190000000 0 1
rec M c 1796190000008 1 1
rec M c 1796190000016 2 1
rec M c 1796190000024 3 1
rec M c 1796190000032 4 1
rec M c 1796190000040 5 1
rec M c 1796190000048 6 1
rec M c 1796190000056 7 0
rec M s 1796190000005 0 1
rec M s 1796190000010 1 1
syn A 1796190000.000000
synack A 1796190000.000100
ack3 A 1796190000.000120
seg A c 1796190000.001000 0 400 0 mpc
ack A s 1796190000.011000 400 dack 400
syn B 1796190000.012000
synack B 1796190000.012100
ack3 B 1796190000.012120
seg A c 1796190000.013000 400 400 400
seg A c 1796190000.014000 800 400 800
seg B c 1796190000.015000 0 400 1200
seg B c 1796190000.016000 400 400 1600
ack A s 1796190000.023000 1200 dack 1200
ack B s 1796190000.025000 800 dack 2000
seg A c 1796190000.026000 1200 400 2000
seg A s 1796190000.027000 0 400 0 sack 1200
ack A c 1796190000.037000 400 dack 400
seg B c 1796190000.040000 800 400 2000
ack B s 1796190000.050000 1200 dack 2400
seg A s 1796190000.051000 400 400 400 sack 1200
ack A c 1796190000.061000 800 dack 800
seg B c 1796190000.062000 1200 400 2400
ack B s 1796190000.072000 1600 dack 2800
seg A c 1796190000.226000 1200 400 2000
ack A s 1796190000.236000 1600 dack 2800
seg A c 1796190000.240000 1600 400 2800
ack A s 1796190000.250000 2000 dack 3200
fin A c 1796190000.260000
fin B c 1796190000.260100
fin A s 1796190000.270000
fin B s 1796190000.270100
ack A c 1796190000.280000 801
ack B c 1796190000.280100 1'
build def "$DEF"
check def "$HP
3290.0@ul@12@1@0.083333@6@1@0.166667@2400@400@0.166667
3290.0@dl@8@0@0.000000@2@0@0.000000@800@0@0.000000
3290.2@ul@13@0@0.000000@4@0@0.000000@1600@0@0.000000"
check def "$HR
3290@0@ul@2@3200@3600@400@0.125000
3290@0@dl@1@800@800@0@0.000000" -R
# seqjoin on the same capture: the downlink's two records, whose stream has
# no end record, so that their start is decided only at the end of input
# (seqjoin once output them before the subflow's events were in: none)
"$BIN/pcap2csv" "$TMP/def.pcap" | "$BIN/seqjoin" >"$TMP/def.join" 2>"$TMP/def.err"
is "$(awk -F@ '$1 == "dl" { print $3 "@" $5 }' "$TMP/def.join" | tr '\n' ' ')" \
    "0@1796190000.027000000 1@1796190000.051000000 " \
    "seqjoin: a stream decided at the end of input keeps its records (dl 0 and 1 on 3290.0)"

# --- 8-byte DSNs whose low 32 bits wrap ----------------------------------
# The client's IDSN is 2^32 - 766 modulo 2^32: the wrap falls in r1.  A
# sends 4-byte DATA_ACKs, B 8-byte ones, so tshark prints A's DSNs from r2
# on 2^32 too high (its bug (b)) and B's right; the low 32 bits agree.
# Every record on both subflows: 1600 bytes of stream, ratio 1.
WRAP='mptcp M v1 0x10000000019d41c4 0x0fedcba987654321
sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000
sub B M 198.18.1.2 40002 198.19.0.1 3290 2000000 7000 2 0
rec M c 1796190000000 0 1
rec M c 1796190000008 1 1
rec M c 1796190000016 2 1
rec M c 1796190000024 3 1
syn A 1796190000.000000
synack A 1796190000.000100
ack3 A 1796190000.000120
syn B 1796190000.000200
synack B 1796190000.000300
ack3 B 1796190000.000320
seg A c 1796190000.001000 0 400 0 mpc
seg B c 1796190000.001500 0 400 0
seg A c 1796190000.002000 400 400 400 a4
seg B c 1796190000.002500 400 400 400
seg A c 1796190000.003000 800 400 800 a4
seg B c 1796190000.003500 800 400 800
seg A c 1796190000.004000 1200 400 1200 a4
seg B c 1796190000.004500 1200 400 1200'
build wrap "$WRAP"
is "$(awk -F@ 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["tcp.len"] > 0 { printf "%s ", $c["mptcp.dsn"] }' "$TMP/wrap.csv")" \
	"1 1 401 401 4294968097 801 4294968497 1201 " "wrap: tshark's DSNs of A past the wrap are 2^32 too high"
check wrap "$HR
3290@0@ul@2@1600@3200@1600@1.000000" -R

# --- plain TCP beside MPTCP ------------------------------------------
# A plain connection to 3270 (tests/tools/mkflows) merged into red2's
# capture: 3 records, the second sent twice (11 frames, 4 segments of
# 1600 bytes, 1 retransmitted).  Its row is what it is alone, the
# subflows' rows are red2's, and -R knows only the MPTCP connection.
PLAIN='conn P 198.18.3.2 40010 198.19.0.1 3270 20000 30000
rec P c 1796190000000 0 1
rec P c 1796190000008 1 1
rec P c 1796190000016 2 0
syn P 1796190000.000500
synack P 1796190000.000600
seg P c 1796190000.005000 0 400 0
ack P s 1796190000.015000 400
seg P c 1796190000.016000 400 400 0
seg P c 1796190000.216000 400 400 0
ack P s 1796190000.226000 800
seg P c 1796190000.227000 800 400 0
ack P s 1796190000.237000 1200
fin P c 1796190000.300000 1200 0
fin P s 1796190000.310000 0 1201'
if command -v mergecap >/dev/null 2>&1; then
	printf '%s\n' "$PLAIN" | "$TOOLS/mkflows" -w "$TMP/plain.pcap" &&
	    mergecap -w "$TMP/mix.pcap" "$TMP/red2.pcap" "$TMP/plain.pcap"
	ok $? "mix: mkflows and mergecap write the capture"
	tshark_mptcp_rows "$TMP/plain.pcap" >"$TMP/plain.csv"
	tshark_mptcp_rows "$TMP/mix.pcap" >"$TMP/mix.csv"
	PLAIN_ROW='3270@ul@11@1@0.090909@4@1@0.250000@1600@400@0.250000'
	is "$("$X" <"$TMP/plain.csv")" "$HP
$PLAIN_ROW" "plain: the TCP path alone"
	# without MPTCP the output is what it always was: the MPTCP columns,
	# empty, change nothing
	is "$("$TOOLS/atcat" $SEQJOIN_FIELDS <"$TMP/plain.csv" | "$X")" "$HP
$PLAIN_ROW" "plain: the same without the MPTCP columns"
	check mix "$HP
$PLAIN_ROW
$RED2_PATHS"
	check mix "$HR
3290@0@ul@2@2000@4000@2000@1.000000" -R
	# without the MPTCP columns, the subflows are TCP connections to 3290
	is "$("$TOOLS/atcat" $SEQJOIN_FIELDS <"$TMP/mix.csv" | "$X")" "$HP
$PLAIN_ROW
3290@ul@29@0@0.000000@10@0@0.000000@4000@0@0.000000" "mix without the MPTCP columns: one TCP path 3290, as before"

	# -L: port.id lines name subflows, in the map's order; a subflow that
	# never came has its row; a plain port names no subflow
	printf '3290.2@phone B\n3290.0@phone A\n3290.7@dead\n3270@plain\n' >"$TMP/labels"
	check mix "$HP
phone B@ul@14@0@0.000000@5@0@0.000000@2000@0@0.000000
phone A@ul@15@0@0.000000@5@0@0.000000@2000@0@0.000000
dead@ul@0@0@@0@0@@0@0@
plain@ul@11@1@0.090909@4@1@0.250000@1600@400@0.250000" -L "$TMP/labels"
	# -R -L: only the labelled subflows' bytes (B and the plain path are
	# left out and counted: 14 + 11 frames)
	printf '3290.0@phone A\n' >"$TMP/label1"
	"$X" -R -L "$TMP/label1" <"$TMP/mix.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "0:$HR
3290@0@ul@1@2000@2000@0@0.000000:retxrate: 25 frames of ports not in $TMP/label1 left out" \
	    "-R -L 3290.0: one subflow, nothing beyond the first copy"
	printf '3290@conn\n' >"$TMP/label2"
	"$X" -R -L "$TMP/label2" <"$TMP/mix.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(tail -1 "$TMP/err")" "1::retxrate: no data on a subflow $TMP/label2 names (an MPTCP subflow is PORT.ID, e.g. 3290.2)" \
	    "-R -L with a plain port of an MPTCP connection: no subflow, exit 1 and the hint"
	"$X" -R <"$TMP/plain.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "1::retxrate: stdin: no MPTCP subflow carried data: nothing to count per connection (a capture of TCP paths?)" \
	    "-R on plain TCP: exit 1 and the hint"
else
	skip "mergecap is not installed: no plain TCP beside MPTCP"
fi

# --- subflows whose handshake was not captured ------------------------
# red2 without its 6 handshake frames: tshark links neither subflow to the
# other (a connection each) and computes no DSN.  They are named PORT.xN
# in the order they first carry data, as seqjoin does, and said so; -R has
# nothing to count and says why.
if command -v editcap >/dev/null 2>&1; then
	editcap "$TMP/red2.pcap" "$TMP/late.pcap" 1-3 6-8 >/dev/null 2>&1
	tshark_mptcp_rows "$TMP/late.pcap" >"$TMP/late.csv"
	"$X" <"$TMP/late.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "0:$HP
3290.x1@ul@12@0@0.000000@5@0@0.000000@2000@0@0.000000
3290.x2@ul@11@0@0.000000@5@0@0.000000@2000@0@0.000000:retxrate: 2 MPTCP subflows whose handshake was not captured: address id unknown, named PORT.xN" \
		"late: subflows without a handshake are PORT.xN, and said so"
	is "$($REF <"$TMP/late.csv")" "$(cat "$TMP/out")" "late: tests/ref/retxrate.py agrees"
	"$X" -R <"$TMP/late.csv" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "1::retxrate: no MPTCP data with mptcp.dsn: nothing to count (tshark computes it only with -o mptcp.analyze_mappings:TRUE, and only for subflows whose handshake it saw)" \
		"late -R: no DSN, exit 1 and why"
else
	skip "editcap is not installed: no capture without handshakes"
fi

# --- a random run against its generator's truth ------------------------
# 300 records on 3 subflows: each record on all of them (30 %) or on one;
# now and then a reinjection on another subflow and a TCP retransmission
# of one of a subflow's last segments; ACKs every 10 records.  The
# generator knows which data-sequence bytes each subflow carried and how
# many segments it sent again: the truth, independent of tshark and of C.
python3 - "$TMP/rnd.want" "$TMP/rnd.wantR" >"$TMP/rnd.scn" <<'PY'
import random, sys
rng = random.Random(15)
subs, ids, N = ['A', 'B', 'C'], {'A': 0, 'B': 2, 'C': 3}, 300
print('mptcp M v1 0x1122334455667788 0x8877665544332211')
print('sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000')
print('sub B M 198.18.1.2 40002 198.19.0.1 3290 3000 9000 2 0')
print('sub C M 198.18.2.2 40003 198.19.0.1 3290 7000 11000 3 0')
for i in range(N):
    print('rec M c %d %d 1' % (1796190000000 + 8 * i, i))
t = [1796190000.0]
def at():
    t[0] += 0.0005
    return '%.6f' % t[0]
for s in subs:
    for kind in ('syn', 'synack', 'ack3'):
        print('%s %s %s' % (kind, s, at()))
soff = dict.fromkeys(subs, 0)
segs = {s: [] for s in subs}
frames = dict.fromkeys(subs, 3)
retx = dict.fromkeys(subs, 0)
carried = {s: set() for s in subs}
def send(s, so, d, again=False):
    print('seg %s c %s %d 400 %d%s' % (s, at(), so, d,
          ' mpc' if (s, so) == ('A', 0) else ''))
    frames[s] += 1
    retx[s] += again
    carried[s].update(range(d, d + 400))
    if not again:
        segs[s].append((so, d))
        soff[s] += 400
for i in range(N):
    on = subs if rng.random() < 0.3 else [rng.choice(subs)]
    for s in on:
        send(s, soff[s], 400 * i)
    if len(on) == 1 and rng.random() < 0.06:
        s = rng.choice([x for x in subs if x not in on])
        send(s, soff[s], 400 * rng.randrange(i + 1))
    if rng.random() < 0.06:
        s = rng.choice([x for x in subs if segs[x]])
        send(s, *rng.choice(segs[s][-5:]), again=True)
    if i % 10 == 9:
        for s in subs:
            print('ack %s s %s %d dack %d' % (s, at(), soff[s], 400 * (i + 1)))
            frames[s] += 1
with open(sys.argv[1], 'w') as f:
    for s in subs:
        n = len(segs[s]) + retx[s]
        print('3290.%d@ul@%d@%d@%.6f@%d@%d@%.6f@%d@%d@%.6f' % (
            ids[s], frames[s], retx[s], retx[s] / frames[s], n, retx[s],
            retx[s] / n, 400 * n, 400 * retx[s], retx[s] / n), file=f)
union = set().union(*carried.values())
total = sum(len(c) for c in carried.values())
with open(sys.argv[2], 'w') as f:
    print('3290@0@ul@3@%d@%d@%d@%.6f' % (len(union), total,
          total - len(union), (total - len(union)) / len(union)), file=f)
PY
build rnd "$(cat "$TMP/rnd.scn")"
check rnd "$HP
$(cat "$TMP/rnd.want")"
check rnd "$HR
$(cat "$TMP/rnd.wantR")" -R
note "rnd: $(cat "$TMP/rnd.wantR")"

# --- bad input -----------------------------------------------------------
err() { "$X" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/out"):$(cat "$TMP/err")"; }
H='tcp.srcport@tcp.dstport@tcp.len@tcp.flags@tcp.analysis.retransmission@tcp.analysis.fast_retransmission'
is "$(printf '%s\n40000@5000@10@0x0018@@\n' "$H" | err -R)" \
	"1::retxrate: stdin:1: missing columns: mptcp.stream, tcp.options.mptcp.subtype, tcp.options.mptcp.addrid, mptcp.dsn" \
	"-R without the MPTCP columns: all named"
is "$(printf '%s@mptcp.stream\n40000@5000@10@0x0018@@@0\n' "$H" | err)" \
	"1::retxrate: stdin:1: missing columns: tcp.options.mptcp.subtype, tcp.options.mptcp.addrid" \
	"mptcp.stream without the subflow columns: named"
row=$(awk -F@ 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["tcp.len"] > 0 { print NR; exit }' "$TMP/red2.csv")
sed "${row}s/@1@@0@/@x1@@0@/" "$TMP/red2.csv" >"$TMP/bad.csv"
is "$(err -R <"$TMP/bad.csv")" "1::retxrate: stdin:$row: mptcp.dsn: 'x1' is not a number" \
	"a bad mptcp.dsn: its line, exit 1, nothing printed"
sed '2s/@0@$/@q@/' "$TMP/red2.csv" >"$TMP/bad.csv"
is "$(err <"$TMP/bad.csv")" "1::retxrate: stdin:2: tcp.options.mptcp.subtype: 'q' is not a number" \
	"a bad subtype: its line, exit 1"
done_testing
