#!/bin/sh
# make demo: the main pipeline on the small capture shipped in examples/,
# running every stage that exists so far.
cd "$(dirname "$0")/.." || exit 1
cap=examples/demo.pcap
[ -f "$cap" ] || { echo "demo: $cap is missing" >&2; exit 1; }
set -- pcap2csv seqjoin rttpairs heatmat
cmd="bin/pcap2csv $cap"
shift
for p in "$@"; do
	[ -x "bin/$p" ] || break
	cmd="$cmd | bin/$p"
done
echo "\$ $cmd" >&2
eval "$cmd"
