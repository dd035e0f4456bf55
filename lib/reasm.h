/*
 * reasm.h: one direction of a TCP connection carrying fixed-length records
 * (DESIGN.md, "The record on the wire" and "Semantics of the record
 * metrics").  Segments and the peer's ACKs go in, in capture order; each
 * record comes out once, when nothing captured later can change it:
 *
 *   time  capture time of the first segment carrying the record's last byte
 *   rtt   first cumulative ACK (>= the record's end) captured at or after
 *         `time`, minus time; -1 when none was
 *   retx  1 if a segment flagged as a retransmission overlaps the record
 *
 * A record is held from its first byte until an ACK covers it plus a grace
 * time (a retransmission of acknowledged bytes can still be captured, e.g.
 * a spurious RTO at the sender), or until the connection closed plus the
 * grace time, or at most the window after its first byte.  So memory is
 * bounded by the window, whatever the capture's length.
 *
 * Where records start: at ISN+1 when the SYN was seen (reasm_isn).  Without
 * a SYN, segments are kept (the first REASM_PROBE_SCAN bytes plus three
 * records, at most REASM_PROBE_EVENTS segments and ACKs) until an offset
 * decodes as a plausible record: flag 1 or 2, born within a day of the
 * capture time, and the next two records (where captured) continuing the
 * sequence numbers; then the kept segments and ACKs are replayed.
 */
#ifndef MPTK_REASM_H
#define MPTK_REASM_H

#include <stddef.h>
#include <stdint.h>

#define REASM_PROBE_SCAN	16384	/* offsets tried for the first record */
#define REASM_PROBE_EVENTS	4096	/* segments and ACKs kept meanwhile */

struct reasm_rec {
	int64_t index;		/* record number in the stream, from 0 */
	uint32_t seq;
	uint8_t flag;		/* REC_DATA_MS or REC_DATA_US */
	uint64_t born;		/* as on the wire */
	int64_t time_ns;
	int64_t rtt_ns;		/* -1: no ACK captured */
	int retx;
};

/* What could not be used; seqjoin reports it on stderr. */
struct reasm_stats {
	uint64_t bytes_before;	/* before the first whole record */
	uint64_t bytes_norec;	/* in streams where no record was found */
	uint64_t bytes_after_end;	/* after the end record */
	uint64_t bytes_beyond;	/* too far ahead of the oldest open record */
	uint64_t rec_incomplete;	/* header or last byte never captured */
	uint64_t rec_notdata;	/* flag neither 0, 1 nor 2 */
	uint64_t retx_late;	/* retransmitted after the record was out */
};

typedef void reasm_out_fn(void *ctx, const struct reasm_rec *rec);

struct reasm_cfg {
	size_t len;		/* record length, >= REC_HDR_LEN */
	int64_t window_ns;	/* the longest a record is held */
	int64_t grace_ns;	/* held after its ACK or the close */
	reasm_out_fn *out;
	void *ctx;
	struct reasm_stats *stats;	/* shared by every direction */
};

enum reasm_state {
	REASM_PROBE,		/* looking for the first record */
	REASM_SYNCED,		/* cutting records */
	REASM_NORECORDS,	/* the stream does not hold records */
};

struct reasm;

struct reasm *reasm_new(const struct reasm_cfg *cfg);
void reasm_free(struct reasm *r);

/* The SYN of this direction was seen: records start at isn + 1. */
void reasm_isn(struct reasm *r, uint32_t isn);

/*
 * A segment of this direction: raw sequence number, tcp.len, the captured
 * payload as hex text (tshark's tcp.payload: "0001a2..." or "00:01:a2...",
 * possibly shorter than len when the capture cut it), and whether it was
 * flagged as a (fast) retransmission.
 */
void reasm_data(struct reasm *r, int64_t now, uint32_t seq, uint32_t len,
    const char *hex, size_t hexlen, int retx);

/* An ACK for this direction (the peer's tcp.ack_raw, ACK flag set). */
void reasm_ack(struct reasm *r, int64_t now, uint32_t ack);

/* The connection ended (FIN both ways, or RST). */
void reasm_close(struct reasm *r, int64_t now);

/* Outputs every record whose holding time is over at `now`. */
void reasm_tick(struct reasm *r, int64_t now);

/* End of input: decides, and outputs every record still held. */
void reasm_finish(struct reasm *r);

enum reasm_state reasm_state(const struct reasm *r);

/*
 * 1 and *seq when known: every record of this direction numbered below *seq
 * has been output (or will never be), so a join need not wait for it.
 */
int reasm_frontier(const struct reasm *r, int64_t *seq);

/* 1 once a segment with payload was seen. */
int reasm_started(const struct reasm *r);

/* 1 when nothing more can come out: ended (end record or close) and empty. */
int reasm_drained(const struct reasm *r);

/* Records held and bytes kept while probing, for memory checks. */
size_t reasm_held(const struct reasm *r);

#endif
