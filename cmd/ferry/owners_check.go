package main

import (
	"context"
	"fmt"
	"strings"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
)

// activeUsers reads the company's active users (GET /v1/users, 20 tokens).
func activeUsers(ctx context.Context, c *pipedrive.Client) ([]decide.User, error) {
	users, err := c.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("read Pipedrive users: %w", err)
	}
	var out []decide.User
	for _, u := range users {
		if u.Active {
			out = append(out, decide.User{Name: u.Name, Email: u.Email})
		}
	}
	return out, nil
}

// checkOwnerUsers checks every owner decision against Pipedrive's active users; each
// decision whose user does not exist blocks (exit 4), named with a "did you mean" when a
// user is close.
func checkOwnerUsers(ctx context.Context, c *pipedrive.Client, d decide.Decisions) error {
	active, err := activeUsers(ctx, c)
	if err != nil {
		return err
	}
	return ownerProblemsError(d.CheckOwners(active))
}

// ownerProblemsError lists problems as one blocking error, nil when there are none.
func ownerProblemsError(problems []decide.OwnerProblem) error {
	if len(problems) == 0 {
		return nil
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
		if p.Provision() {
			lines[i] += " — an admin adds them in Pipedrive (or ferry decide owner … --provision with an admin token)"
		}
	}
	return fmt.Errorf("%w: %d owner decision(s) name no active Pipedrive user; their records would have no owner:\n  %s\nfix them with ferry decide owner (or in decisions.yaml)",
		errBlocked, len(problems), strings.Join(lines, "\n  "))
}
