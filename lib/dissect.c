/*
 * dissect.c: link layer, VLAN, IPv4, IPv6, TCP, UDP, ICMP decoding with the
 * field presence rules of Wireshark 4.0 (see dissect.h).
 */
#include <pcap/pcap.h>
#include <string.h>

#include "dissect.h"

/* Link types libpcap may not name on every platform. */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define MAX_NESTING 8		/* encapsulations followed before giving up */

/* The bytes left to decode: `cap` captured, `rep` reported (on the wire). */
struct span {
	const uint8_t *p;
	uint32_t cap, rep;
};

/*
 * Reads of packet bytes.  Each reader checks that the bytes it reads lie in
 * the captured part of the span and reads them in the same act, as
 * tcpdump's GET_BE_U_2() over ND_TTEST_LEN() does, so that no read relies
 * on a length test made before it.  They return false, leaving *v as it
 * was, when the bytes were not captured.  Inline: a call each would cost
 * more than the read (a frame takes some twenty).
 */
#define READER static inline __attribute__((always_inline)) bool
READER
captured(struct span s, uint32_t off, uint32_t n)
{
	return n <= s.cap && off <= s.cap - n;
}

READER
get_u8(struct span s, uint32_t off, uint8_t *v)
{
	if (!captured(s, off, 1))
		return false;
	*v = s.p[off];
	return true;
}

READER
get_be16(struct span s, uint32_t off, uint16_t *v)
{
	if (!captured(s, off, 2))
		return false;
	*v = (uint16_t)(s.p[off] << 8 | s.p[off + 1]);
	return true;
}

READER
get_be32(struct span s, uint32_t off, uint32_t *v)
{
	if (!captured(s, off, 4))
		return false;
	*v = (uint32_t)s.p[off] << 24 | (uint32_t)s.p[off + 1] << 16 |
	    (uint32_t)s.p[off + 2] << 8 | s.p[off + 3];
	return true;
}

