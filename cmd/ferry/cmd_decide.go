package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"ferry/internal/plan/decide"
)

// DecideOptions are the flags of the `ferry decide` subcommands.
type DecideOptions struct {
	Map, Fallback, Target, Status, Label, Create, Collapse string
	Provision                                              bool
	Offline                                                bool // owner: do not check against Pipedrive
	Yes                                                    bool // owner --provision: add the user without asking

	in io.Reader // answers to the prompt (tests); nil: the terminal
}

// newDecideCommand builds `ferry decide`, the scriptable way to resolve decisions.
func newDecideCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "decide",
		Short: "Resolve plan decisions from the command line (or edit decisions.yaml)",
		Long: `Decide edits decisions.yaml, the file ferry plan wrote, one decision at a time, so that a
script can resolve what a person would otherwise edit by hand. ferry decide list shows what
is still open; ferry confirm refuses until nothing is.`,
		Example: `  ferry decide list
  ferry decide owner "Emily O'Brien" --map emily@acme.com
  ferry decide owner "Robert Walker" --provision
  ferry decide owner "Old Rep" --fallback admin@acme.com
  ferry decide pipeline Partnerships --collapse "Sales pipeline"
  ferry decide stage Partnerships Opportunity --target "Qualified"
  ferry decide activity DIRECT_MESSAGE/LinkedIn --target task
  ferry decide label "V.I.P." --label VIP
  ferry decide accept-loss "not a valid email"
  ferry decide split per_0epjp1qtffe3d`,
	}
	var opts DecideOptions
	cmd.AddCommand(
		decideSub(g, "list", "List the open decisions", 0, &opts, nil),
		newDecideOwnerCommand(g, &opts),
		decideSub(g, "pipeline KLIPY-PIPELINE", "Create a pipeline (--create NAME) or collapse it (--collapse EXISTING)", 1, &opts, decidePipeline),
		decideSub(g, "stage KLIPY-PIPELINE KLIPY-STAGE", "Map a stage: --target STAGE or --status won|lost", 2, &opts, decideStage),
		decideSub(g, "activity KLIPY-TYPE", "Map an interaction type: --target ACTIVITY-TYPE-KEY", 1, &opts, decideActivity),
		decideSub(g, "label TAG", "Move a tag spelling into a label: --label NAME", 1, &opts, decideLabel),
		newAcceptLossCommand(g),
		newDecideSplitCommand(g),
	)
	return cmd
}

type decideFunc func(d *decide.Decisions, opts *DecideOptions, args []string) error

// decideSub builds one subcommand: read decisions.yaml, apply fn, write it back, list what is open.
func decideSub(g *globalOptions, use, short string, nargs int, opts *DecideOptions, fn decideFunc) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, Args: exactArgs(nargs, strings.Join(strings.Fields(use)[1:], " ")),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := openWorkspaceOnly(g)
			if err != nil {
				return err
			}
			d, err := readDecisions(ws)
			if err != nil {
				return err
			}
			if fn != nil {
				if err := fn(&d, opts, args); err != nil {
					return usageErrorf("%v", err)
				}
				if err := writeDecisions(ws, d); err != nil {
					return err
				}
			}
			open := d.Open()
			g.printf("%d decision(s) open\n", len(open))
			for _, o := range open {
				g.printf("  %s\n", o)
			}
			if fn == nil {
				return listLosses(cmd.Context(), g, d)
			}
			return nil
		}}
	f := cmd.Flags()
	switch strings.Fields(use)[0] {
	case "pipeline":
		f.StringVar(&opts.Create, "create", "", "create the pipeline under this name")
		f.StringVar(&opts.Collapse, "collapse", "", "use this existing Pipedrive pipeline")
	case "stage", "activity":
		f.StringVar(&opts.Target, "target", "", "the Pipedrive stage name or activity type key")
		if strings.HasPrefix(use, "stage") {
			f.StringVar(&opts.Status, "status", "", "won or lost: the stage closes deals instead")
		}
	case "label":
		f.StringVar(&opts.Label, "label", "", "the label this tag spelling belongs to")
	}
	return cmd
}

