#!/bin/sh
# make demo: the whole pipeline on examples/demo.pcap, a redundant run on
# three paths made by the project's own udsend/udrecv (examples/mkdemo.sh).
# Prints each stage's answer; with gnuplot, also renders the heatmaps (a
# panel per direction).
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
run "bin/rttpairs $out/joined.csv > $out/pairs.csv; cat $out/pairs.csv"
run "bin/heatmat $out/pairs.csv > $out/mean.mat; cat $out/mean.mat"
run "bin/heatmat -s excess -t 100 $out/pairs.csv > $out/excess.mat"
run "bin/rttpairs --cdf $out/joined.csv > $out/pairs.cdf"
if command -v gnuplot >/dev/null 2>&1; then
	run "gnuplot -e \"in='$out/mean.mat'; out='$out/mean.png'; name='examples/demo.pcap'\" share/heatmap.gp"
	run "gnuplot -e \"in='$out/excess.mat'; out='$out/excess.png'; name='examples/demo.pcap'\" share/heatmap.gp"
	run "gnuplot -e \"in='$out/pairs.cdf'; out='$out/cdf.png'; name='examples/demo.pcap'\" share/cdf.gp"
	echo "demo: heatmaps in $out/mean.png and $out/excess.png, distributions in $out/cdf.png"
fi
