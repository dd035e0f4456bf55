#!/bin/sh
# answer-vs-tshark.sh [COPIES]: the whole answer, `pcap2csv | seqjoin |
# rttpairs`, against tshark's conversion alone (the lab's 17 fields, what
# the notebooks started from) on the same capture, in the same run.  The
# capture is the redundant experiment's r2-bbr-3p.pcap repeated COPIES times
# (default 50: 551,000 packets, a 60 s four-path run's size) as one longer
# run by tests/tools/pcaprepeat.  Prints both wall times, the ratio (target
# >= 50), and each program's peak RSS (target < 64 MB, flat: also shown at
# half the length).  ROUNDS (default 2) rounds of one tshark run, one
# pipeline run not counted (the first after tshark ran up to 3x slower
# while the system took back tshark's half gigabyte), and RUNS (default 3)
# pipeline runs: the figures are each side's median.  Run by hand (make all
# tools first); never by make check.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
copies=${1:-50}
bin=$top/bin
rep=$top/obj/std/tools/pcaprepeat
seed=${MPTK_CAPTURES:-$top/../shared/captures}/redundant/r2-bbr-3p.pcap
[ -x "$rep" ] && [ -x "$bin/seqjoin" ] || { echo "run make all tools first" >&2; exit 1; }
[ -f "$seed" ] || { echo "$seed: no such capture" >&2; exit 1; }
command -v tshark >/dev/null || { echo "tshark is not installed" >&2; exit 1; }
[ "$(cat "$bin/.mode" 2>/dev/null)" = san ] &&
    { echo "bin/ is a sanitizer build (SAN=1): run make first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/answer-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$rep" -n "$copies" "$seed" "$tmp/big.pcap"
"$rep" -n $((copies / 2)) "$seed" "$tmp/half.pcap"
fields="-e frame.number -e frame.time -e ip.src -e ip.dst -e _ws.col.Protocol
-e frame.len -e tcp.analysis.acks_frame -e tcp.seq_raw -e tcp.len
-e tcp.analysis.ack_rtt -e tcp.srcport -e tcp.dstport
-e tcp.analysis.bytes_in_flight -e tcp.analysis.retransmission
-e tcp.analysis.fast_retransmission -e tcp.analysis.out_of_order
-e tcp.payload"

now() { date +%s.%N; }
# answer CAPTURE TAG: the pipeline, each stage's peak RSS in $tmp/TAG.*
answer() {
	/usr/bin/time -f %M -o "$tmp/$2.p2c" "$bin/pcap2csv" -q "$1" |
	    /usr/bin/time -f %M -o "$tmp/$2.sj" "$bin/seqjoin" 2>/dev/null |
	    /usr/bin/time -f %M -o "$tmp/$2.rp" "$bin/rttpairs" >"$tmp/$2.out" \
	    2>/dev/null
}

# median: of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

packets=$("$bin/pcap2csv" -q -H -e frame.number "$tmp/big.pcap" | wc -l)
# ROUNDS rounds (default 2) of one tshark run and RUNS (default 3) of the
# pipeline, in turn: a shared machine's drift weighs on both sides alike,
# and each side's median is compared.
rounds=${ROUNDS:-2} runs=${RUNS:-3}
: >"$tmp/t"; : >"$tmp/a"; : >"$tmp/w"
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	t0=$(now)
	# shellcheck disable=SC2086
	tshark -r "$tmp/big.pcap" -T fields -E header=y -E separator=@ $fields \
	    >/dev/null 2>&1
	t1=$(now)
	echo "$t1 $t0" | awk '{ print $1 - $2 }' >>"$tmp/t"
	answer "$tmp/big.pcap" big	# after tshark: shown, not counted
	t2=$(now)
	echo "$t2 $t1" | awk '{ print $1 - $2 }' >>"$tmp/w"
	k=0
	while [ "$k" -lt "$runs" ]; do
		k=$((k + 1))
		t1=$(now)
		answer "$tmp/big.pcap" big
		t2=$(now)
		echo "$t2 $t1" | awk '{ print $1 - $2 }' >>"$tmp/a"
	done
done
answer "$tmp/half.pcap" half
records=$(($(wc -l <"$tmp/big.out") - 1))
echo "each run, wall s: tshark $(tr '\n' ' ' <"$tmp/t")| pipeline $(tr '\n' ' ' <"$tmp/a")| first after tshark, not counted $(tr '\n' ' ' <"$tmp/w")"

awk -v p="$packets" -v ts="$(median <"$tmp/t")" -v as="$(median <"$tmp/a")" \
    -v rounds="$rounds" -v runs="$runs" \
    -v p2c="$(cat "$tmp/big.p2c")" -v sj="$(cat "$tmp/big.sj")" \
    -v rp="$(cat "$tmp/big.rp")" -v hp2c="$(cat "$tmp/half.p2c")" \
    -v hsj="$(cat "$tmp/half.sj")" -v hrp="$(cat "$tmp/half.rp")" \
    -v rows="$records" 'BEGIN {
	printf "capture: %d packets; rttpairs gave %d rows\n", p, rows
	printf "medians of %d tshark and %d pipeline runs:\n", rounds, rounds * runs
	printf "tshark conversion alone:           %7.2f s\n", ts
	printf "pcap2csv | seqjoin | rttpairs:     %7.2f s\n", as
	printf "ratio: %.1fx (target >= 50x)\n", ts / as
	printf "peak RSS MB at %d and at half the packets: pcap2csv %.1f / %.1f, seqjoin %.1f / %.1f, rttpairs %.1f / %.1f (target < 64, flat)\n", p, p2c / 1024, hp2c / 1024, sj / 1024, hsj / 1024, rp / 1024, hrp / 1024
}'
