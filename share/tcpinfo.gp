# tcpinfo.gp: the TCP_INFO samples of a live run, per path over time, from
# the file of udsend or udrecv --tcpinfo MS FILE (time@path@state@cwnd@
# ssthresh@rtt@rttvar@rto@retrans@total_retrans@lost@unacked@
# delivery_rate@pacing_rate@bytes_acked; time in epoch seconds, rtt and
# rto in ms, rates in bytes/s): five panels sharing the time axis, cwnd
# (segments), smoothed rtt, rto, retransmitted segments so far, and the
# delivery rate (Mbit/s), a line per path.
#
#   udsend -H srv -p 3270 -n 2 -I usb0,usb1 --tcpinfo 100 ti.csv
#   gnuplot -e "in='ti.csv'" share/tcpinfo.gp > tcpinfo.png
#
# Variables: in (required), out (file; stdout if unset), fmt ('png' or
# 'svg'), title.

if (!exists("in")) { print "tcpinfo.gp: set in='FILE' (a --tcpinfo file)"; exit status 2 }
if (!exists("fmt")) { fmt = 'png' }
if (!exists("title")) { title = 'TCP\_INFO per path: ' . in }

set datafile separator '@'
# a path's rows are picked by turning the others into NaN, which counts as
# missing (the lines go on across them) rather than undefined (broken)
set datafile missing NaN

# The paths (column 2), in the order of their first sample, as words, and
# each panel's largest value, so that no axis range is empty (a path that
# retransmitted nothing, a receiver's delivery rate of 0).
paths = ''
array top[15]
do for [c = 1:15] { top[c] = 0 }
upd(c) = (valid(c) && column(c) > top[c] ? top[c] = column(c) : 0)
stats in skip 1 using (p = sprintf(' %d ', column(2)), \
	strstrt(paths, p) == 0 ? (paths = paths . p, 0) : 0, \
	upd(4) + upd(6) + upd(8) + upd(10) + upd(13)) nooutput
range(c, scale) = top[c] > 0 ? top[c] * scale * 1.05 : 1
if (words(paths) == 0) { print "tcpinfo.gp: ", in, " holds no sample"; exit status 1 }
# time relative to the first sample
stats in skip 1 using 1 nooutput
t0 = STATS_min
of(i) = column(2) == word(paths, i) + 0 ? column(1) - t0 : NaN

if (fmt eq 'svg') {
	set terminal svg size 1000, 1100 font 'Sans,13' background '#ffffff'
} else {
	set terminal pngcairo size 1000, 1100 font 'Sans,12' background '#ffffff'
}
if (exists("out")) { set output out } else { set output }

set multiplot layout 5, 1 title title
set grid
set key outside right top
set lmargin 12
set rmargin 16
set format x ''
set ylabel 'cwnd (segments)'
set yrange [0:range(4, 1)]
plot for [i = 1:words(paths)] in skip 1 using (of(i)):4 with lines lw 1.5 lc i title word(paths, i)
set ylabel 'rtt (ms)'
set yrange [0:range(6, 1)]
plot for [i = 1:words(paths)] in skip 1 using (of(i)):6 with lines lw 1.5 lc i title word(paths, i)
set ylabel 'rto (ms)'
set yrange [0:range(8, 1)]
plot for [i = 1:words(paths)] in skip 1 using (of(i)):8 with lines lw 1.5 lc i title word(paths, i)
set ylabel 'retransmitted (total)'
set yrange [0:range(10, 1)]
plot for [i = 1:words(paths)] in skip 1 using (of(i)):10 with steps lw 1.5 lc i title word(paths, i)
set format x '%g'
set xlabel 'time since the first sample (s)'
set ylabel 'delivery rate (Mbit/s)'
set yrange [0:range(13, 8 / 1e6)]
plot for [i = 1:words(paths)] in skip 1 using (of(i)):($13 * 8 / 1e6) with lines lw 1.5 lc i title word(paths, i)
unset multiplot
