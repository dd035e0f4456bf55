/*
 * heatmat: one statistic of rttpairs' output as an N x N matrix, paths in
 * the order rttpairs gives them, the single paths on the diagonal, each pair
 * in the upper triangle.  The layout is what gnuplot reads with
 * `matrix rowheaders columnheaders` (share/heatmap.gp): a label row, a label
 * column, empty fields where there is no value.
 */
#include <err.h>
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
    "[-s mean|median|p95|p99|max|excess|n] [FILE...]";
static const char options[] =
    "  -s STAT      the statistic of rttpairs in the matrix (mean)\n";

/* Upper bound on paths: a matrix this size is far beyond any experiment. */
#define MAX_PATHS 1024

struct cell {
	size_t a, b;
	double value;
};

struct labels {
	char **name;
	size_t n;
};

static size_t
label_index(struct labels *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return i;
	if (l->n == MAX_PATHS)
		return SIZE_MAX;
	l->name = ereallocarray(l->name, l->n + 1, sizeof(*l->name));
	l->name[l->n] = estrdup(name);
	return l->n++;
}

struct input {
	struct labels labels;
	struct cell *cells;
	size_t ncells, cellcap;
	char *metric;
};

static void
input_free(struct input *in)
{
	for (size_t i = 0; i < in->labels.n; i++)
		free(in->labels.name[i]);
	free(in->labels.name);
	free(in->cells);
	free(in->metric);
}

/* One row of rttpairs into a cell: 0, or -1 after a message. */
static int
read_cell(const struct at_reader *r, const int *col, struct input *in)
{
	struct cell c;
	size_t i, j;
	int got;

	if (in->metric == NULL) {
		in->metric = estrdup(at_get(r, col[0]));
	} else if (strcmp(in->metric, at_get(r, col[0])) != 0) {
		at_warn(r, "metric '%s' after '%s': one metric per matrix",
		    at_get(r, col[0]), in->metric);
		return -1;
	}
	if (*at_get(r, col[1]) == '\0' || *at_get(r, col[2]) == '\0') {
		at_warn(r, "empty path name");
		return -1;
	}
	i = label_index(&in->labels, at_get(r, col[1]));
	j = label_index(&in->labels, at_get(r, col[2]));
	if (i == SIZE_MAX || j == SIZE_MAX) {
		at_warn(r, "more than %d paths", MAX_PATHS);
		return -1;
	}
	if ((got = at_get_double(r, col[3], &c.value)) < 0)
		return -1;
	if (got == 0)
		c.value = NAN;
	c.a = i < j ? i : j;	/* upper triangle, whatever the order */
	c.b = i < j ? j : i;
	if (in->ncells == in->cellcap) {
		in->cellcap = in->cellcap ? 2 * in->cellcap : 64;
		in->cells = ereallocarray(in->cells, in->cellcap,
		    sizeof(*in->cells));
	}
	in->cells[in->ncells++] = c;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *stat = "mean";
	struct at_reader *r;
	struct at_writer w;
	struct input in = { { NULL, 0 }, NULL, 0, 0, NULL };
	gsl_matrix *m;
	int ch, rc, col[4], status = 0;

	tk_std_options(argc, argv, synopsis, options);
	while ((ch = getopt(argc, argv, "s:")) != -1) {
		switch (ch) {
		case 's':
			if (st_field_by_name(optarg) < 0) {
				warnx("-s: '%s' is not a statistic of rttpairs",
				    optarg);
				tk_usage(synopsis);
			}
			stat = optarg;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL)
		return EXIT_DATA;
	if (at_require(r, (const char *const[]){ "metric", "a", "b", stat,
	    NULL }) != 0) {
		at_reader_free(r);
		return EXIT_DATA;
	}
	col[0] = at_col(r, "metric");
	col[1] = at_col(r, "a");
	col[2] = at_col(r, "b");
	col[3] = at_col(r, stat);

	/* Cells are kept until the end: the path count is known only then. */
	while ((rc = at_next(r)) == 1)
		if (read_cell(r, col, &in) != 0) {
			rc = -1;
			break;
		}
	if (rc == 0 && in.labels.n == 0) {
		at_warn_header(r, "no rows: nothing to put in a matrix");
		rc = -1;
	}
	at_reader_free(r);
	if (rc < 0) {
		input_free(&in);
		return EXIT_DATA;
	}

	m = gsl_matrix_alloc(in.labels.n, in.labels.n);
	gsl_matrix_set_all(m, NAN);
	for (size_t k = 0; k < in.ncells; k++)
		gsl_matrix_set(m, in.cells[k].a, in.cells[k].b,
		    in.cells[k].value);

	at_writer_init(&w, stdout);
	at_putf(&w, "%s.%s", in.metric, stat);
	for (size_t j = 0; j < in.labels.n; j++)
		at_put(&w, in.labels.name[j]);
	at_end(&w);
	for (size_t i = 0; i < in.labels.n; i++) {
		at_put(&w, in.labels.name[i]);
		for (size_t j = 0; j < in.labels.n; j++) {
			double x = gsl_matrix_get(m, i, j);

			if (isnan(x))
				at_put(&w, "");
			else if (strcmp(stat, "n") == 0)
				at_putf(&w, "%.0f", x);
			else if (strcmp(stat, "excess") == 0)
				at_putf(&w, "%.6f", x);
			else
				at_putf(&w, "%.3f", x);
		}
		at_end(&w);
	}
	if (at_flush(&w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	at_writer_free(&w);
	gsl_matrix_free(m);
	input_free(&in);
	return status;
}
