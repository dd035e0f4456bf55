/*
 * udrecv: the receiving side of a redundant multi-path run.  Reads records
 * from every path and prints path@seq@born@time@owd per record, which
 * seqjoin takes directly.  As a server it faces whatever the internet
 * sends: a port holds a few candidate connections, the first one to send a
 * well-formed record becomes the path's peer and the others are closed;
 * malformed records, silence past --idle and peers outside --allow are
 * dropped with a message.  A candidate that starts a record must finish it
 * within PROVE_NS, and a newcomer to a full port always gets a slot (the
 * weakest candidate makes room), so a trickle of bytes cannot lock a real
 * peer out.  Memory is bounded by paths x candidates x LEN.
 *
 * With --udp every datagram is one record: a path's peer is the first
 * source of a well-formed one (a client: the server it connected to,
 * after its hellos), and per path records are counted received, missing,
 * duplicated and reordered; what is not a record of the run is counted
 * and ignored, never fatal.  Memory is bounded by paths x SEQ_WINDOW bits.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "atcsv.h"
#include "clock.h"
#include "common.h"
#include "live.h"
#include "record.h"
#include "tcpinfo.h"
#include "util.h"

static const char synopsis[] =
    "-l | -H host -p port [-n paths] [--step n] [-I if,...] [-B addr,...]\n"
    "\t[-s len] [-t seconds] [-w file] [--setup seconds] [--idle seconds]\n"
    "\t[-C cubic|bbr|reno] [--mptcp | --udp] [--nodelay] [--allow cidr]...\n"
    "\t[--tcpinfo ms file]";
static const char options[] = LIVE_HELP;

#define CAND_MAX	8	/* connections a port holds before one proves itself */
#define PROVE_NS	(2 * (uint64_t)NST_S)	/* first byte to a whole record */
#define WARN_MAX	5	/* messages per path about refused peers */
#define PLAUSIBLE_MS	(86400 * 1000.0)	/* born within a day of now */
#define TICK_MS		100	/* longest poll: signals, timeouts */
#define UDP_BATCH	256	/* datagrams read from one path per round */
#define SEQ_WINDOW	65536	/* records behind the highest told apart */

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	(void)sig;
	stop_signal = 1;
}

struct conn {
	int fd;			/* -1: free slot */
	char peer[64];
	uint8_t *buf;		/* the record being read */
	size_t have;
	uint64_t opened, last_rx;	/* monotonic */
	uint64_t first_rx;	/* monotonic time of the first byte, 0 before */
	uint64_t nbytes;	/* bytes received */
	int flag;		/* data flag of its records, 0 before the first */
	int haveseq;
	uint32_t lastseq;
};

enum path_state { WAITING, RUNNING, ENDED, LOST };

/* --udp: what a path's datagrams were. */
struct udp_path {
	struct sockaddr_storage peer;	/* server role: the path's peer */
	uint8_t seen[SEQ_WINDOW / 8];	/* seq % SEQ_WINDOW, for the last
					 * SEQ_WINDOW seqs up to maxseq */
	int haveseq, flag;
	uint32_t maxseq;
	uint64_t dup, reordered, stale;	/* dup, stale: not printed */
	uint64_t foreign, badlen, badrec;	/* datagrams that were none */
	uint64_t overflows;	/* dropped here: the socket buffer full */
	int have_end;
	uint32_t end_seq;		/* records the sender made */
	uint64_t last_rx, last_hello;	/* monotonic */
};

struct path {
	unsigned port;
	int lfd;			/* listener (server role), or -1 */
	struct conn cand[CAND_MAX];	/* [0] is the peer once RUNNING */
	enum path_state state;
	uint64_t records, bytes, gaps, missing;
	uint64_t first_ns, last_ns;	/* wall clock of first, last record */
	unsigned refused;		/* connections turned away */
	struct udp_path *udp;		/* --udp; lfd is then the socket */
};

struct receiver {
	struct live_opts o;
	struct path *paths;
	struct at_writer out;
	int out_failed;
	struct tcpinfo_log ti;
	struct livecap cap;	/* -w */
	uint64_t first_peer;	/* monotonic: the first path's peer */
	int lost;		/* a path was lost: exit 1 */
};

