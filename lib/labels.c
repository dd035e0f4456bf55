#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "labels.h"
#include "util.h"

struct label {
	unsigned port;
	int sub;		/* MPTCP address id, -1: none */
	char *name;
};

struct labels {
	struct label *v;
	size_t n, cap;
};

void
labels_free(struct labels *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	free(l);
}

/* Adds one `port@label` (or `port.id@label`) pair; -1 after a message. */
static int
add(struct labels *l, const char *file, size_t line, const char *port,
    const char *name)
{
	const char *dot = strchr(port, '.');
	char *ps = dot ? estrndup(port, (size_t)(dot - port)) : NULL;
	uint64_t p, id = 0;
	int bad;

	bad = num_u64(ps ? ps : port, 65535, &p) != NUM_OK || p < 1 ||
	    (dot != NULL && num_u64(dot + 1, 255, &id) != NUM_OK);
	free(ps);
	if (bad) {
		fprintf(stderr, "%s: %s:%zu: '%s' is not a port%s\n",
		    program_invocation_short_name, file, line, port,
		    dot ? ".id (an MPTCP subflow)" : "");
		return -1;
	}
	if (*name == '\0') {
		fprintf(stderr, "%s: %s:%zu: %s %s has an empty label\n",
		    program_invocation_short_name, file, line,
		    dot ? "subflow" : "port", port);
		return -1;
	}
	if (labels_find(l, (unsigned)p, dot ? (int)id : -1) >= 0) {
		fprintf(stderr, "%s: %s:%zu: %s %s is labelled twice\n",
		    program_invocation_short_name, file, line,
		    dot ? "subflow" : "port", port);
		return -1;
	}
	l->v = egrow(l->v, l->n, &l->cap, 16, sizeof(*l->v));
	l->v[l->n].port = (unsigned)p;
	l->v[l->n].sub = dot ? (int)id : -1;
	l->v[l->n].name = estrdup(name);
	l->n++;
	return 0;
}

struct labels *
labels_read(const char *file)
{
	FILE *fp = fopen(file, "r");
	struct labels *l;
	struct at_reader *r;
	int rc;

	if (fp == NULL) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    file, strerror(errno));
		return NULL;
	}
	l = ecalloc(1, sizeof(*l));
	/* The map has no header: the reader's header line is its first pair. */
	r = at_reader_open(fp, file);
	if (r == NULL) {
		labels_free(l);
		fclose(fp);
		return NULL;
	}
	rc = 0;
	if (at_ncols(r) != 2) {
		fprintf(stderr, "%s: %s:1: %zu fields, a label line has 2 "
		    "(port@label)\n", program_invocation_short_name, file,
		    at_ncols(r));
		rc = -1;
	} else
		rc = add(l, file, 1, at_colname(r, 0), at_colname(r, 1));
	while (rc == 0 && (rc = at_next(r)) == 1) {
		rc = add(l, file, at_line(r), at_get(r, 0), at_get(r, 1));
	}
	at_reader_free(r);
	fclose(fp);
	if (rc != 0) {
		labels_free(l);
		return NULL;
	}
	return l;
}

size_t
labels_count(const struct labels *l)
{
	return l->n;
}

unsigned
labels_port(const struct labels *l, size_t i)
{
	return l->v[i].port;
}

const char *
labels_name(const struct labels *l, size_t i)
{
	return l->v[i].name;
}

int
labels_sub(const struct labels *l, size_t i)
{
	return l->v[i].sub;
}

long
labels_find(const struct labels *l, unsigned port, int sub)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].port == port && l->v[i].sub == sub)
			return (long)i;
	return -1;
}

long
labels_index(const struct labels *l, unsigned port)
{
	return labels_find(l, port, -1);
}

int
labels_has_port(const struct labels *l, unsigned port)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].port == port)
			return 1;
	return 0;
}

const char *
labels_get(const struct labels *l, unsigned port)
{
	long i = labels_index(l, port);

	return i < 0 ? NULL : l->v[i].name;
}
