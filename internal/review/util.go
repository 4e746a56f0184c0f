package review

import (
	"errors"
	"strconv"
)

// errNoPlan is shown on the pages that need ferry plan's files.
var errNoPlan = errors.New("no plan yet: decisions.yaml does not exist; run ferry extract and ferry plan in the workspace")

func orNoPlan(err error) error {
	if err != nil {
		return err
	}
	return errNoPlan
}

func quote(s string) string { return strconv.Quote(s) }
