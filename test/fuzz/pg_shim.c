/*
 * pg_shim.c: the few PostgreSQL backend services that the extension's parsers
 * and formatters use, so that their real C files can be linked into libFuzzer
 * harnesses without a server.
 *
 * What the shim does, and why it is honest:
 *
 *  - Memory: every palloc is its own malloc (so AddressSanitizer sees the exact
 *    size asked for, and a repalloc always moves), owned by a memory context.
 *    A harness runs each input in a fresh context that is reset afterwards, as
 *    the server resets a per-call context: what the code under test leaves
 *    allocated is not a leak, but anything it touches after the reset is a
 *    use-after-free.  Allocations in TopMemoryContext (caches) live for the
 *    process, as in a backend.
 *  - Errors: errstart/errmsg/.../errfinish format every message with the
 *    real format string and arguments (PostgreSQL's own snprintf from
 *    libpgport), so a bad argument to a message is found too.  An ERROR is
 *    copied into shim_error and longjmps to the innermost PG_TRY, as in the
 *    server; the harness decides whether the SQLSTATE is an acceptable answer
 *    to the input.  FATAL and PANIC abort: no input should cause them.
 *  - Encoding: the database encoding is UTF8; text reaching the server from a
 *    client is checked with PostgreSQL's own UTF-8 verifier (libpgcommon), as
 *    pg_client_to_server and pg_any_to_server do.
 *  - StringInfo, psprintf, hash_bytes and the UTF-8 helpers are PostgreSQL's
 *    own code from libpgcommon/libpgport, not reimplementations.
 *  - Backend functions that the linked files reference but that no fuzzed
 *    entry point reaches (catalog look-ups, tuple building) abort with a
 *    message if ever called, rather than pretending to work.
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/memnodes.h"
#include "utils/array.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rls.h"
#include "utils/syscache.h"

#include "pg_shim.h"

/* ---------------------------------------------------------------- memory */

typedef struct ShimChunk
{
	struct ShimChunk *prev;
	struct ShimChunk *next;
	Size		size;
	MemoryContext context;		/* last: GetMemoryChunkContext reads it */
} ShimChunk;

StaticAssertDecl(sizeof(ShimChunk) % MAXIMUM_ALIGNOF == 0, "chunks stay MAXALIGNed");

typedef struct ShimContext
{
	MemoryContextData data;
	ShimChunk	head;			/* circular list of live chunks */
} ShimContext;

static ShimContext top_context, error_context, input_context;

MemoryContext TopMemoryContext = NULL;
MemoryContext ErrorContext = NULL;
MemoryContext CurrentMemoryContext = NULL;

static void
context_init(ShimContext *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->data.type = T_AllocSetContext;
	c->data.isReset = true;
	c->data.name = name;
	c->head.prev = c->head.next = &c->head;
}

static void
shim_init_memory(void)
{
	if (TopMemoryContext != NULL)
		return;
	context_init(&top_context, "TopMemoryContext");
	context_init(&error_context, "ErrorContext");
	context_init(&input_context, "FuzzInputContext");
	error_context.data.parent = input_context.data.parent = &top_context.data;
	TopMemoryContext = &top_context.data;
	ErrorContext = &error_context.data;
	CurrentMemoryContext = TopMemoryContext;
}

static void
context_reset(ShimContext *c)
{
	ShimChunk  *ch = c->head.next;

	while (ch != &c->head)
	{
		ShimChunk  *next = ch->next;

		free(ch);
		ch = next;
	}
	c->head.prev = c->head.next = &c->head;
	c->data.isReset = true;
	c->data.mem_allocated = 0;
}

static void *
shim_alloc(MemoryContext context, Size size, int flags)
{
	ShimContext *c = (ShimContext *) context;
	ShimChunk  *ch;

	shim_init_memory();
	if (c == NULL)
		c = (ShimContext *) (context = CurrentMemoryContext);
	if (!((flags & MCXT_ALLOC_HUGE) ? AllocHugeSizeIsValid(size) : AllocSizeIsValid(size)))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	ch = malloc(sizeof(ShimChunk) + size);
	if (ch == NULL)
	{
		if (flags & MCXT_ALLOC_NO_OOM)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu.", size)));
	}
	ch->size = size;
	ch->context = context;
	ch->next = c->head.next;
	ch->prev = &c->head;
	c->head.next->prev = ch;
	c->head.next = ch;
	c->data.isReset = false;
	c->data.mem_allocated += size;
	if (flags & MCXT_ALLOC_ZERO)
		memset(ch + 1, 0, size);
	return ch + 1;
}

