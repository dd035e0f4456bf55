#!/bin/sh
# make demo: the whole pipeline on examples/demo.pcap, a redundant run on
# three paths made by the project's own udsend/udrecv (examples/mkdemo.sh).
# Prints each stage's answer; with gnuplot, also renders the heatmap.
cd "$(dirname "$0")/.." || exit 1
cap=examples/demo.pcap
out=obj/demo
[ -f "$cap" ] || { echo "demo: $cap is missing" >&2; exit 1; }
mkdir -p "$out" || exit 1
set -e
run() {
	printf '\n$ %s\n' "$*"
	sh -c "$*"
}
run "bin/pcap2csv $cap | head -3 | cut -c1-150"
run "bin/pcap2csv $cap | bin/retxrate"
run "bin/pcap2csv $cap | bin/seqjoin > $out/joined.csv; head -4 $out/joined.csv"
run "bin/rttpairs < $out/joined.csv"
run "bin/rttpairs -m owd < $out/joined.csv"
run "bin/rttpairs < $out/joined.csv | bin/heatmat > $out/rtt.mat; cat $out/rtt.mat"
if command -v gnuplot >/dev/null 2>&1; then
	run "gnuplot -e \"in='$out/rtt.mat'; out='$out/rtt.png'\" share/heatmap.gp 2>/dev/null"
	echo "demo: heatmap in $out/rtt.png"
fi
