/*
 * livecap.h: -w FILE of udsend and udrecv: the run's own packets captured
 * with libpcap beside it, as the lab ran tcpdump by hand.
 *
 * The capture runs in a child process, so that reading packets never
 * takes the CPU from the sender's schedule or the receiver's reads: it
 * opens the interfaces (pcap_open_live's steps: one handle per -I
 * interface, else the "any" device), sets the BPF filter, writes FILE with
 * pcap_dump and flushes it after every buffer of packets (at most 50 ms of
 * them), so the file is whole up to the last buffer even if the program
 * is killed.  The child
 * ignores SIGINT and SIGTERM: the program stops it once the run is over,
 * and it stops by itself when the program dies.
 */
#ifndef MPTK_LIVECAP_H
#define MPTK_LIVECAP_H

#include <stddef.h>
#include <sys/types.h>

struct livecap {
	pid_t pid;		/* the capturing child; 0: no capture */
	int ctl;		/* closing it tells the child to stop */
	int res;		/* the child's reports */
	const char *file;
};

/*
 * Starts capturing the packets that match `filter` (BPF) on the n
 * interfaces (n = 0: every interface, the "any" device) into `file`;
 * returns once the capture is running, so that every packet sent after it
 * is in the file.  Exits 1 with a message when it cannot capture: not
 * permitted (not root, no CAP_NET_RAW), no such interface, interfaces of
 * different link types, a file that cannot be created.
 */
void livecap_start(struct livecap *c, const char *file, char *const *ifaces,
    unsigned n, const char *filter);

/*
 * Stops the capture after the packets that are still in the kernel's
 * buffers and writes into `buf` the summary, e.g. "run.pcap: 1204
 * packets, 0 dropped by the kernel, 0 by the interfaces".  Returns 0, or
 * -1 when the capture failed or is incomplete for a reason other than
 * drops (the summary says why).
 */
int livecap_stop(struct livecap *c, char *buf, size_t len);

#endif
