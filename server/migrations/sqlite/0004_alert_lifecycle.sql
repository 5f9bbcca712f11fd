-- The alert a verified report was published as, so that resolving the report withdraws it and an
-- update can make its area coarser than the report's. Deleted with the report: the link never
-- outlives it.
ALTER TABLE reports ADD COLUMN alert_id TEXT;
