/*
 * udsend: the sending side of a redundant multi-path run.  Every record is
 * sent on every path at once, paced on an absolute schedule; a path that
 * cannot keep up queues a bounded number of records and then drops (and
 * counts) what does not fit, so it never holds the other paths back.
 * With --udp each record is one datagram; a server learns where to send
 * from the client's hello on each port (lib/live.h).
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
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
    "\t[-s len] [-b kbps] [-t seconds] [-q records] [-w file]\n"
    "\t[--setup seconds] [--idle seconds] [-C cubic|bbr|reno]\n"
    "\t[--mptcp | --udp] [--nodelay] [--us] [--allow cidr]...\n"
    "\t[--tcpinfo ms file]";
static const char options[] = LIVE_HELP
    "  -b KBPS        send rate per path in kbit/s\n"
    "  -q RECORDS     records queued per path before drops\n"
    "  --us           born stamps in microseconds\n";

enum { OPT_US = LIVE_OPT_OWN };

#define HOUSEKEEPING_NS	(100 * (uint64_t)NST_MS)	/* reads, idle checks */
#define FLUSH_NS	(50 * (uint64_t)NST_MS)	/* longest a line waits */
#define MAX_WAIT_NS	(200 * (uint64_t)NST_MS)	/* longest sleep: signals */
#define STAGE_BYTES	65536	/* most bytes handed to one send */
#define STAGE_RECORDS(len) (STAGE_BYTES / (len) > 0 ? STAGE_BYTES / (len) : 1)

/*
 * The signal handler's only way to tell the loop to stop; counts signals
 * so that a second one cuts the final drain short.
 */
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	(void)sig;
	if (stop_signal < 2)
		stop_signal++;
}

struct path {
	unsigned port;		/* the path's name: its server port */
	int lfd;		/* listening socket (server role), or -1 */
	int fd;			/* connection, or -1 */
	char peer[64];
	struct rec *q;		/* ring of records waiting for the socket */
	size_t qcap, qhead, qlen;
	uint8_t *stage;		/* the first records of q, as on the wire */
	size_t staged;		/* records in stage */
	size_t off;		/* bytes of stage already sent */
	int open;		/* connected and not failed */
	int peer_eof;		/* the peer closed its side */
	uint64_t progress;	/* monotonic time of the last byte sent */
	uint64_t sent, dropped, unsent, bytes;
	unsigned refused;	/* connections (--udp: hellos) turned away */
	uint64_t unreachable;	/* --udp: ICMP port unreachable reports */
	uint64_t first_ns, last_ns;	/* wall clock of first, last record */
};

struct sender {
	struct live_opts o;
	struct path *paths;
	unsigned kbps;
	size_t qmax;		/* -q: data records queued per path */
	int us;			/* --us */
	struct at_writer out;
	int out_failed;
	struct tcpinfo_log ti;
	struct livecap cap;	/* -w */
	int failed;		/* a path was lost: exit 1 */
};

static void
path_close(struct path *p, const char *why)
{
	if (p->fd != -1) {
		if (why != NULL)
			warnx("path %u: %s: %s", p->port, p->peer, why);
		close(p->fd);
		p->fd = -1;
	}
	p->open = 0;
}

/* Queues r on p; the end record always fits (one slot is kept for it). */
static int
path_enqueue(struct path *p, const struct rec *r, size_t qmax)
{
	if (!p->open || (rec_is_data(r) && p->qlen >= qmax))
		return -1;
	p->q[(p->qhead + p->qlen) % p->qcap] = *r;
	p->qlen++;
	return 0;
}

static void
print_sent(struct sender *s, struct path *p, const struct rec *r,
    uint64_t real_ns, long queued)
{
	at_putf(&s->out, "%u", p->port);
	at_putf(&s->out, "%" PRIu32, r->seq);
	if (r->flag == REC_DATA_US)
		at_putf(&s->out, "%.3f", rec_born_ms(r));
	else
		at_putf(&s->out, "%" PRIu64, r->born);
	nst_put_s(&s->out, (int64_t)real_ns);
	if (queued >= 0)
		at_putf(&s->out, "%ld", queued);
	else
		at_put(&s->out, "");
	if (at_end(&s->out) == -1 && !s->out_failed) {
		warn("stdout");
		s->out_failed = 1;
	}
}

