/*
 * subsidy.c: the module's entry point.
 *
 * The extension's concepts live one per file; the Makefile's OBJS lists them.
 */
#include "subsidy.h"

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "subsidy", .version = "1.0");
#else
PG_MODULE_MAGIC;
#endif

/* Called when the module is loaded. */
void
_PG_init(void)
{
	stamp_register_callbacks();
}
