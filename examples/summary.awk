# summary.awk: one batch's rows of the summary table, from retxrate's and
# rttpairs' output (both '@' streams with a header; read by column name).
#   awk -F@ -v OFS=@ -v batch=NAME -f summary.awk retx.csv rtt.csv
BEGIN {
	print "batch", "a", "b", "retx_rate", "n", "rtt_mean", "rtt_p95", "excess"
}
FNR == 1 {
	delete col
	for (i = 1; i <= NF; i++)
		col[$i] = i
	if (FILENAME == ARGV[1] && !("path" in col && "frame_rate" in col)) {
		print FILENAME ": no path and frame_rate columns" > "/dev/stderr"
		bad = 1
		exit 1
	}
	if (FILENAME == ARGV[2] && !("a" in col && "excess" in col)) {
		print FILENAME ": no a, b, n, mean, p95, excess columns" > "/dev/stderr"
		bad = 1
		exit 1
	}
	next
}
FILENAME == ARGV[1] {
	rate[$col["path"]] = $col["frame_rate"]
	order[++npaths] = $col["path"]
	next
}
{
	a = $col["a"]; b = $col["b"]
	if (a == b)
		seen[a] = 1
	print batch, a, b, (a == b ? rate[a] : ""), $col["n"], $col["mean"], \
	    $col["p95"], $col["excess"]
}
END {
	if (bad)
		exit 1
	for (i = 1; i <= npaths; i++)
		if (!(order[i] in seen))
			print batch, order[i], order[i], rate[order[i]], 0, "", "", ""
}
