/*
 * stats.h: the statistics of the analysis filters (rttpairs, heatmat),
 * computed with GSL (gsl_sort, gsl_stats_mean,
 * gsl_stats_quantile_from_sorted_data, which interpolates linearly between
 * order statistics), and growable vectors to collect samples in.
 *
 * A summary is over the records sent, not only those delivered (DESIGN.md,
 * "Sent and lost"): `sent` records, of which `n` have a value; the delay
 * statistics are over the n values, the loss is 1 - n/sent, and the excess
 * counts the values above the threshold and every record without a value.
 */
#ifndef MPTK_STATS_H
#define MPTK_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A growable array of doubles. */
struct st_vec {
	double *v;
	size_t n, cap;
};

void st_vec_push(struct st_vec *vec, double x);
void st_vec_free(struct st_vec *vec);

/* A growable array of unsigned 64-bit integers (sequence numbers). */
struct st_u64vec {
	uint64_t *v;
	size_t n, cap;
};

void st_u64vec_push(struct st_u64vec *vec, uint64_t x);
void st_u64vec_free(struct st_u64vec *vec);
/* Sorts v in place (GSL) and returns how many distinct values it holds. */
size_t st_u64vec_distinct(struct st_u64vec *vec);

struct st_summary {
	uint64_t sent, n;
	double loss;		/* 1 - n/sent */
	double mean, median, p95, p99, max;	/* over the n values */
	double excess;		/* (values > threshold + sent - n) / sent */
};

/*
 * Summarises v[0..n) (reordering it) as the values of n of `sent` records
 * (n <= sent, sent > 0); `threshold` is the limit for the excess.  The
 * quantiles are found by selection, interpolated as
 * gsl_stats_quantile_from_sorted_data does.  With n == 0 the delay
 * statistics are NaN, the loss and the excess 1.
 */
void st_summarise(double *v, size_t n, uint64_t sent, double threshold,
    struct st_summary *s);

/* Sorts v[0..n) in place (GSL), for st_quantile_sorted. */
void st_sort(double *v, size_t n);

/* Quantile q (0..1) of sorted v[0..n), linear interpolation; NaN if n == 0. */
double st_quantile_sorted(const double *v, size_t n, double q);

/*
 * The statistics of struct st_summary by the names rttpairs prints them
 * under, for filters that pick one by name (heatmat -s): an index, or -1.
 */
enum st_field {
	ST_SENT, ST_N, ST_LOSS, ST_MEAN, ST_MEDIAN, ST_P95, ST_P99, ST_MAX,
	ST_EXCESS, ST_NFIELDS
};
int st_field_by_name(const char *name);
const char *st_field_name(enum st_field f);
/* Whether the statistic is a count of records (printed as an integer). */
int st_field_is_count(enum st_field f);
/* Whether it is a fraction (0..1, 6 decimals) rather than a delay in ms. */
int st_field_is_fraction(enum st_field f);
/* The field's value in s (counts as doubles). */
double st_field_value(const struct st_summary *s, enum st_field f);

#endif
