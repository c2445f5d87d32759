package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/frebscan/frebscan/internal/scan"
)

// tracesMark is where the rows go in the document: the top-level key is
// the only one indented by exactly two spaces, and JSON strings hold no
// raw newline, so it cannot occur anywhere else.
const tracesMark = "\n  \"traces\": [],\n"

// writeScanJSON writes the whole result as one document; its schema is
// docs/scan.schema.json. The rows are not held with the rest: the
// document is encoded without them, and they are written in their place
// one at a time as the scan's spill file gives them back, each indented
// as the encoder would have, so the bytes are those of encoding the
// result whole.
func writeScanJSON(w io.Writer, r *scan.Result, _ Options) error {
	head := *r
	head.Traces = []scan.Row{}
	var doc bytes.Buffer
	enc := json.NewEncoder(&doc)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&head); err != nil {
		return err
	}
	i := bytes.Index(doc.Bytes(), []byte(tracesMark))
	if i < 0 {
		return errors.New("json report: the traces key is missing from the document")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc.Bytes()[:i])
	bw.WriteString("\n  \"traces\": [")
	var one, indented bytes.Buffer
	rowEnc := json.NewEncoder(&one)
	rowEnc.SetEscapeHTML(false)
	n := 0
	err := r.EachRow(func(row *scan.Row) error {
		one.Reset()
		indented.Reset()
		if err := rowEnc.Encode(row); err != nil {
			return err
		}
		if err := json.Indent(&indented, bytes.TrimSuffix(one.Bytes(), []byte("\n")), "    ", "  "); err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteString("\n    ")
		_, err := bw.Write(indented.Bytes())
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	bw.Write(doc.Bytes()[i+len(tracesMark):])
	return bw.Flush()
}
