/*
 * fields.c: the field table and the formatting of values (see fields.h).
 * Values are written by hand-written formatting straight into the row: this
 * runs for every field of every frame, where printf would dominate the run
 * time.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "fields.h"
#include "util.h"

/* What a field's value needs beyond the dissection of its frame. */
enum {
	NEED_NONE = 0,	/* the frame's dissection is enough */
	NEED_TCPA = 1,	/* the TCP analysis's verdict (frame_info.v) */
	NEED_DATA = 2,	/* data.*: payload tshark hands to no dissector;
			 * for TCP the analysis says which segments tshark
			 * hands on at all */
	NEED_MPTCP = 4,	/* mptcp.*: the MPTCP analysis (frame_info.mv) */
};

/*
 * What a formatter reads from, and the row it writes to, up to end:
 * field_put keeps room for the separators and the newline past end.
 */
struct field_ctx {
	struct at_writer *w;
	char *end;
	size_t tail;		/* bytes kept past end: separators, newline */
	struct field_buf *b;
	const struct frame_info *f;
	const struct dissection *d;
	const struct dis_tcp *tcp;	/* NULL: no TCP header */
	const struct dis_udp *udp;	/* NULL: no UDP header */
	const struct tcp_verdict *v;	/* NULL: no analysed segment */
	const struct mptcp_verdict *mv;	/* NULL: no MPTCP analysis */
};

/*
 * A formatter writes its field's value at cur, the row's cursor, and
 * returns the cursor after it; nothing when the frame has no value for it
 * (the field is then empty).  field_put writes the '@' between fields.
 * The cursor goes in and out in a register: kept in the context instead,
 * every field stored and loaded it again, a chain through memory that was
 * a tenth of pcap2csv's time.
 */
typedef char *field_fmt(struct field_ctx *c, char *cur);

/* The row's buffer grown for n more bytes at cur: the cursor there. */
static char *
row_grow(struct field_ctx *c, char *cur, size_t n)
{
	struct at_writer *w = c->w;
	size_t at = (size_t)(cur - w->buf);

	w->len = at;
	at_reserve(w, n + c->tail);
	c->end = w->buf + w->cap - c->tail;
	return w->buf + at;
}

/*
 * Room for up to n bytes of a field's text at cur: the cursor, moved if
 * the buffer grew.  The text never needs quoting (numbers, addresses,
 * hex): written in place, without a copy or a scan.
 */
static inline char *
row_room(struct field_ctx *c, char *cur, size_t n)
{
	/* signed: the '@'s field_put writes unchecked may pass end */
	if (c->end - cur < (ptrdiff_t)n)
		cur = row_grow(c, cur, n);
	return cur;
}

/* Room for exactly n bytes at *cur, which moves past them: where they go. */
static inline char *
row_field(struct field_ctx *c, char **cur, size_t n)
{
	char *out = row_room(c, *cur, n);

	*cur = out + n;
	return out;
}

static size_t
ipv4_text(const uint8_t *a, char *out)
{
	size_t n = num_fmt_u64(a[0], out);

	for (int i = 1; i < 4; i++) {
		out[n++] = '.';
		n += num_fmt_u64(a[i], out + n);
	}
	return n;
}

static size_t
ipv6_text(const uint8_t *a, char *out)
{
	if (inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN) == NULL)
		return 0;
	return strlen(out);
}

/* Bytes as lowercase hex, written straight into the row. */
static char *
put_hex(struct field_ctx *c, char *cur, const uint8_t *p, size_t n)
{
	hex_encode(p, n, row_field(c, &cur, 2 * n));
	return cur;
}

/* Which IP header fields lie within the captured bytes. */
enum ipf { IPF_SRC, IPF_DST, IPF_PROTO, IPF_LEN, IPF_TTL, IPF_HDR_LEN };

static bool
ip_field_present(const struct dis_ip *ip, enum ipf f)
{
	if (ip->af == 4) {
		switch (f) {
		case IPF_SRC: return ip->have >= 16;
		case IPF_DST: return ip->have >= 20;
		case IPF_PROTO: return ip->have >= 10;
		case IPF_LEN: return ip->have >= 4;
		case IPF_TTL: return ip->have >= 9;
		case IPF_HDR_LEN: return ip->have >= 1;
		}
	} else {
		switch (f) {
		case IPF_SRC: return ip->have >= 24;
		case IPF_DST: return ip->have >= 40;
		case IPF_PROTO: return ip->have >= 7;
		case IPF_LEN: return ip->have >= 6;
		case IPF_TTL: return ip->have >= 8;
		case IPF_HDR_LEN: return false;
		}
	}
	return false;
}

/* One IP header's address field (IPF_SRC, IPF_DST) as text. */
static size_t
ip_addr_text(const struct dis_ip *ip, enum ipf f, char *out)
{
	const uint8_t *a = f == IPF_SRC ? ip->src : ip->dst;

	return ip->af == 4 ? ipv4_text(a, out) : ipv6_text(a, out);
}