/* --udp: one datagram per record, as many as the socket takes. */
static void
path_pump_udp(struct sender *s, struct path *p)
{
	size_t len = s->o.reclen;

	while (p->open && p->qlen > 0) {
		const struct rec *r = &p->q[p->qhead];
		ssize_t n;

		rec_encode(p->stage, r);	/* the padding stays zero */
		n = send(p->fd, p->stage, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS)
				return;
			/* an ICMP report about an earlier datagram: this
			 * one was not sent; the peer may come back */
			if (errno == ECONNREFUSED) {
				p->unreachable++;
				continue;
			}
			warn("path %u: %s: send", p->port, p->peer);
			path_close(p, NULL);
			s->failed = 1;
			return;
		}
		uint64_t now = clk_real_ns();
		int outq;
		long kernel = ioctl(p->fd, SIOCOUTQ, &outq) == 0 ? outq : -1;
		struct rec sent = *r;

		p->progress = clk_mono_ns();
		p->qhead = (p->qhead + 1) % p->qcap;
		p->qlen--;
		if (!rec_is_data(&sent))
			continue;
		if (p->sent == 0)
			p->first_ns = now;
		p->last_ns = now;
		p->sent++;
		p->bytes += len;
		print_sent(s, p, &sent, now, kernel < 0 ? -1 :
		    kernel + (long)(p->qlen * len));
	}
}

/*
 * Writes what the socket takes of p's queue.  Records go out in batches
 * (one send for all that are due, when a path catches up), and each record
 * whose last byte the socket took gets its line.
 */
static void
path_pump(struct sender *s, struct path *p, uint64_t mono_now)
{
	size_t len = s->o.reclen;

	if (s->o.udp) {
		path_pump_udp(s, p);
		return;
	}
	while (p->open && p->qlen > 0) {
		size_t done_before, done_after;
		ssize_t n;

		if (p->staged == 0) {
			p->staged = p->qlen < STAGE_RECORDS(len) ? p->qlen :
			    STAGE_RECORDS(len);
			for (size_t i = 0; i < p->staged; i++)
				rec_encode(p->stage + i * len,
				    &p->q[(p->qhead + i) % p->qcap]);
			p->off = 0;
		}
		n = send(p->fd, p->stage + p->off, p->staged * len - p->off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			warn("path %u: %s: send", p->port, p->peer);
			path_close(p, NULL);
			s->failed = 1;
			return;
		}
		p->progress = mono_now;
		done_before = p->off / len;
		p->off += (size_t)n;
		done_after = p->off / len;
		if (done_after > done_before) {
			uint64_t now = clk_real_ns();
			int outq;
			long kernel = ioctl(p->fd, SIOCOUTQ, &outq) == 0 ?
			    outq : -1;

			for (size_t i = done_before; i < done_after; i++) {
				const struct rec *r = &p->q[p->qhead];

				p->qhead = (p->qhead + 1) % p->qcap;
				p->qlen--;
				if (!rec_is_data(r))
					continue;
				if (p->sent == 0)
					p->first_ns = now;
				p->last_ns = now;
				p->sent++;
				p->bytes += len;
				/* unacknowledged in the socket plus our queue */
				print_sent(s, p, r, now, kernel < 0 ? -1 :
				    kernel + (long)(p->qlen * len));
			}
		}
		if (p->off == p->staged * len)
			p->staged = 0;
	}
}

/*
 * Reads and throws away what a peer sends: udsend expects nothing (but a
 * UDP client's repeated hellos, and a datagram may be empty).
 */
static void
path_drain_input(struct path *p, int udp)
{
	uint8_t junk[4096];

	for (int i = 0; p->open && !p->peer_eof && i < 16; i++) {
		ssize_t n = recv(p->fd, junk, sizeof(junk), MSG_DONTWAIT);

		if (n > 0 || (n == 0 && udp))
			continue;
		if (n == -1 && udp && errno == ECONNREFUSED) {
			p->unreachable++;
			continue;
		}
		if (n == 0)
			p->peer_eof = 1;
		else if (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR) {
			warn("path %u: %s: recv", p->port, p->peer);
			path_close(p, NULL);
		}
		break;
	}
}