static ShimChunk *
chunk_of(void *pointer)
{
	if (pointer == NULL)
	{
		fprintf(stderr, "shim: pfree or repalloc of a NULL pointer\n");
		abort();
	}
	return (ShimChunk *) pointer - 1;
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return shim_alloc(context, size, 0);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return shim_alloc(context, size, MCXT_ALLOC_ZERO);
}

void *
MemoryContextAllocZeroAligned(MemoryContext context, Size size)
{
	return shim_alloc(context, size, MCXT_ALLOC_ZERO);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	return shim_alloc(context, size, flags);
}

void *
MemoryContextAllocHuge(MemoryContext context, Size size)
{
	return shim_alloc(context, size, MCXT_ALLOC_HUGE);
}

void *
palloc(Size size)
{
	return shim_alloc(NULL, size, 0);
}

void *
palloc0(Size size)
{
	return shim_alloc(NULL, size, MCXT_ALLOC_ZERO);
}

void *
palloc_extended(Size size, int flags)
{
	return shim_alloc(NULL, size, flags);
}

void
pfree(void *pointer)
{
	ShimChunk  *ch = chunk_of(pointer);
	ShimContext *c = (ShimContext *) ch->context;

	ch->prev->next = ch->next;
	ch->next->prev = ch->prev;
	c->data.mem_allocated -= ch->size;
	free(ch);
}

static void *
shim_realloc(void *pointer, Size size, int flags)
{
	ShimChunk  *ch = chunk_of(pointer);
	void	   *result = shim_alloc(ch->context, size, flags);

	/* always move, so that a stale pointer is a use-after-free */
	memcpy(result, pointer, Min(size, ch->size));
	pfree(pointer);
	return result;
}

void *
repalloc(void *pointer, Size size)
{
	return shim_realloc(pointer, size, 0);
}

void *
repalloc_huge(void *pointer, Size size)
{
	return shim_realloc(pointer, size, MCXT_ALLOC_HUGE);
}

void
MemoryContextReset(MemoryContext context)
{
	context_reset((ShimContext *) context);
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	Size		len = strlen(string) + 1;
	char	   *result = MemoryContextAlloc(context, len);

	memcpy(result, string, len);
	return result;
}