/* One IP header's numeric field (any but the addresses). */
static uint64_t
ip_number(const struct dis_ip *ip, enum ipf f)
{
	switch (f) {
	case IPF_PROTO: return ip->proto;
	case IPF_LEN: return ip->len;
	case IPF_TTL: return ip->ttl;
	case IPF_HDR_LEN: return ip->hdr_len;
	case IPF_SRC: case IPF_DST: break;
	}
	return 0;
}

static bool
ip_is_addr(enum ipf f)
{
	return f == IPF_SRC || f == IPF_DST;
}

/* Every occurrence of an IP field, comma-separated, as tshark prints it. */
static size_t
ip_values(const struct dissection *d, int af, enum ipf f, char *out,
    size_t room)
{
	size_t n = 0;

	for (uint32_t i = 0; i < d->nip; i++) {
		const struct dis_ip *ip = &d->ip[i];

		if (ip->af != af || !ip_field_present(ip, f))
			continue;
		if (n + 48 > room)
			break;
		if (n > 0)
			out[n++] = ',';
		n += ip_is_addr(f) ? ip_addr_text(ip, f, out + n) :
		    num_fmt_u64(ip_number(ip, f), out + n);
	}
	return n;
}

/* "0x0012", tshark's tcp.flags: always 6 bytes. */
static void
hex16(uint16_t v, char *out)
{
	static const char digits[] = "0123456789abcdef";

	out[0] = '0';
	out[1] = 'x';
	for (int i = 0; i < 4; i++)
		out[2 + i] = digits[(v >> (12 - 4 * i)) & 15];
}

/* Text that never needs quoting (digits, dots, commas, hex). */
static char *
put_text(struct field_ctx *c, char *cur, const char *s, size_t n)
{
	memcpy(row_field(c, &cur, n), s, n);
	return cur;
}

/* A number formatted straight into the row: no copy; inline in each
 * formatter, for the numbers are most of a row's fields. */
static inline __attribute__((always_inline)) char *
put_u64(struct field_ctx *c, char *cur, uint64_t v)
{
	size_t n = num_len_u64(v);

	num_fmt_u64_len(v, row_field(c, &cur, n), n);
	return cur;
}

/* "1", or "1,1" when tshark's tree holds the flag twice. */
static char *
put_flag(struct field_ctx *c, char *cur, unsigned count)
{
	char *out;

	if (count == 0)
		return cur;
	if (count > 8)
		count = 8;
	out = row_field(c, &cur, 2 * count - 1);
	for (unsigned i = 0; i < count; i++) {
		if (i > 0)
			*out++ = ',';
		*out++ = '1';
	}
	return cur;
}

/*
 * An IPv4 address in the row, its text kept in a small table by a hash of
 * the address: a run has a few addresses, each in every frame twice, and
 * a copy of the kept text costs a tenth of making it.
 */
static char *
put_v4(struct field_ctx *c, char *cur, const uint8_t *a)
{
	struct field_v4 *e;
	uint32_t addr;
	char *out = row_room(c, cur, sizeof(e->text));

	memcpy(&addr, a, 4);
	/* the product's top bits: its low ones follow the first octet alone */
	e = &c->b->v4[(addr * 0x9e3779b1u) >> (32 - FIELD_V4_BITS)];
	if (e->len == 0 || e->addr != addr) {
		e->addr = addr;
		e->len = (uint8_t)ipv4_text(a, e->text);
	}
	memcpy(out, e->text, sizeof(e->text));	/* fixed: two stores */
	return out + e->len;
}

/* Inline: each put_ip_* then runs only its own field's branch. */
static inline __attribute__((always_inline)) char *
put_ip(struct field_ctx *c, char *cur, int af, enum ipf f)
{
	char s[DIS_MAX_IP * 48];
	size_t n;

	if (c->d->nip == 1) {
		/* most frames: one IP header, no list to build */
		const struct dis_ip *ip = &c->d->ip[0];

		if (ip->af != af || !ip_field_present(ip, f))
			return cur;
		if (ip_is_addr(f) && af == 4) {
			cur = put_v4(c, cur, f == IPF_SRC ? ip->src : ip->dst);
		} else if (ip_is_addr(f)) {	/* written in the row */
			char *out = row_room(c, cur, INET6_ADDRSTRLEN);

			cur = out + ip_addr_text(ip, f, out);
		} else
			cur = put_u64(c, cur, ip_number(ip, f));
		return cur;
	}
	if ((n = ip_values(c->d, af, f, s, sizeof(s))) > 0)
		cur = put_text(c, cur, s, n);
	return cur;
}

/* frame.* */

static char *
put_frame_number(struct field_ctx *c, char *cur)
{
	return put_u64(c, cur, c->f->number);
}

static char *
put_frame_time(struct field_ctx *c, char *cur)
{
	char *out = row_room(c, cur, NST_TEXT_MAX);

	return out + nst_fmt_abs(&c->b->time, c->f->sec, c->f->nsec, out);
}

