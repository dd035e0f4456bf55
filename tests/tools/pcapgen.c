/*
 * pcapgen: capture files for the pcap2csv tests and benchmark.
 *
 *   pcapgen synth LINKTYPE OUT     a dozen known frames (see frames below)
 *                                  with link type en10mb, sll, sll2, raw,
 *                                  ipv4, null or loop; OUT is pcap
 *   pcapgen synth-ng OUT           the Ethernet frames as pcapng
 *   pcapgen empty OUT              a pcap file header and no frame (OUT -
 *                                  is standard output)
 *   pcapgen synth-multi OUT        pcapng as dumpcap writes it capturing
 *                                  several interfaces: the frames on
 *                                  Ethernet, Linux cooked v2 and raw IP
 *                                  interfaces with different time stamp
 *                                  resolutions, then a big-endian section
 *                                  with BSD loopback and Ethernet ones
 *   pcapgen synth-late OUT         pcapng whose second interface, of
 *                                  another link type, is described only
 *                                  after frames of the first; and one
 *                                  more frame, an ICMP error quoting a
 *                                  whole UDP datagram
 *   pcapgen repeat IN OUT COPIES   IN COPIES times, each copy after the
 *                                  previous in time and with its TCP
 *                                  ports moved by the copy's index, so
 *                                  every copy is a new set of flows
 *
 * The synthetic frames start at 2022-01-05 01:02:03.000100 UTC, 1 ms apart.
 */
#include <err.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

#define T0 1641344523		/* 2022-01-05 01:02:03 UTC */
#define MAXF 2048

struct frame {
	uint8_t b[MAXF];
	size_t n;
};

