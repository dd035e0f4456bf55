/*
 * timefmt.h: capture times as tshark 4.0 prints them, without printf.
 */
#ifndef MPTK_TIMEFMT_H
#define MPTK_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text any function below writes, with room to spare. */
#define TF_MAX 96

/*
 * frame.time: "Jan  6, 2022 10:03:28.639800000 CST", local time of the TZ
 * environment variable.  Converting a second to local time is the slow part,
 * so the text of the last second is kept in the cache (zero it first).
 */
struct tf_cache {
	bool valid;
	int64_t sec;
	size_t head_len, tail_len;
	char head[64];		/* up to and with the '.' */
	char tail[32];		/* " CST" */
};

size_t tf_abs_time(struct tf_cache *c, int64_t sec, uint32_t nsec, char *out);

/* frame.time_epoch: "1642327408.639800000" (also negative times). */
size_t tf_epoch(int64_t sec, uint32_t nsec, char *out);

/* A signed duration in nanoseconds as seconds with 9 decimals. */
size_t tf_seconds(int64_t ns, char *out);

/* Unsigned decimal; returns the length. */
size_t tf_u64(uint64_t v, char *out);

#endif
