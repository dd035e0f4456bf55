#!/usr/bin/env bash
# tests/tools/pcaprepeat, which makes the benchmark's long captures: a
# redundant capture repeated twice is one continuous run with twice the
# records (plus the end-of-run record that became data), twice the
# retransmissions, and the analysis still equals the independent reference.
. "$(dirname "$0")/tap.sh"
need_captures redundant
need_tshark
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
cap=$CAPS/redundant/r1-cubic-2p.pcap
[ -r "$cap" ] || skip_all "no $cap"

"$TOOLS/pcaprepeat" -n 2 "$cap" "$TMP/rep.pcap"
is "$?" 0 "pcaprepeat -n 2 exits 0"
"$TOOLS/pcaprepeat" "$cap" "$TMP/x.pcap" 2>/dev/null
is "$?" 2 "pcaprepeat without -n is a usage error"

# frames, SYNs, FIN/RST without data, retransmissions: one tshark pass.
counts() {
	tsh -r "$1" -T fields -E separator=@ -e tcp.flags.syn -e tcp.flags.fin \
	    -e tcp.flags.reset -e tcp.len \
	    -e tcp.analysis.retransmission -e tcp.analysis.fast_retransmission |
	awk -F@ '{ n++ }
		$1 == 1 { syn++ }
		($2 == 1 || $3 == 1) && $4 == 0 { fin++ }
		$5 != "" || $6 != "" { retx++ }
		END { print n + 0, syn + 0, fin + 0, retx + 0 }'
}
read -r all syn fin retx <<<"$(counts "$cap")"
read -r all2 _ _ retx2 <<<"$(counts "$TMP/rep.pcap")"
is "$all2" "$((2 * all - syn - fin))" \
    "2 copies of every frame but the handshakes of the second and the empty FIN/RST of the first"
is "$retx2" "$((2 * retx))" "tshark finds twice the retransmissions: the streams are continuous"

REF_FIELDS="frame.time_epoch tcp.stream tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.payload"
E=""; for f in $REF_FIELDS; do E="$E -e $f"; done
# shellcheck disable=SC2086
tsh -r "$cap" -T fields -E header=y -E separator=@ $E | python3 "$TOP/tests/ref/records.py" -m rtt >"$TMP/one"
# shellcheck disable=SC2086
tsh -r "$TMP/rep.pcap" -T fields -E header=y -E separator=@ $E | python3 "$TOP/tests/ref/records.py" --all "$TMP/want"
n1=$(awk -F@ '$2 == $3 { print $4 }' "$TMP/one" | sort -u)
n3=$(awk -F@ '$2 == $3 { print $4 }' "$TMP/want.rtt" | sort -u)
is "$n3" "$((2 * n1 + 1))" "every path has 2 x $n1 records plus the former end record"
is "$(cut -d@ -f1 "$TMP/want.records" | tail -n +2 | awk 'NR - 1 != $1' | head -1)" "" "record numbers go on without a gap across the copies"

if [ -x "$BIN/seqjoin" ]; then
	tshark_rows "$TMP/rep.pcap" | "$BIN/seqjoin" >"$TMP/joined" 2>/dev/null
	python3 "$TOP/tests/ref/reccmp.py" "$TMP/want.records" "$TMP/joined" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	ok $rc "seqjoin on the repeated capture: every record equals the reference's"
	"$BIN/rttpairs" <"$TMP/joined" >"$TMP/got"
	python3 "$TOP/tests/ref/statcmp.py" "$TMP/want.rtt" "$TMP/got" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	ok $rc "seqjoin | rttpairs on the repeated capture equals the reference"
else
	skip "bin/seqjoin is not built"
fi
done_testing
