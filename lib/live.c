#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "common.h"
#include "live.h"
#include "record.h"
#include "util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define CONNECT_RETRY_NS	(100 * (uint64_t)NST_MS)
/* after the last socket closed: its FIN and last ACKs */
#define CAPTURE_TAIL_NS		(500 * (uint64_t)NST_MS)
#define UDP_RCVBUF		(4 << 20)	/* datagrams waiting, bytes */

void
live_opts_init(struct live_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->step = 2;
	o->npaths = 1;
	o->reclen = REC_DEFAULT_LEN;
	o->setup_ns = 30 * (uint64_t)NST_S;
	o->idle_ns = 10 * (uint64_t)NST_S;
}

void
live_take_tcpinfo(int *argc, char **argv, struct live_opts *o,
    const char *synopsis)
{
	int i, j;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "--tcpinfo") != 0)
			continue;
		if (i + 2 >= *argc) {
			warnx("--tcpinfo needs MS and FILE");
			tk_usage(synopsis);
		}
		o->tcpinfo_ms = argv[i + 1];
		o->tcpinfo_file = argv[i + 2];
		for (j = i; j + 3 <= *argc; j++)
			argv[j] = argv[j + 3];
		*argc -= 3;
		i--;
	}
}

/* Splits a comma list in place; empty items are refused. */
static unsigned
split_list(const char *opt, char *arg, char **out)
{
	unsigned n = 0;
	char *item;

	while ((item = strsep(&arg, ",")) != NULL) {
		if (*item == '\0')
			errx(EXIT_USAGE, "%s: empty item in list", opt);
		if (n == PATHS_MAX)
			errx(EXIT_USAGE, "%s: more than %d items", opt,
			    PATHS_MAX);
		out[n++] = item;
	}
	return n;
}

/* Parses "198.18.0.0/15", "2001:db8::/32" or a bare address. */
static int
cidr_parse(const char *s, struct live_cidr *c)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	uint64_t bits;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = AF_INET;
		c->bits = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = AF_INET6;
		c->bits = 128;
	} else
		return -1;
	if (slash != NULL) {
		if (num_u64(slash, c->bits, &bits) != NUM_OK)
			return -1;
		c->bits = (unsigned)bits;
	}
	return 0;
}

static int
cidr_match(const struct live_cidr *c, int family, const uint8_t *addr)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (c->family != family)
		return 0;
	if (memcmp(c->addr, addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((c->addr[full] ^ addr[full]) & (0xff00 >> rest)) == 0;
}

int
live_opt(struct live_opts *o, int ch, char *arg)
{
	switch (ch) {
	case 'l':
		o->listen = 1;
		break;
	case 'H':
		o->host = arg;
		break;
	case 'p':
		o->port = (unsigned)opt_u64("-p", arg, 1, 65535, "a port");
		break;
	case 'n':
		o->npaths = (unsigned)opt_u64("-n", arg, 1, PATHS_MAX,
		    "a number of paths");
		break;
	case LIVE_OPT_STEP:
		o->step = (unsigned)opt_u64("--step", arg, 1, 1000,
		    "a port step");
		break;
	case 'I':
		o->nifaces = split_list("-I", arg, o->ifaces);
		break;
	case 'B':
		o->naddrs = split_list("-B", arg, o->addrs);
		break;
	case 's':
		o->reclen = (unsigned)opt_u64("-s", arg, REC_HDR_LEN, 65536,
		    "a record length");
		break;
	case 't':
		o->duration_ns = (uint64_t)opt_seconds("-t", arg, 0,
		    NST_S * 1000000000, "a duration in seconds");
		break;
	case 'w':
		o->capture = arg;
		break;
	case LIVE_OPT_SETUP:
		o->setup_ns = (uint64_t)opt_seconds("--setup", arg, 1,
		    NST_S * 1000000000, "a duration in seconds");
		break;
	case LIVE_OPT_UDP:
		o->udp = 1;
		break;
	case LIVE_OPT_IDLE:
		o->idle_ns = (uint64_t)opt_seconds("--idle", arg, 1,
		    NST_S * 1000000000, "a duration in seconds");
		break;
	case 'C':
		o->cc = arg;
		break;
	case LIVE_OPT_MPTCP:
		o->mptcp = 1;
		break;
	case LIVE_OPT_NODELAY:
		o->nodelay = 1;
		break;
	case LIVE_OPT_ALLOW:
		if (o->nallow == ALLOW_MAX)
			errx(EXIT_USAGE, "--allow: more than %d networks",
			    ALLOW_MAX);
		if (cidr_parse(arg, &o->allow[o->nallow]) == -1)
			errx(EXIT_USAGE, "--allow: '%s' is not an address or "
			    "CIDR network", arg);
		o->nallow++;
		break;
	default:
		return 0;
	}
	return 1;
}

/* A throwaway socket tells whether -C names an algorithm we may use. */
static void
check_cc(const char *cc)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	if (fd == -1)
		err(EXIT_DATA, "socket");
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)) ==
	    -1) {
		if (errno == ENOENT)
			errx(EXIT_DATA, "-C %s: congestion control not "
			    "available in this kernel (see "
			    "/proc/sys/net/ipv4/tcp_available_congestion_control)",
			    cc);
		if (errno == EPERM)
			errx(EXIT_DATA, "-C %s: not allowed for this user (see "
			    "/proc/sys/net/ipv4/tcp_allowed_congestion_control)",
			    cc);
		err(EXIT_DATA, "-C %s", cc);
	}
	close(fd);
}

