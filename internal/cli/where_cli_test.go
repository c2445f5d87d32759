package cli

import (
	"slices"
)

// traceFiles lists the files of a scan JSON report's trace rows.
func traceFiles(doc map[string]any) []string {
	var out []string
	for _, row := range doc["traces"].([]any) {
		out = append(out, row.(map[string]any)["file"].(string))
	}
	slices.Sort(out)
	return out
}
