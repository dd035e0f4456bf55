/*
 * heatmat: one statistic of rttpairs' output as an N x N matrix per
 * direction, paths in the order rttpairs gives them, the single paths on
 * the diagonal, each pair in the upper triangle.  The layout is what
 * gnuplot reads with `matrix rowheaders columnheaders` (share/heatmap.gp):
 * a label row, a label column, empty fields where there is no value, and
 * the matrices of the directions one after another, two blank lines apart
 * (gnuplot's `index`).
 */
#include <err.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_matrix.h>

#include "atcsv.h"
#include "common.h"
#include "stats.h"
#include "util.h"

static const char synopsis[] =
    "[-s sent|n|loss|mean|median|p95|p99|max|excess] [-d ul|dl] [-t MS] "
    "[FILE...]";
static const char options[] =
    "  -s STAT      the statistic of rttpairs in the matrix (mean)\n"
    "  -d DIR       only the matrix of direction ul or dl\n"
    "  -t MS        the threshold rttpairs -t used, for the plot's title\n";

/* Upper bound on paths: a matrix this size is far beyond any experiment. */
#define MAX_PATHS 1024

enum { DIR_UL, DIR_DL, DIR_NONE, NDIRS };
static const char *const dir_names[NDIRS] = { "ul", "dl", "" };

struct cell {
	size_t a, b;
	double value;		/* NaN: no value */
};

/* One direction's paths (in order of appearance) and cells. */
struct dirmat {
	char **name;
	size_t n;
	struct cell *cells;
	size_t ncells, cellcap;
	char *metric;
	size_t metric_line;
	size_t *line;		/* MAX_PATHS^2: the row of each cell, 0 */
};

struct input {
	struct dirmat d[NDIRS];
	int order[NDIRS];	/* directions in order of appearance */
	int ndirs;
	uint64_t intervals;	/* --every rows left out */
};

struct cols {
	int start, dir, metric, a, b, stat;
};

static size_t
label_index(struct dirmat *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return i;
	if (m->n == MAX_PATHS)
		return SIZE_MAX;
	m->name = ereallocarray(m->name, m->n + 1, sizeof(*m->name));
	m->name[m->n] = estrdup(name);
	return m->n++;
}

static void
input_free(struct input *in)
{
	for (int d = 0; d < NDIRS; d++) {
		struct dirmat *m = &in->d[d];

		for (size_t i = 0; i < m->n; i++)
			free(m->name[i]);
		free(m->name);
		free(m->cells);
		free(m->metric);
		free(m->line);
	}
}

/* The statistic of the row: 0 (NaN when empty), or -1 after a message. */
static int
read_value(const struct at_reader *r, int col, enum st_field f, double *x)
{
	uint64_t count;
	int got;

	*x = NAN;
	if (st_field_is_count(f)) {
		if ((got = at_get_u64(r, col, &count)) == 1)
			*x = (double)count;
		return got < 0 ? -1 : 0;
	}
	if ((got = at_get_double(r, col, x)) <= 0) {
		*x = NAN;
		return got;
	}
	if (st_field_is_fraction(f) && (*x < 0 || *x > 1)) {
		at_warn(r, "%s: '%s' is not a fraction (0..1)",
		    at_colname(r, (size_t)col), at_get(r, col));
		return -1;
	}
	return 0;
}

/* One row of rttpairs into a cell: 0, or -1 after a message. */
static int
read_cell(const struct at_reader *r, const struct cols *c, enum st_field f,
    int want_dir, struct input *in)
{
	const char *dir = at_get(r, c->dir), *metric = at_get(r, c->metric);
	struct dirmat *m;
	struct cell cell;
	size_t i, j;
	int d;

	if (c->start >= 0 && *at_get(r, c->start) != '\0') {
		in->intervals++;
		return 0;
	}
	if (c->dir < 0)
		d = DIR_NONE;
	else if (strcmp(dir, "ul") == 0)
		d = DIR_UL;
	else if (strcmp(dir, "dl") == 0)
		d = DIR_DL;
	else if (*dir == '\0')
		d = DIR_NONE;
	else {
		at_warn(r, "dir: '%s' is not ul or dl", dir);
		return -1;
	}
	if (want_dir >= 0 && d != want_dir)
		return 0;
	m = &in->d[d];
	if (m->metric == NULL) {
		m->metric = estrdup(metric);
		m->metric_line = at_line(r);
		in->order[in->ndirs++] = d;
	} else if (strcmp(m->metric, metric) != 0) {
		at_warn(r, "metric '%s' after '%s' (line %zu): one metric per "
		    "matrix", metric, m->metric, m->metric_line);
		return -1;
	}
	if (*metric == '\0' || strchr(metric, ' ') != NULL) {
		at_warn(r, "metric: '%s' is not a metric name", metric);
		return -1;
	}
	if (*at_get(r, c->a) == '\0' || *at_get(r, c->b) == '\0') {
		at_warn(r, "empty path name");
		return -1;
	}
	i = label_index(m, at_get(r, c->a));
	j = label_index(m, at_get(r, c->b));
	if (i == SIZE_MAX || j == SIZE_MAX) {
		at_warn(r, "more than %d paths", MAX_PATHS);
		return -1;
	}
	if (read_value(r, c->stat, f, &cell.value) != 0)
		return -1;
	cell.a = i < j ? i : j;	/* upper triangle, whatever the order */
	cell.b = i < j ? j : i;
	/* calloc'd pages are mapped as they are touched: memory by use. */
	if (m->line == NULL)
		m->line = ecalloc((size_t)MAX_PATHS * MAX_PATHS,
		    sizeof(*m->line));
	if (m->line[cell.a * MAX_PATHS + cell.b] != 0) {
		at_warn(r, "%s%s%s, %s: a second row for this cell (the first "
		    "is line %zu)", dir_names[d], d == DIR_NONE ? "" : ": ",
		    m->name[cell.a], m->name[cell.b],
		    m->line[cell.a * MAX_PATHS + cell.b]);
		return -1;
	}
	m->line[cell.a * MAX_PATHS + cell.b] = at_line(r);
	if (m->ncells == m->cellcap) {
		m->cellcap = m->cellcap ? 2 * m->cellcap : 64;
		m->cells = ereallocarray(m->cells, m->cellcap,
		    sizeof(*m->cells));
	}
	m->cells[m->ncells++] = cell;
	return 0;
}

