#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_ulong.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"
#include "util.h"

static const char *const field_names[ST_NFIELDS] = {
	"sent", "n", "loss", "mean", "median", "p95", "p99", "max", "excess",
};

void
st_vec_push(struct st_vec *vec, double x)
{
	vec->v = egrow(vec->v, vec->n, &vec->cap, 64, sizeof(*vec->v));
	vec->v[vec->n++] = x;
}

void
st_vec_free(struct st_vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

void
st_u64vec_push(struct st_u64vec *vec, uint64_t x)
{
	vec->v = egrow(vec->v, vec->n, &vec->cap, 64, sizeof(*vec->v));
	vec->v[vec->n++] = x;
}

void
st_u64vec_free(struct st_u64vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

size_t
st_u64vec_distinct(struct st_u64vec *vec)
{
	size_t d = 0, ordered = 1;

	_Static_assert(sizeof(unsigned long) == sizeof(uint64_t),
	    "gsl_sort_ulong sorts 64-bit values");
	if (vec->n == 0)
		return 0;
	/*
	 * Records come mostly in order: a vector in order already is not
	 * sorted again (GSL's heapsort takes n log n all the same, and at
	 * the end of input it is the last thing a pipeline waits for).
	 */
	while (ordered < vec->n && vec->v[ordered - 1] <= vec->v[ordered])
		ordered++;
	if (ordered < vec->n)
		gsl_sort_ulong((unsigned long *)vec->v, 1, vec->n);
	for (size_t i = 0; i < vec->n; i++)
		d += i == 0 || vec->v[i] != vec->v[i - 1];
	return d;
}

double
st_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

void
st_sort(double *v, size_t n)
{
	if (n > 0)
		gsl_sort(v, 1, n);
}

/*
 * Quantile q of v[0..n) by selection (two O(n) quickselects, which reorder
 * v), the same interpolation as gsl_stats_quantile_from_sorted_data: the
 * summaries need four order statistics, not a sorted copy.
 */
static double
quantile_select(double *v, size_t n, double q)
{
	double index = q * (double)(n - 1), delta, lo;
	size_t lhs = (size_t)index;

	delta = index - (double)lhs;
	lo = gsl_stats_select(v, 1, n, lhs);
	if (lhs == n - 1 || delta == 0)
		return lo;
	return (1 - delta) * lo + delta * gsl_stats_select(v, 1, n, lhs + 1);
}

void
st_summarise(double *v, size_t n, uint64_t sent, double threshold,
    struct st_summary *s)
{
	size_t above = 0;

	s->sent = sent;
	s->n = n;
	s->loss = sent > 0 ? 1 - (double)n / (double)sent : NAN;
	if (n == 0) {
		s->mean = s->median = s->p95 = s->p99 = s->max = NAN;
		s->excess = sent > 0 ? 1 : NAN;
		return;
	}
	s->mean = gsl_stats_mean(v, 1, n);
	s->max = gsl_stats_max(v, 1, n);
	for (size_t i = 0; i < n; i++)
		above += v[i] > threshold;
	s->median = quantile_select(v, n, 0.5);
	s->p95 = quantile_select(v, n, 0.95);
	s->p99 = quantile_select(v, n, 0.99);
	s->excess = (double)(above + (sent - n)) / (double)sent;
}

int
st_field_by_name(const char *name)
{
	for (int i = 0; i < ST_NFIELDS; i++)
		if (strcmp(field_names[i], name) == 0)
			return i;
	return -1;
}

const char *
st_field_name(enum st_field f)
{
	return field_names[f];
}

int
st_field_is_count(enum st_field f)
{
	return f == ST_SENT || f == ST_N;
}

int
st_field_is_fraction(enum st_field f)
{
	return f == ST_LOSS || f == ST_EXCESS;
}

double
st_field_value(const struct st_summary *s, enum st_field f)
{
	switch (f) {
	case ST_SENT:
		return (double)s->sent;
	case ST_N:
		return (double)s->n;
	case ST_LOSS:
		return s->loss;
	case ST_MEAN:
		return s->mean;
	case ST_MEDIAN:
		return s->median;
	case ST_P95:
		return s->p95;
	case ST_P99:
		return s->p99;
	case ST_MAX:
		return s->max;
	default:
		return s->excess;
	}
}