static void
conn_close(struct conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->have = 0;
}

static void
refuse(struct path *p, const char *peer, const char *why)
{
	if (p->refused++ < WARN_MAX)
		warnx("path %u: %s: %s", p->port, peer, why);
	else if (p->refused == WARN_MAX + 1)
		warnx("path %u: further refused peers are only counted",
		    p->port);
}

/*
 * Drops a connection with a message; losing the path's peer ends the path.
 * Candidates count as refused, so a flood of them cannot flood stderr.
 */
static void
drop(struct receiver *rv, struct path *p, struct conn *c, const char *why)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s, dropped", why);
	if (p->state == RUNNING && c == &p->cand[0]) {
		warnx("path %u: %s: %s", p->port, c->peer, msg);
		p->state = LOST;
		rv->lost = 1;
	} else
		refuse(p, c->peer, msg);
	conn_close(c);
}

/* The first well-formed record makes c the path's peer. */
static void
promote(struct receiver *rv, struct path *p, struct conn *c)
{
	if (c != &p->cand[0]) {
		struct conn spare = p->cand[0];

		/* swapped, not copied: every slot keeps its own buffer */
		p->cand[0] = *c;
		*c = spare;
	}
	for (int i = 1; i < CAND_MAX; i++) {
		if (p->cand[i].fd != -1) {
			refuse(p, p->cand[i].peer,
			    "another peer won the port, closed");
			conn_close(&p->cand[i]);
		}
	}
	/* MPTCP joins its subflows through the listener: it stays open */
	if (p->lfd != -1 && !rv->o.mptcp) {
		close(p->lfd);
		p->lfd = -1;
	}
	p->state = RUNNING;
	if (rv->first_peer == 0)
		rv->first_peer = clk_mono_ns();
}

static void
print_record(struct receiver *rv, struct path *p, const struct rec *r,
    uint64_t real_ns)
{
	double born = rec_born_ms(r);

	at_putf(&rv->out, "%u", p->port);
	at_putf(&rv->out, "%" PRIu32, r->seq);
	if (r->flag == REC_DATA_US)
		at_putf(&rv->out, "%.3f", born);
	else
		at_putf(&rv->out, "%" PRIu64, r->born);
	nst_put_s(&rv->out, (int64_t)real_ns);
	at_putf(&rv->out, "%.3f", (double)real_ns / 1e6 - born);
	at_put(&rv->out, rv->o.listen ? "ul" : "dl");
	if (at_end(&rv->out) == -1 && !rv->out_failed) {
		warn("stdout");
		rv->out_failed = 1;
	}
}

/*
 * Checks one whole record from c; returns NULL if it is well formed, else
 * why it is not.  `why` has room for the message.
 */
static const char *
check_record(const struct conn *c, const struct rec *r, uint64_t real_ns,
    char *why, size_t len)
{
	double now_ms = (double)real_ns / 1e6;
	double born = r->flag == REC_END ? (double)r->born : rec_born_ms(r);

	if (r->flag != REC_END && !rec_is_data(r)) {
		snprintf(why, len, "malformed record: flag %u", r->flag);
		return why;
	}
	if (born < now_ms - PLAUSIBLE_MS || born > now_ms + PLAUSIBLE_MS) {
		snprintf(why, len, "malformed record: send time %.0f ms is "
		    "not within a day of this host's clock", born);
		return why;
	}
	if (rec_is_data(r) && c->flag != 0 && r->flag != c->flag) {
		snprintf(why, len, "malformed record: flag %u after flag %d",
		    r->flag, c->flag);
		return why;
	}
	if (rec_is_data(r) && c->haveseq && r->seq <= c->lastseq) {
		snprintf(why, len, "malformed record: sequence %" PRIu32
		    " after %" PRIu32, r->seq, c->lastseq);
		return why;
	}
	return NULL;
}

