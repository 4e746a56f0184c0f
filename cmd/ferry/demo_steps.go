package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"ferry/internal/extract"
	"ferry/internal/gen"
	klipysandbox "ferry/internal/klipy/sandbox"
	"ferry/internal/migrate"
	pdsandbox "ferry/internal/pipedrive/sandbox"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// demo is the state one `ferry demo` run carries from step to step.
type demo struct {
	g                 *globalOptions
	opts              DemoOptions
	dialect           gen.Dialect // the harvest's surface; any but ferry is an export alone
	harvestDir, wsDir string

	data     *gen.Dataset
	key      gen.Key
	ws       *workspace.Workspace
	st       store.Store
	env      workspace.Env
	channels []extract.Channel
	report   extract.Report
	problems []string
	closers  []func()

	adminEmail string // the Pipedrive sandbox admin: the demo's fallback owner
	pd         *pdsandbox.Server
	kl         *klipysandbox.Server
	run1       migrate.Report
	estimated  int64 // tokens ferry estimate predicted for the run
}

// demoStep is one titled step of the demo.
type demoStep struct {
	title string
	run   func(context.Context) error
}

// steps lists the demo's steps in journey order. An export in another dialect goes alone,
// as a user brings it: without the Klipy API there are no webhooks to capture and no delta.
func (d *demo) steps() []demoStep {
	all := []demoStep{
		{"generate a messy Klipy workspace", d.generate},
		{"start local Klipy and Pipedrive sandboxes", d.startSandboxes},
		{"create a ferry workspace", d.init},
		{"capture Klipy's deal webhooks (ferry listen)", d.capture},
		{"probe: what each platform offers", d.probe},
		{"extract: harvest folder + Klipy API + captured events into the snapshot", d.extract},
		{"check the snapshot against the answer key", d.check},
		{"plan: profile, mapping.yaml, dedupe, decisions", d.plan},
		{"decide: resolve the owner queue", d.decide},
		{"lint mapping.yaml and confirm the plan", d.lintAndConfirm},
		{"estimate: tokens, days of budget, wall time, complexity", d.estimateRun},
		{"run: migrate into the Pipedrive sandbox", d.run},
		{"check the Pipedrive sandbox, independently of ferry's id map", d.checkSandbox},
		{"run again: exactly once, nothing is sent twice", d.rerun},
		{"verify: read everything back and compare field by field", d.verifyAll},
		{"delta: carry over what changed in Klipy during the cutover", d.delta},
		{"report: the deliverables for the admin", d.writeReport},
		{"rollback: undo the migration and prove it", d.rollback},
	}
	if !d.exportOnly() {
		return all
	}
	var steps []demoStep
	for _, s := range all {
		switch {
		case strings.HasPrefix(s.title, "capture"), strings.HasPrefix(s.title, "delta"):
			continue
		case strings.HasPrefix(s.title, "extract"):
			s.title = "extract: the " + string(d.dialect) + " export alone into the snapshot"
		case strings.HasPrefix(s.title, "start local"):
			s.title = "start a local Pipedrive sandbox"
		}
		steps = append(steps, s)
	}
	return steps
}

// exportOnly reports whether the demo runs on a harvest export alone (any dialect but ferry).
func (d *demo) exportOnly() bool { return d.dialect != "" && d.dialect != gen.DialectFerry }

func (d *demo) close() {
	for i := len(d.closers) - 1; i >= 0; i-- {
		d.closers[i]()
	}
}

