package report

import (
	"bytes"
	"encoding/json"
	"ferry/internal/atomicfile"
	"fmt"
	"os"
	"path/filepath"
)

// File names WriteDir writes besides one <table>.csv per table.
const (
	MarkdownFile = "report.md"
	JSONFile     = "report.json"
)

// JSON renders the whole report as indented JSON.
func JSON(r *Report) ([]byte, error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return append(data, '\n'), nil
}

// outFile is one file of the report directory.
type outFile struct {
	name string
	data []byte
}

// WriteDir writes report.md, report.json and one CSV per table into dir (created when
// missing) and returns the paths written, in that order.
func WriteDir(dir string, r *Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create report directory: %w", err)
	}
	js, err := JSON(r)
	if err != nil {
		return nil, err
	}
	files := []outFile{{MarkdownFile, Markdown(r)}, {JSONFile, js}}
	for _, t := range Tables(r) {
		var b bytes.Buffer
		if err := WriteCSV(&b, t); err != nil {
			return nil, err
		}
		files = append(files, outFile{t.Name + ".csv", b.Bytes()})
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := atomicfile.WriteBytes(p, 0o600, f.data); err != nil {
			return nil, fmt.Errorf("write report: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}
