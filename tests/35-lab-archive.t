#!/usr/bin/env bash
# The lab's archive (../shared/captures/lab/: iperf3 3.1 UDP tests, -u -l
# 250 -b 200k, uplink port 3231, downlink 3232 with -R, each with its TCP
# control connection on the same port) through the pipeline, against an
# independent reading of the datagrams (tests/ref/records.py, from tshark's
# dissection) and the numbers of issue 9:
#   at the server (Ethernet, files cut short mid-packet: the last, partial
#   packet is not read), uplink 3231 at its receiver: 3691 records, seq 1 to
#   3691, none missing, duplicated or reordered, raw one-way delay (clock
#   offset included) median 1745.976 ms, mean 1749.212, p95 1760.343, p99
#   1763.847, max 1766.738; downlink 3232 at its sender: 3691 records;
#   at the phone (Linux cooked, IPv6 and DNS background traffic, no SYN:
#   the vantage from the TTL), uplink 3231 at its sender, 3671 records, and
#   downlink 3232 at its receiver, 3670, seq from 1, raw downlink delay
#   median -1719.599 ms (the phone's clock is 1.73 s behind the server's).
# seqjoin's lines are read from tshark's fields and from pcap2csv's; the
# statistics come from rttpairs where it prints the new header, and from
# the reference's own statistics of seqjoin's lines in any case.
. "$(dirname "$0")/tap.sh"
need_captures lab
need_tshark
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
S=$BIN/seqjoin
REF=$TOP/tests/ref/records.py
H_PAIRS='dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess'
have_rttpairs=0
[ -x "$BIN/rttpairs" ] && [ "$(printf '%s\n' \
    'dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx' \
    'ul@receiver@0@1000@1.000000000@@0.000@' |
    "$BIN/rttpairs" 2>/dev/null | head -1)" = "$H_PAIRS" ] && have_rttpairs=1
# shellcheck disable=SC2086,SC2046
FIELDS=$(printf '%s\n' $SEQJOIN_FIELDS $(python3 "$REF" --fields) | awk '!seen[$0]++')

# paths FILE: per direction and path of seqjoin's lines "dir at path
# records first-last missing", one line each
paths() {
	awk -F@ 'NR == 1 { for (i = 5; i <= NF; i += 4) { p[i] = $i; sub(/\.time$/, "", p[i]) }; next }
	    { for (i in p) if ($i != "") { k = $1 " " $2 " " p[i]; n[k]++
		if (!(k in lo) || $3 + 0 < lo[k]) lo[k] = $3 + 0
		if ($3 + 0 > hi[k]) hi[k] = $3 + 0 } }
	    END { for (k in n) print k, n[k], lo[k] "-" hi[k], hi[k] - lo[k] + 1 - n[k] }' "$1" | sort
}

