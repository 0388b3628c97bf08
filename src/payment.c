/*
 * payment.c: paying (W7) and reporting the payments (W8).
 *
 * The account a subsidy is paid into is the one the enterprise had when the
 * list was decided, recorded on the application; a change of the enterprise's
 * account after that is logged (trail.c) and stops payment until the agency
 * re-checks it.  A payment is the decided amount to the fen, after clearance,
 * with a reference of its own, once; a payment the bank returns (退票) is
 * recorded and paid again, once, to a corrected account.  The agency reports
 * the payment times to hrss, which reports upward ([J54 二(三)3]).
 */
#include "guard.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

static SPIPlanPtr plan_account = NULL;
static SPIPlanPtr plan_reference = NULL;

/*
 * Whether a region's payments already went under a reference (W7): an
 * application's payment, one the bank returned, or a top-up (A6).  Read with
 * the owner's rights, each branch by its own index; it answers yes or no of the
 * caller's region only (the callers check that).
 */
static bool
payment_reference_used(const char *region, const char *reference)
{
	Datum		args[2];
	Oid			types[2] = {TEXTOID, TEXTOID};

	args[0] = CStringGetTextDatum(region);
	args[1] = CStringGetTextDatum(reference);
	owner_query(&plan_reference,
				"SELECT FROM subsidy.application WHERE region OPERATOR(pg_catalog.=) $1 "
				"AND payment_reference OPERATOR(pg_catalog.=) $2 "
				"UNION ALL SELECT FROM subsidy.application WHERE region OPERATOR(pg_catalog.=) $1 "
				"AND returned_reference OPERATOR(pg_catalog.=) $2 "
				"UNION ALL SELECT FROM subsidy.top_up WHERE region OPERATOR(pg_catalog.=) $1 "
				"AND payment_reference OPERATOR(pg_catalog.=) $2 LIMIT 1",
				2, types, args, NULL, true);
	return SPI_processed > 0;
}

PG_FUNCTION_INFO_V1(payment_reference_used_sql);
/* subsidy.payment_reference_used(region, reference): the same, for top_up's guard; the caller's regions only. */
Datum
payment_reference_used_sql(PG_FUNCTION_ARGS)
{
	char	   *region = text_to_cstring(PG_GETARG_TEXT_PP(0));
	bool		used;

	require_region(region);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	used = payment_reference_used(region, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	SPI_finish();
	PG_RETURN_BOOL(used);
}
static SPIPlanPtr plan_report_batch = NULL;

/*
 * A payment reference as the bank writes it: NFKC (full-width letters and
 * digits to ASCII), capitals, and only ASCII letters, digits and punctuation,
 * so that two ways of writing one reference never count as two payments.
 */
static char *
canonical_reference(const char *ref)
{
	int			len;
	char	   *normal = subsidy_nfkc(ref, strlen(ref), &len);
	StringInfoData buf;

	initStringInfo(&buf);
	if (normal == NULL)
		return buf.data;
	for (int i = 0; i < len; i++)
	{
		unsigned char ch = (unsigned char) normal[i];

		if (ch > 0x20 && ch < 0x7f)
			appendStringInfoChar(&buf, pg_toupper(ch));
	}
	return buf.data;
}

PG_FUNCTION_INFO_V1(payment_reference_canonical);
/* subsidy.payment_reference_canonical(text): the form pay() takes a reference in (W7). */
Datum
payment_reference_canonical(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(canonical_reference(text_to_cstring(PG_GETARG_TEXT_PP(0)))));
}

/* The enterprise's bank and account as they stand. */
static void
enterprise_account(const Row *r, Datum *name, bool *name_null, Datum *account, bool *account_null)
{
	Datum		arg = CStringGetTextDatum(text_of(r, C_USCC));
	Oid			argtype = TEXTOID;

	owner_query(&plan_account,
				"SELECT bank_name, bank_account FROM subsidy.enterprise WHERE uscc OPERATOR(subsidy.=) $1::subsidy.uscc",
				1, &argtype, &arg, NULL, true);
	if (SPI_processed != 1)
	{
		*name_null = *account_null = true;
		return;
	}
	*name = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, name_null);
	*account = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, account_null);
	if (!*name_null)
		*name = PointerGetDatum(DatumGetTextPCopy(*name));
	if (!*account_null)
		*account = PointerGetDatum(DatumGetTextPCopy(*account));
}

