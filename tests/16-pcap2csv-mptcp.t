#!/usr/bin/env bash
# pcap2csv's MPTCP fields (TCP option kind 30 and tshark's MPTCP analysis)
# against tshark 4.0, single pass with the mapping analysis, cell by cell:
# on real kernel v1 captures (tests/mptcp/README) every cell; on the
# hand-built captures (tests/mptcp/*.scn through tests/tools/mkmptcp: v0
# with SHA-1 keys and 4-byte DSNs, v1 with 8-byte DSNs that wrap past 2^32,
# every other option, a join opened by the server, a retransmitted join
# SYN) every cell but those where tshark is wrong (tests/mptcp/bugs, each
# with its bug of pcap2csv(1)), where pcap2csv must give the values worked
# out independently (tests/ref/mptcp_expect.py, and some by hand below).
. "$(dirname "$0")/tap.sh"
need_tshark
MK=$TOOLS/mkmptcp
[ -x "$MK" ] || skip_all "tests/tools/mkmptcp is not built (make tools)"
M=$TOP/tests/mptcp

MPTCP_FIELDS="tcp.options.mptcp.subtype tcp.options.mptcp.version
tcp.options.mptcp.flags tcp.options.mptcp.sendkey tcp.options.mptcp.recvkey
tcp.options.mptcp.recvtok tcp.options.mptcp.addrid
tcp.options.mptcp.sendrand tcp.options.mptcp.rawdataseqno
tcp.options.mptcp.subflowseqno tcp.options.mptcp.datalvllen
tcp.options.mptcp.rawdataack tcp.options.mptcp.dseqn8.flag
tcp.options.mptcp.dataack8.flag tcp.options.mptcp.datafin.flag mptcp.stream
mptcp.expected_token mptcp.expected_idsn mptcp.dss.dsn mptcp.dsn
mptcp.rawdsn64 mptcp.ack mptcp.reinjection_of"
# every MPTCP field, the default list (with the TCP analysis, whose
# duplicate ACKs MPTCP signalling excuses), a few more
union=$(echo frame.number tcp.stream $MPTCP_FIELDS $(pcap2csv_fields) \
    tcp.analysis.duplicate_ack tcp.analysis.lost_segment tcp.seq tcp.ack \
    tcp.window_size data.data | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')
for f in $(pcap2csv_fields); do
	case " $(echo $MPTCP_FIELDS) " in
	*" $f "*) defaults="${defaults:-} $f" ;;
	esac
done
is "$defaults" " mptcp.stream mptcp.dsn mptcp.ack tcp.options.mptcp.subtype tcp.options.mptcp.addrid" \
    "the default list has the MPTCP fields seqjoin reads"

# rows CAPTURE OUT [TSHARK-OPTION...]: tshark's and pcap2csv's rows of $union
rows() {
	local cap=$1 out=$2 args=() f
	shift 2
	for f in $union; do args+=(-e "$f"); done
	tsh -r "$cap" -n "$@" -T fields -E header=y -E separator=@ \
	    -o mptcp.analyze_mappings:TRUE \
	    -o mptcp.intersubflows_retransmission:TRUE "${args[@]}" >"$out.tshark"
	"$BIN/pcap2csv" -q "${args[@]}" "$cap" >"$out.ours"
}

# compare NAME [EXPECT.csv]: cell by cell, the cells of tests/mptcp/bugs
# for NAME aside: there tshark must differ and pcap2csv equal EXPECT's
# worked-out value; and pcap2csv must equal EXPECT everywhere it has a
# column.  Prints the differences and a summary line.
compare() {
	python3 - "$1" "$TMP/$1.tshark" "$TMP/$1.ours" "$M/bugs" "${2:-}" <<'EOF'
import csv, sys
name, tpath, opath, bpath, epath = sys.argv[1:6]
def rows(p):
    with open(p) as f:
        return list(csv.DictReader(f, delimiter='@'))
t, o = rows(tpath), rows(opath)
bugs = {}
for line in open(bpath):
    w = line.split()
    if w and not w[0].startswith('#') and w[0] == name:
        bugs[(int(w[1]), w[2])] = w[3]
exp = {int(r['frame']): r for r in rows(epath)} if epath else {}
bad = []
if len(t) != len(o) or not o:
    bad.append('tshark has %d rows, pcap2csv %d' % (len(t), len(o)))
if exp and len(exp) != len(o):
    bad.append('worked out: %d rows, pcap2csv %d' % (len(exp), len(o)))
cells = skipped = 0
for tr, orow in zip(t, o):
    fr = int(orow['frame.number'])
    for k, ov in orow.items():
        cells += 1
        tv = tr.get(k)
        if (fr, k) in bugs:
            skipped += 1
            want = exp[fr][k] if fr in exp else None
            if tv == ov or (want is not None and ov != want):
                bad.append('frame %d %s (bug %s): tshark %r ours %r worked out %r'
                           % (fr, k, bugs[(fr, k)], tv, ov, want))
        elif tv != ov:
            bad.append('frame %d %s: tshark %r ours %r' % (fr, k, tv, ov))
        # expect.py does not model tshark's exception on a DSS cut short
        if fr in exp and k in exp[fr] and ov != exp[fr][k] and \
                not (name == 'misc' and fr == 18 and k == 'mptcp.stream'):
            bad.append('frame %d %s: ours %r worked out %r' % (fr, k, ov, exp[fr][k]))
for b in bad[:20]:
    print(b)
missing = [c for c in bugs if c[0] > len(o)]
print('%s: cells %d, %d of them tshark\'s bugs, %d wrong%s' % (name, cells,
      skipped, len(bad), ', %d bug cells not in the capture' % len(missing) if missing else ''))
sys.exit(1 if bad or missing else 0)
EOF
}

