#!/usr/bin/env bash
# heatmat: rttpairs rows to one N x N matrix per direction, as gnuplot reads
# them (`index` blocks two blank lines apart); the gnuplot scripts of share/
# render them, and seqjoin lines and rttpairs --cdf, without a warning.
. "$(dirname "$0")/tap.sh"
H=$BIN/heatmat

# rttpairs' rows of tests/30's server-side example: ul (owd) A, B and the
# dead E; dl (rtt) C, D and E.
cat >"$TMP/pairs" <<'X'
dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess
ul@owd@A@A@6@3@0.500000@26.667@20.000@47.000@49.400@50.000@0.500000
ul@owd@B@B@6@4@0.333333@71.250@35.000@176.000@195.200@200.000@0.500000
ul@owd@E@E@6@0@1.000000@@@@@@1.000000
ul@owd@A@B@6@5@0.166667@63.000@40.000@170.000@194.000@200.000@0.333333
ul@owd@A@E@6@3@0.500000@26.667@20.000@47.000@49.400@50.000@0.500000
ul@owd@B@E@6@4@0.333333@71.250@35.000@176.000@195.200@200.000@0.500000
dl@rtt@C@C@4@4@0.000000@150.000@110.000@273.000@294.600@300.000@0.500000
dl@rtt@D@D@4@1@0.750000@60.000@60.000@60.000@60.000@60.000@0.750000
dl@rtt@E@E@4@0@1.000000@@@@@@1.000000
dl@rtt@C@D@4@4@0.000000@140.000@100.000@273.000@294.600@300.000@0.500000
dl@rtt@C@E@4@4@0.000000@150.000@110.000@273.000@294.600@300.000@0.500000
dl@rtt@D@E@4@1@0.750000@60.000@60.000@60.000@60.000@60.000@0.750000
X
out=$("$H" "$TMP/pairs"); rc=$?
is "$rc" 0 "heatmat exits 0"
is "$out" 'ul owd mean@A@B@E
A@26.667@63.000@26.667
B@@71.250@71.250
E@@@


dl rtt mean@C@D@E
C@150.000@140.000@150.000
D@@60.000@60.000
E@@@' "a matrix per direction: corner 'DIR METRIC STAT', diagonal = paths, upper triangle = pairs, two blank lines between"
is "$("$H" -d dl -s excess -t 100 <"$TMP/pairs")" 'dl rtt excess 100@C@D@E
C@0.500000@0.500000@0.500000
D@@0.750000@0.750000
E@@@1.000000' "-d dl: that direction only; -t puts the threshold in the corner"
is "$("$H" -d ul -s loss <"$TMP/pairs" | sed -n 2,4p)" 'A@0.500000@0.166667@0.500000
B@@0.333333@0.333333
E@@@1.000000' "-s loss"
is "$("$H" -d ul -s sent <"$TMP/pairs" | sed -n 2p):$("$H" -d ul -s n <"$TMP/pairs" | sed -n 2p)" "A@6@6@6:A@3@5@3" "-s sent, -s n: counts as integers"
is "$("$H" -s p99 -d ul <"$TMP/pairs" | sed -n 3p)" "B@@195.200@195.200" "-s p99 picks that column"

# Rows in any order; a pair given as b,a lands in the upper triangle; an
# empty statistic stays empty; quoting survives; the older rttpairs output
# (no dir column) is one matrix with '-' for its direction.
printf 'metric@a@b@mean\nowd@"x@y"@"x@y"@1.5\nowd@z@z@\nowd@z@"x@y"@2.25\n' | "$H" >"$TMP/m"
is "$(cat "$TMP/m")" '- owd mean@"x@y"@z
"x@y"@1.500@2.250
z@@' "no dir column: one matrix; a reversed pair fills the upper triangle; '@' is quoted"
# rttpairs --every rows: the totals only, the intervals reported.
printf 'start@dir@metric@a@b@mean\n1000.000@ul@rtt@A@A@5\n@ul@rtt@A@A@7\n' | "$H" >"$TMP/m" 2>"$TMP/err"
is "$(cat "$TMP/m"):$(cat "$TMP/err")" "ul rtt mean@A
A@7.000:heatmat: 1 rows of rttpairs --every intervals left out: the matrix is of the totals" "--every output: the totals' matrix"

