/*
 * rttpairs: what redundancy delivers.  Reads seqjoin's rows and, for every
 * path and every pair of paths, takes per record the smaller RTT (or OWD) of
 * the copies present on both, then summarises those minima.
 */
#include <err.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"
#include "stats.h"
#include "util.h"

static const char synopsis[] =
    "[-m rtt|owd] [-t MS] [--offset min] [--cdf] [FILE...]";
static const char options[] =
    "  -m METRIC    rtt or owd (rtt)\n"
    "  -t MS        threshold of the excess fraction, in ms (100)\n"
    "  --offset min subtract each path's smallest owd (clock offset)\n"
    "  --cdf        quantile curves instead of statistics\n";

/* Quantile points per curve with --cdf: q = 0, 1/CDF_STEPS, ..., 1. */
#define CDF_STEPS 200

struct path {
	char *name;		/* column prefix: a port or a label */
	int col;		/* column of <name>.<metric> */
	struct st_vec val;	/* one value per row, NaN when absent */
};

struct opts {
	const char *metric;
	double threshold;
	int offset_min;
	int cdf;
};

/* Every column named <path>.<metric>, in header order. */
static struct path *
find_paths(const struct at_reader *r, const char *metric, size_t *npaths)
{
	size_t mlen = strlen(metric), n = 0;
	struct path *paths = ecalloc(at_ncols(r), sizeof(*paths));

	for (size_t c = 0; c < at_ncols(r); c++) {
		const char *name = at_colname(r, c);
		size_t len = strlen(name);

		if (len <= mlen + 1 || name[len - mlen - 1] != '.' ||
		    strcmp(name + len - mlen, metric) != 0)
			continue;
		paths[n].name = estrndup(name, len - mlen - 1);
		paths[n].col = (int)c;
		n++;
	}
	*npaths = n;
	return paths;
}

static void
free_paths(struct path *paths, size_t npaths)
{
	for (size_t p = 0; p < npaths; p++) {
		free(paths[p].name);
		st_vec_free(&paths[p].val);
	}
	free(paths);
}

/* Reads every row into the paths' value vectors: 0, or -1 after a message. */
static int
read_rows(struct at_reader *r, struct path *paths, size_t npaths,
    size_t *nrows)
{
	int rc;

	*nrows = 0;
	while ((rc = at_next(r)) == 1) {
		for (size_t p = 0; p < npaths; p++) {
			double x = NAN;
			int got = at_get_double(r, paths[p].col, &x);

			if (got < 0)
				return -1;
			if (got == 1 && !isfinite(x)) {
				at_warn(r, "%s: '%s' is not a finite number",
				    at_colname(r, (size_t)paths[p].col),
				    at_get(r, paths[p].col));
				return -1;
			}
			st_vec_push(&paths[p].val, got ? x : NAN);
		}
		(*nrows)++;
	}
	return rc;
}

/* Subtracts each path's minimum, the clock offset of one-way delays. */
static void
subtract_min(struct path *paths, size_t npaths, size_t nrows)
{
	for (size_t p = 0; p < npaths; p++) {
		double lo = INFINITY;

		for (size_t i = 0; i < nrows; i++)
			if (paths[p].val.v[i] < lo)
				lo = paths[p].val.v[i];
		for (size_t i = 0; i < nrows && isfinite(lo); i++)
			paths[p].val.v[i] -= lo;
	}
}

/* The per-record minima of paths a and b where both are present. */
static size_t
pair_minima(const struct path *a, const struct path *b, size_t nrows,
    double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < nrows; i++) {
		double x = a->val.v[i], y = b->val.v[i];

		if (!isnan(x) && !isnan(y))
			out[n++] = x < y ? x : y;
	}
	return n;
}

static void
put_ms(struct at_writer *w, double x)
{
	if (isnan(x))
		at_put(w, "");
	else
		at_putf(w, "%.3f", x);
}

