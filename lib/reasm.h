/*
 * reasm.h: reassembly of one byte stream carrying fixed-length records
 * (DESIGN.md, "Records" and "Semantics of the record metrics"): a direction
 * of a TCP connection, or an MPTCP connection's data-sequence space.
 * Segments (as bytes at 64-bit stream offsets) and the peer's ACKs go in,
 * in capture order; each record comes out once, when nothing captured later
 * can change it:
 *
 *   time  capture time of the first segment carrying the record's last byte
 *   rtt   first cumulative ACK (>= the record's end) captured at or after
 *         `time`, minus time; -1 when none was
 *   retx  1 if a segment flagged as a retransmission overlaps the record
 *
 * Holding follows what is unacknowledged, not a byte budget: a record is
 * held from its first byte until an ACK covers it plus a grace time (a
 * retransmission of acknowledged bytes can still be captured, e.g. a
 * spurious RTO), but at most REASM_ACKED_HOLD acknowledged records at once;
 * an unacknowledged record at most the window, or the grace time once the
 * stream has shown no ACK for that long (a capture of one direction only).
 * Nothing is dropped for want of room: a segment is ignored, and counted,
 * only when it lies beyond any TCP window (2^30 bytes) of what was seen.
 *
 * Where records start: at the offset given to reasm_start (the byte after
 * the SYN).  Without it, segments are kept (the first REASM_PROBE_SCAN bytes
 * plus three records, at most REASM_PROBE_EVENTS segments and ACKs) until an
 * offset decodes as a plausible record (data, born within a day of the
 * capture time) followed by the next two (where captured) continuing the
 * sequence numbers; then the kept segments and ACKs are replayed.  With a
 * start, the first record must still be followed by its successors, so a
 * record length that does not fit (-s) yields no records, not wrong ones.
 */
#ifndef MPTK_REASM_H
#define MPTK_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define REASM_PROBE_SCAN	16384	/* offsets tried for the first record */
#define REASM_PROBE_EVENTS	4096	/* segments and ACKs kept meanwhile */
#define REASM_ACKED_HOLD	65536	/* acknowledged records held at once */
#define REASM_SPAN_MAX		(INT64_C(1) << 30)	/* bytes: any TCP window */

/*
 * 32-bit TCP sequence numbers as 64-bit stream offsets, for a direction's
 * data and the ACKs of it alike; zero it first.  The first number seen is
 * offset 2^32, so that wrapped or earlier numbers stay positive.
 */
struct seq_unwrap {
	int have;
	uint32_t ref;
	int64_t ref_off;
};

int64_t seq_unwrap(struct seq_unwrap *u, uint32_t seq);

struct reasm_rec {
	int64_t index;		/* record number in the stream, from 0 */
	int64_t end;		/* stream offset just past its last byte */
	struct rec_info info;	/* its header */
	int64_t time_ns;
	int64_t rtt_ns;		/* -1: no ACK captured */
	int retx;
};

/* What could not be used; seqjoin reports it on stderr. */
struct reasm_stats {
	uint64_t bytes_before;	/* before the first whole record */
	uint64_t bytes_norec;	/* in streams where no record was found */
	uint64_t bytes_after_end;	/* after the end record */
	uint64_t bytes_beyond;	/* beyond any TCP window of the stream */
	uint64_t rec_incomplete;	/* header or last byte never captured */
	uint64_t rec_notdata;	/* a flag that is no record's */
	uint64_t rec_implausible;	/* born more than a day from the capture */
	uint64_t rec_outofseq;	/* seq not above the record before's */
	uint64_t rec_early;	/* output early: 4 M records further on */
	uint64_t retx_late;	/* retransmitted after the record was out */
	uint64_t streams_norec;	/* streams in which no record was found */
};

typedef void reasm_out_fn(void *ctx, const struct reasm_rec *rec);

struct reasm_cfg {
	size_t len;		/* record length, >= rec_hdr_len(fmt) */
	enum rec_format fmt;
	int64_t window_ns;	/* the longest a record is held */
	int64_t grace_ns;	/* held after its ACK or the close */
	reasm_out_fn *out;
	void *ctx;
	struct reasm_stats *stats;	/* shared by every stream */
};

enum reasm_state {
	REASM_PROBE,		/* looking for the first record */
	REASM_SYNCED,		/* cutting records */
	REASM_NORECORDS,	/* the stream does not hold records */
};

struct reasm;

struct reasm *reasm_new(const struct reasm_cfg *cfg);
void reasm_free(struct reasm *r);

/* Records start at offset `off` (the SYN was seen: ISN + 1). */
void reasm_start(struct reasm *r, int64_t off);

/*
 * A segment: its stream offset, length (tcp.len), the bytes captured from
 * its start (nbytes <= len when the capture cut it), and whether it was
 * flagged as a (fast) retransmission.
 */
void reasm_data(struct reasm *r, int64_t now, int64_t off, uint32_t len,
    const uint8_t *bytes, uint32_t nbytes, int retx);

/*
 * Which bytes of a segment at `off` of `len` bytes reasm_data will read:
 * calls want(ctx, from, to) for each range [from, to) of offsets within the
 * segment (0..len), so a caller holding the payload as text need decode
 * only those (record headers, or everything while the start is sought).
 */
void reasm_wanted(const struct reasm *r, int64_t off, uint32_t len,
    void (*want)(void *ctx, uint32_t from, uint32_t to), void *ctx);

/* A cumulative ACK of this stream (the peer's, ACK flag set). */
void reasm_ack(struct reasm *r, int64_t now, int64_t ack);

/* The stream ended (FIN both ways, or RST). */
void reasm_close(struct reasm *r, int64_t now);

/* Outputs every record whose holding time is over at `now`. */
void reasm_tick(struct reasm *r, int64_t now);
/* Its first step alone: where records start, decided once the window has
 * passed (see reasm_decide). */
void reasm_tick_decide(struct reasm *r, int64_t now);

/* End of input: decides, and outputs every record still held. */
void reasm_finish(struct reasm *r);

/*
 * End of input, first step: decides where records start with what there is
 * (as reasm_finish does) but outputs nothing yet, so that a caller that
 * attributes bytes (reasm_base) can catch up before reasm_finish.
 */
void reasm_decide(struct reasm *r);

enum reasm_state reasm_state(const struct reasm *r);

/*
 * 1 and *seq when known: every record of this stream numbered below *seq
 * has been output (or will never be), so a join need not wait for it.
 */
int reasm_frontier(const struct reasm *r, int64_t *seq);

/* 1 once a segment with payload was seen. */
int reasm_started(const struct reasm *r);

/* 1 when nothing more can come out: ended (end record or close) and empty. */
int reasm_drained(const struct reasm *r);

/* Records held and bytes kept while probing, for memory checks. */
size_t reasm_held(const struct reasm *r);

/*
 * The record holding stream offset `off` (for readers that attribute
 * bytes, e.g. MPTCP subflows): its index, or -1 before the records start
 * or while the start is not known.
 */
int64_t reasm_index_of(const struct reasm *r, int64_t off);

/* 1 and the stream offset of record 0's first byte once records are cut. */
int reasm_base(const struct reasm *r, int64_t *base);

/*
 * Every record numbered below this has been output or never will be (for
 * readers that keep something per record beside the stream); -1 while
 * the start is not known.
 */
int64_t reasm_lowest(const struct reasm *r);

#endif
