-- Workers on several hosts share the copies through leases on the ledger's rows (org.imageferry.ledger.Leases):
-- the worker that holds an image's copy and until when; an expired lease is anyone's to take. TRANSFER_WORKER
-- names the worker that moved the image and stays after the copy, for status and the reports. Runs on H2 and
-- PostgreSQL alike.
ALTER TABLE FERRY_IMAGE ADD COLUMN IF NOT EXISTS LEASE_OWNER VARCHAR(100);

ALTER TABLE FERRY_IMAGE ADD COLUMN IF NOT EXISTS LEASE_UNTIL TIMESTAMP WITH TIME ZONE;

ALTER TABLE FERRY_IMAGE ADD COLUMN IF NOT EXISTS TRANSFER_WORKER VARCHAR(100);
