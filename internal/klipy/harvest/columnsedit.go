package harvest

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ExtendColumns adds to the columns.yaml text data the files and columns of proposed that it
// does not list yet (a new harvest file, a column added to an export) and returns the new
// text and how many files gained something. It edits the YAML tree, not the text: every
// entry already there, edited or not, and every comment the user wrote stay as they are
// (yaml.v3 may re-indent them); a new entry carries ferry's confidence/why/samples comment.
// data must parse (ParseColumns without errors); added == 0 returns data unchanged.
func ExtendColumns(data []byte, proposed []FileColumns) (out []byte, added int, err error) {
	m, _ := ParseColumns(data)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", ColumnsFile, err)
	}
	if len(root.Content) == 0 { // empty, or only comments: propose it whole
		if len(proposed) == 0 {
			return data, 0, nil
		}
		return FormatColumns(&ColumnMap{Files: proposed}), len(proposed), nil
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return nil, 0, fmt.Errorf("%s: not a mapping with version and files; remove it to have it proposed again", ColumnsFile)
	}
	files := blockSeq(root.Content[0], "files")
	for _, p := range proposed {
		cur := m.File(p.File)
		if cur == nil {
			node, err := proposedNodes(FileColumns{File: p.File, Kind: p.Kind, Columns: p.Columns})
			if err != nil {
				return nil, 0, err
			}
			files.Content = append(files.Content, node)
			m.Files = append(m.Files, p)
			added++
			continue
		}
		var fresh []Column
		for i, c := range p.Columns {
			if findColumn(cur.Columns, c.Header, occurrence(p.Columns, i)) < 0 {
				fresh = append(fresh, c)
			}
		}
		fileNode := findFileNode(files, p.File)
		if len(fresh) == 0 || fileNode == nil {
			continue
		}
		node, err := proposedNodes(FileColumns{File: p.File, Kind: cur.Kind, Columns: fresh})
		if err != nil {
			return nil, 0, err
		}
		cols := blockSeq(fileNode, "columns")
		cols.Content = append(cols.Content, blockSeq(node, "columns").Content...)
		added++
	}
	if added == 0 {
		return data, 0, nil
	}
	out, err = encodeColumns(&root)
	return out, added, err
}

// proposedNodes is the YAML node of one file entry as FormatColumns writes it (with the
// comments of its columns).
func proposedNodes(fc FileColumns) (*yaml.Node, error) {
	var root yaml.Node
	text := FormatColumns(&ColumnMap{Files: []FileColumns{fc}})
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, fmt.Errorf("format the column map of %s: %w", fc.File, err)
	}
	files := blockSeq(root.Content[0], "files")
	if len(files.Content) != 1 {
		return nil, fmt.Errorf("format the column map of %s: no file entry", fc.File)
	}
	files.Content[0].HeadComment = ""
	return files.Content[0], nil
}

// blockSeq returns the block sequence under key of mapping n, making it when the key is
// absent, null or an empty flow sequence ("files: []").
func blockSeq(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != key {
			continue
		}
		v := n.Content[i+1]
		if v.Kind != yaml.SequenceNode {
			*v = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", LineComment: v.LineComment}
		}
		v.Style &^= yaml.FlowStyle
		return v
	}
	v := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return v
}

// findFileNode returns the entry of files whose file: is name (any case), or nil.
func findFileNode(files *yaml.Node, name string) *yaml.Node {
	for _, f := range files.Content {
		if f.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(f.Content); i += 2 {
			if f.Content[i].Value == "file" && strings.EqualFold(f.Content[i+1].Value, name) {
				return f
			}
		}
	}
	return nil
}

// setColumnField sets field: of the first column headed header (any case) of file in the
// columns.yaml text data, editing its YAML tree so that every comment stays.
func setColumnField(data []byte, file, header, field string) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", ColumnsFile, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a mapping with version and files", ColumnsFile)
	}
	fileNode := findFileNode(blockSeq(root.Content[0], "files"), file)
	if fileNode == nil {
		return nil, fmt.Errorf("%s: no entry for %s", ColumnsFile, file)
	}
	for _, c := range blockSeq(fileNode, "columns").Content {
		if c.Kind != yaml.MappingNode || !strings.EqualFold(scalarAt(c, "header"), header) {
			continue
		}
		for i := 0; i+1 < len(c.Content); i += 2 {
			if c.Content[i].Value == "field" {
				v := c.Content[i+1]
				v.Kind, v.Tag, v.Value, v.Style = yaml.ScalarNode, "!!str", field, 0
				return encodeColumns(&root)
			}
		}
		c.Content = append(c.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "field"},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: field})
		return encodeColumns(&root)
	}
	return nil, fmt.Errorf("%s: %s has no column %q", ColumnsFile, file, header)
}

// scalarAt is the value of key in mapping n ("" when absent).
func scalarAt(n *yaml.Node, key string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// encodeColumns writes a columns.yaml tree back as text, indented as FormatColumns does.
func encodeColumns(root *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("write %s: %w", ColumnsFile, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write %s: %w", ColumnsFile, err)
	}
	return b.Bytes(), nil
}