/* One whole record from c: 0 to go on, -1 when c was dropped or ended. */
static int
take_record(struct receiver *rv, struct path *p, struct conn *c,
    uint64_t real_ns)
{
	struct rec r;
	char why[128];

	rec_decode(c->buf, &r);
	c->have = 0;
	if (check_record(c, &r, real_ns, why, sizeof(why)) != NULL) {
		drop(rv, p, c, why);
		return -1;
	}
	if (p->state == WAITING) {
		promote(rv, p, c);
		c = &p->cand[0];
	}
	if (r.flag == REC_END) {
		p->state = ENDED;
		conn_close(c);
		return -1;
	}
	if (!c->haveseq) {
		p->missing += r.seq;
		p->gaps += r.seq > 0;
		p->first_ns = real_ns;
	} else if (r.seq != c->lastseq + 1) {
		p->gaps++;
		p->missing += r.seq - c->lastseq - 1;
	}
	c->flag = r.flag;
	c->haveseq = 1;
	c->lastseq = r.seq;
	p->records++;
	p->bytes += rv->o.reclen;
	p->last_ns = real_ns;
	print_record(rv, p, &r, real_ns);
	return 0;
}

/* Reads what c has; bounded per call so no peer starves the others. */
static void
conn_read(struct receiver *rv, struct path *p, struct conn *c)
{
	uint8_t chunk[1 << 16];
	size_t reclen = rv->o.reclen;

	for (int round = 0; round < 4 && c->fd != -1; round++) {
		ssize_t n = recv(c->fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		uint64_t real = clk_real_ns();

		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				char why[96];

				snprintf(why, sizeof(why), "recv: %s",
				    strerror(errno));
				drop(rv, p, c, why);
			}
			return;
		}
		if (n == 0) {
			drop(rv, p, c, c->have > 0 ?
			    "closed in the middle of a record" :
			    "closed without an end record");
			return;
		}
		c->last_rx = clk_mono_ns();
		if (c->nbytes == 0)
			c->first_rx = c->last_rx;
		c->nbytes += (uint64_t)n;
		for (size_t i = 0; i < (size_t)n && c->fd != -1;) {
			size_t take = reclen - c->have;

			if (take > (size_t)n - i)
				take = (size_t)n - i;
			memcpy(c->buf + c->have, chunk + i, take);
			c->have += take;
			i += take;
			if (c->have == reclen &&
			    take_record(rv, p, c, real) == -1)
				return;
			/* a candidate that proved itself is now slot 0 */
			if (p->state == RUNNING && c != &p->cand[0] &&
			    c->fd == -1)
				c = &p->cand[0];
		}
		if ((size_t)n < sizeof(chunk))
			return;
	}
}

/*
 * The candidate that makes room for a newcomer on a full port: one that
 * began a record and has not finished it (a real sender writes whole
 * records), the longest-trickling first; else the oldest silent one.  A
 * newcomer always gets in, so slots cannot be held against a real peer.
 */
static struct conn *
weakest_candidate(struct path *p)
{
	struct conn *best = NULL;

	for (int i = 0; i < CAND_MAX; i++) {
		struct conn *c = &p->cand[i];

		if (best == NULL)
			best = c;
		else if ((c->nbytes > 0) != (best->nbytes > 0)) {
			if (c->nbytes > 0)
				best = c;
		} else if (c->nbytes > 0 ? c->first_rx < best->first_rx :
		    c->opened < best->opened)
			best = c;
	}
	return best;
}

static void
accept_peers(struct receiver *rv, struct path *p, unsigned k)
{
	for (int round = 0; round < 64 && p->lfd != -1; round++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		char peer[64];
		struct conn *slot = NULL;
		int fd;

		fd = accept4(p->lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1)
			return;
		live_addr_str((struct sockaddr *)&ss, peer, sizeof(peer));
		if (p->state != WAITING) {
			refuse(p, peer, "the path has its peer, closed");
			close(fd);
			continue;
		}
		if (!live_allowed(&rv->o, (struct sockaddr *)&ss)) {
			refuse(p, peer, "not allowed by --allow, closed");
			close(fd);
			continue;
		}
		for (int i = 0; i < CAND_MAX && slot == NULL; i++)
			if (p->cand[i].fd == -1)
				slot = &p->cand[i];
		if (slot == NULL) {
			slot = weakest_candidate(p);
			refuse(p, slot->peer, slot->nbytes > 0 ?
			    "no whole record yet while the port is full, "
			    "closed" : "silent while the port is full, closed");
			conn_close(slot);
		}
		if (live_tune(&rv->o, fd, k) == -1) {
			close(fd);
			continue;
		}
		slot->fd = fd;
		slot->have = 0;
		slot->nbytes = 0;
		slot->flag = 0;
		slot->haveseq = 0;
		slot->first_rx = 0;
		slot->opened = slot->last_rx = clk_mono_ns();
		snprintf(slot->peer, sizeof(slot->peer), "%s", peer);
		/* a real peer's first record is often there already */
		conn_read(rv, p, slot);
		if (p->state != WAITING)
			return;
	}
}

