package report

import (
	"encoding/json"
	"io"

	"github.com/frebscan/frebscan/internal/scan"
)

// writeScanJSON writes the whole result as one document; its schema is
// docs/scan.schema.json.
func writeScanJSON(w io.Writer, r *scan.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
