/*
 * labels.h: the label map that renames paths for output (DESIGN.md, "Ports
 * and paths"): `port@label` lines, e.g. `3271@CHT NR`, read with libcsv by
 * lib/atcsv, so a label holding '@' or '"' is quoted as in the stream.
 * There is no header line and every line is a pair.  An MPTCP subflow is
 * `port.id@label` (its server port and address id, 0-255, e.g. `3290.2`).
 */
#ifndef MPTK_LABELS_H
#define MPTK_LABELS_H

#include <stddef.h>

struct labels;

/*
 * Reads the map from `file`.  Returns NULL after printing
 * "prog: file:line: what" (unreadable file, a port that is not 1-65535
 * or an address id that is not 0-255, a line without exactly two fields,
 * an empty label, a port or subflow given twice).
 */
struct labels *labels_read(const char *file);
void labels_free(struct labels *l);

/* Entries in file order. */
size_t labels_count(const struct labels *l);
unsigned labels_port(const struct labels *l, size_t i);
/* The MPTCP address id of entry i, -1 for a plain port. */
int labels_sub(const struct labels *l, size_t i);
const char *labels_name(const struct labels *l, size_t i);

/* The label of `port` (not of its subflows), or NULL when the map has none. */
const char *labels_get(const struct labels *l, unsigned port);
/* Position of `port` in file order, or -1. */
long labels_index(const struct labels *l, unsigned port);
/* Position of `port.sub` (sub -1: the plain port) in file order, or -1. */
long labels_find(const struct labels *l, unsigned port, int sub);
/* Whether any entry, plain or subflow, has this port. */
int labels_has_port(const struct labels *l, unsigned port);

#endif
