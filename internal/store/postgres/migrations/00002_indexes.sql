-- +goose Up
-- 0002: secondary indexes for the walks that filter by something other than the key.

-- EachMapping and CountMappings by state: "every in_flight row" after a crash.
CREATE INDEX id_map_state ON id_map (state, kind, source_id);

-- EachJournal of one run, forward or reversed.
CREATE INDEX journal_run ON journal (run_id, seq);

-- QuarantineItems and ClearQuarantine by kind and file.
CREATE INDEX quarantine_kind_file ON quarantine (kind, file);

-- +goose Down
DROP INDEX quarantine_kind_file;
DROP INDEX journal_run;
DROP INDEX id_map_state;
