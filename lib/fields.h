/*
 * fields.h: the tshark fields pcap2csv knows, and their values for one frame
 * formatted byte for byte as `tshark -T fields` (4.0) prints them.
 *
 * All knowledge of a field is one row of the table in fields.c: its name,
 * what its value needs beyond the dissection of its frame, and the function
 * that formats it.  Adding a field is adding a row and its formatter.
 */
#ifndef MPTK_FIELDS_H
#define MPTK_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "atcsv.h"
#include "dissect.h"
#include "mptcp_analysis.h"
#include "tcp_analysis.h"
#include "nstime.h"

/* Looks a field name up: its id (>= 0) or -1 if unknown. */
int field_lookup(const char *name);
/* The name of field `id`; "" when there is no such field. */
const char *field_name(int id);
/* The number of fields: ids are 0 to field_count() - 1. */
int field_count(void);
/* Writes every known name, lines of at most 76 columns, each prefixed. */
void field_list(FILE *fp, const char *prefix);

/*
 * Whether any of the fields needs the TCP analysis (field_analyse() on
 * every frame): for tcp.analysis.*, tcp.stream and the relative numbers, and
 * for data.*, since tshark hands a retransmitted or out-of-order segment to
 * no payload dissector.
 */
bool field_needs_analysis(const int *ids, size_t n);

/* Everything the values of one frame come from. */
struct frame_info {
	uint64_t number;
	int64_t sec;
	uint32_t nsec;
	int64_t rel_ns;		/* since the first frame */
	uint32_t len, caplen;
	const struct dissection *d;
	const struct tcp_verdict *v;	/* NULL: no analysed TCP segment */
	const struct mptcp_verdict *mv;	/* NULL: no MPTCP analysis */
	int64_t stream;		/* tcp.stream of an unanalysed header, or -1 */
};

/* State kept between frames, owned by the caller (no global state). */
/* An IPv4 address's text, kept (field_buf.v4). */
struct field_v4 {
	uint32_t addr;		/* as the bytes lie */
	uint8_t len;		/* 0: empty */
	char text[16];		/* "255.255.255.255" at most */
};

#define FIELD_V4_BITS 6
#define FIELD_V4_CACHE (1 << FIELD_V4_BITS)

struct field_buf {
	struct nst_cache time;	/* frame.time of the last second */
	/* the text of the addresses seen last, by a hash of the address */
	struct field_v4 v4[FIELD_V4_CACHE];
	/* _ws.col.Protocol's last name and its length, copied */
	const char *proto;
	size_t proto_len;
	char proto_text[16];
	/* frame.time_epoch's seconds and '.' for the last second >= 0 */
	bool epoch_valid;
	int64_t epoch_sec;
	size_t epoch_len;
	char epoch[32];		/* nst_fmt_epoch's text less the 9 digits */
};

/*
 * Runs the TCP analysis on frame fi's segment, if it has one, as tshark
 * does: sets fi->v = v (analysed) or fi->stream (a header tshark numbers but
 * does not analyse); then, with m (not NULL), the MPTCP analysis of an
 * analysed segment: fi->mv = mv.  Every segment goes through it, shown or
 * not, as with tshark -Y.
 */
void field_analyse(struct tcp_table *t, struct mptcp_table *m,
    const struct dissection *d, struct frame_info *fi, struct tcp_verdict *v,
    struct mptcp_verdict *mv);

/* Appends the values of the n fields `ids` of frame f to w's row. */
void field_put(struct at_writer *w, struct field_buf *b, const int *ids,
    size_t n, const struct frame_info *f);

#endif