void
live_opts_check(struct live_opts *o, const char *synopsis)
{
	if (o->listen == (o->host != NULL)) {
		warnx("give exactly one of -l (server) and -H HOST (client)");
		tk_usage(synopsis);
	}
	if (o->port == 0) {
		warnx("-p PORT is required");
		tk_usage(synopsis);
	}
	if (o->port + (unsigned long)o->step * (o->npaths - 1) > 65535)
		errx(EXIT_USAGE, "-p %u -n %u --step %u: ports beyond 65535",
		    o->port, o->npaths, o->step);
	if (o->nifaces != 0 && o->nifaces != o->npaths)
		errx(EXIT_USAGE, "-I: %u interfaces for %u paths", o->nifaces,
		    o->npaths);
	if (o->naddrs != 0 && o->naddrs != o->npaths)
		errx(EXIT_USAGE, "-B: %u addresses for %u paths", o->naddrs,
		    o->npaths);
	for (unsigned k = 0; k < o->naddrs; k++) {
		struct live_cidr c;

		if (cidr_parse(o->addrs[k], &c) == -1 || strchr(o->addrs[k],
		    '/') != NULL)
			errx(EXIT_USAGE, "-B: '%s' is not an address",
			    o->addrs[k]);
	}
	if (o->udp) {
		const char *tcp_only = o->mptcp ? "--mptcp" : o->cc != NULL ?
		    "-C" : o->nodelay ? "--nodelay" : o->tcpinfo_ms != NULL ?
		    "--tcpinfo" : NULL;

		if (tcp_only != NULL)
			errx(EXIT_USAGE, "--udp: %s is for TCP only", tcp_only);
	}
	if (o->cc != NULL)
		check_cc(o->cc);
}

void
live_traffic(char *buf, size_t len, uint64_t records, uint64_t bytes,
    uint64_t first_ns, uint64_t last_ns, size_t reclen)
{
	double secs = records > 1 ? (double)(last_ns - first_ns) / 1e9 : 0;

	snprintf(buf, len, "%" PRIu64 " records, %" PRIu64 " bytes, %.3f s, "
	    "%.3f records/s, %.1f kbit/s", records, bytes, secs,
	    secs > 0 ? (double)(records - 1) / secs : 0,
	    secs > 0 ? (double)(bytes - reclen) * 8 / secs / 1000 : 0);
}

