/*
 * spans.h: a set of byte ranges [s, e) of a 64-bit sequence space, kept
 * sorted and apart (ranges that touch merge), to count bytes once however
 * often they come: retxrate's data-sequence bytes per MPTCP subflow and
 * per data stream.  16 bytes per run of bytes apart from the others;
 * adding at or near the top (a stream as it is sent) costs O(log n).
 */
#ifndef MPTK_SPANS_H
#define MPTK_SPANS_H

#include <stddef.h>
#include <stdint.h>

struct spans {
	struct span {
		int64_t s, e;
	} *v;
	size_t n, cap;
};

/* Adds [s, e) (nothing when e <= s): how many of its bytes were not in. */
int64_t spans_add(struct spans *sp, int64_t s, int64_t e);
/* Frees the ranges; the set is empty again. */
void spans_free(struct spans *sp);

#endif