static char *
put_frame_time_epoch(struct field_ctx *c, char *cur)
{
	struct field_buf *b = c->b;
	char *out = row_room(c, cur, NST_TEXT_MAX);

	if (c->f->sec < 0) {	/* the fraction then counts back: no head */
		return out + nst_fmt_epoch(c->f->sec, c->f->nsec, out);
	}
	/* the seconds' digits and '.', as nst_fmt_epoch, kept while they last */
	if (!b->epoch_valid || b->epoch_sec != c->f->sec) {
		b->epoch_valid = true;
		b->epoch_sec = c->f->sec;
		b->epoch_len = nst_fmt_epoch(c->f->sec, 0, b->epoch) - 9;
	}
	_Static_assert(sizeof(b->epoch) <= NST_TEXT_MAX - 9, "epoch's room");
	memcpy(out, b->epoch, sizeof(b->epoch));	/* fixed: a few stores */
	num_fmt_9(c->f->nsec, out + b->epoch_len);
	return out + b->epoch_len + 9;
}

static char *
put_frame_time_relative(struct field_ctx *c, char *cur)
{
	char *out = row_room(c, cur, NST_TEXT_MAX);

	return out + nst_fmt_s(c->f->rel_ns, out);
}

static char *
put_frame_len(struct field_ctx *c, char *cur)
{
	return put_u64(c, cur, c->f->len);
}

static char *
put_frame_cap_len(struct field_ctx *c, char *cur)
{
	return put_u64(c, cur, c->f->caplen);
}

/* ip.*, ipv6.*: every header of the family in the frame */

static char *
put_ip_src(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_SRC);
}

static char *
put_ip_dst(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_DST);
}

static char *
put_ip_proto(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_PROTO);
}

static char *
put_ip_len(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_LEN);
}

static char *
put_ip_ttl(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_TTL);
}

static char *
put_ip_hdr_len(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 4, IPF_HDR_LEN);
}

static char *
put_ipv6_src(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 6, IPF_SRC);
}

static char *
put_ipv6_dst(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 6, IPF_DST);
}

static char *
put_ipv6_nxt(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 6, IPF_PROTO);
}

static char *
put_ipv6_plen(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 6, IPF_LEN);
}

static char *
put_ipv6_hlim(struct field_ctx *c, char *cur)
{
	return put_ip(c, cur, 6, IPF_TTL);
}

/* The dissector's own names ("TCP", "SLL"): none needs quoting. */
static char *
put_col_protocol(struct field_ctx *c, char *cur)
{
	struct field_buf *b = c->b;
	const char *p = c->d->protocol;
	char *out;

	/* a static name, mostly the one of the frame before: kept, copied */
	if (p != b->proto) {
		b->proto = p;
		b->proto_len = strlen(p);
		if (b->proto_len < sizeof(b->proto_text))
			memcpy(b->proto_text, p, b->proto_len);
	}
	if (b->proto_len >= sizeof(b->proto_text)) {
		cur = put_text(c, cur, p, b->proto_len);
		return cur;
	}
	out = row_room(c, cur, sizeof(b->proto_text));
	memcpy(out, b->proto_text, sizeof(b->proto_text));
	return out + b->proto_len;
}

/* tcp.*: the header as on the wire */

static char *
put_tcp_srcport(struct field_ctx *c, char *cur)
{
	if (c->tcp)
		cur = put_u64(c, cur, c->tcp->sport);
	return cur;
}

static char *
put_tcp_dstport(struct field_ctx *c, char *cur)
{
	if (c->tcp)
		cur = put_u64(c, cur, c->tcp->dport);
	return cur;
}

static char *
put_tcp_len(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->base && !c->tcp->unanalysed)
		cur = put_u64(c, cur, c->tcp->len);
	return cur;
}

static char *
put_tcp_seq_raw(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->base)
		cur = put_u64(c, cur, c->tcp->seq);
	return cur;
}

static char *
put_tcp_ack_raw(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->hdr)
		cur = put_u64(c, cur, c->tcp->ack);
	return cur;
}

static char *
put_tcp_hdr_len(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->hdr)
		cur = put_u64(c, cur, c->tcp->hdr_len);
	return cur;
}

static char *
put_tcp_flags(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->hdr)
		hex16(c->tcp->flags, row_field(c, &cur, 6));
	return cur;
}

static char *
put_tcp_window_size_value(struct field_ctx *c, char *cur)
{
	if (c->tcp && c->tcp->hdr)
		cur = put_u64(c, cur, c->tcp->win);
	return cur;
}

static char *
put_tcp_payload(struct field_ctx *c, char *cur)
{
	const struct dis_tcp *t = c->tcp;

	if (t && t->full && t->len > 0 && t->payload_cap > 0)
		cur = put_hex(c, cur, t->payload, t->payload_cap);
	return cur;
}

/* tcp.*: what the TCP analysis says */

static char *
put_tcp_stream(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_u64(c, cur, c->v->stream);
	else if (c->f->stream >= 0)
		cur = put_u64(c, cur, (uint64_t)c->f->stream);
	return cur;
}