static int
connect_paths(struct receiver *rv)
{
	uint64_t deadline = clk_mono_ns() + rv->o.setup_ns;
	int any = 0;

	for (unsigned k = 0; k < rv->o.npaths && !stop_signal; k++) {
		struct path *p = &rv->paths[k];
		struct conn *c = &p->cand[0];

		c->fd = live_connect(&rv->o, k, deadline, &stop_signal);
		if (c->fd == -1) {
			p->state = LOST;	/* the others go on */
			rv->lost = 1;
			continue;
		}
		snprintf(c->peer, sizeof(c->peer), "%s", rv->o.host);
		c->opened = c->last_rx = clk_mono_ns();
		any = 1;
	}
	return any ? 0 : -1;
}

static int
all_done(const struct receiver *rv)
{
	for (unsigned k = 0; k < rv->o.npaths; k++)
		if (rv->paths[k].state == WAITING ||
		    rv->paths[k].state == RUNNING)
			return 0;
	return 1;
}

/* Silence past --idle, and paths still without a peer past -w. */
static void
check_timeouts(struct receiver *rv, uint64_t now)
{
	char why[80], prove_why[80];

	snprintf(why, sizeof(why), "silent for %.1f s",
	    (double)rv->o.idle_ns / 1e9);
	snprintf(prove_why, sizeof(prove_why), "no whole record within "
	    "%.1f s of its first byte", (double)PROVE_NS / 1e9);
	for (unsigned k = 0; k < rv->o.npaths; k++) {
		struct path *p = &rv->paths[k];

		for (int i = 0; i < CAND_MAX; i++) {
			struct conn *c = &p->cand[i];

			if (c->fd != -1 && now - c->last_rx > rv->o.idle_ns)
				drop(rv, p, c, why);
			else if (c->fd != -1 && p->state == WAITING &&
			    c->nbytes > 0 && now - c->first_rx > PROVE_NS)
				drop(rv, p, c, prove_why);
		}
		if (p->state == WAITING && rv->o.listen &&
		    rv->first_peer != 0 &&
		    now - rv->first_peer > rv->o.setup_ns) {
			warnx("path %u: no peer within --setup %.1f s of the "
			    "first", p->port, (double)rv->o.setup_ns / 1e9);
			for (int i = 0; i < CAND_MAX; i++)
				conn_close(&p->cand[i]);
			if (p->lfd != -1)
				close(p->lfd);
			p->lfd = -1;
			p->state = LOST;
			rv->lost = 1;
		}
		/* a client whose server never spoke */
		if (p->state == WAITING && !rv->o.listen &&
		    p->cand[0].fd == -1) {
			p->state = LOST;
			rv->lost = 1;
		}
	}
}