# Bad input: exit 1, the line and what.
err() { "$H" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/err")"; }
P='dir@metric@a@b@sent@n@loss@mean@excess'
is "$(err </dev/null)" "1:heatmat: stdin:1: empty input: no header line" "empty stream"
is "$(printf 'metric@a@n\nrtt@A@3\n' | err)" "1:heatmat: stdin:1: missing columns: b, mean" "missing columns are named"
is "$(printf '%s\nul@rtt@A@A@4@4@0@x1@0\n' "$P" | err)" "1:heatmat: stdin:2: mean: 'x1' is not a number" "non-numeric statistic"
is "$(printf '%s\nul@rtt@A@A@4@4@0@nan@0\n' "$P" | err)" "1:heatmat: stdin:2: mean: 'nan' is not a number" "nan is not an empty cell"
is "$(printf '%s\nul@rtt@A@A@4@4@0@inf@0\n' "$P" | err)" "1:heatmat: stdin:2: mean: 'inf' is not a number" "inf is refused"
is "$(printf '%s\nul@rtt@A@A@4@2.5@0@1@0\n' "$P" | err -s n)" "1:heatmat: stdin:2: n: '2.5' is not an unsigned integer" "a count of 2.5"
is "$(printf '%s\nul@rtt@A@A@-1@2@0@1@0\n' "$P" | err -s sent)" "1:heatmat: stdin:2: sent: '-1' is not an unsigned integer" "a count of -1"
is "$(printf '%s\nul@rtt@A@A@4@2@0@1@1.5\n' "$P" | err -s excess)" "1:heatmat: stdin:2: excess: '1.5' is not a fraction (0..1)" "a fraction above 1"
is "$(printf '%s\nul@rtt@A@A@4@4@0@1@0\nul@rtt@A@B@4@4@0@1@0\nul@rtt@B@A@4@4@0@2@0\n' "$P" | err)" \
    "1:heatmat: stdin:4: ul: A, B: a second row for this cell (the first is line 3)" "a duplicate cell names both lines"
is "$(printf '%s\nul@rtt@A@A@4@4@0@1@0\nul@owd@B@B@4@4@0@1@0\n' "$P" | err)" \
    "1:heatmat: stdin:3: metric 'owd' after 'rtt' (line 2): one metric per matrix" "two metrics in one direction"
is "$(printf '%s\nul@rtt@A@A@4@4@0@1@0\nxx@rtt@A@A@4@4@0@1@0\n' "$P" | err)" "1:heatmat: stdin:3: dir: 'xx' is not ul or dl" "a bad direction"
is "$(printf '%s\nul@rtt@A@A@4@4@0@1\n' "$P" | err)" "1:heatmat: stdin:2: 8 fields, the header has 9" "ragged row"
is "$(printf '%s\n' "$P" | err)" "1:heatmat: stdin:1: no rows: nothing to put in a matrix" "header only"
is "$(err -d ul <(grep -v '^ul' "$TMP/pairs"))" "1:heatmat: /dev/fd/63:1: no ul rows: nothing to put in a matrix (rttpairs found no ul records?)" "-d ul without ul rows"
[ ! -s "$TMP/out" ]; ok $? "nothing is printed on bad input"
for args in "-s mode" "-d up" "-t -1"; do
	# shellcheck disable=SC2086
	"$H" $args <"$TMP/pairs" >/dev/null 2>&1
	is "$?" 2 "usage error: $args"
done
"$H" "$TMP/nonesuch" >/dev/null 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:heatmat: $TMP/nonesuch: No such file or directory" "a missing file operand is named, exit 1"

# The gnuplot scripts: PNG or SVG, no warning on normal input.
command -v gnuplot >/dev/null 2>&1 || { skip "gnuplot is not installed"; done_testing; exit; }
gp() {	# gp SCRIPT VARS: runs it, prints exit status and stderr
	gnuplot -e "$2" "$TOP/share/$1" 2>"$TMP/gperr"; echo "$?:$(cat "$TMP/gperr")"
}
"$H" <"$TMP/pairs" >"$TMP/rtt.mat"
is "$(gp heatmap.gp "in='$TMP/rtt.mat'; out='$TMP/h.png'")" "0:" "heatmap.gp: two panels, no warning"
is "$(od -An -tx1 -N8 "$TMP/h.png" | tr -d ' ')" "89504e470d0a1a0a" "heatmap.gp writes a PNG"
is "$(od -An -tu1 -j16 -N8 "$TMP/h.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" "1380x640" "the canvas holds a 3-path panel per direction"
is "$(gp heatmap.gp "in='$TMP/rtt.mat'; out='$TMP/h.svg'; fmt='svg'; name='batch 221320'")" "0:" "heatmap.gp SVG"
for s in '>batch 221320<' '>uplink: owd mean (ms)<' '>downlink: rtt mean (ms)<' '>63<' '>no data<'; do
	grep -q "$s" "$TMP/h.svg"; ok $? "heatmap.gp SVG shows $s"
