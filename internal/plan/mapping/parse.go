package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseError lists every problem Parse found, each with its line.
type ParseError struct {
	File     string
	Problems []Problem
}

// Error renders one "file:line:col: message" per problem.
func (e *ParseError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Format(e.File)
	}
	return strings.Join(lines, "\n")
}

// Parse reads mapping.yaml strictly: unknown keys, wrong value types, unknown kinds,
// entities, targets and transforms, transforms that cannot feed their target, enum values
// without an option, missing required targets and duplicate targets are all errors. name
// is the file name the errors carry.
//
// Error contract: the error is a *ParseError listing every problem with its line and
// column; the returned Mapping holds what could be decoded.
func Parse(name string, data []byte) (Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&m)
	if errors.Is(err, io.EOF) {
		return m, &ParseError{File: name, Problems: []Problem{{Line: 1, Message: "empty mapping file: want version, default_region and objects"}}}
	}
	if err != nil {
		return m, &ParseError{File: name, Problems: withColumns(yamlProblems(err), data)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return m, &ParseError{File: name, Problems: []Problem{{Line: extra.Line, Message: "a second YAML document: the mapping is one document"}}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil {
		locate(&m, &root)
	}
	if ps := validate(m); len(ps) > 0 {
		return m, &ParseError{File: name, Problems: ps}
	}
	return m, nil
}

var (
	reYAMLLine  = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`)
	reNotFound  = regexp.MustCompile(`field (.*) not found in type mapping\.(\w+)`)
	allowedKeys = map[string]string{
		"Mapping": "version, default_region, objects, tests",
		"Object":  "source, target, activity_type, skip, fields",
		"Field":   "source, target, custom_field, type, field_code, options, values, transforms, skip",
		"Test":    "name, object, input, expect",
	}
)

// yamlProblems turns a decoding error into problems with lines.
func yamlProblems(err error) []Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	out := make([]Problem, 0, len(msgs))
	for _, msg := range msgs {
		p := Problem{Message: msg}
		if s := reYAMLLine.FindStringSubmatch(msg); s != nil {
			p.Line, _ = strconv.Atoi(s[1])
			p.Column, _ = strconv.Atoi(s[2])
			p.Message = s[3]
		}
		if s := reNotFound.FindStringSubmatch(p.Message); s != nil {
			p.Message = fmt.Sprintf("unknown key %q in %s (allowed: %s)", s[1], strings.ToLower(s[2]), allowedKeys[s[2]])
		}
		out = append(out, p)
	}
	return out
}

// withColumns finds the column of unknown keys, which the decoder reports by line only.
func withColumns(ps []Problem, data []byte) []Problem {
	lines := strings.Split(string(data), "\n")
	for i, p := range ps {
		s := reUnknownKey.FindStringSubmatch(p.Message)
		if s == nil || p.Column > 0 || p.Line < 1 || p.Line > len(lines) {
			continue
		}
		if c := strings.Index(lines[p.Line-1], s[1]); c >= 0 {
			ps[i].Column = c + 1
		}
	}
	return ps
}

var reUnknownKey = regexp.MustCompile(`^unknown key "(.*)" in`)

// locate records where each object, field and test sits in the file.
func locate(m *Mapping, root *yaml.Node) {
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if objs := value(root, "objects"); objs != nil && objs.Kind == yaml.SequenceNode {
		for i, on := range objs.Content {
			if i >= len(m.Objects) {
				break
			}
			m.Objects[i].pos = pos{on.Line, on.Column}
			locateFields(m.Objects[i].Fields, value(on, "fields"))
		}
	}
	if tests := value(root, "tests"); tests != nil && tests.Kind == yaml.SequenceNode {
		for i, tn := range tests.Content {
			if i < len(m.Tests) {
				m.Tests[i].pos = pos{tn.Line, tn.Column}
			}
		}
	}
}

func locateFields(fs []Field, n *yaml.Node) {
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for i, fn := range n.Content {
		if i < len(fs) {
			fs[i].pos = pos{fn.Line, fn.Column}
		}
	}
}
