#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"
#include "util.h"

static const char *const field_names[] = {
	"n", "mean", "median", "p95", "p99", "max", "excess",
};

void
st_vec_push(struct st_vec *vec, double x)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 1024;
		double *v = ereallocarray(vec->v, cap, sizeof(*v));

		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = x;
}

void
st_vec_free(struct st_vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

double
st_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

void
st_summarise(double *v, size_t n, double threshold, struct st_summary *s)
{
	size_t above = 0;

	s->n = n;
	if (n == 0) {
		s->mean = s->median = s->p95 = s->p99 = s->max = NAN;
		s->excess = NAN;
		return;
	}
	gsl_sort(v, 1, n);
	s->mean = gsl_stats_mean(v, 1, n);
	s->median = st_quantile_sorted(v, n, 0.5);
	s->p95 = st_quantile_sorted(v, n, 0.95);
	s->p99 = st_quantile_sorted(v, n, 0.99);
	s->max = v[n - 1];
	/* Sorted: everything after the last value <= threshold is above it. */
	while (above < n && v[n - 1 - above] > threshold)
		above++;
	s->excess = (double)above / (double)n;
}

int
st_field_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(*field_names); i++)
		if (strcmp(field_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
st_field_name(enum st_field f)
{
	return field_names[f];
}