# lab NAME CAPTURE WANT-PATHS WANT-REF-PATHS WANT-PAIRS [seqjoin options]
#   WANT-PATHS: paths() of seqjoin's lines; WANT-REF-PATHS: the
#   reference's --paths rows; WANT-PAIRS: the rttpairs rows
lab() {
	local name=$1 cap=$CAPS/lab/$2.pcap
	printf '%s\n' "$3" >"$TMP/want.paths"
	printf '%s\n' "$4" >"$TMP/want.ref"
	printf '%s\n%s\n' "$H_PAIRS" "$5" >"$TMP/want.pairs"
	shift 5
	# shellcheck disable=SC2086
	tshark_fields "$cap" $FIELDS >"$TMP/rows"
	"$S" "$@" <"$TMP/rows" >"$TMP/joined" 2>"$TMP/err"
	is "$?" 0 "$name: tshark | seqjoin exits 0"
	is "$(paths "$TMP/joined")" "$(cat "$TMP/want.paths")" "$name: seqjoin's paths: direction, vantage, records, seq range, none missing"
	is "$(grep -c 'seen twice\|arrived after a later one' "$TMP/err")" 0 "$name: no record duplicated or reordered"
	if [ -x "$BIN/pcap2csv" ]; then
		pcap2csv_seqjoin_rows "$cap" >"$TMP/p2c.rows" 2>"$TMP/p2c.err"
		is "$?" 0 "$name: pcap2csv exits 0"
		"$S" "$@" <"$TMP/p2c.rows" >"$TMP/joined.p2c" 2>/dev/null
		is "$(cmp "$TMP/joined" "$TMP/joined.p2c" 2>&1)" "" "$name: pcap2csv -e ... | seqjoin gives tshark's lines"
		"$BIN/pcap2csv" "$cap" 2>/dev/null >"$TMP/def.rows"
		if head -1 "$TMP/def.rows" | grep -q 'udp\.payload'; then
			"$S" "$@" <"$TMP/def.rows" >"$TMP/joined.def" 2>/dev/null
			is "$(cmp "$TMP/joined" "$TMP/joined.def" 2>&1)" "" "$name: pcap2csv | seqjoin (default fields) gives tshark's lines"
		else
			skip "$name: pcap2csv's default fields have no UDP fields yet"
		fi
	else
		skip "$name: bin/pcap2csv is not built"
		skip "$name: bin/pcap2csv is not built"
		skip "$name: bin/pcap2csv is not built"
	fi
	# the independent reading
	python3 "$REF" --all "$TMP/ref" <"$TMP/rows" 2>/dev/null
	is "$(tail -n +2 "$TMP/ref.paths")" "$(cat "$TMP/want.ref")" "$name: the reference's paths: records, range, missing, duplicated, reordered, owd statistics"
	python3 "$TOP/tests/ref/reccmp.py" "$TMP/ref.records" "$TMP/joined" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -12
	ok $rc "$name: every record of seqjoin equals the reference's"
	# the statistics of seqjoin's lines: the reference's, rttpairs'
	python3 "$REF" --pairs <"$TMP/joined" >"$TMP/pairs.ref"
	python3 "$TOP/tests/ref/statcmp.py" "$TMP/want.pairs" "$TMP/pairs.ref" >"$TMP/diff"; rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -12
	ok $rc "$name: the statistics of seqjoin's lines (by the reference) are the issue's"
	if [ "$have_rttpairs" = 1 ]; then
		"$BIN/rttpairs" <"$TMP/joined" >"$TMP/pairs" 2>/dev/null
		is "$(cat "$TMP/pairs")" "$(cat "$TMP/want.pairs")" "$name: tshark | seqjoin | rttpairs: the issue's numbers"
	else
		skip "$name: rttpairs: bin/rttpairs does not print $H_PAIRS (the new rttpairs is not merged)"
	fi
}

lab "server, uplink" 32312022-1-16-18-3-21_server_UL \
    'ul receiver 3231 3691 1-3691 0' \
    'ul@receiver@3231@iperf3@epoch@250@3691@1@3691@0@0@0@1749.212@1745.976@1760.343@1763.847@1766.738' \
    'ul@owd@3231@3231@3691@3691@0.000000@1749.212@1745.976@1760.343@1763.847@1766.738@1.000000'
like "$(cat "$TMP/p2c.err" 2>/dev/null)" "cut short" "server, uplink: pcap2csv says the file is cut short"
lab "server, downlink" 32322022-1-16-18-3-21_server_DL \
    'dl sender 3232 3691 1-3691 0' \
    'dl@sender@3232@iperf3@epoch@250@3691@1@3691@0@0@0@0.017@0.012@0.038@0.070@0.171' \
    'dl@owd@3232@3232@3691@3691@0.000000@0.017@0.012@0.038@0.070@0.171@0.000000'

# At the phone (its DNS queries and answers, one datagram a flow, are not
# records) -p names the paths ...
PHONE=22-01-16-18-03-28
lab "phone (-p 3231,3232)" $PHONE \
    'dl receiver 3232 3670 1-3670 0
ul sender 3231 3671 1-3671 0' \
    'ul@sender@3231@iperf3@epoch@250@3671@1@3671@0@0@0@0.093@0.095@0.191@0.312@2.042
dl@receiver@3232@iperf3@epoch@250@3670@1@3670@0@0@0@-1719.011@-1719.599@-1711.993@-1710.881@-1647.806' \
    'ul@owd@3231@3231@3671@3671@0.000000@0.093@0.095@0.191@0.312@2.042@0.000000
dl@owd@3232@3232@3670@3670@0.000000@-1719.011@-1719.599@-1711.993@-1710.881@-1647.806@0.000000' \
    -p 3231,3232
# ... which it should not need: the reference finds these two paths alone
is "$(head -1 "$TMP/ref.records")" 'dir@at@seq@born@3231.time@3231.rtt@3231.owd@3231.retx@3232.time@3232.rtt@3232.owd@3232.retx' \
    "phone: the reference's paths are the two iperf3 flows"
"$S" <"$TMP/rows" >"$TMP/out" 2>"$TMP/err"
[ "$(head -1 "$TMP/out")" = 'dir@at@seq@born@3231.time@3231.rtt@3231.owd@3231.retx@3232.time@3232.rtt@3232.owd@3232.retx' ] &&
    ! grep -q 'paths without a column\|wall-clock' "$TMP/err"
ok $? "phone without -p: seqjoin's paths are the two iperf3 flows, and no other record is counted"
done_testing
