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
 */
#include "subsidy.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "storage/proc.h"
#include "utils/snapmgr.h"

#if PG_VERSION_NUM >= 170000
#define MyLocalTransactionId() (MyProc->vxid.lxid)
#else
#define MyLocalTransactionId() (MyProc->lxid)
#endif

/* Bumped whenever a (sub)transaction ends in a way a snapshot does not show. */
static uint64 stamp_generation = 1;

/* What other transactions' completions a snapshot reflects. */
static uint64
snapshot_completions(Snapshot snap)
{
#if PG_VERSION_NUM >= 140000
	/* Restored snapshots (parallel workers) carry no count: hash them instead. */
	if (snap->snapXactCompletionCount != 0)
		return snap->snapXactCompletionCount;
#endif
	{
		uint64		h = hash_bytes_uint32_extended(snap->xmin, snap->xmax);

		h = hash_combine64(h, hash_bytes_extended((const unsigned char *) snap->xip,
												  snap->xcnt * sizeof(TransactionId), 0));
		h = hash_combine64(h, hash_bytes_extended((const unsigned char *) snap->subxip,
												  snap->subxcnt * sizeof(TransactionId),
												  snap->suboverflowed));
		return h;
	}
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
	stamp->completions = snapshot_completions(snap);
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
		stamp->completions == snapshot_completions(snap);
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
