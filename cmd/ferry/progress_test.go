package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		var errb bytes.Buffer
		p := newProgress(&globalOptions{JSON: asJSON, stderr: &errb}, "extract")
		p.every = 0
		p.update("stage harvest", 10)
		p.every = time.Hour
		p.update("stage harvest", 20) // within the interval: silent
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if len(lines) != 1 {
			t.Fatalf("json=%v: %d lines %q, want exactly 1", asJSON, len(lines), lines)
		}
		if asJSON {
			var ev map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &ev); err != nil || ev["step"] != "stage harvest" || ev["records"] != 10.0 {
				t.Errorf("json progress %q: %v", lines[0], err)
			}
		} else if !strings.HasPrefix(lines[0], "extract: stage harvest: 10 records") {
			t.Errorf("progress line %q", lines[0])
		}
	}
}