static void
put(struct frame *f, const void *p, size_t n)
{
	if (f->n + n > MAXF)
		errx(1, "frame too long");
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put8(struct frame *f, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(f, &b, 1);
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void
ipv4(struct frame *f, const char *src, const char *dst, unsigned proto,
    size_t optlen, const struct frame *payload)
{
	unsigned a[4], b[4];

	sscanf(src, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
	sscanf(dst, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	put8(f, 0x40 | (unsigned)(5 + optlen / 4));
	put8(f, 0);
	put16(f, (unsigned)(20 + optlen + payload->n));
	put16(f, 0x1234);
	put16(f, 0x4000);	/* DF */
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	for (int i = 0; i < 4; i++)
		put8(f, a[i]);
	for (int i = 0; i < 4; i++)
		put8(f, b[i]);
	for (size_t i = 0; i < optlen; i++)
		put8(f, 1);	/* NOP options */
	put(f, payload->b, payload->n);
}

static void
ipv6(struct frame *f, unsigned last_src, unsigned last_dst, unsigned nxt,
    bool hbh, const struct frame *payload)
{
	static const uint8_t pfx[14] = { 0x20, 0x01, 0x0d, 0xb8 };

	put32(f, 0x60000000);
	put16(f, (unsigned)(payload->n + (hbh ? 8 : 0)));
	put8(f, hbh ? 0 : nxt);
	put8(f, 63);
	put(f, pfx, 14);
	put16(f, last_src);
	put(f, pfx, 14);
	put16(f, last_dst);
	if (hbh) {		/* hop-by-hop: next, len 0, PadN of 4 */
		put8(f, nxt);
		put8(f, 0);
		put8(f, 1);
		put8(f, 4);
		put32(f, 0);
	}
	put(f, payload->b, payload->n);
}

static void
tcp(struct frame *f, unsigned sport, unsigned dport, uint32_t seq,
    uint32_t ack, unsigned flags, bool syn_opts, const char *data)
{
	size_t hl = syn_opts ? 40 : 20;

	put16(f, sport);
	put16(f, dport);
	put32(f, seq);
	put32(f, ack);
	put16(f, (unsigned)(hl / 4) << 12 | flags);
	put16(f, 64240);
	put16(f, 0);
	put16(f, 0);
	if (syn_opts) {
		put8(f, 2); put8(f, 4); put16(f, 1460);		/* MSS */
		put8(f, 4); put8(f, 2);				/* SACK ok */
		put8(f, 8); put8(f, 10); put32(f, 1); put32(f, 0);	/* TS */
		put8(f, 1);					/* NOP */
		put8(f, 3); put8(f, 3); put8(f, 7);		/* WS 7 */
	}
	if (data)
		put(f, data, strlen(data));
}

static void
udp(struct frame *f, unsigned sport, unsigned dport, const char *data)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (unsigned)(8 + strlen(data)));
	put16(f, 0);
	put(f, data, strlen(data));
}

/* The IP packets of the synthetic capture; ethertype in *type. */
static int
ip_packet(int i, struct frame *ip, unsigned *type)
{
	struct frame l4 = { .n = 0 }, in = { .n = 0 };

	ip->n = 0;
	*type = 0x0800;
	switch (i) {
	case 0:
		tcp(&l4, 40000, 5001, 1000, 0, 0x002, true, NULL);
		break;
	case 1:
		tcp(&l4, 5001, 40000, 5000, 1001, 0x012, true, NULL);
		break;
	case 2:
		tcp(&l4, 40000, 5001, 1001, 5001, 0x010, false, NULL);
		break;
	case 3:
		tcp(&l4, 40000, 5001, 1001, 5001, 0x018, false, "0123456789");
		break;
	case 4:
		udp(&l4, 1234, 4321, "hello");
		ipv4(ip, "10.0.0.1", "10.0.0.3", 17, 0, &l4);
		return 1;
	case 5:
		udp(&l4, 1234, 4321, "v6");
		ipv6(ip, 1, 2, 17, true, &l4);
		*type = 0x86dd;
		return 1;
	case 6:		/* ICMP echo request */
		put8(&l4, 8); put8(&l4, 0); put16(&l4, 0); put32(&l4, 0x00010001);
		ipv4(ip, "10.0.0.1", "10.0.0.2", 1, 0, &l4);
		return 1;
	case 7:		/* port unreachable quoting frame 5's datagram */
		udp(&in, 1234, 4321, "hello");
		put8(&l4, 3); put8(&l4, 3); put16(&l4, 0); put32(&l4, 0);
		{
			struct frame q = { .n = 0 };

			ipv4(&q, "10.0.0.1", "10.0.0.3", 17, 0, &in);
			put(&l4, q.b, 28);	/* IP header + 8 bytes */
		}
		ipv4(ip, "10.0.0.3", "10.0.0.1", 1, 0, &l4);
		return 1;
	case 8:		/* IPv4 in IPv4 */
		udp(&l4, 7, 9, "tun");
		ipv4(&in, "10.0.0.1", "10.0.0.2", 17, 0, &l4);
		ipv4(ip, "192.0.2.1", "192.0.2.2", 4, 0, &in);
		return 1;
	case 9:		/* IPv4 with 4 bytes of options */
		udp(&l4, 1234, 4322, "opt");
		ipv4(ip, "10.0.0.1", "10.0.0.3", 17, 4, &l4);
		return 1;
	case 10:	/* IPv6 TCP */
		tcp(&l4, 443, 50000, 7, 9, 0x010, false, NULL);
		ipv6(ip, 2, 1, 6, false, &l4);
		*type = 0x86dd;
		return 1;
	case 13:	/* time exceeded quoting frame 4's TCP segment */
		tcp(&in, 40000, 5001, 1001, 5001, 0x018, false, "0123456789");
		put8(&l4, 11); put8(&l4, 0); put16(&l4, 0); put32(&l4, 0);
		{
			struct frame q = { .n = 0 };

			ipv4(&q, "10.0.0.1", "10.0.0.2", 6, 0, &in);
			put(&l4, q.b, 28);	/* IP header + 8 bytes */
		}
		ipv4(ip, "10.9.9.9", "10.0.0.1", 1, 0, &l4);
		return 1;
	case 14:	/* the same quoting the whole TCP header */
		tcp(&in, 40000, 5001, 1001, 5001, 0x018, false, "0123456789");
		put8(&l4, 11); put8(&l4, 0); put16(&l4, 0); put32(&l4, 0);
		{
			struct frame q = { .n = 0 };

			ipv4(&q, "10.0.0.1", "10.0.0.2", 6, 0, &in);
			put(&l4, q.b, 40);	/* IP header + 20 bytes */
		}
		ipv4(ip, "10.9.9.9", "10.0.0.1", 1, 0, &l4);
		return 1;
	case 15:	/* port unreachable quoting a whole datagram, as
			 * Linux does (only in synth-late) */
		udp(&in, 1234, 4323, "whole");
		put8(&l4, 3); put8(&l4, 3); put16(&l4, 0); put32(&l4, 0);
		{
			struct frame q = { .n = 0 };

			ipv4(&q, "10.0.0.1", "10.0.0.3", 17, 0, &in);
			put(&l4, q.b, q.n);
		}
		ipv4(ip, "10.0.0.3", "10.0.0.1", 1, 0, &l4);
		return 1;
	default:
		return 0;
	}
	ipv4(ip, i == 1 ? "10.0.0.2" : "10.0.0.1",
	    i == 1 ? "10.0.0.1" : "10.0.0.2", 6, 0, &l4);
	return 1;
}

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };

/* Frame i on link type dlt; 0 when there is no such frame. */
static int
synth_frame(int dlt, int i, struct frame *f)
{
	struct frame ip;
	unsigned type;

	f->n = 0;
	if (dlt == DLT_EN10MB && i == 11) {	/* ARP request */
		put(f, "\xff\xff\xff\xff\xff\xff", 6);
		put(f, mac_a, 6);
		put16(f, 0x0806);
		put16(f, 1); put16(f, 0x0800); put8(f, 6); put8(f, 4);
		put16(f, 1); put(f, mac_a, 6); put32(f, 0x0a000001);
		put32(f, 0); put16(f, 0); put32(f, 0x0a000002);
		return 1;
	}
	if (dlt == DLT_EN10MB && i == 12) {	/* QinQ: 802.1ad + 802.1Q */
		if (!ip_packet(4, &ip, &type))
			return 0;
		put(f, mac_b, 6);
		put(f, mac_a, 6);
		put16(f, 0x88a8); put16(f, 100);
		put16(f, 0x8100); put16(f, 200);
		put16(f, type);
		put(f, ip.b, ip.n);
		return 1;
	}
	if (!ip_packet(i, &ip, &type))
		return 0;
	switch (dlt) {
	case DLT_EN10MB:
		put(f, mac_b, 6);
		put(f, mac_a, 6);
		if (i == 4) {		/* one 802.1Q tag */
			put16(f, 0x8100);
			put16(f, 42);
		}
		put16(f, type);
		break;
	case DLT_LINUX_SLL:
		put16(f, 0); put16(f, 1); put16(f, 6); put(f, mac_a, 6);
		put16(f, 0); put16(f, type);
		break;
	case 276:		/* DLT_LINUX_SLL2 */
		put16(f, type); put16(f, 0); put32(f, 2); put16(f, 1);
		put8(f, 0); put8(f, 6); put(f, mac_a, 6); put16(f, 0);
		break;
	case DLT_NULL:		/* host byte order: little-endian here */
		put32(f, type == 0x0800 ? 0x02000000 : 0x1e000000);
		break;
	case DLT_LOOP:
		put32(f, type == 0x0800 ? 2 : 30);
		break;
	case 228:
		if (type != 0x0800)
			return -1;
		break;
	}
	put(f, ip.b, ip.n);
	return 1;
}

static int
linktype(const char *name)
{
	static const struct { const char *n; int dlt; } t[] = {
		{ "en10mb", DLT_EN10MB }, { "sll", DLT_LINUX_SLL },
		{ "sll2", 276 }, { "raw", DLT_RAW }, { "ipv4", 228 },
		{ "null", DLT_NULL }, { "loop", DLT_LOOP },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].n, name) == 0)
			return t[i].dlt;
	errx(2, "unknown link type %s", name);
}