static void
print_summary(struct at_writer *w, const struct opts *o, const char *a,
    const char *b, double *v, size_t n)
{
	struct st_summary s;

	st_summarise(v, n, o->threshold, &s);
	at_put(w, o->metric);
	at_put(w, a);
	at_put(w, b);
	at_putf(w, "%zu", s.n);
	put_ms(w, s.mean);
	put_ms(w, s.median);
	put_ms(w, s.p95);
	put_ms(w, s.p99);
	put_ms(w, s.max);
	if (isnan(s.excess))
		at_put(w, "");
	else
		at_putf(w, "%.6f", s.excess);
	at_end(w);
}

static void
print_cdf(struct at_writer *w, const struct opts *o, const char *a,
    const char *b, double *v, size_t n)
{
	struct st_summary s;

	st_summarise(v, n, o->threshold, &s);	/* sorts v */
	for (int k = 0; n > 0 && k <= CDF_STEPS; k++) {
		double q = (double)k / CDF_STEPS;

		at_put(w, o->metric);
		at_put(w, a);
		at_put(w, b);
		at_putf(w, "%.3f", q);
		at_putf(w, "%.3f", st_quantile_sorted(v, n, q));
		at_end(w);
	}
}

static void
emit(struct at_writer *w, const struct opts *o, const struct path *a,
    const struct path *b, size_t nrows, double *minima)
{
	size_t n = pair_minima(a, b, nrows, minima);

	if (o->cdf)
		print_cdf(w, o, a->name, b->name, minima, n);
	else
		print_summary(w, o, a->name, b->name, minima, n);
}

static void
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "offset", required_argument, NULL, 'O' },
		{ "cdf", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	o->metric = "rtt";
	o->threshold = 100;
	o->offset_min = 0;
	o->cdf = 0;
	while ((ch = getopt_long(argc, argv, "m:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (strcmp(optarg, "rtt") != 0 &&
			    strcmp(optarg, "owd") != 0) {
				warnx("-m: '%s': want rtt or owd", optarg);
				tk_usage(synopsis);
			}
			o->metric = optarg;
			break;
		case 't':
			o->threshold = strtod(optarg, &end);
			if (end == optarg || *end != '\0' ||
			    !isfinite(o->threshold)) {
				warnx("-t: '%s' is not a number of ms", optarg);
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
		default:
			tk_usage(synopsis);
		}
	}
	if (o->offset_min && strcmp(o->metric, "owd") != 0) {
		warnx("--offset min removes a clock offset: it needs -m owd");
		tk_usage(synopsis);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct at_reader *r;
	struct at_writer w;
	struct path *paths;
	size_t npaths, nrows;
	double *minima;
	int status = 0;

	tk_std_options(argc, argv, synopsis, options);
	parse_options(argc, argv, &o);

	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL)
		return EXIT_DATA;
	paths = find_paths(r, o.metric, &npaths);
	if (npaths == 0) {
		at_warn_header(r, "no path columns: want <path>.%s (seqjoin's "
		    "output)", o.metric);
		status = EXIT_DATA;
	} else if (read_rows(r, paths, npaths, &nrows) != 0)
		status = EXIT_DATA;
	at_reader_free(r);
	if (status != 0) {
		free_paths(paths, npaths);
		return status;
	}
	if (o.offset_min)
		subtract_min(paths, npaths, nrows);

	minima = ecalloc(nrows, sizeof(*minima));
	at_writer_init(&w, stdout);
	if (o.cdf) {
		static const char *const cdf_cols[] = { "metric", "a", "b", "q",
		    "value" };

		for (size_t c = 0; c < sizeof(cdf_cols) / sizeof(*cdf_cols); c++)
			at_put(&w, cdf_cols[c]);
	} else {
		at_put(&w, "metric");
		at_put(&w, "a");
		at_put(&w, "b");
		for (int f = ST_N; f <= ST_EXCESS; f++)
			at_put(&w, st_field_name((enum st_field)f));
	}
	at_end(&w);
	/* The single paths first, then every pair (a < b), in header order. */
	for (size_t a = 0; a < npaths; a++)
		emit(&w, &o, &paths[a], &paths[a], nrows, minima);
	for (size_t a = 0; a < npaths; a++)
		for (size_t b = a + 1; b < npaths; b++)
			emit(&w, &o, &paths[a], &paths[b], nrows, minima);
	if (at_flush(&w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	at_writer_free(&w);
	free_paths(paths, npaths);
	free(minima);
	return status;
}