void
live_capture_start(const struct live_opts *o, struct livecap *cap)
{
	char filter[32 * 16 + 64];
	size_t off;

	memset(cap, 0, sizeof(*cap));
	if (o->capture == NULL)
		return;
	off = (size_t)snprintf(filter, sizeof(filter), "%s and (",
	    o->udp ? "udp" : "tcp");
	for (unsigned k = 0; k < o->npaths; k++)
		off += (size_t)snprintf(filter + off, sizeof(filter) - off,
		    "%sport %u", k > 0 ? " or " : "", live_port(o, k));
	snprintf(filter + off, sizeof(filter) - off, ")");
	livecap_start(cap, o->capture, o->ifaces, o->nifaces, filter);
}

int
live_capture_stop(struct livecap *cap)
{
	char line[512];
	int rc;

	if (cap->pid == 0)
		return 0;
	clk_sleep_until(clk_mono_ns() + CAPTURE_TAIL_NS);
	rc = livecap_stop(cap, line, sizeof(line));
	fprintf(stderr, "%s: capture %s\n", program_invocation_short_name,
	    line);
	return rc;
}

int
live_plausible(const struct rec *r, uint64_t real_ns)
{
	double now_ms = (double)real_ns / 1e6;
	double born = r->flag == REC_END ? (double)r->born : rec_born_ms(r);

	return born >= now_ms - LIVE_PLAUSIBLE_MS &&
	    born <= now_ms + LIVE_PLAUSIBLE_MS;
}

/* The address bytes and port of sa, IPv4-mapped IPv6 seen as IPv4. */
static int
addr_key(const struct sockaddr *sa, uint8_t *key)
{
	memset(key, 0, 18);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		memcpy(key + 12, &in->sin_addr, 4);
		key[10] = key[11] = 0xff;
		memcpy(key + 16, &in->sin_port, 2);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		memcpy(key, &in6->sin6_addr, 16);
		memcpy(key + 16, &in6->sin6_port, 2);
		return 0;
	}
	return -1;
}

int
live_same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
	uint8_t ka[18], kb[18];

	return addr_key(a, ka) == 0 && addr_key(b, kb) == 0 &&
	    memcmp(ka, kb, sizeof(ka)) == 0;
}

void
live_catch_signals(void (*handler)(int))
{
	struct sigaction sa;

	/* no SA_RESTART: a blocked poll or connect returns to see the flag */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

unsigned
live_port(const struct live_opts *o, unsigned k)
{
	return o->port + k * o->step;
}

void
live_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host,
			    sizeof(host));
		else
			inet_ntop(AF_INET6, &in6->sin6_addr, host,
			    sizeof(host));
		snprintf(buf, len, IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) ?
		    "%s:%u" : "[%s]:%u", host, ntohs(in6->sin6_port));
	} else
		snprintf(buf, len, "(family %d)", sa->sa_family);
}

int
live_allowed(const struct live_opts *o, const struct sockaddr *sa)
{
	const uint8_t *addr;
	int family = sa->sa_family;

	if (o->nallow == 0)
		return 1;
	if (family == AF_INET)
		addr = (const uint8_t *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
	else if (family == AF_INET6) {
		addr = ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr;
		/* a dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d */
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)
		    (const void *)addr)) {
			family = AF_INET;
			addr += 12;
		}
	} else
		return 0;
	for (unsigned i = 0; i < o->nallow; i++)
		if (cidr_match(&o->allow[i], family, addr))
			return 1;
	return 0;
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int
open_socket(const struct live_opts *o, int family, unsigned k)
{
	int fd;

	fd = o->udp ? socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP) :
	    socket(family, SOCK_STREAM | SOCK_CLOEXEC,
	    o->mptcp ? IPPROTO_MPTCP : IPPROTO_TCP);
	if (fd == -1) {
		if (o->mptcp && (errno == EPROTONOSUPPORT || errno == EINVAL ||
		    errno == ENOPROTOOPT))
			warnx("--mptcp: this kernel has no MPTCP (is "
			    "net.mptcp.enabled 1?)");
		else
			warn("socket");
		return -1;
	}
	if (o->nifaces > 0 && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    o->ifaces[k], (socklen_t)strlen(o->ifaces[k])) == -1) {
		warn("-I %s: SO_BINDTODEVICE", o->ifaces[k]);
		close(fd);
		return -1;
	}
	return fd;
}

