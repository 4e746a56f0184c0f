package mapping

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// testKinds are the kinds the proposal writes example tests for.
var testKinds = []source.Kind{source.Person, source.Company, source.Deal}

// proposeTests writes one example per kind of testKinds: an input row made of the first
// profiled example of every mapped field (fields whose example does not map are left out)
// and the body Apply makes of it with NameResolver. They pin the proposal's behaviour: an
// edit that changes what a row becomes shows up in lint.
func proposeTests(m Mapping, p profile.Profile) []Test {
	var out []Test
	for _, kind := range testKinds {
		po, ok := p.Object(kind)
		if !ok {
			continue
		}
		in := exampleRow(po)
		body, problems := Apply(m, kind, source.Record{Kind: kind, ID: in["id"], Fields: in}, NameResolver{})
		for _, pr := range problems {
			delete(in, fieldOf(kind, pr.Field))
		}
		if len(problems) > 0 {
			body, problems = Apply(m, kind, source.Record{Kind: kind, ID: in["id"], Fields: in}, NameResolver{})
		}
		exp, err := jsonable(body)
		if err != nil || len(problems) > 0 || len(in) == 0 {
			continue
		}
		out = append(out, Test{Name: fmt.Sprintf("example %s (from profiled values)", kind),
			Object: kind, Input: in, Expect: exp.(map[string]any)})
	}
	return out
}

// exampleRow takes the first example of every field.
func exampleRow(o profile.Object) map[string]string {
	in := map[string]string{}
	for _, f := range o.Fields {
		if len(f.Examples) > 0 {
			in[f.Name] = f.Examples[0]
		}
	}
	return in
}

// fieldOf strips the "kind." prefix of a problem's field.
func fieldOf(kind source.Kind, f string) string {
	if len(f) > len(kind)+1 && f[:len(kind)] == string(kind) {
		return f[len(kind)+1:]
	}
	return f
}

// RunTests runs the mapping's tests: each input row goes through Apply with NameResolver
// and must give the expected body exactly (compared as JSON values). Each failure is a
// Problem on the test's line.
func RunTests(m Mapping) []Problem {
	var out []Problem
	for i, t := range m.Tests {
		prob := func(format string, args ...any) {
			out = append(out, Problem{Line: t.pos.line, Column: t.pos.col,
				Field: fmt.Sprintf("tests[%d] %q", i, t.Name), Message: fmt.Sprintf(format, args...)})
		}
		body, problems := Apply(m, t.Object, source.Record{Kind: t.Object, ID: t.Input["id"], Fields: t.Input}, NameResolver{})
		for _, p := range problems {
			prob("%s: %s", p.Field, p.Message)
		}
		got, err := jsonable(body)
		if err != nil {
			prob("body: %v", err)
			continue
		}
		want, err := jsonable(t.Expect)
		if err != nil {
			prob("expect: %v", err)
			continue
		}
		if d := cmp.Diff(want, got); d != "" {
			prob("body differs from expect (-expect +got):\n%s", d)
		}
	}
	return out
}

// jsonable converts a value (a body, or YAML decoded into any) into its JSON form:
// map[string]any, []any, float64, string, bool or nil.
func jsonable(v any) (any, error) {
	v, err := stringKeys(v)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// stringKeys rewrites map[any]any (YAML with non-string keys) as map[string]any, refusing
// keys that are not strings.
func stringKeys(v any) (any, error) {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("key %v is not a string", k)
			}
			m[ks] = e
		}
		return stringKeys(m)
	case map[string]any:
		m := make(map[string]any, len(x))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			e, err := stringKeys(x[k])
			if err != nil {
				return nil, err
			}
			m[k] = e
		}
		return m, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = stringKeys(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}