func decideOwner(d *decide.Decisions, o *DecideOptions, args []string) error {
	i := findOwner(d, args[0])
	if i < 0 {
		return fmt.Errorf("owner %q is not in decisions.yaml; ferry decide list shows the owners", args[0])
	}
	switch {
	case o.Map != "" && !o.Provision && o.Fallback == "":
		d.Owners[i].Resolution, d.Owners[i].Target = decide.OwnerMap, o.Map
	case o.Provision && o.Map == "" && o.Fallback == "":
		d.Owners[i].Resolution, d.Owners[i].Target = decide.OwnerProvision, d.Owners[i].Email
	case o.Fallback != "" && o.Map == "" && !o.Provision:
		d.Owners[i].Resolution, d.Owners[i].Target = decide.OwnerFallback, o.Fallback
	default:
		return fmt.Errorf("owner %q: give exactly one of --map EMAIL, --provision, --fallback EMAIL", args[0])
	}
	return nil
}

func findOwner(d *decide.Decisions, ref string) int {
	key := strings.ToLower(strings.TrimSpace(ref))
	for i, o := range d.Owners {
		name, _, _ := strings.Cut(o.Klipy, " <")
		if strings.ToLower(o.Klipy) == key || strings.ToLower(o.Email) == key || strings.ToLower(name) == key || o.ID == ref {
			return i
		}
	}
	return -1
}

func findPipeline(d *decide.Decisions, name string) (*decide.PipelineMap, error) {
	for i := range d.Pipelines {
		if d.Pipelines[i].Klipy == name {
			return &d.Pipelines[i], nil
		}
	}
	return nil, fmt.Errorf("Klipy pipeline %q is not in decisions.yaml", name)
}

func decidePipeline(d *decide.Decisions, o *DecideOptions, args []string) error {
	p, err := findPipeline(d, args[0])
	if err != nil {
		return err
	}
	switch {
	case o.Create != "" && o.Collapse == "":
		p.Action, p.Target = decide.ActionCreate, o.Create
		for i := range p.Stages {
			if p.Stages[i].Status == "" && p.Stages[i].Target == "" {
				p.Stages[i].Target = p.Stages[i].Klipy
			}
		}
	case o.Collapse != "" && o.Create == "":
		p.Action, p.Target = decide.ActionCollapse, o.Collapse
	default:
		return fmt.Errorf("pipeline %q: give exactly one of --create NAME, --collapse EXISTING", args[0])
	}
	return nil
}

func decideStage(d *decide.Decisions, o *DecideOptions, args []string) error {
	p, err := findPipeline(d, args[0])
	if err != nil {
		return err
	}
	for i := range p.Stages {
		s := &p.Stages[i]
		if s.Klipy != args[1] {
			continue
		}
		switch {
		case o.Target != "" && o.Status == "":
			s.Target, s.Status = o.Target, ""
		case o.Status == "won" || o.Status == "lost":
			s.Target, s.Status = "", o.Status
		default:
			return fmt.Errorf("stage %q: give --target STAGE or --status won|lost", args[1])
		}
		return nil
	}
	return fmt.Errorf("stage %q is not in pipeline %q", args[1], args[0])
}

func decideActivity(d *decide.Decisions, o *DecideOptions, args []string) error {
	if o.Target == "" {
		return fmt.Errorf("activity %q: --target ACTIVITY-TYPE-KEY is required", args[0])
	}
	for i := range d.ActivityTypes {
		if d.ActivityTypes[i].Klipy == args[0] {
			d.ActivityTypes[i].Target = o.Target
			return nil
		}
	}
	return fmt.Errorf("interaction type %q is not in decisions.yaml", args[0])
}

func decideLabel(d *decide.Decisions, o *DecideOptions, args []string) error {
	if o.Label == "" {
		return fmt.Errorf("label %q: --label NAME is required", args[0])
	}
	uses := 0
	for i := range d.Labels {
		g := &d.Labels[i]
		for j, v := range g.Variants {
			if v == args[0] {
				g.Variants = append(g.Variants[:j], g.Variants[j+1:]...)
				uses = 1
				break
			}
		}
	}
	if uses == 0 {
		return fmt.Errorf("tag %q is not in decisions.yaml", args[0])
	}
	for i := range d.Labels {
		if d.Labels[i].Label == o.Label {
			d.Labels[i].Variants = append(d.Labels[i].Variants, args[0])
			return nil
		}
	}
	d.Labels = append(d.Labels, decide.LabelGroup{Label: o.Label, Variants: []string{args[0]}})
	return nil
}