/* A listener kept open for MPTCP joins turns away further connections. */
static void
refuse_extra(struct path *p)
{
	for (int i = 0; p->lfd != -1 && i < 64; i++) {
		int fd = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd == -1)
			return;
		close(fd);
		p->refused++;
	}
}

static void
housekeeping(struct sender *s, uint64_t mono_now)
{
	for (unsigned k = 0; k < s->o.npaths; k++) {
		struct path *p = &s->paths[k];

		refuse_extra(p);
		path_drain_input(p, s->o.udp);
		if (p->open && p->qlen > 0 &&
		    mono_now - p->progress > s->o.idle_ns) {
			char why[80];

			snprintf(why, sizeof(why), "took nothing for %.1f s, "
			    "dropped", (double)s->o.idle_ns / 1e9);
			path_close(p, why);
			s->failed = 1;
		}
	}
}

static void
sample_tcpinfo(struct sender *s, uint64_t mono_now)
{
	if (!tcpinfo_due(&s->ti, mono_now))
		return;
	uint64_t real = clk_real_ns();
	for (unsigned k = 0; k < s->o.npaths; k++)
		if (s->paths[k].open)
			tcpinfo_sample(&s->ti, s->paths[k].fd,
			    s->paths[k].port, real);
	tcpinfo_flush(&s->ti);
}

static unsigned
count_open(const struct sender *s)
{
	unsigned n = 0;

	for (unsigned k = 0; k < s->o.npaths; k++)
		n += s->paths[k].open;
	return n;
}

/*
 * How long a --setup wait may poll: 200 ms, or up to the deadline once a
 * first peer set one (0: none yet); -1 once it has passed.
 */
static int
setup_poll_ms(uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0)
		return 200;
	now = clk_mono_ns();
	if (now >= deadline)
		return -1;
	if ((deadline - now) / (uint64_t)NST_MS < 200)
		return (int)((deadline - now) / (uint64_t)NST_MS) + 1;
	return 200;
}

/*
 * The end of --setup: a listening path that found no peer (`what` it
 * waited for) is closed, and a failure unless a signal stopped the wait;
 * 0 while any path is open.
 */
static int
setup_end(struct sender *s, const char *what)
{
	const struct live_opts *o = &s->o;

	for (unsigned k = 0; k < o->npaths; k++) {
		struct path *p = &s->paths[k];

		if (p->lfd != -1 && !p->open) {
			if (!stop_signal) {
				warnx("path %u: no %s within --setup %.1f s",
				    p->port, what, (double)o->setup_ns / 1e9);
				s->failed = 1;
			}
			close(p->lfd);
			p->lfd = -1;
		}
	}
	return count_open(s) > 0 ? 0 : -1;
}

/*
 * Server role: accepts one allowed peer per port.  Waits for the first
 * without limit (the server is started before the clients), then --setup for
 * the rest.  Each port's listener closes once it has its peer, so further
 * connections are refused by the kernel.
 */
static int
accept_paths(struct sender *s)
{
	struct live_opts *o = &s->o;
	struct pollfd pfd[PATHS_MAX];
	uint64_t deadline = 0;

	for (unsigned k = 0; k < o->npaths; k++)
		s->paths[k].lfd = live_listen(o, k);
	while (count_open(s) < o->npaths && !stop_signal) {
		unsigned n = 0;
		int timeout = setup_poll_ms(deadline);

		if (timeout < 0)
			break;
		for (unsigned k = 0; k < o->npaths; k++)
			if (s->paths[k].lfd != -1)
				pfd[n++] = (struct pollfd){ s->paths[k].lfd,
				    POLLIN, 0 };
		if (poll(pfd, n, timeout) <= 0)
			continue;
		for (unsigned k = 0; k < o->npaths; k++) {
			struct path *p = &s->paths[k];
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);
			char peer[64];
			int fd;

			if (p->lfd == -1)
				continue;
			fd = accept4(p->lfd, (struct sockaddr *)&ss, &len,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd == -1)
				continue;
			live_addr_str((struct sockaddr *)&ss, peer,
			    sizeof(peer));
			if (p->open) {
				warnx("path %u: %s: the path has its peer, "
				    "closed", p->port, peer);
				close(fd);
				continue;
			}
			if (!live_allowed(o, (struct sockaddr *)&ss)) {
				warnx("path %u: %s: not allowed by --allow, "
				    "closed", p->port, peer);
				close(fd);
				continue;
			}
			if (live_tune(o, fd, k) == -1) {
				close(fd);
				continue;
			}
			p->fd = fd;
			p->open = 1;
			snprintf(p->peer, sizeof(p->peer), "%s", peer);
			/* MPTCP joins subflows through the listener */
			if (!o->mptcp) {
				close(p->lfd);
				p->lfd = -1;
			}
			if (deadline == 0)
				deadline = clk_mono_ns() + o->setup_ns;
		}
	}
	return setup_end(s, "peer");
}