done
"$H" -s excess -t 45 <"$TMP/pairs" >"$TMP/ex.mat"
is "$(gp heatmap.gp "in='$TMP/ex.mat'; out='$TMP/ex.svg'; fmt='svg'")" "0:" "heatmap.gp on an excess matrix"
grep -q '>33.3%<' "$TMP/ex.svg" && grep -q '>uplink: P(owd > 45 ms or lost)<' "$TMP/ex.svg"
ok $? "excess: percentages, the threshold and the direction in the title"
# The unused lower triangle is blank, a cell without data is hatched: the
# SVG has exactly one "no data" per upper cell without a value (E, E twice).
is "$(grep -c '>no data<' "$TMP/h.svg")" 2 "no data marks only the empty upper cells"
is "$(gp heatmap.gp '')" "2:heatmap.gp: set in='FILE' (heatmat output)" "heatmap.gp without in= exits 2"

# cdf.gp: 12 curves in two panels (beyond 8: dash and point types differ).
cat >"$TMP/j" <<'X'
dir@at@seq@born@A.time@A.rtt@A.owd@A.retx@B.time@B.rtt@B.owd@B.retx@C.time@C.rtt@C.owd@C.retx@D.time@D.rtt@D.owd@D.retx@E.time@E.rtt@E.owd@E.retx
ul@receiver@0@1000.000@1.010000000@@10.000@0@1.030000000@@30.000@0@1.0@@12.000@0@1.0@@14.000@0@1.0@@16.000@0
ul@receiver@1@1010.000@1.030000000@@20.000@0@1.025000000@@15.000@1@1.0@@22.000@0@1.0@@24.000@0@@@@
ul@receiver@2@1020.000@1.050000000@@50.000@0@@@@@1.0@@52.000@0@1.0@@54.000@0@1.0@@56.000@0
dl@sender@0@1000.000@@@@@@@@@@@@@@@@@@@@
X
"$BIN/rttpairs" --cdf "$TMP/j" 2>/dev/null >"$TMP/c.cdf"
is "$(cut -d@ -f1,3,4 "$TMP/c.cdf" | tail -n +2 | sort -u | wc -l | tr -d ' ')" 15 "rttpairs --cdf: 15 curves of the 5 uplink paths"
is "$(gp cdf.gp "in='$TMP/c.cdf'; out='$TMP/c.svg'; fmt='svg'; name='run 7'")" "0:" "cdf.gp: no warning"
grep -q '>A + B<' "$TMP/c.svg" && grep -q '>run 7: per-record minimum over each path and pair<' "$TMP/c.svg" &&
    grep -q 'owd (ms, log scale)' "$TMP/c.svg"
ok $? "cdf.gp: curve names, the input's name in the title, a log delay axis"
n=$(grep -o "stroke-dasharray='[^']*'" "$TMP/c.svg" | grep -vc "'2,4'")	# the grid's
ok "$([ "$n" -ge 8 ]; echo $?)" "cdf.gp: the curves have dash patterns of their own ($n dashed strokes)"
is "$(gp cdf.gp "in='$TMP/c.cdf'; out='$TMP/c.png'")" "0:" "cdf.gp PNG"
is "$(head -c 8 "$TMP/c.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "cdf.gp writes a PNG"

# timeseries.gp on seqjoin lines with owd only (udrecv rows, a capture at
# the receiver): the delays are drawn, not a 0-byte PNG.
cat >"$TMP/ud" <<'X'
dir@at@seq@born@3270.time@3270.rtt@3270.owd@3270.retx@3272.time@3272.rtt@3272.owd@3272.retx
ul@receiver@0@1000.000@1.010000000@@10.000@@1.020000000@@20.000@
ul@receiver@1@1010.000@1.030000000@@20.000@@1.040000000@@30.000@
X
is "$(gp timeseries.gp "in='$TMP/ud'; out='$TMP/ts.png'")" "0:" "timeseries.gp on owd-only lines: no warning"
ok "$([ -s "$TMP/ts.png" ]; echo $?)" "and the PNG is not empty"
is "$(gp timeseries.gp "in='$TMP/ud'; out='$TMP/ts.svg'; fmt='svg'")" "0:" "timeseries.gp SVG"
grep -q '>3272 owd<' "$TMP/ts.svg" && grep -q "ud: delay of each record" "$TMP/ts.svg"
ok $? "timeseries.gp: the path and its metric in the key, the input in the title"
is "$(gp timeseries.gp "in='$TMP/j'; out='$TMP/ts2.svg'; fmt='svg'")" "0:" "timeseries.gp with a path without values and a retransmission"
grep -q '>retransmitted<' "$TMP/ts2.svg"; ok $? "retransmissions are marked"
is "$(gp timeseries.gp "in='$TMP/ud'; out='$TMP/x.png'; metric='rtt'")" "1:timeseries.gp: $TMP/ud: no rtt values to draw" "metric='rtt' without rtt values: an error, not an empty PNG"
done_testing
