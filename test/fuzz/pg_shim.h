/*
 * pg_shim.h: what the fuzz harnesses see of pg_shim.c, the stand-in for the
 * PostgreSQL backend that the extension's C files are linked against.
 *
 * An ereport(ERROR) raised by extension code longjmps to the innermost PG_TRY
 * exactly as in the server; before it does, the shim copies the error into
 * shim_error so that the harness can check its SQLSTATE and text.
 */
#ifndef PG_SHIM_H
#define PG_SHIM_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/guc.h"

#define SHIM_TEXT_MAX 512

typedef struct ShimError
{
	int			elevel;
	int			sqlerrcode;
	int			lineno;
	char		filename[128];
	char		funcname[128];
	char		message[SHIM_TEXT_MAX];
	char		detail[SHIM_TEXT_MAX];
	char		hint[SHIM_TEXT_MAX];
} ShimError;

/* The last error thrown (ERROR) by the code under test. */
extern ShimError shim_error;

/* What GetSQLCurrentDate() answers (a DateADT); 0 (2000-01-01) unless set. */
extern int32 shim_current_date;

/* Hooks captured by DefineCustomStringVariable, by variable name. */
typedef struct ShimStringGuc
{
	const char *name;
	char	  **value;
	GucStringCheckHook check_hook;
	GucStringAssignHook assign_hook;
} ShimStringGuc;

extern const ShimStringGuc *shim_string_guc(const char *name);

/*
 * Call around each fuzz input: begin makes a fresh per-input memory context
 * current; end frees everything allocated in it (so nothing the code under
 * test pallocs and forgets counts as a leak, as in the server) and checks
 * that the error machinery is back at rest.
 */
extern void shim_input_begin(void);
extern void shim_input_end(void);

/* The five-character SQLSTATE of an encoded error code, in a static buffer. */
extern const char *shim_sqlstate(int sqlerrcode);

/* Report a failed property with the input, and abort (libFuzzer saves the input). */
extern void shim_fail(const uint8_t *data, size_t size, const char *fmt,...)
			pg_attribute_printf(3, 4) pg_attribute_noreturn();

/*
 * Call a V1 function inside PG_TRY: true with *result set, or false with the
 * ERROR it raised in shim_error.
 */
extern bool shim_try1(PGFunction fn, Datum arg1, Datum *result);
extern bool shim_try2(PGFunction fn, Datum arg1, Datum arg2, Datum *result);

/* A text datum (4-byte header) holding len bytes of str. */
extern text *shim_text(const char *str, int len);

#define SHIM_ASSERT(data, size, cond, ...) \
	do { if (!(cond)) shim_fail((data), (size), __VA_ARGS__); } while (0)

#endif							/* PG_SHIM_H */
