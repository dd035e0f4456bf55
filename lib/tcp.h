/*
 * tcp.h: the TCP header's flag bits (tcp.flags, 12 bits), once for the
 * dissector, the analysis and every filter that reads tcp.flags (as
 * tcpdump's tcp.h).
 */
#ifndef MPTK_TCP_H
#define MPTK_TCP_H

#define TH_FIN	0x001
#define TH_SYN	0x002
#define TH_RST	0x004
#define TH_PUSH	0x008
#define TH_ACK	0x010
#define TH_URG	0x020
#define TH_ECE	0x040
#define TH_CWR	0x080
#define TH_AE	0x100	/* accurate ECN, once the nonce sum */
#define TH_FLAGS_MASK	0xfff

#endif