READER
get_be_n(struct span s, uint32_t off, uint32_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n > 8 || !captured(s, off, n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		x = x << 8 | s.p[off + i];
	*v = x;
	return true;
}

READER
get_be64(struct span s, uint32_t off, uint64_t *v)
{
	return get_be_n(s, off, 8, v);
}

READER
get_le32(struct span s, uint32_t off, uint32_t *v)
{
	if (!captured(s, off, 4))
		return false;
	*v = (uint32_t)s.p[off] | (uint32_t)s.p[off + 1] << 8 |
	    (uint32_t)s.p[off + 2] << 16 | (uint32_t)s.p[off + 3] << 24;
	return true;
}

READER
get_bytes(struct span s, uint32_t off, uint32_t n, uint8_t *out)
{
	if (!captured(s, off, n))
		return false;
	memcpy(out, s.p + off, n);
	return true;
}

static struct span
advance(struct span s, uint32_t n)
{
	s.p += n <= s.cap ? n : s.cap;
	s.cap = n <= s.cap ? s.cap - n : 0;
	s.rep = n <= s.rep ? s.rep - n : 0;
	return s;
}

/* Limits a span to `len` reported bytes (an IP or UDP length field). */
static struct span
limit(struct span s, uint32_t len)
{
	if (len < s.rep)
		s.rep = len;
	if (len < s.cap)
		s.cap = len;
	return s;
}

/*
 * Ports on which tshark 4.0's default configuration hands TCP or UDP payload
 * to an application dissector instead of showing it as data.data.  Payload on
 * other ports is data.  (Heuristic dissectors that might claim payload on
 * other ports are not modelled; see pcap2csv(1).)
 */
static bool
tcp_port_claimed(uint16_t port)
{
	switch (port) {
	case 20: case 21: case 22: case 23: case 25: case 53: case 79:
	case 80: case 88: case 110: case 111: case 113: case 119: case 135:
	case 139: case 143: case 179: case 389: case 443: case 445: case 465:
	case 513: case 514: case 515: case 543: case 554: case 587: case 631:
	case 636: case 646: case 853: case 873: case 993: case 995: case 1080:
	case 1433: case 1723: case 1883: case 2049: case 3128: case 3306:
	case 3389: case 5060: case 5061: case 5222: case 5432: case 5900:
	case 6379: case 6633: case 6653: case 8080: case 8443: case 9200:
		return true;
	}
	return false;
}

static bool
udp_port_claimed(uint16_t port)
{
	switch (port) {
	case 7: case 53: case 67: case 68: case 69: case 111: case 123:
	case 137: case 138: case 161: case 162: case 443: case 500: case 514:
	case 520: case 521: case 1645: case 1646: case 1701: case 1812:
	case 319: case 320: case 546: case 547: case 646: case 698:
	case 701: case 4341: case 4342: case 6343: case 1813: case 1900: case 2049:
	case 2123: case 2152: case 3478: case 3784: case 3799: case 4500:
	case 4784: case 4789: case 5060: case 5246: case 5247: case 5353:
	case 5355: case 6081: case 6696: case 8472:
		return true;
	}
	return false;
}

static void decode_ip(struct span s, struct dissection *d, int depth,
    bool embedded);

/*
 * One MPTCP option (kind 30), `o` spanning its `olen` bytes as far as they
 * were captured, read field by field in the order tshark 4.0 reads them:
 * false when a read goes past the option (tshark then throws and its TCP
 * dissector stops), with what was read so far kept.
 */
static bool
decode_mptcp_option(struct span o, uint8_t olen, struct dis_mptcp *m)
{
	struct dis_mpopt *x;
	uint32_t at;
	uint8_t b2;

	if (m->n >= DIS_MAX_MPTCP)
		return true;	/* cannot happen in 40 bytes of options */
	x = &m->opt[m->n++];
	memset(x, 0, sizeof(*x));
	x->p = o.p;
	x->len = olen;
	x->cap = (uint8_t)o.cap;
	if (!get_u8(o, 2, &b2))
		return false;
	x->subtype = b2 >> 4;
	x->has = MPO_SUBTYPE;
	switch (x->subtype) {
	case 0:		/* MP_CAPABLE: the keys by the option's length */
		x->version = b2 & 0x0f;
		x->has |= MPO_VERSION;
		if (!get_u8(o, 3, &x->flags))
			return false;
		x->has |= MPO_FLAGS;
		if (olen != 12 && olen != 20 && olen != 22 && olen != 24)
			break;
		if (!get_be64(o, 4, &x->sendkey))
			return false;
		x->has |= MPO_SENDKEY;
		if (olen >= 20) {
			if (!get_be64(o, 12, &x->recvkey))
				return false;
			x->has |= MPO_RECVKEY;
		}
		if (olen >= 22) {
			if (!get_be16(o, 20, &x->dlen))
				return false;
			x->has |= MPO_DLEN;
		}
		break;
	case 1:		/* MP_JOIN: SYN (12), SYN/ACK (16), ACK (24) */
		if (olen != 12 && olen != 16)
			break;
		x->flags = b2;	/* tshark shows the whole byte */
		x->has |= MPO_FLAGS;
		if (!get_u8(o, 3, &x->addrid))
			return false;
		x->has |= MPO_ADDRID;
		if (olen == 12) {
			if (!get_be32(o, 4, &x->recvtok))
				return false;
			x->has |= MPO_RECVTOK;
			if (!get_be32(o, 8, &x->sendrand))
				return false;
		} else if (!get_be32(o, 12, &x->sendrand))
			return false;
		x->has |= MPO_SENDRAND;
		break;
	case 2:		/* DSS */
		if (!get_u8(o, 3, &x->flags))
			return false;
		x->has |= MPO_FLAGS | MPO_DSSBITS;
		at = 4;
		if (x->flags & MPTCP_DSS_ACK) {
			if (!get_be_n(o, at, x->flags & MPTCP_DSS_ACK8 ? 8 : 4,
			    &x->dataack))
				return false;
			x->has |= MPO_DATAACK;
			at += x->flags & MPTCP_DSS_ACK8 ? 8 : 4;
		}
		if (x->flags & MPTCP_DSS_MAP) {
			if (!get_be_n(o, at, x->flags & MPTCP_DSS_DSN8 ? 8 : 4,
			    &x->dsn))
				return false;
			x->has |= MPO_DSN;
			at += x->flags & MPTCP_DSS_DSN8 ? 8 : 4;
			if (!get_be32(o, at, &x->ssn))
				return false;
			x->has |= MPO_SSN;
			if (!get_be16(o, at + 4, &x->dlen))
				return false;
			x->has |= MPO_DLEN;
		}
		break;
	case 3:		/* ADD_ADDR */
		if (!get_u8(o, 3, &x->addrid))
			return false;
		x->has |= MPO_ADDRID;
		break;
	case 4:		/* REMOVE_ADDR: an id a byte to the end */
		for (at = 3; at < olen; at++) {
			uint8_t id;

			if (!get_u8(o, at, &id))
				return false;
			x->naddr++;
			x->has |= MPO_ADDRLIST;
		}
		break;
	case 5:		/* MP_PRIO */
		x->flags = b2;
		x->has |= MPO_FLAGS;
		if (olen == 4) {
			if (!get_u8(o, 3, &x->addrid))
				return false;
			x->has |= MPO_ADDRID;
		}
		break;
	case 6:		/* MP_FAIL */
		if (!get_be64(o, 4, &x->dsn))
			return false;
		x->has |= MPO_DSN;
		break;
	case 7:		/* MP_FASTCLOSE: the receiver's key */
		if (!get_be64(o, 4, &x->recvkey))
			return false;
		x->has |= MPO_RECVKEY;
		break;
	case 8:		/* MP_TCPRST: flags in the subtype byte, a reason */
		x->flags = b2;
		x->has |= MPO_FLAGS;
		if (!get_u8(o, 3, &b2))
			return false;
		break;
	}
	return true;
}

/*
 * TCP options: kind, length, value; 0 ends them, 1 is padding.  `o` spans
 * the options as the header's length reports them; `cut` when fewer were
 * captured: then only MPTCP options are decoded (their analysis state
 * changes even so), and the walk ends at the first byte not captured.
 */
static void
decode_tcp_options(struct span o, struct dissection *d, bool cut)
{
	struct dis_tcp *t = &d->tcp;
	struct dis_mptcp *m = &d->mptcp;

	for (uint32_t at = 0; at < o.rep;) {
		uint8_t kind, olen, shift;

		if (!get_u8(o, at, &kind))
			break;
		if (kind == 0)
			break;
		if (kind == 1) {
			at++;
			continue;
		}
		if (!get_u8(o, at + 1, &olen) || olen < 2 ||
		    olen > o.rep - at)
			break;
		if (kind == 30) {
			d->protocol = "MPTCP";
			if (!decode_mptcp_option(limit(advance(o, at), olen),
			    olen, m)) {
				m->threw = true;
				break;
			}
			at += olen;
			continue;
		}
		if (cut || !captured(o, at, olen))
			break;
		switch (kind) {
		case 3:
			if (olen == 3 && get_u8(o, at + 2, &shift))
				t->wscale = shift;
			break;
		case 4:
			if (olen == 2)
				t->sack_perm = true;
			break;
		case 5:
			for (uint32_t b = at + 2; b + 8 <= at + olen &&
			    t->nsack < 4; b += 8) {
				if (!get_be32(o, b, &t->sack_le[t->nsack]) ||
				    !get_be32(o, b + 4, &t->sack_re[t->nsack]))
					break;
				t->nsack++;
			}
			break;
		case 8:
			if (olen == 10 && get_be32(o, at + 2, &t->tsval) &&
			    get_be32(o, at + 6, &t->tsecr))
				t->ts_opt = true;
			break;
		}
		at += olen;
	}
	if (cut)
		m->threw = m->n > 0;
}

static void
decode_tcp(struct span s, struct dissection *d, const struct dis_ip *ip,
    bool embedded)
{
	struct dis_tcp *t = &d->tcp;
	uint16_t off_flags;

	if (!embedded)
		d->protocol = "TCP";
	if (d->has_tcp || d->has_udp)
		return;		/* one transport header per frame */
	memset(t, 0, sizeof(*t));
	t->wscale = -1;
	t->embedded = embedded;
	t->ip = ip;
	t->have = s.cap < 60 ? s.cap : 60;
	if (!get_be16(s, 0, &t->sport) || !get_be16(s, 2, &t->dport))
		return;
	d->has_tcp = true;
	if (!get_be32(s, 4, &t->seq))
		return;
	/*
	 * A header Wireshark does not analyse (quoted in an ICMP error, or
	 * in a first fragment it could not reassemble) shows tcp.seq and
	 * tcp.ack as on the wire.
	 */
	t->unanalysed = embedded || d->fragmented;
	t->quoted_seq = embedded;
	/* Wireshark shows the rest only when all 20 fixed bytes are there. */
	if (!captured(s, 0, 20) || !get_be32(s, 8, &t->ack) ||
	    !get_be16(s, 12, &off_flags) || !get_be16(s, 14, &t->win))
		return;
	t->hdr_len = (uint16_t)((off_flags >> 12) * 4);
	t->flags = off_flags & 0x0fff;
	/* Wireshark gives up on a header length that cannot be right. */
	if (t->hdr_len < 20 || (!embedded && t->hdr_len > s.rep))
		return;
	t->hdr = true;
	if (embedded)
		return;		/* the quote ends somewhere in the segment */
	t->base = true;
	t->len = s.rep - t->hdr_len;
	/*
	 * Options cut short: Wireshark stops before the analysis, past the
	 * MPTCP options it could read.  So does an MPTCP option it reads past
	 * its end, and the payload is not shown either.
	 */
	if (!captured(s, 0, t->hdr_len)) {
		decode_tcp_options(limit(advance(s, 20), t->hdr_len - 20u), d,
		    true);
		return;
	}
	decode_tcp_options(limit(advance(s, 20), t->hdr_len - 20u), d, false);
	if (d->mptcp.threw)
		return;
	t->full = true;

	s = advance(s, t->hdr_len);
	t->payload = s.p;
	t->payload_cap = s.cap;
	if (t->len > 0 && !tcp_port_claimed(t->sport) &&
	    !tcp_port_claimed(t->dport)) {
		d->has_data = s.cap > 0;
		d->data = s.p;
		d->data_len = s.cap;
	}
}

static void
decode_udp(struct span s, struct dissection *d, bool embedded)
{
	struct dis_udp *u = &d->udp;
	bool bad;

	if (!embedded)
		d->protocol = "UDP";
	if (d->has_tcp || d->has_udp)
		return;
	memset(u, 0, sizeof(*u));
	u->embedded = embedded;
	u->have = s.cap < 8 ? s.cap : 8;
	if (!get_be16(s, 0, &u->sport) || !get_be16(s, 2, &u->dport))
		return;
	d->has_udp = true;
	/* the checksum's bytes too: Wireshark's rule for the length */
	if (!captured(s, 0, 8) || !get_be16(s, 4, &u->length) ||
	    u->length < 8)
		return;
	u->full = true;
	/*
	 * A length past the IP payload (or inside an ICMP error, where the
	 * datagram is cut short by design): the payload is what there is.
	 */
	bad = u->length > s.rep;
	s = advance(limit(s, u->length), 8);
	u->payload = s.p;
	u->payload_cap = s.cap;
	if (!bad && s.rep > 0 && !udp_port_claimed(u->sport) &&
	    !udp_port_claimed(u->dport)) {
		d->has_data = s.cap > 0;
		d->data = s.p;
		d->data_len = s.cap;
	}
}

/* ICMP and ICMPv6: type and code; error messages carry the offending IP. */
static void
decode_icmp(struct span s, struct dissection *d, int depth, bool v6)
{
	uint8_t type, code;
	bool error;

	if (depth > 0 && (d->icmp_type >= 0 || d->icmp6_type >= 0))
		return;		/* ICMP inside an ICMP error: stop */
	d->protocol = v6 ? "ICMPv6" : "ICMP";
	if (!get_u8(s, 0, &type) || !get_u8(s, 1, &code))
		return;
	if (v6) {
		d->icmp6_type = type;
		d->icmp6_code = code;
		error = type >= 1 && type <= 4;
	} else {
		d->icmp_type = type;
		d->icmp_code = code;
		error = type == 3 || type == 4 || type == 5 || type == 11 ||
		    type == 12;
	}
	if (error && s.cap > 8)
		decode_ip(advance(s, 8), d, depth + 1, true);
}

static void
decode_transport(struct span s, uint8_t proto, struct dissection *d,
    const struct dis_ip *ip, int depth, bool embedded)
{
	switch (proto) {
	case 6:
		decode_tcp(s, d, ip, embedded);
		break;
	case 17:
		decode_udp(s, d, embedded);
		break;
	case 1:
		if (ip->af == 4 && !embedded)
			decode_icmp(s, d, depth, false);
		break;
	case 58:
		if (ip->af == 6 && !embedded)
			decode_icmp(s, d, depth, true);
		break;
	case 4:
	case 41:
		if (!embedded)
			decode_ip(s, d, depth + 1, false);
		break;
	}
}

static struct dis_ip *
new_ip(struct dissection *d)
{
	struct dis_ip *ip;

	if (d->nip >= DIS_MAX_IP)
		return NULL;
	ip = &d->ip[d->nip++];
	memset(ip, 0, sizeof(*ip));
	return ip;
}

static void
decode_ipv4(struct span s, struct dissection *d, int depth, bool embedded)
{
	struct dis_ip *ip;
	uint32_t hlen, len;
	uint16_t len16, frag;
	uint8_t vhl;

	if (!embedded)
		d->protocol = "IPv4";
	if (!get_u8(s, 0, &vhl) || vhl >> 4 != 4)
		return;
	hlen = (uint32_t)(vhl & 0x0f) * 4;
	if (hlen < 20 || !get_be16(s, 2, &len16) || (ip = new_ip(d)) == NULL)
		return;
	ip->af = 4;
	ip->have = (uint8_t)(s.cap < 40 ? s.cap : 40);
	ip->hdr_len = (uint8_t)hlen;
	len = len16;
	if (len == 0 && !embedded)
		len = s.rep;		/* TSO: the length is the frame's */
	ip->len = (uint16_t)len;
	/* each as far as captured: ip->have tells the fields which are */
	(void)get_be16(s, 4, &ip->id);
	(void)get_u8(s, 8, &ip->ttl);
	(void)get_u8(s, 9, &ip->proto);
	(void)get_bytes(s, 12, 4, ip->src);
	(void)get_bytes(s, 16, 4, ip->dst);
	if (len < hlen) {
		ip->have = 4;	/* Wireshark stops after ip.len */
		return;
	}
	if (!captured(s, 0, hlen) || !get_be16(s, 6, &frag))
		return;
	/*
	 * Wireshark reassembles fragments whose bytes are all captured and
	 * then shows nothing of the transport on them; a first fragment cut
	 * short is decoded as far as it goes, later ones not at all.
	 */
	if ((frag & 0x1fff) != 0 || ((frag & 0x2000) != 0 && s.cap >= len))
		return;
	d->fragmented = (frag & 0x2000) != 0;
	/*
	 * The transport's length comes from the IP header, even when fewer
	 * bytes were captured (a small snaplen), but not past the frame's
	 * length on the wire.
	 */
	s = advance(limit(s, len), hlen);
	if (depth < MAX_NESTING)
		decode_transport(s, ip->proto, d, ip, depth, embedded);
}

static void
decode_ipv6(struct span s, struct dissection *d, int depth, bool embedded)
{
	struct dis_ip *ip;
	uint32_t plen;
	uint16_t plen16, frag;
	uint8_t vtc, nxt, hlim, x;

	if (!embedded)
		d->protocol = "IPv6";
	if (!get_u8(s, 0, &vtc) || vtc >> 4 != 6 ||
	    !get_be16(s, 4, &plen16) || !get_u8(s, 6, &nxt) ||
	    !get_u8(s, 7, &hlim) || (ip = new_ip(d)) == NULL)
		return;
	ip->af = 6;
	ip->have = (uint8_t)(s.cap < 40 ? s.cap : 40);
	ip->len = plen16;
	ip->proto = nxt;
	ip->ttl = hlim;
	(void)get_bytes(s, 8, 16, ip->src);
	(void)get_bytes(s, 24, 16, ip->dst);
	if (!captured(s, 0, 40))
		return;
	plen = plen16;
	if (plen == 0 && nxt == 0)
		plen = s.rep - 40;	/* jumbogram */
	s = advance(limit(s, plen + 40), 40);

	/* Extension headers up to the transport. */
	for (int n = 0; n < MAX_NESTING; n++) {
		uint32_t elen;

		switch (nxt) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (!get_u8(s, 1, &x))
				return;
			elen = ((uint32_t)x + 1) * 8;
			break;
		case 51:	/* authentication header */
			if (!get_u8(s, 1, &x))
				return;
			elen = ((uint32_t)x + 2) * 4;
			break;
		case 44:	/* fragment */
			if (!captured(s, 0, 8) || !get_be16(s, 2, &frag))
				return;
			if ((frag & 0xfff9) != 0)
				return;	/* a real fragment: reassembled */
			elen = 8;
			break;
		default:
			if (depth < MAX_NESTING)
				decode_transport(s, nxt, d, ip, depth,
				    embedded);
			return;
		}
		if (!captured(s, 0, elen) || !get_u8(s, 0, &nxt))
			return;
		s = advance(s, elen);
	}
}

