-- Index experiment of docs/benchmarks.md (b), on the benchmark database after
--   .venv/bin/python benchmarks/dossier_reads.py --sizes 1000000   (agency 12 = the officer's district, user 5001 = the officer, 5002 = the monitor)
-- Run: psql -h 127.0.0.1 -U postgres dcv_bench -f benchmarks/dossier_list_indexes.sql   (creates and drops its two indexes)
\timing on
VACUUM (ANALYZE) dossiers_dossier;
\echo === A. page, status=new, rule as the ORM writes it (IN subquery)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE (d.owner_id = 5001 OR ((d.agency_id IN (12) OR d.id IN (SELECT dossier_id FROM workflows_processrun WHERE agency_id IN (12)) OR d.id IN (SELECT r.dossier_id FROM workflows_workitem w JOIN workflows_processrun r ON r.id = w.run_id WHERE w.agency_id IN (12)) OR d.id IN (SELECT r.dossier_id FROM workflows_consultation c JOIN workflows_processrun r ON r.id = c.run_id WHERE c.agency_id IN (12))) AND d.status <> 'draft')) AND d.status IN ('new') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
\echo === B. page, status=result_returned, ANY(ARRAY()) rewrite
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE (d.owner_id = 5001 OR ((d.agency_id IN (12) OR d.id = ANY(ARRAY(SELECT dossier_id FROM workflows_processrun WHERE agency_id IN (12))) OR d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_workitem w JOIN workflows_processrun r ON r.id = w.run_id WHERE w.agency_id IN (12))) OR d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_consultation c JOIN workflows_processrun r ON r.id = c.run_id WHERE c.agency_id IN (12)))) AND d.status <> 'draft')) AND d.status IN ('result_returned') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
\echo === C. count, status=result_returned, ANY rewrite
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM dossiers_dossier d WHERE (d.owner_id = 5001 OR ((d.agency_id IN (12) OR d.id = ANY(ARRAY(SELECT dossier_id FROM workflows_processrun WHERE agency_id IN (12)))) AND d.status <> 'draft')) AND d.status IN ('result_returned');
\echo === D. monitor page, status=processing
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE (d.owner_id = 5002 OR d.status <> 'draft') AND d.status IN ('processing') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
CREATE INDEX bench_dossier_agency_status_created ON dossiers_dossier (agency_id, status, created_at DESC, id DESC);
CREATE INDEX bench_dossier_status_created ON dossiers_dossier (status, created_at DESC, id DESC);
ANALYZE dossiers_dossier;
\echo === B2. same as B with (agency_id, status, created_at DESC, id DESC)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE (d.owner_id = 5001 OR ((d.agency_id IN (12) OR d.id = ANY(ARRAY(SELECT dossier_id FROM workflows_processrun WHERE agency_id IN (12))) OR d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_workitem w JOIN workflows_processrun r ON r.id = w.run_id WHERE w.agency_id IN (12))) OR d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_consultation c JOIN workflows_processrun r ON r.id = c.run_id WHERE c.agency_id IN (12)))) AND d.status <> 'draft')) AND d.status IN ('result_returned') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
\echo === B3. agency rule only (HEAD rule) with the new index
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE d.agency_id IN (12) AND d.status IN ('result_returned') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
\echo === D2. monitor page with (status, created_at DESC, id DESC)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT d.id FROM dossiers_dossier d WHERE (d.owner_id = 5002 OR d.status <> 'draft') AND d.status IN ('processing') ORDER BY d.created_at DESC, d.id DESC LIMIT 20;
\echo === C2. count with index
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM dossiers_dossier d WHERE d.agency_id IN (12) AND d.status IN ('result_returned');
DROP INDEX bench_dossier_agency_status_created;
DROP INDEX bench_dossier_status_created;