int
live_tune(const struct live_opts *o, int fd, unsigned k)
{
	int one = 1;

	if (o->udp)
		return 0;
	if (o->cc != NULL && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION,
	    o->cc, (socklen_t)strlen(o->cc)) == -1) {
		warn("path %u: -C %s", live_port(o, k), o->cc);
		return -1;
	}
	if (o->nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1) {
		warn("path %u: --nodelay", live_port(o, k));
		return -1;
	}
	return 0;
}

/* ss = `addr` (4 or 16 bytes by family; NULL: any address, which is all
 * zero bytes in both families) and `port`; returns the length to bind. */
static socklen_t sockaddr_set(struct sockaddr_storage *, int, const uint8_t *,
    unsigned);

static socklen_t
sockaddr_set(struct sockaddr_storage *ss, int family, const uint8_t *addr,
    unsigned port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)ss;

		in->sin_family = AF_INET;
		if (addr != NULL)
			memcpy(&in->sin_addr, addr, 4);
		in->sin_port = htons((uint16_t)port);
		return sizeof(*in);
	}
	struct sockaddr_in6 *in6 = (void *)ss;

	in6->sin6_family = AF_INET6;
	if (addr != NULL)
		memcpy(&in6->sin6_addr, addr, 16);
	in6->sin6_port = htons((uint16_t)port);
	return sizeof(*in6);
}

int
live_listen(const struct live_opts *o, unsigned k)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	unsigned port = live_port(o, k);
	int fd, one = 1, zero = 0;

	if (o->naddrs > 0) {
		struct live_cidr c;

		cidr_parse(o->addrs[k], &c);	/* checked by live_opts_check */
		sslen = sockaddr_set(&ss, c.family, c.addr, port);
	} else	/* any address, IPv4 and IPv6 on one socket */
		sslen = sockaddr_set(&ss, AF_INET6, NULL, port);
	fd = open_socket(o, ss.ss_family, k);
	if (fd == -1 && ss.ss_family == AF_INET6 && o->naddrs == 0 &&
	    errno == EAFNOSUPPORT) {
		/* no IPv6 here: listen on IPv4 only */
		sslen = sockaddr_set(&ss, AF_INET, NULL, port);
		fd = open_socket(o, AF_INET, k);
	}
	if (fd == -1)
		exit(EXIT_DATA);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6 && o->naddrs == 0)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	/* accepted sockets inherit congestion control and nodelay */
	if (live_tune(o, fd, k) == -1)
		exit(EXIT_DATA);
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1)
		err(EXIT_DATA, "path %u: bind", port);
	/* UDP: the bound socket itself receives every path's datagrams */
	if ((!o->udp && listen(fd, 16) == -1) || set_nonblock(fd) == -1)
		err(EXIT_DATA, "path %u: listen", port);
	if (o->udp)
		live_udp_options(fd, 1);
	return fd;
}

void
live_udp_options(int fd, int server)
{
	int one = 1, big = UDP_RCVBUF;

	/* a burst (or a flood from elsewhere) waits here, not dropped */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (server) {
		/* which of our addresses a datagram came to */
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
		    sizeof(one));
	}
}