static void
decode_ip(struct span s, struct dissection *d, int depth, bool embedded)
{
	uint8_t v;

	if (!get_u8(s, 0, &v))
		return;
	if (v >> 4 == 6)
		decode_ipv6(s, d, depth, embedded);
	else
		decode_ipv4(s, d, depth, embedded);
}

static const char *
ethertype_name(uint16_t type)
{
	switch (type) {
	case 0x0806: return "ARP";
	case 0x8035: return "RARP";
	case 0x88cc: return "LLDP";
	case 0x888e: return "EAPOL";
	case 0x8863: return "PPPoED";
	case 0x8864: return "PPPoES";
	case 0x8847: case 0x8848: return "MPLS";
	}
	return "Ethernet";
}

/* Dispatch on an Ethernet type, following 802.1Q/802.1ad tags. */
static void
decode_ethertype(struct span s, uint16_t type, struct dissection *d)
{
	for (int n = 0; n < MAX_NESTING; n++) {
		switch (type) {
		case 0x0800:
			decode_ipv4(s, d, 0, false);
			return;
		case 0x86dd:
			decode_ipv6(s, d, 0, false);
			return;
		case 0x8100:
		case 0x88a8:
		case 0x9100:
			d->protocol = "802.1Q";
			if (!get_be16(s, 2, &type))
				return;
			s = advance(s, 4);
			if (type <= 1500) {
				d->protocol = "LLC";
				return;
			}
			continue;
		default:
			d->protocol = type <= 1500 ? "LLC" : ethertype_name(type);
			return;
		}
	}
}