static void
refuse_hello(struct path *p, const char *peer, const char *why)
{
	if (p->refused++ < 5)
		warnx("path %u: %s: %s", p->port, peer, why);
	else if (p->refused == 6)
		warnx("path %u: further refused datagrams are only counted",
		    p->port);
}

/*
 * --udp server role: each port's socket waits for a client's hello (an
 * end record of the run's length from an allowed source) and is then
 * connected to that source, so records go there and nothing else is
 * read.  The first hello may take as long as it likes, the others
 * --setup.
 */
static int
accept_udp_paths(struct sender *s)
{
	struct live_opts *o = &s->o;
	uint8_t *buf = emalloc(o->reclen + 1);
	uint64_t deadline = 0;

	for (unsigned k = 0; k < o->npaths; k++)
		s->paths[k].lfd = live_listen(o, k);
	while (count_open(s) < o->npaths && !stop_signal) {
		struct pollfd pfd[PATHS_MAX];
		unsigned n = 0;
		int timeout = setup_poll_ms(deadline);

		if (timeout < 0)
			break;
		for (unsigned k = 0; k < o->npaths; k++)
			if (s->paths[k].lfd != -1)
				pfd[n++] = (struct pollfd){ s->paths[k].lfd,
				    POLLIN, 0 };
		if (poll(pfd, n, timeout) <= 0)
			continue;
		for (unsigned k = 0; k < o->npaths; k++) {
			struct path *p = &s->paths[k];

			for (int i = 0; p->lfd != -1 && i < 64; i++) {
				struct live_dgram d;
				char peer[64], why[96];
				struct rec r;
				ssize_t got = live_recv_dgram(p->lfd, buf,
				    o->reclen + 1, &d);

				if (got == -1)
					break;
				live_addr_str((struct sockaddr *)&d.src, peer,
				    sizeof(peer));
				if (!live_allowed(o,
				    (struct sockaddr *)&d.src)) {
					refuse_hello(p, peer, "not allowed by "
					    "--allow, ignored");
					continue;
				}
				if ((size_t)got != o->reclen) {
					snprintf(why, sizeof(why), "a datagram "
					    "of %zd bytes, not a hello of %zu: "
					    "ignored", got, o->reclen);
					refuse_hello(p, peer, why);
					continue;
				}
				rec_decode(buf, &r);
				if (r.flag != REC_END ||
				    !live_plausible(&r, clk_real_ns())) {
					refuse_hello(p, peer, "not a hello "
					    "(an end record of the run's "
					    "length and a plausible time), "
					    "ignored");
					continue;
				}
				if (live_udp_answer(o, k, &p->lfd, &d) == -1) {
					/* the socket was lost: again */
					if (p->lfd == -1)
						p->lfd = live_listen(o, k);
					continue;
				}
				p->fd = p->lfd;
				p->lfd = -1;
				p->open = 1;
				snprintf(p->peer, sizeof(p->peer), "%s", peer);
				if (deadline == 0)
					deadline = clk_mono_ns() + o->setup_ns;
			}
		}
	}
	free(buf);
	return setup_end(s, "hello");
}

