#!/usr/bin/env bash
# rttpairs: statistics of per-record minima, checked against numbers worked
# out by hand (linear interpolation between order statistics: the quantile q
# of n sorted values is at position h = q(n-1), v[floor h] + frac(h) * step).
. "$(dirname "$0")/tap.sh"
R=$BIN/rttpairs

# Three paths, one label with a space.  Empty field = record absent there.
# rtt:  A = 10 20 - 50 120   B B = 30 15 40 - 200   C = 5 - 50 60 110
# owd:  A = 1005 1010 - 1020 1001   B B = -50 -45 -30 - -49   C: none
cat >"$TMP/joined" <<'X'
seq@born@A.time@A.rtt@A.owd@A.retx@B B.time@B B.rtt@B B.owd@B B.retx@C.time@C.rtt@C.owd@C.retx
0@1000@1.0@10@1005@0@1.0@30@-50@0@1.0@5@@0
1@1004@1.0@20@1010@0@1.0@15@-45@1@@@@
2@1008@@@@@1.0@40@-30@0@1.0@50@@1
3@1012@1.0@50@1020@1@@@@@1.0@60@@0
4@1016@1.0@120@1001@0@1.0@200@-49@0@1.0@110@@0
X

# A sorted 10 20 50 120: mean 50, median (20+50)/2, p95 h=2.85: 50+.85*70,
# p99 h=2.97: 50+.97*70, one of four above 100.
# B B sorted 15 30 40 200: mean 71.25, p95 40+.85*160, p99 40+.97*160.
# C sorted 5 50 60 110: mean 56.25, median 55, p95 60+.85*50, p99 60+.97*50.
# A+B B minima (seq 0 1 4) 10 15 120: h=1.9: 15+.9*105, h=1.98: 15+.98*105.
# A+C minima (seq 0 3 4) 5 50 110: p95 50+.9*60, p99 50+.98*60.
# B B+C minima (seq 0 2 4) 5 40 110: p95 40+.9*70, p99 40+.98*70.
want='metric@a@b@n@mean@median@p95@p99@max@excess
rtt@A@A@4@50.000@35.000@109.500@117.900@120.000@0.250000
rtt@B B@B B@4@71.250@35.000@176.000@195.200@200.000@0.250000
rtt@C@C@4@56.250@55.000@102.500@108.500@110.000@0.250000
rtt@A@B B@3@48.333@15.000@109.500@117.900@120.000@0.333333
rtt@A@C@3@55.000@50.000@104.000@108.800@110.000@0.333333
rtt@B B@C@3@51.667@40.000@103.000@108.600@110.000@0.333333'
out=$("$R" <"$TMP/joined"); rc=$?
is "$rc" 0 "rttpairs exits 0"
is "$out" "$want" "paths then pairs in header order, minima and statistics as worked out by hand"
is "$("$R" -m rtt <"$TMP/joined")" "$want" "-m rtt is the default"

# -t 15: values strictly above count; A: 20 50 120 of 4, A+B B: 120 of 3
# (15 itself is not above), B B+C: 40 110 of 3.
out=$("$R" -t 15 <"$TMP/joined" | cut -d@ -f2,3,10)
is "$out" 'a@b@excess
A@A@0.750000
B B@B B@0.750000
C@C@0.750000
A@B B@0.333333
A@C@0.666667
B B@C@0.666667' "-t sets the threshold, a value equal to it is not above"
out=$("$R" -t 50 <"$TMP/joined" | grep '^rtt@A@A@' | cut -d@ -f10)
is "$out" "0.250000" "-t 50: 50 itself is not counted, 120 is"

# owd: A+B B minima -50 -45 -49 (negative delays are kept), C has none.
want='metric@a@b@n@mean@median@p95@p99@max@excess
owd@A@A@4@1009.000@1007.500@1018.500@1019.700@1020.000@1.000000
owd@B B@B B@4@-43.500@-47.000@-32.250@-30.450@-30.000@0.000000
owd@C@C@0@@@@@@
owd@A@B B@3@-48.000@-49.000@-45.400@-45.080@-45.000@0.000000
owd@A@C@0@@@@@@
owd@B B@C@0@@@@@@'
is "$("$R" -m owd <"$TMP/joined")" "$want" "-m owd, a path without values gives n 0 and empty statistics"

