#!/usr/bin/env bash
# The whole analysis against an independent reference: tests/ref/records.py
# computes every record's time, rtt, owd and retx from tshark's dissection
# (DESIGN.md, "Semantics of the record metrics") and the statistics of every
# path and pair with Python's statistics module.  Counts must be equal,
# statistics equal to 0.001 ms, excess fractions equal.
. "$(dirname "$0")/tap.sh"
need_captures redundant
need_tshark
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
REF=$TOP/tests/ref/records.py
CMP=$TOP/tests/ref/statcmp.py

# What the reference reads, and what seqjoin reads (pcap2csv's default fields).
REF_FIELDS="frame.time_epoch tcp.stream tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.payload"
fields() { for f in "$@"; do printf -- ' -e %s' "$f"; done; }

# compare NAME WANT GOT: statcmp, its differences shown as diagnostics.
compare() {
	python3 "$CMP" "$2" "$3" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -20
	ok $rc "$1"
}

for cap in "$CAPS"/redundant/*.pcap; do
	name=$(basename "$cap" .pcap)
	# shellcheck disable=SC2046
	tsh -r "$cap" -T fields -E header=y -E separator=@ $(fields $REF_FIELDS) >"$TMP/ref.in"
	# want.records, want.rtt, want.owd, want.owdmin, want.rtt20 in one run.
	python3 "$REF" --all "$TMP/want" <"$TMP/ref.in"
	mv "$TMP/want.records" "$TMP/ref.records"
	npaths=$(head -1 "$TMP/ref.records" | tr @ '\n' | grep -c '\.rtt$')
	is "$(wc -l <"$TMP/want.rtt" | tr -d ' ')" "$((1 + npaths * (npaths + 1) / 2))" \
	    "$name: the reference has $npaths paths and all their pairs"

	# rttpairs alone, fed the reference's own record table.
	for m in rtt owd; do
		"$BIN/rttpairs" -m "$m" <"$TMP/ref.records" >"$TMP/got"
		compare "$name: rttpairs -m $m on the reference's records equals the reference" "$TMP/want.$m" "$TMP/got"
	done
	"$BIN/rttpairs" -m owd --offset min <"$TMP/ref.records" >"$TMP/got"
	compare "$name: rttpairs -m owd --offset min equals the reference" "$TMP/want.owdmin" "$TMP/got"

	# The pipeline: tshark's fields | seqjoin | rttpairs.
	if [ ! -x "$BIN/seqjoin" ]; then
		skip "$name: bin/seqjoin is not built"
		continue
	fi
	# shellcheck disable=SC2046
	tshark_rows "$cap" >"$TMP/t.csv"
	"$BIN/seqjoin" <"$TMP/t.csv" >"$TMP/joined" 2>"$TMP/seqjoin.err"
	is "$?" 0 "$name: seqjoin exits 0"
	is "$(head -1 "$TMP/joined")" "$(head -1 "$TMP/ref.records")" "$name: seqjoin's header has the reference's paths in order"
	for m in rtt owd; do
		"$BIN/rttpairs" -m "$m" <"$TMP/joined" >"$TMP/got"
		compare "$name: tshark | seqjoin | rttpairs -m $m equals the reference" "$TMP/want.$m" "$TMP/got"
	done
	"$BIN/rttpairs" -m owd --offset min <"$TMP/joined" >"$TMP/got"
	compare "$name: ... | rttpairs -m owd --offset min equals the reference" "$TMP/want.owdmin" "$TMP/got"
	"$BIN/rttpairs" -t 20 <"$TMP/joined" >"$TMP/got"
	compare "$name: ... | rttpairs -t 20 equals the reference" "$TMP/want.rtt20" "$TMP/got"
	# Every record: time, rtt, owd and retx on every path, and born.
	python3 "$TOP/tests/ref/reccmp.py" "$TMP/ref.records" "$TMP/joined" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	ok $rc "$name: every record's time, rtt, owd, retx and born equal the reference's"

	if [ -x "$BIN/pcap2csv" ]; then
		"$BIN/pcap2csv" "$cap" | "$BIN/seqjoin" 2>/dev/null | "$BIN/rttpairs" >"$TMP/got"
		compare "$name: pcap2csv | seqjoin | rttpairs equals the reference" "$TMP/want.rtt" "$TMP/got"
	else
		skip "$name: bin/pcap2csv is not built"
	fi
done
done_testing
