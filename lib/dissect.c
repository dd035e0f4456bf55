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

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
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

static void
decode_tcp(struct span s, struct dissection *d, const struct dis_ip *ip,
    bool embedded)
{
	struct dis_tcp *t = &d->tcp;

	if (!embedded)
		d->protocol = "TCP";
	if (d->has_tcp || d->has_udp)
		return;		/* one transport header per frame */
	memset(t, 0, sizeof(*t));
	t->wscale = -1;
	t->embedded = embedded;
	t->ip = ip;
	t->have = s.cap < 60 ? s.cap : 60;
	if (s.cap < 4)
		return;
	d->has_tcp = true;
	t->sport = be16(s.p);
	t->dport = be16(s.p + 2);
	if (s.cap < 8)
		return;
	t->seq = be32(s.p + 4);
	/*
	 * A header Wireshark does not analyse (quoted in an ICMP error, or
	 * in a first fragment it could not reassemble) shows tcp.seq and
	 * tcp.ack as on the wire.
	 */
	t->unanalysed = embedded || d->fragmented;
	t->quoted_seq = embedded;
	if (s.cap < 20)
		return;
	t->ack = be32(s.p + 8);
	t->hdr_len = (uint16_t)((s.p[12] >> 4) * 4);
	t->flags = be16(s.p + 12) & 0x0fff;
	t->win = be16(s.p + 14);
	/* Wireshark gives up on a header length that cannot be right. */
	if (t->hdr_len < 20 || (!embedded && t->hdr_len > s.rep))
		return;
	t->hdr = true;
	if (embedded)
		return;		/* the quote ends somewhere in the segment */
	t->base = true;
	t->len = s.rep - t->hdr_len;
	/* Options cut short: Wireshark stops before the analysis. */
	if (t->hdr_len > s.cap)
		return;
	t->full = true;

	/* Options: kind, length, value; 0 ends them, 1 is padding. */
	for (uint32_t o = 20; o < t->hdr_len;) {
		uint8_t kind = s.p[o], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			o++;
			continue;
		}
		if (o + 1 >= t->hdr_len)
			break;
		olen = s.p[o + 1];
		if (olen < 2 || o + olen > t->hdr_len)
			break;
		switch (kind) {
		case 3:
			if (olen == 3)
				t->wscale = s.p[o + 2];
			break;
		case 4:
			if (olen == 2)
				t->sack_perm = true;
			break;
		case 5:
			for (uint32_t b = o + 2; b + 8 <= (uint32_t)o + olen &&
			    t->nsack < 4; b += 8) {
				t->sack_le[t->nsack] = be32(s.p + b);
				t->sack_re[t->nsack] = be32(s.p + b + 4);
				t->nsack++;
			}
			break;
		case 8:
			if (olen == 10) {
				t->ts_opt = true;
				t->tsval = be32(s.p + o + 2);
				t->tsecr = be32(s.p + o + 6);
			}
			break;
		}
		o += olen;
	}

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
	if (s.cap < 4)
		return;
	d->has_udp = true;
	u->sport = be16(s.p);
	u->dport = be16(s.p + 2);
	if (s.cap < 8)
		return;
	u->length = be16(s.p + 4);
	if (u->length < 8)
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
	if (!embedded && !bad && s.rep > 0 && !udp_port_claimed(u->sport) &&
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
	int type, code;
	bool error;

	if (depth > 0 && (d->icmp_type >= 0 || d->icmp6_type >= 0))
		return;		/* ICMP inside an ICMP error: stop */
	d->protocol = v6 ? "ICMPv6" : "ICMP";
	if (s.cap < 2)
		return;
	type = s.p[0];
	code = s.p[1];
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
	uint16_t frag;

	if (!embedded)
		d->protocol = "IPv4";
	if (s.cap < 1 || (s.p[0] >> 4) != 4)
		return;
	hlen = (uint32_t)(s.p[0] & 0x0f) * 4;
	if (hlen < 20 || s.cap < 4 || (ip = new_ip(d)) == NULL)
		return;
	ip->af = 4;
	ip->have = (uint8_t)(s.cap < 40 ? s.cap : 40);
	ip->hdr_len = (uint8_t)hlen;
	len = be16(s.p + 2);
	if (len == 0 && !embedded)
		len = s.rep;		/* TSO: the length is the frame's */
	ip->len = (uint16_t)len;
	if (s.cap >= 6)
		ip->id = be16(s.p + 4);
	if (s.cap >= 9)
		ip->ttl = s.p[8];
	if (s.cap >= 10)
		ip->proto = s.p[9];
	if (s.cap >= 16)
		memcpy(ip->src, s.p + 12, 4);
	if (s.cap >= 20)
		memcpy(ip->dst, s.p + 16, 4);
	if (len < hlen) {
		ip->have = 4;	/* Wireshark stops after ip.len */
		return;
	}
	if (s.cap < hlen)
		return;
	/*
	 * Wireshark reassembles fragments whose bytes are all captured and
	 * then shows nothing of the transport on them; a first fragment cut
	 * short is decoded as far as it goes, later ones not at all.
	 */
	frag = be16(s.p + 6);
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
	uint8_t nxt;

	if (!embedded)
		d->protocol = "IPv6";
	if (s.cap < 1 || (s.p[0] >> 4) != 6 || s.cap < 8 ||
	    (ip = new_ip(d)) == NULL)
		return;
	ip->af = 6;
	ip->have = (uint8_t)(s.cap < 40 ? s.cap : 40);
	plen = be16(s.p + 4);
	ip->len = (uint16_t)plen;
	ip->proto = nxt = s.p[6];
	ip->ttl = s.p[7];
	if (s.cap >= 24)
		memcpy(ip->src, s.p + 8, 16);
	if (s.cap >= 40)
		memcpy(ip->dst, s.p + 24, 16);
	if (s.cap < 40)
		return;
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
			if (s.cap < 2)
				return;
			elen = ((uint32_t)s.p[1] + 1) * 8;
			break;
		case 51:	/* authentication header */
			if (s.cap < 2)
				return;
			elen = ((uint32_t)s.p[1] + 2) * 4;
			break;
		case 44:	/* fragment */
			if (s.cap < 8)
				return;
			if ((be16(s.p + 2) & 0xfff9) != 0)
				return;	/* a real fragment: reassembled */
			elen = 8;
			break;
		default:
			if (depth < MAX_NESTING)
				decode_transport(s, nxt, d, ip, depth,
				    embedded);
			return;
		}
		if (elen > s.cap)
			return;
		nxt = s.p[0];
		s = advance(s, elen);
	}
}

