-- largest-first export starts ("this run's ready images, largest first") read this index sorted and stop after
-- the few rows a wave wants, as the questions by state and id read FERRY_IMAGE_BY_STATE
CREATE INDEX IF NOT EXISTS FERRY_IMAGE_BY_STATE_SIZE ON FERRY_IMAGE (STATE, SOURCE_SIZE DESC, ID);
