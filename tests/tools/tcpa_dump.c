/*
 * tcpa_dump: test driver for lib/tcp_analysis.  Reads a capture with
 * libpcap, decodes just enough (Ethernet, VLAN, Linux cooked v1/v2, raw IP,
 * loopback; IPv4, IPv6; TCP with options) to hand every TCP segment to
 * tcp_analyze(), and prints per TCP frame what tshark prints for
 *   -e frame.number -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.window_size
 *   -e tcp.analysis.acks_frame -e tcp.analysis.ack_rtt
 *   -e tcp.analysis.bytes_in_flight -e tcp.analysis.retransmission
 *   -e tcp.analysis.fast_retransmission
 *   -e tcp.analysis.spurious_retransmission -e tcp.analysis.out_of_order
 *   -e tcp.analysis.duplicate_ack -e tcp.analysis.lost_segment
 * with -E separator=@ -Y tcp, so the two can be compared line by line.
 * -x adds -e tcp.analysis.ack_lost_segment -e tcp.analysis.window_update
 *   -e tcp.analysis.window_full -e tcp.analysis.keep_alive
 *   -e tcp.analysis.keep_alive_ack -e tcp.analysis.zero_window
 *   -e tcp.analysis.zero_window_probe -e tcp.analysis.zero_window_probe_ack
 *   -e tcp.analysis.reused_ports -e tcp.analysis.duplicate_ack_num.
 * -u prints instead, at the end, tcp_table_usage(): "flows@segs" and the
 * peak of segs.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "tcp_analysis.h"

static uint16_t
be16(const u_char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const u_char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Offset of the IP header and its ethertype, or -1. */
static long
link_ip(int dlt, const u_char *p, uint32_t caplen, uint16_t *etype)
{
	long off;
	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			return -1;
		*etype = be16(p + 12);
		off = 14;
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return -1;
		*etype = be16(p + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return -1;
		*etype = be16(p);
		off = 20;
		break;
	case DLT_RAW:
	case 228:
	case 229:
		if (caplen < 1)
			return -1;
		*etype = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		return 0;
	case DLT_NULL:
	case DLT_LOOP: {
		if (caplen < 4)
			return -1;
		uint32_t fam = dlt == DLT_LOOP ? be32(p) :
		    (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		if (fam > 0xffff)
			fam = be32(p);
		*etype = fam == 2 ? 0x0800 : 0x86dd;
		return 4;
	}
	default:
		return -1;
	}
	while ((*etype == 0x8100 || *etype == 0x88a8) &&
	    (uint32_t)off + 4 <= caplen) {
		*etype = be16(p + off + 2);
		off += 4;
	}
	return off;
}

/* Fills s from the frame; false if it holds no analysable TCP segment. */
static bool
decode(int dlt, const u_char *p, uint32_t caplen, uint32_t wirelen,
    struct tcp_seg *s)
{
	uint16_t etype;
	long off = link_ip(dlt, p, caplen, &etype);
	uint32_t l4len;
	if (off < 0)
		return false;
	uint32_t o = (uint32_t)off;
	if (etype == 0x0800) {
		if (o + 20 > caplen || (p[o] >> 4) != 4)
			return false;
		uint32_t ihl = (p[o] & 15) * 4u, tot = be16(p + o + 2);
		if (ihl < 20 || tot < ihl || p[o + 9] != 6)
			return false;
		if (be16(p + o + 6) & 0x3fff)
			return false;	/* a fragment */
		s->af = 4;
		memset(s->src, 0, 32);
		memcpy(s->src, p + o + 12, 4);
		memcpy(s->dst, p + o + 16, 4);
		if (tot > wirelen - o)	/* tshark trusts the frame then */
			tot = wirelen - o;
		if (tot < ihl)
			return false;
		l4len = tot - ihl;
		o += ihl;
	} else if (etype == 0x86dd) {
		if (o + 40 > caplen)
			return false;
		uint8_t nh = p[o + 6];
		l4len = be16(p + o + 4);
		if (l4len > wirelen - o - 40)
			l4len = wirelen - o - 40;
		s->af = 6;
		memcpy(s->src, p + o + 8, 16);
		memcpy(s->dst, p + o + 24, 16);
		o += 40;
		while (nh == 0 || nh == 43 || nh == 60) {
			if (o + 8 > caplen)
				return false;
			uint32_t el = (p[o + 1] + 1) * 8u;
			if (el > l4len)
				return false;
			nh = p[o];
			o += el;
			l4len -= el;
		}
		if (nh != 6)
			return false;
	} else {
		return false;
	}
	if (o + 20 > caplen)
		return false;
	const u_char *th = p + o;
	uint32_t hlen = (th[12] >> 4) * 4u;
	if (hlen < 20 || l4len < hlen)
		return false;
	s->sport = be16(th);
	s->dport = be16(th + 2);
	s->seq = be32(th + 4);
	s->ack = be32(th + 8);
	s->flags = be16(th + 12) & 0x0fff;
	s->win = be16(th + 14);
	s->len = l4len - hlen;
	s->hdr_len = hlen;
	s->wscale = -1;
	s->sack_perm = false;
	s->nsack = 0;
	s->ts_opt = false;
	s->hdr_truncated = o + hlen > caplen;
	uint32_t end = o + hlen < caplen ? o + hlen : caplen;
	for (uint32_t q = o + 20; q < end;) {
		uint8_t kind = p[q];
		if (kind == 0)
			break;
		if (kind == 1) {
			q++;
			continue;
		}
		if (q + 1 >= end || p[q + 1] < 2 || q + p[q + 1] > end)
			break;
		uint8_t ol = p[q + 1];
		if (kind == 3 && ol == 3)
			s->wscale = p[q + 2];
		else if (kind == 4 && ol == 2)
			s->sack_perm = true;
		else if (kind == 5) {
			for (uint32_t b = q + 2; b + 8 <= q + ol && s->nsack < 4;
			    b += 8) {
				s->sack_le[s->nsack] = be32(p + b);
				s->sack_re[s->nsack] = be32(p + b + 4);
				s->nsack++;
			}
		} else if (kind == 8 && ol == 10) {
			s->ts_opt = true;
			s->tsval = be32(p + q + 2);
			s->tsecr = be32(p + q + 6);
		}
		q += ol;
	}
	return true;
}

static void
flag(const char *sep, unsigned n)
{
	fputs(sep, stdout);
	for (unsigned i = 0; i < n; i++)
		fputs(i ? ",1" : "1", stdout);
}

int
main(int argc, char **argv)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	bool usage_only = false, extra = false;
	int ch;
	while ((ch = getopt(argc, argv, "ux")) != -1) {
		if (ch == 'u')
			usage_only = true;
		else if (ch == 'x')
			extra = true;
		else
			errx(2, "usage: tcpa_dump [-ux] file");
	}
	if (optind + 1 != argc)
		errx(2, "usage: tcpa_dump [-ux] file");
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(argv[optind],
	    PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (pc == NULL)
		errx(1, "%s: %s", argv[optind], ebuf);
	int dlt = pcap_datalink(pc);
	struct tcp_table *t = tcp_table_new();
	struct pcap_pkthdr *h;
	const u_char *p;
	uint64_t frame = 0, peak = 0;
	int r;
	while ((r = pcap_next_ex(pc, &h, &p)) == 1) {
		struct tcp_seg s;
		struct tcp_verdict v;
		memset(&s, 0, sizeof s);
		s.frame = ++frame;
		s.ts_sec = h->ts.tv_sec;
		s.ts_nsec = (int32_t)h->ts.tv_usec;	/* ns: opened so */
		if (!decode(dlt, p, h->caplen, h->len, &s))
			continue;
		tcp_analyze(t, &s, &v);
		if (usage_only) {
			uint64_t fl, sg;
			tcp_table_usage(t, &fl, &sg);
			if (sg > peak)
				peak = sg;
			continue;
		}
		printf("%" PRIu64 "@%u@%u@%u@%" PRId64, frame, v.stream,
		    v.rel_seq, v.rel_ack, v.window_size);
		putchar('@');
		if (v.acks_frame)
			printf("%" PRIu64, v.acks_frame);
		putchar('@');
		if (v.ack_rtt_ns != -1) {
			int64_t a = v.ack_rtt_ns;
			printf("%s%" PRId64 ".%09" PRId64, a < 0 ? "-" : "",
			    (a < 0 ? -a : a) / 1000000000,
			    (a < 0 ? -a : a) % 1000000000);
		}
		putchar('@');
		if (v.bytes_in_flight >= 0)
			printf("%" PRId64, v.bytes_in_flight);
		flag("@", v.retransmission);
		flag("@", v.fast_retransmission);
		flag("@", v.spurious_retransmission);
		flag("@", v.out_of_order);
		flag("@", v.duplicate_ack);
		flag("@", v.lost_segment);
		if (extra) {
			flag("@", v.ack_lost_segment);
			flag("@", v.window_update);
			flag("@", v.window_full);
			flag("@", v.keep_alive);
			flag("@", v.keep_alive_ack);
			flag("@", v.zero_window);
			flag("@", v.zero_window_probe);
			flag("@", v.zero_window_probe_ack);
			flag("@", v.reused_ports);
			putchar('@');
			if (v.duplicate_ack_num)
				printf("%" PRIu32, v.duplicate_ack_num);
		}
		putchar('\n');
	}
	if (r == -1)
		warnx("%s: %s", argv[optind], pcap_geterr(pc));
	if (usage_only) {
		uint64_t fl, sg;
		tcp_table_usage(t, &fl, &sg);
		printf("%" PRIu64 "@%" PRIu64 "@%" PRIu64 "\n", fl, sg, peak);
	}
	tcp_table_free(t);
	pcap_close(pc);
	return 0;
}
