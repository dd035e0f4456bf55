#!/bin/sh
# pcap2csv-vs-tshark.sh [COPIES]: throughput and peak memory of pcap2csv
# against tshark 4.0 on the same capture and the same fields, in the same
# run.  The capture is the redundant experiment's r2-bbr-3p.pcap repeated
# COPIES times (default 28: 308,448 packets) by tests/tools/pcapgen, each
# copy later in time and on new TCP ports; without the shared captures,
# pcapgen's synthetic capture repeated instead.  The fields are pcap2csv's
# default list (read from its header line), or FIELDS (names separated by
# spaces) when set, e.g. the lab's 17.  Prints both times, the
# throughput ratio, both peak RSS figures, and pcap2csv's peak RSS on a
# capture half as long, to show memory does not grow with length.  Both
# write their output to a file under TMPDIR for the comparison; pcap2csv
# runs once more into /dev/null: its conversion without the file system's
# cost of taking some 200 MB, which is then most of its time.
# ROUNDS (default 2) rounds of one tshark run, one pcap2csv run not
# counted (the first after tshark ran up to 3x slower, while the system
# wrote tshark's file out and took back its memory), and RUNS (default 3)
# runs of pcap2csv each way: the figures are each side's median.
# Targets (issue 14): >= 100x tshark on the lab's 17 fields (FIELDS below),
# >= 2 million packets/s with the default fields.
#   FIELDS="frame.number frame.time ip.src ip.dst _ws.col.Protocol frame.len
#   tcp.analysis.acks_frame tcp.seq_raw tcp.len tcp.analysis.ack_rtt
#   tcp.srcport tcp.dstport tcp.analysis.bytes_in_flight
#   tcp.analysis.retransmission tcp.analysis.fast_retransmission
#   tcp.analysis.out_of_order tcp.payload"
# Run by hand (make tools first); never by make check.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
copies=${1:-28}
gen=$top/obj/std/tools/pcapgen
p2c=$top/bin/pcap2csv
caps=${MPTK_CAPTURES:-$top/../shared/captures}
[ -x "$gen" ] && [ -x "$p2c" ] || { echo "run make and make tools first" >&2; exit 1; }
command -v tshark >/dev/null || { echo "tshark is not installed" >&2; exit 1; }
[ "$(cat "$top/bin/.mode" 2>/dev/null)" = san ] &&
    { echo "bin/ is a sanitizer build (SAN=1): run make first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2c-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

seed=$caps/redundant/r2-bbr-3p.pcap
if [ ! -f "$seed" ]; then
	"$gen" synth en10mb "$tmp/seed.pcap"
	seed=$tmp/seed.pcap
	copies=$((copies * 850))
fi
"$gen" repeat "$seed" "$tmp/big.pcap" "$copies"
"$gen" repeat "$seed" "$tmp/half.pcap" $((copies / 2))

names=${FIELDS:-$("$gen" empty - | "$p2c" | tr '@' ' ')}
fields=
for f in $names; do fields="$fields -e $f"; done

# run NAME CMD...: wall seconds, peak RSS (kB) and CPU seconds of CMD, its
# output kept in $tmp/NAME.out for the comparison
run() {
	name=$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>/dev/null || true
	read -r secs rss usr sys <"$tmp/$name.time"
	echo "$secs $rss $(echo "$usr $sys" | awk '{ print $1 + $2 }')"
}
# median: of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

frames=$("$p2c" -q -H -e frame.number "$tmp/big.pcap" | wc -l)
halfframes=$("$p2c" -q -H -e frame.number "$tmp/half.pcap" | wc -l)
# ROUNDS rounds (default 2) of one tshark run and RUNS (default 3) of
# pcap2csv each way, in turn, so that a machine whose speed drifts (a
# shared one) weighs on both sides alike; each side's median is compared.
rounds=${ROUNDS:-2} runs=${RUNS:-3}
: >"$tmp/t" ; : >"$tmp/p" ; : >"$tmp/n" ; : >"$tmp/w"
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	# shellcheck disable=SC2086
	set -- $(run tshark tshark -r "$tmp/big.pcap" -T fields -E header=y -E separator=@ $fields)
	echo "$1 $2 $3" >>"$tmp/t"
	rm -f "$tmp/pcap2csv.out"	# after tshark: shown, not counted
	# shellcheck disable=SC2086
	set -- $(run pcap2csv "$p2c" -q $fields "$tmp/big.pcap")
	echo "$1" >>"$tmp/w"
	k=0
	while [ "$k" -lt "$runs" ]; do
		k=$((k + 1))
		rm -f "$tmp/pcap2csv.out"
		# shellcheck disable=SC2086
		set -- $(run pcap2csv "$p2c" -q $fields "$tmp/big.pcap")
		echo "$1 $2 $3" >>"$tmp/p"
		# shellcheck disable=SC2086
		set -- $(run null sh -c '"$0" "$@" >/dev/null' "$p2c" -q $fields "$tmp/big.pcap")
		echo "$1" >>"$tmp/n"
	done
done
t_secs=$(cut -d' ' -f1 "$tmp/t" | median)
t_rss=$(cut -d' ' -f2 "$tmp/t" | median)
t_cpu=$(cut -d' ' -f3 "$tmp/t" | median)
p_secs=$(cut -d' ' -f1 "$tmp/p" | median)
p_rss=$(cut -d' ' -f2 "$tmp/p" | sort -n | tail -1)
p_cpu=$(cut -d' ' -f3 "$tmp/p" | median)
n_secs=$(median <"$tmp/n")
echo "each run, wall s: tshark $(cut -d' ' -f1 "$tmp/t" | tr '\n' ' ')| pcap2csv $(cut -d' ' -f1 "$tmp/p" | tr '\n' ' ')| into /dev/null $(tr '\n' ' ' <"$tmp/n")| first after tshark, not counted $(tr '\n' ' ' <"$tmp/w")"
# shellcheck disable=SC2086
set -- $(run half "$p2c" -q $fields "$tmp/half.pcap")
h_secs=$1 h_rss=$2
same=no
cmp -s "$tmp/tshark.out" "$tmp/pcap2csv.out" && same=yes

awk -v f="$frames" -v hf="$halfframes" -v ts="$t_secs" -v tr="$t_rss" \
    -v ps="$p_secs" -v pr="$p_rss" -v hs="$h_secs" -v hr="$h_rss" \
    -v tc="$t_cpu" -v pc="$p_cpu" -v same="$same" -v ns="$n_secs" \
    -v nf="$(echo $names | wc -w)" -v rounds="$rounds" -v runs="$runs" 'BEGIN {
	if (ps <= 0) ps = 0.01
	if (ts <= 0) ts = 0.01
	printf "capture: %d packets (and %d for the half run), %d fields\n", f, hf, nf
	printf "medians of %d tshark and %d pcap2csv runs:\n", rounds, rounds * runs
	printf "tshark:   %8.2f s  %10.0f packets/s  peak RSS %7.1f MB\n", ts, f / ts, tr / 1024
	printf "pcap2csv: %8.2f s  %10.0f packets/s  peak RSS %7.1f MB\n", ps, f / ps, pr / 1024
	if (ns <= 0) ns = 0.01
	printf "pcap2csv into /dev/null: %.2f s  %.0f packets/s (target >= 2000000 with the default fields)\n", ns, f / ns
	if (pc <= 0) pc = 0.01
	printf "throughput ratio pcap2csv/tshark: %.1fx wall (target >= 100x), %.1fx CPU (%.2f s vs %.2f s), %.1fx wall into /dev/null\n", ts / ps, tc / pc, tc, pc, ts / ns
	printf "pcap2csv peak RSS: %.1f MB at %d packets, %.1f MB at %d packets (target < 64 MB, flat)\n", hr / 1024, hf, pr / 1024, f
	printf "outputs identical: %s\n", same
}'