/* The matrix of one direction. */
static gsl_matrix *
build_matrix(const struct dirmat *m)
{
	gsl_matrix *mat = gsl_matrix_alloc(m->n, m->n);

	gsl_matrix_set_all(mat, NAN);
	for (size_t k = 0; k < m->ncells; k++)
		gsl_matrix_set(mat, m->cells[k].a, m->cells[k].b,
		    m->cells[k].value);
	return mat;
}

static void
print_matrix(struct at_writer *w, int d, const struct dirmat *m,
    const gsl_matrix *mat, enum st_field f, const char *threshold)
{
	/* The corner cell, words for heatmap.gp's title: direction ("-" for
	 * none), metric, statistic, and the threshold when given. */
	at_putf(w, "%s %s %s%s%s", d == DIR_NONE ? "-" : dir_names[d],
	    m->metric, st_field_name(f), threshold ? " " : "",
	    threshold ? threshold : "");
	for (size_t j = 0; j < m->n; j++)
		at_put(w, m->name[j]);
	at_end(w);
	for (size_t i = 0; i < m->n; i++) {
		at_put(w, m->name[i]);
		for (size_t j = 0; j < m->n; j++) {
			double x = gsl_matrix_get(mat, i, j);

			if (isnan(x))
				at_put(w, "");
			else if (st_field_is_count(f))
				at_putf(w, "%.0f", x);
			else if (st_field_is_fraction(f))
				at_putf(w, "%.6f", x);
			else
				at_putf(w, "%.3f", x);
		}
		at_end(w);
	}
}

int
main(int argc, char **argv)
{
	const char *stat = "mean", *threshold = NULL;
	struct at_reader *r;
	struct at_writer w;
	struct input in;
	struct cols c;
	gsl_matrix *mat;
	enum st_field f;
	double t;
	int ch, rc, want_dir = -1, status = 0;

	tk_std_options(argc, argv, synopsis, options);
	while ((ch = getopt(argc, argv, "s:d:t:")) != -1) {
		switch (ch) {
		case 's':
			if (st_field_by_name(optarg) < 0) {
				warnx("-s: '%s' is not a statistic of rttpairs",
				    optarg);
				tk_usage(synopsis);
			}
			stat = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "ul") == 0)
				want_dir = DIR_UL;
			else if (strcmp(optarg, "dl") == 0)
				want_dir = DIR_DL;
			else {
				warnx("-d: '%s': want ul or dl", optarg);
				tk_usage(synopsis);
			}
			break;
		case 't':
			if (num_double(optarg, 0, DBL_MAX, &t) != NUM_OK ||
			    t <= 0) {
				warnx("-t: '%s' is not a positive number of ms",
				    optarg);
				tk_usage(synopsis);
			}
			threshold = optarg;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	f = (enum st_field)st_field_by_name(stat);
	memset(&in, 0, sizeof(in));
	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL)
		return EXIT_DATA;
	if (at_require(r, (const char *const[]){ "metric", "a", "b", stat,
	    NULL }) != 0) {
		at_reader_free(r);
		return EXIT_DATA;
	}
	c.start = at_col(r, "start");
	c.dir = at_col(r, "dir");
	c.metric = at_col(r, "metric");
	c.a = at_col(r, "a");
	c.b = at_col(r, "b");
	c.stat = at_col(r, stat);

	/* Cells are kept until the end: the path count is known only then. */
	while ((rc = at_next(r)) == 1)
		if (read_cell(r, &c, f, want_dir, &in) != 0) {
			rc = -1;
			break;
		}
	if (rc == 0 && in.ndirs == 0) {
		if (want_dir >= 0)
			at_warn_header(r, "no %s rows: nothing to put in a "
			    "matrix (rttpairs found no %s records?)",
			    dir_names[want_dir], dir_names[want_dir]);
		else
			at_warn_header(r, "no rows: nothing to put in a "
			    "matrix");
		rc = -1;
	}
	at_reader_free(r);
	if (rc < 0) {
		input_free(&in);
		return EXIT_DATA;
	}
	if (in.intervals > 0)
		warnx("%" PRIu64 " rows of rttpairs --every intervals left "
		    "out: the matrix is of the totals", in.intervals);

	at_writer_init(&w, stdout);
	for (int k = 0; k < in.ndirs; k++) {
		int d = in.order[k];

		if (k > 0) {
			at_end(&w);	/* two blank lines: gnuplot's index */
			at_end(&w);
		}
		mat = build_matrix(&in.d[d]);
		print_matrix(&w, d, &in.d[d], mat, f, threshold);
		gsl_matrix_free(mat);
	}
	if (at_flush(&w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	at_writer_free(&w);
	input_free(&in);
	return status;
}