static char *
put_tcp_seq(struct field_ctx *c, char *cur)
{
	const struct dis_tcp *t = c->tcp;

	if (c->v)
		cur = put_u64(c, cur, c->v->rel_seq);
	else if (t && (t->quoted_seq || (t->unanalysed && t->base)))
		cur = put_u64(c, cur, t->seq);
	return cur;
}

static char *
put_tcp_ack(struct field_ctx *c, char *cur)
{
	const struct dis_tcp *t = c->tcp;

	if (c->v)	/* also without the ACK flag: then the raw field */
		cur = put_u64(c, cur, c->v->rel_ack);
	else if (t && t->unanalysed && t->hdr)
		cur = put_u64(c, cur, t->ack);
	return cur;
}

static char *
put_tcp_window_size(struct field_ctx *c, char *cur)
{
	const struct dis_tcp *t = c->tcp;

	if (c->v && c->v->window_size >= 0)
		cur = put_u64(c, cur, (uint64_t)c->v->window_size);
	else if (!c->v && t && t->unanalysed && t->hdr)
		cur = put_u64(c, cur, t->win);
	return cur;
}

static char *
put_tcp_acks_frame(struct field_ctx *c, char *cur)
{
	if (c->v && c->v->acks_frame > 0)
		cur = put_u64(c, cur, c->v->acks_frame);
	return cur;
}

static char *
put_tcp_ack_rtt(struct field_ctx *c, char *cur)
{
	char *out;

	if (c->v && c->v->ack_rtt_ns >= 0) {
		out = row_room(c, cur, NST_TEXT_MAX);
		cur = out + nst_fmt_s(c->v->ack_rtt_ns, out);
	}
	return cur;
}

static char *
put_tcp_bytes_in_flight(struct field_ctx *c, char *cur)
{
	if (c->v && c->v->bytes_in_flight >= 0)
		cur = put_u64(c, cur, (uint64_t)c->v->bytes_in_flight);
	return cur;
}

static char *
put_tcp_retransmission(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->retransmission);
	return cur;
}

static char *
put_tcp_fast_retransmission(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->fast_retransmission);
	return cur;
}

static char *
put_tcp_spurious_retransmission(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->spurious_retransmission);
	return cur;
}

static char *
put_tcp_out_of_order(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->out_of_order);
	return cur;
}

static char *
put_tcp_duplicate_ack(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->duplicate_ack);
	return cur;
}

static char *
put_tcp_lost_segment(struct field_ctx *c, char *cur)
{
	if (c->v)
		cur = put_flag(c, cur, c->v->lost_segment);
	return cur;
}

/* udp.* */

static char *
put_udp_srcport(struct field_ctx *c, char *cur)
{
	if (c->udp)
		cur = put_u64(c, cur, c->udp->sport);
	return cur;
}

static char *
put_udp_dstport(struct field_ctx *c, char *cur)
{
	if (c->udp)
		cur = put_u64(c, cur, c->udp->dport);
	return cur;
}

static char *
put_udp_length(struct field_ctx *c, char *cur)
{
	if (c->udp && c->udp->have >= 6)
		cur = put_u64(c, cur, c->udp->length);
	return cur;
}

static char *
put_udp_payload(struct field_ctx *c, char *cur)
{
	const struct dis_udp *u = c->udp;

	if (u && u->full && u->payload_cap > 0)
		cur = put_hex(c, cur, u->payload, u->payload_cap);
	return cur;
}

/* icmp.*, icmpv6.* */

static char *
put_icmp_type(struct field_ctx *c, char *cur)
{
	if (c->d->icmp_type >= 0)
		cur = put_u64(c, cur, (uint64_t)c->d->icmp_type);
	return cur;
}

static char *
put_icmp_code(struct field_ctx *c, char *cur)
{
	if (c->d->icmp_code >= 0)
		cur = put_u64(c, cur, (uint64_t)c->d->icmp_code);
	return cur;
}

static char *
put_icmpv6_type(struct field_ctx *c, char *cur)
{
	if (c->d->icmp6_type >= 0)
		cur = put_u64(c, cur, (uint64_t)c->d->icmp6_type);
	return cur;
}

static char *
put_icmpv6_code(struct field_ctx *c, char *cur)
{
	if (c->d->icmp6_code >= 0)
		cur = put_u64(c, cur, (uint64_t)c->d->icmp6_code);
	return cur;
}

/* tcp.options.mptcp.*: each value of every MPTCP option, in order */

enum mpf {
	MPF_SUBTYPE, MPF_VERSION, MPF_FLAGS, MPF_SENDKEY, MPF_RECVKEY,
	MPF_RECVTOK, MPF_ADDRID, MPF_SENDRAND, MPF_RAWDSN, MPF_SSN, MPF_DLEN,
	MPF_RAWACK, MPF_DSN8, MPF_ACK8, MPF_DATAFIN
};

