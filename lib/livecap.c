#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "livecap.h"

#define CAP_MAX		32	/* interfaces: one per path at most */
#define CAP_SNAPLEN	262144	/* whole packets, as tcpdump -s 0 */
#define CAP_BUFFER	(32 << 20)	/* kernel buffer per interface */
#define CAP_BLOCK_MS	50	/* longest a buffer of packets waits */
#define CAP_POLL_MS	100
#define CAP_DRAIN_ROUNDS 1000	/* buffers read after the stop, at most */

struct capture {
	pcap_t *h[CAP_MAX];
	const char *dev[CAP_MAX];
	unsigned n;
	pcap_dumper_t *d;
	uint64_t packets;
	char why[PCAP_ERRBUF_SIZE + 128];	/* the first failure */
};

static void
on_packet(u_char *user, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	struct capture *cap = (struct capture *)(void *)user;

	pcap_dump((u_char *)cap->d, hdr, bytes);
	cap->packets++;
}

static pcap_t *
open_device(const char *dev, char *why, size_t len)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *h;
	int rc;

	h = pcap_create(dev, ebuf);
	if (h == NULL) {
		snprintf(why, len, "%s: %s", dev, ebuf);
		return NULL;
	}
	pcap_set_snaplen(h, CAP_SNAPLEN);
	pcap_set_promisc(h, 0);		/* the host's own packets only */
	/*
	 * Packets in buffers (TPACKET_V3 blocks) handed over when full or
	 * CAP_BLOCK_MS old, not one by one: in immediate mode libpcap's ring
	 * has a frame of the snap length per packet, a few hundred packets,
	 * which a busy host overruns.
	 */
	pcap_set_timeout(h, CAP_BLOCK_MS);
	pcap_set_buffer_size(h, CAP_BUFFER);
	rc = pcap_activate(h);
	if (rc < 0) {
		if (rc == PCAP_ERROR_PERM_DENIED)
			snprintf(why, len, "not permitted to capture on %s "
			    "(run as root, or give the program CAP_NET_RAW and "
			    "CAP_NET_ADMIN): %s", dev, pcap_geterr(h));
		else if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(why, len, "%s: no such interface", dev);
		else
			snprintf(why, len, "%s: %s", dev, pcap_geterr(h));
		pcap_close(h);
		return NULL;
	}
	return h;
}

/* Opens every interface, the filter and the file; 0, or -1 with cap->why. */
static int
capture_open(struct capture *cap, const char *file, char *const *ifaces,
    unsigned n, const char *filter)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	size_t wl = sizeof(cap->why);

	cap->n = 0;
	for (unsigned i = 0; i < (n == 0 ? 1 : n) && i < CAP_MAX; i++) {
		const char *dev = n == 0 ? "any" : ifaces[i];
		int dup = 0;

		for (unsigned j = 0; j < cap->n; j++)
			dup |= strcmp(cap->dev[j], dev) == 0;
		if (dup)
			continue;
		cap->h[cap->n] = open_device(dev, cap->why, wl);
		if (cap->h[cap->n] == NULL)
			return -1;
		cap->dev[cap->n++] = dev;
	}
	/* the any device in its newer cooked form, which names the interface */
	if (n == 0)
		pcap_set_datalink(cap->h[0], DLT_LINUX_SLL2);
	for (unsigned i = 0; i < cap->n; i++) {
		struct bpf_program prog;

		if (pcap_datalink(cap->h[i]) != pcap_datalink(cap->h[0])) {
			snprintf(cap->why, wl, "%s (%s) and %s (%s) have "
			    "different link types, which one file cannot hold: "
			    "capture without -I (every interface)", cap->dev[0],
			    pcap_datalink_val_to_name(pcap_datalink(cap->h[0])),
			    cap->dev[i], pcap_datalink_val_to_name(
			    pcap_datalink(cap->h[i])));
			return -1;
		}
		if (pcap_compile(cap->h[i], &prog, filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1 ||
		    pcap_setfilter(cap->h[i], &prog) == -1) {
			snprintf(cap->why, wl, "filter '%s': %s", filter,
			    pcap_geterr(cap->h[i]));
			return -1;
		}
		pcap_freecode(&prog);
		if (pcap_setnonblock(cap->h[i], 1, ebuf) == -1) {
			snprintf(cap->why, wl, "%s: %s", cap->dev[i], ebuf);
			return -1;
		}
	}
	cap->d = pcap_dump_open(cap->h[0], file);
	if (cap->d == NULL) {
		snprintf(cap->why, wl, "%s", pcap_geterr(cap->h[0]));
		return -1;
	}
	return 0;
}

