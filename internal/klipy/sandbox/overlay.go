package sandbox

import (
	"fmt"

	"ferry/internal/source"
)

// overlay holds the changes made to one kind after start: replaced or added records (served
// in place, or after the generated ones in the order added) and deleted ids.
type overlay struct {
	replaced map[string]source.Record
	deleted  map[string]bool
	added    []string
	isAdded  map[string]bool
	delta    int // change in the record count
}

func newOverlay() *overlay {
	return &overlay{replaced: map[string]source.Record{}, deleted: map[string]bool{}, isAdded: map[string]bool{}}
}

func (o *overlay) empty() bool { return len(o.replaced) == 0 && len(o.deleted) == 0 }

// UpsertPerson replaces the person with r.ID or adds it after the others. Fields use the
// canonical names of source.Standard; r.Kind may be empty.
func (s *Server) UpsertPerson(r source.Record) error { return s.upsert(source.Person, r) }

// UpsertCompany replaces or adds a company.
func (s *Server) UpsertCompany(r source.Record) error { return s.upsert(source.Company, r) }

// UpsertInteraction replaces or adds an interaction.
func (s *Server) UpsertInteraction(r source.Record) error { return s.upsert(source.Interaction, r) }

// DeletePerson removes a person; it reports whether the person existed.
func (s *Server) DeletePerson(id string) (bool, error) { return s.remove(source.Person, id) }

// DeleteCompany removes a company; it reports whether the company existed.
func (s *Server) DeleteCompany(id string) (bool, error) { return s.remove(source.Company, id) }

// DeleteInteraction removes an interaction; it reports whether it existed.
func (s *Server) DeleteInteraction(id string) (bool, error) { return s.remove(source.Interaction, id) }

func (s *Server) upsert(kind source.Kind, r source.Record) error {
	if r.Kind != "" && r.Kind != kind {
		return fmt.Errorf("sandbox: upsert %s: record is a %s", kind, r.Kind)
	}
	if r.ID == "" {
		return fmt.Errorf("sandbox: upsert %s: record has no id", kind)
	}
	r.Kind = kind
	if _, err := s.enc.encode(r); err != nil {
		return fmt.Errorf("sandbox: upsert %s %s: %w", kind, r.ID, err)
	}
	pos, err := s.tables[kind].find(r.ID)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.over[kind]
	switch {
	case o.deleted[r.ID]:
		delete(o.deleted, r.ID)
		o.delta++
	case pos < 0 && !o.isAdded[r.ID]:
		o.added = append(o.added, r.ID)
		o.isAdded[r.ID] = true
		o.delta++
	}
	o.replaced[r.ID] = r
	return nil
}

func (s *Server) remove(kind source.Kind, id string) (bool, error) {
	pos, err := s.tables[kind].find(id)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.over[kind]
	if o.deleted[id] || (pos < 0 && !o.isAdded[id]) {
		return false, nil
	}
	o.deleted[id] = true
	o.delta--
	return true, nil
}

// seqLen is the length of kind's sequence: generated positions, then added ones.
func (s *Server) seqLen(kind source.Kind) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tables[kind].n + len(s.over[kind].added)
}

// objectAt returns the encoded object at position pos of kind's sequence, or nil when it
// was deleted; rd reads the generated positions.
func (s *Server) objectAt(kind source.Kind, pos int, rd *reader) ([]byte, error) {
	t := rd.t
	s.mu.RLock()
	o := s.over[kind]
	if pos >= t.n {
		id := o.added[pos-t.n]
		r, gone := o.replaced[id], o.deleted[id]
		s.mu.RUnlock()
		if gone {
			return nil, nil
		}
		return s.enc.encode(r)
	}
	clean := o.empty()
	s.mu.RUnlock()
	obj, err := rd.at(pos)
	if err != nil || clean {
		return obj, err
	}
	return s.overlaid(kind, obj)
}

// overlaid applies the overlay to a generated object.
func (s *Server) overlaid(kind source.Kind, obj []byte) ([]byte, error) {
	id := objectID(obj)
	s.mu.RLock()
	o := s.over[kind]
	r, changed := o.replaced[id]
	gone := o.deleted[id]
	s.mu.RUnlock()
	switch {
	case gone:
		return nil, nil
	case changed:
		return s.enc.encode(r)
	}
	return obj, nil
}

// lookup returns the encoded object with id, or nil.
func (s *Server) lookup(kind source.Kind, id string) ([]byte, error) {
	s.mu.RLock()
	o := s.over[kind]
	r, changed := o.replaced[id]
	gone := o.deleted[id]
	s.mu.RUnlock()
	switch {
	case gone:
		return nil, nil
	case changed:
		return s.enc.encode(r)
	}
	t := s.tables[kind]
	pos, err := t.find(id)
	if err != nil || pos < 0 {
		return nil, err
	}
	return t.at(pos)
}
