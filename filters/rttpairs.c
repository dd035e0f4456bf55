/*
 * rttpairs: what redundancy delivers.  Reads seqjoin's lines (one per
 * direction and record) and, for every path and every pair of paths of one
 * direction, over every record sent in that direction, takes per record the
 * smallest delay of the copies delivered, then summarises those minima
 * with the records lost on every path of the pair counted (DESIGN.md,
 * "Sent and lost").
 */
#include <err.h>
#include <float.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"
#include "nstime.h"
#include "stats.h"
#include "util.h"

static const char synopsis[] =
    "[-m auto|rtt|owd] [-t MS] [--offset min] [--cdf] [--every SECONDS] "
    "[FILE...]";
static const char options[] =
    "  -m METRIC       auto (rtt at the sender, owd at the receiver), rtt or owd\n"
    "  -t MS           threshold of the excess fraction, in ms (100)\n"
    "  --offset min    subtract each path's smallest owd (clock offset)\n"
    "  --cdf           distribution curves (lost records as infinite)\n"
    "  --every SECONDS statistics of each interval of send time as it is read\n";

/* Quantile points per curve with --cdf: k = 0, 1, ..., CDF_STEPS. */
#define CDF_STEPS 200
/*
 * At most this many paths: rttpairs prints a row for every pair, and a
 * heatmap of more is unreadable long before (heatmat has the same bound).
 */
#define MAX_PATHS 1024
/* Sequence numbers up to 2^63 - 1, so that a span of them cannot wrap. */
#define MAX_SEQ ((uint64_t)INT64_MAX)

enum { DIR_UL, DIR_DL, DIR_NONE, NDIRS };
static const char *const dir_names[NDIRS] = { "ul", "dl", "" };

enum vantage { AT_UNKNOWN, AT_SENDER, AT_RECEIVER };
static const char *const at_names[] = { "unknown", "sender", "receiver" };

enum metric { M_AUTO, M_RTT, M_OWD };
static const char *const metric_names[] = { "auto", "rtt", "owd" };

/* One path's copy of one record: its index in the direction, its delays. */
struct obs {
	uint64_t rec;
	double rtt, owd;	/* NaN when empty */
};

struct series {
	struct obs *v;
	size_t n, cap;
};

/* The records of one direction, in the order read. */
struct dirstat {
	uint64_t lines;
	uint64_t lo, hi;	/* smallest and largest seq */
	struct st_u64vec seqs;
	struct series *paths;	/* one per path */
	int has[3];		/* any value of metric M_RTT, M_OWD */
};

/* What was read: the whole run, or one interval of it (--every). */
struct acc {
	struct dirstat d[NDIRS];
};

struct opts {
	enum metric metric;
	double threshold;
	int offset_min;
	int cdf;
	int64_t every_ns;	/* 0: no --every */
};

struct cols {
	int dir, at, seq, born;
	int *time, *rtt, *owd, *retx;	/* per path, -1 when absent */
};

struct run {
	struct opts o;
	size_t npaths;
	char **names;
	struct cols c;
	struct acc total, part;
	enum vantage at[NDIRS];
	int at_seen[NDIRS];
	enum metric metric[NDIRS];	/* M_AUTO until decided */
	int measurable[NDIRS];
	double *offset[NDIRS];		/* --offset min: per path */
	/* --every: the open interval, what the intervals printed covered. */
	int part_open;
	int64_t part_start;
	int printed_any[NDIRS];
	uint64_t printed_hi[NDIRS];
	uint64_t late;
	struct st_vec minima;
	struct at_writer w;
};

static void
acc_init(struct acc *a, size_t npaths)
{
	memset(a, 0, sizeof(*a));
	for (int d = 0; d < NDIRS; d++)
		a->d[d].paths = ecalloc(npaths, sizeof(*a->d[d].paths));
}

static void
acc_free(struct acc *a, size_t npaths)
{
	for (int d = 0; d < NDIRS; d++) {
		for (size_t p = 0; p < npaths && a->d[d].paths; p++)
			free(a->d[d].paths[p].v);
		free(a->d[d].paths);
		st_u64vec_free(&a->d[d].seqs);
	}
}

