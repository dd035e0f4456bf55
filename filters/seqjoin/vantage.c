/*
 * vantage.c: where the capture was taken, per direction (DESIGN.md,
 * "Ports, paths, directions, vantage").  A capture is taken at one host, so
 * a direction's records are seen at their sender or at their receiver:
 *
 *   --at       client or server: the user knows where the capture ran
 *   handshake  the side that answers within microseconds is the capture
 *              host: SYN to SYN-ACK short, SYN-ACK to ACK a round trip: at
 *              the server; the other way round: at the client
 *   TTL        of the data: an initial value (64, 128, 255) means the
 *              packet left the capture host, so it is seen at its sender
 *
 * in that order of trust, decided by the first flow that carries records
 * in the direction; a later flow that disagrees is counted and reported.
 * --at comes first although DESIGN.md lists it last: the handshake and the
 * TTL are guesses (two hosts on one machine answer within microseconds both
 * ways, a capture without a router between the hosts sees initial TTLs
 * both ways), and a stated fact must not lose to a guess; a flow whose
 * evidence disagrees with --at is reported.
 */
#include <err.h>

#include "seqjoin.h"

/*
 * SYN-ACK to ACK (or SYN to SYN-ACK) this many times the other, and at
 * least HANDSHAKE_RTT_MIN: decided.  Below that the round trip is a host's
 * scheduling jitter (two namespaces on one machine), not a path.
 */
#define HANDSHAKE_RATIO		4
#define HANDSHAKE_RTT_MIN	(500 * NST_US)

static const char *const ev_name[] = {
	[EV_NONE] = "nothing",
	[EV_UDRECV] = "udrecv's rows",
	[EV_HANDSHAKE] = "the TCP handshake",
	[EV_TTL] = "the IP TTL of the data",
	[EV_OPTION] = "--at",
};

void
vantage_handshake(struct seqjoin *sj, unsigned port, int64_t syn,
    int64_t synack, int64_t ack)
{
	int64_t answer = synack - syn, back = ack - synack;
	enum host h = HOST_UNKNOWN;

	if (syn < 0 || synack < syn || ack < synack)
		return;
	if (answer * HANDSHAKE_RATIO < back && back >= HANDSHAKE_RTT_MIN)
		h = HOST_SERVER;
	else if (back * HANDSHAKE_RATIO < answer &&
	    answer >= HANDSHAKE_RTT_MIN)
		h = HOST_CLIENT;
	if (h == HOST_UNKNOWN)
		return;
	if (sj->host[port] != HOST_UNKNOWN && sj->host[port] != h)
		sj->n.vantage_conflicts++;
	else
		sj->host[port] = (uint8_t)h;
}

/* What a host sees of direction d: uplink flows from client to server. */
static enum at
seen_at(enum host h, enum dir d)
{
	if (h == HOST_UNKNOWN)
		return AT_UNKNOWN;
	if ((h == HOST_CLIENT) == (d == DIR_UL))
		return AT_SENDER;
	return AT_RECEIVER;
}

static bool
initial_ttl(int ttl)
{
	return ttl == 64 || ttl == 128 || ttl == 255;
}

enum ttl_says
ttl_add(enum ttl_says s, int ttl)
{
	enum ttl_says t;

	if (ttl < 0)
		return s;
	t = initial_ttl(ttl) ? TTL_LEFT : TTL_ARRIVED;
	return s == TTL_NONE || s == t ? t : TTL_MIXED;
}

void
vantage_flow(struct seqjoin *sj, enum dir d, unsigned port,
    enum ttl_says ttl)
{
	enum evidence ev = EV_NONE;
	enum at a = AT_UNKNOWN;

	if (ttl == TTL_MIXED)
		sj->n.ttl_mixed++;
	if (sj->host[port] != HOST_UNKNOWN) {
		ev = EV_HANDSHAKE;
		a = seen_at((enum host)sj->host[port], d);
	} else if (ttl == TTL_LEFT || ttl == TTL_ARRIVED) {
		ev = EV_TTL;
		a = ttl == TTL_LEFT ? AT_SENDER : AT_RECEIVER;
	}
	if (sj->at_opt != HOST_UNKNOWN) {
		enum at said = seen_at(sj->at_opt, d);

		if (ev != EV_NONE && a != said)
			sj->n.at_disputed++;
		ev = EV_OPTION;
		a = said;
	}
	if (ev == EV_NONE)
		return;
	if (sj->at_ev[d] == EV_NONE ||
	    (!sj->at_fixed[d] && ev < sj->at_ev[d])) {
		/* more trusted evidence, while no line has said otherwise */
		sj->at[d] = a;
		sj->at_ev[d] = ev;
	} else if (ev <= sj->at_ev[d] && a != sj->at[d])
		sj->n.vantage_conflicts++;
}

void
vantage_report(const struct seqjoin *sj)
{
	for (int d = 0; d < 2; d++) {
		if (sj->join[d] == NULL)
			continue;
		if (sj->at[d] == AT_UNKNOWN)
			warnx("%s: where the capture was taken is unknown (no "
			    "handshake, %s): rtt may be the receiver's own "
			    "ACK delay and owd the sender's own wait; give "
			    "--at client|server", dir_name((enum dir)d),
			    sj->n.ttl_mixed > 0 ? "the TTLs of the data say "
			    "both that it left and that it arrived" :
			    "no TTL");
		else if (sj->at_ev[d] > EV_HANDSHAKE)
			warnx("%s: seen at the %s, by %s", dir_name((enum dir)d),
			    sj->at[d] == AT_SENDER ? "sender" : "receiver",
			    ev_name[sj->at_ev[d]]);
	}
	if (sj->n.at_disputed > 0)
		warnx("%ju flows' handshake or TTL disagree with --at %s (--at "
		    "kept)", (uintmax_t)sj->n.at_disputed,
		    sj->at_opt == HOST_CLIENT ? "client" : "server");
	if (sj->n.vantage_conflicts > 0)
		warnx("%ju flows disagree on where the capture was taken "
		    "(the first one's vantage is kept)",
		    (uintmax_t)sj->n.vantage_conflicts);
}
