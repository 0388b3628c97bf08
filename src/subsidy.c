/*
 * subsidy.c: the module's entry point.
 *
 * The extension's concepts live one per file: uscc.c (the enterprise code),
 * normalize.c (ICU NFKC); see the Makefile's OBJS for the list.
 */
#include "subsidy.h"

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "subsidy", .version = "1.0");
#else
PG_MODULE_MAGIC;
#endif
