package sandbox

import (
	"encoding/json"
	"errors"
	"ferry/internal/atomicfile"
	"fmt"
	"io"
	"os"
)

// Save writes the whole state as JSON.
func (s *Server) Save(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := json.NewEncoder(w).Encode(s.st); err != nil {
		return fmt.Errorf("save sandbox state: %w", err)
	}
	return nil
}

// Load replaces the state with one written by Save.
func (s *Server) Load(r io.Reader) error {
	st := newState()
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(st); err != nil {
		return fmt.Errorf("load sandbox state: %w", err)
	}
	for _, c := range collections {
		if st.Records[c] == nil {
			st.Records[c] = map[int64]*record{}
		}
	}
	if len(st.Users) == 0 {
		return errors.New("load sandbox state: no users in state")
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	return nil
}

// SaveFile writes the state to path atomically (temp file + rename).
func (s *Server) SaveFile(path string) error {
	if err := atomicfile.Write(path, 0o644, s.Save); err != nil {
		return fmt.Errorf("save sandbox state: %w", err)
	}
	return nil
}

// LoadFile loads the state from path; a missing file is not an error (nothing to load).
func (s *Server) LoadFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load sandbox state: %w", err)
	}
	defer f.Close()
	return s.Load(f)
}
