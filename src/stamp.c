/*
 * stamp.c: when may a backend-local copy of table data be reused?
 *
 * The policy and calendar caches load small tables once and serve millions of
 * rows from memory.  A copy is good for as long as the data it was read with
 * would read the same: the same top-level transaction, the same command id
 * (our own writes bump it), no other transaction completed since (their
 * commits are what a new snapshot could see), and no subtransaction rolled
 * back (that undoes writes without bumping the command id).  A committed
 * change is therefore seen by the very next statement of every session.
 * (Copied snapshots carry no completion count, so the ids in progress are
 * what tells one snapshot's view from another's.)
 */
#include "subsidy.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "storage/proc.h"
#include "utils/snapmgr.h"

/* Bumped whenever a (sub)transaction ends in a way a snapshot does not show. */
static uint64 stamp_generation = 1;

/*
 * What a snapshot can see of other transactions: xmin, xmax and the ones in
 * progress.  The arrays are compared, not hashed: they are short, and a hash
 * could collide.
 */
static bool
same_visibility(const SnapshotStamp *stamp, Snapshot snap)
{
	return stamp->xmin == snap->xmin && stamp->xmax == snap->xmax &&
		stamp->xcnt == snap->xcnt && stamp->subxcnt == snap->subxcnt &&
		stamp->suboverflowed == snap->suboverflowed &&
		(snap->xcnt == 0 ||
		 memcmp(stamp->xip, snap->xip, snap->xcnt * sizeof(TransactionId)) == 0) &&
		(snap->subxcnt == 0 ||
		 memcmp(stamp->subxip, snap->subxip, snap->subxcnt * sizeof(TransactionId)) == 0);
}

/* Copy n transaction ids into *dst (grown in TopMemoryContext as needed). */
static void
copy_xids(TransactionId **dst, uint32 *capacity, const TransactionId *src, uint32 n)
{
	if (*capacity < n)
	{
		if (*dst)
			pfree(*dst);
		*dst = MemoryContextAlloc(TopMemoryContext, n * sizeof(TransactionId));
		*capacity = n;
	}
	if (n > 0)
		memcpy(*dst, src, n * sizeof(TransactionId));
}

/* Record, in *stamp, what the data read now depends on. */
void
stamp_take(SnapshotStamp *stamp)
{
	Snapshot	snap;

	stamp->valid = false;
	if (!ActiveSnapshotSet())
		return;
	snap = GetActiveSnapshot();
	stamp->generation = stamp_generation;
	stamp->lxid = MyLocalTransactionId();
	stamp->curcid = snap->curcid;
	stamp->xmin = snap->xmin;
	stamp->xmax = snap->xmax;
	stamp->xcnt = snap->xcnt;
	stamp->subxcnt = snap->subxcnt;
	stamp->suboverflowed = snap->suboverflowed;
	copy_xids(&stamp->xip, &stamp->xip_capacity, snap->xip, snap->xcnt);
	copy_xids(&stamp->subxip, &stamp->subxip_capacity, snap->subxip, snap->subxcnt);
	stamp->valid = true;
}

/* Whether data read under *stamp reads the same now. */
bool
stamp_is_current(const SnapshotStamp *stamp)
{
	Snapshot	snap;

	if (!stamp->valid || !ActiveSnapshotSet())
		return false;
	snap = GetActiveSnapshot();
	return stamp->generation == stamp_generation &&
		stamp->lxid == MyLocalTransactionId() &&
		stamp->curcid == snap->curcid &&
		same_visibility(stamp, snap);
}

static void
stamp_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		stamp_generation++;
}

static void
stamp_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT)
		stamp_generation++;
}

/* Called once from _PG_init. */
void
stamp_register_callbacks(void)
{
	RegisterXactCallback(stamp_xact_callback, NULL);
	RegisterSubXactCallback(stamp_subxact_callback, NULL);
}


/* A number that changes whenever a transaction or subtransaction ends. */
uint64
stamp_current_generation(void)
{
	return stamp_generation;
}