/* One option's values of field f into out (a ',' before each). */
static size_t
mpopt_values(const struct dis_mpopt *x, enum mpf f, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	switch (f) {
	case MPF_SUBTYPE:
		if (x->has & MPO_SUBTYPE)
			goto one;
		break;
	case MPF_VERSION:
		if (x->has & MPO_VERSION)
			goto one;
		break;
	case MPF_FLAGS:
		if (x->has & MPO_FLAGS) {
			out[n++] = ',';
			out[n++] = '0';
			out[n++] = 'x';
			out[n++] = digits[x->flags >> 4];
			out[n++] = digits[x->flags & 15];
		}
		break;
	case MPF_SENDKEY:
		if (x->has & MPO_SENDKEY)
			goto one;
		break;
	case MPF_RECVKEY:
		if (x->has & MPO_RECVKEY)
			goto one;
		break;
	case MPF_RECVTOK:
		if (x->has & MPO_RECVTOK)
			goto one;
		break;
	case MPF_ADDRID:
		if (x->has & MPO_ADDRID)
			goto one;
		for (uint8_t i = 0; i < x->naddr; i++) {
			out[n++] = ',';
			n += num_fmt_u64(x->p[3 + i], out + n);
		}
		break;
	case MPF_SENDRAND:
		if (x->has & MPO_SENDRAND)
			goto one;
		break;
	case MPF_RAWDSN:
		if (x->has & MPO_DSN)
			goto one;
		break;
	case MPF_SSN:
		if (x->has & MPO_SSN)
			goto one;
		break;
	case MPF_DLEN:
		if (x->has & MPO_DLEN)
			goto one;
		break;
	case MPF_RAWACK:
		if (x->has & MPO_DATAACK)
			goto one;
		break;
	case MPF_DSN8:
	case MPF_ACK8:
	case MPF_DATAFIN:
		if (x->has & MPO_DSSBITS)
			goto one;
		break;
	}
	return n;
one:
	out[n++] = ',';
	switch (f) {
	case MPF_SUBTYPE: return n + num_fmt_u64(x->subtype, out + n);
	case MPF_VERSION: return n + num_fmt_u64(x->version, out + n);
	case MPF_SENDKEY: return n + num_fmt_u64(x->sendkey, out + n);
	case MPF_RECVKEY: return n + num_fmt_u64(x->recvkey, out + n);
	case MPF_RECVTOK: return n + num_fmt_u64(x->recvtok, out + n);
	case MPF_ADDRID: return n + num_fmt_u64(x->addrid, out + n);
	case MPF_SENDRAND: return n + num_fmt_u64(x->sendrand, out + n);
	case MPF_RAWDSN: return n + num_fmt_u64(x->dsn, out + n);
	case MPF_SSN: return n + num_fmt_u64(x->ssn, out + n);
	case MPF_DLEN: return n + num_fmt_u64(x->dlen, out + n);
	case MPF_RAWACK: return n + num_fmt_u64(x->dataack, out + n);
	case MPF_DSN8:
		out[n++] = (x->flags & MPTCP_DSS_DSN8) ? '1' : '0';
		return n;
	case MPF_ACK8:
		out[n++] = (x->flags & MPTCP_DSS_ACK8) ? '1' : '0';
		return n;
	case MPF_DATAFIN:
		out[n++] = (x->flags & MPTCP_DSS_DATAFIN) ? '1' : '0';
		return n;
	case MPF_FLAGS:
		break;
	}
	return n;
}

static char *
put_mpopt(struct field_ctx *c, char *cur, enum mpf f)
{
	/* at most 40 bytes of options: 160 address ids of 3 digits, or 13
	 * options of 21 digits */
	char s[DIS_MAX_MPTCP * 24 + 256];
	size_t n = 0;

	if (c->tcp == NULL)
		return cur;
	for (uint8_t i = 0; i < c->d->mptcp.n; i++)
		n += mpopt_values(&c->d->mptcp.opt[i], f, s + n);
	if (n > 0)
		cur = put_text(c, cur, s + 1, n - 1);
	return cur;
}

static char *
put_mptcp_subtype(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_SUBTYPE);
}

static char *
put_mptcp_version(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_VERSION);
}

static char *
put_mptcp_flags(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_FLAGS);
}

static char *
put_mptcp_sendkey(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_SENDKEY);
}

static char *
put_mptcp_recvkey(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_RECVKEY);
}

static char *
put_mptcp_recvtok(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_RECVTOK);
}

static char *
put_mptcp_addrid(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_ADDRID);
}

static char *
put_mptcp_sendrand(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_SENDRAND);
}

static char *
put_mptcp_rawdataseqno(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_RAWDSN);
}

static char *
put_mptcp_subflowseqno(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_SSN);
}

static char *
put_mptcp_datalvllen(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_DLEN);
}

static char *
put_mptcp_rawdataack(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_RAWACK);
}

static char *
put_mptcp_dseqn8(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_DSN8);
}

static char *
put_mptcp_dataack8(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_ACK8);
}