static void
loop(struct receiver *rv)
{
	struct pollfd pfd[PATHS_MAX * (CAND_MAX + 1)];
	struct { unsigned k; int slot; } who[PATHS_MAX * (CAND_MAX + 1)];
	uint64_t start = clk_mono_ns();

	while (!stop_signal && !all_done(rv)) {
		uint64_t now = clk_mono_ns();
		unsigned n = 0;

		if (rv->o.duration_ns != 0 && now - (rv->first_peer ?
		    rv->first_peer : start) >= rv->o.duration_ns &&
		    rv->first_peer != 0)
			break;
		for (unsigned k = 0; k < rv->o.npaths; k++) {
			struct path *p = &rv->paths[k];

			if (p->lfd != -1) {
				pfd[n] = (struct pollfd){ p->lfd, POLLIN, 0 };
				who[n].k = k;
				who[n++].slot = -1;
			}
			for (int i = 0; i < CAND_MAX; i++)
				if (p->cand[i].fd != -1) {
					pfd[n] = (struct pollfd){
					    p->cand[i].fd, POLLIN, 0 };
					who[n].k = k;
					who[n++].slot = i;
				}
		}
		int ready = poll(pfd, n, TICK_MS);

		/* reads first: a candidate's record is taken before a
		 * burst of newcomers can make it give up its slot */
		for (unsigned i = 0; ready > 0 && i < n; i++) {
			struct path *p = &rv->paths[who[i].k];

			if (pfd[i].revents != 0 && who[i].slot != -1 &&
			    p->cand[who[i].slot].fd == pfd[i].fd)
				conn_read(rv, p, &p->cand[who[i].slot]);
		}
		for (unsigned i = 0; ready > 0 && i < n; i++) {
			struct path *p = &rv->paths[who[i].k];

			if (pfd[i].revents != 0 && who[i].slot == -1 &&
			    p->lfd == pfd[i].fd)
				accept_peers(rv, p, who[i].k);
		}
		if (at_flush(&rv->out) == -1 && !rv->out_failed) {
			warn("stdout");
			rv->out_failed = 1;
		}
		now = clk_mono_ns();
		check_timeouts(rv, now);
		if (tcpinfo_due(&rv->ti, now)) {
			uint64_t real = clk_real_ns();

			for (unsigned k = 0; k < rv->o.npaths; k++)
				if (rv->paths[k].state == RUNNING &&
				    rv->paths[k].cand[0].fd != -1)
					tcpinfo_sample(&rv->ti,
					    rv->paths[k].cand[0].fd,
					    rv->paths[k].port, real);
			tcpinfo_flush(&rv->ti);
		}
	}
}

/* The message for a datagram that is not a record of the run; counted. */
static void
udp_refuse(struct path *p, uint64_t *count, const struct sockaddr *src,
    const char *why)
{
	char peer[64];

	(*count)++;
	live_addr_str(src, peer, sizeof(peer));
	refuse(p, peer, why);
}

/* Records seq in the window; 1 if it is new, 0 if a copy or too old. */
static int
udp_seq(struct udp_path *u, uint32_t seq)
{
	uint32_t bit = seq % SEQ_WINDOW;

	if (!u->haveseq) {
		u->haveseq = 1;
		u->maxseq = seq;
	} else if (seq > u->maxseq) {
		if (seq - u->maxseq >= SEQ_WINDOW)
			memset(u->seen, 0, sizeof(u->seen));
		else
			for (uint32_t s = u->maxseq + 1; s != seq; s++)
				u->seen[s % SEQ_WINDOW / 8] &=
				    (uint8_t)~(1u << (s % 8));
		u->maxseq = seq;
	} else if (u->maxseq - seq >= SEQ_WINDOW) {
		u->stale++;
		return 0;
	} else if (u->seen[bit / 8] & (1u << (bit % 8))) {
		u->dup++;
		return 0;
	} else
		u->reordered++;
	u->seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
	return 1;
}