static void
synth(int dlt, const char *out)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 65535,
	    PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d;
	struct frame f;
	int k = 0;

	if (p == NULL || (d = pcap_dump_open(p, out)) == NULL)
		errx(1, "%s: %s", out, p ? pcap_geterr(p) : "pcap_open_dead");
	for (int i = 0; i < 15; i++) {
		struct pcap_pkthdr h;

		if (synth_frame(dlt, i, &f) <= 0)
			continue;
		h.ts.tv_sec = T0;
		h.ts.tv_usec = 100 + 1000 * k++;
		h.caplen = h.len = (bpf_u_int32)f.n;
		pcap_dump((u_char *)d, &h, f.b);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

/* pcapng by hand (libpcap writes only pcap): SHB, IDB, EPBs. */
static void
block(FILE *fp, uint32_t type, const struct frame *body)
{
	uint32_t len = (uint32_t)(12 + body->n);

	fwrite(&type, 4, 1, fp);
	fwrite(&len, 4, 1, fp);
	fwrite(body->b, 1, body->n, fp);
	fwrite(&len, 4, 1, fp);
}

/* Native byte order: the section's magic tells readers which it is. */
static void
le32(struct frame *f, uint32_t v)
{
	put(f, &v, 4);
}

static void
synth_ng(const char *out)
{
	FILE *fp = fopen(out, "wb");
	struct frame b, f;
	int k = 0;

	if (fp == NULL)
		err(1, "%s", out);
	b.n = 0;
	le32(&b, 0x1a2b3c4d);	/* byte-order magic, native order */
	{
		uint16_t maj = 1, min = 0;

		put(&b, &maj, 2);
		put(&b, &min, 2);
	}
	le32(&b, 0xffffffff);
	le32(&b, 0xffffffff);	/* section length unknown */
	block(fp, 0x0a0d0d0a, &b);
	b.n = 0;
	{
		uint16_t lt = DLT_EN10MB, res = 0;

		put(&b, &lt, 2);
		put(&b, &res, 2);
	}
	le32(&b, 65535);
	block(fp, 1, &b);
	for (int i = 0; i < 15; i++) {
		uint64_t ts;

		if (synth_frame(DLT_EN10MB, i, &f) <= 0)
			continue;
		ts = (uint64_t)T0 * 1000000 + 100 + 1000 * (uint64_t)k++;
		b.n = 0;
		le32(&b, 0);
		le32(&b, (uint32_t)(ts >> 32));
		le32(&b, (uint32_t)ts);
		le32(&b, (uint32_t)f.n);
		le32(&b, (uint32_t)f.n);
		put(&b, f.b, f.n);
		while (b.n % 4)
			put8(&b, 0);
		block(fp, 6, &b);
	}
	if (fclose(fp) != 0)
		err(1, "%s", out);
}

/*
 * pcapng in either byte order, for the files libpcap refuses: blocks are
 * built in b and written by ng_block().
 */
struct ngw {
	FILE *fp;
	bool be;		/* this section big-endian */
};

static void
ng16(struct ngw *w, struct frame *f, unsigned v)
{
	uint16_t x = (uint16_t)v;

	if (w->be)
		put16(f, v);
	else
		put(f, &x, 2);	/* little-endian here */
}

static void
ng32(struct ngw *w, struct frame *f, uint32_t v)
{
	if (w->be)
		put32(f, v);
	else
		put(f, &v, 4);
}

static void
ng_block(struct ngw *w, uint32_t type, struct frame *body)
{
	struct frame head = { .n = 0 }, tail = { .n = 0 };

	while (body->n % 4)
		put8(body, 0);
	ng32(w, &head, type);
	ng32(w, &head, (uint32_t)(12 + body->n));
	ng32(w, &tail, (uint32_t)(12 + body->n));
	fwrite(head.b, 1, head.n, w->fp);
	fwrite(body->b, 1, body->n, w->fp);
	fwrite(tail.b, 1, tail.n, w->fp);
}

/* An option: code, length, value padded to 4 bytes. */
static void
ng_opt(struct ngw *w, struct frame *f, unsigned code, const void *v,
    size_t n)
{
	ng16(w, f, code);
	ng16(w, f, (unsigned)n);
	put(f, v, n);
	while (f->n % 4)
		put8(f, 0);
}

static void
ng_section(struct ngw *w, bool be)
{
	struct frame b = { .n = 0 };

	w->be = be;
	ng32(w, &b, 0x1a2b3c4d);
	ng16(w, &b, 1);
	ng16(w, &b, 0);
	ng32(w, &b, 0xffffffff);	/* section length unknown */
	ng32(w, &b, 0xffffffff);
	ng_opt(w, &b, 4, "pcapgen", 7);	/* shb_userappl */
	ng16(w, &b, 0);
	ng16(w, &b, 0);
	ng_block(w, 0x0a0d0d0a, &b);
}

/* tsresol: if_tsresol's byte, or -1 for none (microseconds). */
static void
ng_interface(struct ngw *w, unsigned linktype, uint32_t snaplen,
    int tsresol, int64_t tsoffset, const char *name)
{
	struct frame b = { .n = 0 };

	ng16(w, &b, linktype);
	ng16(w, &b, 0);
	ng32(w, &b, snaplen);
	ng_opt(w, &b, 2, name, strlen(name));	/* if_name */
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;

		ng_opt(w, &b, 9, &r, 1);
	}
	if (tsoffset != 0) {
		struct frame o = { .n = 0 };

		ng32(w, &o, (uint32_t)((uint64_t)tsoffset >> 32));
		ng32(w, &o, (uint32_t)tsoffset);
		if (!w->be) {	/* a 64-bit value: low word first */
			o.n = 0;
			ng32(w, &o, (uint32_t)tsoffset);
			ng32(w, &o, (uint32_t)((uint64_t)tsoffset >> 32));
		}
		ng_opt(w, &b, 14, o.b, 8);
	}
	ng16(w, &b, 0);
	ng16(w, &b, 0);
	ng_block(w, 1, &b);
}