static bool
text_datum_eq(Datum a, bool a_null, Datum b, bool b_null)
{
	if (a_null || b_null)
		return a_null == b_null;
	return DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID, a, b));
}

/* Two accounts are one account however each was typed (rows of 1.1 were stored as typed). */
static bool
account_datum_eq(Datum a, bool a_null, Datum b, bool b_null)
{
	char	   *na,
			   *nb;

	if (a_null || b_null)
		return a_null == b_null;
	na = bank_account_normal(VARDATA_ANY(DatumGetTextPP(a)), VARSIZE_ANY_EXHDR(DatumGetTextPP(a)));
	nb = bank_account_normal(VARDATA_ANY(DatumGetTextPP(b)), VARSIZE_ANY_EXHDR(DatumGetTextPP(b)));
	if (na == NULL || nb == NULL)
		return text_datum_eq(a, false, b, false);
	return strcmp(na, nb) == 0;
}

/* W7: the decision records the account an approved application is paid into. */
void
record_payment_account(Changes *ch, const Row *newrow, bool approved)
{
	const GuardState *st = newrow->st;
	Datum		name = (Datum) 0,
				account = (Datum) 0;
	bool		name_null = true,
				account_null = true;

	if (approved)
		enterprise_account(newrow, &name, &name_null, &account, &account_null);
	set_col(ch, st, C_PAYMENT_BANK_NAME, name, name_null);
	set_col(ch, st, C_PAYMENT_BANK_ACCOUNT, account, account_null);
}

/* The agency re-checks the account after the enterprise changed it: the enterprise's current one. */
void
check_account_recheck(Changes *ch, const Row *oldrow, const Row *newrow)
{
	bool		isnull;
	Datum		name,
				account;
	bool		name_null,
				account_null;
	const char *why = N_("A re-check records the enterprise's account as it now stands (W7).");

	require_role(ROLE_BIT(ROLE_AGENCY), N_("permission denied to re-check the account a subsidy is paid into"), "W7");
	refuse_related_payer(text_of(newrow, C_USCC));
	if (DatumGetObjectId(get(oldrow, C_DECISION, &isnull)) != newrow->st->approved_oid)
		refuse_workflow_change(oldrow, C_PAYMENT_BANK_ACCOUNT);
	enterprise_account(newrow, &name, &name_null, &account, &account_null);
	if (account_null || name_null)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("enterprise %s has no bank account on record", text_of(newrow, C_USCC)),
				 errhint("The enterprise's bank and account are recorded in subsidy.enterprise.")));
	set_by_trigger(ch, oldrow, newrow, C_PAYMENT_BANK_NAME, name, false, why);
	set_by_trigger(ch, oldrow, newrow, C_PAYMENT_BANK_ACCOUNT, account, false, why);
}

