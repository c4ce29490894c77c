package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// readMO decodes a GNU gettext .mo catalogue into msgid → msgstr. The format
// is a header of 32-bit words (magic, revision, count, offset of the original
// strings' table, offset of the translations' table), each table holding
// (length, offset) pairs; the magic's byte order gives the file's.
func readMO(b []byte) (map[string]string, error) {
	if len(b) < 20 {
		return nil, errors.New("mo: too short")
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0x950412de:
		bo = binary.LittleEndian
	case 0xde120495:
		bo = binary.BigEndian
	default:
		return nil, errors.New("mo: bad magic")
	}
	n := int(bo.Uint32(b[8:]))
	origs, trans := int(bo.Uint32(b[12:])), int(bo.Uint32(b[16:]))
	str := func(table, i int) (string, error) {
		at := table + 8*i
		if at < 0 || at+8 > len(b) {
			return "", fmt.Errorf("mo: entry %d out of range", i)
		}
		l, off := int(bo.Uint32(b[at:])), int(bo.Uint32(b[at+4:]))
		if off < 0 || l < 0 || off+l > len(b) {
			return "", fmt.Errorf("mo: string %d out of range", i)
		}
		return string(b[off : off+l]), nil
	}
	out := make(map[string]string, n)
	for i := range n {
		k, err := str(origs, i)
		if err != nil {
			return nil, err
		}
		v, err := str(trans, i)
		if err != nil {
			return nil, err
		}
		if k != "" {
			out[k] = v
		}
	}
	return out, nil
}
