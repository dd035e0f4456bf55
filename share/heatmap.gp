# heatmap.gp: draws heatmat's N x N matrix as a labelled heatmap, the value
# of each cell written in it.
#
#   gnuplot -e "in='rtt.mat'" share/heatmap.gp > rtt.png
#   gnuplot -e "in='rtt.mat'; out='rtt.svg'; fmt='svg'" share/heatmap.gp
#
# Variables: in (heatmat output, required), out (file; stdout if unset),
# fmt ('png' or 'svg', default png), title (default: the matrix's corner
# cell, e.g. "rtt.mean"), unit (appended to the colour bar label).

if (!exists("in")) { print "heatmap.gp: set in='FILE' (heatmat output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }

set datafile separator '@'
set datafile missing ''

# The corner cell names the metric and the statistic ("rtt.mean").
corner = ''
stats in every ::0::0 using (corner = strcol(1), 0) nooutput
if (!exists("title")) { title = corner }
isexcess = strstrt(corner, 'excess') > 0
iscount = corner[strlen(corner)-1:] eq '.n'
if (!exists("unit")) { unit = isexcess ? '' : iscount ? 'records' : 'ms' }

# Size of the matrix and range of its values, for the canvas and the text
# colour (white on dark cells).
# (Empty cells made undefined, or gnuplot's min and max come out wrong.)
stats in matrix rowheaders columnheaders using ($3 == $3 ? $3 : 1/0) nooutput
npaths = int(sqrt(STATS_records + STATS_invalid) + 0.5)
vmin = STATS_min
vmax = STATS_max
if (vmax <= vmin) { vmin = vmin - 1; vmax = vmax + 1 }
span = vmax - vmin

cellpx = 150
w = 220 + cellpx * npaths
h = 140 + cellpx * npaths
if (fmt eq 'svg') {
	set terminal svg size w, h font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size w, h font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

# Three significant digits (0.034, 2.51, 37.1), whole numbers from 100 on.
label(v) = v != v ? '' : isexcess ? sprintf('%.2f%%', 100 * v) : \
	iscount || abs(v) >= 100 ? sprintf('%.0f', v) : sprintf('%.3g', v)
ink(v) = (v - vmin) / span > 0.55 ? 0xffffff : 0x000000

set title title font ',16'
set palette defined (0 '#fff5eb', 0.35 '#fdae6b', 0.7 '#e6550d', 1 '#7f2704')
set cbrange [vmin:vmax]
set cblabel (isexcess ? 'fraction above threshold' : unit)
set xrange [-0.5:npaths - 0.5]
set yrange [npaths - 0.5:-0.5]
set size ratio -1
set xtics scale 0 font ',13'
set ytics scale 0 font ',13'
set tics nomirror
set border 0
unset key
set pm3d noborder

plot in matrix rowheaders columnheaders using 1:2:3 with image, \
	'' matrix rowheaders columnheaders using 1:2:(label($3)):(ink($3)) \
	with labels textcolor rgb variable font ',15'
