/*
 * stats.h: the summary statistics of the analysis filters, computed with GSL
 * (gsl_sort, gsl_stats_mean, gsl_stats_quantile_from_sorted_data, which
 * interpolates linearly between order statistics), and a growable vector of
 * doubles to collect the samples in.
 */
#ifndef MPTK_STATS_H
#define MPTK_STATS_H

#include <stddef.h>

/* A growable array of doubles; NaN marks an absent value where needed. */
struct st_vec {
	double *v;
	size_t n, cap;
};

void st_vec_push(struct st_vec *vec, double x);
void st_vec_free(struct st_vec *vec);

struct st_summary {
	size_t n;
	double mean, median, p95, p99, max;
	double excess;		/* fraction of samples > threshold */
};

/*
 * Sorts v[0..n) in place and summarises it; `threshold` is the limit for
 * the excess fraction.  With n == 0 every statistic is NaN.
 */
void st_summarise(double *v, size_t n, double threshold,
    struct st_summary *s);

/* Quantile q (0..1) of sorted v[0..n), linear interpolation; NaN if n == 0. */
double st_quantile_sorted(const double *v, size_t n, double q);

/*
 * Names of the statistics of struct st_summary as rttpairs prints them, for
 * filters that pick one by name (heatmat -s).  Index, or -1.
 */
enum st_field { ST_N, ST_MEAN, ST_MEDIAN, ST_P95, ST_P99, ST_MAX, ST_EXCESS };
int st_field_by_name(const char *name);
const char *st_field_name(enum st_field f);

#endif
