-- largest-first export starts ("this run's ready images, largest first") rank the READY images by size. The rank is
-- a column of its own, the image's size while it is READY and NULL otherwise, so its index is written twice per image
-- (the move to READY and the move out of it); an index on (STATE, SOURCE_SIZE) would be rewritten on every change of
-- state, some seven per image. The ledger sets and clears it with the state (Ledger#write).
ALTER TABLE FERRY_IMAGE ADD COLUMN IF NOT EXISTS READY_SIZE BIGINT;

-- a database left mid-run by a release without the column: its READY images get their rank
UPDATE FERRY_IMAGE SET READY_SIZE = COALESCE(SOURCE_SIZE, 0) WHERE STATE = 'READY' AND READY_SIZE IS NULL;

-- read index-sorted from the largest down and stopped at the wave's limit; the question bounds it with
-- READY_SIZE >= 0 (IS NOT NULL is no index condition for H2, which would walk every NULL entry below the last rank)
CREATE INDEX IF NOT EXISTS FERRY_IMAGE_BY_READY_SIZE ON FERRY_IMAGE (READY_SIZE DESC, ID);