/* W7: the decided amount to the fen, after clearance, to the recorded account, once. */
void
check_payment(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	bool		isnull;
	Datum		paid_on = get(newrow, C_PAID_ON, &isnull);
	DateADT		cleared_on;
	bool		amount_null;
	Datum		amount = get(newrow, C_PAID_AMOUNT, &amount_null);
	Datum		decided = get(oldrow, C_DECIDED_AMOUNT, &isnull);
	char	   *reference = text_of(newrow, C_PAYMENT_REFERENCE);
	char	   *objection;
	Datum		name,
				account;
	bool		name_null,
				account_null;
	int64		fen;

	refuse_related_payer(text_of(newrow, C_USCC));

	if (is_null(newrow, C_PAID_ON) || reference == NULL || reference[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a payment needs its date and the agency's payment reference"),
				 errhint("Pay with subsidy.pay(application, paid_on, reference).")));
	{
		char	   *canonical = canonical_reference(reference);

		if (strcmp(canonical, reference) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W7),
					 errmsg("payment reference \"%s\" is not written in its canonical form", reference),
					 errdetail("A reference is written in ASCII capitals, digits and punctuation, without spaces, so that two ways of writing one reference never count as two payments (W7)."),
					 canonical[0] ? errhint("Write it as %s.", canonical) :
					 errhint("Copy the reference from the bank's record.")));
	}
	cleared_on = DatumGetDateADT(get(oldrow, C_CLEARED_ON, &isnull));
	if (DatumGetDateADT(paid_on) < cleared_on)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a payment dated %s is before publicity cleared, on %s",
						iso_date(DatumGetDateADT(paid_on)), iso_date(cleared_on)),
				 errdetail("The agency pays after publicity clears without objection (W7).")));
	if (DatumGetDateADT(paid_on) > today)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a payment dated %s is in the future: today is %s",
						iso_date(DatumGetDateADT(paid_on)), iso_date(today)),
				 errdetail("The agency records a payment once it has paid, with the day it paid (W7).")));
	if (!amount_null && !numeric_scaled(amount, 2, &fen))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a payment of %s yuan is not a whole number of fen",
						DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errdetail("Amounts are exact to the fen; a figure with more decimals is refused, never rounded (W7, A4).")));
	if (amount_null)
		set_col(ch, st, C_PAID_AMOUNT, decided, false);
	else if (fen != numeric_scaled_or_error(decided, 2, "decided_amount"))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("application %lld is paid exactly its decided amount, %s, not %s",
						(long long) application_id(newrow), text_of(oldrow, C_DECIDED_AMOUNT),
						DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errdetail("The amount was frozen when the list was decided (W7, A6).")));
	objection = open_objection(newrow);
	if (objection != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("application %lld has an open objection: it is not paid", (long long) application_id(newrow)),
				 errdetail("Objection: %s. An open objection stops clearance and payment (W7).", objection)));

	/* the account recorded at the decision, unless the enterprise's has changed since */
	enterprise_account(newrow, &name, &name_null, &account, &account_null);
	{
		bool		rec_name_null,
					rec_account_null;
		Datum		rec_name = get(oldrow, C_PAYMENT_BANK_NAME, &rec_name_null);
		Datum		rec_account = get(oldrow, C_PAYMENT_BANK_ACCOUNT, &rec_account_null);

		if (rec_account_null)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W7),
					 errmsg("application %lld has no account recorded to pay into", (long long) application_id(newrow)),
					 errhint("The agency records it: subsidy.recheck_bank_account(application).")));
		if (!text_datum_eq(name, name_null, rec_name, rec_name_null) ||
			!account_datum_eq(account, account_null, rec_account, rec_account_null))
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W7),
					 errmsg("the bank account of enterprise %s changed after application %lld was decided",
							text_of(newrow, C_USCC), (long long) application_id(newrow)),
					 account_null ?
					 errdetail("A subsidy is paid into the account recorded at the decision (%s); the enterprise now has none on record, and the change is in the trail (W7).",
							   text_of(oldrow, C_PAYMENT_BANK_ACCOUNT)) :
					 errdetail("A subsidy is paid into the account recorded at the decision (%s); the enterprise's is now %s, and the change is in the trail (W7).",
							   text_of(oldrow, C_PAYMENT_BANK_ACCOUNT), TextDatumGetCString(account)),
					 errhint("The agency checks the new account with the enterprise, then records it: subsidy.recheck_bank_account(application).")));
		if (!is_null(oldrow, C_RETURNED_ON) &&
			account_datum_eq(rec_account, false, get(oldrow, C_RETURNED_BANK_ACCOUNT, &isnull), isnull))
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W7),
					 errmsg("application %lld's payment was returned from account %s: it is paid again to a corrected account",
							(long long) application_id(newrow), text_of(oldrow, C_RETURNED_BANK_ACCOUNT)),
					 errdetail("The bank returned it on %s: %s (W7).", text_of(oldrow, C_RETURNED_ON),
							   text_of(oldrow, C_RETURN_REASON)),
					 errhint("Record the enterprise's corrected account in subsidy.enterprise, then subsidy.recheck_bank_account(application).")));
	}

	/*
	 * References are unique within a region (the region's agency pays from its
	 * fund's account), a returned payment's and a top-up's included; the unique
	 * indexes hold each table, the region's chain lock (which every payer takes)
	 * the two together, and this says it to the clerk, naming nothing the clerk
	 * could not see.
	 */
	if (payment_reference_used(text_of(newrow, C_REGION), reference))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("payment reference %s is already used in region %s", reference,
						text_of(newrow, C_REGION)),
				 errdetail("Each payment carries its own reference, a payment made again after a return too, so that no payment is recorded twice (W7)."),
				 errhint("Copy the reference from this payment's own record at the bank.")));
}