char *
pstrdup(const char *in)
{
	return MemoryContextStrdup(CurrentMemoryContext, in);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *out;

	len = strnlen(in, len);
	out = palloc(len + 1);
	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

/* ---------------------------------------------------------------- errors */

sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;
ShimError	shim_error;

#define ERRORDATA_STACK_SIZE 5

static ErrorData errordata[ERRORDATA_STACK_SIZE];
static int	errordata_stack_depth = -1;

bool
errstart(int elevel, const char *domain)
{
	ErrorData  *edata;

	shim_init_memory();
	if (++errordata_stack_depth >= ERRORDATA_STACK_SIZE)
	{
		fprintf(stderr, "shim: ERRORDATA_STACK_SIZE exceeded (errors raised while reporting errors)\n");
		abort();
	}
	edata = &errordata[errordata_stack_depth];
	memset(edata, 0, sizeof(ErrorData));
	edata->elevel = elevel;
	edata->domain = domain;
	edata->saved_errno = errno;
	edata->assoc_context = ErrorContext;
	edata->sqlerrcode = elevel >= ERROR ? ERRCODE_INTERNAL_ERROR :
		elevel >= WARNING ? ERRCODE_WARNING : ERRCODE_SUCCESSFUL_COMPLETION;
	/* Always build the message, whatever the level: its formatting is tested too. */
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

static ErrorData *
current_error(const char *caller)
{
	if (errordata_stack_depth < 0)
	{
		fprintf(stderr, "shim: %s called outside ereport\n", caller);
		abort();
	}
	return &errordata[errordata_stack_depth];
}

/* The message, formatted as PostgreSQL does (no translation), in ErrorContext. */
static char *
format_message(const ErrorData *edata, const char *fmt, va_list args)
{
	StringInfoData buf;
	MemoryContext old = CurrentMemoryContext;

	CurrentMemoryContext = ErrorContext;
	initStringInfo(&buf);
	for (;;)
	{
		va_list		copy;
		int			needed;

		errno = edata->saved_errno;
		va_copy(copy, args);
		needed = appendStringInfoVA(&buf, fmt, copy);
		va_end(copy);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	CurrentMemoryContext = old;
	return buf.data;
}

#define SET_FIELD(field, caller) \
	do { \
		ErrorData  *edata = current_error(caller); \
		va_list		args; \
		va_start(args, fmt); \
		edata->field = format_message(edata, fmt, args); \
		va_end(args); \
	} while (0)

int
errcode(int sqlerrcode)
{
	current_error("errcode")->sqlerrcode = sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	SET_FIELD(message, "errmsg");
	return 0;
}

int
errmsg_internal(const char *fmt,...)
{
	SET_FIELD(message, "errmsg_internal");
	return 0;
}

int
errdetail(const char *fmt,...)
{
	SET_FIELD(detail, "errdetail");
	return 0;
}

int
errdetail_internal(const char *fmt,...)
{
	SET_FIELD(detail, "errdetail_internal");
	return 0;
}

int
errhint(const char *fmt,...)
{
	SET_FIELD(hint, "errhint");
	return 0;
}

int
errcontext_msg(const char *fmt,...)
{
	SET_FIELD(context, "errcontext_msg");
	return 0;
}

int
set_errcontext_domain(const char *domain)
{
	current_error("set_errcontext_domain")->context_domain = domain;
	return 0;
}

const char *
shim_sqlstate(int sqlerrcode)
{
	static char buf[6];

	for (int i = 0; i < 5; i++)
	{
		buf[i] = PGUNSIXBIT(sqlerrcode);
		sqlerrcode >>= 6;
	}
	buf[5] = '\0';
	return buf;
}

static void
copy_text(char *dst, const char *src)
{
	strlcpy(dst, src ? src : "", SHIM_TEXT_MAX);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	ErrorData  *edata = current_error("errfinish");

	edata->filename = filename;
	edata->lineno = lineno;
	edata->funcname = funcname;
	if (edata->elevel >= FATAL)
	{
		fprintf(stderr, "shim: %s at %s:%d (%s): [%s] %s\n",
				edata->elevel == FATAL ? "FATAL" : "PANIC", filename, lineno,
				funcname ? funcname : "?", shim_sqlstate(edata->sqlerrcode),
				edata->message ? edata->message : "");
		abort();
	}
	if (edata->elevel >= ERROR)
	{
		/* what a PG_CATCH block would read with CopyErrorData, then FlushErrorState */
		memset(&shim_error, 0, sizeof(shim_error));
		shim_error.elevel = edata->elevel;
		shim_error.sqlerrcode = edata->sqlerrcode;
		shim_error.lineno = lineno;
		strlcpy(shim_error.filename, filename ? filename : "", sizeof(shim_error.filename));
		strlcpy(shim_error.funcname, funcname ? funcname : "", sizeof(shim_error.funcname));
		copy_text(shim_error.message, edata->message);
		copy_text(shim_error.detail, edata->detail);
		copy_text(shim_error.hint, edata->hint);
		errordata_stack_depth = -1;
		if (getenv("SHIM_VERBOSE"))
			fprintf(stderr, "shim: ERROR %s %s (%s:%d)\n", shim_sqlstate(shim_error.sqlerrcode),
					shim_error.message, filename, lineno);
		if (PG_exception_stack == NULL)
		{
			fprintf(stderr, "shim: ERROR outside PG_TRY at %s:%d: %s\n", filename, lineno,
					shim_error.message);
			abort();
		}
		siglongjmp(*PG_exception_stack, 1);
	}
	if (getenv("SHIM_VERBOSE"))
		fprintf(stderr, "shim: level %d %s %s\n", edata->elevel,
				shim_sqlstate(edata->sqlerrcode), edata->message ? edata->message : "");
	errordata_stack_depth--;
}

void
pg_re_throw(void)
{
	if (PG_exception_stack == NULL)
	{
		fprintf(stderr, "shim: PG_RE_THROW outside PG_TRY\n");
		abort();
	}
	siglongjmp(*PG_exception_stack, 1);
}

void
FlushErrorState(void)
{
	errordata_stack_depth = -1;
}

static int	save_format_errnumber;

void
pre_format_elog_string(int errnumber, const char *domain)
{
	save_format_errnumber = errnumber;
}

char *
format_elog_string(const char *fmt,...)
{
	ErrorData	edata;
	va_list		args;
	char	   *result;

	memset(&edata, 0, sizeof(edata));
	edata.saved_errno = save_format_errnumber;
	va_start(args, fmt);
	result = format_message(&edata, fmt, args);
	va_end(args);
	return result;
}

void
ExceptionalCondition(const char *conditionName, const char *errorType,
					 const char *fileName, int lineNumber)
{
	fprintf(stderr, "TRAP: %s(\"%s\", File: \"%s\", Line: %d)\n",
			errorType ? errorType : "?", conditionName ? conditionName : "?",
			fileName ? fileName : "?", lineNumber);
	abort();
}

/* ---------------------------------------------------------------- fmgr */

Datum
DirectFunctionCall1Coll(PGFunction func, Oid collation, Datum arg1)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	result = (*func) (fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function %p returned NULL", (void *) func);
	return result;
}

Datum
DirectFunctionCall2Coll(PGFunction func, Oid collation, Datum arg1, Datum arg2)
{
	LOCAL_FCINFO(fcinfo, 2);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 2, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = arg2;
	fcinfo->args[1].isnull = false;
	result = (*func) (fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function %p returned NULL", (void *) func);
	return result;
}

/* Harnesses build only plain datums: a compressed or TOAST-pointer one is a harness bug. */
struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	if (VARATT_IS_COMPRESSED(datum) || VARATT_IS_EXTERNAL(datum))
	{
		fprintf(stderr, "shim: detoasting is not available; the harness built a toasted datum\n");
		abort();
	}
	return datum;
}

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTENDED(datum))
	{
		fprintf(stderr, "shim: detoasting is not available; the harness built an extended datum\n");
		abort();
	}
	return datum;
}

/* ---------------------------------------------------------------- text and encoding */

text *
cstring_to_text_with_len(const char *s, int len)
{
	text	   *result = (text *) palloc(len + VARHDRSZ);

	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), s, len);
	return result;
}

