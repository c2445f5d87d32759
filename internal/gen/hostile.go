package gen

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// Hostile is one file built to hurt a FREB reader: how it is built and
// what a scan must say about it.
type Hostile struct {
	Name string
	// Reason is a phrase the scan's reason for the file contains, in its
	// error (Unreadable), its warnings, or its not-FREB reason.
	Reason string
	// Outcome is where a scan lists the file: "unreadable", "warning"
	// (read with warnings) or "notfreb" (skipped, with the reason).
	Outcome string
}

// HostileGood is the name of the one good trace WriteHostile writes next
// to the hostile ones.
const HostileGood = "good.xml"

// billionLaughs declares nine levels of entities that would expand to a
// billion "lol"s; a parser that expanded them would need gigabytes.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE failedRequest [\r\n <!ENTITY lol \"lol\">\r\n")
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		fmt.Fprintf(&b, " <!ENTITY lol%d \"%s\">\r\n", i, strings.Repeat("&"+prev+";", 10))
	}
	b.WriteString("]>\r\n")
	return b.String()
}

// WriteHostile writes into dir one good trace (a generated sample) and the
// hostile files of issue #9; big is the size of the oversized text node and
// attribute (100 MB in the tests), streamed to disk, never held in memory.
// It returns the hostile files (not the good one).
func WriteHostile(dir string, big int64) ([]Hostile, error) {
	good, err := Bytes(Samples()[0].Traces[0])
	if err != nil {
		return nil, err
	}
	doc := string(good)
	root := strings.Index(doc, "<failedRequest")
	events := strings.Index(doc, "<Event ")
	third := events
	for i := 0; i < 2 && third >= 0; i++ {
		third += 1 + strings.Index(doc[third+1:], "<Event ")
	}
	// Inserts a value into the first Data field of the third event.
	inThird := func(v string) string {
		k := third + strings.Index(doc[third:], "</Data>")
		return doc[:k] + v + doc[k:]
	}
	hdr := strings.Index(doc, `<Data Name="Headers">`) + len(`<Data Name="Headers">`)
	var many strings.Builder
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&many, "X-Hostile-%d: v&#xD;&#xA;", i)
	}
	rnd := rand.New(rand.NewSource(9))
	binaryData := make([]byte, 64<<10)
	rnd.Read(binaryData)
	binaryData[0] = 0x00 // not '<', not a BOM
	u := utf16.Encode([]rune(doc))
	utf16Data := make([]byte, 2*len(u))
	for i, v := range u {
		binary.LittleEndian.PutUint16(utf16Data[2*i:], v)
	}
	xxe := "<!DOCTYPE failedRequest [\r\n <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\r\n]>\r\n"

	files := []struct {
		h    Hostile
		data []byte
	}{
		{Hostile{"billion-laughs.xml", "DOCTYPE declaring entities", "warning"}, []byte(insertAt(inThird("&lol9;"), root, billionLaughs()))},
		{Hostile{"external-entity.xml", "DOCTYPE declaring entities", "warning"}, []byte(insertAt(inThird("&xxe;"), root, xxe))},
		{Hostile{"deep-nesting.xml", "nest deeper than 256", "warning"}, []byte(inThird(strings.Repeat("<d>", 100000) + strings.Repeat("</d>", 100000)))},
		{Hostile{"invalid-utf8.xml", "replaced", "warning"}, []byte(inThird("\xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xff"))},
		{Hostile{"nul-bytes.xml", "replaced", "warning"}, []byte(inThird("a\x00b\x00\x00c"))},
		{Hostile{"utf16-no-bom.xml", "UTF-16LE", "warning"}, utf16Data},
		{Hostile{"empty.xml", "empty", "notfreb"}, nil},
		{Hostile{"binary.xml", "not a FREB trace", "notfreb"}, binaryData},
		{Hostile{"many-headers.xml", "more than the limit of 1000", "warning"}, []byte(doc[:hdr] + many.String() + doc[hdr:])},
	}
	var out []Hostile
	write := func(name string, data []byte) error {
		return os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	if err := write(HostileGood, good); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := write(f.h.Name, f.data); err != nil {
			return nil, err
		}
		out = append(out, f.h)
	}
	// The big ones are streamed: the good trace with a huge text node in
	// the third event, and with a huge attribute on the root element.
	k := third + strings.Index(doc[third:], "</Data>")
	if err := writeBig(filepath.Join(dir, "huge-text.xml"), doc[:k], doc[k:], big); err != nil {
		return nil, err
	}
	out = append(out, Hostile{"huge-text.xml", "larger than MaxEventSize", "warning"})
	a := root + len("<failedRequest")
	if err := writeBig(filepath.Join(dir, "huge-attribute.xml"), doc[:a]+` hostile="`, `"`+doc[a:], big); err != nil {
		return nil, err
	}
	out = append(out, Hostile{"huge-attribute.xml", "larger than MaxEventSize", "unreadable"})
	return out, nil
}

func insertAt(s string, i int, v string) string { return s[:i] + v + s[i:] }

// writeBig writes head, size bytes of filler text, and tail.
func writeBig(path, head, tail string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16)
	for n := int64(0); n < size; n += int64(len(chunk)) {
		w.Write(chunk[:min(int64(len(chunk)), size-n)])
	}
	w.WriteString(tail)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
