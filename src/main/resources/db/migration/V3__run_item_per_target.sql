-- Several targets per run: a manifest line of a run stands for one image and as many ledger rows (routes) as the
-- profile has targets, so a run item is one per line AND target. TARGET is the target's name from the profile
-- ('' for an invalid line, and for the items of runs recorded before this version: one target each).
--
-- The key (JOB_INSTANCE_ID, LINE) had to grow a column; H2 and PostgreSQL name a primary key differently, so the
-- table is rebuilt under a new name, filled, and renamed, which both run alike.
CREATE TABLE FERRY_RUN_TARGET_ITEM (
	JOB_INSTANCE_ID BIGINT NOT NULL,
	LINE INT NOT NULL,
	TARGET VARCHAR(40) NOT NULL,
	SOURCE_IMAGE_ID VARCHAR(80) NOT NULL,
	IMAGE_ROW_ID BIGINT,
	DISPOSITION VARCHAR(20) NOT NULL,
	PROBLEM VARCHAR(500),
	PRIMARY KEY (JOB_INSTANCE_ID, LINE, TARGET)
);

INSERT INTO FERRY_RUN_TARGET_ITEM (JOB_INSTANCE_ID, LINE, TARGET, SOURCE_IMAGE_ID, IMAGE_ROW_ID, DISPOSITION, PROBLEM)
	SELECT JOB_INSTANCE_ID, LINE, '', SOURCE_IMAGE_ID, IMAGE_ROW_ID, DISPOSITION, PROBLEM FROM FERRY_RUN_ITEM;

DROP TABLE FERRY_RUN_ITEM;

ALTER TABLE FERRY_RUN_TARGET_ITEM RENAME TO FERRY_RUN_ITEM;

CREATE INDEX FERRY_RUN_ITEM_IMAGE ON FERRY_RUN_ITEM (IMAGE_ROW_ID);
