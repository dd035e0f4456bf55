#!/usr/bin/env bash
# rttpairs on hand-made seqjoin lines (dir@at@seq@born@<p>.time@<p>.rtt@
# <p>.owd@<p>.retx), every number worked out by hand.  Quantiles interpolate
# linearly between order statistics: quantile q of n sorted values is at
# h = q(n-1), v[floor h] + frac(h) * (v[floor h + 1] - v[floor h]).
. "$(dirname "$0")/tap.sh"
R=$BIN/rttpairs

# A capture at the server.  Uplink (at=receiver: owd, no rtt) on A and B,
# downlink (at=sender: rtt, owd = the sender's own delay) on C and D; the
# two directions share sequence numbers 0..3 and are never joined.  E (a
# dead phone named by a label map) has no value anywhere, so it is a path of
# both directions.
#   ul: seq 0: A 10 B 30 | 1: A 20 B 15 | 2: no line (lost on both) |
#       3: A 50 (A dies after it) | 4: B 200 | 5: B 40
#   dl: seq 0: C 100 D 60 (D dies after it) | 1: C 120 | 2: C 80 | 3: C 300
cat >"$TMP/srv" <<'X'
dir@at@seq@born@A.time@A.rtt@A.owd@A.retx@B.time@B.rtt@B.owd@B.retx@C.time@C.rtt@C.owd@C.retx@D.time@D.rtt@D.owd@D.retx@E.time@E.rtt@E.owd@E.retx
ul@receiver@0@1000.000@1.010000000@@10.000@0@1.030000000@@30.000@0@@@@@@@@@@@@
dl@sender@0@1000.000@@@@@@@@@1.001000000@100.000@1.000@0@1.002000000@60.000@2.000@0@@@@
ul@receiver@1@1010.000@1.030000000@@20.000@0@1.025000000@@15.000@0@@@@@@@@@@@@
dl@sender@1@1010.000@@@@@@@@@1.011000000@120.000@1.000@0@@@@@@@@
dl@sender@2@1020.000@@@@@@@@@1.021000000@80.000@1.000@1@@@@@@@@
ul@receiver@3@1030.000@1.080000000@@50.000@0@@@@@@@@@@@@@@@@
dl@sender@3@1030.000@@@@@@@@@1.031000000@300.000@1.000@0@@@@@@@@
ul@receiver@4@1040.000@@@@@1.240000000@@200.000@1@@@@@@@@@@@@
ul@receiver@5@1050.000@@@@@1.090000000@@40.000@0@@@@@@@@@@@@
X
# ul sent: seq 0..5 = 6.  A: 10 20 50, n 3, loss 1/2, mean 26.667, median
#   20, p95 h=1.9: 20+.9*30 = 47, p99 h=1.98: 49.4; excess: none above 100
#   + 3 lost = 3/6.  B: 15 30 40 200, n 4, loss 2/6, mean 71.25, median 35,
#   p95 h=2.85: 40+.85*160 = 176, p99 195.2; excess (200 + 2 lost) 3/6.
#   A+B: minima 10 15 50 200 40 (seq 2 lost on both), n 5, loss 1/6, mean
#   63, median 40, p95 h=3.8: 50+.8*150 = 170, p99 194; excess (200 + seq 2)
#   2/6.  E: n 0, loss 1, excess 1; A+E = A, B+E = B.
# dl sent 4.  C: 80 100 120 300: mean 150, median 110, p95 h=2.85:
#   120+.85*180 = 273, p99 294.6; excess 120 300: 2/4.  D: 60 only, loss
#   3/4, excess 3/4.  C+D: 60 120 80 300: mean 140, median 100.
want='dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess
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
dl@rtt@D@E@4@1@0.750000@60.000@60.000@60.000@60.000@60.000@0.750000'
out=$("$R" "$TMP/srv" 2>"$TMP/err"); rc=$?
is "$rc" 0 "rttpairs exits 0"
is "$out" "$want" "per direction: owd where the capture is at the receiver, rtt at the sender; losses counted; a dead path keeps its rows"
is "$(cat "$TMP/err")" "" "-m auto on a known vantage says nothing"
is "$("$R" -m auto <"$TMP/srv" 2>/dev/null)" "$want" "-m auto is the default, stdin works"

# -t 45: ul A: 50 above + 3 lost = 4/6; A+B: 50 200 + 1 lost = 3/6.
out=$("$R" -t 45 "$TMP/srv" | grep '^ul@owd@A@' | cut -d@ -f3,4,13)
is "$out" 'A@A@0.666667
A@B@0.500000
A@E@0.666667' "-t 45: values above it and records lost on every path of the pair"
is "$("$R" -t 50 "$TMP/srv" | grep '^ul@owd@A@A@' | cut -d@ -f13)" "0.500000" "-t 50: a value equal to the threshold is not above it"

