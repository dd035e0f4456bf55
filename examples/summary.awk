# summary.awk: the batch summary sheet (examples/Makefile), '@' tables read
# by column name.  A row per batch and direction:
#   batch@dir@metric@error, then per path "<p> segment_retx" (retxrate's
#   segment_rate of that direction) and "<p> loss", then per path and pair
#   "<a>+<b> <metric> mean ms", then "<a>+<b> P(<metric>>T ms or lost)"
#   (rttpairs' excess at threshold T), paths in rttpairs' order (port order,
#   or the label map's).
# Modes (-v mode=):
#   (none)  one batch:  awk -F@ -v OFS=@ -v batch=NAME -v threshold=T
#               -f summary.awk retx.csv pairs.csv
#   failed  one row with the error:  awk -v OFS=@ -v batch=NAME -v error=E
#               -v mode=failed -f summary.awk
#   merge   batches' tables under the union of their headers:
#               awk -F@ -v OFS=@ -v mode=merge -f summary.awk FILE...
function add(name) {
	if (!(name in have)) {
		have[name] = ++ncols
		cols[ncols] = name
	}
}
function need(file, names,    n, k, list) {
	n = split(names, list, " ")
	for (k = 1; k <= n; k++)
		if (!(list[k] in col)) {
			print "summary.awk: " file ": no " list[k] " column" > "/dev/stderr"
			bad = 1
			exit 1
		}
}
# Column order in the sheet: the fixed ones, paths, then the means and the
# excesses, single paths before pairs.
function kind(name) {
	if (name ~ / (segment_retx|loss)$/) return 1
	if (name ~ / mean ms$/) return name ~ /^[^ ]*\+/ ? 3 : 2
	if (name ~ / P\(/) return name ~ /^[^ ]*\+/ ? 5 : 4
	return 0
}
BEGIN {
	if (mode == "failed") {
		print "batch", "dir", "metric", "error"
		print batch, "", "", error
		exit 0
	}
	add("batch"); add("dir"); add("metric"); add("error")
}
FNR == 1 {
	delete col
	for (i = 1; i <= NF; i++)
		col[$i] = i
	if (mode == "merge") {
		for (i = 1; i <= NF; i++) {
			add($i)
			fcol[FILENAME, i] = $i
		}
	} else if (FILENAME == ARGV[1])
		need(FILENAME, "path dir segment_rate")
	else
		need(FILENAME, "dir metric a b loss mean excess")
	next
}
mode == "merge" {
	nrows++
	for (i = 1; i <= NF; i++)
		cell[nrows, fcol[FILENAME, i]] = $i
	next
}
FILENAME == ARGV[1] {
	seg[$col["path"], $col["dir"]] = $col["segment_rate"]
	nseg[$col["path"]]++
	only[$col["path"]] = $col["segment_rate"]
	next
}
{
	d = $col["dir"]; a = $col["a"]; b = $col["b"]; m = $col["metric"]
	if (!(d in dseen)) {
		dseen[d] = 1
		dirs[++ndirs] = d
		metric[d] = m
	}
	if (a == b) {
		add(a " segment_retx"); add(a " loss")
		# A line of unknown direction (seqjoin's older output) takes
		# the path's one row.
		r = (a SUBSEP d) in seg ? seg[a, d] : \
		    d == "" && nseg[a] == 1 ? only[a] : seg[a, ""]
		val[d, a " segment_retx"] = r
		val[d, a " loss"] = $col["loss"]
		name = a
	} else
		name = a "+" b
	add(name " " m " mean ms")
	add(name " P(" m ">" threshold " ms or lost)")
	val[d, name " " m " mean ms"] = $col["mean"]
	val[d, name " P(" m ">" threshold " ms or lost)"] = $col["excess"]
}
END {
	if (bad || mode == "failed")
		exit bad
	# The header: stable within each kind of column.
	n = 0
	for (k = 0; k <= 5; k++)
		for (i = 1; i <= ncols; i++)
			if (kind(cols[i]) == k)
				order[++n] = cols[i]
	line = order[1]
	for (i = 2; i <= n; i++)
		line = line OFS order[i]
	print line
	if (mode == "merge") {
		for (r = 1; r <= nrows; r++) {
			line = cell[r, order[1]]
			for (i = 2; i <= n; i++)
				line = line OFS cell[r, order[i]]
			print line
		}
		exit 0
	}
	for (j = 1; j <= ndirs; j++) {
		d = dirs[j]
		line = batch OFS d OFS metric[d] OFS ""
		for (i = 5; i <= n; i++)
			line = line OFS val[d, order[i]]
		print line
	}
}