ssize_t
live_recv_dgram(int fd, void *buf, size_t len, struct live_dgram *d)
{
	union {
		struct cmsghdr align;
		/* room for every kind we ask for, both pktinfo included */
		char buf[CMSG_SPACE(sizeof(struct timespec)) +
		    CMSG_SPACE(sizeof(uint32_t)) +
		    CMSG_SPACE(sizeof(struct in_pktinfo)) +
		    CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr msg = {
		.msg_name = &d->src, .msg_namelen = sizeof(d->src),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	memset(&d->src, 0, sizeof(d->src));
	memset(&d->dst, 0, sizeof(d->dst));
	d->real_ns = 0;
	/* MSG_TRUNC: the whole length of a datagram longer than buf */
	n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n == -1)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		size_t have = cm->cmsg_len - CMSG_LEN(0);

		if (cm->cmsg_len < CMSG_LEN(0))
			break;
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			if (have < sizeof(ts))
				continue;
			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			d->real_ns = (uint64_t)ts.tv_sec * (uint64_t)NST_S +
			    (uint64_t)ts.tv_nsec;
		} else if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SO_RXQ_OVFL) {
			uint32_t drops;

			if (have < sizeof(drops))
				continue;
			memcpy(&drops, CMSG_DATA(cm), sizeof(drops));
			d->overflows = drops;
		} else if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *in = (void *)&d->dst;

			if (have < sizeof(pi))
				continue;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			in->sin_family = AF_INET;
			in->sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *in6 = (void *)&d->dst;

			if (have < sizeof(pi))
				continue;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			if (IN6_IS_ADDR_V4MAPPED(&pi.ipi6_addr)) {
				struct sockaddr_in *in = (void *)&d->dst;

				in->sin_family = AF_INET;
				memcpy(&in->sin_addr, &pi.ipi6_addr.s6_addr[12],
				    4);
			} else {
				in6->sin6_family = AF_INET6;
				in6->sin6_addr = pi.ipi6_addr;
			}
		}
	}
	if (d->real_ns == 0)
		d->real_ns = clk_real_ns();
	return n;
}

int
live_udp_answer(const struct live_opts *o, unsigned k, int *fdp,
    const struct live_dgram *d)
{
	struct sockaddr_storage local, peer;
	socklen_t llen, plen;
	int fd, one = 1;
	char who[64];

	live_addr_str((const struct sockaddr *)&d->src, who, sizeof(who));
	/* IPv4 peers of a dual-stack socket: plain IPv4 on the new one */
	memcpy(&peer, &d->src, sizeof(peer));
	if (peer.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(
	    &((struct sockaddr_in6 *)(void *)&peer)->sin6_addr)) {
		struct sockaddr_in6 in6;

		memcpy(&in6, &peer, sizeof(in6));
		sockaddr_set(&peer, AF_INET, &in6.sin6_addr.s6_addr[12],
		    ntohs(in6.sin6_port));
	}
	plen = peer.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	if (d->dst.ss_family == 0) {
		/* no pktinfo: answer from the socket as it is */
		if (connect(*fdp, (struct sockaddr *)&peer, plen) == -1) {
			warn("path %u: %s: connect", live_port(o, k), who);
			return -1;
		}
		return 0;
	}
	if (d->dst.ss_family != peer.ss_family) {
		warnx("path %u: %s: a hello to an address of another family",
		    live_port(o, k), who);
		return -1;
	}
	llen = sockaddr_set(&local, d->dst.ss_family, d->dst.ss_family ==
	    AF_INET ? (const uint8_t *)&((const struct sockaddr_in *)
	    (const void *)&d->dst)->sin_addr : ((const struct sockaddr_in6 *)
	    (const void *)&d->dst)->sin6_addr.s6_addr, live_port(o, k));
	fd = open_socket(o, local.ss_family, k);
	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* the old socket goes first, so the port is free to bind again */
	close(*fdp);
	*fdp = -1;
	if (bind(fd, (struct sockaddr *)&local, llen) == -1 ||
	    connect(fd, (struct sockaddr *)&peer, plen) == -1 ||
	    set_nonblock(fd) == -1) {
		char here[64];

		live_addr_str((struct sockaddr *)&local, here, sizeof(here));
		warn("path %u: %s: answering from %s", live_port(o, k), who,
		    here);
		close(fd);
		return -1;
	}
	live_udp_options(fd, 0);
	*fdp = fd;
	return 0;
}

