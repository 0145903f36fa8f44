-- The transport of the copy step's requests to the workers (org.imageferry.worker.CopyChannels): Spring Integration's
-- JdbcChannelMessageStore in the shared database. Its table and sequence as Spring Integration ships them for H2
-- (spring-integration-jdbc, org/springframework/integration/jdbc/schema-h2.sql): only the channel message store's
-- part, which is all image-ferry uses. One script per database (db/vendor/<vendor>): their types and the sequence's
-- use differ; Flyway runs the one of the database in use (spring.flyway.locations). Idempotent (IF NOT EXISTS), as
-- every migration here: a data directory made before Flyway is baselined below V1 and runs them all.
CREATE SEQUENCE IF NOT EXISTS INT_MESSAGE_SEQ START WITH 1 INCREMENT BY 1;

CREATE TABLE IF NOT EXISTS INT_CHANNEL_MESSAGE (
	MESSAGE_ID CHAR(36) NOT NULL,
	GROUP_KEY CHAR(36) NOT NULL,
	CREATED_DATE BIGINT NOT NULL,
	MESSAGE_PRIORITY BIGINT,
	MESSAGE_SEQUENCE BIGINT NOT NULL ,
	MESSAGE_CONTENT LONGVARBINARY,
	REGION VARCHAR(100) NOT NULL,
	constraint INT_CHANNEL_MESSAGE_PK primary key (REGION, GROUP_KEY, CREATED_DATE, MESSAGE_SEQUENCE)
);

CREATE INDEX IF NOT EXISTS INT_CHANNEL_MSG_DELETE_IDX ON INT_CHANNEL_MESSAGE (REGION, GROUP_KEY, MESSAGE_ID);