text *
cstring_to_text(const char *s)
{
	return cstring_to_text_with_len(s, strlen(s));
}

char *
text_to_cstring(const text *t)
{
	text	   *tunpacked = (text *) pg_detoast_datum_packed(unconstify(text *, t));
	int			len = VARSIZE_ANY_EXHDR(tunpacked);
	char	   *result = palloc(len + 1);

	memcpy(result, VARDATA_ANY(tunpacked), len);
	result[len] = '\0';
	return result;
}

text *
shim_text(const char *str, int len)
{
	return cstring_to_text_with_len(str, len);
}

int
GetDatabaseEncoding(void)
{
	return PG_UTF8;
}

int
pg_database_encoding_max_length(void)
{
	return pg_encoding_max_length(PG_UTF8);
}

int
pg_mblen(const char *mbstr)
{
	return pg_encoding_mblen(PG_UTF8, mbstr);
}

/* mbutils.c's pg_mbstrlen_with_len, for the UTF8 database encoding. */
int
pg_mbstrlen_with_len(const char *mbstr, int limit)
{
	int			len = 0;

	if (pg_database_encoding_max_length() == 1)
		return limit;
	while (limit > 0 && *mbstr)
	{
		int			l = pg_mblen(mbstr);

		limit -= l;
		mbstr += l;
		len++;
	}
	return len;
}

/* mbutils.c's pg_verify_mbstr with noError = false, and report_invalid_encoding. */
static void
verify_server_text(const char *s, int len)
{
	int			ok = pg_encoding_verifymbstr(PG_UTF8, s, len);

	if (ok != len)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence for encoding \"%s\": 0x%02x",
						"UTF8", (unsigned char) s[ok])));
}

/* Client and server encodings are both UTF8: no conversion, only the check. */
char *
pg_any_to_server(const char *s, int len, int encoding)
{
	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
	{
		fprintf(stderr, "shim: pg_any_to_server from encoding %d is not available\n", encoding);
		abort();
	}
	verify_server_text(s, len);
	return unconstify(char *, s);
}

char *
pg_server_to_any(const char *s, int len, int encoding)
{
	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
	{
		fprintf(stderr, "shim: pg_server_to_any to encoding %d is not available\n", encoding);
		abort();
	}
	return unconstify(char *, s);
}

char *
pg_client_to_server(const char *s, int len)
{
	return pg_any_to_server(s, len, PG_UTF8);
}

