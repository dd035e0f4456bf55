# cdf.gp: the distribution of each path's and pair's per-record minimum
# delay from rttpairs --cdf (dir@metric@a@b@q@value), one panel per
# direction.  q is the fraction of the records sent, so a curve with losses
# ends below 1 (at 1 - loss).  Curves differ in colour, dash and point type
# (readable past 8 curves and in grey); single paths are drawn thicker.
#
#   rttpairs --cdf < joined.csv > rtt.cdf
#   gnuplot -e "in='rtt.cdf'" share/cdf.gp > cdf.png
#
# Variables: in (required), out (file; stdout if unset), fmt ('png' or
# 'svg'), name (what the plot is of, in its title; default: the input file's
# name), title (replaces the whole title), xmax (upper end of the delay
# axis, ms), logx (0 for a linear delay axis; the default is logarithmic,
# and linear when a value is 0 or negative).

if (!exists("in")) { print "cdf.gp: set in='FILE' (rttpairs --cdf output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }
if (!exists("name")) { name = in }
if (!exists("logx")) { logx = 1 }

set datafile separator '@'

# Curves are runs of rows with the same dir, a and b; find where each
# starts, and the directions in order.
array first[4096]
array cname[4096]
array single[4096]
array dname[3]
array dmetric[3]
array dfirst[3]
array dlast[3]
ncurves = 0
ndirs = 0
prev = ''
vmin = 1e300
newdir(d, m) = (ndirs == 0 || dname[ndirs] ne d) ? (ndirs = ndirs + 1, \
	dname[ndirs] = d, dmetric[ndirs] = m, dfirst[ndirs] = ncurves) : 0
stats in skip 1 using ( \
	key = strcol(1) . '@' . strcol(3) . '@' . strcol(4), \
	(key ne prev) ? (ncurves = ncurves + 1, first[ncurves] = int($0), \
	    cname[ncurves] = (strcol(3) eq strcol(4) ? strcol(3) : strcol(3) . ' + ' . strcol(4)), \
	    single[ncurves] = (strcol(3) eq strcol(4)), prev = key, \
	    newdir(strcol(1), strcol(2)), dlast[ndirs] = ncurves) : 0, \
	vmin = $6 < vmin ? $6 : vmin, $6) nooutput
nrows = STATS_records
if (ncurves == 0) { print "cdf.gp: " . in . ": no curves (no record delivered?)"; exit status 1 }
if (vmin <= 0) { logx = 0 }

if (fmt eq 'svg') {
	set terminal svg size 900 * ndirs + 200, 650 font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size 900 * ndirs + 200, 650 font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

last(i) = i < ncurves ? first[i + 1] - 1 : nrows - 1
width(i) = single[i] ? 3 : 1.5
set ylabel 'fraction of the records sent'
set yrange [0:1]
set grid
set key bottom right font ',10' spacing 0.9 noenhanced
if (logx) { set logscale x }
if (exists("xmax")) { set xrange [:xmax] }

if (exists("title")) {
	set multiplot layout 1, ndirs title title font ',16'
} else {
	set multiplot layout 1, ndirs title name . ': per-record minimum over each path and pair' noenhanced font ',16'
}
do for [d = 1:ndirs] {
	dn = dname[d]
	set title (dn eq 'ul' ? 'uplink' : dn eq 'dl' ? 'downlink' : 'all records') . ': ' . dmetric[d] noenhanced
	set xlabel dmetric[d] . ' (ms' . (logx ? ', log scale)' : ')')
	# Within a direction, curve k gets colour, dash and point type k.
	plot for [i = dfirst[d]:dlast[d]] in skip 1 every ::first[i]::last(i) \
		using 6:5 with linespoints lw width(i) \
		dt 1 + (i - dfirst[d]) % 5 pt ((i - dfirst[d]) % 13 + 1) \
		ps 1.1 pi 25 lc ((i - dfirst[d]) % 8 + 1) title cname[i]
}
unset multiplot
