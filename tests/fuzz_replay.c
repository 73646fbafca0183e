/*
 * fuzz_replay.c - replays every input in tests/fuzz-regressions/ through the
 * dissectors (make check; under --enable-sanitizers it is the ASan/UBSan
 * check).  Files are in the "tree" harness's format (fuzz/fuzz_link.c): one
 * selector byte, then the frame.  Each is replayed as the harness saw it,
 * and its frame also as every other link type, with and without a tree,
 * since a bug found through one link type is often reachable from another.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

static unsigned char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = malloc(1 << 18);
	*n = buf ? fread(buf, 1, 1 << 18, f) : 0;
	fclose(f);
	return buf;
}

static int replay(const char *dir, const char *name)
{
	char path[4096 + 256 + 2]; /* a directory path, "/", a d_name */
	snprintf(path, sizeof path, "%s/%s", dir, name);
	size_t n;
	unsigned char *b = read_file(path, &n);
	if (!b) {
		fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
		return 1;
	}
	printf("replay %s (%zu bytes)\n", name, n);
	fflush(stdout); /* so a crash names its input */
	LLVMFuzzerTestOneInput(b, n);
	for (size_t i = 0; n && i < fuzz_nlinktypes; i++)
		for (int mode = 0; mode < 4; mode++)
			fuzz_dissect(b + 1, n - 1, fuzz_linktypes[i], mode & 1, mode & 2);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	const char *src = getenv("NETMON_SRCDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fuzz-regressions", argc > 1 ? argv[1] : src ? src : ".");
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "fuzz_replay: %s: cannot open\n", dir);
		return 99;
	}
	int bad = 0, count = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0)
			bad |= replay(dir, e->d_name), count++;
	closedir(d);
	printf("%d inputs replayed\n", count);
	return bad;
}
