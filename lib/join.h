/*
 * join.h: the join of one direction's records across its paths (DESIGN.md,
 * "seqjoin"): each path's copy of record `seq` is pushed as its reader
 * decides it, and the row of `seq` goes out, in sequence order, once every
 * path has its copy, has gone past it (its frontier), or has ended, or once
 * the window has passed since the row opened.  A row may carry an extra of
 * join_cfg.extra_size bytes, given with a copy (MPTCP: what is the record's
 * rather than one subflow's); the first copy that brings one sets it.
 *
 * A copy whose row is out already goes out as a line of its own (late); a
 * copy whose born differs from the row's by more than JOIN_APART_NS is not a
 * copy of that record: it goes out as a line of its own too (apart).  Born
 * is the earliest stamp over the copies (copies on different paths are
 * stamped apart by the sender).  Memory is the rows open: what waits for a
 * path, bounded by the window, and by JOIN_SPAN_MAX sequence numbers beyond
 * which the oldest rows go out early (forced).
 */
#ifndef MPTK_JOIN_H
#define MPTK_JOIN_H

#include <stddef.h>
#include <stdint.h>

#define JOIN_APART_NS	INT64_C(1000000000)	/* born more apart: not a copy */
#define JOIN_SPAN_MAX	(INT64_C(1) << 22)	/* sequence numbers open */

/* One path's copy of one record. */
struct join_cell {
	int64_t time_ns;
	int64_t rtt_ns;		/* -1: none */
	int64_t owd_ns;
	int8_t retx;		/* 0, 1, or -1: not known (no TCP) */
	int8_t again;		/* MPTCP: its bytes were first sent on another
				 * subflow (1), not (0), or -1: not MPTCP */
	uint8_t has;		/* set by the join */
};

/* A line going out: the row of `seq`, a cell per column (has = 0: none). */
struct join_line {
	int64_t seq;
	int64_t born_ns;
	uint8_t born_digits;	/* decimals of born in ms (record.h) */
	size_t ncols;
	const struct join_cell *cells;
	const void *extra;	/* extra_size bytes, NULL: no copy gave one */
};

typedef void join_out_fn(void *ctx, const struct join_line *line);

struct join_cfg {
	int64_t window_ns;
	join_out_fn *out;
	void *ctx;
	size_t extra_size;	/* bytes of a row's extra, 0: none */
};

struct join_stats {
	uint64_t dup;		/* a second copy on one path: ignored */
	uint64_t late;		/* copies after their row went out */
	uint64_t apart;		/* born apart from the row's: not copies */
	uint64_t forced;	/* rows out early: JOIN_SPAN_MAX open */
};

struct join;

struct join *join_new(const struct join_cfg *cfg);
void join_free(struct join *j);

/* Adds a column (a path of this direction); its index, from 0. */
size_t join_add_col(struct join *j);
size_t join_ncols(const struct join *j);

/* Path `col`'s copy of record `seq`, decided at capture time `now`. */
void join_push(struct join *j, size_t col, int64_t now, int64_t seq,
    int64_t born_ns, uint8_t born_digits, const struct join_cell *cell);
/* The same, with the row's extra (NULL: none). */
void join_push_extra(struct join *j, size_t col, int64_t now, int64_t seq,
    int64_t born_ns, uint8_t born_digits, const struct join_cell *cell,
    const void *extra);

/*
 * What path `col` can still give: every record below `frontier` is in or
 * never will be (-1: not known); `live` 0 when it will give nothing more.
 */
void join_set_frontier(struct join *j, size_t col, int64_t frontier);
void join_set_live(struct join *j, size_t col, int live);

/*
 * Outputs the rows that are done at `now`.  `ready`: the columns are all
 * known (the header is out), so a row may go out before the window passes
 * once every column has it or is past it.  `eof`: everything goes out.
 */
void join_emit(struct join *j, int64_t now, int ready, int eof);

const struct join_stats *join_stats(const struct join *j);

/* Rows open, for memory checks. */
size_t join_open(const struct join *j);

#endif
