#!/usr/bin/env bash
# pcap2csv agrees with tshark 4.0, cell by cell, on every capture of the lab
# and of the redundant experiment, for three field lists: the default list
# (pcap2csv's own, from its header line, which must be the one pcap2csv(1)
# documents and begin with the lab's), the lab's exact list and a list of
# the extra fields.  The one allowance
# (pcap2csv(1), DIFFERENCES): on a frame tshark attributes to an application
# protocol (frame.protocols goes on past tcp/udp), _ws.col.Protocol may name
# the transport instead; those cells are listed as diagnostics.
. "$(dirname "$0")/tap.sh"
[ -x "$TOOLS/pcapgen" ] || skip_all "tests/tools/pcapgen is not built (make tools)"

# The default list: pcap2csv's header, pcap2csv(1)'s list (the .Cm words of
# the -e item after "Without -e"), and the lab's list at its start.
default=$(pcap2csv_fields | tr '\n' ' ' | sed 's/ $//')
documented=$(awk '/^\.It Fl e Ar field/ { item = 1; next }
    item && /^\.It / { exit }
    item && /^\.Fl e ,$/ { list = 1; next }
    list && /^\.Cm / { for (i = 2; i <= NF; i++) if ($i != ".") printf "%s ", $i }' \
    "$TOP/man/pcap2csv.1" | sed 's/ $//')
is "$default" "$documented" "pcap2csv's default fields are the ones pcap2csv(1) documents"

lab="frame.number frame.time ip.src ip.dst _ws.col.Protocol frame.len
tcp.analysis.acks_frame tcp.seq_raw tcp.len tcp.analysis.ack_rtt tcp.srcport
tcp.dstport tcp.analysis.bytes_in_flight tcp.analysis.retransmission
tcp.analysis.fast_retransmission tcp.analysis.out_of_order tcp.payload"
lab1=$(echo $lab)
is "${default:0:${#lab1}}" "$lab1" "the default fields begin with the lab's list"

if ! command -v tshark >/dev/null 2>&1 ||
    { [ ! -d "$CAPS/lab" ] && [ ! -d "$CAPS/redundant" ]; }; then
	skip "tshark, or the captures in $CAPS/lab and $CAPS/redundant, absent"
	done_testing
	exit
fi
extra="frame.number tcp.analysis.spurious_retransmission
tcp.analysis.duplicate_ack tcp.analysis.lost_segment tcp.stream tcp.seq
tcp.ack tcp.window_size frame.time_relative frame.cap_len ip.proto ip.len
ip.ttl ipv6.src ipv6.dst udp.srcport udp.dstport udp.length udp.payload
data.data tcp.window_size_value tcp.hdr_len ipv6.plen ipv6.nxt ipv6.hlim
icmp.type icmpv6.type _ws.col.Protocol"

# One tshark run per capture on the union of the three lists (tshark is the
# slow part): 100% there is 100% on each list.  That pcap2csv prints the same
# values whichever fields are asked for is checked by cutting the lab list
# and the default list out of the union run and comparing them with runs of
# pcap2csv with exactly those lists (the default one with no -e at all).
union=$(echo $default $extra | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')
cols() {	# cols WANTED_LIST: column numbers of its fields in $union
	for w in $1; do
		i=0
		for u in $union; do
			i=$((i + 1))
			[ "$u" = "$w" ] && { printf '%s,' $i; break; }
		done
	done | sed 's/,$//'
}
lab_cols=$(cols "$lab")
default_cols=$(cols "$default")
for f in "$CAPS"/lab/* "$CAPS"/redundant/*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	# shellcheck disable=SC2086
	out=$(PCAP2CSV=$BIN/pcap2csv PCAP2CSV_KEEP="$TMP/union" "$TOP/tests/tshark-compare.sh" -a -v -m 5 "$f" $union); rc=$?
	printf '%s\n' "$out" | grep '^allowed' | head -3 | sed 's/^/# /'
	n=$(printf '%s\n' "$out" | grep -c '^allowed')
	[ "$n" -gt 0 ] && diag "$b: $n _ws.col.Protocol cells allowed (application protocol)"
	summary=$(printf '%s\n' "$out" | tail -1 | sed 's/.*: cells/cells/')
	ok $rc "$b: default, lab and extra fields: 100% of cells equal tshark's ($summary)"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | grep MISMATCH | head -10 | sed 's/^/# /'
	"$BIN/pcap2csv" -q "$f" 2>/dev/null >"$TMP/default"
	cut -d@ -f"$default_cols" "$TMP/union" | cmp -s - "$TMP/default"
	ok $? "$b: pcap2csv without -e prints the default list with the same values"
	# shellcheck disable=SC2086
	"$BIN/pcap2csv" -q $(printf -- '-e %s ' $lab) "$f" 2>/dev/null >"$TMP/lab"
	cut -d@ -f"$lab_cols" "$TMP/union" | cmp -s - "$TMP/lab"
	ok $? "$b: the lab's exact list, same values"
done
done_testing