# Forcing a metric the vantage cannot measure: the rows keep sent, the rest
# is left empty, and stderr says why.
out=$("$R" -m rtt "$TMP/srv" 2>"$TMP/err" | sed -n '2p;5p')
is "$out" 'ul@rtt@A@A@6@@@@@@@@
ul@rtt@A@B@6@@@@@@@@' "-m rtt at the receiver: no values, rows left empty"
is "$(cat "$TMP/err")" "rttpairs: ul: -m rtt: the capture is at the receiver, which sees only its own ACK delay, not a round trip
rttpairs: ul: no rtt values (a capture at the receiver, or UDP): n, loss and the statistics are left empty" "and says why on stderr"
out=$("$R" -m owd "$TMP/srv" 2>"$TMP/err" | grep '^dl@owd@C@[CD]@')
is "$out" 'dl@owd@C@C@4@4@0.000000@1.000@1.000@1.000@1.000@1.000@0.000000
dl@owd@C@D@4@4@0.000000@1.000@1.000@1.000@1.000@1.000@0.000000' "-m owd at the sender: the sender's own delays (C 1 1 1 1, D 2)"
like "$(cat "$TMP/err")" "^rttpairs: dl: -m owd: the capture is at the sender: owd is only the sending host's own delay" "and says what they are"

# --offset min: ul A minus 10 = 0 10 40; B minus 15 = 15 0 185 25;
# A+B minima 0 0 40 185 25: mean 50; dl is rtt and keeps its numbers.
out=$("$R" --offset min "$TMP/srv" 2>"$TMP/err" | grep -E '^ul@owd@A@[AB]@|^dl@rtt@C@C@' | cut -d@ -f1-8)
is "$out" 'ul@owd@A@A@6@3@0.500000@16.667
ul@owd@A@B@6@5@0.166667@50.000
dl@rtt@C@C@4@4@0.000000@150.000' "--offset min subtracts each path's smallest owd, in the owd direction only"
is "$(cat "$TMP/err")" "rttpairs: dl: --offset min: the metric is rtt, not owd: no offset subtracted" "and says where it did not"

# --cdf: per direction, lost records as infinite: quantile k/200 of the
# delivered values at fraction k/200 * n/sent, so A ends at 1 - loss = 0.5.
"$R" --cdf "$TMP/srv" >"$TMP/cdf" 2>/dev/null
is "$(head -1 "$TMP/cdf")" "dir@metric@a@b@q@value" "--cdf header"
is "$(grep -c '^ul@owd@A@A@' "$TMP/cdf"):$(grep -c '@E@E@' "$TMP/cdf"):$(grep -c '^dl@rtt@C@D@' "$TMP/cdf")" "201:0:201" \
    "--cdf: 201 points a curve, none for the dead path alone"
is "$(grep -E '^ul@owd@A@A@' "$TMP/cdf" | sed -n '1p;101p;201p')" 'ul@owd@A@A@0.000000@10.000
ul@owd@A@A@0.250000@20.000
ul@owd@A@A@0.500000@50.000' "--cdf: A's curve ends at 1 - loss = 0.5"
is "$(grep -E '^ul@owd@A@B@' "$TMP/cdf" | sed -n '201p'):$(grep -E '^dl@rtt@C@C@' "$TMP/cdf" | sed -n '201p')" \
    'ul@owd@A@B@0.833333@200.000:dl@rtt@C@C@1.000000@300.000' "--cdf: A+B ends at 5/6, C at 1"
is "$(grep -c '^ul@owd@C@\|@inf' "$TMP/cdf")" 0 "--cdf: no cross-direction curve, no infinity printed"

# --every 0.02 (20 ms of send time, born in ms): intervals [1000,1020),
# [1020,1040), [1040,1060).  A record lost between two intervals counts in
# the later (ul seq 2 in the second: sent 2, seq 3 delivered by A alone).
"$R" --every 0.02 "$TMP/srv" >"$TMP/every" 2>"$TMP/err"; rc=$?
is "$rc:$(head -1 "$TMP/every")" "0:start@dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess" "--every: the interval's start first"
is "$(grep -E '@A@B@' "$TMP/every")" '1000.000@ul@owd@A@B@2@2@0.000000@12.500@12.500@14.750@14.950@15.000@0.000000
1020.000@ul@owd@A@B@2@1@0.500000@50.000@50.000@50.000@50.000@50.000@0.500000
1040.000@ul@owd@A@B@2@2@0.000000@120.000@120.000@192.000@198.400@200.000@0.500000
@ul@owd@A@B@6@5@0.166667@63.000@40.000@170.000@194.000@200.000@0.333333' \
    "--every: each interval, then the totals with an empty start"