/* Reads what every interface holds; -1 after a failure (in cap->why). */
static int
capture_read(struct capture *cap, int rounds)
{
	for (unsigned i = 0; i < cap->n; i++) {
		for (int r = 0; r < rounds; r++) {
			int got = pcap_dispatch(cap->h[i], -1, on_packet,
			    (u_char *)cap);

			if (got == -1) {
				snprintf(cap->why, sizeof(cap->why), "%s: %s",
				    cap->dev[i], pcap_geterr(cap->h[i]));
				return -1;
			}
			if (got == 0)
				break;
		}
	}
	/* every buffer of packets reaches the file */
	if (pcap_dump_flush(cap->d) == -1) {
		snprintf(cap->why, sizeof(cap->why), "write: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
report(int fd, const char *line)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

/* The child: capture until ctl reaches end of file. */
static _Noreturn void
capture_child(int ctl, int res, const char *file, char *const *ifaces,
    unsigned n, const char *filter)
{
	struct capture cap;
	struct pcap_stat st;
	uint64_t drop = 0, ifdrop = 0;
	char line[sizeof(cap.why) + 128];
	int failed = 0, null;

	/* the program stops us; a terminal's ^C is for it */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* never hold the program's output open (a pipe to seqjoin) */
	null = open("/dev/null", O_RDWR);
	if (null != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	memset(&cap, 0, sizeof(cap));
	if (capture_open(&cap, file, ifaces, n, filter) == -1) {
		snprintf(line, sizeof(line), "error %s\n", cap.why);
		report(res, line);
		_exit(1);
	}
	report(res, "ok\n");
	for (;;) {
		struct pollfd pfd[CAP_MAX + 1];

		for (unsigned i = 0; i < cap.n; i++)
			pfd[i] = (struct pollfd){
			    pcap_get_selectable_fd(cap.h[i]), POLLIN, 0 };
		pfd[cap.n] = (struct pollfd){ ctl, POLLIN, 0 };
		if (poll(pfd, cap.n + 1, CAP_POLL_MS) == -1 && errno != EINTR) {
			snprintf(cap.why, sizeof(cap.why), "poll: %s",
			    strerror(errno));
			failed = 1;
			break;
		}
		if (capture_read(&cap, 64) == -1) {
			failed = 1;
			break;
		}
		if (pfd[cap.n].revents != 0)
			break;
	}
	/* what the kernel still holds is part of the run: its last buffer
	 * is handed over once CAP_BLOCK_MS old */
	for (int waited = 0; !failed && waited <= 3 * CAP_BLOCK_MS;
	    waited += 10) {
		if (capture_read(&cap, CAP_DRAIN_ROUNDS) == -1)
			failed = 1;
		poll(NULL, 0, 10);
	}
	for (unsigned i = 0; i < cap.n; i++)
		if (pcap_stats(cap.h[i], &st) == 0) {
			drop += st.ps_drop;
			ifdrop += st.ps_ifdrop;
		}
	if (!failed) {
		FILE *fp = pcap_dump_file(cap.d);

		if (fflush(fp) != 0 || ferror(fp) || (fsync(fileno(fp)) == -1 &&
		    errno != EINVAL)) {
			snprintf(cap.why, sizeof(cap.why), "write: %s",
			    strerror(errno));
			failed = 1;
		}
	}
	pcap_dump_close(cap.d);
	snprintf(line, sizeof(line), "done %" PRIu64 " %" PRIu64 " %" PRIu64
	    " %s\n", cap.packets, drop, ifdrop, failed ? cap.why : "");
	report(res, line);
	_exit(failed);
}

/* One line from the child, without its newline; -1 at end of file. */
static int
read_line(int fd, char *buf, size_t len)
{
	size_t have = 0;

	while (have + 1 < len) {
		ssize_t n = read(fd, buf + have, 1);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf[have] == '\n') {
			buf[have] = '\0';
			return 0;
		}
		have++;
	}
	buf[have] = '\0';
	return have > 0 ? 0 : -1;
}

void
livecap_start(struct livecap *c, const char *file, char *const *ifaces,
    unsigned n, const char *filter)
{
	int ctl[2], res[2];
	char line[PCAP_ERRBUF_SIZE + 256];

	memset(c, 0, sizeof(*c));
	c->file = file;
	if (pipe(ctl) == -1 || pipe(res) == -1)
		err(EXIT_DATA, "-w %s: pipe", file);
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	if (c->pid == -1)
		err(EXIT_DATA, "-w %s: fork", file);
	if (c->pid == 0) {
		close(ctl[1]);
		close(res[0]);
		capture_child(ctl[0], res[1], file, ifaces, n, filter);
	}
	close(ctl[0]);
	close(res[1]);
	c->ctl = ctl[1];
	c->res = res[0];
	fcntl(c->ctl, F_SETFD, FD_CLOEXEC);
	fcntl(c->res, F_SETFD, FD_CLOEXEC);
	if (read_line(c->res, line, sizeof(line)) == 0 &&
	    strcmp(line, "ok") == 0)
		return;
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
	if (strncmp(line, "error ", 6) == 0)
		errx(EXIT_DATA, "-w %s: %s", file, line + 6);
	errx(EXIT_DATA, "-w %s: the capture did not start", file);
}

int
livecap_stop(struct livecap *c, char *buf, size_t len)
{
	char line[PCAP_ERRBUF_SIZE + 256];
	uint64_t packets, drop, ifdrop;
	int status, used = 0;

	if (c->pid == 0)
		return 0;
	close(c->ctl);
	if (read_line(c->res, line, sizeof(line)) == -1 ||
	    sscanf(line, "done %" SCNu64 " %" SCNu64 " %" SCNu64 " %n",
	    &packets, &drop, &ifdrop, &used) != 3) {
		snprintf(buf, len, "%s: the capture stopped before the run "
		    "ended", c->file);
		waitpid(c->pid, &status, 0);
		close(c->res);
		c->pid = 0;
		return -1;
	}
	waitpid(c->pid, &status, 0);
	close(c->res);
	c->pid = 0;
	snprintf(buf, len, "%s: %" PRIu64 " packets, %" PRIu64 " dropped by "
	    "the kernel, %" PRIu64 " by the interfaces%s%s", c->file, packets,
	    drop, ifdrop, line[used] != '\0' ? "; failed: " : "", line + used);
	return line[used] != '\0' ? -1 : 0;
}
