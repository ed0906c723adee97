-- ANALYZE skips the JSON documents that Tutti stores and never filters on: a delivery job's
-- payload and errors, and a message's content. The planner has no use for their statistics
-- (no query compares these columns; lookups go through keys and indexed columns), and
-- gathering them was the dearest part of each autoanalyze: it sorts thousands of sampled
-- documents with jsonb's comparison. queue_jobs churns and is analyzed after every 5 % of
-- change (0004), messages after every 10 %; during ops/bench-deliveries autoanalyze took
-- about a tenth of PostgreSQL's CPU, a third of that in jsonb_cmp (perf).
ALTER TABLE queue_jobs
    ALTER COLUMN payload SET STATISTICS 0,
    ALTER COLUMN errors SET STATISTICS 0;
ALTER TABLE messages
    ALTER COLUMN content SET STATISTICS 0;
