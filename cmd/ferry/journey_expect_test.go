package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// expectedExport is a hand-made folder's expected.json (see the README beside the folders):
// what the Pipedrive sandbox must hold after the journey.
type expectedExport struct {
	About        string                      `json:"about"`
	Counts       map[string]expectedCount    `json:"counts"`
	Deals        map[string]expectedDeal     `json:"deals"`
	Activities   map[string]expectedActivity `json:"activities"`
	Pipelines    map[string][]string         `json:"pipelines"`
	Labels       []string                    `json:"labels"`
	Owners       map[string]string           `json:"owners"` // email → mapped | queue
	CustomFields map[string]string           `json:"custom_fields"`
	Refused      map[string]string           `json:"refused"`
	Duplicates   [][]string                  `json:"duplicates"`

	// ExitCodes and Mentions are optional (the cases in testdata/exports use them): the
	// exit codes allowed per step (steps not named must exit 0, or 0 or 6 when something is
	// to be refused) and strings a step's output must contain.
	ExitCodes map[string][]int    `json:"exit_codes"`
	Mentions  map[string][]string `json:"mentions"`
	// Names is optional too: person email to the full name Pipedrive must show (accents
	// intact, nothing garbled).
	Names map[string]string `json:"names"`
}

// expectedCount is one object's expected Pipedrive count and the counts also accepted.
type expectedCount struct {
	Count      int    `json:"count"`
	Acceptable []int  `json:"acceptable"`
	Why        string `json:"why"`
}

// expectedDeal is one source deal's expected links and state. A nil pointer is JSON null:
// for OrgName, "no organization"; for CloseDate, "still open". Value and Currency are
// optional (the cases in testdata/exports use them): absent is not checked.
type expectedDeal struct {
	PersonEmail string   `json:"person_email"`
	OrgName     *string  `json:"org_name"`
	Status      string   `json:"status"`
	CloseDate   *string  `json:"close_date"`
	Pipeline    string   `json:"pipeline"`
	Stage       string   `json:"stage"`
	Value       *float64 `json:"value"`
	Currency    *string  `json:"currency"`
}

// expectedActivity is one interaction's or task's expected activity. Due is
// "YYYY-MM-DD HH:MM" in UTC, or "YYYY-MM-DD" for a date without a time.
type expectedActivity struct {
	Type             string `json:"type"`
	ParticipantEmail string `json:"participant_email"`
	Due              string `json:"due"`
}

// readExpected reads dir/expected.json.
func readExpected(t *testing.T, dir string) expectedExport {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e expectedExport
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("%s/expected.json: %v", dir, err)
	}
	return e
}

// countKinds are expected.json's count keys in the order the report lists them.
var countKinds = []string{"persons", "organizations", "deals", "activities", "notes", "files"}
