#ifndef PLUGINCHECK_CLIBELF_SHIM_H
#define PLUGINCHECK_CLIBELF_SHIM_H

#include <libelf.h>
#include <gelf.h>

// Function-like macros from gelf.h do not import into Swift; these wrap them.
static inline unsigned char pc_gelf_st_bind(unsigned char info) { return GELF_ST_BIND(info); }
static inline unsigned char pc_gelf_st_type(unsigned char info) { return GELF_ST_TYPE(info); }
static inline unsigned char pc_gelf_st_visibility(unsigned char other) { return GELF_ST_VISIBILITY(other); }
static inline unsigned long pc_gelf_r_sym(GElf_Xword info) { return GELF_R_SYM(info); }
static inline unsigned long pc_gelf_r_type(GElf_Xword info) { return GELF_R_TYPE(info); }

// The C library's memmem (glibc and musl both have it; glibc declares it only with
// _GNU_SOURCE, which Swift's Glibc module is not built with).
#include <stddef.h>
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);
static inline const void *pc_memmem(const void *h, size_t hl, const void *n, size_t nl) { return memmem(h, hl, n, nl); }

#endif
