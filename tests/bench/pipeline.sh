#!/usr/bin/env bash
# Benchmark (by hand, not part of make check): the whole analysis of a
# redundant run, mptk's pipeline against tshark plus a straightforward script
# doing the same analysis (tests/ref/records.py, the reference of the tests),
# side by side in the same run, at two capture sizes.
#
#   tests/bench/pipeline.sh [CAPTURE]     REPS="100 200" by default;
#   MPTK_BIN=DIR takes the programs from DIR instead of bin/
#
# The capture (default ../shared/captures/redundant/r2-bbr-3p.pcap, 11k
# packets) is repeated REPS times by tests/tools/pcaprepeat as one longer
# run (continuous TCP streams and record numbers), so r2 x 100 = 1.1 M
# packets.  Prints per size: packets, both wall times, the speed ratio
# (target >= 20), each filter's peak RSS (target < 100 MB, flat), and whether
# both sides computed the same statistics.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${MPTK_BIN:-$TOP/bin}
TOOLS=$TOP/obj/std/tools
CAP=${1:-$TOP/../shared/captures/redundant/r2-bbr-3p.pcap}
REPS=${REPS:-100 200}
REF_FIELDS="frame.time_epoch tcp.stream tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.payload"

[ -r "$CAP" ] || { echo "pipeline.sh: $CAP: no such capture" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/mptk-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# A private copy of optimised, uninstrumented programs: a `make check SAN=1`
# running meanwhile in the same tree would relink bin/ with ASan, whose
# quarantine alone is 256 MB of RSS.
make -s -C "$TOP" all tools SAN=0 >/dev/null
mkdir "$W/bin"
cp "$BIN"/* "$TOOLS/pcaprepeat" "$W/bin/"
for p in "$W"/bin/*; do
	if ldd "$p" | grep -Eq 'lib(a|ub|t)san'; then
		echo "pipeline.sh: $p is built with a sanitizer; run make (without SAN=1) first" >&2
		exit 1
	fi
done
BIN=$W/bin
TOOLS=$W/bin

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mb() { awk '{ printf "%.1f", $1 / 1024 }' "$1"; }	# GNU time %M is KiB
# rss NAME CMD...: runs CMD, its peak RSS into $W/rss.NAME
rss() { local n=$1; shift; /usr/bin/time -f %M -o "$W/rss.$n" "$@"; }

have() { [ -x "$BIN/$1" ]; }
PCAP2CSV_FIELDS="frame.number frame.time ip.src ip.dst _ws.col.Protocol frame.len tcp.analysis.acks_frame tcp.seq_raw tcp.len tcp.analysis.ack_rtt tcp.srcport tcp.dstport tcp.analysis.bytes_in_flight tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.analysis.out_of_order tcp.payload frame.time_epoch tcp.stream tcp.ack_raw tcp.flags"
ref_e=""; for f in $REF_FIELDS; do ref_e="$ref_e -e $f"; done
pcap2csv_e=""; for f in $PCAP2CSV_FIELDS; do pcap2csv_e="$pcap2csv_e -e $f"; done

printf '%-9s %8s %9s %11s %6s  %s\n' packets "mptk s" "tshark+py s" ratio same "peak RSS MB"
for k in $REPS; do
	"$TOOLS/pcaprepeat" -n "$k" "$CAP" "$W/big.pcap"
	packets=$(tshark -r "$W/big.pcap" -T fields -e frame.number 2>/dev/null | tail -1)

	# Baseline: tshark's dissection and the Python analysis.
	t0=$(now)
	# shellcheck disable=SC2086
	tshark -r "$W/big.pcap" -T fields -E header=y -E separator=@ $ref_e 2>/dev/null \
	    | python3 "$TOP/tests/ref/records.py" -m rtt >"$W/ref.out"
	t1=$(now)
	base=$(secs "$t0" "$t1")

	if have pcap2csv && have seqjoin; then
		t0=$(now)
		rss pcap2csv "$BIN/pcap2csv" "$W/big.pcap" \
		    | rss seqjoin "$BIN/seqjoin" 2>"$W/seqjoin.err" \
		    | rss rttpairs "$BIN/rttpairs" >"$W/mptk.out"
		t1=$(now)
		ours=$(secs "$t0" "$t1")
		ratio=$(awk -v a="$base" -v b="$ours" 'BEGIN { printf "%.1fx", a / b }')
		if python3 "$TOP/tests/ref/statcmp.py" "$W/ref.out" "$W/mptk.out" >"$W/cmp"; then
			same=yes
		else
			same=NO
		fi
		rss retxrate sh -c '"$1" "$2" | "$3" >/dev/null' sh "$BIN/pcap2csv" "$W/big.pcap" "$BIN/retxrate"
		rss heatmat "$BIN/heatmat" <"$W/mptk.out" >/dev/null
		mem="pcap2csv $(mb "$W/rss.pcap2csv") seqjoin $(mb "$W/rss.seqjoin") rttpairs $(mb "$W/rss.rttpairs") retxrate $(mb "$W/rss.retxrate") heatmat $(mb "$W/rss.heatmat")"
	else
		# pcap2csv is not built yet: its output is exactly tshark's for
		# the same fields, so the filters after it are measured on that.
		ours=-; ratio=-
		# shellcheck disable=SC2086
		tshark -r "$W/big.pcap" -T fields -E header=y -E separator=@ $pcap2csv_e 2>/dev/null >"$W/t.csv"
		if have seqjoin; then
			t0=$(now)
			rss seqjoin "$BIN/seqjoin" <"$W/t.csv" 2>"$W/seqjoin.err" \
			    | rss rttpairs "$BIN/rttpairs" >"$W/mptk.out"
			t1=$(now)
			what="seqjoin|rttpairs on tshark's fields $(secs "$t0" "$t1")s; RSS seqjoin $(mb "$W/rss.seqjoin")"
		else
			# shellcheck disable=SC2086
			tshark -r "$W/big.pcap" -T fields -E header=y -E separator=@ $ref_e 2>/dev/null \
			    | python3 "$TOP/tests/ref/records.py" --records >"$W/records"
			t0=$(now)
			rss rttpairs "$BIN/rttpairs" <"$W/records" >"$W/mptk.out"
			t1=$(now)
			what="rttpairs on the reference's records $(secs "$t0" "$t1")s;"
		fi
		t0=$(now); rss retxrate "$BIN/retxrate" <"$W/t.csv" >/dev/null 2>&1; t1=$(now)
		rss heatmat "$BIN/heatmat" <"$W/mptk.out" >/dev/null
		if python3 "$TOP/tests/ref/statcmp.py" "$W/ref.out" "$W/mptk.out" >"$W/cmp"; then
			same=yes
		else
			same=NO
		fi
		mem="$what rttpairs $(mb "$W/rss.rttpairs") retxrate $(mb "$W/rss.retxrate") ($(secs "$t0" "$t1")s) heatmat $(mb "$W/rss.heatmat"); pcap2csv not built: pipeline not timed"
	fi
	printf '%-9s %8s %9s %11s %6s  %s\n' "$packets" "$ours" "$base" "$ratio" "$same" "$mem"
	[ "$same" != NO ] || sed 's/^/  /' "$W/cmp" | head -5
done
