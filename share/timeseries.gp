# timeseries.gp: each path's delay per record over the capture, from
# seqjoin's output (dir@at@seq@born, then <path>.time@<path>.rtt@
# <path>.owd@<path>.retx per path; the older seq@born@... too) or anything
# with those columns; retransmitted records are ringed.  Each path is drawn
# with rtt where it has rtt values, else owd (udrecv's rows and captures at
# the receiver have no rtt), and the key says which.
#
#   seqjoin < run.csv > joined.csv
#   gnuplot -e "in='joined.csv'" share/timeseries.gp > delay-time.png
#
# Variables: in (required), out (file; stdout if unset), fmt ('png' or
# 'svg'), metric ('auto' default, 'rtt' or 'owd': paths without values of
# it are left out), name (what the plot is of, in its title; default: the
# input file's name), title (replaces the whole title), logy (1 for a
# logarithmic delay axis).

if (!exists("in")) { print "timeseries.gp: set in='FILE' (seqjoin output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }
if (!exists("metric")) { metric = 'auto' }
if (!exists("name")) { name = in }
if (metric ne 'auto' && metric ne 'rtt' && metric ne 'owd') { print "timeseries.gp: metric is 'auto', 'rtt' or 'owd'"; exit status 2 }

set datafile separator '@'

# The header: every <path>.time column starts a path's four columns.
stats in every ::0::0 using (0) nooutput
ncols = STATS_columns
array tcol[ncols]
array pname[ncols]
npaths = 0
ends(s, suf) = strlen(s) > strlen(suf) && s[strlen(s) - strlen(suf) + 1:] eq suf
stats in every ::0::0 using (sum [k = 1:ncols] (s = strcol(k), \
	ends(s, '.time') ? (npaths = npaths + 1, tcol[npaths] = k, \
	    pname[npaths] = s[1:strlen(s) - 5], 0) : 0)) nooutput
if (npaths == 0) { print "timeseries.gp: " . in . ": no <path>.time columns (seqjoin output?)"; exit status 1 }

# Per path: how many rtt, owd and retransmitted values; the first time.
array col[npaths]
array lab[npaths]
array nretx[npaths]
nplot = 0
t0 = 1e300
do for [k = 1:npaths] {
	c = tcol[k]
	nrtt = 0; nowd = 0; nr = 0
	stats in skip 1 using ((valid(c + 1) ? nrtt = nrtt + 1 : 0), \
	    (valid(c + 2) ? nowd = nowd + 1 : 0), \
	    (valid(c + 3) && column(c + 3) > 0 ? nr = nr + 1 : 0), \
	    (valid(c) && column(c) < t0 ? t0 = column(c) : 0), 0) nooutput
	m = metric eq 'auto' ? (nrtt > 0 ? 'rtt' : 'owd') : metric
	if ((m eq 'rtt' && nrtt > 0) || (m eq 'owd' && nowd > 0)) {
		nplot = nplot + 1
		col[nplot] = c + (m eq 'rtt' ? 1 : 2)
		lab[nplot] = pname[k] . ' ' . m
		nretx[nplot] = nr
	}
}
if (nplot == 0) { print "timeseries.gp: " . in . ": no " . (metric eq 'auto' ? 'rtt or owd' : metric) . " values to draw"; exit status 1 }
anyretx = 0
do for [i = 1:nplot] { if (nretx[i] > 0) { anyretx = 1 } }

if (fmt eq 'svg') {
	set terminal svg size 1100, 600 font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size 1100, 600 font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

if (exists("title")) { set title title noenhanced } else { set title name . ': delay of each record over the capture' noenhanced }
set xlabel 'capture time (s from the first record)'
set ylabel 'delay (ms)'
set grid
set key outside right top noenhanced
if (exists("logy")) { set logscale y }

# The time column of a plotted path is 1 or 2 columns before its delay.
tc(i) = col[i] - (strstrt(lab[i], ' rtt') > 0 ? 1 : 2)
if (anyretx) {
	plot for [i = 1:nplot] in skip 1 using (column(tc(i)) - t0):(column(col[i])) \
		with points pt 7 ps 0.4 lc i title lab[i], \
	     for [i = 1:nplot] in skip 1 \
		using (column(tc(i)) - t0):(column(tc(i) + 3) > 0 ? column(col[i]) : 1/0) \
		with points pt 6 ps 1.3 lc i notitle, \
	     NaN with points pt 6 ps 1.3 lc 'black' title 'retransmitted'
} else {
	plot for [i = 1:nplot] in skip 1 using (column(tc(i)) - t0):(column(col[i])) \
		with points pt 7 ps 0.4 lc i title lab[i]
}