/* One datagram of path p from src, received at real_ns. */
static void
udp_datagram(struct receiver *rv, struct path *p, const uint8_t *buf,
    ssize_t n, const struct sockaddr *src, uint64_t real_ns)
{
	struct udp_path *u = p->udp;
	char why[128];
	struct rec r;

	if (rv->o.listen) {
		if (!live_allowed(&rv->o, src)) {
			udp_refuse(p, &u->foreign, src,
			    "not allowed by --allow, ignored");
			return;
		}
		if (p->state != WAITING && !live_same_addr(src,
		    (struct sockaddr *)&u->peer)) {
			udp_refuse(p, &u->foreign, src,
			    "not the path's peer, ignored");
			return;
		}
	}
	if ((size_t)n != rv->o.reclen) {
		snprintf(why, sizeof(why), "a datagram of %zd bytes, not %zu: "
		    "ignored", n, rv->o.reclen);
		udp_refuse(p, &u->badlen, src, why);
		return;
	}
	rec_decode(buf, &r);
	if (r.flag != REC_END && !rec_is_data(&r)) {
		snprintf(why, sizeof(why), "malformed record: flag %u, ignored",
		    r.flag);
		udp_refuse(p, &u->badrec, src, why);
		return;
	}
	if (!live_plausible(&r, real_ns)) {
		udp_refuse(p, &u->badrec, src, "malformed record: send time "
		    "not within a day of this host's clock, ignored");
		return;
	}
	if (rec_is_data(&r) && u->flag != 0 && r.flag != u->flag) {
		snprintf(why, sizeof(why), "malformed record: flag %u after "
		    "flag %d, ignored", r.flag, u->flag);
		udp_refuse(p, &u->badrec, src, why);
		return;
	}
	/* the first well-formed datagram names the path's peer */
	if (p->state == WAITING) {
		if (rv->o.listen)
			memcpy(&u->peer, src, src->sa_family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) :
			    sizeof(struct sockaddr_in));
		p->state = RUNNING;
		if (rv->first_peer == 0)
			rv->first_peer = clk_mono_ns();
	}
	u->last_rx = clk_mono_ns();
	if (r.flag == REC_END) {
		u->have_end = 1;
		u->end_seq = r.seq;
		p->state = ENDED;
		return;
	}
	u->flag = r.flag;
	if (!udp_seq(u, r.seq))
		return;
	if (p->records == 0)
		p->first_ns = real_ns;
	p->records++;
	p->bytes += rv->o.reclen;
	p->last_ns = real_ns;
	print_record(rv, p, &r, real_ns);
}

/* Reads a batch of p's datagrams, each with the kernel's arrival time. */
static void
udp_read(struct receiver *rv, struct path *p, uint8_t *buf)
{
	for (int i = 0; i < UDP_BATCH && p->lfd != -1 &&
	    (p->state == WAITING || p->state == RUNNING); i++) {
		struct live_dgram d;
		ssize_t n;

		d.overflows = p->udp->overflows;
		n = live_recv_dgram(p->lfd, buf, rv->o.reclen + 1, &d);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			/* ICMP about our hellos before the server was up */
			if (errno == ECONNREFUSED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				warn("path %u: recv", p->port);
			return;
		}
		p->udp->overflows = d.overflows;
		/* connected: the kernel names no one */
		if (!rv->o.listen)
			getpeername(p->lfd, (struct sockaddr *)&d.src,
			    &(socklen_t){ sizeof(d.src) });
		udp_datagram(rv, p, buf, n, (struct sockaddr *)&d.src,
		    d.real_ns);
	}
}

/* Client role: hellos until the server's first datagram. */
static void
udp_hello(struct receiver *rv, struct path *p, uint64_t now)
{
	struct udp_path *u = p->udp;
	struct rec hello = { .flag = REC_END, .seq = 0 };
	uint8_t *buf;

	if (rv->o.listen || p->state != WAITING || p->lfd == -1 ||
	    (u->last_hello != 0 && now - u->last_hello < LIVE_HELLO_NS))
		return;
	u->last_hello = now;
	hello.born = clk_real_ns() / (uint64_t)NST_MS;
	buf = ecalloc(1, rv->o.reclen);
	rec_encode(buf, &hello);
	/* a refused one (no server yet) is simply sent again */
	(void)send(p->lfd, buf, rv->o.reclen, MSG_DONTWAIT | MSG_NOSIGNAL);
	free(buf);
}

static void
udp_timeouts(struct receiver *rv, uint64_t now, uint64_t start)
{
	for (unsigned k = 0; k < rv->o.npaths; k++) {
		struct path *p = &rv->paths[k];
		uint64_t since = rv->o.listen ? rv->first_peer : start;

		if (p->state == RUNNING && now - p->udp->last_rx >
		    rv->o.idle_ns) {
			warnx("path %u: silent for %.1f s without an end "
			    "record", p->port, (double)rv->o.idle_ns / 1e9);
			p->state = LOST;
			rv->lost = 1;
		}
		if (p->state == WAITING && since != 0 &&
		    now - since > rv->o.setup_ns) {
			warnx("path %u: no record within --setup %.1f s%s",
			    p->port, (double)rv->o.setup_ns / 1e9,
			    rv->o.listen ? " of the first path's" : "");
			p->state = LOST;
			rv->lost = 1;
		}
	}
}

