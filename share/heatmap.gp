# heatmap.gp: draws heatmat's matrices, one panel per direction, as
# labelled heatmaps with the value of each cell written in it.  A cell of
# the upper triangle without a value (a pair with no record delivered, or
# a statistic rttpairs left empty) is hatched grey and says "no data"; the
# lower triangle, which no pair uses, stays blank.
#
#   rttpairs < joined.csv | heatmat > rtt.mat
#   gnuplot -e "in='rtt.mat'" share/heatmap.gp > rtt.png
#   gnuplot -e "in='rtt.mat'; out='rtt.svg'; fmt='svg'" share/heatmap.gp
#
# Variables: in (heatmat output, required), out (file; stdout if unset),
# fmt ('png' or 'svg', default png), name (what the plot is of, in its
# title; default: the input file's name), title (replaces the whole title),
# unit (the colour bar's label).
#
# Each matrix's corner cell is heatmat's "DIR METRIC STAT [THRESHOLD]"
# ("dl rtt excess 100"); the panel's title is made from it.

if (!exists("in")) { print "heatmap.gp: set in='FILE' (heatmat output)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }
if (!exists("name")) { name = in }

set datafile separator '@'

# One block per direction (two blank lines apart).
stats in using (0) nooutput
nblocks = STATS_blocks
array corner[nblocks]
array size[nblocks]
maxn = 1
do for [b = 1:nblocks] {
	stats in index (b - 1) every ::0::0 using (corner[b] = strcol(1), 0) nooutput
	stats in index (b - 1) every ::1 using (0) nooutput
	size[b] = STATS_records
	if (size[b] > maxn) { maxn = size[b] }
}

cellpx = 150
w = (240 + cellpx * maxn) * nblocks
h = 190 + cellpx * maxn
if (fmt eq 'svg') {
	set terminal svg size w, h font 'Sans,14' background '#ffffff'
} else {
	set terminal pngcairo size w, h font 'Sans,13' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

# A cell's value: empty fields (and a line's trailing empty fields, which
# gnuplot does not see as columns at all) are undefined, so not drawn.
val(j) = valid(j) ? column(j) : 1/0
upper(j) = (j - 2) >= int(column(0))

set palette defined (0 '#fff5eb', 0.35 '#fdae6b', 0.7 '#e6550d', 1 '#7f2704')
set size ratio -1
set tics nomirror scale 0 font ',13'
set border 0
unset key
set style fill solid 1.0 noborder

if (exists("title")) {
	set multiplot layout 1, nblocks title title font ',16'
} else {
	set multiplot layout 1, nblocks title name noenhanced font ',16'
}
do for [b = 1:nblocks] {
	n = size[b]
	# stats honours the axis ranges: set them only before the plot.
	set autoscale xy
	dir = word(corner[b], 1)
	metric = word(corner[b], 2)
	stat = word(corner[b], 3)
	thr = words(corner[b]) >= 4 ? word(corner[b], 4) : ''
	isfrac = stat eq 'excess' || stat eq 'loss'
	iscount = stat eq 'n' || stat eq 'sent'
	what = stat eq 'excess' ? \
	    (thr ne '' ? sprintf('P(%s > %s ms or lost)', metric, thr) : \
	     sprintf('P(%s > threshold or lost)', metric)) : \
	    stat eq 'loss' ? 'loss (fraction of records sent)' : \
	    stat eq 'sent' ? 'records sent' : \
	    stat eq 'n' ? 'records delivered' : \
	    sprintf('%s %s (ms)', metric, stat)
	ptitle = (dir eq '-' ? '' : (dir eq 'ul' ? 'uplink: ' : dir eq 'dl' ? 'downlink: ' : dir . ': ')) . \
	    (stat eq 'excess' ? '' : isfrac || iscount ? metric . ' ' : '') . what

	# Tic labels: the header row's names, in order (rows are the same).
	set xtics ()
	set ytics ()
	do for [k = 2:n + 1] {
		stats in index (b - 1) every ::0::0 using (lab = strcol(k), 0) nooutput
		set xtics add (lab k - 2)
		set ytics add (lab k - 2)
	}

	# The range of the values, for the colours and the text colour.
	vmin = 1e300; vmax = -1e300
	see(x) = (x < vmin ? vmin = x : 0, x > vmax ? vmax = x : 0, 0)
	stats in index (b - 1) every ::1 \
	    using (sum [j = 2:n + 1] (valid(j) ? see(column(j)) : 0)) nooutput
	if (isfrac) { vmin = 0; vmax = 1 }
	if (vmin > vmax) { vmin = 0; vmax = 1 }
	if (vmax <= vmin) { vmin = vmin - 1; vmax = vmax + 1 }
	span = vmax - vmin
	set cbrange [vmin:vmax]
	set cblabel (exists("unit") ? unit : isfrac ? 'fraction' : iscount ? 'records' : 'ms')

	# Three significant digits (0.034, 2.51, 37.1), whole from 100 on.
	label(v) = isfrac ? sprintf('%.1f%%', 100 * v) : \
	    iscount || abs(v) >= 100 ? sprintf('%.0f', v) : sprintf('%.3g', v)
	ink(v) = (v - vmin) / span > 0.55 ? 0xffffff : 0x000000

	set title ptitle noenhanced font ',15'
	set xrange [-0.5:n - 0.5]
	set yrange [n - 0.5:-0.5]
	# Layers: every upper cell hatched "no data", then the cells with a
	# value painted over it, then their values.
	plot for [j = 2:n + 1] in index (b - 1) every ::1 \
		using (j - 2):0:(upper(j) ? 0.5 : 1/0):(0.5) \
		with boxxyerror fs pattern 4 transparent border rgb '#b0b0b0' lc rgb '#b0b0b0', \
	     for [j = 2:n + 1] in index (b - 1) every ::1 \
		using (j - 2):0:(upper(j) && !valid(j) ? 'no data' : '') \
		with labels textcolor rgb '#707070' font ',11', \
	     for [j = 2:n + 1] in index (b - 1) every ::1 \
		using (j - 2):0:(valid(j) ? 0.5 : 1/0):(0.5):(val(j)) \
		with boxxyerror fs solid 1.0 noborder lc palette, \
	     for [j = 2:n + 1] in index (b - 1) every ::1 \
		using (j - 2):0:(valid(j) ? label(column(j)) : ''):(valid(j) ? ink(column(j)) : 0) \
		with labels textcolor rgb variable font ',15'
}
unset multiplot
