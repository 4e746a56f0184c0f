package extract

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"

	"ferry/internal/source"
)

// packFields lays fields out in key order as (uvarint length, key, uvarint length, value)
// pairs, a form cheaper to build, hold and spill than JSON, and returns it with the content
// hash of the record (source.Record.Hash, computed from the same pass).
func packFields(kind source.Kind, id string, fields map[string]string) (packed, hash string) {
	keys := make([]string, 0, len(fields))
	size := 0
	for k, v := range fields {
		keys = append(keys, k)
		size += len(k) + len(v) + 4
	}
	slices.Sort(keys)
	p := make([]byte, 0, size)
	h := make([]byte, 0, size+len(kind)+len(id)+1)
	h = append(append(append(h, kind...), 0), id...)
	for _, k := range keys {
		v := fields[k]
		p = append(binary.AppendUvarint(p, uint64(len(k))), k...)
		p = append(binary.AppendUvarint(p, uint64(len(v))), v...)
		h = append(append(append(append(h, 0), k...), 1), v...)
	}
	sum := sha256.Sum256(h)
	return string(p), hex.EncodeToString(sum[:])
}

// eachPacked calls fn with each key and value of packed, in key order.
func eachPacked(packed string, fn func(k, v string)) error {
	for len(packed) > 0 {
		var kv [2]string
		for i := range kv {
			n, w := binary.Uvarint([]byte(packed[:min(len(packed), binary.MaxVarintLen64)]))
			if w <= 0 || uint64(len(packed)-w) < n {
				return fmt.Errorf("packed fields are truncated")
			}
			kv[i], packed = packed[w:w+int(n)], packed[w+int(n):]
		}
		fn(kv[0], kv[1])
	}
	return nil
}

// unpackFields returns packed fields as a map.
func unpackFields(packed string) (map[string]string, error) {
	m := map[string]string{}
	err := eachPacked(packed, func(k, v string) { m[k] = v })
	return m, err
}

// packedJSON encodes packed fields as source.MarshalFields encodes the same map.
func packedJSON(packed string) (string, error) {
	b := make([]byte, 0, len(packed)+len(packed)/4+2)
	b = append(b, '{')
	first := true
	err := eachPacked(packed, func(k, v string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(source.AppendJSONString(b, k), ':')
		b = source.AppendJSONString(b, v)
	})
	return string(append(b, '}')), err
}