static void
udp_loop(struct receiver *rv)
{
	struct pollfd pfd[PATHS_MAX];
	unsigned who[PATHS_MAX];
	uint8_t *buf = emalloc(rv->o.reclen + 1);
	uint64_t start = clk_mono_ns();

	while (!stop_signal && !all_done(rv)) {
		uint64_t now = clk_mono_ns();
		unsigned n = 0;

		if (rv->o.duration_ns != 0 && rv->first_peer != 0 &&
		    now - rv->first_peer >= rv->o.duration_ns)
			break;
		for (unsigned k = 0; k < rv->o.npaths; k++) {
			struct path *p = &rv->paths[k];

			udp_hello(rv, p, now);
			if (p->lfd != -1 && (p->state == WAITING ||
			    p->state == RUNNING)) {
				pfd[n] = (struct pollfd){ p->lfd, POLLIN, 0 };
				who[n++] = k;
			}
		}
		if (poll(pfd, n, TICK_MS) > 0)
			for (unsigned i = 0; i < n; i++)
				if (pfd[i].revents != 0)
					udp_read(rv, &rv->paths[who[i]], buf);
		if (at_flush(&rv->out) == -1 && !rv->out_failed) {
			warn("stdout");
			rv->out_failed = 1;
		}
		udp_timeouts(rv, clk_mono_ns(), start);
	}
	free(buf);
}

/* --udp, client role: a connected datagram socket per path. */
static int
udp_connect_paths(struct receiver *rv)
{
	uint64_t deadline = clk_mono_ns() + rv->o.setup_ns;
	int any = 0;

	for (unsigned k = 0; k < rv->o.npaths && !stop_signal; k++) {
		struct path *p = &rv->paths[k];

		p->lfd = live_connect(&rv->o, k, deadline, &stop_signal);
		if (p->lfd == -1) {
			p->state = LOST;
			rv->lost = 1;
			continue;
		}
		any = 1;
	}
	return any ? 0 : -1;
}

static void
udp_summary(const struct receiver *rv)
{
	static const char *const state_name[] = {
		[WAITING] = "no peer", [RUNNING] = "stopped",
		[ENDED] = "ended", [LOST] = "lost",
	};

	for (unsigned k = 0; k < rv->o.npaths; k++) {
		const struct path *p = &rv->paths[k];
		const struct udp_path *u = p->udp;
		uint64_t total = u->have_end ? u->end_seq : u->haveseq ?
		    (uint64_t)u->maxseq + 1 : 0;
		uint64_t missing = total > p->records ? total - p->records : 0;
		char traffic[256];

		live_traffic(traffic, sizeof(traffic), p->records, p->bytes,
		    p->first_ns, p->last_ns, rv->o.reclen);
		fprintf(stderr, "udrecv: path %u: %s, %" PRIu64 " missing of %"
		    PRIu64 "%s (loss %.6f), %" PRIu64 " duplicated, %" PRIu64
		    " reordered, %" PRIu64 " too late, %" PRIu64 " dropped by "
		    "this host's full socket buffer, ignored: %" PRIu64
		    " from elsewhere, %" PRIu64 " of a wrong length, %" PRIu64
		    " malformed, %s\n", p->port, traffic, missing, total,
		    u->have_end ? "" : " or more (no end record)",
		    total > 0 ? (double)missing / (double)total : 0.0,
		    u->dup, u->reordered, u->stale, u->overflows, u->foreign,
		    u->badlen, u->badrec, state_name[p->state]);
	}
}

