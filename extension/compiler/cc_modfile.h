/*-------------------------------------------------------------------------
 *
 * cc_modfile.h
 *		The module file (tmebox_abi.h: 24-byte header, metadata text, ELF
 *		shared object): building it, validating it, printing its metadata.
 *
 * Invariants kept here:
 *	- Header fields are little endian, written and read byte by byte
 *	  (independent of the host's byte order and alignment).
 *	- A module is accepted only if every length is consistent with the
 *	  file size, the metadata follows ABI.md exactly (known keys, valid
 *	  type codes, no duplicates, one csig per export) and the object is an
 *	  ELF64 little-endian x86-64 shared object.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_MODFILE_H
#define CC_MODFILE_H

#include "cc_signature.h"
#include "cc_util.h"

/* Append the metadata text for `sigs` to `meta` (ABI.md format). */
extern void cc_modfile_metadata(const cc_sigs *sigs, cc_buf *meta);

/* Write the module file to `path` atomically.  0 or -1 (message). */
extern int	cc_modfile_write(const char *path, const cc_buf *meta,
							 const void *obj, size_t objlen);

/*
 * Validate a module held in memory; on failure put the reason in *why
 * (static string) and return -1.  On success return 0 and point *meta /
 * *metalen at the metadata and *objlen at the object size.
 */
extern int	cc_modfile_validate(const unsigned char *data, size_t len,
								const char **meta, size_t *metalen,
								size_t *objlen, const char **why);

/* --print-info: read, validate and print the metadata of `path`. 0 / -1. */
extern int	cc_modfile_print_info(const char *path, bool verbose);

#endif							/* CC_MODFILE_H */
