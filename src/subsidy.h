/*
 * subsidy.h: declarations shared by the C sources of the subsidy extension.
 */
#ifndef SUBSIDY_H
#define SUBSIDY_H

#include "postgres.h"
#include "fmgr.h"

/*
 * Soft input errors (pg_input_is_valid) arrived in PostgreSQL 16; before that
 * an input error is always hard.
 */
#if PG_VERSION_NUM < 160000
#define errsave(context, ...) ereport(ERROR, __VA_ARGS__)
#define SOFT_ERROR_CONTEXT(fcinfo) ((struct Node *) NULL)
#define SOFT_ERROR_OCCURRED(escontext) false
#else
#include "nodes/miscnodes.h"
#define SOFT_ERROR_CONTEXT(fcinfo) ((fcinfo)->context)
#endif

/* normalize.c */
extern char *subsidy_nfkc(const char *str, int len, int *result_len);

#endif							/* SUBSIDY_H */