/* One attempt: 0 connected, -1 failed for good, 1 worth retrying. */
static int
connect_once(const struct live_opts *o, unsigned k, const struct addrinfo *ai,
    uint64_t deadline, volatile sig_atomic_t *stop, int *fdp)
{
	int fd, soerr = 0;
	socklen_t len = sizeof(soerr);
	char where[80];

	snprintf(where, sizeof(where), "path %u: %s", live_port(o, k),
	    o->host);
	fd = open_socket(o, ai->ai_family, k);
	if (fd == -1)
		return -1;
	if (o->naddrs > 0) {
		struct addrinfo hints = {
			.ai_family = ai->ai_family,
			.ai_flags = AI_NUMERICHOST | AI_PASSIVE,
			.ai_socktype = o->udp ? SOCK_DGRAM : SOCK_STREAM,
		};
		struct addrinfo *src;

		if (getaddrinfo(o->addrs[k], NULL, &hints, &src) != 0) {
			warnx("%s: -B %s: not an address of the server's "
			    "family", where, o->addrs[k]);
			close(fd);
			return -1;
		}
		if (bind(fd, src->ai_addr, src->ai_addrlen) == -1) {
			warn("%s: -B %s", where, o->addrs[k]);
			freeaddrinfo(src);
			close(fd);
			return -1;
		}
		freeaddrinfo(src);
	}
	if (live_tune(o, fd, k) == -1 || set_nonblock(fd) == -1) {
		close(fd);
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		soerr = errno;
		goto failed;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		uint64_t now = clk_mono_ns();
		int ms, n;

		if (*stop || now >= deadline) {
			soerr = ETIMEDOUT;
			goto failed;
		}
		ms = (int)((deadline - now) / (uint64_t)NST_MS) + 1;
		n = poll(&pfd, 1, ms > 200 ? 200 : ms);
		if (n == -1 && errno != EINTR) {
			soerr = errno;
			goto failed;
		}
		if (n == 1)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	if (soerr != 0)
		goto failed;
	if (o->udp)
		live_udp_options(fd, 0);
	*fdp = fd;
	return 0;
failed:
	close(fd);
	errno = soerr;
	if (soerr == ECONNREFUSED || soerr == ENETUNREACH ||
	    soerr == EHOSTUNREACH || soerr == ECONNRESET)
		return 1;
	warn("%s: connect", where);
	return -1;
}

int
live_connect(const struct live_opts *o, unsigned k, uint64_t deadline,
    volatile sig_atomic_t *stop)
{
	struct addrinfo hints = {
		.ai_socktype = o->udp ? SOCK_DGRAM : SOCK_STREAM,
	};
	struct addrinfo *res, *ai;
	char port[8];
	int rc, fd = -1, lasterr = 0;

	snprintf(port, sizeof(port), "%u", live_port(o, k));
	if (o->naddrs > 0) {
		struct live_cidr c;

		cidr_parse(o->addrs[k], &c);
		hints.ai_family = c.family;
	}
	rc = getaddrinfo(o->host, port, &hints, &res);
	if (rc != 0) {
		warnx("path %s: %s: %s", port, o->host, gai_strerror(rc));
		return -1;
	}
	/* A server not up yet refuses; try again until the deadline. */
	for (;;) {
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			rc = connect_once(o, k, ai, deadline, stop, &fd);
			if (rc == 0) {
				freeaddrinfo(res);
				return fd;
			}
			if (rc == -1) {
				freeaddrinfo(res);
				return -1;
			}
			lasterr = errno;
		}
		if (*stop || clk_mono_ns() + CONNECT_RETRY_NS >= deadline)
			break;
		clk_sleep_until(clk_mono_ns() + CONNECT_RETRY_NS);
	}
	freeaddrinfo(res);
	errno = lasterr;
	warn("path %s: %s: connect (gave up after --setup)", port, o->host);
	return -1;
}