// failure reports the problems the checks found, if any.
func (d *demo) failure() error {
	if len(d.problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d check(s) failed", errMismatch, len(d.problems))
}

func (d *demo) generate(context.Context) error {
	d.data = gen.New(gen.Config{People: d.opts.People, Seed: d.opts.Seed})
	key, err := d.data.WriteHarvestDialect(d.harvestDir, d.dialect)
	if err != nil {
		return err
	}
	d.key = key
	d.g.printf("%d person records (%d distinct people, %d duplicate records), %d companies (%d organizations),\n",
		key.Records[source.Person], key.Distinct.People, key.Distinct.DuplicatePersonRecords,
		key.Records[source.Company], key.Distinct.Organizations)
	d.g.printf("%d deals, %d interactions, %d notes, %d tasks, %d attachments, %d deliberately broken rows\n",
		key.Records[source.Deal], key.Records[source.Interaction], key.Records[source.Note],
		key.Records[source.Task], key.Records[source.Attachment], len(key.BrokenRows))
	d.g.printf("harvest folder: %s (dialect %s)\n", d.harvestDir, d.dialect)
	return nil
}

func (d *demo) init(context.Context) error {
	ws, err := workspace.Init(d.wsDir, d.harvestDir)
	if err != nil {
		return err
	}
	if err := setDemoSeats(ws); err != nil {
		return err
	}
	d.ws = ws
	g := *d.g
	g.Workspace = d.wsDir
	_, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	d.st = st
	d.closers = append(d.closers, func() { st.Close() })
	d.g.printf("workspace: %s (ferry.yaml, .ferry/state.db)\n", ws.Dir)
	return nil
}

func (d *demo) extract(ctx context.Context) error {
	rep, chs, err := extractWorkspace(ctx, d.ws, d.st, d.env, ExtractOptions{klipyRate: -1})
	if err != nil {
		return err
	}
	d.report, d.channels = rep, chs
	if err := printExtract(d.g, rep, chs); err != nil {
		return err
	}
	return d.extractOutcome(ctx)
}

// extractOutcome checks ferry extract's outcome against the answer key: the generated
// harvest holds deliberately broken rows, so extract's exit 6 (incomplete) is expected, with
// exactly the key's broken rows quarantined and no file unreadable.
func (d *demo) extractOutcome(ctx context.Context) error {
	err := extractOutcome(ctx, d.g, d.ws, d.st, d.channels)
	if err != nil && !errors.Is(err, errIncomplete) {
		return err
	}
	items, qerr := d.st.QuarantineItems(ctx, "")
	if qerr != nil {
		return qerr
	}
	want := 0
	for _, b := range d.key.BrokenRows {
		if b.Stage == gen.StageHarvest {
			want++
		}
	}
	d.g.printf("ferry extract exits %d: %d row(s) quarantined; the answer key has %d deliberately broken row(s) extract must set aside\n",
		exitCode(err), len(items), want)
	if h := harvestChannel(d.channels); h != nil && len(h.Unreadable()) > 0 {
		d.problems = append(d.problems, fmt.Sprintf("extract could not read %v; every generated file is readable", h.Unreadable()))
		return errors.New(d.problems[len(d.problems)-1])
	}
	if len(items) != want || (want > 0) != (exitCode(err) == exitIncomplete) {
		d.problems = append(d.problems, fmt.Sprintf("extract quarantined %d row(s) and exits %d, want %d row(s) and exit %d",
			len(items), exitCode(err), want, map[bool]int{true: exitIncomplete, false: exitOK}[want > 0]))
		return errors.New(d.problems[len(d.problems)-1])
	}
	d.g.printf("that is the expected outcome: the snapshot holds every other record and the journey goes on\n")
	return nil
}

// check compares the snapshot with the answer key, kind by kind.
func (d *demo) check(ctx context.Context) error {
	used := map[source.Channel]bool{}
	for _, ch := range d.channels {
		used[ch.Name()] = true
	}
	quarantine, err := d.st.QuarantineItems(ctx, "")
	if err != nil {
		return err
	}
	gotQ := map[string]int{}
	for _, q := range quarantine {
		gotQ[q.File]++
	}
	wantQ := map[string]int{}
	for _, b := range d.key.BrokenRows {
		if b.Stage == "harvest" {
			wantQ[b.File]++
		}
	}
	tw := tabwriter.NewWriter(d.g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "object\texpected\tin snapshot\tquarantined\texpected\tresult\t")
	for _, k := range source.Kinds {
		want := d.expectedRecords(k, used)
		got, err := d.st.CountRecords(ctx, k)
		if err != nil {
			return err
		}
		file := d.key.HarvestFileOf(k)
		result := "ok"
		if got != want || gotQ[file] != wantQ[file] {
			result = "MISMATCH"
			d.problems = append(d.problems, fmt.Sprintf("%s: %d records (want %d), %d quarantined (want %d)",
				k, got, want, gotQ[file], wantQ[file]))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t\n", k, want, got, gotQ[file], wantQ[file], result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.problems) > 0 {
		return errors.New(d.problems[0])
	}
	d.g.printf("every record of the answer key is in the snapshot once; every broken row is quarantined\n")
	return nil
}

// expectedRecords is what the snapshot must hold for kind given the channels used: every
// Klipy record some used channel offers, less attachments the harvest must refuse.
func (d *demo) expectedRecords(k source.Kind, used map[source.Channel]bool) int {
	if k == source.Deal {
		n := 0
		if used[source.Harvest] {
			n += d.key.Distinct.HarvestDeals
		}
		if used[source.Webhook] && d.key.LiveDealEvents > 0 && d.eventsCaptured() {
			n += d.key.Distinct.LiveDeals
		}
		return n
	}
	offered := false
	for ch := range d.key.Channels[k] {
		offered = offered || used[ch]
	}
	if !offered {
		return 0
	}
	n := d.key.Records[k]
	if k == source.Attachment {
		for _, p := range d.key.Attachments.NotUploadable {
			if p.Reason == "escapes_folder" || p.Reason == "missing_file" {
				n--
			}
		}
	}
	return n
}

// storeEvent is the store's event type, named for the demo's callbacks.
type storeEvent = store.Event

// eventsCaptured says whether the demo delivered webhook events to the workspace.
func (d *demo) eventsCaptured() bool {
	n := 0
	d.st.EachEvent(context.Background(), func(store.Event) error { n++; return nil })
	return n > 0
}