# --offset min: A minus 1001 = 4 9 19 0, B B minus -50 = 0 5 20 1;
# A+B B minima (seq 0 1 4) 0 5 0: mean 5/3, p95 h=1.9: 0+.9*5.
want='metric@a@b@n@mean@median@p95@p99@max@excess
owd@A@A@4@8.000@6.500@17.500@18.700@19.000@0.000000
owd@B B@B B@4@6.500@3.000@17.750@19.550@20.000@0.000000
owd@C@C@0@@@@@@
owd@A@B B@3@1.667@0.000@4.500@4.900@5.000@0.000000
owd@A@C@0@@@@@@
owd@B B@C@0@@@@@@'
is "$("$R" -m owd --offset min <"$TMP/joined")" "$want" "--offset min subtracts each path's own minimum before the minima"

# --cdf: 201 points per curve, q from 0 to 1; the points are quantiles.
"$R" --cdf <"$TMP/joined" >"$TMP/cdf"
is "$(head -1 "$TMP/cdf")" "metric@a@b@q@value" "--cdf header"
is "$(wc -l <"$TMP/cdf" | tr -d ' ')" "$((1 + 6 * 201))" "--cdf: 201 points for each of 3 paths and 3 pairs"
is "$(grep -E '^rtt@A@A@(0\.000|0\.500|0\.950|1\.000)@' "$TMP/cdf")" 'rtt@A@A@0.000@10.000
rtt@A@A@0.500@35.000
rtt@A@A@0.950@109.500
rtt@A@A@1.000@120.000' "--cdf points are the interpolated quantiles (min, median, p95, max)"
is "$(grep -c '^rtt@A@B B@' "$TMP/cdf")" 201 "--cdf has the pair A + B B"

# A header-only stream: every path with n 0.
out=$(head -1 "$TMP/joined" | "$R" | sed -n 2p)
is "$out" "rtt@A@A@0@@@@@@" "no rows: n 0 for every path"

# Bad input: prog: line N: what, exit 1.
err() { "$R" "$@" >"$TMP/out" 2>"$TMP/err"; echo "$?:$(cat "$TMP/err")"; }
is "$(err </dev/null)" "1:rttpairs: stdin:1: empty input: no header line" "empty stream"
is "$(printf 'seq@born@x\n1@2@3\n' | err)" "1:rttpairs: stdin:1: no path columns: want <path>.rtt (seqjoin's output)" "no <path>.rtt column"
is "$(printf 'seq@A.rtt@A.owd\n1@2@3\n' | err -m owd | head -c2; printf 'seq@A.rtt\n1@2\n' | err -m owd)" \
    "0:1:rttpairs: stdin:1: no path columns: want <path>.owd (seqjoin's output)" "-m owd needs <path>.owd columns"
is "$(printf 'seq@A.rtt@B.rtt\n1@2@3\n2@abc@3\n' | err)" "1:rttpairs: stdin:3: A.rtt: 'abc' is not a number" "a non-numeric value names line and column"
is "$(printf 'seq@A.rtt@B.rtt\n1@2@3\n2@nan@3\n' | err)" "1:rttpairs: stdin:3: A.rtt: 'nan' is not a number" "nan is refused"
is "$(printf 'seq@A.rtt@B.rtt\n1@2@3\n2@3\n' | err)" "1:rttpairs: stdin:3: 2 fields, the header has 3" "a ragged row"
[ ! -s "$TMP/out" ]; ok $? "nothing is printed on bad input"

# Bad usage: exit 2.
for args in "-m xyz" "-t abc" "--offset max -m owd" "--offset min"; do
	# shellcheck disable=SC2086
	"$R" $args <"$TMP/joined" >/dev/null 2>"$TMP/err"; rc=$?
	is "$rc" 2 "usage error: $args"
done
like "$(cat "$TMP/err")" "^usage: rttpairs" "usage is printed"
done_testing