# --- kernel captures: every cell --------------------------------------
for g in "$M"/kernel-*.pcap.gz; do
	n=$(basename "$g" .pcap.gz)
	gzip -dc "$g" >"$TMP/$n.pcap"
	rows "$TMP/$n.pcap" "$TMP/$n"
	out=$(compare "$n"); rc=$?
	ok $rc "$n: every cell equals tshark's (${out##*$'\n'})"
	[ $rc -eq 0 ] && continue
	printf '%s\n' "$out" | sed 's/^/# /'
done

# (a): with -2 tshark breaks the v1 join (the client's second subflow,
# tcp.stream 1): pcap2csv keeps the single-pass values, which are right.
rows "$TMP/kernel-v1-cli.pcap" "$TMP/two" -2
python3 - "$TMP/two.tshark" "$TMP/two.ours" >"$TMP/two.out" <<'EOF'
import csv, sys
t, o = (list(csv.DictReader(open(p), delimiter='@')) for p in sys.argv[1:3])
streams, frames = set(), 0
for tr, orow in zip(t, o):
    if any(tr[k] != orow[k] for k in ('mptcp.dss.dsn', 'mptcp.ack')):
        frames += 1
        streams.add(orow['tcp.stream'])
print(frames, ','.join(sorted(streams)), t[544]['mptcp.dss.dsn'], o[544]['mptcp.dss.dsn'])
EOF
read -r nfr nstreams two545 our545 <"$TMP/two.out"
ok "$([ "$nfr" -gt 700 ] && [ "$nstreams" = 1 ]; echo $?)" \
    "bug (a): tshark -2 gives other DSNs on $nfr frames, all of tcp.stream $nstreams (the join)"
is "$our545:$two545" "107601:4690783110380365955" \
    "bug (a): frame 545's DSN, ours (= single pass) and tshark -2's"

# --- hand-built captures: every cell but tshark's bugs ----------------
for s in v0 v1wrap v0wrap misc joinretx; do
	"$MK" -w "$TMP/$s.pcap" <"$M/$s.scn" || diag "$s: mkmptcp failed"
	python3 "$TOP/tests/ref/mptcp_expect.py" "$M/$s.scn" >"$TMP/$s.expect"
	rows "$TMP/$s.pcap" "$TMP/$s"
	out=$(compare "$s" "$TMP/$s.expect"); rc=$?
	ok $rc "$s: tshark's cells except its bugs, and the worked-out values (${out##*$'\n'})"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
done
for b in a b c d e; do
	n=$(awk -v b=$b '$4 == b' "$M/bugs" | wc -l)
	ok "$([ "$n" -gt 0 ]; echo $?)" "bug ($b) shows in $n cells of the hand-built captures"
done

# cell FILE FRAME FIELD: one value of pcap2csv's rows
cell() {
	awk -F@ -v fr="$2" -v k="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["frame.number"] == fr { print $c[k] }' "$TMP/$1.ours"
}
# v0 (HANDBUILT worked example 1): SHA-1 of 0x0123456789abcdef: token
# 212003547, IDSN 16419999864004347207; one mapping of 1200 bytes over
# frames 9-11 (DSN 401 + (801 - 401) for frame 10); B's copy of A's frame
# 13 and A's TCP retransmission of it
is "$(cell v0 1 mptcp.expected_token):$(cell v0 1 mptcp.expected_idsn)" \
    "212003547:16419999864004347207" "v0: the client's token and IDSN (SHA-1)"
is "$(cell v0 10 mptcp.dsn):$(cell v0 10 mptcp.rawdsn64):$(cell v0 10 tcp.options.mptcp.rawdataseqno)" \
    "801:16419999864004348008:" "v0: a segment under an earlier frame's mapping"
is "$(cell v0 14 mptcp.reinjection_of):$(cell v0 18 mptcp.reinjection_of)" "13:14" \
    "v0: a reinjection, and a retransmission of what the other subflow carried"
is "$(cell v0 15 mptcp.ack)" 2001 "v0: a 4-byte DATA_ACK"
# v1wrap (worked example 2): IDSN 11898657369682345218, 766 bytes below
# a 2^32 boundary; record 2 (offset 800) at DSN (H + 1) * 2^32 + 35
is "$(cell v1wrap 11 mptcp.dss.dsn):$(cell v1wrap 11 mptcp.dsn):$(cell v1wrap 11 mptcp.rawdsn64)" \
    "801:801:11898657369682346019" "bug (b): an 8-byte DSN past the wrap, sent with a 4-byte DATA_ACK"
