package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// declaredExitCodes reads exit.go's source and returns every exit* constant's value with its
// name, so that a code added there without documentation fails TestExitCodesDocumented.
func declaredExitCodes(t *testing.T) map[int]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "exit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !strings.HasPrefix(name.Name, "exit") || !ok || lit.Kind != token.INT {
					continue
				}
				n, err := strconv.Atoi(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				codes[n] = name.Name
			}
		}
	}
	if len(codes) < 10 {
		t.Fatalf("exit.go declares %d exit codes, want at least 10: the parser missed them", len(codes))
	}
	return codes
}

// helpCode is one line of the exit code list in ferry --help: "  6  incomplete: …".
var helpCode = regexp.MustCompile(`(?m)^\s*(\d+)  (\S.*)$`)

// readmeCode is one item of README.md's exit code list: "6 incomplete: …", items separated
// by " · ".
var readmeCode = regexp.MustCompile(`^(\d+) (\S.*)$`)

// TestExitCodesDocumented: ferry --help and README.md's "Exit codes" section list exactly
// the exit codes exit.go declares, each with its meaning; exitCode maps each sentinel to
// its declared code.
func TestExitCodesDocumented(t *testing.T) {
	declared := declaredExitCodes(t)
	want := map[int]bool{}
	for n := range declared {
		want[n] = true
	}
	out, _, code := runFerry(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	_, list, ok := strings.Cut(out, "Exit codes:\n")
	if !ok {
		t.Fatalf("--help has no \"Exit codes:\" section:\n%s", out)
	}
	help := map[int]bool{}
	for _, m := range helpCode.FindAllStringSubmatch(list, -1) {
		n, _ := strconv.Atoi(m[1])
		help[n] = true
	}
	if diff := cmp.Diff(want, help); diff != "" {
		t.Errorf("ferry --help lists other exit codes than exit.go declares (-exit.go +help):\n%s", diff)
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Exit codes\n")
	if !ok {
		t.Fatal("README.md has no \"## Exit codes\" section")
	}
	section, _, _ = strings.Cut(section, "\n#")
	readme := map[int]bool{}
	for _, item := range strings.Split(strings.Join(strings.Fields(section), " "), " · ") {
		m := readmeCode.FindStringSubmatch(strings.TrimSpace(item))
		if m == nil {
			t.Errorf("README.md exit code item %q is not \"CODE meaning\"", item)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		readme[n] = true
	}
	if diff := cmp.Diff(want, readme); diff != "" {
		t.Errorf("README.md lists other exit codes than exit.go declares (-exit.go +README):\n%s", diff)
	}
	sentinels := map[error]int{nil: exitOK, errUsage: exitUsage, errMismatch: exitMismatch, errBlocked: exitBlocked,
		errBudget: exitBudget, errIncomplete: exitIncomplete, errLocked: exitLocked, errUnreachable: exitUnreachable,
		errLogin: exitLogin, errInterrupted: exitInterrupted, os.ErrClosed: exitFailure}
	got := map[int]bool{}
	for err, code := range sentinels {
		if c := exitCode(err); c != code {
			t.Errorf("exitCode(%v) = %d, want %d", err, c, code)
		}
		got[code] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a declared exit code has no sentinel in this test (-exit.go +sentinels):\n%s", diff)
	}
}