char *
pg_server_to_client(const char *s, int len)
{
	return pg_server_to_any(s, len, PG_UTF8);
}

/* ---------------------------------------------------------------- pqformat.c */

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	/* reserve four bytes for the bytea length word */
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	Assert(buf->len >= VARHDRSZ);
	SET_VARSIZE(result, buf->len);
	return result;
}

void
pq_sendtext(StringInfo buf, const char *str, int slen)
{
	char	   *p = pg_server_to_client(str, slen);

	if (p != str)
	{
		slen = strlen(p);
		appendBinaryStringInfo(buf, p, slen);
		pfree(p);
	}
	else
		appendBinaryStringInfo(buf, str, slen);
}

char *
pq_getmsgtext(StringInfo msg, int rawbytes, int *nbytes)
{
	char	   *str;
	char	   *p;

	if (rawbytes < 0 || rawbytes > (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("insufficient data left in message")));
	str = &msg->data[msg->cursor];
	msg->cursor += rawbytes;

	p = pg_client_to_server(str, rawbytes);
	if (p != str)
		*nbytes = strlen(p);
	else
	{
		p = (char *) palloc(rawbytes + 1);
		memcpy(p, str, rawbytes);
		p[rawbytes] = '\0';
		*nbytes = rawbytes;
	}
	return p;
}

/* ---------------------------------------------------------------- numeric */

/* Only ever used in error messages by the code under test. */
Datum
numeric_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup("<numeric>"));
}

/* ---------------------------------------------------------------- dates and GUCs */

int32		shim_current_date = 0;

DateADT
GetSQLCurrentDate(void)
{
	return shim_current_date;
}

