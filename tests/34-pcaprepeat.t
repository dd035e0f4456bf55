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

# The reference's fields (tests/ref/records.py --fields) hold seqjoin's
# (the IP TTL tells the vantage: this is the server's capture)
# shellcheck disable=SC2046
tshark_fields "$cap" $(python3 "$TOP/tests/ref/records.py" --fields) |
    python3 "$TOP/tests/ref/records.py" --paths >"$TMP/one" 2>/dev/null
# shellcheck disable=SC2046
tshark_fields "$TMP/rep.pcap" $(python3 "$TOP/tests/ref/records.py" --fields) >"$TMP/rep.rows"
python3 "$TOP/tests/ref/records.py" --all "$TMP/want" <"$TMP/rep.rows" 2>/dev/null
n1=$(awk -F@ 'NR > 1 { print $7 }' "$TMP/one" | sort -u)
n3=$(awk -F@ 'NR > 1 { print $7 }' "$TMP/want.paths" | sort -u)
is "$n3" "$((2 * n1 + 1))" "every path has 2 x $n1 records plus the former end record"
is "$(awk -F@ 'NR > 1 && ($8 != 0 || $9 != 2 * '"$n1"' || $10 != 0) { print }' "$TMP/want.paths")" "" \
    "record numbers go on without a gap across the copies"

if [ -x "$BIN/seqjoin" ]; then
	"$BIN/seqjoin" <"$TMP/rep.rows" >"$TMP/joined" 2>/dev/null
	python3 "$TOP/tests/ref/reccmp.py" "$TMP/want.records" "$TMP/joined" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	ok $rc "seqjoin on the repeated capture: every record equals the reference's"
	if [ "$(printf '%s\n' 'dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx' \
	    'ul@receiver@0@1000@1.000000000@@0.000@' | "$BIN/rttpairs" 2>/dev/null | head -1)" = \
	    'dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess' ]; then
		"$BIN/rttpairs" <"$TMP/joined" >"$TMP/got"
		python3 "$TOP/tests/ref/statcmp.py" "$TMP/want.auto" "$TMP/got" >"$TMP/diff"; rc=$?
		[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff"
		ok $rc "seqjoin | rttpairs on the repeated capture equals the reference"
	else
		skip "rttpairs does not print the header of the new semantics"
	fi
else
	skip "bin/seqjoin is not built"
	skip "bin/seqjoin is not built"
fi
done_testing
