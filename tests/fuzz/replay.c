/*
 * replay: feeds files through a fuzz target's LLVMFuzzerTestOneInput
 * without libFuzzer, so that make check (and make check SAN=1) runs every
 * committed corpus input with the ordinary compiler.  Linked with one
 * target (tests/fuzz/TARGET.c) into $(OBJ)/tools/replay-TARGET.
 *
 * usage: replay-TARGET FILE|DIR...  (a directory: every regular file in it)
 * Prints the number of inputs run; exits 1 if a file cannot be read.
 */
#include <dirent.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL) {
		warn("%s", path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (nb == NULL)
				err(1, NULL);
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		warn("%s", path);
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	/* an exact-size copy, so ASan catches reads past the input */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (exact == NULL)
			err(1, NULL);
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
main(int argc, char **argv)
{
	unsigned long runs = 0;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct dirent **ents;
		struct stat st;
		int n;

		if (stat(argv[i], &st) != 0) {
			warn("%s", argv[i]);
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) != 0)
				status = 1;
			else
				runs++;
			continue;
		}
		if ((n = scandir(argv[i], &ents, NULL, by_name)) < 0) {
			warn("%s", argv[i]);
			status = 1;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    ents[k]->d_name);
			if (ents[k]->d_name[0] != '.' &&
			    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				fprintf(stderr, "replay: %s\n", path);
				if (run_file(path) != 0)
					status = 1;
				else
					runs++;
			}
			free(ents[k]);
		}
		free(ents);
	}
	printf("%lu\n", runs);
	return status;
}
