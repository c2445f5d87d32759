package state

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// FileTable is the analysed files by Key. File names are bytes on Unix
// and need not be valid UTF-8, which a JSON string cannot carry (invalid
// bytes become U+FFFD, so the name read back never matches and the trace
// is reported again every run). Such names are stored as nameBase64Prefix
// plus their base64; a key is an absolute path, so it never starts with
// that prefix.
type FileTable map[string]File

const nameBase64Prefix = "base64:"

func encodeName(s string) string {
	if utf8.ValidString(s) && !strings.HasPrefix(s, nameBase64Prefix) {
		return s
	}
	return nameBase64Prefix + base64.StdEncoding.EncodeToString([]byte(s))
}

func decodeName(s string) (string, error) {
	rest, ok := strings.CutPrefix(s, nameBase64Prefix)
	if !ok {
		return s, nil
	}
	b, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return "", fmt.Errorf("file name %q: %w", s, err)
	}
	return string(b), nil
}

// MarshalJSON writes keys and paths byte-exact (see FileTable).
func (t FileTable) MarshalJSON() ([]byte, error) {
	out := make(map[string]File, len(t))
	for k, f := range t {
		f.Path = encodeName(f.Path)
		out[encodeName(k)] = f
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote, and version 1 tables.
func (t *FileTable) UnmarshalJSON(b []byte) error {
	var in map[string]File
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*t = make(FileTable, len(in))
	for k, f := range in {
		key, err := decodeName(k)
		if err != nil {
			return err
		}
		if f.Path, err = decodeName(f.Path); err != nil {
			return err
		}
		(*t)[key] = f
	}
	return nil
}
