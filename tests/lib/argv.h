/* argv.h - building argv arrays in unit tests of command-line parsers. */
#ifndef NFP_TEST_ARGV_H
#define NFP_TEST_ARGV_H

/* A NULL-terminated argv literal. */
#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

static inline int ARGC(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

#endif
