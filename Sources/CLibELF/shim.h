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

#endif