/*
 * An enhanced packet block of interface id: the frame at `us`
 * microseconds after T0, in units of the interface's tsresol, with an
 * epb_flags option (inbound).
 */
static void
ng_packet(struct ngw *w, uint32_t id, int tsresol, int64_t tsoffset,
    uint64_t us, const struct frame *f)
{
	struct frame b = { .n = 0 };
	struct frame flags = { .n = 0 };
	uint64_t t = (uint64_t)(T0 - tsoffset) * 1000000 + us, ts;

	if (tsresol < 0)
		ts = t;
	else if (tsresol & 0x80)	/* 2^-n s: exact for whole us only */
		ts = (t / 1000000 << (tsresol & 0x7f)) +
		    ((t % 1000000) << (tsresol & 0x7f)) / 1000000;
	else if (tsresol >= 6) {
		ts = t;
		for (int i = 6; i < tsresol; i++)
			ts *= 10;
	} else {
		ts = t;
		for (int i = tsresol; i < 6; i++)
			ts /= 10;
	}
	ng32(w, &b, id);
	ng32(w, &b, (uint32_t)(ts >> 32));
	ng32(w, &b, (uint32_t)ts);
	ng32(w, &b, (uint32_t)f->n);
	ng32(w, &b, (uint32_t)f->n);
	put(&b, f->b, f->n);
	while (b.n % 4)
		put8(&b, 0);
	ng32(w, &flags, 1);
	ng_opt(w, &b, 2, flags.b, 4);	/* epb_flags: inbound */
	ng16(w, &b, 0);
	ng16(w, &b, 0);
	ng_block(w, 6, &b);
}

