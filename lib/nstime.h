/*
 * nstime.h: the toolkit's one time module.  Times are integer nanoseconds:
 * an epoch time such as 1795548537.260484000 does not fit a double to the
 * nanosecond, so times are parsed exactly (lib/util's fixed-point reader)
 * and subtracted in integers.  They are written without printf, which would
 * dominate pcap2csv's run time, in the forms of DESIGN.md: epoch seconds
 * with 9 decimals, durations in ms with 3 decimals, and tshark 4.0's
 * frame.time.  The clocks of the live programs are lib/clock's.
 */
#ifndef MPTK_NSTIME_H
#define MPTK_NSTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atcsv.h"

#define NST_US	INT64_C(1000)
#define NST_MS	INT64_C(1000000)
#define NST_S	INT64_C(1000000000)

/*
 * Parses "[-]digits[.digits]" seconds into ns (digits past the ninth
 * decimal are dropped).  0, or a NUM_ code (lib/util.h) when s is not such
 * a number or does not fit.
 */
int nst_parse(const char *s, int64_t *ns);
/* The same of the n bytes at s, no NUL among them (num_fixed_n). */
int nst_parse_n(const char *s, size_t n, int64_t *ns);

/* Parses "[-]digits[.digits]" milliseconds into ns, as nst_parse. */
int nst_parse_ms(const char *s, int64_t *ns);

/* Longest text any nst_fmt_ function writes, with room to spare. */
#define NST_TEXT_MAX 96

/* A signed duration in ns as seconds with 9 decimals; returns the length. */
size_t nst_fmt_s(int64_t ns, char *out);

/*
 * frame.time_epoch: "1642327408.639800000" (also negative times); for
 * sec >= 0 exactly num_len_u64(sec) + 10 bytes, so a caller can give it
 * room in the row first.
 */
size_t nst_fmt_epoch(int64_t sec, uint32_t nsec, char *out);

/* A signed duration in ns as ms with 3 decimals, rounded half away from 0. */
size_t nst_fmt_ms(int64_t ns, char *out);

/*
 * frame.time: "Jan  6, 2022 10:03:28.639800000 CST", local time of the TZ
 * environment variable.  Converting a second to local time is the slow part,
 * so the text of the last second is kept in the cache (zero it first).
 */
struct nst_cache {
	bool valid;
	int64_t sec;
	size_t head_len, tail_len;
	char head[64];		/* up to and with the '.' */
	char tail[32];		/* " CST" */
};

size_t nst_fmt_abs(struct nst_cache *c, int64_t sec, uint32_t nsec,
    char *out);

/* Appends ns as one field: seconds with 9 decimals, or ms with 3. */
void nst_put_s(struct at_writer *w, int64_t ns);
void nst_put_ms(struct at_writer *w, int64_t ns);

#endif