static char *
put_mptcp_datafin(struct field_ctx *c, char *cur)
{
	return put_mpopt(c, cur, MPF_DATAFIN);
}

/* mptcp.*: what the MPTCP analysis says */

/* n values, ','-joined, built in place */
static char *
put_u64_list(struct field_ctx *c, char *cur, const uint64_t *v, size_t n)
{
	char num[20], *out;
	size_t len = 0, k = 0;

	if (n == 0)
		return cur;
	for (size_t i = 0; i < n; i++)
		len += (i > 0) + num_fmt_u64(v[i], num);
	out = row_field(c, &cur, len);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			out[k++] = ',';
		k += num_fmt_u64(v[i], out + k);
	}
	return cur;
}

static char *
put_mptcp_stream(struct field_ctx *c, char *cur)
{
	if (c->f->mv && c->f->mv->has_stream)
		cur = put_u64(c, cur, c->f->mv->stream);
	return cur;
}

static char *
put_mptcp_expected_token(struct field_ctx *c, char *cur)
{
	uint64_t v[DIS_MAX_MPTCP];

	if (c->f->mv == NULL)
		return cur;
	for (uint8_t i = 0; i < c->f->mv->nexp; i++)
		v[i] = c->f->mv->exp_token[i];
	return put_u64_list(c, cur, v, c->f->mv->nexp);
}

static char *
put_mptcp_expected_idsn(struct field_ctx *c, char *cur)
{
	if (c->f->mv)
		cur = put_u64_list(c, cur, c->f->mv->exp_idsn, c->f->mv->nexp);
	return cur;
}

static char *
put_mptcp_dss_dsn(struct field_ctx *c, char *cur)
{
	if (c->f->mv)
		cur = put_u64_list(c, cur, c->f->mv->dss_dsn, c->f->mv->ndss);
	return cur;
}

static char *
put_mptcp_dsn(struct field_ctx *c, char *cur)
{
	if (c->f->mv && c->f->mv->has_dsn)
		cur = put_u64(c, cur, c->f->mv->dsn);
	return cur;
}

static char *
put_mptcp_rawdsn64(struct field_ctx *c, char *cur)
{
	if (c->f->mv && c->f->mv->has_rawdsn)
		cur = put_u64(c, cur, c->f->mv->rawdsn64);
	return cur;
}

static char *
put_mptcp_ack(struct field_ctx *c, char *cur)
{
	if (c->f->mv)
		cur = put_u64_list(c, cur, c->f->mv->ack, c->f->mv->nack);
	return cur;
}

static char *
put_mptcp_reinjection_of(struct field_ctx *c, char *cur)
{
	if (c->f->mv)
		cur = put_u64_list(c, cur, c->f->mv->reinj, c->f->mv->nreinj);
	return cur;
}

/* data.* */

/*
 * Whether tshark shows the payload as data.data: payload no dissector
 * claims, and not on a segment tshark hands to no payload dissector at all,
 * a retransmission (other than fast or spurious) or one out of order.
 */
static bool
data_shown(struct field_ctx *c)
{
	const struct tcp_verdict *v = c->v;

	if (!c->d->has_data)
		return false;
	return v == NULL || !((v->retransmission > 0 &&
	    v->fast_retransmission == 0 && v->spurious_retransmission == 0) ||
	    v->out_of_order > 0);
}

static char *
put_data_data(struct field_ctx *c, char *cur)
{
	if (data_shown(c))
		cur = put_hex(c, cur, c->d->data, c->d->data_len);
	return cur;
}

static char *
put_data_len(struct field_ctx *c, char *cur)
{
	if (data_shown(c))
		cur = put_u64(c, cur, c->d->data_len);
	return cur;
}

/*
 * The fields: name, what the value needs beyond the frame's dissection,
 * formatter.  pcap2csv -e with an unknown name lists them in this order.
 */