/* W7: a payment the bank returned (退票) is recorded once; the application waits to be paid again. */
void
check_return(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	bool		isnull;
	Datum		returned_on = get(newrow, C_RETURNED_ON, &isnull);
	char	   *reason = text_of(newrow, C_RETURN_REASON);
	const char *why = N_("A returned payment keeps the reference and account it went to (W7).");

	refuse_related_payer(text_of(newrow, C_USCC));

	if (!is_null(oldrow, C_RETURNED_ON))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("application %lld was paid again after a returned payment: it is not returned a second time",
						(long long) application_id(oldrow)),
				 errdetail("Its first payment, %s, came back on %s; a returned payment is paid again once, to a corrected account (W7).",
						   text_of(oldrow, C_RETURNED_REFERENCE), text_of(oldrow, C_RETURNED_ON)),
				 errhint("Settle the second return with the bank and the province outside the workflow.")));
	if (isnull || reason == NULL || !text_says_something(reason, strlen(reason)))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a returned payment is recorded with the day it came back and the bank's reason"),
				 errdetail("Blanks, however typed, are no reason."),
				 errhint("Record it with subsidy.return_payment(application, returned_on, reason).")));
	if (DatumGetDateADT(returned_on) > today ||
		DatumGetDateADT(returned_on) < DatumGetDateADT(get(oldrow, C_PAID_ON, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("a payment made on %s cannot have come back on %s", text_of(oldrow, C_PAID_ON),
						iso_date(DatumGetDateADT(returned_on))),
				 errdetail("It comes back on or after the day it was paid, and no later than today, %s.", iso_date(today))));
	set_by_trigger(ch, oldrow, newrow, C_RETURNED_REFERENCE, get(oldrow, C_PAYMENT_REFERENCE, &isnull), false, why);
	set_by_trigger(ch, oldrow, newrow, C_RETURNED_BANK_ACCOUNT, get(oldrow, C_PAYMENT_BANK_ACCOUNT, &isnull), isnull, why);
	set_col(ch, st, C_PAID_ON, (Datum) 0, true);
	set_col(ch, st, C_PAYMENT_REFERENCE, (Datum) 0, true);
	set_col(ch, st, C_PAID_AMOUNT, (Datum) 0, true);
	set_col(ch, st, C_PAYMENT_TIMES_REPORTED_ON, (Datum) 0, true);
}

/* W8: the agency reports a payment's time to hrss, once. */
void
check_payment_times_report(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	require_role(ROLE_BIT(ROLE_AGENCY), N_("permission denied to report payment times"), "W8");
	if (!is_null(oldrow, C_PAYMENT_TIMES_REPORTED_ON))
		refuse_workflow_change(oldrow, C_PAYMENT_TIMES_REPORTED_ON);
	set_by_trigger(ch, oldrow, newrow, C_PAYMENT_TIMES_REPORTED_ON, DateADTGetDatum(today), false,
				   "The payment time is reported to hrss on the day the agency reports it (W8).");
}

/* W8: hrss reports upward, in a batch of the region and year, once the agency reported the payment time. */
void
check_report_upward(const Row *oldrow, const Row *newrow)
{
	Datum		args[1];
	Oid			argtypes[1] = {INT8OID};
	bool		isnull;

	if (is_null(oldrow, C_PAYMENT_TIMES_REPORTED_ON))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W8),
				 errmsg("the agency has not reported the payment time of application %lld to hrss",
						(long long) application_id(oldrow)),
				 errdetail("The agency reports the payment times to hrss, which then reports upward ([J54 二(三)3], W8)."),
				 errhint("The agency reports them: subsidy.report_payment_times(region, year).")));
	args[0] = get(newrow, C_REPORT_BATCH_ID, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W8),
				 errmsg("a report upward names the batch it went in"),
				 errhint("Report with subsidy.report_upward(region, year, reference).")));
	owner_query(&plan_report_batch,
				"SELECT region, year FROM subsidy.report_batch WHERE id OPERATOR(pg_catalog.=) $1",
				1, argtypes, args, NULL, true);
	if (SPI_processed != 1 ||
		strcmp(TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
			   text_of(newrow, C_REGION)) != 0 ||
		DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)) !=
		DatumGetInt32(get(newrow, C_YEAR, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W8),
				 errmsg("report batch %lld is not a batch of this application's region and year",
						(long long) DatumGetInt64(args[0]))));
}
