/*
 * fields.c: field table and value formatting (see fields.h).  Values are
 * built in a small buffer by hand-written formatting: this runs for every
 * field of every frame, where printf would dominate the run time.
 */
#include <arpa/inet.h>
#include <string.h>

#include "fields.h"
#include "util.h"

enum {
	F_FRAME_NUMBER, F_FRAME_TIME, F_FRAME_TIME_EPOCH, F_FRAME_TIME_RELATIVE,
	F_FRAME_LEN, F_FRAME_CAP_LEN,
	F_IP_SRC, F_IP_DST, F_IP_PROTO, F_IP_LEN, F_IP_TTL, F_IP_HDR_LEN,
	F_IPV6_SRC, F_IPV6_DST, F_IPV6_NXT, F_IPV6_PLEN, F_IPV6_HLIM,
	F_COL_PROTOCOL,
	F_TCP_SRCPORT, F_TCP_DSTPORT, F_TCP_STREAM, F_TCP_LEN, F_TCP_SEQ,
	F_TCP_SEQ_RAW, F_TCP_ACK, F_TCP_ACK_RAW, F_TCP_HDR_LEN, F_TCP_FLAGS,
	F_TCP_WINDOW_SIZE_VALUE, F_TCP_WINDOW_SIZE, F_TCP_PAYLOAD,
	F_TCP_ACKS_FRAME, F_TCP_ACK_RTT, F_TCP_BYTES_IN_FLIGHT,
	F_TCP_RETRANSMISSION, F_TCP_FAST_RETRANSMISSION,
	F_TCP_SPURIOUS_RETRANSMISSION, F_TCP_OUT_OF_ORDER, F_TCP_DUPLICATE_ACK,
	F_TCP_LOST_SEGMENT,
	F_UDP_SRCPORT, F_UDP_DSTPORT, F_UDP_LENGTH, F_UDP_PAYLOAD,
	F_ICMP_TYPE, F_ICMP_CODE, F_ICMPV6_TYPE, F_ICMPV6_CODE,
	F_DATA_DATA, F_DATA_LEN,
	F_COUNT
};

static const char *const names[F_COUNT] = {
	[F_FRAME_NUMBER] = "frame.number",
	[F_FRAME_TIME] = "frame.time",
	[F_FRAME_TIME_EPOCH] = "frame.time_epoch",
	[F_FRAME_TIME_RELATIVE] = "frame.time_relative",
	[F_FRAME_LEN] = "frame.len",
	[F_FRAME_CAP_LEN] = "frame.cap_len",
	[F_IP_SRC] = "ip.src",
	[F_IP_DST] = "ip.dst",
	[F_IP_PROTO] = "ip.proto",
	[F_IP_LEN] = "ip.len",
	[F_IP_TTL] = "ip.ttl",
	[F_IP_HDR_LEN] = "ip.hdr_len",
	[F_IPV6_SRC] = "ipv6.src",
	[F_IPV6_DST] = "ipv6.dst",
	[F_IPV6_NXT] = "ipv6.nxt",
	[F_IPV6_PLEN] = "ipv6.plen",
	[F_IPV6_HLIM] = "ipv6.hlim",
	[F_COL_PROTOCOL] = "_ws.col.Protocol",
	[F_TCP_SRCPORT] = "tcp.srcport",
	[F_TCP_DSTPORT] = "tcp.dstport",
	[F_TCP_STREAM] = "tcp.stream",
	[F_TCP_LEN] = "tcp.len",
	[F_TCP_SEQ] = "tcp.seq",
	[F_TCP_SEQ_RAW] = "tcp.seq_raw",
	[F_TCP_ACK] = "tcp.ack",
	[F_TCP_ACK_RAW] = "tcp.ack_raw",
	[F_TCP_HDR_LEN] = "tcp.hdr_len",
	[F_TCP_FLAGS] = "tcp.flags",
	[F_TCP_WINDOW_SIZE_VALUE] = "tcp.window_size_value",
	[F_TCP_WINDOW_SIZE] = "tcp.window_size",
	[F_TCP_PAYLOAD] = "tcp.payload",
	[F_TCP_ACKS_FRAME] = "tcp.analysis.acks_frame",
	[F_TCP_ACK_RTT] = "tcp.analysis.ack_rtt",
	[F_TCP_BYTES_IN_FLIGHT] = "tcp.analysis.bytes_in_flight",
	[F_TCP_RETRANSMISSION] = "tcp.analysis.retransmission",
	[F_TCP_FAST_RETRANSMISSION] = "tcp.analysis.fast_retransmission",
	[F_TCP_SPURIOUS_RETRANSMISSION] = "tcp.analysis.spurious_retransmission",
	[F_TCP_OUT_OF_ORDER] = "tcp.analysis.out_of_order",
	[F_TCP_DUPLICATE_ACK] = "tcp.analysis.duplicate_ack",
	[F_TCP_LOST_SEGMENT] = "tcp.analysis.lost_segment",
	[F_UDP_SRCPORT] = "udp.srcport",
	[F_UDP_DSTPORT] = "udp.dstport",
	[F_UDP_LENGTH] = "udp.length",
	[F_UDP_PAYLOAD] = "udp.payload",
	[F_ICMP_TYPE] = "icmp.type",
	[F_ICMP_CODE] = "icmp.code",
	[F_ICMPV6_TYPE] = "icmpv6.type",
	[F_ICMPV6_CODE] = "icmpv6.code",
	[F_DATA_DATA] = "data.data",
	[F_DATA_LEN] = "data.len",
};

