/*
 * messages.c: the messages that the extension's SQL and PL/pgSQL raise, in C
 * so that they go through the extension's message catalog like ereport's.
 *
 * SQL code raises a message by its key: subsidy.raise('publicity_in_past',
 * VARIADIC ARRAY[start, today]).  Each message is a whole sentence (primary,
 * detail, hint), marked for xgettext; the arguments fill the primary's %s
 * first, then the detail's, then the hint's, so that each translation gets
 * exactly its own and may reorder them (%1$s).
 */
#include "subsidy.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"

typedef struct KeyedMessage
{
	const char *key;
	int			elevel;
	const char *sqlstate;
	const char *message;
	const char *detail;
	const char *hint;
	const char *plural;			/* the primary's plural form, chosen by argument plural_arg */
	int			plural_arg;
} KeyedMessage;

/* A primary message with singular and plural forms (xgettext: PLURAL:1,2). */
#define PLURAL(one, many) .message = (one), .plural = (many)

static const KeyedMessage messages[] = {
#include "messages.h"
};

/* How many arguments an English message takes: its %s (or the highest %n$s). */
static int
arguments_of(const char *fmt)
{
	int			count = 0,
				highest = 0;

	if (fmt == NULL)
		return 0;
	for (const char *p = fmt; *p; p++)
	{
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		if (*p >= '1' && *p <= '9' && p[1] == '$')
		{
			highest = Max(highest, *p - '0');
			p += 2;
		}
		else
			count++;
	}
	return Max(count, highest);
}

/*
 * Format a translated message with its arguments: %s takes the next one,
 * %n$s the n-th, %% is a percent sign.  A missing argument is empty.
 */
static char *
fill(const char *fmt, Datum *args, bool *nulls, int nargs)
{
	StringInfoData buf;
	int			next = 0;

	initStringInfo(&buf);
	for (const char *p = fmt; *p; p++)
	{
		int			n = -1;

		if (*p != '%')
		{
			appendStringInfoChar(&buf, *p);
			continue;
		}
		if (p[1] == '%')
		{
			appendStringInfoChar(&buf, '%');
			p++;
			continue;
		}
		if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's')
		{
			n = p[1] - '1';
			p += 3;
		}
		else if (p[1] == 's')
		{
			n = next++;
			p += 1;
		}
		else
		{
			appendStringInfoChar(&buf, '%');
			continue;
		}
		if (n < nargs && !nulls[n])
			appendStringInfoString(&buf, TextDatumGetCString(args[n]));
	}
	return buf.data;
}

static const KeyedMessage *
find_message(const char *key)
{
	for (int i = 0; i < lengthof(messages); i++)
		if (strcmp(messages[i].key, key) == 0)
			return &messages[i];
	/* subsidy.raise and subsidy.message are any role's to call: a key is input like any other */
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("subsidy has no message with the key \"%s\"", key),
			 errdetail("The keys are the extension's own; its SQL raises its messages by them.")));
	return NULL;
}

/* errhint has no _internal twin before PostgreSQL 17: a format that xgettext does not collect */
static const char hint_format[] = "%s";

/* Raise a message with its arguments (as text), translated. */
static void
raise_message(const KeyedMessage *m, Datum *args, bool *nulls, int nargs)
{
	int			n_message = arguments_of(m->message),
				n_detail = arguments_of(m->detail);
	char	   *message,
			   *detail = NULL,
			   *hint = NULL;

	if (m->plural != NULL)
	{
		unsigned long n = 0;

		if (m->plural_arg < nargs && !nulls[m->plural_arg])
			n = strtoul(TextDatumGetCString(args[m->plural_arg]), NULL, 10);
		message = fill(dngettext(TEXTDOMAIN, m->message, m->plural, n), args, nulls, Min(nargs, n_message));
	}
	else
		message = fill(_(m->message), args, nulls, Min(nargs, n_message));
	if (m->detail)
		detail = fill(_(m->detail), args + Min(nargs, n_message), nulls + Min(nargs, n_message),
					  Max(0, Min(nargs - n_message, n_detail)));
	if (m->hint)
		hint = fill(_(m->hint), args + Min(nargs, n_message + n_detail), nulls + Min(nargs, n_message + n_detail),
					Max(0, nargs - n_message - n_detail));
	ereport(m->elevel,
			(errcode(MAKE_SQLSTATE(m->sqlstate[0], m->sqlstate[1], m->sqlstate[2], m->sqlstate[3], m->sqlstate[4])),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint(hint_format, hint) : 0));
}

/* raise_keyed(key, nargs, arg...): the message of that key, from C, its arguments C strings. */
void
raise_keyed(const char *key, int nargs,...)
{
	Datum	   *args = palloc(Max(nargs, 1) * sizeof(Datum));
	bool	   *nulls = palloc0(Max(nargs, 1) * sizeof(bool));
	va_list		ap;

	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++)
	{
		const char *arg = va_arg(ap, const char *);

		if (arg == NULL)
			nulls[i] = true;
		else
			args[i] = CStringGetTextDatum(arg);
	}
	va_end(ap);
	raise_message(find_message(key), args, nulls, nargs);
}

PG_FUNCTION_INFO_V1(subsidy_raise);
/* subsidy.raise(key, VARIADIC args): raise the message of that key, translated, with its arguments. */
Datum
subsidy_raise(PG_FUNCTION_ARGS)
{
	const KeyedMessage *m;
	Datum	   *args = NULL;
	bool	   *nulls = NULL;
	int			nargs = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	m = find_message(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	if (!PG_ARGISNULL(1))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT, &args, &nulls, &nargs);
	raise_message(m, args, nulls, nargs);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(subsidy_message);
/*
 * subsidy.message(key, VARIADIC args): the primary text of the message of that
 * key, translated and filled, without raising it: a line of a list that an
 * error's detail or a report's column carries (a payment file's problems, what
 * stops a year from opening or closing).
 */
Datum
subsidy_message(PG_FUNCTION_ARGS)
{
	const KeyedMessage *m = find_message(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	Datum	   *args = NULL;
	bool	   *nulls = NULL;
	int			nargs = 0;
	const char *fmt;

	if (!PG_ARGISNULL(1))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT, &args, &nulls, &nargs);
	if (m->plural != NULL)
	{
		unsigned long n = 0;

		if (m->plural_arg < nargs && !nulls[m->plural_arg])
			n = strtoul(TextDatumGetCString(args[m->plural_arg]), NULL, 10);
		fmt = dngettext(TEXTDOMAIN, m->message, m->plural, n);
	}
	else
		fmt = _(m->message);
	PG_RETURN_TEXT_P(cstring_to_text(fill(fmt, args, nulls, nargs)));
}
