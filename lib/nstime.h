/*
 * nstime.h: capture times as integer nanoseconds.  An epoch time such as
 * 1795548537.260484000 does not fit a double to the nanosecond, so seqjoin
 * parses it exactly and subtracts in integers before printing ms.
 */
#ifndef MPTK_NSTIME_H
#define MPTK_NSTIME_H

#include <stdint.h>

#include "atcsv.h"

#define NST_MS	INT64_C(1000000)
#define NST_S	INT64_C(1000000000)

/*
 * Parses "[-]digits[.digits]" seconds into ns (digits past the ninth
 * decimal are dropped).  0, or -1 when s is not such a number.
 */
int nst_parse(const char *s, int64_t *ns);

/* Parses "[-]digits[.digits]" milliseconds into ns, as nst_parse. */
int nst_parse_ms(const char *s, int64_t *ns);

/* Appends ns as seconds with 9 decimals. */
void nst_put_s(struct at_writer *w, int64_t ns);

/* Appends ns as ms with 3 decimals, rounded half away from zero. */
void nst_put_ms(struct at_writer *w, int64_t ns);

#endif
