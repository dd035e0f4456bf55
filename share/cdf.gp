# cdf.gp: draws the distribution of each path and pair from rttpairs --cdf
# (metric@a@b@q@value, the same number of quantile points per curve), single
# paths dashed, pairs solid.
#
#   rttpairs --cdf < joined.csv > rtt.cdf
#   gnuplot -e "in='rtt.cdf'" share/cdf.gp > cdf.png
#
# Variables: in (required), out (file; stdout if unset), fmt ('png' or
# 'svg'), title, xmax (upper end of the value axis, ms; default: all),
# logx (set to 1 for a logarithmic value axis).

if (!exists("in")) { print "cdf.gp: set in='FILE' (rttpairs --cdf output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }

set datafile separator '@'

# Curves are runs of rows with the same a and b; find where each starts.
array first[4096]
array name[4096]
array single[4096]
ncurves = 0
prev = ''
metric = ''
stats in skip 1 using ( \
	key = strcol(2) . '@' . strcol(3), \
	(key ne prev) ? (ncurves = ncurves + 1, first[ncurves] = int($0), \
	    name[ncurves] = (strcol(2) eq strcol(3) ? strcol(2) : strcol(2) . ' + ' . strcol(3)), \
	    single[ncurves] = (strcol(2) eq strcol(3)), prev = key, metric = strcol(1)) : 0, \
	$5) nooutput
nrows = STATS_records
if (!exists("title")) { title = metric . ': per path and per pair (minimum of the two)' }

if (fmt eq 'svg') {
	set terminal svg size 1100, 650 font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size 1100, 650 font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

last(i) = i < ncurves ? first[i + 1] - 1 : nrows - 1
dash(i) = single[i] ? 2 : 1
width(i) = single[i] ? 1.5 : 2.5
set title title
set xlabel metric . ' (ms)'
set ylabel 'fraction of records'
set yrange [0:1]
set grid
set key outside right top font ',11' spacing 0.9
if (exists("logx")) { set logscale x }
if (exists("xmax")) { set xrange [:xmax] }

plot for [i=1:ncurves] in skip 1 every ::first[i]::last(i) using 5:4 \
	with lines lw width(i) dt dash(i) \
	title (name[i])