static int
connect_paths(struct sender *s)
{
	uint64_t deadline = clk_mono_ns() + s->o.setup_ns;

	for (unsigned k = 0; k < s->o.npaths && !stop_signal; k++) {
		struct path *p = &s->paths[k];

		p->fd = live_connect(&s->o, k, deadline, &stop_signal);
		if (p->fd == -1) {
			s->failed = 1;	/* the run goes on with the others */
			continue;
		}
		p->open = 1;
		snprintf(p->peer, sizeof(p->peer), "%s", s->o.host);
	}
	return count_open(s) > 0 ? 0 : -1;
}

/*
 * The schedule: record i is due at t0 + i*interval on the monotonic clock;
 * deadlines are absolute, so a late wake-up does not delay the ones after.
 */
static uint64_t
deadline_of(uint64_t t0, double interval_ns, uint64_t i)
{
	return t0 + (uint64_t)llround((double)i * interval_ns);
}

static void
wait_until(struct sender *s, uint64_t until)
{
	struct pollfd pfd[PATHS_MAX];
	unsigned n = 0;
	uint64_t now = clk_mono_ns();

	if (until > now + MAX_WAIT_NS)
		until = now + MAX_WAIT_NS;
	for (unsigned k = 0; k < s->o.npaths; k++)
		if (s->paths[k].open && s->paths[k].qlen > 0)
			pfd[n++] = (struct pollfd){ s->paths[k].fd, POLLOUT,
			    0 };
	if (n == 0) {
		clk_sleep_until(until);
		return;
	}
	/* a blocked path wakes us when it drains, the schedule when due */
	if (until > now) {
		struct timespec ts = clk_ts(until - now);

		if (ppoll(pfd, n, &ts, NULL) == 0)
			clk_sleep_until(until);
	}
}

static uint64_t
run(struct sender *s)
{
	struct live_opts *o = &s->o;
	double rate = s->kbps * 1000.0 / (8.0 * (double)o->reclen);
	double interval_ns = 1e9 / rate;
	uint64_t total = o->duration_ns == 0 ? UINT64_MAX :
	    (uint64_t)floor((double)o->duration_ns / interval_ns);
	uint64_t t0, real0, seq = 0, next_house, last_flush;

	t0 = clk_mono_ns() + (uint64_t)NST_MS;
	real0 = clk_real_ns() + (uint64_t)NST_MS;
	next_house = t0 + HOUSEKEEPING_NS;
	last_flush = t0;
	fprintf(stderr, "udsend: schedule: start %" PRIu64 ".%09" PRIu64
	    ", interval %.0f ns, %.3f records/s per path, ", real0 / (uint64_t)NST_S,
	    real0 % (uint64_t)NST_S, interval_ns, rate);
	if (total == UINT64_MAX)
		fprintf(stderr, "until stopped\n");
	else
		fprintf(stderr, "%" PRIu64 " records\n", total);
	while (!stop_signal && seq < total && count_open(s) > 0) {
		uint64_t now = clk_mono_ns();

		while (seq < total && deadline_of(t0, interval_ns, seq) <=
		    now) {
			uint64_t real = clk_real_ns();
			struct rec r = {
				.seq = (uint32_t)seq,
				.flag = s->us ? REC_DATA_US : REC_DATA_MS,
				.born = s->us ? real / 1000 : real / (uint64_t)NST_MS,
			};

			for (unsigned k = 0; k < o->npaths; k++) {
				struct path *p = &s->paths[k];

				if (!p->open)
					continue;
				/* after a late wake-up the socket may take
				 * more than the queue holds: try it first */
				if (p->qlen >= s->qmax)
					path_pump(s, p, now);
				if (path_enqueue(p, &r, s->qmax) == -1)
					p->dropped++;
			}
			seq++;
		}
		for (unsigned k = 0; k < o->npaths; k++)
			path_pump(s, &s->paths[k], now);
		if (now >= next_house) {
			housekeeping(s, now);
			next_house = now + HOUSEKEEPING_NS;
		}
		sample_tcpinfo(s, now);
		uint64_t next = seq < total ?
		    deadline_of(t0, interval_ns, seq) : now;
		/* flush before a long sleep, or when lines have waited */
		if (next > now + (uint64_t)NST_MS || now - last_flush >= FLUSH_NS) {
			if (at_flush(&s->out) == -1 && !s->out_failed) {
				warn("stdout");
				s->out_failed = 1;
			}
			last_flush = now;
		}
		if (seq < total)
			wait_until(s, next);
	}
	return seq;
}