static void
acc_reset(struct acc *a, size_t npaths)
{
	acc_free(a, npaths);
	acc_init(a, npaths);
}

static void
series_push(struct series *s, struct obs o)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = ereallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = o;
}

/*
 * The path of column `name`, if it is <path>.rtt, .owd, .time or .retx:
 * the suffix's index (0..3) and the prefix length, or -1.
 */
static int
path_column(const char *name, size_t *prefix)
{
	static const char *const suffix[] = { ".time", ".rtt", ".owd",
	    ".retx" };
	size_t len = strlen(name);

	for (int i = 0; i < 4; i++) {
		size_t sl = strlen(suffix[i]);

		if (len > sl && strcmp(name + len - sl, suffix[i]) == 0) {
			*prefix = len - sl;
			return i;
		}
	}
	return -1;
}

/* The paths of the header: every <path>.rtt or <path>.owd, in order. */
static int
find_paths(struct at_reader *r, struct run *R)
{
	size_t ncols = at_ncols(r), n = 0, nmetric = 0;
	int *map[4];

	R->names = ecalloc(ncols, sizeof(*R->names));
	R->c.time = emalloc(ncols * sizeof(int));
	R->c.rtt = emalloc(ncols * sizeof(int));
	R->c.owd = emalloc(ncols * sizeof(int));
	R->c.retx = emalloc(ncols * sizeof(int));
	map[0] = R->c.time, map[1] = R->c.rtt, map[2] = R->c.owd;
	map[3] = R->c.retx;
	/* Paths first, by their metric columns; then their other columns.
	 * Past the bound, only count the columns (the search is quadratic). */
	for (size_t c = 0; c < ncols; c++) {
		const char *name = at_colname(r, c);
		size_t pre, p;
		int k = path_column(name, &pre);

		if (k != 1 && k != 2)
			continue;
		if (n > MAX_PATHS) {
			nmetric++;
			continue;
		}
		nmetric++;
		for (p = 0; p < n; p++)
			if (strlen(R->names[p]) == pre &&
			    strncmp(R->names[p], name, pre) == 0)
				break;
		if (p == n) {
			R->names[n] = estrndup(name, pre);
			for (int i = 0; i < 4; i++)
				map[i][n] = -1;
			n++;
		}
	}
	R->npaths = n;
	if (n == 0) {
		at_warn_header(r, "no path columns: want <path>.rtt or "
		    "<path>.owd (seqjoin's output)");
		return -1;
	}
	if (n > MAX_PATHS) {
		at_warn_header(r, "more than %d paths (%zu <path>.rtt and .owd "
		    "columns): rttpairs prints a row for every pair of paths",
		    MAX_PATHS, nmetric);
		return -1;
	}
	for (size_t c = 0; c < ncols; c++) {
		const char *name = at_colname(r, c);
		size_t pre;
		int k = path_column(name, &pre);

		for (size_t p = 0; k >= 0 && p < n; p++)
			if (strlen(R->names[p]) == pre &&
			    strncmp(R->names[p], name, pre) == 0) {
				map[k][p] = (int)c;
				break;
			}
	}
	R->c.dir = at_col(r, "dir");
	R->c.at = at_col(r, "at");
	R->c.seq = at_col(r, "seq");
	R->c.born = at_col(r, "born");
	if (R->c.seq < 0 || (R->o.every_ns > 0 && R->c.born < 0)) {
		at_warn_header(r, "no %s column (seqjoin's output)",
		    R->c.seq < 0 ? "seq" : "born");
		return -1;
	}
	/* Without dir (seqjoin's output before directions): one direction
	 * of unknown vantage, which -m auto says when it picks the metric. */
	return 0;
}

/* A delay field: 0 (NaN when empty), or -1 after a message. */
static int
get_delay(const struct at_reader *r, int col, double *x)
{
	int got;

	*x = NAN;
	if (col < 0)
		return 0;
	got = at_get_double(r, col, x);
	if (got == 0)
		*x = NAN;
	return got < 0 ? -1 : 0;
}