/* datetime.c's Julian day conversions, as in the backend. */
int
date2j(int y, int m, int d)
{
	int			julian;
	int			century;

	if (m > 2)
	{
		m += 1;
		y += 4800;
	}
	else
	{
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

void
j2date(int jd, int *year, int *month, int *day)
{
	unsigned int julian;
	unsigned int quad;
	unsigned int extra;
	int			y;

	julian = jd;
	julian += 32044;
	quad = julian / 146097;
	extra = (julian - quad * 146097) * 4 + 3;
	julian += 60 + quad * 3 + extra / 146097;
	quad = julian / 1461;
	julian -= quad * 1461;
	y = julian * 4 / 1461;
	julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
	y += quad * 4;
	*year = y - 4800;
	quad = julian * 2141 / 65536;
	*day = julian - 7834 * quad / 256;
	*month = (quad + 10) % MONTHS_PER_YEAR + 1;
}

char	   *GUC_check_errmsg_string;
char	   *GUC_check_errdetail_string;
char	   *GUC_check_errhint_string;
bool		row_security = true;

#define MAX_STRING_GUCS 8
static ShimStringGuc string_gucs[MAX_STRING_GUCS];
static int	n_string_gucs;

void
DefineCustomStringVariable(const char *name, const char *short_desc, const char *long_desc,
						   char **valueAddr, const char *bootValue, GucContext context,
						   int flags, GucStringCheckHook check_hook,
						   GucStringAssignHook assign_hook, GucShowHook show_hook)
{
	if (n_string_gucs == MAX_STRING_GUCS)
	{
		fprintf(stderr, "shim: too many string GUCs\n");
		abort();
	}
	string_gucs[n_string_gucs].name = name;
	string_gucs[n_string_gucs].value = valueAddr;
	string_gucs[n_string_gucs].check_hook = check_hook;
	string_gucs[n_string_gucs].assign_hook = assign_hook;
	n_string_gucs++;
}

const ShimStringGuc *
shim_string_guc(const char *name)
{
	for (int i = 0; i < n_string_gucs; i++)
		if (strcmp(string_gucs[i].name, name) == 0)
			return &string_gucs[i];
	return NULL;
}

void
DefineCustomBoolVariable(const char *name, const char *short_desc, const char *long_desc,
						 bool *valueAddr, bool bootValue, GucContext context, int flags,
						 GucBoolCheckHook check_hook, GucBoolAssignHook assign_hook, GucShowHook show_hook)
{
	*valueAddr = bootValue;
}

void
MarkGUCPrefixReserved(const char *className)
{
}

void
pg_bindtextdomain(const char *domain)
{
}

/* The transaction's start: the start of the day shim_current_date, in China (UTC+8). */
TimestampTz
GetCurrentTransactionStartTimestamp(void)
{
	return (TimestampTz) shim_current_date * USECS_PER_DAY - INT64CONST(8) * USECS_PER_HOUR;
}

bool
superuser(void)
{
	return true;
}

/* ---------------------------------------------------------------- not reachable */

#define UNREACHABLE(what) \
	do { \
		fprintf(stderr, "shim: %s is not available to fuzz harnesses\n", what); \
		abort(); \
	} while (0)

Numeric
int64_div_fast_to_numeric(int64 val1, int log10val2)
{
	UNREACHABLE("int64_div_fast_to_numeric");
}

Oid
GetSysCacheOid(int cacheId, AttrNumber oidcol, Datum key1, Datum key2, Datum key3, Datum key4)
{
	UNREACHABLE("GetSysCacheOid");
}

char *
format_type_be(Oid type_oid)
{
	UNREACHABLE("format_type_be");
}

ArrayType *
construct_array(Datum *elems, int nelems, Oid elmtype, int elmlen, bool elmbyval, char elmalign)
{
	UNREACHABLE("construct_array");
}

HeapTuple
heap_form_tuple(TupleDesc tupleDescriptor, Datum *values, bool *isnull)
{
	UNREACHABLE("heap_form_tuple");
}

Datum
HeapTupleHeaderGetDatum(HeapTupleHeader tuple)
{
	UNREACHABLE("HeapTupleHeaderGetDatum");
}

TypeFuncClass
get_call_result_type(FunctionCallInfo fcinfo, Oid *resultTypeId, TupleDesc *resultTupleDesc)
{
	UNREACHABLE("get_call_result_type");
}

TupleDesc
BlessTupleDesc(TupleDesc tupdesc)
{
	UNREACHABLE("BlessTupleDesc");
}

/* subsidy.c's restoring() reads a table through SPI: no harness calls it. */
uint64		SPI_processed = 0;

Oid
GetUserId(void)
{
	UNREACHABLE("GetUserId");
}

Oid
get_relname_relid(const char *relname, Oid relnamespace)
{
	UNREACHABLE("get_relname_relid");
}

int
SPI_connect(void)
{
	UNREACHABLE("SPI_connect");
}

int
SPI_execute(const char *src, bool read_only, long tcount)
{
	UNREACHABLE("SPI_execute");
}

int
SPI_finish(void)
{
	UNREACHABLE("SPI_finish");
}

/* ---------------------------------------------------------------- harness support */

bool
shim_try1(PGFunction fn, Datum arg1, Datum *result)
{
	MemoryContext context = CurrentMemoryContext;
	volatile bool ok = false;

	PG_TRY();
	{
		*result = DirectFunctionCall1(fn, arg1);
		ok = true;
	}
	PG_CATCH();
	{
		CurrentMemoryContext = context;
	}
	PG_END_TRY();
	return ok;
}

bool
shim_try2(PGFunction fn, Datum arg1, Datum arg2, Datum *result)
{
	MemoryContext context = CurrentMemoryContext;
	volatile bool ok = false;

	PG_TRY();
	{
		*result = DirectFunctionCall2(fn, arg1, arg2);
		ok = true;
	}
	PG_CATCH();
	{
		CurrentMemoryContext = context;
	}
	PG_END_TRY();
	return ok;
}

void
shim_input_begin(void)
{
	shim_init_memory();
	if (errordata_stack_depth != -1 || PG_exception_stack != NULL)
	{
		fprintf(stderr, "shim: error machinery not at rest before an input\n");
		abort();
	}
	CurrentMemoryContext = &input_context.data;
}

void
shim_input_end(void)
{
	if (errordata_stack_depth != -1)
	{
		fprintf(stderr, "shim: an ereport was started and never finished\n");
		abort();
	}
	if (PG_exception_stack != NULL)
	{
		fprintf(stderr, "shim: PG_exception_stack left set\n");
		abort();
	}
	context_reset(&input_context);
	context_reset(&error_context);
	CurrentMemoryContext = TopMemoryContext;
}

void
shim_fail(const uint8_t *data, size_t size, const char *fmt,...)
{
	va_list		args;

	fprintf(stderr, "\n==== property failed: ");
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n==== input (%zu bytes): \"", size);
	for (size_t i = 0; i < size && i < 512; i++)
	{
		unsigned char c = data[i];

		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "%s\"\n", size > 512 ? "..." : "");
	abort();
}