/*
 * Blocks a reader must skip: name resolution and interface statistics.
 * (Not a custom block: tshark shows one as a frame, libpcap skips it.)
 */
static void
ng_other_blocks(struct ngw *w)
{
	struct frame b = { .n = 0 };

	ng16(w, &b, 1);		/* nrb_record_ipv4 */
	ng16(w, &b, 12);
	put32(&b, 0x0a000001);
	put(&b, "a.test\0\0", 8);
	ng16(w, &b, 0);		/* nrb_record_end */
	ng16(w, &b, 0);
	ng_block(w, 4, &b);
	b.n = 0;
	ng32(w, &b, 0);		/* interface 0 */
	ng32(w, &b, 0);		/* time stamp */
	ng32(w, &b, 0);
	ng_block(w, 5, &b);
}

struct ng_if {
	int dlt;		/* for synth_frame */
	unsigned linktype;	/* in the file */
	uint32_t snaplen;
	int tsresol;
	int64_t tsoffset;
	const char *name;
};

/*
 * A section of n interfaces, then the synthetic frames i, each on every
 * interface in turn, one every ms from *us on (a ms passes also where an
 * interface has no frame i).
 */
static void
ng_synth_section(struct ngw *w, bool be, const struct ng_if *ifs, size_t n,
    bool other_blocks, uint64_t *us)
{
	struct frame f;

	ng_section(w, be);
	for (size_t k = 0; k < n; k++)
		ng_interface(w, ifs[k].linktype, ifs[k].snaplen,
		    ifs[k].tsresol, ifs[k].tsoffset, ifs[k].name);
	if (other_blocks)
		ng_other_blocks(w);
	for (int i = 0; i < 15; i++)
		for (uint32_t k = 0; k < n; k++, *us += 1000)
			if (synth_frame(ifs[k].dlt, i, &f) > 0)
				ng_packet(w, k, ifs[k].tsresol,
				    ifs[k].tsoffset, *us, &f);
}

static void
synth_multi(const char *out)
{
	static const struct ng_if first[] = {
		{ DLT_EN10MB, 1, 65535, -1, 0, "eth0" },
		{ 276, 276, 262144, 9, 0, "any" },
		{ DLT_RAW, 101, 0, 0x94, 0, "tun0" },	/* 2^-20 s */
	}, second[] = {
		{ DLT_LOOP, 108, 262144, 3, 0, "lo0" },
		{ DLT_EN10MB, 1, 262144, 6, 3600, "em0" },
	};
	struct ngw w = { .fp = fopen(out, "wb") };
	uint64_t us = 100;

	if (w.fp == NULL)
		err(1, "%s", out);
	ng_synth_section(&w, false, first, 3, true, &us);
	ng_synth_section(&w, true, second, 2, false, &us);
	if (fclose(w.fp) != 0)
		err(1, "%s", out);
}

