package freb

import (
	"fmt"
	"io"
	"os"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// Where is an XPath condition on the events of a trace, for power users
// whose question no filter answers (scan --where). It is evaluated with
// the reference reader's xmlquery stream parser, one <Event> subtree at a
// time, so it costs a second, slow read of each file and is used only when
// asked for; the fast reader never builds a tree.
//
// The context node is the event, and the document holds nothing but the
// root element and that event, so relative paths
// ("RenderingInfo/Opcode='GENERAL_REQUEST_HEADERS'"), absolute ones
// ("//Event[System/Level<=2]") and conditions on the root's attributes
// ("/failedRequest[@statusCode='401']") all mean "some event such that".
// Names match local names whatever their namespace, so FREB's default
// event namespace needs no prefix.
type Where struct {
	src string
}

// CompileWhere compiles an XPath expression. The error names the
// expression, for the user who typed it.
func CompileWhere(expr string) (*Where, error) {
	// The XPath library reports the consequence of a lost bracket or
	// quote ("must evaluate to a node-set"), or ignores a stray closing
	// one, so those are named first: they are what shell quoting usually
	// breaks.
	if p := syntaxProblem(expr); p != "" {
		return nil, fmt.Errorf("invalid XPath %q: %s", expr, p)
	}
	if _, err := xpath.Compile(expr); err != nil {
		return nil, fmt.Errorf("invalid XPath %q: %v", expr, err)
	}
	return &Where{src: expr}, nil
}

// String returns the expression as given.
func (w *Where) String() string { return w.src }

// MatchFile reports whether some event of the trace at path satisfies w.
// A file that cannot be opened matches nothing: the scan has read it just
// before and reports any problem with it.
func (w *Where) MatchFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return w.Match(f)
}

// Match reports whether some event read from r satisfies w. Events
// before an XML error count, as they do for Read; the error itself is
// Read's to report.
func (w *Where) Match(r io.Reader) bool {
	// An xpath.Expr keeps its iterators' state while it is evaluated, so
	// scan workers sharing one raced (go test -race); each file gets its
	// own copy, compiled again from the checked source: small beside the
	// tree-building read of the whole file that follows.
	expr, err := xpath.Compile(w.src)
	if err != nil {
		return false
	}
	in, err := newInput(r)
	if err != nil {
		return false
	}
	defer in.release()
	sp, err := xmlquery.CreateStreamParserWithOptions(in, xmlquery.ParserOptions{
		Decoder: &xmlquery.DecoderOptions{Strict: true, CharsetReader: identityCharset},
	}, "/"+rootElement+"/Event")
	if err != nil {
		return false
	}
	for {
		n, err := sp.Read()
		if err != nil {
			return false
		}
		if matchNode(expr, n) {
			return true
		}
	}
}

// matchNode evaluates expr with n as the context node and the document
// as the root. A boolean, number or string result is converted as XPath's
// boolean() does; a node-set matches when it is not empty.
func matchNode(expr *xpath.Expr, n *xmlquery.Node) bool {
	nav, ok := navigatorAt(n)
	if !ok {
		return false
	}
	switch v := expr.Evaluate(nav).(type) {
	case bool:
		return v
	case float64:
		return v != 0 && v == v // NaN is false
	case string:
		return v != ""
	case *xpath.NodeIterator:
		return v.MoveNext()
	}
	return false
}

// navigatorAt returns a navigator on n whose root is n's document, so
// that absolute paths start at the document and relative ones at n
// (xmlquery.CreateXPathNavigator(n) would make n the root). The stream
// parser has already dropped the earlier events, so the walk down from
// the document is short.
func navigatorAt(n *xmlquery.Node) (*xmlquery.NodeNavigator, bool) {
	var chain []*xmlquery.Node
	top := n
	for top.Parent != nil {
		chain = append(chain, top)
		top = top.Parent
	}
	nav := xmlquery.CreateXPathNavigator(top)
	for i := len(chain) - 1; i >= 0; i-- {
		if !nav.MoveToChild() {
			return nil, false
		}
		for nav.Current() != chain[i] {
			if !nav.MoveToNext() {
				return nil, false
			}
		}
	}
	return nav, true
}

// syntaxProblem finds the first unclosed or unexpected bracket,
// parenthesis or quote in an XPath expression, or returns "".
func syntaxProblem(expr string) string {
	var open []rune
	var at []int
	quote, quoteAt := rune(0), 0
	for i, r := range expr {
		if quote != 0 {
			if r == quote {
				quote = 0
			}
			continue
		}
		switch r {
		case '\'', '"':
			quote, quoteAt = r, i
		case '[', '(':
			open, at = append(open, r), append(at, i)
		case ']', ')':
			want := map[rune]rune{']': '[', ')': '('}[r]
			if len(open) == 0 || open[len(open)-1] != want {
				return fmt.Sprintf("unexpected %q at character %d", r, i+1)
			}
			open, at = open[:len(open)-1], at[:len(at)-1]
		}
	}
	if quote != 0 {
		return fmt.Sprintf("the quote %q at character %d is never closed", quote, quoteAt+1)
	}
	if n := len(open); n > 0 {
		closer := map[rune]rune{'[': ']', '(': ')'}[open[n-1]]
		return fmt.Sprintf("%q at character %d is never closed (missing %q)", open[n-1], at[n-1]+1, closer)
	}
	return ""
}