is "$(grep '^@' "$TMP/every" | cut -d@ -f2-)" "$(printf '%s\n' "$want" | tail -n +2)" "--every: the totals are rttpairs' rows"
is "$(grep -E '^10[0-9]*\.000@dl@rtt@C@C@' "$TMP/every" | cut -d@ -f1,6,7,9)" '1000.000@2@2@110.000
1020.000@2@2@190.000' "--every: the downlink's intervals"
# A record arriving after its interval was printed goes to the totals only:
# B 30 15 200 40 5 of 7 (seq 0..6), mean 58.
{ cat "$TMP/srv"; echo 'ul@receiver@6@1001.000@@@@@1.3@@5.000@0@@@@@@@@@@@@'; } |
    "$R" --every 0.02 >"$TMP/every2" 2>"$TMP/err"
is "$(grep '^@ul@owd@B@B@' "$TMP/every2" | cut -d@ -f6-9):$(cat "$TMP/err")" \
    "7@5@0.285714@58.000:rttpairs: 1 records came after their interval had been printed: in the totals only" "--every: a late record counts in the totals and is reported"

# --every prints each interval as soon as the next one starts (before the
# input ends): the first interval is out while the writer still holds the pipe.
mkfifo "$TMP/fifo"
"$R" --every 0.02 <"$TMP/fifo" >"$TMP/live" 2>/dev/null &
pid=$!
exec 9>"$TMP/fifo"
head -6 "$TMP/srv" >&9	# dl seq 2 (born 1020) starts the second interval
sleep 1
live=$(grep -c '^1000.000@' "$TMP/live")
exec 9>&-
wait "$pid"
is "$live" 12 "--every: an interval is printed (flushed) while the input is still open"

# The format before directions (no dir, no at): one direction, dir empty,
# vantage unknown: rtt because there are rtt values, said on stderr.
# rtt A = 10 20 - 50 120 (seq 2 lost): n 4 of 5, excess (120 + lost) 2/5;
# A+B B: 10 15 40 50 120.
cat >"$TMP/old" <<'X'
seq@born@A.time@A.rtt@A.owd@A.retx@B B.time@B B.rtt@B B.owd@B B.retx
0@1000@1.0@10@1005@0@1.0@30@-50@0
1@1004@1.0@20@1010@0@1.0@15@-45@1
2@1008@@@@@1.0@40@-30@0
3@1012@1.0@50@1020@1@@@@
4@1016@1.0@120@1001@0@1.0@200@-49@0
X
out=$("$R" "$TMP/old" 2>"$TMP/err")
is "$out" 'dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess
@rtt@A@A@5@4@0.200000@50.000@35.000@109.500@117.900@120.000@0.400000
@rtt@B B@B B@5@4@0.200000@71.250@35.000@176.000@195.200@200.000@0.400000
@rtt@A@B B@5@5@0.000000@47.000@40.000@106.000@117.200@120.000@0.200000' "old format: one direction, dir empty"
is "$(cat "$TMP/err")" "rttpairs: the records: vantage unknown: rtt, a path round trip only if the capture was taken at the sender" "old format: the metric chosen for the unknown vantage is said"
"$R" -m rtt "$TMP/old" >/dev/null 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "old format, -m rtt: the user chose, nothing to say"
# owd, negative values kept: B B -50 -45 -30 -49: mean -43.5.
is "$("$R" -m owd "$TMP/old" 2>/dev/null | grep '@B B@B B@')" '@owd@B B@B B@5@4@0.200000@-43.500@-47.000@-32.250@-30.450@-30.000@0.200000' "-m owd keeps negative delays"