static void
acc_add(struct acc *a, int d, uint64_t seq, const struct run *R,
    const double *rtt, const double *owd, const unsigned char *present)
{
	struct dirstat *ds = &a->d[d];
	uint64_t rec = ds->lines++;

	if (rec == 0 || seq < ds->lo)
		ds->lo = seq;
	if (rec == 0 || seq > ds->hi)
		ds->hi = seq;
	st_u64vec_push(&ds->seqs, seq);
	for (size_t p = 0; p < R->npaths; p++) {
		if (!present[p])
			continue;
		series_push(&ds->paths[p], (struct obs){ rec, rtt[p], owd[p] });
		ds->has[M_RTT] |= !isnan(rtt[p]);
		ds->has[M_OWD] |= !isnan(owd[p]);
	}
}

static int
parse_dir(const struct at_reader *r, const struct run *R, int *d)
{
	const char *s = at_get(r, R->c.dir);

	if (R->c.dir < 0)
		*d = DIR_NONE;
	else if (strcmp(s, "ul") == 0)
		*d = DIR_UL;
	else if (strcmp(s, "dl") == 0)
		*d = DIR_DL;
	else {
		at_warn(r, "dir: '%s' is not ul or dl", s);
		return -1;
	}
	return 0;
}

/* The vantage of the line; lines of one direction that differ: unknown. */
static int
note_vantage(const struct at_reader *r, struct run *R, int d)
{
	const char *s = at_get(r, R->c.at);
	enum vantage v;

	if (*s == '\0' || strcmp(s, "unknown") == 0)
		v = AT_UNKNOWN;
	else if (strcmp(s, "sender") == 0)
		v = AT_SENDER;
	else if (strcmp(s, "receiver") == 0)
		v = AT_RECEIVER;
	else {
		at_warn(r, "at: '%s' is not sender, receiver or unknown", s);
		return -1;
	}
	if (!R->at_seen[d]) {
		R->at_seen[d] = 1;
		R->at[d] = v;
	} else if (R->at[d] != v && R->at[d] != AT_UNKNOWN) {
		at_warn(r, "%s: at=%s after at=%s: the vantage of this "
		    "direction is taken as unknown", dir_names[d], at_names[v],
		    at_names[R->at[d]]);
		R->at[d] = AT_UNKNOWN;
	}
	return 0;
}

/*
 * The metric of direction d, decided when it is first printed, from the
 * vantage and what the lines so far hold; said on stderr when it is not
 * what the vantage measures.
 */
static void
decide_metric(struct run *R, int d)
{
	const struct dirstat *ds = &R->total.d[d];
	const char *dn = d == DIR_NONE ? "the records" : dir_names[d];
	enum vantage at = R->at[d];
	enum metric m = R->o.metric;

	if (R->metric[d] != M_AUTO)
		return;
	if (m == M_AUTO) {
		if (at == AT_RECEIVER)
			m = M_OWD;
		else if (ds->has[M_RTT])
			m = M_RTT;
		else
			m = M_OWD;
		if (at == AT_SENDER && m == M_OWD)
			warnx("%s: no rtt values (UDP carries none): owd, "
			    "which at the sender is only the sending host's "
			    "own delay", dn);
		else if (at == AT_UNKNOWN && m == M_RTT)
			warnx("%s: vantage unknown: rtt, a path round trip "
			    "only if the capture was taken at the sender", dn);
		else if (at == AT_UNKNOWN)
			warnx("%s: vantage unknown and no rtt values: owd, a "
			    "one-way delay only if the capture was taken at "
			    "the receiver", dn);
	} else if (m == M_RTT && at == AT_RECEIVER)
		warnx("%s: -m rtt: the capture is at the receiver, which "
		    "sees only its own ACK delay, not a round trip", dn);
	else if (m == M_OWD && at == AT_SENDER)
		warnx("%s: -m owd: the capture is at the sender: owd is only "
		    "the sending host's own delay, not a one-way delay", dn);
	R->metric[d] = m;
	R->measurable[d] = ds->has[m];
	if (!R->measurable[d])
		warnx("%s: no %s values%s: n, loss and the statistics are "
		    "left empty", dn, metric_names[m],
		    m == M_RTT ? " (a capture at the receiver, or UDP)" : "");
}

