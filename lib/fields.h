/*
 * fields.h: the tshark field names pcap2csv knows, and their values for one
 * frame formatted byte for byte as `tshark -T fields` (4.0) prints them.
 */
#ifndef MPTK_FIELDS_H
#define MPTK_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "atcsv.h"
#include "dissect.h"
#include "tcp_analysis.h"
#include "nstime.h"

/* Looks a field name up: its id (>= 0) or -1 if unknown. */
int field_lookup(const char *name);
const char *field_name(int id);
/* Writes every known name, `per_line` to a line, each line prefixed. */
void field_list(FILE *fp, const char *prefix);

/* Whether any of the fields needs tcp_analyze()'s verdict. */
int field_needs_analysis(int id);

/* Everything the values of one frame come from. */
struct frame_info {
	uint64_t number;
	int64_t sec;
	uint32_t nsec;
	int64_t rel_ns;		/* since the first frame */
	uint32_t len, caplen;
	const struct dissection *d;
	const struct tcp_verdict *v;	/* NULL: no analysed TCP segment */
	int64_t stream;		/* tcp.stream of an unanalysed header, or -1 */
};

/* State kept between frames, owned by the caller (no global state). */
struct field_buf {
	struct nst_cache time;	/* frame.time of the last second */
};

/*
 * Runs the TCP analysis on frame fi's segment, if it has one, as tshark
 * does: sets fi->v = v (analysed) or fi->stream (a header tshark numbers but
 * does not analyse), and clears d->has_data where tshark shows no data.data.
 * Every segment goes through it, shown or not, as with tshark -Y.
 */
void field_analyse(struct tcp_table *t, struct dissection *d,
    struct frame_info *fi, struct tcp_verdict *v);

/* Appends the value of field `id` for frame `f` as one field of w's row. */
void field_put(struct at_writer *w, struct field_buf *b, int id,
    const struct frame_info *f);

#endif