# Unknown vantage without rtt values (UDP): owd, said.  Two lines of one
# seq (different records: seqjoin's copies more than a second apart) are
# two records; 5e-324 is a valid number.
out=$(printf 'dir@at@seq@A.rtt@A.owd\ndl@unknown@7@@5e-324\ndl@unknown@8@@3\ndl@unknown@8@@4\ndl@unknown@10@@\n' | "$R" 2>"$TMP/err")
is "$out" 'dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess
dl@owd@A@A@5@3@0.400000@2.333@3.000@3.900@3.980@4.000@0.400000' "seq 7..10 with 8 twice: 5 records sent; 5e-324 is read"
is "$(cat "$TMP/err")" "rttpairs: dl: vantage unknown and no rtt values: owd, a one-way delay only if the capture was taken at the receiver" "unknown vantage, owd: said"
# Mixed vantage within a direction: unknown, said.
printf 'dir@at@seq@A.rtt@A.owd\nul@sender@1@5@\nul@receiver@2@@3\n' | "$R" >/dev/null 2>"$TMP/err"
like "$(head -1 "$TMP/err")" "^rttpairs: stdin:3: ul: at=receiver after at=sender: the vantage of this direction is taken as unknown" "two vantages in one direction"

# Bad input: prog: file:line: what, exit 1, nothing on stdout.
err() { "$R" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/err")"; }
H='dir@at@seq@A.rtt@A.owd@B.rtt@B.owd'
is "$(err </dev/null)" "1:rttpairs: stdin:1: empty input: no header line" "empty stream"
is "$(printf 'seq@born@x\n1@2@3\n' | err)" "1:rttpairs: stdin:1: no path columns: want <path>.rtt or <path>.owd (seqjoin's output)" "no path columns"
is "$(printf '%s\n' "$H" | err)" "1:rttpairs: stdin:1: no records: nothing to summarise (is this seqjoin's output of a capture holding records?)" "header only: no records is an error"
is "$(printf '%s\nul@sender@1@abc@@@\n' "$H" | err)" "1:rttpairs: stdin:2: A.rtt: 'abc' is not a number" "a non-numeric value names line and column"
is "$(printf '%s\nul@sender@1@nan@@@\n' "$H" | err)" "1:rttpairs: stdin:2: A.rtt: 'nan' is not a number" "nan is refused"
is "$(printf '%s\nxl@sender@1@1@@@\n' "$H" | err)" "1:rttpairs: stdin:2: dir: 'xl' is not ul or dl" "a bad direction"
is "$(printf '%s\nul@client@1@1@@@\n' "$H" | err)" "1:rttpairs: stdin:2: at: 'client' is not sender, receiver or unknown" "a bad vantage"
is "$(printf '%s\nul@sender@@1@@@\n' "$H" | err)" "1:rttpairs: stdin:2: seq: '' is not a sequence number (0..9223372036854775807)" "an empty seq"
is "$(printf '%s\nul@sender@1@1@@\n' "$H" | err)" "1:rttpairs: stdin:2: 6 fields, the header has 7" "a ragged row"
[ ! -s "$TMP/out" ]; ok $? "nothing is printed on bad input"
is "$(printf 'dir@seq@A.rtt\nul@1@2\n' | err --every 1)" "1:rttpairs: stdin:1: no born column (seqjoin's output)" "--every needs born"
"$R" "$TMP/nonesuch" >/dev/null 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:rttpairs: $TMP/nonesuch: No such file or directory" "a missing file operand is named"

# 100,000 path columns: a clear error at the header, not 5e9 pair rows.
awk 'BEGIN { printf "seq"; for (i = 0; i < 100000; i++) printf "@p%d.rtt", i; print ""; print "1" }' >"$TMP/wide"
is "$(err "$TMP/wide")" "1:rttpairs: $TMP/wide:1: more than 1024 paths (100000 <path>.rtt and .owd columns): rttpairs prints a row for every pair of paths" "too many paths: a clear error"

# Bad usage: exit 2 with a message and the usage line.
for args in "-m xyz" "-t abc" "-t -5" "-t 0" "--offset max" "--offset min -m rtt" \
    "--every 1 --cdf" "--every 1 --offset min"; do
	# shellcheck disable=SC2086
	"$R" $args "$TMP/srv" >/dev/null 2>"$TMP/err"; rc=$?
	is "$rc:$(grep -c '^usage: rttpairs' "$TMP/err")" "2:1" "usage error: $args"
done
for args in "--every 0" "--every x"; do
	# shellcheck disable=SC2086
	"$R" $args "$TMP/srv" >/dev/null 2>"$TMP/err"; rc=$?
	is "$rc:$(cat "$TMP/err")" "2:rttpairs: --every: '${args#--every }' is not a number of seconds (0.001..3.16224e+07 s)" "usage error: $args"
done
"$R" -t -5 "$TMP/srv" >/dev/null 2>"$TMP/err"
is "$(head -1 "$TMP/err")" "rttpairs: -t: '-5' is not a positive number of ms" "-t -5 says why"
done_testing