/* Whether path p belongs to direction d (DESIGN.md, seqjoin's output). */
static int
belongs(const struct run *R, int d, size_t p)
{
	if (R->total.d[d].paths[p].n > 0)
		return 1;
	for (int e = 0; e < NDIRS; e++)
		if (R->total.d[e].paths[p].n > 0)
			return 0;
	return R->total.d[d].lines > 0;
}

/* The records of ds from seq lo on: its lines and the seqs none has. */
static uint64_t
records_sent(struct dirstat *ds, uint64_t lo)
{
	uint64_t in_range = 0, span;

	if (ds->hi < lo)
		return ds->lines;
	st_u64vec_distinct(&ds->seqs);	/* sorts */
	for (size_t i = 0; i < ds->seqs.n; i++)
		in_range += ds->seqs.v[i] >= lo && (i == 0 ||
		    ds->seqs.v[i] != ds->seqs.v[i - 1]);
	span = ds->hi - lo + 1;
	return ds->lines + (span - in_range);
}

static double
obs_value(const struct run *R, int d, size_t p, const struct obs *o)
{
	if (R->metric[d] == M_RTT)
		return o->rtt;
	if (R->offset[d] != NULL)
		return o->owd - R->offset[d][p];
	return o->owd;
}

/* Per record the minimum of the delivered copies on paths a and b. */
static size_t
pair_minima(struct run *R, const struct dirstat *ds, int d, size_t a,
    size_t b)
{
	const struct series *sa = &ds->paths[a], *sb = &ds->paths[b];
	size_t i = 0, j = a == b ? sb->n : 0;

	R->minima.n = 0;
	while (i < sa->n || j < sb->n) {
		double x = NAN, y = NAN;

		if (j == sb->n || (i < sa->n && sa->v[i].rec < sb->v[j].rec))
			x = obs_value(R, d, a, &sa->v[i++]);
		else if (i == sa->n || sb->v[j].rec < sa->v[i].rec)
			y = obs_value(R, d, b, &sb->v[j++]);
		else {
			x = obs_value(R, d, a, &sa->v[i++]);
			y = obs_value(R, d, b, &sb->v[j++]);
		}
		if (isnan(x) || (!isnan(y) && y < x))
			x = y;
		if (!isnan(x))
			st_vec_push(&R->minima, x);
	}
	return R->minima.n;
}

static void
put_num(struct at_writer *w, double x, const char *fmt)
{
	if (isnan(x))
		at_put(w, "");
	else
		at_putf(w, fmt, x);
}

static void
put_interval(struct run *R, const int64_t *start)
{
	if (R->o.every_ns == 0)
		return;
	if (start == NULL)
		at_put(&R->w, "");
	else
		nst_put_ms(&R->w, *start);
}

static void
print_row(struct run *R, struct dirstat *ds, int d, size_t a, size_t b,
    uint64_t sent, const int64_t *start)
{
	struct at_writer *w = &R->w;
	struct st_summary s;
	size_t n = pair_minima(R, ds, d, a, b);

	st_summarise(R->minima.v, n, sent, R->o.threshold, &s);
	put_interval(R, start);
	at_put(w, dir_names[d]);
	at_put(w, metric_names[R->metric[d]]);
	at_put(w, R->names[a]);
	at_put(w, R->names[b]);
	at_putf(w, "%" PRIu64, sent);
	if (!R->measurable[d]) {
		for (int k = ST_N; k < ST_NFIELDS; k++)
			at_put(w, "");
		at_end(w);
		return;
	}
	at_putf(w, "%" PRIu64, s.n);
	put_num(w, s.loss, "%.6f");
	put_num(w, s.mean, "%.3f");
	put_num(w, s.median, "%.3f");
	put_num(w, s.p95, "%.3f");
	put_num(w, s.p99, "%.3f");
	put_num(w, s.max, "%.3f");
	put_num(w, s.excess, "%.6f");
	at_end(w);
}

