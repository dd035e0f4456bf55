/*
 * dissect.h: decoding of one captured frame, link layer to transport, the
 * way Wireshark 4.0 decodes it, for the fields pcap2csv prints.
 *
 * Every read of packet bytes is checked against the captured length.  Like
 * Wireshark, a header cut short yields the fields that lie wholly inside the
 * captured bytes and nothing after them: each header records how many of its
 * bytes were captured (`have`), and a field is present when its bytes are.
 * Nothing here allocates; a struct dissection points into the frame's bytes.
 */
#ifndef MPTK_DISSECT_H
#define MPTK_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#define DIS_MAX_IP 4		/* IP headers kept per frame (tunnels, ICMP) */

struct dis_ip {
	uint8_t af;		/* 4 or 6 */
	uint8_t have;		/* header bytes captured, up to 40 */
	uint8_t hdr_len;	/* IPv4 header length in bytes */
	uint8_t ttl;		/* TTL or hop limit */
	uint8_t proto;		/* ip.proto, ipv6.nxt */
	uint16_t len;		/* ip.len (total), ipv6.plen */
	uint16_t id;
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
};

/* Field offsets inside a TCP header, for the `have` checks. */
struct dis_tcp {
	uint32_t have;		/* header bytes captured */
	bool hdr;		/* the 20 fixed bytes, sane: ack, flags, window */
	bool base;		/* and within the IP payload: seq_raw, tcp.len */
	bool full;		/* and options captured: analysis, payload */
	bool embedded;		/* inside an ICMP error: no analysis */
	bool unanalysed;	/* embedded, or in a first fragment */
	bool quoted_seq;	/* embedded, and seq captured */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;		/* 12 bits */
	uint16_t win;
	uint16_t hdr_len;
	uint32_t len;		/* tcp.len, from the IP lengths */
	/* options */
	int wscale;		/* -1 absent */
	bool sack_perm, ts_opt;
	uint8_t nsack;
	uint32_t sack_le[4], sack_re[4];
	uint32_t tsval, tsecr;
	const uint8_t *payload;	/* captured payload bytes */
	uint32_t payload_cap;
	const struct dis_ip *ip;	/* the IP header carrying it */
};

struct dis_udp {
	uint32_t have;
	bool full;
	bool embedded;
	uint16_t sport, dport, length;
	const uint8_t *payload;
	uint32_t payload_cap;
};

struct dissection {
	uint32_t nip;
	struct dis_ip ip[DIS_MAX_IP];
	bool has_tcp, has_udp;
	bool fragmented;	/* transport from a first fragment, cut short */
	struct dis_tcp tcp;
	struct dis_udp udp;
	int icmp_type, icmp_code;	/* -1 absent */
	int icmp6_type, icmp6_code;
	/* _ws.col.Protocol: a static string */
	const char *protocol;
	/* data.data: payload no dissector of tshark 4.0 would claim */
	const uint8_t *data;
	uint32_t data_len;
	bool has_data;
};

/*
 * Decodes one frame of link type `dlt` (a DLT_ value of pcap_datalink()).
 * caplen bytes are at `p`; wirelen is the original length.
 */
void dissect_frame(int dlt, const uint8_t *p, uint32_t caplen,
    uint32_t wirelen, struct dissection *d);

/* Whether dissect_frame() knows link type `dlt`. */
bool dissect_link_supported(int dlt);

#endif