static const struct field {
	const char *name;
	unsigned needs;
	field_fmt *put;
} fields[] = {
	{ "frame.number", NEED_NONE, put_frame_number },
	{ "frame.time", NEED_NONE, put_frame_time },
	{ "frame.time_epoch", NEED_NONE, put_frame_time_epoch },
	{ "frame.time_relative", NEED_NONE, put_frame_time_relative },
	{ "frame.len", NEED_NONE, put_frame_len },
	{ "frame.cap_len", NEED_NONE, put_frame_cap_len },
	{ "ip.src", NEED_NONE, put_ip_src },
	{ "ip.dst", NEED_NONE, put_ip_dst },
	{ "ip.proto", NEED_NONE, put_ip_proto },
	{ "ip.len", NEED_NONE, put_ip_len },
	{ "ip.ttl", NEED_NONE, put_ip_ttl },
	{ "ip.hdr_len", NEED_NONE, put_ip_hdr_len },
	{ "ipv6.src", NEED_NONE, put_ipv6_src },
	{ "ipv6.dst", NEED_NONE, put_ipv6_dst },
	{ "ipv6.nxt", NEED_NONE, put_ipv6_nxt },
	{ "ipv6.plen", NEED_NONE, put_ipv6_plen },
	{ "ipv6.hlim", NEED_NONE, put_ipv6_hlim },
	{ "_ws.col.Protocol", NEED_NONE, put_col_protocol },
	{ "tcp.srcport", NEED_NONE, put_tcp_srcport },
	{ "tcp.dstport", NEED_NONE, put_tcp_dstport },
	{ "tcp.stream", NEED_TCPA, put_tcp_stream },
	{ "tcp.len", NEED_NONE, put_tcp_len },
	{ "tcp.seq", NEED_TCPA, put_tcp_seq },
	{ "tcp.seq_raw", NEED_NONE, put_tcp_seq_raw },
	{ "tcp.ack", NEED_TCPA, put_tcp_ack },
	{ "tcp.ack_raw", NEED_NONE, put_tcp_ack_raw },
	{ "tcp.hdr_len", NEED_NONE, put_tcp_hdr_len },
	{ "tcp.flags", NEED_NONE, put_tcp_flags },
	{ "tcp.window_size_value", NEED_NONE, put_tcp_window_size_value },
	{ "tcp.window_size", NEED_TCPA, put_tcp_window_size },
	{ "tcp.payload", NEED_NONE, put_tcp_payload },
	{ "tcp.analysis.acks_frame", NEED_TCPA, put_tcp_acks_frame },
	{ "tcp.analysis.ack_rtt", NEED_TCPA, put_tcp_ack_rtt },
	{ "tcp.analysis.bytes_in_flight", NEED_TCPA, put_tcp_bytes_in_flight },
	{ "tcp.analysis.retransmission", NEED_TCPA, put_tcp_retransmission },
	{ "tcp.analysis.fast_retransmission", NEED_TCPA,
	    put_tcp_fast_retransmission },
	{ "tcp.analysis.spurious_retransmission", NEED_TCPA,
	    put_tcp_spurious_retransmission },
	{ "tcp.analysis.out_of_order", NEED_TCPA, put_tcp_out_of_order },
	{ "tcp.analysis.duplicate_ack", NEED_TCPA, put_tcp_duplicate_ack },
	{ "tcp.analysis.lost_segment", NEED_TCPA, put_tcp_lost_segment },
	{ "tcp.options.mptcp.subtype", NEED_NONE, put_mptcp_subtype },
	{ "tcp.options.mptcp.version", NEED_NONE, put_mptcp_version },
	{ "tcp.options.mptcp.flags", NEED_NONE, put_mptcp_flags },
	{ "tcp.options.mptcp.sendkey", NEED_NONE, put_mptcp_sendkey },
	{ "tcp.options.mptcp.recvkey", NEED_NONE, put_mptcp_recvkey },
	{ "tcp.options.mptcp.recvtok", NEED_NONE, put_mptcp_recvtok },
	{ "tcp.options.mptcp.addrid", NEED_NONE, put_mptcp_addrid },
	{ "tcp.options.mptcp.sendrand", NEED_NONE, put_mptcp_sendrand },
	{ "tcp.options.mptcp.rawdataseqno", NEED_NONE,
	    put_mptcp_rawdataseqno },
	{ "tcp.options.mptcp.subflowseqno", NEED_NONE,
	    put_mptcp_subflowseqno },
	{ "tcp.options.mptcp.datalvllen", NEED_NONE, put_mptcp_datalvllen },
	{ "tcp.options.mptcp.rawdataack", NEED_NONE, put_mptcp_rawdataack },
	{ "tcp.options.mptcp.dseqn8.flag", NEED_NONE, put_mptcp_dseqn8 },
	{ "tcp.options.mptcp.dataack8.flag", NEED_NONE, put_mptcp_dataack8 },
	{ "tcp.options.mptcp.datafin.flag", NEED_NONE, put_mptcp_datafin },
	{ "mptcp.stream", NEED_TCPA | NEED_MPTCP, put_mptcp_stream },
	{ "mptcp.expected_token", NEED_TCPA | NEED_MPTCP,
	    put_mptcp_expected_token },
	{ "mptcp.expected_idsn", NEED_TCPA | NEED_MPTCP,
	    put_mptcp_expected_idsn },
	{ "mptcp.dss.dsn", NEED_TCPA | NEED_MPTCP, put_mptcp_dss_dsn },
	{ "mptcp.dsn", NEED_TCPA | NEED_MPTCP, put_mptcp_dsn },
	{ "mptcp.rawdsn64", NEED_TCPA | NEED_MPTCP, put_mptcp_rawdsn64 },
	{ "mptcp.ack", NEED_TCPA | NEED_MPTCP, put_mptcp_ack },
	{ "mptcp.reinjection_of", NEED_TCPA | NEED_MPTCP,
	    put_mptcp_reinjection_of },
	{ "udp.srcport", NEED_NONE, put_udp_srcport },
	{ "udp.dstport", NEED_NONE, put_udp_dstport },
	{ "udp.length", NEED_NONE, put_udp_length },
	{ "udp.payload", NEED_NONE, put_udp_payload },
	{ "icmp.type", NEED_NONE, put_icmp_type },
	{ "icmp.code", NEED_NONE, put_icmp_code },
	{ "icmpv6.type", NEED_NONE, put_icmpv6_type },
	{ "icmpv6.code", NEED_NONE, put_icmpv6_code },
	{ "data.data", NEED_DATA, put_data_data },
	{ "data.len", NEED_DATA, put_data_len },
};