bool
dissect_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case 12:		/* DLT_RAW on most systems */
	case 14:		/* DLT_RAW on OpenBSD */
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	}
	return false;
}

void
dissect_frame(int dlt, const uint8_t *p, uint32_t caplen, uint32_t wirelen,
    struct dissection *d)
{
	struct span s = { p, caplen, wirelen < caplen ? caplen : wirelen };
	uint16_t type;
	uint32_t af;

	d->nip = 0;
	d->has_tcp = d->has_udp = d->has_data = d->fragmented = false;
	d->mptcp.n = 0;
	d->mptcp.threw = false;
	d->icmp_type = d->icmp_code = d->icmp6_type = d->icmp6_code = -1;
	d->protocol = "";
	d->data = NULL;
	d->data_len = 0;

	switch (dlt) {
	case DLT_EN10MB:
		d->protocol = "Ethernet";
		if (get_be16(s, 12, &type))
			decode_ethertype(advance(s, 14), type, d);
		break;
	case DLT_LINUX_SLL:
		d->protocol = "SLL";
		if (get_be16(s, 14, &type))
			decode_ethertype(advance(s, 16), type, d);
		break;
	case DLT_LINUX_SLL2:
		d->protocol = "SLL";
		if (captured(s, 0, 20) && get_be16(s, 0, &type))
			decode_ethertype(advance(s, 20), type, d);
		break;
	case 12:
	case 14:
		d->protocol = "Raw";
		decode_ip(s, d, 0, false);
		break;
	case DLT_IPV4:
		decode_ipv4(s, d, 0, false);
		break;
	case DLT_IPV6:
		decode_ipv6(s, d, 0, false);
		break;
	case DLT_NULL:
	case DLT_LOOP:
		d->protocol = "NULL";
		/*
		 * DLT_LOOP's family is big-endian; DLT_NULL's is in the
		 * writer's byte order, which a value above 16 bits betrays.
		 */
		if (dlt == DLT_LOOP ? !get_be32(s, 0, &af) :
		    !get_le32(s, 0, &af))
			return;
		if (dlt == DLT_NULL && (af & 0xffff0000) != 0)
			(void)get_be32(s, 0, &af);
		s = advance(s, 4);
		if (af == 2)
			decode_ipv4(s, d, 0, false);
		else if (af == 24 || af == 28 || af == 30)
			decode_ipv6(s, d, 0, false);
		break;
	}
}
