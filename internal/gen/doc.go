// Package gen writes realistic IIS Failed Request Tracing (FREB) files.
//
// frebscan's rules are about load balancers, proxies and authentication,
// and real traces of those failures are rare and full of secrets. gen
// builds them from a Scenario: the root attributes, the headers the client
// or proxy sent, what the modules did, and where the time went. It fills in
// the ordinary pipeline events around them (request start, filters, module
// notifications, caches, custom errors, flushes) and writes the file the way
// IIS 10 does, byte for byte: CRLF line endings, the xml-stylesheet PI with
// single quotes, one root attribute per line, the event namespace repeated
// on every <Event>, real provider and event GUIDs, opcodes, keywords and
// freb:Description renderings.
//
// Output is a pure function of the Scenario and its Seed, so samples and
// test fixtures are reproducible.
package gen
