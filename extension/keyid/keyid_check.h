/*-------------------------------------------------------------------------
 *
 * keyid_check.h
 *		The CHECK macro and counters of keyid/'s unit tests (keyid_test,
 *		keyid_registry_test): a failed check is reported with file and line
 *		on stderr and counted; each program prints its own closing line.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KEYID_CHECK_H
#define KEYID_CHECK_H

#include <stdio.h>

static int	checks = 0;
static int	failures = 0;

#define CHECK(cond) \
	do { \
		checks++; \
		if (!(cond)) \
		{ \
			failures++; \
			fprintf(stderr, "%s:%d: check failed: %s\n", \
					__FILE__, __LINE__, #cond); \
		} \
	} while (0)

#endif							/* KEYID_CHECK_H */