static void
summary(const struct receiver *rv)
{
	static const char *const state_name[] = {
		[WAITING] = "no peer", [RUNNING] = "stopped",
		[ENDED] = "ended", [LOST] = "lost",
	};

	for (unsigned k = 0; k < rv->o.npaths; k++) {
		const struct path *p = &rv->paths[k];
		char traffic[256];

		live_traffic(traffic, sizeof(traffic), p->records, p->bytes,
		    p->first_ns, p->last_ns, rv->o.reclen);
		fprintf(stderr, "udrecv: path %u: %s, %" PRIu64 " gaps (%"
		    PRIu64 " missing), %u refused, %s\n", p->port, traffic,
		    p->gaps, p->missing, p->refused, state_name[p->state]);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		LIVE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct receiver rv;
	int ch;

	tk_std_options(argc, argv, synopsis, options);
	memset(&rv, 0, sizeof(rv));
	live_opts_init(&rv.o);
	live_take_tcpinfo(&argc, argv, &rv.o, synopsis);
	while ((ch = getopt_long(argc, argv, LIVE_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (!live_opt(&rv.o, ch, optarg))
			tk_usage(synopsis);
	if (optind != argc)
		tk_usage(synopsis);
	live_opts_check(&rv.o, synopsis);

	live_catch_signals(on_signal);

	live_capture_start(&rv.o, &rv.cap);
	rv.paths = ecalloc(rv.o.npaths, sizeof(*rv.paths));
	for (unsigned k = 0; k < rv.o.npaths; k++) {
		struct path *p = &rv.paths[k];

		p->port = live_port(&rv.o, k);
		p->lfd = -1;
		if (rv.o.udp)
			p->udp = ecalloc(1, sizeof(*p->udp));
		for (int i = 0; i < CAND_MAX; i++) {
			p->cand[i].fd = -1;
			p->cand[i].buf = emalloc(rv.o.reclen);
		}
	}
	if (rv.o.tcpinfo_ms != NULL)
		tcpinfo_open(&rv.ti, rv.o.tcpinfo_ms, rv.o.tcpinfo_file);
	if (rv.o.listen) {
		for (unsigned k = 0; k < rv.o.npaths; k++)
			rv.paths[k].lfd = live_listen(&rv.o, k);
	} else if ((rv.o.udp ? udp_connect_paths(&rv) :
	    connect_paths(&rv)) == -1) {
		/* the capture of the attempt is whole before the exit */
		int cap = live_capture_stop(&rv.cap);

		if (!stop_signal)
			errx(EXIT_DATA, "no path could be set up");
		return cap == -1 ? EXIT_DATA : 0;
	}

	at_writer_init(&rv.out, stdout);
	at_put(&rv.out, "path");
	at_put(&rv.out, "seq");
	at_put(&rv.out, "born");
	at_put(&rv.out, "time");
	at_put(&rv.out, "owd");
	at_put(&rv.out, "dir");	/* for seqjoin: the server receives uplink */
	at_end(&rv.out);
	if (at_flush(&rv.out) == -1) {
		warn("stdout");
		rv.out_failed = 1;
	}

	if (rv.o.udp)
		udp_loop(&rv);
	else
		loop(&rv);

	if (at_flush(&rv.out) == -1 && !rv.out_failed) {
		warn("stdout");
		rv.out_failed = 1;
	}
	if (tcpinfo_close(&rv.ti) == -1)
		rv.lost = 1;
	for (unsigned k = 0; k < rv.o.npaths; k++) {
		struct path *p = &rv.paths[k];

		if (p->lfd != -1)
			close(p->lfd);
		p->lfd = -1;
		for (int i = 0; i < CAND_MAX; i++)
			conn_close(&p->cand[i]);
	}
	if (rv.o.udp)
		udp_summary(&rv);
	else
		summary(&rv);
	if (live_capture_stop(&rv.cap) == -1)
		rv.lost = 1;
	for (unsigned k = 0; k < rv.o.npaths; k++) {
		for (int i = 0; i < CAND_MAX; i++)
			free(rv.paths[k].cand[i].buf);
		free(rv.paths[k].udp);
	}
	free(rv.paths);
	at_writer_free(&rv.out);
	return rv.lost || rv.out_failed ? EXIT_DATA : 0;
}