/*
 * A curve of the records sent: the delivered values' quantile k/STEPS is
 * reached by the fraction k/STEPS * n/sent of the records sent, so a curve
 * ends at 1 - loss; the lost records (infinite) are not drawn.
 */
static void
print_curve(struct run *R, struct dirstat *ds, int d, size_t a, size_t b,
    uint64_t sent)
{
	struct at_writer *w = &R->w;
	size_t n = pair_minima(R, ds, d, a, b);
	if (!R->measurable[d] || n == 0)
		return;
	st_sort(R->minima.v, n);
	for (int k = 0; k <= CDF_STEPS; k++) {
		double p = (double)k / CDF_STEPS;

		at_put(w, dir_names[d]);
		at_put(w, metric_names[R->metric[d]]);
		at_put(w, R->names[a]);
		at_put(w, R->names[b]);
		at_putf(w, "%.6f", p * (double)n / (double)sent);
		at_putf(w, "%.3f", st_quantile_sorted(R->minima.v, n, p));
		at_end(w);
	}
}

/* Every row of direction d of `a`: its paths, then its pairs. */
static void
print_dir(struct run *R, struct acc *A, int d, uint64_t lo,
    const int64_t *start)
{
	struct dirstat *ds = &A->d[d];
	uint64_t sent = records_sent(ds, lo);
	size_t members = 0;

	for (size_t a = 0; a < R->npaths; a++)
		members += belongs(R, d, a);
	if (members == 0) {
		if (start == NULL)
			warnx("%s: %" PRIu64 " lines, but no path has a value "
			    "on any of them: no rows", dir_names[d], ds->lines);
		return;
	}
	decide_metric(R, d);
	for (size_t a = 0; a < R->npaths; a++)
		if (belongs(R, d, a)) {
			if (R->o.cdf)
				print_curve(R, ds, d, a, a, sent);
			else
				print_row(R, ds, d, a, a, sent, start);
		}
	for (size_t a = 0; a < R->npaths; a++)
		for (size_t b = a + 1; b < R->npaths; b++)
			if (belongs(R, d, a) && belongs(R, d, b)) {
				if (R->o.cdf)
					print_curve(R, ds, d, a, b, sent);
				else
					print_row(R, ds, d, a, b, sent, start);
			}
}

/* --every: prints the open interval, from where the last one ended. */
static int
close_interval(struct run *R)
{
	if (!R->part_open)
		return 0;
	for (int d = 0; d < NDIRS; d++) {
		struct dirstat *ds = &R->part.d[d];
		uint64_t lo;

		if (ds->lines == 0)
			continue;
		lo = R->printed_any[d] ? R->printed_hi[d] + 1 : ds->lo;
		print_dir(R, &R->part, d, lo, &R->part_start);
		if (!R->printed_any[d] || ds->hi > R->printed_hi[d])
			R->printed_hi[d] = ds->hi;
		R->printed_any[d] = 1;
	}
	acc_reset(&R->part, R->npaths);
	R->part_open = 0;
	if (at_flush(&R->w) != 0) {
		warn("write error");
		return -1;
	}
	return 0;
}

/* --every: the start of the interval of send time `born_ns` is in. */
static int64_t
interval_of(const struct run *R, int64_t born_ns)
{
	int64_t k = born_ns / R->o.every_ns;

	if (born_ns % R->o.every_ns < 0)
		k--;
	return k * R->o.every_ns;
}

