/*
 * tcp_analysis.h: TCP conversation tracking and sequence analysis with the
 * semantics of Wireshark 4.0's packet-tcp.c (tcp.stream, relative sequence
 * numbers, tcp.analysis.*), so that pcap2csv prints what tshark prints.
 *
 * The caller dissects each frame and hands every TCP segment, in capture
 * order, to tcp_analyze(); the verdict says what tshark would show for that
 * frame.  Memory: the unacknowledged segments of live conversations (freed
 * as they are acknowledged, at most 10000 per direction as in Wireshark,
 * and all of a conversation's once it is over) plus a fixed record of
 * about 300 bytes per conversation seen, kept because tshark numbers any
 * later segment on the same endpoints into the same tcp.stream and
 * analyses it against that state.  Time: constant per segment, whatever
 * the number of segments in flight.
 */
#ifndef MPTK_TCP_ANALYSIS_H
#define MPTK_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

/* One TCP segment as dissected from a frame. */
struct tcp_seg {
	uint64_t frame;		/* frame.number, 1-based */
	int64_t ts_sec;		/* capture time */
	int32_t ts_nsec;
	uint8_t af;		/* 4 or 6 */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	uint16_t sport, dport;
	uint32_t seq, ack;	/* raw, as on the wire */
	uint16_t flags;		/* the 12 flag bits: FIN 0x001 ... */
	uint16_t win;		/* raw window field */
	int wscale;		/* window scale option shift (on any segment,
				 * as tshark), -1 absent */
	bool sack_perm;		/* SACK-permitted option present */
	uint8_t nsack;		/* SACK blocks in this segment (0-4) */
	uint32_t sack_le[4], sack_re[4];
	uint32_t len;		/* tcp.len: min(IP-declared length, bytes left
				 * in the frame's wire length) - hdr_len */
	uint32_t hdr_len;	/* TCP header length in bytes */
	bool ts_opt;		/* timestamp option present */
	uint32_t tsval, tsecr;
	bool hdr_truncated;	/* fewer than hdr_len bytes of the TCP header
				 * captured: tshark's option dissection stops
				 * with an exception, so it shows no
				 * tcp.analysis.* (wscale/SACK: fill only the
				 * options wholly captured) */
};

/* What tshark shows for that frame; -1 or 0 where it shows nothing. */
struct tcp_verdict {
	uint32_t stream;	/* tcp.stream */
	uint8_t dir;		/* 0: from the endpoint that sent the stream's
				 * first segment, 1: towards it */
	bool base_from_syn;	/* the sender's relative numbers start at its
				 * SYN (tshark's TCP_S_SAW_SYN/SYNACK) */
	uint32_t rel_seq;	/* tcp.seq (relative) */
	uint32_t rel_ack;	/* tcp.ack (relative); valid if has_ack */
	bool has_ack;
	int64_t window_size;	/* tcp.window_size (scaled as tshark does) */
	uint64_t acks_frame;	/* tcp.analysis.acks_frame, 0 = absent */
	int64_t ack_rtt_ns;	/* tcp.analysis.ack_rtt, -1 = absent */
	int64_t bytes_in_flight;	/* tcp.analysis.bytes_in_flight, -1 = absent */
	/* tcp.analysis.* flags: the number of times tshark's tree carries
	 * each (it prints "1" once per occurrence, comma-separated: "1,1") */
	uint8_t retransmission;
	uint8_t fast_retransmission;
	uint8_t spurious_retransmission;
	uint8_t out_of_order;
	uint8_t duplicate_ack;
	uint8_t lost_segment;
	/* the other tcp.analysis.* items (0 or 1) and duplicate_ack_num */
	uint8_t ack_lost_segment;
	uint8_t window_update, window_full;
	uint8_t keep_alive, keep_alive_ack;
	uint8_t zero_window, zero_window_probe, zero_window_probe_ack;
	uint8_t reused_ports;
	uint32_t duplicate_ack_num;	/* 0 = absent */
};

struct tcp_table;

struct tcp_table *tcp_table_new(void);
void tcp_table_free(struct tcp_table *t);

/*
 * tshark 4.0 does not call an ACK a duplicate when its MPTCP connection
 * has seen kinds of MPTCP option since the ACK's sender last sent: ops(ctx,
 * stream) says which kinds tcp.stream's connection has seen (a bit mask),
 * or -1 when the stream belongs to none.
 */
void tcp_table_set_mptcp(struct tcp_table *t, int (*ops)(void *, uint32_t),
    void *ctx);

/* Analyses one segment; fills *v. */
void tcp_analyze(struct tcp_table *t, const struct tcp_seg *s,
    struct tcp_verdict *v);

/*
 * The tcp.stream tshark gives a TCP header it does not analyse: the one
 * quoted in an ICMP or ICMPv6 error (it still finds, or starts, the
 * conversation of its endpoints).  Only the endpoints of s are used; such a
 * header shows raw tcp.seq/tcp.ack and an unscaled window.
 */
uint32_t tcp_stream_lookup(struct tcp_table *t, const struct tcp_seg *s);

/* Live conversations and segments held, for tests of bounded memory. */
void tcp_table_usage(const struct tcp_table *t, uint64_t *flows,
    uint64_t *segs);

/* Conversations that are over (RST, or FIN both ways and all acked) and
 * kept only as a small record (endpoints, tcp.stream, a few sequence
 * numbers): tshark numbers any later segment on the same endpoints into the
 * same tcp.stream unless it is a SYN with a new ISN. */
uint64_t tcp_table_closed(const struct tcp_table *t);

#endif
