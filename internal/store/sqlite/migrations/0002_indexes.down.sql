-- 0002 down: drop the secondary indexes.
DROP INDEX quarantine_kind_file;
DROP INDEX journal_run;
DROP INDEX id_map_state;
