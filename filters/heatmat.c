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

static const char synopsis[] = "[-s mean|median|p95|p99|max|excess|n]";

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
	l->name = reallocarray(l->name, l->n + 1, sizeof(*l->name));
	if (l->name == NULL || (l->name[l->n] = strdup(name)) == NULL)
		err(EXIT_DATA, "out of memory");
	return l->n++;
}

int
main(int argc, char **argv)
{
	const char *stat = "mean";
	struct at_reader *r;
	struct at_writer w;
	struct labels labels = { NULL, 0 };
	struct cell *cells = NULL;
	size_t ncells = 0;
	char *metric = NULL;
	gsl_matrix *m;
	int ch, rc, col_metric, col_a, col_b, col_stat, status = 0;

	tk_std_options(argc, argv, synopsis);
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
	if (optind != argc)
		tk_usage(synopsis);

	if ((r = at_reader_open(stdin, NULL)) == NULL)
		return EXIT_DATA;
	if (at_require(r, (const char *const[]){ "metric", "a", "b", stat,
	    NULL }) != 0)
		return EXIT_DATA;
	col_metric = at_col(r, "metric");
	col_a = at_col(r, "a");
	col_b = at_col(r, "b");
	col_stat = at_col(r, stat);

	/* Cells are kept until the end: the path count is known only then. */
	while ((rc = at_next(r)) == 1) {
		struct cell c;
		size_t i, j;
		int got;

		if (metric == NULL) {
			if ((metric = strdup(at_get(r, col_metric))) == NULL)
				err(EXIT_DATA, "out of memory");
		} else if (strcmp(metric, at_get(r, col_metric)) != 0) {
			at_warn(r, "metric '%s' after '%s': one metric per "
			    "matrix", at_get(r, col_metric), metric);
			return EXIT_DATA;
		}
		if (*at_get(r, col_a) == '\0' || *at_get(r, col_b) == '\0') {
			at_warn(r, "empty path name");
			return EXIT_DATA;
		}
		i = label_index(&labels, at_get(r, col_a));
		j = label_index(&labels, at_get(r, col_b));
		if (i == SIZE_MAX || j == SIZE_MAX) {
			at_warn(r, "more than %d paths", MAX_PATHS);
			return EXIT_DATA;
		}
		got = at_get_double(r, col_stat, &c.value);
		if (got < 0)
			return EXIT_DATA;
		if (got == 0)
			c.value = NAN;
		c.a = i < j ? i : j;	/* upper triangle, whatever the order */
		c.b = i < j ? j : i;
		cells = reallocarray(cells, ncells + 1, sizeof(*cells));
		if (cells == NULL)
			err(EXIT_DATA, "out of memory");
		cells[ncells++] = c;
	}
	if (rc < 0)
		return EXIT_DATA;
	at_reader_free(r);
	if (labels.n == 0) {
		warnx("line 1: no rows: nothing to put in a matrix");
		return EXIT_DATA;
	}

	m = gsl_matrix_alloc(labels.n, labels.n);
	gsl_matrix_set_all(m, NAN);
	for (size_t k = 0; k < ncells; k++)
		gsl_matrix_set(m, cells[k].a, cells[k].b, cells[k].value);

	at_writer_init(&w, stdout);
	at_putf(&w, "%s.%s", metric, stat);
	for (size_t j = 0; j < labels.n; j++)
		at_put(&w, labels.name[j]);
	at_end(&w);
	for (size_t i = 0; i < labels.n; i++) {
		at_put(&w, labels.name[i]);
		for (size_t j = 0; j < labels.n; j++) {
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
	for (size_t i = 0; i < labels.n; i++)
		free(labels.name[i]);
	free(labels.name);
	free(cells);
	free(metric);
	return status;
}
