#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/tcp.h>	/* glibc's struct tcp_info lacks the newer fields */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "common.h"
#include "tcpinfo.h"
#include "util.h"

/* Names as ss(8) prints them, indexed by tcpi_state. */
static const char *const tcp_state_name[] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
	"FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK",
	"LISTEN", "CLOSING",
};

static const char *const tcpinfo_cols[] = {
	"time", "path", "state", "cwnd", "ssthresh", "rtt", "rttvar", "rto",
	"retrans", "total_retrans", "lost", "unacked", "delivery_rate",
	"pacing_rate", "bytes_acked",
};

void
tcpinfo_open(struct tcpinfo_log *t, const char *ms, const char *file)
{
	int64_t ns;

	memset(t, 0, sizeof(*t));
	if (nst_parse_ms(ms, &ns) != 0 || ns < NST_MS || ns > 3600 * NST_S)
		errx(EXIT_USAGE, "--tcpinfo: '%s' is not a period in ms "
		    "(1..3600000)", ms);
	t->period_ns = (uint64_t)ns;
	t->name = file;
	t->fp = fopen(file, "w");
	if (t->fp == NULL)
		err(EXIT_DATA, "--tcpinfo: %s", file);
	at_writer_init(&t->w, t->fp);
	for (size_t i = 0; i < sizeof(tcpinfo_cols) / sizeof(*tcpinfo_cols);
	    i++)
		at_put(&t->w, tcpinfo_cols[i]);
	at_end(&t->w);
	tcpinfo_flush(t);
}

int
tcpinfo_due(struct tcpinfo_log *t, uint64_t mono_now)
{
	if (t->fp == NULL || mono_now < t->next_ns)
		return 0;
	/* a late sample does not cause a burst of catching up */
	t->next_ns = t->next_ns == 0 ? mono_now + t->period_ns :
	    t->next_ns + t->period_ns;
	if (t->next_ns <= mono_now)
		t->next_ns = mono_now + t->period_ns;
	return 1;
}

void
tcpinfo_sample(struct tcpinfo_log *t, int fd, unsigned path, uint64_t real_ns)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (t->fp == NULL)
		return;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return;
	nst_put_s(&t->w, (int64_t)real_ns);
	at_putf(&t->w, "%u", path);
	at_put(&t->w, ti.tcpi_state < sizeof(tcp_state_name) /
	    sizeof(*tcp_state_name) ? tcp_state_name[ti.tcpi_state] :
	    "UNKNOWN");
	at_putf(&t->w, "%" PRIu32, ti.tcpi_snd_cwnd);
	/* ss prints no ssthresh while it is still "infinite" */
	if (ti.tcpi_snd_ssthresh >= 0xffff)
		at_put(&t->w, "");
	else
		at_putf(&t->w, "%" PRIu32, ti.tcpi_snd_ssthresh);
	at_putf(&t->w, "%.3f", ti.tcpi_rtt / 1000.0);
	at_putf(&t->w, "%.3f", ti.tcpi_rttvar / 1000.0);
	at_putf(&t->w, "%.3f", ti.tcpi_rto / 1000.0);
	at_putf(&t->w, "%u", (unsigned)ti.tcpi_retransmits);
	at_putf(&t->w, "%" PRIu32, ti.tcpi_total_retrans);
	at_putf(&t->w, "%" PRIu32, ti.tcpi_lost);
	at_putf(&t->w, "%" PRIu32, ti.tcpi_unacked);
	/* older kernels return a shorter struct: those fields stay empty */
	if (len >= offsetof(struct tcp_info, tcpi_delivery_rate) +
	    sizeof(ti.tcpi_delivery_rate))
		at_putf(&t->w, "%" PRIu64, (uint64_t)ti.tcpi_delivery_rate);
	else
		at_put(&t->w, "");
	if (len >= offsetof(struct tcp_info, tcpi_pacing_rate) +
	    sizeof(ti.tcpi_pacing_rate) && ti.tcpi_pacing_rate != UINT64_MAX)
		at_putf(&t->w, "%" PRIu64, (uint64_t)ti.tcpi_pacing_rate);
	else
		at_put(&t->w, "");
	if (len >= offsetof(struct tcp_info, tcpi_bytes_acked) +
	    sizeof(ti.tcpi_bytes_acked))
		at_putf(&t->w, "%" PRIu64, (uint64_t)ti.tcpi_bytes_acked);
	else
		at_put(&t->w, "");
	if (at_end(&t->w) == -1 && !t->failed) {
		warn("--tcpinfo: %s", t->name);
		t->failed = 1;
	}
}

void
tcpinfo_flush(struct tcpinfo_log *t)
{
	if (t->fp != NULL && at_flush(&t->w) == -1 && !t->failed) {
		warn("--tcpinfo: %s", t->name);
		t->failed = 1;
	}
}

int
tcpinfo_close(struct tcpinfo_log *t)
{
	if (t->fp == NULL)
		return 0;
	tcpinfo_flush(t);
	if (fclose(t->fp) != 0 && !t->failed) {
		warn("--tcpinfo: %s", t->name);
		t->failed = 1;
	}
	at_writer_free(&t->w);
	t->fp = NULL;
	return t->failed ? -1 : 0;
}