static void
decode_ip(struct span s, struct dissection *d, int depth, bool embedded)
{
	if (s.cap < 1)
		return;
	if (s.p[0] >> 4 == 6)
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
			if (s.cap < 4)
				return;
			type = be16(s.p + 2);
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
	uint32_t af;

	d->nip = 0;
	d->has_tcp = d->has_udp = d->has_data = d->fragmented = false;
	d->icmp_type = d->icmp_code = d->icmp6_type = d->icmp6_code = -1;
	d->protocol = "";
	d->data = NULL;
	d->data_len = 0;

	switch (dlt) {
	case DLT_EN10MB:
		d->protocol = "Ethernet";
		if (s.cap < 14)
			return;
		decode_ethertype(advance(s, 14), be16(s.p + 12), d);
		break;
	case DLT_LINUX_SLL:
		d->protocol = "SLL";
		if (s.cap < 16)
			return;
		decode_ethertype(advance(s, 16), be16(s.p + 14), d);
		break;
	case DLT_LINUX_SLL2:
		d->protocol = "SLL";
		if (s.cap < 20)
			return;
		decode_ethertype(advance(s, 20), be16(s.p), d);
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
		if (s.cap < 4)
			return;
		af = dlt == DLT_LOOP ? be32(s.p) :
		    (uint32_t)s.p[0] | (uint32_t)s.p[1] << 8 |
		    (uint32_t)s.p[2] << 16 | (uint32_t)s.p[3] << 24;
		if (dlt == DLT_NULL && (af & 0xffff0000) != 0)
			af = be32(s.p);	/* written by the other byte order */
		s = advance(s, 4);
		if (af == 2)
			decode_ipv4(s, d, 0, false);
		else if (af == 24 || af == 28 || af == 30)
			decode_ipv6(s, d, 0, false);
		break;
	}
}