/* Reads one line into the run; 0, or -1 after a message. */
static int
read_line(struct at_reader *r, struct run *R, double *rtt, double *owd,
    unsigned char *present)
{
	uint64_t seq;
	int64_t born = 0, start;
	int d, got;

	if (parse_dir(r, R, &d) != 0 || note_vantage(r, R, d) != 0)
		return -1;
	if ((got = at_get_u64(r, R->c.seq, &seq)) < 0)
		return -1;
	if (got == 0 || seq > MAX_SEQ) {
		at_warn(r, "seq: '%s' is not a sequence number (0..%" PRIu64
		    ")", at_get(r, R->c.seq), MAX_SEQ);
		return -1;
	}
	if (R->o.every_ns > 0 &&
	    (*at_get(r, R->c.born) == '\0' ||
	    nst_parse_ms(at_get(r, R->c.born), &born) != 0)) {
		at_warn(r, "born: '%s' is not a send time in ms",
		    at_get(r, R->c.born));
		return -1;
	}
	for (size_t p = 0; p < R->npaths; p++) {
		if (get_delay(r, R->c.rtt[p], &rtt[p]) != 0 ||
		    get_delay(r, R->c.owd[p], &owd[p]) != 0)
			return -1;
		present[p] = !isnan(rtt[p]) || !isnan(owd[p]) ||
		    *at_get(r, R->c.time[p]) != '\0' ||
		    *at_get(r, R->c.retx[p]) != '\0';
	}
	acc_add(&R->total, d, seq, R, rtt, owd, present);
	if (R->o.every_ns == 0)
		return 0;
	start = interval_of(R, born);
	if (R->part_open && start > R->part_start &&
	    close_interval(R) != 0)
		return -1;
	if (!R->part_open) {
		R->part_open = 1;
		R->part_start = start;
	}
	if (start < R->part_start)
		R->late++;
	else
		acc_add(&R->part, d, seq, R, rtt, owd, present);
	return 0;
}

static int
read_lines(struct at_reader *r, struct run *R)
{
	double *rtt = ecalloc(R->npaths, sizeof(*rtt));
	double *owd = ecalloc(R->npaths, sizeof(*owd));
	unsigned char *present = ecalloc(R->npaths, 1);
	int rc;

	while ((rc = at_next(r)) == 1)
		if (read_line(r, R, rtt, owd, present) != 0) {
			rc = -1;
			break;
		}
	free(rtt);
	free(owd);
	free(present);
	return rc;
}

/* --offset min: each path's smallest owd in each direction. */
static void
find_offsets(struct run *R)
{
	for (int d = 0; d < NDIRS; d++) {
		struct dirstat *ds = &R->total.d[d];

		if (ds->lines == 0)
			continue;
		decide_metric(R, d);
		if (R->metric[d] != M_OWD) {
			warnx("%s: --offset min: the metric is %s, not owd: no "
			    "offset subtracted", d == DIR_NONE ? "the records" :
			    dir_names[d], metric_names[R->metric[d]]);
			continue;
		}
		R->offset[d] = ecalloc(R->npaths, sizeof(double));
		for (size_t p = 0; p < R->npaths; p++) {
			double lo = INFINITY;

			for (size_t i = 0; i < ds->paths[p].n; i++)
				if (ds->paths[p].v[i].owd < lo)
					lo = ds->paths[p].v[i].owd;
			R->offset[d][p] = isfinite(lo) ? lo : 0;
		}
	}
}

static void
print_header(struct run *R)
{
	static const char *const cdf_cols[] = { "dir", "metric", "a", "b",
	    "q", "value" };

	if (R->o.cdf) {
		for (size_t c = 0; c < sizeof(cdf_cols) / sizeof(*cdf_cols); c++)
			at_put(&R->w, cdf_cols[c]);
	} else {
		if (R->o.every_ns > 0)
			at_put(&R->w, "start");
		at_put(&R->w, "dir");
		at_put(&R->w, "metric");
		at_put(&R->w, "a");
		at_put(&R->w, "b");
		for (int f = 0; f < ST_NFIELDS; f++)
			at_put(&R->w, st_field_name((enum st_field)f));
	}
	at_end(&R->w);
}