is "$(cell v1wrap 14 mptcp.ack)" 1201 "bug (e): a 4-byte DATA_ACK past the wrap, widened against the last DSN"
is "$(cell v1wrap 23 mptcp.reinjection_of)" 21 \
    "bug (c): B's copy overlaps A's 800-byte segment (21), not its 400-byte retransmission (22)"
is "$(cell v1wrap 26 mptcp.dss.dsn):$(cell v1wrap 26 mptcp.dsn)" "2801:" \
    "v1wrap: a DATA_FIN's mapping, no payload: no mptcp.dsn"
is "$(cell joinretx 12 mptcp.dss.dsn):$(cell joinretx 12 mptcp.ack)" "801:1" \
    "bug (a): after a retransmitted join SYN, the join's DSN and DATA_ACK"
is "$(cell misc 9 mptcp.rawdsn64):$(cell misc 12 mptcp.dss.dsn)" "2901718219974200343:801" \
    "bug (d): a join opened by the server: its SYN carries the server's IDSN"
is "$(cell misc 14 tcp.options.mptcp.subtype)|$(cell misc 14 tcp.options.mptcp.flags)|$(cell misc 14 tcp.options.mptcp.addrid)" \
    "2,5,4|0x01,0x51|2,7,8" "misc: DSS, MP_PRIO and REMOVE_ADDR in one packet, values ','-joined"
is "$(cell misc 18 tcp.options.mptcp.subtype):$(cell misc 18 tcp.options.mptcp.flags):$(cell misc 18 tcp.options.mptcp.rawdataack):$(cell misc 18 mptcp.stream)" \
    "2:0x05::" "misc: a DSS cut short: what lies inside it, then nothing (as tshark)"
is "$(cell misc 1 _ws.col.Protocol):$(cell misc 21 _ws.col.Protocol)" "MPTCP:TCP" \
    "_ws.col.Protocol: MPTCP with an MPTCP option, TCP without"

# --- bounded memory ----------------------------------------------------
# N records on A, each acknowledged by the subflow and the DATA_ACK, then
# B's copies of record 0 (long acknowledged) and of record N (not yet)
long_scenario() {
	awk -v n="$1" 'BEGIN {
		print "mptcp M v1 0x1122334455667788 0x8877665544332211"
		print "sub A M 198.18.0.2 40001 198.19.0.1 3290 1000 5000"
		print "sub B M 198.18.1.2 40002 198.19.0.1 3290 3000 9000 2 0"
		t = 1796190000
		print "syn A " t ".000000"; print "synack A " t ".000100"
		print "ack3 A " t ".000200"; print "syn B " t ".000300"
		print "synack B " t ".000400"; print "ack3 B " t ".000500"
		for (i = 0; i <= n; i++) {
			us = 1000 + i * 100
			printf "seg A c %d.%06d %d 400 %d a4\n", t + int(us / 1e6), us % 1e6, 400 * i, 400 * i
			if (i == n)
				break
			us += 50
			printf "ack A s %d.%06d %d dack %d\n", t + int(us / 1e6), us % 1e6, 400 * (i + 1), 400 * (i + 1)
		}
		us = 1000 + (n + 1) * 100
		printf "seg B c %d.%06d 0 400 0 a4\n", t + int(us / 1e6), us % 1e6
		printf "seg B c %d.%06d 400 400 %d a4\n", t + int(us / 1e6), us % 1e6 + 10, 400 * n
	}'
}
for n in 3000 6000; do
	long_scenario $n | "$MK" -w "$TMP/long$n.pcap" || diag "mkmptcp failed"
	IFS=@ read -r conns held peak < <("$TOOLS/mptcp_held" "$TMP/long$n.pcap")
	eval "peak$n=$peak"
done
# shellcheck disable=SC2154
is "$peak6000" "$peak3000" "memory: DSN ranges and mappings held at most, as many for 6000 acknowledged segments as for 3000"
# shellcheck disable=SC2154
ok "$([ "$peak3000" -le 2048 ]; echo $?)" "memory: at most 2048 of them held ($peak3000, for 6000 segments)"
rows "$TMP/long3000.pcap" "$TMP/long"
last=$(($(wc -l <"$TMP/long.ours") - 1))
is "$(cell long $((last - 1)) mptcp.reinjection_of):$(cell long $last mptcp.reinjection_of)" ":$((last - 2))" \
    "memory's cost: a copy of long-acknowledged data is not named, one of data in flight is"
# tshark names it: the one cell where the two differ (pcap2csv(1))
python3 - "$TMP/long.tshark" "$TMP/long.ours" >"$TMP/long.diff" <<'EOF'
import csv, sys
t, o = (list(csv.DictReader(open(p), delimiter='@')) for p in sys.argv[1:3])
for tr, orow in zip(t, o):
    for k in orow:
        if tr[k] != orow[k]:
            print(orow['frame.number'], k, tr[k], orow[k])
EOF
is "$(cat "$TMP/long.diff")" "$((last - 1)) mptcp.reinjection_of 7 " \
    "memory's cost: tshark names frame 7 there; every other cell is equal"
done_testing