int
field_lookup(const char *name)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *
field_name(int id)
{
	return id >= 0 && id < F_COUNT ? names[id] : "";
}

void
field_list(FILE *fp, const char *prefix)
{
	size_t col = 0;

	for (int i = 0; i < F_COUNT; i++) {
		size_t n = strlen(names[i]);

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
		fputs(names[i], fp);
		col += n;
	}
	fputc('\n', fp);
}

int
field_needs_analysis(int id)
{
	switch (id) {
	case F_TCP_STREAM: case F_TCP_SEQ: case F_TCP_ACK:
	case F_TCP_WINDOW_SIZE: case F_TCP_ACKS_FRAME: case F_TCP_ACK_RTT:
	case F_TCP_BYTES_IN_FLIGHT: case F_TCP_RETRANSMISSION:
	case F_TCP_FAST_RETRANSMISSION: case F_TCP_SPURIOUS_RETRANSMISSION:
	case F_TCP_OUT_OF_ORDER: case F_TCP_DUPLICATE_ACK:
	case F_TCP_LOST_SEGMENT:
		return 1;
	}
	return 0;
}

static size_t
ipv4_text(const uint8_t *a, char *out)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (i > 0)
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

/*
 * Four bytes as eight lowercase hex digits, in one 64-bit word: each byte
 * goes to a 16-bit lane, its high nibble to the lane's first byte, its low
 * nibble to the second, then '0' is added to every byte and 'a' - '0' - 10
 * more to those above 9.  Payload hex is most of pcap2csv's output.
 */
static uint64_t
hex4(const uint8_t *p)
{
	const uint64_t lanes = 0x000f000f000f000fULL;
	uint64_t b = (uint64_t)p[0] | (uint64_t)p[1] << 16 |
	    (uint64_t)p[2] << 32 | (uint64_t)p[3] << 48;
	uint64_t n = ((b >> 4) & lanes) | (b & lanes) << 8;
	uint64_t above9 = ((n + 0x0606060606060606ULL) >> 4) &
	    0x0101010101010101ULL;

	return n + 0x3030303030303030ULL + above9 * ('a' - '0' - 10);
}

/* Bytes as lowercase hex, written straight into the row. */
static void
put_hex(struct at_writer *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *out = at_field(w, 2 * n);
	size_t i = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 4 <= n; i += 4) {
		uint64_t h = hex4(p + i);

		memcpy(out + 2 * i, &h, 8);
	}
#else
	(void)hex4;
#endif
	for (; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
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
		switch (f) {
		case IPF_SRC:
			n += af == 4 ? ipv4_text(ip->src, out + n) :
			    ipv6_text(ip->src, out + n);
			break;
		case IPF_DST:
			n += af == 4 ? ipv4_text(ip->dst, out + n) :
			    ipv6_text(ip->dst, out + n);
			break;
		case IPF_PROTO:
			n += num_fmt_u64(ip->proto, out + n);
			break;
		case IPF_LEN:
			n += num_fmt_u64(ip->len, out + n);
			break;
		case IPF_TTL:
			n += num_fmt_u64(ip->ttl, out + n);
			break;
		case IPF_HDR_LEN:
			n += num_fmt_u64(ip->hdr_len, out + n);
			break;
		}
	}
	return n;
}

