#!/usr/bin/env bash
# heatmat: rttpairs rows to the N x N matrix gnuplot reads with
# `matrix rowheaders columnheaders`; share/heatmap.gp and share/cdf.gp draw it.
. "$(dirname "$0")/tap.sh"
H=$BIN/heatmat

cat >"$TMP/pairs" <<'X'
metric@a@b@n@mean@median@p95@p99@max@excess
rtt@A@A@4@50.000@35.000@109.500@117.900@120.000@0.250000
rtt@B B@B B@4@71.250@35.000@176.000@195.200@200.000@0.250000
rtt@C@C@4@56.250@55.000@102.500@108.500@110.000@0.250000
rtt@A@B B@3@48.333@15.000@109.500@117.900@120.000@0.333333
rtt@A@C@3@55.000@50.000@104.000@108.800@110.000@0.333333
rtt@B B@C@3@51.667@40.000@103.000@108.600@110.000@0.333333
X
out=$("$H" <"$TMP/pairs"); rc=$?
is "$rc" 0 "heatmat exits 0"
is "$out" 'rtt.mean@A@B B@C
A@50.000@48.333@55.000
B B@@71.250@51.667
C@@@56.250' "mean by default: label row and column, diagonal = single paths, upper triangle = pairs, the rest empty"
is "$("$H" -s n <"$TMP/pairs")" 'rtt.n@A@B B@C
A@4@3@3
B B@@4@3
C@@@4' "-s n: counts as integers"
is "$("$H" -s excess <"$TMP/pairs" | sed -n 2p)" "A@0.250000@0.333333@0.333333" "-s excess: fractions with 6 decimals"
is "$("$H" -s p99 <"$TMP/pairs" | sed -n 3p)" "B B@@195.200@108.600" "-s p99 picks that column"

# Order of rows does not matter; a pair given as b,a lands in the upper
# triangle; an absent statistic stays empty; quoting survives.
printf 'metric@a@b@mean\nowd@"x@y"@"x@y"@1.5\nowd@z@z@\nowd@z@"x@y"@2.25\n' | "$H" >"$TMP/m"
is "$(cat "$TMP/m")" 'owd.mean@"x@y"@z
"x@y"@1.500@2.250
z@@' "a pair given in reverse order fills the upper triangle, a label with @ is quoted, an empty statistic stays empty"

# Bad input.
err() { "$H" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/err")"; }
is "$(err </dev/null)" "1:heatmat: stdin:1: empty input: no header line" "empty stream"
is "$(printf 'metric@a@n\nrtt@A@3\n' | err)" "1:heatmat: stdin:1: missing columns: b, mean" "missing columns are named"
is "$(printf 'metric@a@b@mean\nrtt@A@A@x1\n' | err)" "1:heatmat: stdin:2: mean: 'x1' is not a number" "non-numeric statistic"
is "$(printf 'metric@a@b@mean\nrtt@A@A@1\nowd@A@A@1\n' | err)" "1:heatmat: stdin:3: metric 'owd' after 'rtt': one metric per matrix" "two metrics in one matrix"
is "$(printf 'metric@a@b@mean\nrtt@A@A@1\nrtt@A\n' | err)" "1:heatmat: stdin:3: 2 fields, the header has 4" "ragged row"
is "$(printf 'metric@a@b@mean\n' | err)" "1:heatmat: stdin:1: no rows: nothing to put in a matrix" "header only"
"$H" -s mode <"$TMP/pairs" >/dev/null 2>&1
is "$?" 2 "-s with an unknown statistic is a usage error"
"$H" "$TMP/nonesuch" <"$TMP/pairs" >/dev/null 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:heatmat: $TMP/nonesuch: No such file or directory" "a missing file operand is named, exit 1"

# The gnuplot scripts render (PNG to stdout or to out, SVG with fmt).
if command -v gnuplot >/dev/null 2>&1; then
	"$H" <"$TMP/pairs" >"$TMP/rtt.mat"
	gnuplot -e "in='$TMP/rtt.mat'" "$TOP/share/heatmap.gp" >"$TMP/h.png" 2>"$TMP/gperr"
	is "$?:$(od -An -tx1 -N8 "$TMP/h.png" | tr -d ' ')" "0:89504e470d0a1a0a" "heatmap.gp writes a PNG to stdout"
	# PNG IHDR: width and height grow with the number of paths (3 here).
	is "$(od -An -tu1 -j16 -N8 "$TMP/h.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" "670x590" "heatmap.gp sizes the canvas for 3 paths"
	gnuplot -e "in='$TMP/rtt.mat'; out='$TMP/h.svg'; fmt='svg'" "$TOP/share/heatmap.gp" 2>/dev/null
	grep -q '>B B<' "$TMP/h.svg" && grep -q '>48.3<' "$TMP/h.svg" && grep -q '>rtt.mean<' "$TMP/h.svg"
	ok $? "heatmap.gp SVG has the labels, the cell values and the title"
	"$H" -s excess <"$TMP/pairs" >"$TMP/ex.mat"
	gnuplot -e "in='$TMP/ex.mat'; out='$TMP/ex.svg'; fmt='svg'" "$TOP/share/heatmap.gp" 2>/dev/null
	grep -q '>33.33%<' "$TMP/ex.svg"
	ok $? "heatmap.gp shows excess fractions as percentages"
	"$BIN/rttpairs" --cdf <<'X' >"$TMP/c.cdf"
seq@A.rtt@B.rtt
1@10@20
2@30@5
3@40@50
X
	gnuplot -e "in='$TMP/c.cdf'; out='$TMP/c.svg'; fmt='svg'" "$TOP/share/cdf.gp" 2>"$TMP/gperr"
	rc=$?
	grep -q '>A + B<' "$TMP/c.svg"
	is "$rc:$?" "0:0" "cdf.gp draws the curves with path and pair names"
	cat >"$TMP/joined" <<'X'
seq@born@P1.time@P1.rtt@P1.owd@P1.retx@P 2.time@P 2.rtt@P 2.owd@P 2.retx
0@1000@1.000@10@5@0@1.002@30@7@1
1@1004@1.004@20@5@0@@@@
X
	gnuplot -e "in='$TMP/joined'; out='$TMP/ts.svg'; fmt='svg'" "$TOP/share/timeseries.gp" 2>"$TMP/gperr"
	rc=$?
	grep -q '>P 2<' "$TMP/ts.svg" && grep -q '>retransmitted<' "$TMP/ts.svg"
	is "$rc:$?" "0:0" "timeseries.gp draws seqjoin output with path names from its header"
	gnuplot "$TOP/share/heatmap.gp" >/dev/null 2>&1
	is "$?" 2 "heatmap.gp without in= exits 2"
else
	skip "gnuplot is not installed"
fi
done_testing