/*
 * After the last record (or a signal): the end record on every path, then
 * the queues are drained for at most --idle, or until a second signal.
 */
static void
finish(struct sender *s, uint64_t seq_end)
{
	struct rec end = { .seq = (uint32_t)seq_end, .flag = REC_END,
	    .born = clk_real_ns() / (uint64_t)NST_MS };
	uint64_t deadline = clk_mono_ns() + s->o.idle_ns;

	for (unsigned k = 0; k < s->o.npaths; k++)
		path_enqueue(&s->paths[k], &end, s->qmax);
	for (;;) {
		uint64_t now = clk_mono_ns();
		unsigned busy = 0;

		for (unsigned k = 0; k < s->o.npaths; k++) {
			path_pump(s, &s->paths[k], now);
			busy += s->paths[k].open && s->paths[k].qlen > 0;
		}
		sample_tcpinfo(s, now);
		if (busy == 0 || now >= deadline || stop_signal > 1)
			break;
		wait_until(s, now + 10 * (uint64_t)NST_MS);
	}
	/*
	 * TCP: the kernel's copy too.  Once every byte is acknowledged and
	 * the peer has closed its side (udrecv does on the end record), the
	 * run is over on the wire: the exit, and a capture, cover all of it.
	 */
	for (int phase = 0; !s->o.udp && phase < 2; phase++) {
		for (;;) {
			uint64_t now = clk_mono_ns();
			unsigned busy = 0;

			for (unsigned k = 0; k < s->o.npaths; k++) {
				struct path *p = &s->paths[k];
				int outq = 0;

				if (!p->open || p->qlen > 0)
					continue;
				if (phase == 0)
					busy += ioctl(p->fd, SIOCOUTQ, &outq) ==
					    0 && outq > 0;
				else {
					path_drain_input(p, 0);
					busy += p->open && !p->peer_eof;
				}
			}
			sample_tcpinfo(s, now);
			if (busy == 0 || now >= deadline || stop_signal > 1)
				break;
			clk_sleep_until(now + 10 * (uint64_t)NST_MS);
		}
		for (unsigned k = 0; phase == 0 && k < s->o.npaths; k++)
			if (s->paths[k].open && s->paths[k].qlen == 0)
				shutdown(s->paths[k].fd, SHUT_WR);
	}
	/* a datagram may be lost: the end record goes out again */
	for (int copy = 1; s->o.udp && copy < LIVE_END_COPIES; copy++) {
		uint8_t *buf = ecalloc(1, s->o.reclen);

		clk_sleep_until(clk_mono_ns() + LIVE_END_GAP_NS);
		rec_encode(buf, &end);
		for (unsigned k = 0; k < s->o.npaths; k++)
			if (s->paths[k].open && s->paths[k].qlen == 0)
				(void)send(s->paths[k].fd, buf, s->o.reclen,
				    MSG_DONTWAIT | MSG_NOSIGNAL);
		free(buf);
	}
	for (unsigned k = 0; k < s->o.npaths; k++) {
		struct path *p = &s->paths[k];

		for (size_t i = 0; i < p->qlen; i++)
			p->unsent += rec_is_data(&p->q[(p->qhead + i) %
			    p->qcap]);
		if (p->open && p->qlen > 0) {
			warnx("path %u: %s: %zu records still queued at the "
			    "end", p->port, p->peer, p->qlen);
			s->failed = 1;
		}
		if (p->lfd != -1) {
			close(p->lfd);
			p->lfd = -1;
		}
		if (p->fd != -1) {
			/* the kernel still delivers what it holds */
			if (!s->o.udp)
				shutdown(p->fd, SHUT_WR);
			path_close(p, NULL);
		}
	}
}

