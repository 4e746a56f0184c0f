package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"ferry/internal/source"
	"ferry/internal/store"
)

// CrashEnv names the environment variable that turns a store's helper test into the crash
// writer; its value tells the helper which database to open (a file path, a DSN).
const CrashEnv = "FERRY_STORETEST_CRASH_WRITER"

// CrashBatch is how many records the crash writer puts per PutRecords call.
const CrashBatch = 2000

// crashJournal is how many journal entries the crash writer appends after each batch.
const crashJournal = 3

// crashKind is the kind of the crash writer's records.
const crashKind = source.Interaction

// CrashWriter writes numbered batches into st until ctx ends or a write fails, which it
// returns. Each batch is one PutRecords of CrashBatch records carrying their batch number, size
// and index, followed by crashJournal journal entries appended one by one; after each batch it
// prints "committed N" to out. It resumes what an earlier writer left: it finishes the journal
// of the last batch and goes on with the next one. A store holding a partial batch is an error.
func CrashWriter(ctx context.Context, st store.Store, out io.Writer) error {
	n, err := st.CountRecords(ctx, crashKind)
	if err != nil {
		return err
	}
	if n%CrashBatch != 0 {
		return fmt.Errorf("crash writer: store holds %d records, not whole batches of %d", n, CrashBatch)
	}
	run, err := st.StartRun(ctx, "run", "crash writer")
	if err != nil {
		return err
	}
	batches := n / CrashBatch
	if batches > 0 {
		if err := finishJournal(ctx, st, run.ID, batches-1); err != nil {
			return err
		}
	}
	for b := batches; ctx.Err() == nil; b++ {
		if _, err := st.PutRecords(ctx, crashRecords(b)); err != nil {
			return err
		}
		for j := range crashJournal {
			if err := appendCrashEntry(ctx, st, run.ID, b, j); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(out, "committed %d\n", b); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func crashRecords(b int) []source.Record {
	recs := make([]source.Record, CrashBatch)
	for i := range recs {
		recs[i] = source.Record{Kind: crashKind, ID: fmt.Sprintf("b%06d-%05d", b, i), Channel: source.API,
			Fields: crashFields(b, i)}
	}
	return recs
}

// crashFields are the fields of record i of batch b.
func crashFields(b, i int) map[string]string {
	return map[string]string{
		"batch": strconv.Itoa(b), "size": strconv.Itoa(CrashBatch), "i": strconv.Itoa(i),
		"summary": "Call about the renewal of the annual plan, follow-up next week with pricing.",
	}
}

type crashUndo struct {
	Batch int `json:"batch"`
	J     int `json:"j"`
}

func crashSource(b int) string { return fmt.Sprintf("b%06d", b) }

func appendCrashEntry(ctx context.Context, st store.Store, run int64, b, j int) error {
	undo, err := json.Marshal(crashUndo{Batch: b, J: j})
	if err != nil {
		return err
	}
	_, err = st.AppendJournal(ctx, store.JournalEntry{RunID: run, Op: "create", Entity: "activity",
		DestID: strconv.Itoa(b*crashJournal + j), SourceID: crashSource(b), Undo: undo})
	return err
}

// finishJournal appends the journal entries of batch b that an earlier writer did not.
func finishJournal(ctx context.Context, st store.Store, run int64, b int) error {
	have := 0
	err := st.EachJournal(ctx, 0, true, func(e store.JournalEntry) error {
		if e.SourceID == crashSource(b) {
			have++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for j := have; j < crashJournal; j++ {
		if err := appendCrashEntry(ctx, st, run, b, j); err != nil {
			return err
		}
	}
	return nil
}
