
--
-- After the code, on a fresh install: the rows shipped with the extension (the parameter
-- sets, the calendar, the documents, the regions) enter the audit trail as installed, so
-- that verify_audit holds them to it from the start (S4).  An update's own -after script
-- does the same for what it changed.
--
SELECT subsidy.log_baseline();