#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

int
field_lookup(const char *name)
{
	for (int i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return i;
	return -1;
}

const char *
field_name(int id)
{
	return id >= 0 && id < NFIELDS ? fields[id].name : "";
}

int
field_count(void)
{
	return NFIELDS;
}

void
field_list(FILE *fp, const char *prefix)
{
	size_t col = 0;

	for (int i = 0; i < NFIELDS; i++) {
		size_t n = strlen(fields[i].name);

		if (col == 0) {
			fputs(prefix, fp);
			col = strlen(prefix);
		} else if (col + 1 + n > 76) {
			fprintf(fp, "\n%s", prefix);
			col = strlen(prefix);
		} else {
			fputc(' ', fp);
			col++;
		}
		fputs(fields[i].name, fp);
		col += n;
	}
	fputc('\n', fp);
}

bool
field_needs_analysis(const int *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] >= 0 && ids[i] < NFIELDS &&
		    (fields[ids[i]].needs & (NEED_TCPA | NEED_DATA)) != 0)
			return true;
	return false;
}

void
field_put(struct at_writer *w, struct field_buf *b, const int *ids,
    size_t n, const struct frame_info *f)
{
	const struct dissection *d = f->d;
	struct field_ctx c = {
		.w = w, .b = b, .f = f, .d = d,
		.tcp = d->has_tcp ? &d->tcp : NULL,
		.udp = d->has_udp ? &d->udp : NULL,
		.v = f->v,
		.tail = n + 2,
	};
	char *cur;

	if (n == 0)
		return;
	/*
	 * The row is written through a cursor, each field's text then an '@':
	 * one room check a field and the writer's state set once a row, where
	 * at_field would count and check every field (most of a row's cost
	 * beyond its numbers).
	 */
	at_reserve(w, c.tail + 64);
	cur = w->buf + w->len;
	c.end = w->buf + w->cap - c.tail;
	if (w->ncol > 0)
		*cur++ = AT_SEP;
	for (size_t i = 0; i < n; i++) {
		if (ids[i] >= 0 && ids[i] < NFIELDS)
			cur = fields[ids[i]].put(&c, cur);
		*cur++ = AT_SEP;
	}
	w->len = (size_t)(cur - 1 - w->buf);	/* no '@' after the last */
	w->ncol += n;
}

/* The TCP segment of a dissected frame, as the TCP analysis takes it. */
static void
tcp_seg_of(struct tcp_seg *s, const struct dissection *d,
    const struct frame_info *fi)
{
	const struct dis_tcp *t = &d->tcp;

	memset(s, 0, sizeof(*s));
	s->frame = fi->number;
	s->ts_sec = fi->sec;
	s->ts_nsec = (int32_t)fi->nsec;
	s->af = t->ip->af;
	memcpy(s->src, t->ip->src, 16);
	memcpy(s->dst, t->ip->dst, 16);
	s->sport = t->sport;
	s->dport = t->dport;
	s->seq = t->seq;
	s->ack = t->ack;
	s->flags = t->flags;
	s->win = t->win;
	s->wscale = t->wscale;
	s->sack_perm = t->sack_perm;
	s->nsack = t->nsack;
	memcpy(s->sack_le, t->sack_le, sizeof(s->sack_le));
	memcpy(s->sack_re, t->sack_re, sizeof(s->sack_re));
	s->len = t->len;
	s->hdr_len = t->hdr_len;
	s->ts_opt = t->ts_opt;
	s->tsval = t->tsval;
	s->tsecr = t->tsecr;
	s->hdr_truncated = !t->full;	/* options not all captured */
}

void
field_analyse(struct tcp_table *t, struct mptcp_table *m,
    const struct dissection *d, struct frame_info *fi, struct tcp_verdict *v,
    struct mptcp_verdict *mv)
{
	struct tcp_seg seg;

	fi->v = NULL;
	fi->mv = NULL;
	fi->stream = -1;
	if (!d->has_tcp)
		return;
	if (d->tcp.unanalysed && d->tcp.hdr) {
		/* tshark still finds (or starts) its conversation */
		tcp_seg_of(&seg, d, fi);
		fi->stream = tcp_stream_lookup(t, &seg);
	} else if (d->tcp.base) {
		tcp_seg_of(&seg, d, fi);
		tcp_analyze(t, &seg, v);
		fi->v = v;
		if (m != NULL) {
			mptcp_analyze(m, d, v, fi->number, mv);
			fi->mv = mv;
		}
	}
}