static void
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "offset", required_argument, NULL, 'O' },
		{ "cdf", no_argument, NULL, 'C' },
		{ "every", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->metric = M_AUTO;
	o->threshold = 100;
	while ((ch = getopt_long(argc, argv, "m:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (strcmp(optarg, "auto") == 0)
				o->metric = M_AUTO;
			else if (strcmp(optarg, "rtt") == 0)
				o->metric = M_RTT;
			else if (strcmp(optarg, "owd") == 0)
				o->metric = M_OWD;
			else {
				warnx("-m: '%s': want auto, rtt or owd",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		case 't':
			if (num_double(optarg, 0, DBL_MAX, &o->threshold) !=
			    NUM_OK || o->threshold <= 0) {
				warnx("-t: '%s' is not a positive number of ms",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		case 'O':
			if (strcmp(optarg, "min") != 0) {
				warnx("--offset: '%s': want min", optarg);
				tk_usage(synopsis);
			}
			o->offset_min = 1;
			break;
		case 'C':
			o->cdf = 1;
			break;
		case 'E':
			o->every_ns = opt_seconds("--every", optarg, NST_MS,
			    INT64_C(366) * 86400 * NST_S,
			    "a number of seconds");
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (o->offset_min && o->metric == M_RTT) {
		warnx("--offset min removes a clock offset from owd: not with "
		    "-m rtt");
		tk_usage(synopsis);
	}
	if (o->every_ns > 0 && (o->cdf || o->offset_min)) {
		warnx("--every prints as it reads: not with %s, which needs "
		    "the whole run", o->cdf ? "--cdf" : "--offset min");
		tk_usage(synopsis);
	}
}

static void
run_free(struct run *R)
{
	for (size_t p = 0; p < R->npaths; p++)
		free(R->names[p]);
	free(R->names);
	free(R->c.time);
	free(R->c.rtt);
	free(R->c.owd);
	free(R->c.retx);
	acc_free(&R->total, R->npaths);
	acc_free(&R->part, R->npaths);
	for (int d = 0; d < NDIRS; d++)
		free(R->offset[d]);
	st_vec_free(&R->minima);
	at_writer_free(&R->w);
}

int
main(int argc, char **argv)
{
	struct run R;
	struct at_reader *r;
	uint64_t lines = 0;
	int status = 0;

	tk_std_options(argc, argv, synopsis, options);
	memset(&R, 0, sizeof(R));
	parse_options(argc, argv, &R.o);
	at_writer_init(&R.w, stdout);

	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		run_free(&R);
		return EXIT_DATA;
	}
	if (find_paths(r, &R) != 0) {
		at_reader_free(r);
		run_free(&R);
		return EXIT_DATA;
	}
	acc_init(&R.total, R.npaths);
	acc_init(&R.part, R.npaths);
	/* With --every the intervals come as they are read; else nothing is
	 * printed before the whole input has been read without error. */
	if (R.o.every_ns > 0)
		print_header(&R);
	if (read_lines(r, &R) != 0)
		status = EXIT_DATA;
	for (int d = 0; d < NDIRS; d++)
		lines += R.total.d[d].lines;
	if (status == 0 && lines == 0) {
		at_warn_header(r, "no records: nothing to summarise (is this "
		    "seqjoin's output of a capture holding records?)");
		status = EXIT_DATA;
	}
	at_reader_free(r);
	if (status != 0) {
		/* Intervals already printed stay; nothing else is added. */
		if (R.o.every_ns > 0)
			(void)at_flush(&R.w);
		run_free(&R);
		return status;
	}

	if (R.o.every_ns > 0 && close_interval(&R) != 0)
		status = EXIT_DATA;
	if (R.late > 0)
		warnx("%" PRIu64 " records came after their interval had been "
		    "printed: in the totals only", R.late);
	if (R.o.offset_min)
		find_offsets(&R);
	if (R.o.every_ns == 0)
		print_header(&R);
	for (int d = 0; d < NDIRS; d++)
		if (R.total.d[d].lines > 0)
			print_dir(&R, &R.total, d, R.total.d[d].lo, NULL);
	if (at_flush(&R.w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	run_free(&R);
	return status;
}
