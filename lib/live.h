/*
 * live.h: what the live programs (udsend, udrecv) share: the common options
 * (roles, ports, interfaces, addresses, congestion control, MPTCP or UDP,
 * peers allowed, timeouts, the capture) and the sockets behind them.
 *
 * Path k uses server port P + k*STEP (DESIGN.md, "Ports and paths": uplink
 * ports are P, P+2, ..., downlink ports P+1, P+3, ...); that server port is
 * also the path's name in every output, as in seqjoin.
 */
#ifndef MPTK_LIVE_H
#define MPTK_LIVE_H

#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include "livecap.h"
#include "record.h"

#define PATHS_MAX	32	/* phones on one client, with room to spare */
#define ALLOW_MAX	16	/* --allow options */

struct live_cidr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned bits;
};

struct live_opts {
	int listen;			/* -l: server role */
	const char *host;		/* -H: client role */
	unsigned port, step, npaths;	/* -p, --step, -n */
	char *ifaces[PATHS_MAX];	/* -I */
	unsigned nifaces;
	char *addrs[PATHS_MAX];		/* -B */
	unsigned naddrs;
	size_t reclen;			/* -s */
	uint64_t duration_ns;		/* -t; 0: until the peers end */
	const char *cc;			/* -C */
	int mptcp, nodelay;
	int udp;			/* --udp: a datagram per record */
	struct live_cidr allow[ALLOW_MAX];	/* --allow; none: every peer */
	unsigned nallow;
	uint64_t setup_ns;		/* --setup: to set up every path */
	const char *capture;		/* -w FILE */
	uint64_t idle_ns;		/* --idle: a silent peer is dropped */
	const char *tcpinfo_ms, *tcpinfo_file;	/* --tcpinfo MS FILE */
};

/* Long options both programs take; each program numbers its own from
 * LIVE_OPT_OWN on. */
enum {
	LIVE_OPT_STEP = 256,
	LIVE_OPT_MPTCP,
	LIVE_OPT_NODELAY,
	LIVE_OPT_ALLOW,
	LIVE_OPT_IDLE,
	LIVE_OPT_SETUP,
	LIVE_OPT_UDP,
	LIVE_OPT_OWN = 300,
};

#define LIVE_SHORTOPTS "lH:p:n:I:B:s:t:C:w:"
#define LIVE_LONGOPTS \
	{ "step", required_argument, NULL, LIVE_OPT_STEP }, \
	{ "mptcp", no_argument, NULL, LIVE_OPT_MPTCP }, \
	{ "nodelay", no_argument, NULL, LIVE_OPT_NODELAY }, \
	{ "allow", required_argument, NULL, LIVE_OPT_ALLOW }, \
	{ "idle", required_argument, NULL, LIVE_OPT_IDLE }, \
	{ "setup", required_argument, NULL, LIVE_OPT_SETUP }, \
	{ "udp", no_argument, NULL, LIVE_OPT_UDP }

/* The -h lines of the common options, for tk_std_options(). */
#define LIVE_HELP \
    "  -l             listen: the server side\n" \
    "  -H HOST        connect to HOST: the client side\n" \
    "  -p PORT        the first path's server port\n" \
    "  -n PATHS       number of paths (1)\n" \
    "  --step N       server ports P, P+N, P+2N, ... (2)\n" \
    "  -I IF,...      bind path k to interface k (usb0,usb1)\n" \
    "  -B ADDR,...    bind path k to local address k\n" \
    "  -s LEN         record length in bytes (400)\n" \
    "  -t SECONDS     run this long (0: until the peer ends)\n" \
    "  -w FILE        capture the run's packets into FILE (pcap)\n" \
    "  --setup SECONDS longest wait for every path to connect (30)\n" \
    "  --idle SECONDS drop a peer silent this long (10)\n" \
    "  -C CC          congestion control: cubic, bbr or reno\n" \
    "  --mptcp        kernel multipath TCP\n" \
    "  --udp          a UDP datagram per record\n" \
    "  --nodelay      TCP_NODELAY on every path\n" \
    "  --allow CIDR   accept peers only from CIDR (repeatable)\n" \
    "  --tcpinfo MS FILE  sample TCP_INFO every MS ms into FILE\n"

void live_opts_init(struct live_opts *o);

/*
 * Takes "--tcpinfo MS FILE" (two arguments, which getopt cannot express)
 * out of argv before getopt sees it.
 */
void live_take_tcpinfo(int *argc, char **argv, struct live_opts *o,
    const char *synopsis);

/*
 * Handles one of the common options; returns 0 when `ch` is not one.  A bad
 * value is reported as "prog: -p: 'x' is not a port" with exit 2.
 */
