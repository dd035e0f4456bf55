# timeseries.gp: each path's RTT (or OWD) over the capture, from seqjoin's
# output (seq@born then <path>.time@<path>.rtt@<path>.owd@<path>.retx per
# path); retransmitted records are marked.
#
#   seqjoin < run.csv > joined.csv
#   gnuplot -e "in='joined.csv'" share/timeseries.gp > rtt-time.png
#
# Variables: in (required), out (file; stdout if unset), fmt ('png' or
# 'svg'), metric ('rtt' default, or 'owd'), title, logy (set to 1 for a
# logarithmic delay axis).

if (!exists("in")) { print "timeseries.gp: set in='FILE' (seqjoin output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }
if (!exists("metric")) { metric = 'rtt' }
if (metric ne 'rtt' && metric ne 'owd') { print "timeseries.gp: metric is 'rtt' or 'owd'"; exit status 2 }

set datafile separator '@'
set datafile missing ''

# seq and born, then four columns per path: time, rtt, owd, retx.
stats in every ::0::0 using (0) nooutput
ncols = STATS_columns
npaths = (ncols - 2) / 4
array name[npaths > 0 ? npaths : 1]
stats in every ::0::0 using (sum [k = 1:npaths] (s = strcol(3 + 4 * (k - 1)), \
	name[k] = s[1:strlen(s) - 5], 0)) nooutput
# The first capture time over all paths: time is shown relative to it.
t0 = 1e300
do for [k = 1:npaths] {
	stats in skip 1 using (column(3 + 4 * (k - 1))) nooutput
	if (STATS_records > 0 && STATS_min < t0) { t0 = STATS_min }
}
off = (metric eq 'rtt') ? 1 : 2
if (!exists("title")) { title = metric . ' of each record over the capture' }

if (fmt eq 'svg') {
	set terminal svg size 1100, 600 font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size 1100, 600 font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

set title title
set xlabel 'capture time (s)'
set ylabel metric . ' (ms)'
set grid
set key outside right top
if (exists("logy")) { set logscale y }

plot for [k = 1:npaths] in skip 1 \
	using (column(3 + 4 * (k - 1)) - t0):(column(3 + 4 * (k - 1) + off)) \
	with points pt 7 ps 0.3 lc k title name[k], \
     for [k = 1:npaths] in skip 1 \
	using (column(3 + 4 * (k - 1)) - t0):(column(6 + 4 * (k - 1)) > 0 ? column(3 + 4 * (k - 1) + off) : 1/0) \
	with points pt 6 ps 1.2 lc k notitle, \
     NaN with points pt 6 ps 1.2 lc 'black' title 'retransmitted'