static void
summary(const struct sender *s)
{
	for (unsigned k = 0; k < s->o.npaths; k++) {
		const struct path *p = &s->paths[k];
		char traffic[256];

		live_traffic(traffic, sizeof(traffic), p->sent, p->bytes,
		    p->first_ns, p->last_ns, s->o.reclen);
		fprintf(stderr, "udsend: path %u: %s, %" PRIu64 " dropped, %"
		    PRIu64 " unsent, %u refused", p->port, traffic,
		    p->dropped, p->unsent, p->refused);
		if (s->o.udp)
			fprintf(stderr, ", %" PRIu64 " port unreachable",
			    p->unreachable);
		fputc('\n', stderr);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		LIVE_LONGOPTS,
		{ "us", no_argument, NULL, OPT_US },
		{ NULL, 0, NULL, 0 },
	};
	struct sender s;
	int ch;

	tk_std_options(argc, argv, synopsis, options);
	memset(&s, 0, sizeof(s));
	live_opts_init(&s.o);
	s.o.duration_ns = 10 * (uint64_t)NST_S;
	s.kbps = 100;
	s.qmax = 256;
	live_take_tcpinfo(&argc, argv, &s.o, synopsis);
	while ((ch = getopt_long(argc, argv, LIVE_SHORTOPTS "b:q:", longopts,
	    NULL)) != -1) {
		if (live_opt(&s.o, ch, optarg))
			continue;
		switch (ch) {
		case 'b':
			s.kbps = (unsigned)opt_u64("-b", optarg, 1, 10000000,
			    "a rate in kbit/s");
			break;
		case 'q':
			s.qmax = (unsigned)opt_u64("-q", optarg, 1, 1000000,
			    "a number of records");
			break;
		case OPT_US:
			s.us = 1;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (optind != argc)
		tk_usage(synopsis);
	live_opts_check(&s.o, synopsis);

	live_catch_signals(on_signal);
	/* wake-ups as close to the deadline as the timer allows */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	live_capture_start(&s.o, &s.cap);
	s.paths = ecalloc(s.o.npaths, sizeof(*s.paths));
	for (unsigned k = 0; k < s.o.npaths; k++) {
		struct path *p = &s.paths[k];

		p->port = live_port(&s.o, k);
		p->fd = p->lfd = -1;
		p->qcap = s.qmax + 1;
		p->q = ecalloc(p->qcap, sizeof(*p->q));
		p->stage = ecalloc(STAGE_RECORDS(s.o.reclen), s.o.reclen);
	}
	if (s.o.tcpinfo_ms != NULL)
		tcpinfo_open(&s.ti, s.o.tcpinfo_ms, s.o.tcpinfo_file);

	if ((s.o.listen ? (s.o.udp ? accept_udp_paths(&s) :
	    accept_paths(&s)) : connect_paths(&s)) == -1) {
		/* the capture of the attempt is whole before the exit */
		int cap = live_capture_stop(&s.cap);

		if (!stop_signal)
			errx(EXIT_DATA, "no path could be set up");
		return cap == -1 ? EXIT_DATA : 0;
	}
	for (unsigned k = 0; k < s.o.npaths; k++)
		if (s.paths[k].open)
			s.paths[k].progress = clk_mono_ns();

	/* a large buffer: lines go out in batches, never cut */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	at_writer_init(&s.out, stdout);
	at_put(&s.out, "path");
	at_put(&s.out, "seq");
	at_put(&s.out, "born");
	at_put(&s.out, "sent");
	at_put(&s.out, "queued");
	at_end(&s.out);

	uint64_t seq_end = run(&s);
	finish(&s, seq_end);
	if (at_flush(&s.out) == -1 && !s.out_failed) {
		warn("stdout");
		s.out_failed = 1;
	}
	if (tcpinfo_close(&s.ti) == -1)
		s.failed = 1;
	summary(&s);
	if (live_capture_stop(&s.cap) == -1)
		s.failed = 1;
	for (unsigned k = 0; k < s.o.npaths; k++) {
		free(s.paths[k].q);
		free(s.paths[k].stage);
	}
	free(s.paths);
	at_writer_free(&s.out);
	return s.failed || s.out_failed ? EXIT_DATA : 0;
}