/* "1", or "1,1" when tshark's tree holds the flag twice. */
static size_t
flag_text(unsigned count, char *out)
{
	size_t n = 0;

	for (unsigned i = 0; i < count && i < 8; i++) {
		if (i > 0)
			out[n++] = ',';
		out[n++] = '1';
	}
	return n;
}

static size_t
hex16(uint16_t v, char *out)
{
	static const char digits[] = "0123456789abcdef";

	out[0] = '0';
	out[1] = 'x';
	for (int i = 0; i < 4; i++)
		out[2 + i] = digits[(v >> (12 - 4 * i)) & 15];
	return 6;
}

void
field_put(struct at_writer *w, struct field_buf *b, int id,
    const struct frame_info *f)
{
	const struct dissection *d = f->d;
	const struct dis_tcp *t = d->has_tcp ? &d->tcp : NULL;
	const struct dis_udp *u = d->has_udp ? &d->udp : NULL;
	const struct tcp_verdict *v = f->v;
	char s[DIS_MAX_IP * 48 + NST_TEXT_MAX], *out;
	size_t n = 0;

	switch (id) {
	case F_FRAME_NUMBER:
		n = num_fmt_u64(f->number, s);
		break;
	case F_FRAME_TIME:
		n = nst_fmt_abs(&b->time, f->sec, f->nsec, s);
		break;
	case F_FRAME_TIME_EPOCH:
		n = nst_fmt_epoch(f->sec, f->nsec, s);
		break;
	case F_FRAME_TIME_RELATIVE:
		n = nst_fmt_s(f->rel_ns, s);
		break;
	case F_FRAME_LEN:
		n = num_fmt_u64(f->len, s);
		break;
	case F_FRAME_CAP_LEN:
		n = num_fmt_u64(f->caplen, s);
		break;
	case F_IP_SRC:
		n = ip_values(d, 4, IPF_SRC, s, sizeof(s));
		break;
	case F_IP_DST:
		n = ip_values(d, 4, IPF_DST, s, sizeof(s));
		break;
	case F_IP_PROTO:
		n = ip_values(d, 4, IPF_PROTO, s, sizeof(s));
		break;
	case F_IP_LEN:
		n = ip_values(d, 4, IPF_LEN, s, sizeof(s));
		break;
	case F_IP_TTL:
		n = ip_values(d, 4, IPF_TTL, s, sizeof(s));
		break;
	case F_IP_HDR_LEN:
		n = ip_values(d, 4, IPF_HDR_LEN, s, sizeof(s));
		break;
	case F_IPV6_SRC:
		n = ip_values(d, 6, IPF_SRC, s, sizeof(s));
		break;
	case F_IPV6_DST:
		n = ip_values(d, 6, IPF_DST, s, sizeof(s));
		break;
	case F_IPV6_NXT:
		n = ip_values(d, 6, IPF_PROTO, s, sizeof(s));
		break;
	case F_IPV6_PLEN:
		n = ip_values(d, 6, IPF_LEN, s, sizeof(s));
		break;
	case F_IPV6_HLIM:
		n = ip_values(d, 6, IPF_TTL, s, sizeof(s));
		break;
	case F_COL_PROTOCOL:
		at_put(w, d->protocol);
		return;
	case F_TCP_SRCPORT:
		if (t)
			n = num_fmt_u64(t->sport, s);
		break;
	case F_TCP_DSTPORT:
		if (t)
			n = num_fmt_u64(t->dport, s);
		break;
	case F_TCP_LEN:
		if (t && t->base && !t->unanalysed)
			n = num_fmt_u64(t->len, s);
		break;
	case F_TCP_SEQ_RAW:
		if (t && t->base)
			n = num_fmt_u64(t->seq, s);
		break;
	case F_TCP_ACK_RAW:
		if (t && t->hdr)
			n = num_fmt_u64(t->ack, s);
		break;
	case F_TCP_HDR_LEN:
		if (t && t->hdr)
			n = num_fmt_u64(t->hdr_len, s);
		break;
	case F_TCP_FLAGS:
		if (t && t->hdr)
			n = hex16(t->flags, s);
		break;
	case F_TCP_WINDOW_SIZE_VALUE:
		if (t && t->hdr)
			n = num_fmt_u64(t->win, s);
		break;
	case F_TCP_PAYLOAD:
		if (t && t->full && t->len > 0 && t->payload_cap > 0) {
			put_hex(w, t->payload, t->payload_cap);
			return;
		}
		break;
	case F_TCP_STREAM:
		if (v)
			n = num_fmt_u64(v->stream, s);
		else if (f->stream >= 0)
			n = num_fmt_u64((uint64_t)f->stream, s);
		break;
	case F_TCP_SEQ:
		if (v)
			n = num_fmt_u64(v->rel_seq, s);
		else if (t && (t->quoted_seq || (t->unanalysed && t->base)))
			n = num_fmt_u64(t->seq, s);
		break;
	case F_TCP_ACK:
		if (v)	/* also without ACK flag: then the raw field */
			n = num_fmt_u64(v->rel_ack, s);
		else if (t && t->unanalysed && t->hdr)
			n = num_fmt_u64(t->ack, s);
		break;
	case F_TCP_WINDOW_SIZE:
		if (v && v->window_size >= 0)
			n = num_fmt_u64((uint64_t)v->window_size, s);
		else if (!v && t && t->unanalysed && t->hdr)
			n = num_fmt_u64(t->win, s);
		break;
	case F_TCP_ACKS_FRAME:
		if (v && v->acks_frame > 0)
			n = num_fmt_u64(v->acks_frame, s);
		break;
	case F_TCP_ACK_RTT:
		if (v && v->ack_rtt_ns >= 0)
			n = nst_fmt_s(v->ack_rtt_ns, s);
		break;
	case F_TCP_BYTES_IN_FLIGHT:
		if (v && v->bytes_in_flight >= 0)
			n = num_fmt_u64((uint64_t)v->bytes_in_flight, s);
		break;
	case F_TCP_RETRANSMISSION:
		if (v)
			n = flag_text(v->retransmission, s);
		break;
	case F_TCP_FAST_RETRANSMISSION:
		if (v)
			n = flag_text(v->fast_retransmission, s);
		break;
	case F_TCP_SPURIOUS_RETRANSMISSION:
		if (v)
			n = flag_text(v->spurious_retransmission, s);
		break;
	case F_TCP_OUT_OF_ORDER:
		if (v)
			n = flag_text(v->out_of_order, s);
		break;
	case F_TCP_DUPLICATE_ACK:
		if (v)
			n = flag_text(v->duplicate_ack, s);
		break;
	case F_TCP_LOST_SEGMENT:
		if (v)
			n = flag_text(v->lost_segment, s);
		break;
	case F_UDP_SRCPORT:
		if (u)
			n = num_fmt_u64(u->sport, s);
		break;
	case F_UDP_DSTPORT:
		if (u)
			n = num_fmt_u64(u->dport, s);
		break;
	case F_UDP_LENGTH:
		if (u && u->have >= 6)
			n = num_fmt_u64(u->length, s);
		break;
	case F_UDP_PAYLOAD:
		if (u && u->full && u->payload_cap > 0) {
			put_hex(w, u->payload, u->payload_cap);
			return;
		}
		break;
	case F_ICMP_TYPE:
		if (d->icmp_type >= 0)
			n = num_fmt_u64((uint64_t)d->icmp_type, s);
		break;
	case F_ICMP_CODE:
		if (d->icmp_code >= 0)
			n = num_fmt_u64((uint64_t)d->icmp_code, s);
		break;
	case F_ICMPV6_TYPE:
		if (d->icmp6_type >= 0)
			n = num_fmt_u64((uint64_t)d->icmp6_type, s);
		break;
	case F_ICMPV6_CODE:
		if (d->icmp6_code >= 0)
			n = num_fmt_u64((uint64_t)d->icmp6_code, s);
		break;
	case F_DATA_DATA:
		if (d->has_data) {
			put_hex(w, d->data, d->data_len);
			return;
		}
		break;
	case F_DATA_LEN:
		if (d->has_data)
			n = num_fmt_u64(d->data_len, s);
		break;
	}
	out = at_field(w, n);	/* digits, dots, commas: no quoting */
	if (n > 0)		/* an empty first field: no buffer yet */
		memcpy(out, s, n);
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
field_analyse(struct tcp_table *t, struct dissection *d,
    struct frame_info *fi, struct tcp_verdict *v)
{
	struct tcp_seg seg;

	fi->v = NULL;
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
		/*
		 * tshark hands no retransmitted (other than fast or spurious)
		 * or out-of-order segment to a payload dissector, so it shows
		 * no data.data for them.
		 */
		if ((v->retransmission > 0 && v->fast_retransmission == 0 &&
		    v->spurious_retransmission == 0) || v->out_of_order > 0)
			d->has_data = false;
	}
}
