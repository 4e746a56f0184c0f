// Command gencosts writes costs_gen.go, the token-cost table of package costs, from the
// x-token-cost extension of Pipedrive's OpenAPI documents (openapi-v1.yaml, openapi-v2.yaml).
//
// Usage (from internal/pipedrive/costs, via go generate):
//
//	go run ./internal/gencosts -spec-dir ../../../../shared/ref/pipedrive -out costs_gen.go
package main

import (
	"flag"
	"fmt"
	"os"

	"ferry/internal/pipedrive/costs/internal/specgen"
)

func main() {
	specDir := flag.String("spec-dir", "", "directory holding openapi-v1.yaml and openapi-v2.yaml (required)")
	out := flag.String("out", "costs_gen.go", "file to write")
	flag.Parse()
	if err := run(*specDir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencosts:", err)
		os.Exit(1)
	}
}

func run(specDir, out string) error {
	if specDir == "" {
		return fmt.Errorf("-spec-dir is required: the directory with openapi-v1.yaml and openapi-v2.yaml")
	}
	if env := os.Getenv("FERRY_PIPEDRIVE_SPEC_DIR"); env != "" {
		specDir = env
	}
	src, err := specgen.Generate(specDir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
