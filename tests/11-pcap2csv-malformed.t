#!/usr/bin/env bash
# Every capture of tcpdump's regression suite (crafted, truncated and
# malformed packets, unknown link types) ends pcap2csv with exit 0, or 1 and
# a message, never a signal (a status >= 128) or a sanitizer report, with
# every field that needs decoding asked for.
. "$(dirname "$0")/tap.sh"
need_captures tcpdump-tests

fields="-e frame.number -e frame.time -e frame.time_relative -e ip.src
-e ip.dst -e ip.len -e ip.ttl -e ipv6.src -e ipv6.dst -e _ws.col.Protocol
-e tcp.srcport -e tcp.seq -e tcp.ack -e tcp.len -e tcp.flags -e tcp.payload
-e tcp.stream -e tcp.analysis.ack_rtt -e tcp.analysis.bytes_in_flight
-e tcp.analysis.retransmission -e tcp.analysis.duplicate_ack -e udp.srcport
-e udp.length -e udp.payload -e data.data -e icmp.type -e icmpv6.type"
n=0 bad=0 failed=0
for f in "$CAPS"/tcpdump-tests/*; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$BIN/pcap2csv" -q $fields "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ge 2 ] || grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		bad=$((bad + 1))
		diag "$(basename "$f"): exit $rc: $(head -c 300 "$TMP/err")"
	elif [ $rc -eq 1 ]; then
		failed=$((failed + 1))
		[ -s "$TMP/err" ] || { bad=$((bad + 1)); diag "$(basename "$f"): exit 1 without a message"; }
	fi
	# Every row has as many fields as the header.
	awk -F@ 'NR == 1 { n = NF } NF != n { exit 1 }' "$TMP/out" ||
	    { bad=$((bad + 1)); diag "$(basename "$f"): a row with a wrong field count"; }
done
diag "$n captures, $failed exit 1 with a message"
ok $((bad > 0)) "$n tcpdump test captures: exit 0 or 1 with a message, never a signal, whole rows only"
done_testing