int live_opt(struct live_opts *o, int ch, char *arg);

/* Checks the options together (role, list lengths, -C); exits on error. */
void live_opts_check(struct live_opts *o, const char *synopsis);

/*
 * A path's traffic for the end-of-run summary:
 * "250 records, 100400 bytes, 1.992 s, 125.000 records/s, 400.0 kbit/s".
 * Rates run from the first record to the last, so the first record's bytes
 * are not counted in them; with fewer than two records they are 0.
 */
void live_traffic(char *buf, size_t len, uint64_t records, uint64_t bytes,
    uint64_t first_ns, uint64_t last_ns, size_t reclen);

/*
 * -w FILE: starts capturing this run's packets (TCP or UDP on its ports;
 * on the -I interfaces, else every interface) before any socket is made;
 * nothing without -w.  Exits 1 when it cannot capture.
 */
void live_capture_start(const struct live_opts *o, struct livecap *cap);

/*
 * Once the run's sockets are closed: leaves their last packets (FIN,
 * ACK) time to pass, stops the capture and prints its summary line on
 * stderr; -1 when the capture failed.
 */
int live_capture_stop(struct livecap *cap);

/*
 * --udp: every record is one datagram of -s bytes, in the mptk format.
 * The end record (flag 0) goes out LIVE_END_COPIES times, LIVE_END_GAP_NS
 * apart, as a datagram can be lost.  A downlink client (udrecv -H) makes
 * itself known by sending an end record of the run's length (seq 0, its
 * own clock as born) every LIVE_HELLO_NS until the first record comes:
 * the server (udsend -l) sends the path's records to the first allowed
 * source of such a hello.
 */
#define LIVE_END_COPIES	3
#define LIVE_END_GAP_NS	(10 * (uint64_t)NST_MS)
#define LIVE_HELLO_NS	(200 * (uint64_t)NST_MS)
#define LIVE_PLAUSIBLE_MS (86400 * 1000.0)	/* born within a day of now */

/* One datagram as received by live_recv_dgram. */
struct live_dgram {
	struct sockaddr_storage src;	/* who sent it */
	struct sockaddr_storage dst;	/* our address it came to (server
					 * sockets; family 0 if unknown) */
	uint64_t real_ns;		/* the kernel's arrival time */
	uint64_t overflows;		/* datagrams this socket dropped so
					 * far, its buffer full (kept when
					 * the kernel does not say) */
};

/*
 * Socket options of a path's UDP socket: a large receive buffer, kernel
 * arrival times, a count of overflows and (server) the address each
 * datagram came to.  live_listen and live_connect set them.
 */
void live_udp_options(int fd, int server);

/*
 * Reads one datagram (non-blocking) into buf; returns its whole length,
 * which may be above len (the rest is cut), or -1 with errno.
 */
ssize_t live_recv_dgram(int fd, void *buf, size_t len, struct live_dgram *d);

/*
 * --udp server that sends (udsend -l): turns path k's socket *fdp into one
 * connected to the hello's source and bound to the address the hello came
 * to, so that the client's connected socket takes the records (a reply
 * from another of our addresses would be refused).  -1 after a message.
 */
int live_udp_answer(const struct live_opts *o, unsigned k, int *fdp,
    const struct live_dgram *hello);

/* 1 if the record's send time is within a day of the wall clock now. */
int live_plausible(const struct rec *r, uint64_t real_ns);

/* 1 if the two socket addresses are the same address and port. */
int live_same_addr(const struct sockaddr *a, const struct sockaddr *b);

/* Calls `handler` on SIGINT and SIGTERM. */
void live_catch_signals(void (*handler)(int));

unsigned live_port(const struct live_opts *o, unsigned k);

/*
 * Opens the non-blocking listening socket of path k (with --udp, the bound
 * socket that receives the path's datagrams); exits on error.
 */
int live_listen(const struct live_opts *o, unsigned k);

/*
 * Connects path k to the server, retrying a refused connection until the
 * monotonic deadline or *stop; returns the non-blocking socket, or -1 after
 * a message.  With --udp, a connected datagram socket (nothing is sent:
 * the kernel then takes datagrams from the server's port only).
 */
int live_connect(const struct live_opts *o, unsigned k, uint64_t deadline,
    volatile sig_atomic_t *stop);

/* Applies -C and --nodelay to a connected socket; -1 after a message. */
int live_tune(const struct live_opts *o, int fd, unsigned k);

/* 1 if --allow lets this peer in (always, without --allow). */
int live_allowed(const struct live_opts *o, const struct sockaddr *sa);

/* "198.18.0.2:40001" or "[2001:db8::1]:40001" */
void live_addr_str(const struct sockaddr *sa, char *buf, size_t len);

#endif