static void
synth_late(const char *out)
{
	struct ngw w = { .fp = fopen(out, "wb") };
	struct frame f;
	uint64_t us = 100;

	if (w.fp == NULL)
		err(1, "%s", out);
	ng_section(&w, false);
	ng_interface(&w, 1, 262144, -1, 0, "eth0");
	for (int i = 0; i < 4; i++, us += 1000)
		if (synth_frame(DLT_EN10MB, i, &f) > 0)
			ng_packet(&w, 0, -1, 0, us, &f);
	ng_interface(&w, 276, 262144, 9, 0, "any");
	for (int i = 4; i < 16; i++)
		for (uint32_t k = 0; k < 2; k++, us += 1000)
			if (synth_frame(k == 0 ? DLT_EN10MB : 276, i, &f) > 0)
				ng_packet(&w, k, k == 0 ? -1 : 9, 0, us, &f);
	if (fclose(w.fp) != 0)
		err(1, "%s", out);
}

static void
empty(const char *out)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	pcap_dumper_t *d;

	if (p == NULL || (d = pcap_dump_open(p, out)) == NULL)
		errx(1, "%s: %s", out, p ? pcap_geterr(p) : "pcap_open_dead");
	pcap_dump_close(d);
	pcap_close(p);
}

static void
repeat(const char *in, const char *out, long copies)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int64_t first = 0, last = 0, shift = 0;
	pcap_dumper_t *d;
	pcap_t *p, *dead;
	int dlt;

	if ((p = pcap_open_offline(in, ebuf)) == NULL)
		errx(1, "%s", ebuf);
	dlt = pcap_datalink(p);
	dead = pcap_open_dead(dlt, 262144);
	if ((d = pcap_dump_open(dead, out)) == NULL)
		errx(1, "%s: %s", out, pcap_geterr(dead));
	pcap_close(p);
	for (long c = 0; c < copies; c++) {
		struct pcap_pkthdr *h;
		const u_char *pkt;
		static uint8_t buf[262144];
		bool firstpkt = true;
		int rc;

		if ((p = pcap_open_offline(in, ebuf)) == NULL)
			errx(1, "%s", ebuf);
		while ((rc = pcap_next_ex(p, &h, &pkt)) == 1) {
			struct pcap_pkthdr nh = *h;
			struct dissection dis;
			int64_t us = (int64_t)h->ts.tv_sec * 1000000 +
			    h->ts.tv_usec;

			if (c == 0 && firstpkt)
				first = us;
			if (firstpkt && c > 0)
				shift = last - first + 1000;
			firstpkt = false;
			us += shift;
			if (us > last)
				last = us;
			nh.ts.tv_sec = us / 1000000;
			nh.ts.tv_usec = us % 1000000;
			memcpy(buf, pkt, h->caplen);
			dissect_frame(dlt, buf, h->caplen, h->len, &dis);
			if (dis.has_tcp && dis.tcp.full) {
				uint8_t *th = (uint8_t *)dis.tcp.payload -
				    dis.tcp.hdr_len;

				th[0] = (uint8_t)((dis.tcp.sport + c) >> 8);
				th[1] = (uint8_t)(dis.tcp.sport + c);
				th[2] = (uint8_t)((dis.tcp.dport + c) >> 8);
				th[3] = (uint8_t)(dis.tcp.dport + c);
			}
			pcap_dump((u_char *)d, &nh, buf);
		}
		pcap_close(p);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "synth") == 0)
		synth(linktype(argv[2]), argv[3]);
	else if (argc == 3 && strcmp(argv[1], "synth-ng") == 0)
		synth_ng(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "empty") == 0)
		empty(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "synth-multi") == 0)
		synth_multi(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "synth-late") == 0)
		synth_late(argv[2]);
	else if (argc == 5 && strcmp(argv[1], "repeat") == 0)
		repeat(argv[2], argv[3], strtol(argv[4], NULL, 10));
	else
		errx(2, "usage: pcapgen synth LINKTYPE OUT | synth-ng OUT | "
		    "empty OUT | synth-multi OUT | synth-late OUT | "
		    "repeat IN OUT COPIES");
	return 0;
}
